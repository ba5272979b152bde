// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfnd_bgp: Computing First Networking for bgpd.  Loaded with
 * 'bgpd -M cfnd_bgp'.
 */
#include <zebra.h>

#include "command.h"
#include "libfrr.h"
#include "log.h"
#include "module.h"
#include "lib/version.h"

#include "cfnd_bgp.h"
#include "../cfnd_common/cfnd_module.h"

static int cfnd_bgp_late_init(struct thread_master *master)
{
	cfnd_bgp_vty_init();
	zlog_notice("%s %s loaded (FRR %s)", CFND_BGP_NAME, CFN_VERSION,
		    FRR_VERSION);
	return 0;
}

static int cfnd_bgp_module_init(void)
{
	if (!cfnd_build_matches(CFND_BGP_NAME))
		return -1;
	/* The CLI does not exist yet at module init time. */
	hook_register(frr_late_init, cfnd_bgp_late_init);
	return 0;
}

FRR_MODULE_SETUP(.name = CFND_BGP_NAME, .version = CFN_VERSION,
		 .description = "Computing First Networking for BGP",
		 .init = cfnd_bgp_module_init);
