// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Steering glue: isisd's LSDB becomes a lib/cfn_spf graph (once per SPF), the
 * compute database its services; lib/cfn_spf picks the best sites, and the steered
 * routes go to zebra through a zebra client of our own (isis, instance 42,
 * distance 50), so they win over IS-IS's own route for the prefix (115) and
 * over the static route to a local server (60, see doc/steering.md), and
 * vanish with the module.  Plain IS-IS is never touched.
 */
#include <zebra.h>

#include "command.h"
#include "hook.h"
#include "jhash.h"
#include "json.h"
#include "memory.h"
#include "monotime.h"
#include "thread.h"
#include "vty.h"
#include "zclient.h"

#include "isisd/isisd.h"
#include "isisd/isis_adjacency.h"
#include "isisd/isis_circuit.h"
#include "isisd/isis_dynhn.h"
#include "isisd/isis_lsp.h"
#include "isisd/isis_misc.h"
#include "isisd/isis_mt.h"
#include "isisd/isis_spf.h"

#include "cfnd_isis.h"
#include "cfnd_isis_debug.h"
#include "cfnd_isis_steer.h"

#ifndef VTYSH_EXTRACT_PL
#include "cfnd_isis/cfnd_isis_steer_clippy.c"
#endif

DEFINE_MTYPE_STATIC(ISISD, CFND_ROUTE, "CFN steered route");
DEFINE_MTYPE_STATIC(ISISD, CFND_GRAPH_IDS, "CFN graph router ids");
DEFINE_MTYPE_STATIC(ISISD, CFND_TOPO_LSP, "CFN LSP topology hash");

extern struct thread_master *master;

static struct zclient *cfnd_zclient;

int cfnd_topo_cmp(const struct cfnd_topo_lsp *a, const struct cfnd_topo_lsp *b)
{
	if (a->level != b->level)
		return a->level - b->level;
	return memcmp(a->lsp_id, b->lsp_id, sizeof(a->lsp_id));
}

static int hash_reach(const uint8_t *id, uint32_t metric, bool oldmetric,
		      struct isis_ext_subtlvs *subtlvs, void *arg)
{
	uint32_t *h = arg;

	*h = jhash(id, 7, *h ^ metric);
	return LSP_ITER_CONTINUE;
}

static bool lsp_alive(const struct isis_lsp *lsp)
{
	return lsp->hdr.seqno && lsp->hdr.rem_lifetime && lsp->tlvs;
}

/* A router's topology as its LSP (all fragments) states it; 0: none. */
static uint32_t topo_hash_start(const struct isis_lsp *lsp0)
{
	return jhash_1word(lsp0->hdr.lsp_bits & LSPBIT_OL, 0x43464e);
}

static void topo_set(struct cfnd_steer *st, int level, const uint8_t *id,
		     uint32_t hash)
{
	struct cfnd_topo_lsp key = {.level = level}, *t;

	memcpy(key.lsp_id, id, sizeof(key.lsp_id));
	t = cfnd_topo_find(&st->topo, &key);
	if ((t ? t->hash : 0) == hash)
		return;
	st->topo_dirty = true;
	if (!hash) {
		cfnd_topo_del(&st->topo, t);
		XFREE(MTYPE_CFND_TOPO_LSP, t);
		return;
	}
	if (!t) {
		t = XCALLOC(MTYPE_CFND_TOPO_LSP, sizeof(*t));
		*t = key;
		cfnd_topo_add(&st->topo, t);
	}
	t->hash = hash;
}

void cfnd_steer_lsp_changed(struct cfnd_area *ca, struct isis_lsp *lsp,
			    bool gone)
{
	struct cfnd_steer *st = &ca->steer;
	struct isis_lsp *lsp0 = lsp;
	uint32_t hash = 0;

	if (LSP_FRAGMENT(lsp->hdr.lsp_id)) {
		/* a fragment going away is still listed in fragment 0 */
		lsp0 = lsp->lspu.zero_lsp;
		if (gone || !lsp0) {
			st->topo_dirty = true;
			return;
		}
	}
	if (!(gone && lsp0 == lsp) && lsp_alive(lsp0)) {
		hash = topo_hash_start(lsp0);
		isis_lsp_iterate_is_reach(lsp0, ISIS_MT_IPV4_UNICAST,
					  hash_reach, &hash);
		hash |= 1;
	}
	topo_set(st, lsp->level, lsp0->hdr.lsp_id, hash);
}

