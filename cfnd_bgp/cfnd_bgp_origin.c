// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Origination of a service prefix into bgpd's IPv4 unicast RIB with our
 * Edge Metadata attribute, as a locally sourced route (no "network"
 * statement).  This is the seam between the service model (who decides
 * what to advertise and when) and bgpd (how a route enters the RIB).
 */
#include <zebra.h>

#include "log.h"
#include "memory.h"
#include "prefix.h"

#include "bgpd/bgpd.h"
#include "bgpd/bgp_attr.h"
#include "bgpd/bgp_aspath.h"
#include "bgpd/bgp_memory.h"
#include "bgpd/bgp_route.h"
#include "bgpd/bgp_table.h"

#include "cfnd_bgp.h"
#include "cfnd_bgp_debug.h"

static bool ours(const struct bgp *bgp, const struct bgp_path_info *pi)
{
	return pi->peer == bgp->peer_self && pi->type == ZEBRA_ROUTE_BGP &&
	       pi->sub_type == BGP_ROUTE_STATIC &&
	       pi->instance == CFND_BGP_INSTANCE;
}

int cfnd_bgp_originate(struct bgp *bgp, const struct prefix *p,
		       const struct bgp_meta *m, char *err, size_t errlen)
{
	uint8_t raw[4 + BGP_META_VALUE_MAX];
	struct bgp_path_info *pi, *new;
	struct attr attr, *new_attr;
	struct transit *claimed;
	struct bgp_dest *dest;
	int n;

	n = bgp_meta_encode_attr(m, &cfnd_bgp_cfg.codes, cfnd_bgp_cfg.attr_type,
				 raw, sizeof(raw), err, errlen);
	if (n < 0)
		return -1;
	bgp_attr_default_set(&attr, bgp, BGP_ORIGIN_IGP);
	attr.nexthop.s_addr = INADDR_ANY;
	attr.mp_nexthop_len = BGP_ATTR_NHLEN_IPV4;
	claimed = XCALLOC(MTYPE_TRANSIT, sizeof(*claimed));
	claimed->val = XMALLOC(MTYPE_TRANSIT_VAL, n);
	memcpy(claimed->val, raw, n);
	claimed->length = n;
	bgp_attr_set_claimed(&attr, claimed);

	dest = bgp_afi_node_get(bgp->rib[AFI_IP][SAFI_UNICAST], AFI_IP,
				SAFI_UNICAST, p, NULL);
	new_attr = bgp_attr_intern(&attr);
	for (pi = bgp_dest_get_bgp_path_info(dest); pi; pi = pi->next)
		if (ours(bgp, pi))
			break;
	if (pi) {
		if (attrhash_cmp(pi->attr, new_attr) &&
		    !CHECK_FLAG(pi->flags, BGP_PATH_REMOVED)) {
			bgp_attr_unintern(&new_attr);
		} else {
			bgp_path_info_set_flag(dest, pi, BGP_PATH_ATTR_CHANGED);
			if (CHECK_FLAG(pi->flags, BGP_PATH_REMOVED))
				bgp_path_info_restore(dest, pi);
			bgp_attr_unintern(&pi->attr);
			pi->attr = new_attr;
			pi->uptime = monotime(NULL);
			bgp_process(bgp, dest, AFI_IP, SAFI_UNICAST);
		}
	} else {
		new = info_make(ZEBRA_ROUTE_BGP, BGP_ROUTE_STATIC,
				CFND_BGP_INSTANCE, bgp->peer_self, new_attr,
				dest);
		SET_FLAG(new->flags, BGP_PATH_VALID);
		bgp_path_info_add(dest, new);
		bgp_process(bgp, dest, AFI_IP, SAFI_UNICAST);
	}
	bgp_dest_unlock_node(dest);
	aspath_unintern(&attr.aspath);
	return 0;
}

void cfnd_bgp_withdraw(struct bgp *bgp, const struct prefix *p)
{
	struct bgp_dest *dest;
	struct bgp_path_info *pi;

	dest = bgp_node_lookup(bgp->rib[AFI_IP][SAFI_UNICAST], p);
	if (!dest)
		return;
	for (pi = bgp_dest_get_bgp_path_info(dest); pi; pi = pi->next)
		if (ours(bgp, pi))
			break;
	if (pi) {
		bgp_path_info_delete(dest, pi);
		bgp_process(bgp, dest, AFI_IP, SAFI_UNICAST);
	}
	bgp_dest_unlock_node(dest);
}
