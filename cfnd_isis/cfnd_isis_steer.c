// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Steering glue: isisd's LSDB becomes an engine graph (lib/lsdb_graph, once
 * per topology change), the compute database its services; the engine
 * (lib/cfn_spf) picks the best sites, and the steered routes go to zebra
 * through a zebra client of our own (isis, instance 42, distance 50), so
 * they win over IS-IS's own route for the prefix (115) and over the static
 * route to a local server (60, see doc/steering.md), and vanish with the
 * module.  Plain IS-IS is never touched.  Only the services the engine
 * lists as changed get new routes and ledger records.
 */
#include <zebra.h>

#include "hook.h"
#include "memory.h"
#include "monotime.h"
#include "thread.h"
#include "zclient.h"

#include "isisd/isisd.h"
#include "isisd/isis_adjacency.h"
#include "isisd/isis_circuit.h"
#include "isisd/isis_dynhn.h"
#include "isisd/isis_lsp.h"
#include "isisd/isis_misc.h"
#include "isisd/isis_spf.h"

#include "cfnd_common/cfnd_debug.h"
#include "cfnd_common/cfnd_export.h"
#include "cfnd_isis.h"
#include "cfnd_isis_lsdb.h"
#include "cfnd_isis_steer.h"

DEFINE_MTYPE_STATIC(CFND, CFND_ROUTE, "CFN steered route");
DEFINE_MTYPE_STATIC(CFND, CFND_TOPO_LSP, "CFN LSP topology");

extern struct thread_master *master;

static struct zclient *cfnd_zclient;

int cfnd_topo_cmp(const struct cfnd_topo_lsp *a, const struct cfnd_topo_lsp *b)
{
	if (a->level != b->level)
		return a->level - b->level;
	return memcmp(a->lsp_id, b->lsp_id, sizeof(a->lsp_id));
}

int cfnd_route_cmp(const struct cfnd_route *a, const struct cfnd_route *b)
{
	const struct cfn_svc_prefix *x = &a->prefix, *y = &b->prefix;
	int c;

	if (x->afi != y->afi)
		return x->afi - y->afi;
	c = memcmp(x->addr, y->addr, sizeof(x->addr));
	return c ? c : x->plen - y->plen;
}

/* -- topology of each LSP, compared exactly ---------------------------- */

static void topo_free(struct cfnd_topo_lsp *t)
{
	XFREE(MTYPE_CFND_TOPO_LSP, t->arcs);
	XFREE(MTYPE_CFND_TOPO_LSP, t);
}

static void topo_flush(struct cfnd_steer *st)
{
	struct cfnd_topo_lsp *t;

	while ((t = cfnd_topo_pop(&st->topo)))
		topo_free(t);
}

/* Records what node says (NULL: the router is gone); true when it differs
 * from what was recorded. */
static bool topo_set(struct cfnd_steer *st, int level, const uint8_t *lsp_id,
		     const struct cfn_lsdb_node *node)
{
	struct cfnd_topo_lsp key = {.level = level}, *t;
	size_t bytes;

	memcpy(key.lsp_id, lsp_id, sizeof(key.lsp_id));
	t = cfnd_topo_find(&st->topo, &key);
	if (t)
		t->seen = st->topo_pass;
	if (!node) {
		if (!t)
			return false;
		cfnd_topo_del(&st->topo, t);
		topo_free(t);
		return true;
	}
	bytes = node->narcs * sizeof(*node->arcs);
	if (t && t->flags == node->flags && t->narcs == node->narcs &&
	    !memcmp(t->arcs, node->arcs, bytes))
		return false;
	if (!t) {
		t = XCALLOC(MTYPE_CFND_TOPO_LSP, sizeof(*t));
		*t = key;
		t->seen = st->topo_pass;
		cfnd_topo_add(&st->topo, t);
	}
	t->flags = node->flags;
	if (t->narcs != node->narcs || !t->arcs)
		t->arcs = XREALLOC(MTYPE_CFND_TOPO_LSP, t->arcs,
				   bytes ? bytes : 1);
	t->narcs = node->narcs;
	memcpy(t->arcs, node->arcs, bytes);
	return true;
}