int cfnd_route_cmp(const struct cfnd_route *a, const struct cfnd_route *b)
{
	return prefix_cmp(&a->prefix, &b->prefix);
}

static void id_str(const uint8_t id[7], char *buf, size_t len)
{
	snprintf(buf, len, "%02x%02x.%02x%02x.%02x%02x.%02x", id[0], id[1],
		 id[2], id[3], id[4], id[5], id[6]);
}

/* IS-IS level whose LSDB we steer on: level 2 when the area has it. */
static int steer_level(const struct isis_area *area)
{
	return (area->is_type & IS_LEVEL_2) ? IS_LEVEL_2 : IS_LEVEL_1;
}

/* -- zebra ----------------------------------------------------------- */

static void route_send(const struct cfnd_route *r, bool add)
{
	struct zapi_route api = {};

	if (!cfnd_zclient || cfnd_zclient->sock < 0)
		return;
	api.vrf_id = VRF_DEFAULT;
	api.type = ZEBRA_ROUTE_ISIS;
	api.instance = CFND_ZEBRA_INSTANCE;
	api.safi = SAFI_UNICAST;
	api.prefix = r->prefix;
	if (add) {
		SET_FLAG(api.message, ZAPI_MESSAGE_NEXTHOP);
		SET_FLAG(api.message, ZAPI_MESSAGE_DISTANCE);
		SET_FLAG(api.message, ZAPI_MESSAGE_METRIC);
		api.distance = CFND_ROUTE_DISTANCE;
		api.metric = r->cost > UINT32_MAX ? UINT32_MAX : r->cost;
		for (int i = 0; i < r->nnexthops && i < MULTIPATH_NUM; i++) {
			struct zapi_nexthop *nh = &api.nexthops[i];

			nh->vrf_id = VRF_DEFAULT;
			nh->ifindex = r->nexthops[i].ifindex;
			nh->gate = r->nexthops[i].gate;
			nh->type = r->nexthops[i].family == AF_INET
					   ? NEXTHOP_TYPE_IPV4_IFINDEX
					   : NEXTHOP_TYPE_IPV6_IFINDEX;
			api.nexthop_num++;
		}
	}
	zclient_route_send(add ? ZEBRA_ROUTE_ADD : ZEBRA_ROUTE_DELETE,
			   cfnd_zclient, &api);
}

static void route_uninstall(struct cfnd_route *r)
{
	if (r->installed)
		route_send(r, false);
	r->installed = false;
}

static void route_install(struct cfnd_route *r)
{
	if (r->local || r->nnexthops == 0) {
		route_uninstall(r);
		return;
	}
	route_send(r, true);
	r->installed = true;
}

static void cfnd_zebra_connected(struct zclient *zc)
{
	struct cfnd_area *ca;
	struct cfnd_route *r;

	/* zebra forgot our routes with our previous session */
	frr_each (cfnd_areas, &cfnd_areas, ca)
		frr_each (cfnd_routes, &ca->steer.routes, r)
			if (r->installed)
				route_send(r, true);
}

/* -- graph from the LSDB -------------------------------------------- */

struct edge {
	uint32_t from;
	uint8_t to[7];
	uint32_t to_idx;
	uint32_t metric;
};

struct edges {
	struct edge *v;
	size_t n, cap;
	uint32_t from;
	uint32_t hash; /* the router's topology hash, as in the LSP events */
};

/* A router's LSP id and its graph index, sorted by id for lookups. */
struct id_index {
	uint8_t id[7];
	uint32_t idx;
};

static int id_index_cmp(const void *a, const void *b)
{
	return memcmp(((const struct id_index *)a)->id,
		      ((const struct id_index *)b)->id, 7);
}

static int edge_cmp(const void *a, const void *b)
{
	const struct edge *x = a, *y = b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	if (x->to_idx != y->to_idx)
		return x->to_idx < y->to_idx ? -1 : 1;
	return 0;
}

static int collect_edge(const uint8_t *id, uint32_t metric, bool oldmetric,
			struct isis_ext_subtlvs *subtlvs, void *arg)
{
	struct edges *e = arg;

