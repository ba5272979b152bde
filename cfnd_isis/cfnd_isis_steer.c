// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Steering runs: after a topology change a full run on a new graph
 * (cfnd_isis_topo.c), after a compute-database change a capacity-only
 * update; the engine (lib/cfn_spf) picks the best sites, and only the
 * services it lists as changed get new routes (cfnd_isis_zebra.c) and
 * ledger records (a finished decision to cfnd_common/cfnd_export).  Plain
 * IS-IS is never touched.
 */
#include <zebra.h>

#include "hook.h"
#include "memory.h"
#include "monotime.h"
#include "thread.h"

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
#include "cfnd_isis_steer.h"

DEFINE_MTYPE_STATIC(CFND, CFND_ROUTE, "CFN steered route");

extern struct thread_master *master;

int cfnd_route_cmp(const struct cfnd_route *a, const struct cfnd_route *b)
{
	const struct cfn_svc_prefix *x = &a->prefix, *y = &b->prefix;
	int c;

	if (x->afi != y->afi)
		return x->afi - y->afi;
	c = memcmp(x->addr, y->addr, sizeof(x->addr));
	return c ? c : x->plen - y->plen;
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
		cfnd_route_install(r);
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
		cfnd_route_uninstall(r);
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
	struct cfn_spf_error err;
	struct cfn_spf *c;
	uint32_t nsites = 0;
	int root;
	uint64_t t0 = now_us();

	c = cfnd_topo_build_graph(st, area, cfnd_steer_level(area), &err);
	if (!c) {
		zlog_warn("%s: area %s: no graph: %s", CFND_ISIS_NAME,
			  inst->tag, err.msg);
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
	if (topology_changed || !st->graph ||
	    st->level != cfnd_steer_level(area) ||
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

	if (!inst || level != cfnd_steer_level(area))
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
		cfnd_route_uninstall(r);
		XFREE(MTYPE_CFND_ROUTE, r);
	}
	cfn_spf_free(st->graph);
	st->graph = NULL;
	cfnd_topo_flush(st);
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
	cfnd_isis_zebra_init();
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
	cfnd_isis_zebra_fini();
}
