// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfnd_isis: Computing First Networking for isisd.  Loaded with
 * 'isisd -M cfnd_isis'.
 */
#include <zebra.h>

#include "command.h"
#include "libfrr.h"
#include "log.h"
#include "module.h"
#include "lib/version.h"

#include "cfnd_isis.h"
#include "cfnd_isis_debug.h"
#include "cfnd_common/cfnd_module.h"

static int cfnd_isis_late_init(struct thread_master *master)
{
	cfnd_isis_vty_init();
	cfnd_isis_debug_init();
	cfnd_isis_config_init();
	cfnd_isis_load_vty_init();
	cfnd_isis_db_vty_init();
	cfnd_isis_db_init();
	cfnd_isis_adv_init();
	cfnd_isis_steer_init();
	cfnd_isis_steer_vty_init();
	cfnd_isis_export_init();
	zlog_notice("%s %s loaded (FRR %s)", CFND_ISIS_NAME, CFN_VERSION,
		    FRR_VERSION);
	return 0;
}

static int cfnd_isis_fini(void)
{
	cfnd_isis_steer_fini();
	cfnd_isis_export_fini();
	cfnd_isis_report_fini();
	cfnd_isis_adv_fini();
	cfnd_isis_db_fini();
	cfnd_isis_config_fini();
	return 0;
}

static int cfnd_isis_module_init(void)
{
	if (!cfnd_build_matches(CFND_ISIS_NAME))
		return -1;
	/* The CLI does not exist yet at module init time. */
	hook_register(frr_late_init, cfnd_isis_late_init);
	hook_register(frr_fini, cfnd_isis_fini);
	return 0;
}

FRR_MODULE_SETUP(.name = CFND_ISIS_NAME, .version = CFN_VERSION,
		 .description = "Computing First Networking for IS-IS",
		 .init = cfnd_isis_module_init);