	if (e->n == e->cap) {
		e->cap = e->cap ? 2 * e->cap : 64;
		e->v = XREALLOC(MTYPE_TMP, e->v, e->cap * sizeof(*e->v));
	}
	e->v[e->n].from = e->from;
	memcpy(e->v[e->n].to, id, 7);
	e->v[e->n].metric = metric;
	e->n++;
	return hash_reach(id, metric, oldmetric, subtlvs, &e->hash);
}

/*
 * Links go in when both ends report them, as IS-IS's own SPF requires.
 * Sorted arrays and binary search keep this O(E log E) on large LSDBs.
 */
static void add_two_way_links(struct cfn_spf *c, struct edges *edges,
			      struct id_index *index, uint32_t nindex)
{
	struct cfn_spf_error err;
	size_t n = 0;

	for (size_t i = 0; i < edges->n; i++) {
		struct id_index key, *hit;

		memcpy(key.id, edges->v[i].to, 7);
		hit = bsearch(&key, index, nindex, sizeof(*index),
			      id_index_cmp);
		if (!hit || hit->idx == edges->v[i].from)
			continue;
		edges->v[i].to_idx = hit->idx;
		edges->v[n++] = edges->v[i];
	}
	edges->n = n;
	qsort(edges->v, n, sizeof(*edges->v), edge_cmp);
	for (size_t i = 0; i < n; i++) {
		struct edge back = {
			.from = edges->v[i].to_idx,
			.to_idx = edges->v[i].from,
		};

		if (bsearch(&back, edges->v, n, sizeof(*edges->v), edge_cmp))
			cfn_spf_add_link(c, edges->v[i].from, edges->v[i].to_idx,
				      edges->v[i].metric, &err);
	}
}

static struct cfn_spf *build_graph(struct cfnd_steer *st, struct isis_area *area,
				int level)
{
	struct cfn_spf *c = cfn_spf_new();
	struct edges edges = {};
	struct id_index *index = NULL;
	uint32_t cap = 0, nindex = 0;
	struct cfn_spf_error err;
	struct isis_lsp *lsp;
	char id[32];

	if (!c)
		return NULL;
	st->nids = 0;
	frr_each (lspdb, &area->lspdb[level - 1], lsp) {
		unsigned int flags = 0;
		int idx;

		if (LSP_FRAGMENT(lsp->hdr.lsp_id) || !lsp_alive(lsp))
			continue;
		if (LSP_PSEUDO_ID(lsp->hdr.lsp_id))
			flags |= CFN_SPF_ROUTER_PSEUDO;
		if (lsp->hdr.lsp_bits & LSPBIT_OL)
			flags |= CFN_SPF_ROUTER_OVERLOAD;
		id_str(lsp->hdr.lsp_id, id, sizeof(id));
		idx = cfn_spf_add_router(c, id, flags, &err);
		if (idx < 0)
			continue;
		if ((uint32_t)idx >= cap || nindex >= cap) {
			cap = MAX(2 * cap, MAX((uint32_t)idx, nindex) + 64);
			st->ids = XREALLOC(MTYPE_CFND_GRAPH_IDS, st->ids,
					   cap * sizeof(*st->ids));
			index = XREALLOC(MTYPE_TMP, index,
					 cap * sizeof(*index));
		}
		memcpy(st->ids[idx], lsp->hdr.lsp_id, 7);
		memcpy(index[nindex].id, lsp->hdr.lsp_id, 7);
		index[nindex++].idx = idx;
		st->nids = MAX(st->nids, (uint32_t)idx + 1);
		edges.from = idx;
		edges.hash = topo_hash_start(lsp);
		isis_lsp_iterate_is_reach(lsp, ISIS_MT_IPV4_UNICAST,
					  collect_edge, &edges);
		topo_set(st, level, lsp->hdr.lsp_id, edges.hash | 1);
	}
	qsort(index, nindex, sizeof(*index), id_index_cmp);
	add_two_way_links(c, &edges, index, nindex);
	XFREE(MTYPE_TMP, index);
	XFREE(MTYPE_TMP, edges.v);
	return c;
}

/* The router index of a site: the system id, non-pseudonode. */
static int site_router(const struct cfn_spf *c, const uint8_t sysid[6])
{
	uint8_t id7[7];
	char id[32];

	memcpy(id7, sysid, 6);
	id7[6] = 0;
	id_str(id7, id, sizeof(id));
	return cfn_spf_find_router(c, id);
}

