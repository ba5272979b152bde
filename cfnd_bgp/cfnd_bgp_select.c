// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The compute step in bgpd's best-path selection (bgp_path_compare hook,
 * after weight, local-pref and the local-route check, before AS-path
 * length; doc/bgp-metadata.md section 6).  Two paths that both carry a
 * usable Edge Metadata attribute are ranked by lib/bgp_select's cost;
 * otherwise the module has no opinion and bgpd compares them as plain BGP.
 */
#include <zebra.h>

#include "log.h"

#include "bgpd/bgpd.h"
#include "bgpd/bgp_route.h"

#include "cfnd_bgp.h"
#include "cfnd_bgp_debug.h"

static int cfnd_bgp_compare(struct bgp *bgp, struct bgp_path_info *new,
			    struct bgp_path_info *exist, afi_t afi, safi_t safi)
{
	struct bgp_meta mn, me;
	struct bgp_sel_cand a, b;
	int r;

	if (afi != AFI_IP || safi != SAFI_UNICAST)
		return 0;
	if (!cfnd_bgp_path_meta(new, &mn) || !cfnd_bgp_path_meta(exist, &me))
		return 0;
	cfnd_bgp_cand_fill(new, &mn, &a);
	cfnd_bgp_cand_fill(exist, &me, &b);
	r = bgp_sel_compare(&cfnd_bgp_cfg.sel, &a, &b);
	if (IS_DEBUG_CFN_BGP_SEL)
		zlog_debug("%s: %s cost %" PRIu64 "%s vs %s cost %" PRIu64
			   "%s: %s",
			   CFND_BGP_NAME, new->peer->host, a.total,
			   a.eligible ? "" : " (ineligible)", exist->peer->host,
			   b.total, b.eligible ? "" : " (ineligible)",
			   r < 0   ? "new wins"
			   : r > 0 ? "existing wins"
				   : "equal, plain BGP decides");
	return -r;
}

void cfnd_bgp_select_init(void)
{
	hook_register(bgp_path_compare, cfnd_bgp_compare);
}