/* Forgets the routers a full run did not see (gone from the LSDB). */
static void topo_sweep(struct cfnd_steer *st)
{
	struct cfnd_topo_lsp *t;

	frr_each_safe (cfnd_topo, &st->topo, t)
		if (t->seen != st->topo_pass) {
			cfnd_topo_del(&st->topo, t);
			topo_free(t);
		}
}

void cfnd_steer_lsp_changed(struct cfnd_instance *inst, struct isis_lsp *lsp,
			    bool gone)
{
	struct cfnd_steer *st = &cfnd_isis_of(inst)->steer;
	struct isis_lsp *lsp0 = lsp;
	struct cfnd_lsdb_walk w;
	struct cfn_lsdb_node node;

	/* only the steering level's LSDB makes the graph */
	if (st->graph && lsp->level != st->level)
		return;
	if (LSP_FRAGMENT(lsp->hdr.lsp_id)) {
		/* a fragment going away is still listed in fragment 0 */
		lsp0 = lsp->lspu.zero_lsp;
		if (gone || !lsp0) {
			st->topo_dirty = true;
			return;
		}
	}
	if ((gone && lsp0 == lsp) || !cfnd_lsp_alive(lsp0)) {
		if (topo_set(st, lsp->level, lsp0->hdr.lsp_id, NULL))
			st->topo_dirty = true;
		return;
	}
	memset(&w, 0, sizeof(w));
	cfnd_lsdb_node_of(&w, lsp0, &node);
	if (topo_set(st, lsp->level, lsp0->hdr.lsp_id, &node))
		st->topo_dirty = true;
	cfnd_lsdb_walk_fini(&w);
}

/* The LSDB walk of a full build, recording each router's topology. */
struct build_walk {
	struct cfnd_lsdb_walk w;
	struct cfnd_steer *st;
	int level;
};

static bool build_next(void *it, struct cfn_lsdb_node *node)
{
	struct build_walk *b = it;
	uint8_t lsp_id[8] = {};

	if (!cfnd_lsdb_next(&b->w, node))
		return false;
	memcpy(lsp_id, node->id, CFN_LSDB_ID_LEN);
	topo_set(b->st, b->level, lsp_id, node);
	return true;
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
	api.prefix.family = r->prefix.afi == CFN_AFI_IPV4 ? AF_INET : AF_INET6;
	api.prefix.prefixlen = r->prefix.plen;
	memcpy(&api.prefix.u.prefix, r->prefix.addr,
	       r->prefix.afi == CFN_AFI_IPV4 ? 4 : 16);
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
	struct cfnd_instance *inst;
	struct cfnd_route *r;

	/* zebra forgot our routes with our previous session */
	frr_each (cfnd_instances, &cfnd_instances, inst)
		if (inst->enabled)
			frr_each (cfnd_routes,
				  &cfnd_isis_of(inst)->steer.routes, r)
				if (r->installed)
					route_send(r, true);
}

/* -- services of the compute database --------------------------------- */

/*
 * Calls fn for every (service, site router, metric) the compute database
 * holds for the level, sites not in the graph left out; stops when fn
 * returns false and returns false then.
 */
typedef bool (*site_fn)(struct cfn_spf *c, const struct cfn_svc_prefix *svc,
			int router, uint32_t metric, void *arg);

static bool each_site(struct cfnd_instance *inst, struct cfn_spf *c, int level,
		      site_fn fn, void *arg)
{
	struct cfnd_frag *f;

	frr_each (cfnd_frags, &cfnd_isis_of(inst)->db, f) {
		int router;

		if (f->level != level || f->lsp_id[6] != 0)
			continue;
		router = cfn_lsdb_router(c, f->lsp_id);
		if (router < 0)
			continue;
		for (size_t i = 0; i < f->n_entries; i++)
			if (!fn(c, &f->entries[i].prefix, router,
				f->entries[i].metric, arg))
				return false;
	}
	return true;
}

