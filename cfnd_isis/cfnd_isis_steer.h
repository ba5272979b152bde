// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Steering: after every SPF and every compute-database change, the
 * compute-weighted SPF (lib/cfn_spf) on the graph of isisd's LSDB (lib/
 * lsdb_graph) picks the best sites of every service; the decisions become
 * routes for the service prefixes in zebra, and changed ones go to the
 * ledger export (cfnd_common/cfnd_export) as finished decisions.
 */
#ifndef CFND_ISIS_STEER_H
#define CFND_ISIS_STEER_H

#include "if.h"
#include "nexthop.h"
#include "prefix.h"
#include "typesafe.h"

#include "cfn_spf.h"
#include "lsdb_graph.h"
#include "svcprefix.h"

struct cfnd_instance;
struct isis_area;
struct isis_lsp;

/* Routes of our own zebra client: isis type, this instance, distance 50. */
#define CFND_ZEBRA_INSTANCE 42
#define CFND_ROUTE_DISTANCE 50
#define CFND_MAX_SITES 8
#define CFND_MAX_NEXTHOPS 16

PREDECL_RBTREE_UNIQ(cfnd_routes);
PREDECL_RBTREE_UNIQ(cfnd_topo);

/*
 * What each router's LSP says about the topology (overload bit and IS
 * reachability, compared exactly), to tell SPFs that need a new graph from
 * SPFs caused only by new compute entries.
 */
struct cfnd_topo_lsp {
	struct cfnd_topo_item item;
	int level;
	uint8_t lsp_id[8];
	unsigned int flags;
	uint32_t narcs;
	struct cfn_lsdb_arc *arcs;
	uint64_t seen; /* full run that last saw the LSP */
};

int cfnd_topo_cmp(const struct cfnd_topo_lsp *a, const struct cfnd_topo_lsp *b);
DECLARE_RBTREE_UNIQ(cfnd_topo, struct cfnd_topo_lsp, item, cfnd_topo_cmp);

struct cfnd_nexthop {
	uint8_t sysid[6];  /* first-hop neighbor */
	int family;	   /* of gate */
	union g_addr gate; /* its address on the link */
	ifindex_t ifindex;
	char ifname[INTERFACE_NAMSIZ];
};

/* What we decided for one service prefix, and what zebra has. */
struct cfnd_route {
	struct cfnd_routes_item item;
	struct cfn_svc_prefix prefix;
	uint32_t nsites;
	uint8_t sites[CFND_MAX_SITES][6]; /* system ids, ascending */
	uint64_t cost, distance;
	uint32_t metric;
	bool local; /* we are a chosen site: no steered route */
	int nnexthops;
	struct cfnd_nexthop nexthops[CFND_MAX_NEXTHOPS];
	bool has_runner_up;
	uint8_t runner_up[6];
	uint64_t runner_up_cost;
	bool installed;
	time_t since; /* monotonic seconds of the last change of sites */
	uint32_t switches;
	uint64_t export_seq; /* last exported decision */
};

int cfnd_route_cmp(const struct cfnd_route *a, const struct cfnd_route *b);
DECLARE_RBTREE_UNIQ(cfnd_routes, struct cfnd_route, item, cfnd_route_cmp);

/* Per instance. */
struct cfnd_steer {
	struct cfn_spf *graph; /* of the last full build; NULL before */
	int level;
	uint32_t nsites; /* sites in graph, to spot non-capacity changes */
	struct cfnd_routes_head routes;
	struct thread *t_update;
	struct cfnd_topo_head topo;
	bool topo_dirty; /* an LSP changed the topology since the last build */
	uint64_t topo_pass; /* full runs that recorded topology */
	/* counters for show and the benchmarks */
	uint64_t full_runs, capacity_runs, spf_runs_kept;
	uint64_t last_full_us, last_capacity_us;
};

void cfnd_steer_init(struct cfnd_steer *st);
void cfnd_steer_fini(struct cfnd_instance *inst);
/* Applies from the next decision on; decisions already taken stand. */
void cfnd_steer_hysteresis_changed(struct cfnd_instance *inst);
/* Withdraws every steered route and forgets the graph. */
void cfnd_steer_clear(struct cfnd_instance *inst);
/* Called for every LSP event: notes whether the topology changed. */
void cfnd_steer_lsp_changed(struct cfnd_instance *inst, struct isis_lsp *lsp,
			    bool gone);

void cfnd_isis_steer_init(void);
void cfnd_isis_steer_fini(void);

/* IS-IS level whose LSDB we steer on: level 2 when the area has it. */
int cfnd_steer_level(const struct isis_area *area);

/* cfnd_isis_topo.c: LSDB -> graph; NULL with err on failure. */
struct cfn_spf *cfnd_topo_build_graph(struct cfnd_steer *st,
				      struct isis_area *area, int level,
				      struct cfn_spf_error *err);
void cfnd_topo_flush(struct cfnd_steer *st);

/* cfnd_isis_zebra.c: decisions -> zebra. */
void cfnd_route_install(struct cfnd_route *r);
void cfnd_route_uninstall(struct cfnd_route *r);
void cfnd_isis_zebra_init(void);
void cfnd_isis_zebra_fini(void);

#endif