/*
 * Calls fn for every (service, site router, metric) the compute database
 * holds for the level, sites not in the graph left out; stops when fn
 * returns false and returns false then.
 */
typedef bool (*site_fn)(struct cfn_spf *c, const char *svc_key, int router,
			uint32_t metric, void *arg);

static bool each_site(struct cfnd_area *ca, struct cfn_spf *c, int level,
		      site_fn fn, void *arg)
{
	char key[CFN_SVCPREFIX_STRLEN];
	struct cfnd_frag *f;

	frr_each (cfnd_frags, &ca->db, f) {
		int router;

		if (f->level != level || f->lsp_id[6] != 0)
			continue;
		router = site_router(c, f->lsp_id);
		if (router < 0)
			continue;
		for (size_t i = 0; i < f->n_entries; i++) {
			const struct cfn_svc_entry *e = &f->entries[i];

			cfn_svc_prefix_str(&e->prefix, key, sizeof(key));
			if (!fn(c, key, router, e->metric, arg))
				return false;
		}
	}
	return true;
}

static bool add_site(struct cfn_spf *c, const char *key, int router,
		     uint32_t metric, void *arg)
{
	uint32_t *n = arg;
	struct cfn_spf_error err;
	int svc = cfn_spf_find_service(c, key);

	if (svc < 0)
		svc = cfn_spf_add_service(c, key, &err);
	/* the first fragment that names a site wins */
	if (svc >= 0 && cfn_spf_add_site(c, svc, router, metric, &err) == 0)
		(*n)++;
	return true;
}

static bool set_site_metric(struct cfn_spf *c, const char *key, int router,
			    uint32_t metric, void *arg)
{
	uint32_t *n = arg;
	struct cfn_spf_error err;
	int svc = cfn_spf_find_service(c, key);
	int slot = svc < 0 ? -1 : cfn_spf_find_site(c, svc, router);

	if (slot < 0 || cfn_spf_set_site_metric(c, svc, slot, metric, &err))
		return false;
	(*n)++;
	return true;
}

/* Adds every advertised (service, site, metric) of the level; counts them. */
static uint32_t add_services(struct cfnd_area *ca, struct cfn_spf *c, int level)
{
	uint32_t n = 0;

	each_site(ca, c, level, add_site, &n);
	return n;
}

/*
 * Capacity-only update: the same (service, site) pairs with new metrics.
 * Returns false when the pairs changed and a full run is needed (a site
 * named twice counts twice here, so it takes full runs too).
 */
static bool update_metrics(struct cfnd_area *ca, struct cfn_spf *c, int level)
{
	uint32_t n = 0;

	return each_site(ca, c, level, set_site_metric, &n) &&
	       n == ca->steer.nsites;
}

/* -- decisions to routes -------------------------------------------- */

static struct cfnd_route *route_get(struct cfnd_steer *st,
				    const struct prefix *p)
{
	struct cfnd_route key = {}, *r;

	prefix_copy(&key.prefix, p);
	r = cfnd_routes_find(&st->routes, &key);
	if (r)
		return r;
	r = XCALLOC(MTYPE_CFND_ROUTE, sizeof(*r));
	prefix_copy(&r->prefix, p);
	r->since = monotime(NULL);
	cfnd_routes_add(&st->routes, r);
	return r;
}

static bool fill_nexthops(struct cfnd_steer *st, struct isis_area *area,
			  const struct cfn_spf_decision *d, struct cfnd_route *r)
{
	r->nnexthops = 0;
	for (uint32_t i = 0; i < d->nnexthops; i++) {
		const uint8_t *sysid = st->ids[d->nexthops[i]];
		struct isis_adjacency *adj;
		struct cfnd_nexthop *nh;

		if (r->nnexthops == CFND_MAX_NEXTHOPS)
			break;
		adj = isis_adj_find(area, st->level, sysid);
		if (!adj || !adj->circuit || !adj->circuit->interface)
			continue;
		nh = &r->nexthops[r->nnexthops];
		memset(nh, 0, sizeof(*nh));
		memcpy(nh->sysid, sysid, 6);
		nh->ifindex = adj->circuit->interface->ifindex;
		strlcpy(nh->ifname, adj->circuit->interface->name,
			sizeof(nh->ifname));
		if (r->prefix.family == AF_INET) {
			if (!adj->ipv4_address_count)
				continue;
			nh->family = AF_INET;
			nh->gate.ipv4 = adj->ipv4_addresses[0];
		} else {
			if (!adj->ll_ipv6_count)
				continue;
			nh->family = AF_INET6;
			nh->gate.ipv6 = adj->ll_ipv6_addrs[0];
		}
		r->nnexthops++;
	}
	return r->nnexthops > 0;
}

