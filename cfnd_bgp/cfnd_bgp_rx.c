// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Receiving the Edge Metadata Path Attribute (doc/bgp-metadata.md
 * section 5): bgpd hands us every optional non-transitive attribute it does
 * not know (bgp_attr_unknown_claim); we keep ours from enabled neighbors,
 * treat a malformed one as a withdraw (RFC 7606), and discard the rest.
 */
#include <zebra.h>

#include "log.h"

#include "bgpd/bgpd.h"
#include "bgpd/bgp_attr.h"
#include "bgpd/bgp_aspath.h"
#include "bgpd/bgp_ecommunity.h"
#include "bgpd/bgp_nexthop.h"
#include "bgpd/bgp_route.h"

#include "cfnd_bgp.h"
#include "cfnd_bgp_debug.h"

struct cfnd_bgp_cfg cfnd_bgp_cfg;

/* Each distinct fault once per neighbor: a peer sending the same bad
 * attribute in every UPDATE must not flood the log. */
static void log_fault(struct peer *peer, struct cfnd_bgp_nbr *n,
		      const struct bgp_meta_result *res)
{
	uint32_t bit = 1u << res->fault;

	if (!(n->faults_logged & bit)) {
		n->faults_logged |= bit;
		zlog_warn(
			"%s: %s: malformed Edge Metadata attribute (%s, sub-TLV %u at offset %zu): UPDATE treated as withdraw (RFC 7606), further ones of this kind not logged",
			CFND_BGP_NAME, peer->host,
			bgp_meta_fault_name(res->fault), res->sub_type,
			res->offset);
	} else if (IS_DEBUG_CFN_BGP_RX) {
		zlog_debug("%s: %s: malformed Edge Metadata attribute (%s)",
			   CFND_BGP_NAME, peer->host,
			   bgp_meta_fault_name(res->fault));
	}
}

/*
 * Unequal-cost multipath by free capacity: bgpd already weights multipath
 * nexthops to zebra by the link-bandwidth extended community, so the
 * available units become one on the path (non-transitive, never sent to
 * an eBGP peer), unless the path carries one already.
 */
static void add_link_bandwidth(struct peer *peer, struct attr *attr,
			       const struct bgp_meta *m)
{
	struct ecommunity *ecom = bgp_attr_get_ecommunity(attr);
	struct ecommunity_val eval;
	uint32_t bw;

	if (!BGP_META_HAS(m, BGP_META_K_RESOURCE) || !m->available ||
	    ecommunity_linkbw_present(ecom, NULL))
		return;
	bw = m->available > UINT32_MAX ? UINT32_MAX : (uint32_t)m->available;
	encode_lb_extcomm(peer->as > UINT16_MAX ? BGP_AS_TRANS : peer->as, bw,
			  true, &eval, false);
	/* the parse attr holds an interned ecommunity (ecommunity_parse()),
	 * released by bgp_attr_unintern_sub(): swap in an interned copy */
	struct ecommunity *new = ecom ? ecommunity_dup(ecom) : ecommunity_new();

	ecommunity_add_val(new, &eval, true, true);
	new = ecommunity_intern(new);
	if (ecom)
		ecommunity_unintern(&ecom);
	bgp_attr_set_ecommunity(attr, new);
	(void)ecommunity_linkbw_present(new, &attr->link_bw);
}