static int service_index(const struct cfn_spf *c,
			 const struct cfn_svc_prefix *p)
{
	return cfn_spf_find_service_bin(c, p, sizeof(*p));
}

static bool add_site(struct cfn_spf *c, const struct cfn_svc_prefix *p,
		     int router, uint32_t metric, void *arg)
{
	uint32_t *n = arg;
	int svc = service_index(c, p);

	if (svc < 0)
		svc = cfn_spf_add_service_bin(c, p, sizeof(*p), NULL);
	/* the first fragment that names a site wins */
	if (svc >= 0 && cfn_spf_add_site(c, svc, router, metric, NULL) == 0)
		(*n)++;
	return true;
}

static bool set_site_metric(struct cfn_spf *c, const struct cfn_svc_prefix *p,
			    int router, uint32_t metric, void *arg)
{
	uint32_t *n = arg;
	int svc = service_index(c, p);
	int slot = svc < 0 ? -1 : cfn_spf_find_site(c, svc, router);

	if (slot < 0 || cfn_spf_set_site_metric(c, svc, slot, metric, NULL))
		return false;
	(*n)++;
	return true;
}

/*
 * Capacity-only update: the same (service, site) pairs with new metrics.
 * Returns false when the pairs changed and a full run is needed (a site
 * named twice counts twice here, so it takes full runs too).
 */
static bool update_metrics(struct cfnd_instance *inst, struct cfn_spf *c,
			   int level)
{
	uint32_t n = 0;

	return each_site(inst, c, level, set_site_metric, &n) &&
	       n == cfnd_isis_of(inst)->steer.nsites;
}

/* -- decisions to routes -------------------------------------------- */

static struct cfnd_route *route_find(struct cfnd_steer *st,
				     const struct cfn_svc_prefix *p)
{
	struct cfnd_route key = {.prefix = *p};

	return cfnd_routes_find(&st->routes, &key);
}

static struct cfnd_route *route_get(struct cfnd_steer *st,
				    const struct cfn_svc_prefix *p)
{
	struct cfnd_route *r = route_find(st, p);

	if (r)
		return r;
	r = XCALLOC(MTYPE_CFND_ROUTE, sizeof(*r));
	r->prefix = *p;
	r->since = monotime(NULL);
	cfnd_routes_add(&st->routes, r);
	return r;
}

static const uint8_t *router_sysid(const struct cfn_spf *c, uint32_t router)
{
	size_t len;

	return cfn_spf_router_id_bin(c, router, &len);
}