static bool same_forwarding(const struct cfnd_route *a,
			    const struct cfnd_route *b)
{
	return a->local == b->local && a->nnexthops == b->nnexthops &&
	       !memcmp(a->nexthops, b->nexthops,
		       a->nnexthops * sizeof(a->nexthops[0]));
}

static void apply_decision(struct cfnd_area *ca, struct isis_area *area,
			   uint32_t svc, const struct cfn_spf_decision *d)
{
	struct cfnd_steer *st = &ca->steer;
	struct cfn_spf *c = st->graph;
	struct cfnd_route *r, old;
	struct prefix p;
	uint32_t root = cfn_spf_root(c);

	if (str2prefix(cfn_spf_service_key(c, svc), &p) <= 0)
		return;
	r = route_get(st, &p);
	old = *r;
	r->nsites = 0;
	r->local = false;
	for (uint32_t i = 0; i < d->nsites && r->nsites < CFND_MAX_SITES; i++) {
		memcpy(r->sites[r->nsites++], st->ids[d->sites[i]], 6);
		if (d->sites[i] == root)
			r->local = true;
	}
	r->cost = d->cost;
	r->distance = d->distance;
	r->metric = d->metric;
	if (!r->local)
		fill_nexthops(st, area, d, r);
	else
		r->nnexthops = 0;
	r->has_runner_up = false;

	if (old.nsites != r->nsites ||
	    memcmp(old.sites, r->sites, r->nsites * sizeof(r->sites[0]))) {
		r->since = monotime(NULL);
		if (old.nsites)
			r->switches++;
		if (IS_DEBUG_CFN_ROUTES)
			zlog_debug(
				"%s: %pFX -> %u site(s), first %s, cost %" PRIu64,
				CFND_ISIS_NAME, &r->prefix, r->nsites,
				r->nsites ? print_sys_hostname(r->sites[0])
					  : "none",
				r->cost);
		cfnd_export_decision(ca, r);
	}
	if (!same_forwarding(&old, r) || !r->installed)
		route_install(r);
}

/* Second best site of every route, for show: one pass over the database. */
static void find_runners_up(struct cfnd_area *ca)
{
	struct cfnd_steer *st = &ca->steer;
	struct cfnd_frag *f;

	frr_each (cfnd_frags, &ca->db, f) {
		int router;
		uint64_t dist;

		if (f->level != st->level || f->lsp_id[6] != 0)
			continue;
		router = site_router(st->graph, f->lsp_id);
		if (router < 0)
			continue;
		dist = cfn_spf_distance(st->graph, router);
		if (dist == CFN_SPF_DIST_INF)
			continue;
		for (size_t i = 0; i < f->n_entries; i++) {
			const struct cfn_svc_entry *e = &f->entries[i];
			struct cfnd_route key = {}, *r;
			bool chosen = false;

			if (e->metric == CFN_METRIC_INELIGIBLE)
				continue;
			cfnd_prefix_from_svc(&e->prefix, &key.prefix);
			r = cfnd_routes_find(&st->routes, &key);
			if (!r)
				continue;
			for (uint32_t s = 0; s < r->nsites && !chosen; s++)
				chosen = !memcmp(r->sites[s], f->lsp_id, 6);
			if (chosen || (r->has_runner_up &&
				       r->runner_up_cost <= dist + e->metric))
				continue;
			r->has_runner_up = true;
			memcpy(r->runner_up, f->lsp_id, 6);
			r->runner_up_cost = dist + e->metric;
		}
	}
}

