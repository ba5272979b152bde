// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Sending the Edge Metadata Path Attribute: only to neighbors with
 * "neighbor X compute-metadata", and only when the neighbor's AS is inside
 * the attribute's AS scope (no scope: the local AS only), so it never
 * leaves the scope it names (doc/bgp-metadata.md section 5).
 */
#include <zebra.h>

#include "log.h"
#include "stream.h"

#include "bgpd/bgpd.h"
#include "bgpd/bgp_attr.h"
#include "bgpd/bgp_updgrp.h"

#include "cfnd_bgp.h"
#include "cfnd_bgp_debug.h"

static bool may_send(const struct peer *peer, const struct bgp_meta *m)
{
	if (BGP_META_HAS(m, BGP_META_K_AS_SCOPE))
		return bgp_meta_in_scope(m, peer->as);
	return peer->as == peer->bgp->as;
}

static int cfnd_bgp_encode(struct peer *peer, afi_t afi, safi_t safi,
			   struct attr *attr, struct stream *s)
{
	const uint8_t *raw, *v;
	size_t len, vlen;
	struct bgp_meta m;

	if (afi != AFI_IP || safi != SAFI_UNICAST)
		return 0;
	raw = cfnd_bgp_attr_raw(attr, &len, &v, &vlen);
	if (!raw)
		return 0;
	/* peer is the update group's conf copy: its key (enabled, AS) is
	 * every member's, see cfnd_bgp_nbr_get() */
	if (!cfnd_bgp_nbr_enabled(peer))
		return 0;
	if (bgp_meta_decode(v, vlen, &cfnd_bgp_cfg.codes, &m, NULL) !=
		    BGP_META_OK ||
	    !may_send(peer, &m)) {
		if (IS_DEBUG_CFN_BGP_TX)
			zlog_debug(
				"%s: %s (AS %u) is outside the attribute's scope: not sent",
				CFND_BGP_NAME, peer->host, peer->as);
		return 0;
	}
	if (STREAM_WRITEABLE(s) < len)
		return 0;
	stream_put(s, raw, len);
	cfnd_bgp_nbr_get(peer, false)->sent++;
	if (IS_DEBUG_CFN_BGP_TX)
		zlog_debug("%s: %s: Edge Metadata sent (%zu octets)",
			   CFND_BGP_NAME, peer->host, len);
	return 0;
}

/* Peers we send to differently never share an update group: enabled
 * neighbors are grouped by AS (the scope check depends on it). */
static int cfnd_bgp_updgrp_key(struct peer *peer, afi_t afi, safi_t safi)
{
	if (afi != AFI_IP || safi != SAFI_UNICAST ||
	    !cfnd_bgp_nbr_enabled(peer))
		return 0;
	return (int)peer->as; /* an AS number is never 0 */
}

void cfnd_bgp_tx_init(void)
{
	hook_register(bgp_attr_encode_extra, cfnd_bgp_encode);
	hook_register(bgp_updgrp_extra_key, cfnd_bgp_updgrp_key);
}