static void fill_nexthops(struct cfnd_steer *st, struct isis_area *area,
			  const struct cfn_spf_decision *d,
			  struct cfnd_route *r)
{
	r->nnexthops = 0;
	for (uint32_t i = 0; i < d->nnexthops; i++) {
		const uint8_t *sysid = router_sysid(st->graph, d->nexthops[i]);
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
		if (r->prefix.afi == CFN_AFI_IPV4) {
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
}

static bool same_forwarding(const struct cfnd_route *a,
			    const struct cfnd_route *b)
{
	return a->local == b->local && a->nnexthops == b->nnexthops &&
	       !memcmp(a->nexthops, b->nexthops,
		       a->nnexthops * sizeof(a->nexthops[0]));
}

/* The path of the first chosen edges: root -> ... -> first site. */
static void decision_path(const struct cfn_spf *c, uint32_t svc,
			  struct cfnd_decision *d)
{
	struct cfn_spf_edge edges[256];
	int n = cfn_spf_service_path_edges(c, svc, edges, 256, NULL);
	uint32_t at = cfn_spf_root(c);

	d->npath = 0;
	if (n < 0)
		return;
	if (n > 256)
		n = 256;
	for (int hops = 0; hops <= n && d->npath < RECORD_PATH_MAX; hops++) {
		uint32_t next = UINT32_MAX;

		if (!cfn_spf_is_pseudonode(c, at))
			strlcpy(d->path[d->npath++],
				print_sys_hostname(router_sysid(c, at)),
				sizeof(d->path[0]));
		for (int i = 0; i < n; i++)
			if (edges[i].from == at && edges[i].to < next)
				next = edges[i].to;
		if (next == UINT32_MAX)
			break;
		at = next;
	}
}

/* Hands the route's decision to the ledger export, when configured. */
static void route_export(struct cfnd_steer *st, struct cfnd_route *r, int svc)
{
	struct cfnd_decision d = {.prefix = r->prefix};
	uint64_t seq;

	if (!cfnd_export_enabled())
		return;
	for (uint32_t i = 0; i < r->nsites && i < RECORD_SITES_MAX; i++)
		strlcpy(d.sites[d.nsites++], print_sys_hostname(r->sites[i]),
			sizeof(d.sites[0]));
	d.cost = r->cost;
	d.distance = r->distance;
	d.metric = r->metric;
	if (svc >= 0 && r->nsites)
		decision_path(st->graph, svc, &d);
	seq = cfnd_export_decision(&d);
	if (seq)
		r->export_seq = seq;
}

/*
 * One service's decision into its route.  The forwarding is refreshed
 * when the engine lists the service as changed, or on a full run (an
 * adjacency may have moved under an unchanged decision).
 */
static void apply_decision(struct cfnd_steer *st, struct isis_area *area,
			   uint32_t svc, const struct cfn_spf_decision *d,
			   bool refresh)
{
	uint32_t root = cfn_spf_root(st->graph);
	const struct cfn_svc_prefix *p;
	struct cfnd_route *r, old;
	size_t len;

	p = cfn_spf_service_key_bin(st->graph, svc, &len);
	if (!p || len != sizeof(*p))
		return;
	r = route_get(st, p);
	r->cost = d->cost;
	r->distance = d->distance;
	r->metric = d->metric;
	if (!refresh && r->installed == (!r->local && r->nnexthops > 0))
		return;
	old = *r;
	r->nsites = 0;
	r->local = false;
	for (uint32_t i = 0; i < d->nsites && r->nsites < CFND_MAX_SITES; i++) {
		memcpy(r->sites[r->nsites++],
		       router_sysid(st->graph, d->sites[i]), 6);
		if (d->sites[i] == root)
			r->local = true;
	}
	if (!r->local)
		fill_nexthops(st, area, d, r);
	else
		r->nnexthops = 0;

	if (old.nsites != r->nsites ||
	    memcmp(old.sites, r->sites, r->nsites * sizeof(r->sites[0]))) {
		char buf[CFN_SVCPREFIX_STRLEN];

		r->since = monotime(NULL);
		if (old.nsites)
			r->switches++;
		if (IS_DEBUG_CFN_ROUTES)
			zlog_debug(
				"%s: %s -> %u site(s), first %s, cost %" PRIu64,
				CFND_ISIS_NAME,
				cfn_svc_prefix_str(&r->prefix, buf,
						   sizeof(buf)),
				r->nsites,
				r->nsites ? print_sys_hostname(r->sites[0])
					  : "none",
				r->cost);
		route_export(st, r, svc);
	}
	if (!same_forwarding(&old, r) || !r->installed)
		route_install(r);
}

/* Second best site of every route, for show: one pass over the database. */
static void find_runners_up(struct cfnd_instance *inst)
{
	struct cfnd_steer *st = &cfnd_isis_of(inst)->steer;
	struct cfnd_frag *f;
	struct cfnd_route *r;

	frr_each (cfnd_routes, &st->routes, r)
		r->has_runner_up = false;
	frr_each (cfnd_frags, &cfnd_isis_of(inst)->db, f) {
		int router;
		uint64_t dist;

		if (f->level != st->level || f->lsp_id[6] != 0)
			continue;
		router = cfn_lsdb_router(st->graph, f->lsp_id);
		if (router < 0)
			continue;
		dist = cfn_spf_distance(st->graph, router);
		if (dist == CFN_SPF_DIST_INF)
			continue;
		for (size_t i = 0; i < f->n_entries; i++) {
			const struct cfn_svc_entry *e = &f->entries[i];
			bool chosen = false;

			if (e->metric == CFN_METRIC_INELIGIBLE)
				continue;
			r = route_find(st, &e->prefix);
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

static void apply_all(struct cfnd_instance *inst, struct isis_area *area,
		      bool full)
{
	struct cfnd_steer *st = &cfnd_isis_of(inst)->steer;
	uint32_t nsvc = cfn_spf_service_count(st->graph), nchanged;
	const uint32_t *changed =
		cfn_spf_changed_services(st->graph, &nchanged);
	struct cfnd_route *r;
	uint32_t k = 0;

	/* the changed list is ascending, like the walk over all services */
	for (uint32_t svc = 0; svc < nsvc; svc++) {
		const struct cfn_spf_decision *d =
			cfn_spf_decision(st->graph, svc);
		bool listed = k < nchanged && changed[k] == svc;

		if (listed)
			k++;
		if (d)
			apply_decision(st, area, svc, d, full || listed);
	}
	/* Services nobody advertises any more: back to plain routing. */
	frr_each_safe (cfnd_routes, &st->routes, r) {
		if (service_index(st->graph, &r->prefix) >= 0)
			continue;
		route_uninstall(r);
		if (r->nsites) {
			r->nsites = 0;
			route_export(st, r, -1);
		}
		cfnd_routes_del(&st->routes, r);
		XFREE(MTYPE_CFND_ROUTE, r);
	}
	find_runners_up(inst);
}

static uint64_t now_us(void)
{
	struct timeval tv;

	monotime(&tv);
	return (uint64_t)tv.tv_sec * 1000000 + tv.tv_usec;
}

static void full_run(struct cfnd_instance *inst, struct isis_area *area)
{
	struct cfnd_steer *st = &cfnd_isis_of(inst)->steer;
	struct build_walk b = {.st = st};
	struct cfn_spf_error err;
	struct cfn_spf *c;
	uint32_t nsites = 0;
	int root;
	uint64_t t0 = now_us();

	b.level = steer_level(area);
	/* the graph is rebuilt from the whole LSDB, and the record of each
	 * router's topology brought up to date with it */
	if (b.level != st->level)
		topo_flush(st);
	st->level = b.level;
	st->topo_pass++;
	cfnd_lsdb_walk_init(&b.w, &area->lspdb[st->level - 1]);
	c = cfn_lsdb_graph(build_next, &b, NULL, &err);
	cfnd_lsdb_walk_fini(&b.w);
	topo_sweep(st);
	st->topo_dirty = false;
	if (!c) {
		zlog_warn("%s: area %s: no graph: %s", CFND_ISIS_NAME,
			  inst->tag, err.msg);
		st->topo_dirty = true;
		return;
	}
	each_site(inst, c, st->level, add_site, &nsites);
	st->nsites = nsites;
	cfn_spf_set_hysteresis(c, inst->hysteresis_pct, inst->hysteresis_abs,
			       NULL);
	if (st->graph)
		cfn_spf_adopt_decisions(c, st->graph, NULL);
	root = cfn_lsdb_router(c, area->isis->sysid);
	if (root < 0 || cfn_spf_run(c, root, &err)) {
		cfn_spf_free(c);
		st->topo_dirty = true; /* the graph kept is not of this LSDB */
		return;
	}
	cfn_spf_free(st->graph);
	st->graph = c;
	apply_all(inst, area, true);
	st->full_runs++;
	st->last_full_us = now_us() - t0;
	if (IS_DEBUG_CFN_ROUTES)
		zlog_debug(
			"%s: area %s: full run, %u routers, %u services, %" PRIu64
			" us",
			CFND_ISIS_NAME, inst->tag, cfn_spf_router_count(c),
			cfn_spf_service_count(c), st->last_full_us);
}

static void steer_update(struct cfnd_instance *inst, bool topology_changed)
{
	struct isis_area *area = cfnd_isis_area(inst);
	struct cfnd_steer *st = &cfnd_isis_of(inst)->steer;
	uint64_t t0 = now_us();

	if (!area || !inst->enabled)
		return;
	if (topology_changed || !st->graph || st->level != steer_level(area) ||
	    !update_metrics(inst, st->graph, st->level) ||
	    cfn_spf_update_services(st->graph, NULL)) {
		full_run(inst, area);
		return;
	}
	apply_all(inst, area, false);
	st->capacity_runs++;
	st->last_capacity_us = now_us() - t0;
}

static void steer_db_event(struct thread *t)
{
	steer_update(THREAD_ARG(t), false);
}

/* The compute database changed: capacity-only update when possible. */
static int steer_db_changed(struct cfnd_instance *inst)
{
	/* coalesce the events of one LSP burst into one update */
	thread_add_event(master, steer_db_event, inst, 0,
			 &cfnd_isis_of(inst)->steer.t_update);
	return 0;
}

static int cfnd_spf_done(struct isis_area *area, int level)
{
	struct cfnd_instance *inst = cfnd_isis_instance(area);
	struct cfnd_steer *st;

	if (!inst || level != steer_level(area))
		return 0;
	st = &cfnd_isis_of(inst)->steer;
	/* An SPF caused only by new compute entries (their LSPs change too)
	 * needs no new graph: the database event has already run, or will
	 * run, the capacity-only update. */
	if (!st->topo_dirty && st->graph) {
		st->spf_runs_kept++;
		return 0;
	}
	THREAD_OFF(st->t_update);
	steer_update(inst, true);
	return 0;
}

void cfnd_steer_hysteresis_changed(struct cfnd_instance *inst)
{
	struct cfnd_steer *st = &cfnd_isis_of(inst)->steer;

	/* the graph of the next full run gets it too (full_run) */
	if (st->graph)
		cfn_spf_set_hysteresis(st->graph, inst->hysteresis_pct,
				       inst->hysteresis_abs, NULL);
}

void cfnd_steer_init(struct cfnd_steer *st)
{
	cfnd_routes_init(&st->routes);
	cfnd_topo_init(&st->topo);
	st->topo_dirty = true;
}

void cfnd_steer_clear(struct cfnd_instance *inst)
{
	struct cfnd_steer *st = &cfnd_isis_of(inst)->steer;
	struct cfnd_route *r;

	THREAD_OFF(st->t_update);
	while ((r = cfnd_routes_pop(&st->routes))) {
		route_uninstall(r);
		XFREE(MTYPE_CFND_ROUTE, r);
	}
	cfn_spf_free(st->graph);
	st->graph = NULL;
	topo_flush(st);
	st->topo_dirty = true;
}

void cfnd_steer_fini(struct cfnd_instance *inst)
{
	struct cfnd_steer *st = &cfnd_isis_of(inst)->steer;

	cfnd_routes_fini(&st->routes);
	cfnd_topo_fini(&st->topo);
}

void cfnd_isis_steer_init(void)
{
	cfnd_zclient = zclient_new(master, &zclient_options_default, NULL, 0);
	cfnd_zclient->zebra_connected = cfnd_zebra_connected;
	zclient_init(cfnd_zclient, ZEBRA_ROUTE_ISIS, CFND_ZEBRA_INSTANCE,
		     &isisd_privs);
	hook_register(isis_spf_done_hook, cfnd_spf_done);
	hook_register(cfnd_db_changed, steer_db_changed);
}

void cfnd_isis_steer_fini(void)
{
	struct cfnd_instance *inst;

	hook_unregister(cfnd_db_changed, steer_db_changed);
	hook_unregister(isis_spf_done_hook, cfnd_spf_done);
	frr_each (cfnd_instances, &cfnd_instances, inst)
		cfnd_steer_clear(inst);
	if (cfnd_zclient) {
		zclient_stop(cfnd_zclient);
		zclient_free(cfnd_zclient);
		cfnd_zclient = NULL;
	}
}