static void apply_all(struct cfnd_area *ca, struct isis_area *area)
{
	struct cfnd_steer *st = &ca->steer;
	uint32_t nsvc = cfn_spf_service_count(st->graph);
	struct cfnd_route *r;

	for (uint32_t svc = 0; svc < nsvc; svc++) {
		const struct cfn_spf_decision *d = cfn_spf_decision(st->graph, svc);

		if (d)
			apply_decision(ca, area, svc, d);
	}
	/* Services nobody advertises any more: back to plain routing. */
	frr_each_safe (cfnd_routes, &st->routes, r) {
		char key[PREFIX_STRLEN];

		prefix2str(&r->prefix, key, sizeof(key));
		if (cfn_spf_find_service(st->graph, key) >= 0)
			continue;
		route_uninstall(r);
		if (r->nsites) {
			r->nsites = 0;
			cfnd_export_decision(ca, r);
		}
		cfnd_routes_del(&st->routes, r);
		XFREE(MTYPE_CFND_ROUTE, r);
	}
	find_runners_up(ca);
}

static uint64_t now_us(void)
{
	struct timeval tv;

	monotime(&tv);
	return (uint64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

static void full_run(struct cfnd_area *ca, struct isis_area *area)
{
	struct cfnd_steer *st = &ca->steer;
	struct cfnd_topo_lsp *t;
	uint8_t self[7];
	struct cfn_spf_error err;
	struct cfn_spf *c;
	char id[32];
	int root;
	uint64_t t0 = now_us();

	st->level = steer_level(area);
	/* the graph is rebuilt from the whole LSDB, and so is the record of
	 * each router's topology */
	while ((t = cfnd_topo_pop(&st->topo)))
		XFREE(MTYPE_CFND_TOPO_LSP, t);
	c = build_graph(st, area, st->level);
	st->topo_dirty = false;
	if (!c)
		return;
	st->nsites = add_services(ca, c, st->level);
	cfn_spf_set_hysteresis(c, st->hysteresis_pct, st->hysteresis_abs, &err);
	if (st->graph)
		cfn_spf_adopt_decisions(c, st->graph, &err);
	memcpy(self, area->isis->sysid, 6);
	self[6] = 0;
	id_str(self, id, sizeof(id));
	root = cfn_spf_find_router(c, id);
	if (root < 0 || cfn_spf_run(c, root, &err)) {
		cfn_spf_free(c);
		st->topo_dirty = true; /* the graph kept is not of this LSDB */
		return;
	}
	cfn_spf_free(st->graph);
	st->graph = c;
	apply_all(ca, area);
	st->full_runs++;
	st->last_full_us = now_us() - t0;
	if (IS_DEBUG_CFN_ROUTES)
		zlog_debug(
			"%s: area %s: full run, %u routers, %u services, %" PRIu64
			" us",
			CFND_ISIS_NAME, ca->tag, cfn_spf_router_count(c),
			cfn_spf_service_count(c), st->last_full_us);
}

static void steer_update(struct cfnd_area *ca, bool topology_changed)
{
	struct isis_area *area = isis_area_lookup(ca->tag, VRF_DEFAULT);
	struct cfnd_steer *st = &ca->steer;
	struct cfn_spf_error err;
	uint64_t t0 = now_us();

	if (!area || !ca->enabled)
		return;
	if (topology_changed || !st->graph || st->level != steer_level(area) ||
	    !update_metrics(ca, st->graph, st->level) ||
	    cfn_spf_update_services(st->graph, &err)) {
		full_run(ca, area);
		return;
	}
	apply_all(ca, area);
	st->capacity_runs++;
	st->last_capacity_us = now_us() - t0;
}

static void steer_db_event(struct thread *t)
{
	steer_update(THREAD_ARG(t), false);
}

void cfnd_steer_db_changed(struct cfnd_area *ca)
{
	/* coalesce the events of one LSP burst into one update */
	thread_add_event(master, steer_db_event, ca, 0, &ca->steer.t_update);
}

static int cfnd_spf_done(struct isis_area *area, int level)
{
	struct cfnd_area *ca = cfnd_area_find(area->area_tag);

	if (ca && ca->enabled && level == steer_level(area)) {
		/* An SPF caused only by new compute entries (their LSPs change
		 * too) needs no new graph: the database event has already run,
		 * or will run, the capacity-only update. */
		if (!ca->steer.topo_dirty && ca->steer.graph) {
			ca->steer.spf_runs_kept++;
			return 0;
		}
		THREAD_OFF(ca->steer.t_update);
		steer_update(ca, true);
	}
	return 0;
}

void cfnd_steer_set_hysteresis(struct cfnd_area *ca, uint32_t pct, uint64_t abs)
{
	struct cfnd_steer *st = &ca->steer;
	struct cfn_spf_error err;

	st->hysteresis_pct = pct;
	st->hysteresis_abs = abs;
	/* the graph of the next full run gets it too (full_run) */
	if (st->graph)
		cfn_spf_set_hysteresis(st->graph, pct, abs, &err);
}

void cfnd_steer_init(struct cfnd_area *ca)
{
	cfnd_routes_init(&ca->steer.routes);
	cfnd_topo_init(&ca->steer.topo);
	ca->steer.topo_dirty = true;
}

void cfnd_steer_clear(struct cfnd_area *ca)
{
	struct cfnd_steer *st = &ca->steer;
	struct cfnd_topo_lsp *t;
	struct cfnd_route *r;

	THREAD_OFF(st->t_update);
	while ((r = cfnd_routes_pop(&st->routes))) {
		route_uninstall(r);
		XFREE(MTYPE_CFND_ROUTE, r);
	}
	cfn_spf_free(st->graph);
	st->graph = NULL;
	XFREE(MTYPE_CFND_GRAPH_IDS, st->ids);
	st->nids = 0;
	while ((t = cfnd_topo_pop(&st->topo)))
		XFREE(MTYPE_CFND_TOPO_LSP, t);
	st->topo_dirty = true;
}

/* -- show ------------------------------------------------------------- */

static void route_json(json_object *o, const struct cfnd_route *r, time_t now)
{
	json_object *sites = json_object_new_array();
	json_object *nhs = json_object_new_array();

	for (uint32_t i = 0; i < r->nsites; i++)
		json_object_array_add(sites,
				      json_object_new_string(
					      print_sys_hostname(r->sites[i])));
	json_object_object_add(o, "sites", sites);
	json_object_int_add(o, "cost", r->cost);
	json_object_int_add(o, "distance", r->distance);
	json_object_int_add(o, "metric", r->metric);
	json_object_boolean_add(o, "local", r->local);
	for (int i = 0; i < r->nnexthops; i++) {
		const struct cfnd_nexthop *nh = &r->nexthops[i];
		json_object *n = json_object_new_object();
		char addr[INET6_ADDRSTRLEN];

		inet_ntop(nh->family, &nh->gate, addr, sizeof(addr));
		json_object_string_add(n, "address", addr);
		json_object_string_add(n, "interface", nh->ifname);
		json_object_string_add(n, "neighbor",
				       print_sys_hostname(nh->sysid));
		json_object_array_add(nhs, n);
	}
	json_object_object_add(o, "nexthops", nhs);
	json_object_boolean_add(o, "installed", r->installed);
	json_object_int_add(o, "sinceSeconds", now - r->since);
	json_object_int_add(o, "switches", r->switches);
	if (r->has_runner_up) {
		json_object *ru = json_object_new_object();

		json_object_string_add(ru, "site",
				       print_sys_hostname(r->runner_up));
		json_object_int_add(ru, "cost", r->runner_up_cost);
		json_object_object_add(o, "runnerUp", ru);
	}
}

static void route_text(struct vty *vty, const struct cfnd_route *r, time_t now)
{
	char sites[128] = "", nh[256] = "";

	for (uint32_t i = 0; i < r->nsites; i++)
		snprintf(sites + strlen(sites), sizeof(sites) - strlen(sites),
			 "%s%s", i ? "," : "", print_sys_hostname(r->sites[i]));
	if (r->local)
		strlcpy(nh, "local site", sizeof(nh));
	for (int i = 0; i < r->nnexthops; i++)
		snprintfrr(nh + strlen(nh), sizeof(nh) - strlen(nh), "%s%s",
			   i ? ", " : "", r->nexthops[i].ifname);
	vty_out(vty,
		"%-24pFX %-16s %8" PRIu64 " %8" PRIu64 " %8u %-22s %6lds %4u",
		&r->prefix, r->nsites ? sites : "(none)", r->cost, r->distance,
		r->metric, nh, (long)(now - r->since), r->switches);
	if (r->has_runner_up)
		vty_out(vty, "  %s/%" PRIu64, print_sys_hostname(r->runner_up),
			r->runner_up_cost);
	vty_out(vty, "\n");
}

DEFPY(show_isis_compute_routes, show_isis_compute_routes_cmd,
      "show isis compute routes [json]$json",
      SHOW_STR
      "IS-IS information\n"
      "Computing First Networking\n"
      "Steering decisions and the routes installed for them\n" JSON_STR)
{
	json_object *top = json ? json_object_new_object() : NULL;
	time_t now = monotime(NULL);
	struct cfnd_area *ca;
	struct cfnd_route *r;

	if (!json)
		vty_out(vty, "%-24s %-16s %8s %8s %8s %-22s %7s %4s  %s\n",
			"Service", "Sites", "Cost", "Network", "Compute",
			"Nexthops", "Since", "Sw", "Runner-up/cost");
	frr_each (cfnd_areas, &cfnd_areas, ca) {
		frr_each (cfnd_routes, &ca->steer.routes, r) {
			char pfx[PREFIX_STRLEN];

			if (!json) {
				route_text(vty, r, now);
				continue;
			}
			json_object *o = json_object_new_object();

			route_json(o, r, now);
			json_object_object_add(
				top, prefix2str(&r->prefix, pfx, sizeof(pfx)),
				o);
		}
	}
	if (json)
		vty_json(vty, top);
	return CMD_SUCCESS;
}

DEFPY(show_isis_compute_statistics, show_isis_compute_statistics_cmd,
      "show isis compute statistics [json]$json",
      SHOW_STR
      "IS-IS information\n"
      "Computing First Networking\n"
      "Runs of the compute-weighted SPF\n" JSON_STR)
{
	json_object *top = json ? json_object_new_object() : NULL;
	struct cfnd_area *ca;

	frr_each (cfnd_areas, &cfnd_areas, ca) {
		struct cfnd_steer *st = &ca->steer;
		uint32_t routers = st->graph ? cfn_spf_router_count(st->graph) : 0;
		uint32_t services =
			st->graph ? cfn_spf_service_count(st->graph) : 0;

		if (!json) {
			vty_out(vty,
				"Area %s: %u routers, %u services; %" PRIu64
				" full runs (last %" PRIu64 " us), %" PRIu64
				" capacity-only updates (last %" PRIu64
				" us); database generation %" PRIu64 "\n",
				ca->tag, routers, services, st->full_runs,
				st->last_full_us, st->capacity_runs,
				st->last_capacity_us, ca->db_generation);
			continue;
		}
		json_object *o = json_object_new_object();

		json_object_int_add(o, "routers", routers);
		json_object_int_add(o, "services", services);
		json_object_int_add(o, "fullRuns", st->full_runs);
		json_object_int_add(o, "lastFullRunUs", st->last_full_us);
		json_object_int_add(o, "capacityRuns", st->capacity_runs);
		json_object_int_add(o, "spfRunsWithoutTopologyChange",
				    st->spf_runs_kept);
		json_object_int_add(o, "lastCapacityRunUs",
				    st->last_capacity_us);
		json_object_int_add(o, "databaseGeneration", ca->db_generation);
		json_object_object_add(top, ca->tag, o);
	}
	if (json)
		vty_json(vty, top);
	return CMD_SUCCESS;
}

void cfnd_isis_steer_vty_init(void)
{
	install_element(VIEW_NODE, &show_isis_compute_routes_cmd);
	install_element(VIEW_NODE, &show_isis_compute_statistics_cmd);
}

void cfnd_isis_steer_init(void)
{
	cfnd_zclient = zclient_new(master, &zclient_options_default, NULL, 0);
	cfnd_zclient->zebra_connected = cfnd_zebra_connected;
	zclient_init(cfnd_zclient, ZEBRA_ROUTE_ISIS, CFND_ZEBRA_INSTANCE,
		     &isisd_privs);
	hook_register(isis_spf_done_hook, cfnd_spf_done);
}

void cfnd_isis_steer_fini(void)
{
	struct cfnd_area *ca;

	hook_unregister(isis_spf_done_hook, cfnd_spf_done);
	frr_each (cfnd_areas, &cfnd_areas, ca)
		cfnd_steer_clear(ca);
	if (cfnd_zclient) {
		zclient_stop(cfnd_zclient);
		zclient_free(cfnd_zclient);
		cfnd_zclient = NULL;
	}
}
