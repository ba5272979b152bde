// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Link-state database -> SPF engine graph, as a pure function over an
 * iterator of nodes (an IS-IS router or pseudonode with the IS
 * reachability of all its LSP fragments).  The module walks isisd's LSDB
 * with it, the unit tests and the synthetic-LSDB test module walk arrays;
 * the graph is the same.
 */
#ifndef CFN_LSDB_GRAPH_H
#define CFN_LSDB_GRAPH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cfn_spf.h"

/* System id (6 bytes) + pseudonode id: the engine's router key. */
#define CFN_LSDB_ID_LEN 7

/* One IS reachability of a node. */
struct cfn_lsdb_arc {
	uint8_t to[CFN_LSDB_ID_LEN];
	uint32_t metric;
};

/* What the LSDB says about one node. */
struct cfn_lsdb_node {
	uint8_t id[CFN_LSDB_ID_LEN];
	unsigned int flags; /* CFN_SPF_ROUTER_OVERLOAD, _PSEUDO */
	const struct cfn_lsdb_arc *arcs;
	uint32_t narcs;
};

/*
 * The iterator: fills *node with the next live node and returns true, or
 * returns false at the end.  node->arcs stays valid until the next call.
 */
typedef bool (*cfn_lsdb_next_fn)(void *it, struct cfn_lsdb_node *node);

/* What a build found, for show and the benchmarks. */
struct cfn_lsdb_stats {
	uint32_t nodes;
	uint64_t arcs;	/* as the nodes report them */
	uint64_t links; /* two-way: reported by both ends, in the graph */
};

/*
 * A new graph: one router per node (key: its 7-byte id, first one wins
 * when an id repeats), one directed link per arc whose far end reports the
 * reverse arc (IS-IS's two-way check; arcs to unknown nodes or to the node
 * itself are left out).  O(arcs log arcs).  NULL with err on failure;
 * stats may be NULL.
 */
struct cfn_spf *cfn_lsdb_graph(cfn_lsdb_next_fn next, void *it,
			       struct cfn_lsdb_stats *stats,
			       struct cfn_spf_error *err);

/* The router index of a site's system id (its non-pseudonode), or -1. */
int cfn_lsdb_router(const struct cfn_spf *c, const uint8_t sysid[6]);

#endif
