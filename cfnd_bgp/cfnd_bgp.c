// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfnd_bgp: Computing First Networking for bgpd, loaded with
 * 'bgpd -M cfnd_bgp'.  Carries compute metadata between ASes in the Edge
 * Metadata Path Attribute and ranks paths to a service by it.
 */
#include <zebra.h>

#include "command.h"
#include "libfrr.h"
#include "log.h"
#include "module.h"
#include "lib/version.h"

#include "cfnd_bgp.h"
#include "cfnd_bgp_debug.h"
#include "cfnd_common/cfnd_module.h"

/*
 * cfnd_common schedules its timers and sockets on the daemon's global
 * `master`, which isisd has and bgpd does not (bgpd keeps it in
 * bm->master): the module provides it, hidden like all its symbols.
 */
struct thread_master *master;

static int cfnd_bgp_fini(void)
{
	cfnd_bgp_decision_fini();
	cfnd_bgp_model_fini();
	cfnd_bgp_nbr_fini();
	return 0;
}

static int cfnd_bgp_late_init(struct thread_master *tm)
{
	master = tm;
	cfnd_bgp_model_init();
	cfnd_bgp_config_init();
	cfnd_bgp_vty_init();
	cfnd_bgp_show_init();
	cfnd_bgp_debug_init();
	zlog_notice("%s %s loaded (FRR %s)", CFND_BGP_NAME, CFN_VERSION,
		    FRR_VERSION);
	return 0;
}

static int cfnd_bgp_module_init(void)
{
	if (!cfnd_build_matches(CFND_BGP_NAME))
		return -1;
	/* The protocol hooks are safe before the daemon runs; the CLI does
	 * not exist yet at module init time. */
	cfnd_bgp_rx_init();
	cfnd_bgp_tx_init();
	cfnd_bgp_select_init();
	cfnd_bgp_decision_init();
	hook_register(frr_late_init, cfnd_bgp_late_init);
	hook_register(frr_fini, cfnd_bgp_fini);
	return 0;
}

FRR_MODULE_SETUP(.name = CFND_BGP_NAME, .version = CFN_VERSION,
		 .description = "Computing First Networking for BGP",
		 .init = cfnd_bgp_module_init);
