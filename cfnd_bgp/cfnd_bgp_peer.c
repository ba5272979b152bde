// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Per-neighbor state: "neighbor X compute-metadata" and the once-per-peer
 * fault log.  Keyed by (bgp instance, neighbor address) rather than by the
 * peer pointer so the setting outlives a neighbor deleted and re-added.
 */
#include <zebra.h>

#include "memory.h"
#include "sockunion.h"
#include "typesafe.h"

#include "bgpd/bgpd.h"
#include "bgpd/bgp_packet.h"
#include "bgpd/bgp_route.h"
#include "bgpd/bgp_updgrp.h"

#include "cfnd_bgp.h"

DEFINE_MTYPE_STATIC(CFND, CFND_BGP_NBR, "CFN BGP neighbor state");

PREDECL_DLIST(cfnd_nbrs);
struct cfnd_nbr_entry {
	struct cfnd_nbrs_item item;
	const struct bgp *bgp;
	union sockunion su;
	struct cfnd_bgp_nbr st;
};
DECLARE_DLIST(cfnd_nbrs, struct cfnd_nbr_entry, item);

static struct cfnd_nbrs_head nbrs = INIT_DLIST(nbrs);

static struct cfnd_nbr_entry *find(const struct bgp *bgp,
				   const union sockunion *su)
{
	struct cfnd_nbr_entry *e;

	frr_each (cfnd_nbrs, &nbrs, e)
		if (e->bgp == bgp && sockunion_same(&e->su, su))
			return e;
	return NULL;
}

static struct cfnd_nbr_entry *add(const struct bgp *bgp,
				  const union sockunion *su)
{
	struct cfnd_nbr_entry *e = XCALLOC(MTYPE_CFND_BGP_NBR, sizeof(*e));

	e->bgp = bgp;
	e->su = *su;
	cfnd_nbrs_add_tail(&nbrs, e);
	return e;
}

/*
 * Update groups hash, compare and encode with a "conf" copy of the peer
 * that created the group: it carries bgp, AS and the host name, not the
 * address, so the address is taken from the host name there.
 */
static const union sockunion *peer_su(const struct peer *peer,
				      union sockunion *buf)
{
	if (peer->su.sa.sa_family != AF_UNSPEC || !peer->host)
		return &peer->su;
	if (str2sockunion(peer->host, buf) < 0)
		return &peer->su;
	return buf;
}

struct cfnd_bgp_nbr *cfnd_bgp_nbr_get(const struct peer *peer, bool create)
{
	struct cfnd_nbr_entry *e;
	union sockunion buf;
	const union sockunion *su;

	if (!peer || !peer->bgp || peer == peer->bgp->peer_self)
		return NULL;
	su = peer_su(peer, &buf);
	e = find(peer->bgp, su);
	if (!e && create)
		e = add(peer->bgp, su);
	return e ? &e->st : NULL;
}

bool cfnd_bgp_nbr_enabled(const struct peer *peer)
{
	struct cfnd_bgp_nbr *n = cfnd_bgp_nbr_get(peer, false);

	return n && n->enabled;
}

void cfnd_bgp_nbr_walk(const struct bgp *bgp,
		       void (*fn)(void *arg, const char *addr,
				  struct cfnd_bgp_nbr *n),
		       void *arg)
{
	struct cfnd_nbr_entry *e;
	char addr[SU_ADDRSTRLEN];

	frr_each (cfnd_nbrs, &nbrs, e) {
		if (e->bgp != bgp)
			continue;
		sockunion2str(&e->su, addr, sizeof(addr));
		fn(arg, addr, &e->st);
	}
}

/*
 * A changed setting changes what we send (and the update group the peer
 * belongs in) and what we keep from what it sent: re-announce, and ask the
 * neighbor to send its routes again, since attributes received while
 * disabled were never kept.
 */
static void refresh(struct peer *peer)
{
	struct peer_af *paf = peer_af_find(peer, AFI_IP, SAFI_UNICAST);

	if (paf)
		update_group_adjust_peer(paf);
	if (!peer_established(peer))
		return;
	/* forced: the adj-out attr is the same, only what we add differs */
	bgp_announce_route(peer, AFI_IP, SAFI_UNICAST, true);
	if (CHECK_FLAG(peer->cap, PEER_CAP_REFRESH_OLD_RCV) ||
	    CHECK_FLAG(peer->cap, PEER_CAP_REFRESH_NEW_RCV))
		bgp_route_refresh_send(peer, AFI_IP, SAFI_UNICAST, 0, 0, 0,
				       BGP_ROUTE_REFRESH_NORMAL);
}

int cfnd_bgp_nbr_set(struct bgp *bgp, const char *addr, bool enable, char *err,
		     size_t errlen)
{
	union sockunion su;
	struct cfnd_nbr_entry *e;
	struct peer *peer;

	if (str2sockunion(addr, &su) < 0) {
		snprintf(err, errlen, "%s is not a neighbor address", addr);
		return -1;
	}
	peer = peer_lookup(bgp, &su);
	if (!peer && enable) {
		snprintf(err, errlen,
			 "no neighbor %s (configure remote-as first)", addr);
		return -1;
	}
	e = find(bgp, &su);
	if (!e && !enable)
		return 0;
	if (!e)
		e = add(bgp, &su);
	if (e->st.enabled == enable)
		return 0;
	e->st.enabled = enable;
	if (enable)
		e->st.faults_logged = 0; /* a fresh start logs faults again */
	if (peer)
		refresh(peer);
	return 0;
}

void cfnd_bgp_nbr_fini(void)
{
	struct cfnd_nbr_entry *e;

	while ((e = cfnd_nbrs_pop(&nbrs)))
		XFREE(MTYPE_CFND_BGP_NBR, e);
}
