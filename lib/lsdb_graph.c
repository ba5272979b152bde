// SPDX-License-Identifier: GPL-2.0-or-later
/* LSDB -> engine graph; see lsdb_graph.h. */
#include "lsdb_graph.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"

struct arc {
	uint32_t from, to;
	uint32_t metric;
};

/* Arcs with their far end resolved, the far end still to be found. */
struct pending {
	struct arc *v;
	uint8_t (*to)[CFN_LSDB_ID_LEN];
	uint32_t n, cap, cap_to;
};

static int collect(struct pending *p, uint32_t from,
		   const struct cfn_lsdb_node *node)
{
	if (cfn_grow(&p->v, &p->cap, p->n + node->narcs, sizeof(*p->v), 64) ||
	    cfn_grow(&p->to, &p->cap_to, p->n + node->narcs, sizeof(*p->to),
		     64))
		return -1;
	for (uint32_t i = 0; i < node->narcs; i++) {
		p->v[p->n].from = from;
		p->v[p->n].metric = node->arcs[i].metric;
		memcpy(p->to[p->n], node->arcs[i].to, CFN_LSDB_ID_LEN);
		p->n++;
	}
	return 0;
}

/*
 * Links go in when both ends report them, as IS-IS's own SPF requires.
 * The arcs, grouped by their first router, are indexed by it, so the
 * reverse of u->v is looked for among v's few arcs only: O(arcs x degree).
 */
static int add_two_way(struct cfn_spf *c, struct pending *p,
		       struct cfn_lsdb_stats *stats, struct cfn_spf_error *err)
{
	uint32_t nr = cfn_spf_router_count(c), n = 0;
	uint32_t *start = calloc((size_t)nr + 1, sizeof(*start));

	if (!start)
		return cfn_spf_set_error(err, CFN_SPF_ENOMEM, "out of memory");
	for (uint32_t i = 0; i < p->n; i++) {
		int to = cfn_spf_find_router_bin(c, p->to[i], CFN_LSDB_ID_LEN);

		if (to < 0 || (uint32_t)to == p->v[i].from)
			continue;
		p->v[n] = p->v[i];
		p->v[n++].to = (uint32_t)to;
	}
	/* collected node after node: already grouped by from, ascending */
	for (uint32_t i = 0; i < n; i++)
		start[p->v[i].from + 1]++;
	for (uint32_t r = 0; r < nr; r++)
		start[r + 1] += start[r];
	for (uint32_t i = 0; i < n; i++) {
		uint32_t u = p->v[i].from, v = p->v[i].to;
		bool back = false;
		int rc;

		for (uint32_t j = start[v]; j < start[v + 1] && !back; j++)
			back = p->v[j].to == u;
		if (!back)
			continue;
		rc = cfn_spf_add_link(c, u, v, p->v[i].metric, err);
		if (rc) {
			free(start);
			return rc;
		}
		stats->links++;
	}
	free(start);
	return 0;
}

struct cfn_spf *cfn_lsdb_graph(cfn_lsdb_next_fn next, void *it,
			       struct cfn_lsdb_stats *stats,
			       struct cfn_spf_error *err)
{
	struct cfn_lsdb_stats local;
	struct cfn_spf *c = cfn_spf_new();
	struct pending p = {};
	struct cfn_lsdb_node node;

	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	if (!c) {
		cfn_spf_set_error(err, CFN_SPF_ENOMEM, "out of memory");
		return NULL;
	}
	while (next(it, &node)) {
		int idx = cfn_spf_add_router_bin(c, node.id, CFN_LSDB_ID_LEN,
						 node.flags, NULL);

		if (idx < 0)
			continue; /* a repeated id: the first one stands */
		stats->nodes++;
		stats->arcs += node.narcs;
		if (collect(&p, (uint32_t)idx, &node)) {
			cfn_spf_set_error(err, CFN_SPF_ENOMEM, "out of memory");
			goto fail;
		}
	}
	if (add_two_way(c, &p, stats, err))
		goto fail;
	free(p.v);
	free(p.to);
	return c;
fail:
	free(p.v);
	free(p.to);
	cfn_spf_free(c);
	return NULL;
}

int cfn_lsdb_router(const struct cfn_spf *c, const uint8_t sysid[6])
{
	uint8_t id[CFN_LSDB_ID_LEN] = {};

	memcpy(id, sysid, 6);
	return cfn_spf_find_router_bin(c, id, CFN_LSDB_ID_LEN);
}