static int cfnd_bgp_claim(struct peer *peer, struct attr *attr, uint8_t type,
			  const uint8_t *value, bgp_size_t length)
{
	struct bgp_meta m;
	struct bgp_meta_result res;
	struct cfnd_bgp_nbr *n;

	if (type != cfnd_bgp_cfg.attr_type)
		return 0;
	/* state even for a neighbor never enabled: its discards are shown */
	n = cfnd_bgp_nbr_get(peer, true);
	if (!n || !n->enabled) {
		if (n)
			n->discarded++;
		if (IS_DEBUG_CFN_BGP_RX)
			zlog_debug(
				"%s: %s: Edge Metadata from a neighbor without compute-metadata: discarded",
				CFND_BGP_NAME, peer->host);
		return 0;
	}
	if (bgp_meta_decode(value, length, &cfnd_bgp_cfg.codes, &m, &res) !=
	    BGP_META_OK) {
		n->malformed++;
		log_fault(peer, n, &res);
		return -1;
	}
	if (res.n_unknown && !n->unknown_logged) {
		n->unknown_logged = true;
		zlog_info(
			"%s: %s: %u unknown Edge Metadata sub-TLV(s) skipped (logged once)",
			CFND_BGP_NAME, peer->host, res.n_unknown);
	}
	/* Outside the AS scope it names, the attribute is not ours to use. */
	if (BGP_META_HAS(&m, BGP_META_K_AS_SCOPE) &&
	    !bgp_meta_in_scope(&m, peer->bgp->as)) {
		n->discarded++;
		if (IS_DEBUG_CFN_BGP_RX)
			zlog_debug(
				"%s: %s: Edge Metadata scope excludes AS %u: discarded",
				CFND_BGP_NAME, peer->host, peer->bgp->as);
		return 0;
	}
	n->accepted++;
	add_link_bandwidth(peer, attr, &m);
	if (IS_DEBUG_CFN_BGP_RX) {
		char buf[256];

		cfnd_bgp_meta_text(&m, buf, sizeof(buf));
		zlog_debug("%s: %s: Edge Metadata %s", CFND_BGP_NAME,
			   peer->host, buf);
	}
	return 1;
}

const uint8_t *cfnd_bgp_attr_raw(const struct attr *attr, size_t *len,
				 const uint8_t **value, size_t *vlen)
{
	struct transit *c = attr ? bgp_attr_get_claimed(attr) : NULL;
	const uint8_t *p;
	size_t left;

	if (!c)
		return NULL;
	p = c->val;
	left = c->length;
	/* bgpd stored whole attributes that it framed itself */
	while (left >= 3) {
		size_t hdr = (p[0] & BGP_ATTR_FLAG_EXTLEN) ? 4 : 3;
		size_t n;

		if (left < hdr)
			return NULL;
		n = hdr == 4 ? (size_t)(p[2] << 8 | p[3]) : p[2];
		if (left - hdr < n)
			return NULL;
		if (p[1] == cfnd_bgp_cfg.attr_type) {
			*len = hdr + n;
			if (value) {
				*value = p + hdr;
				*vlen = n;
			}
			return p;
		}
		p += hdr + n;
		left -= hdr + n;
	}
	return NULL;
}

bool cfnd_bgp_path_meta(const struct bgp_path_info *pi, struct bgp_meta *m)
{
	const uint8_t *v;
	size_t len, vlen;

	if (!pi || !pi->peer)
		return false;
	if (pi->peer != pi->peer->bgp->peer_self &&
	    !cfnd_bgp_nbr_enabled(pi->peer))
		return false;
	if (!cfnd_bgp_attr_raw(pi->attr, &len, &v, &vlen))
		return false;
	return bgp_meta_decode(v, vlen, &cfnd_bgp_cfg.codes, m, NULL) ==
	       BGP_META_OK;
}

void cfnd_bgp_cand_fill(const struct bgp_path_info *pi,
			const struct bgp_meta *m, struct bgp_sel_cand *c)
{
	const struct attr *a = pi->attr;

	memset(c, 0, sizeof(*c));
	c->as_path_len = aspath_count_hops(a->aspath);
	c->med = (a->flag & ATTR_FLAG_BIT(BGP_ATTR_MULTI_EXIT_DISC)) ? a->med
								     : 0;
	c->igp_cost = pi->nexthop ? pi->nexthop->metric : 0;
	c->meta = m;
	c->incumbent = CHECK_FLAG(pi->flags, BGP_PATH_SELECTED);
}

void cfnd_bgp_rx_init(void)
{
	cfnd_bgp_cfg.attr_type = BGP_META_ATTR_TYPE_DEFAULT;
	bgp_meta_codes_default(&cfnd_bgp_cfg.codes);
	bgp_sel_params_default(&cfnd_bgp_cfg.sel);
	hook_register(bgp_attr_unknown_claim, cfnd_bgp_claim);
}
