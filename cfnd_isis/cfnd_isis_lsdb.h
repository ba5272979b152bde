// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * isisd's LSDB as the iterator of lib/lsdb_graph: one node per live LSP
 * (fragment 0; isis_lsp_iterate_is_reach() walks its fragments), its
 * overload bit and IS reachability.  Header-only so the synthetic-LSDB
 * test module walks the LSDB with the very same code as cfnd_isis.
 */
#ifndef CFND_ISIS_LSDB_H
#define CFND_ISIS_LSDB_H

#include "memory.h"

#include "isisd/isisd.h"
#include "isisd/isis_lsp.h"
#include "isisd/isis_mt.h"

#include "lsdb_graph.h"

struct cfnd_lsdb_walk {
	struct lspdb_head *head;
	struct isis_lsp *cur;
	struct cfn_lsdb_arc *arcs;
	uint32_t n, cap;
};

static inline bool cfnd_lsp_alive(const struct isis_lsp *lsp)
{
	return lsp->hdr.seqno && lsp->hdr.rem_lifetime && lsp->tlvs;
}

static inline int cfnd_lsdb_arc(const uint8_t *id, uint32_t metric,
				bool oldmetric,
				struct isis_ext_subtlvs *subtlvs, void *arg)
{
	struct cfnd_lsdb_walk *w = arg;

	if (w->n == w->cap) {
		w->cap = w->cap ? 2 * w->cap : 64;
		w->arcs =
			XREALLOC(MTYPE_TMP, w->arcs, w->cap * sizeof(*w->arcs));
	}
	memcpy(w->arcs[w->n].to, id, CFN_LSDB_ID_LEN);
	w->arcs[w->n++].metric = metric;
	return LSP_ITER_CONTINUE;
}

/* The node an LSP (fragment 0, alive) states; arcs valid until next use. */
static inline void cfnd_lsdb_node_of(struct cfnd_lsdb_walk *w,
				     struct isis_lsp *lsp,
				     struct cfn_lsdb_node *node)
{
	memcpy(node->id, lsp->hdr.lsp_id, CFN_LSDB_ID_LEN);
	node->flags = 0;
	if (LSP_PSEUDO_ID(lsp->hdr.lsp_id))
		node->flags |= CFN_SPF_ROUTER_PSEUDO;
	if (lsp->hdr.lsp_bits & LSPBIT_OL)
		node->flags |= CFN_SPF_ROUTER_OVERLOAD;
	w->n = 0;
	isis_lsp_iterate_is_reach(lsp, ISIS_MT_IPV4_UNICAST, cfnd_lsdb_arc, w);
	node->arcs = w->arcs;
	node->narcs = w->n;
}

static inline void cfnd_lsdb_walk_init(struct cfnd_lsdb_walk *w,
				       struct lspdb_head *head)
{
	memset(w, 0, sizeof(*w));
	w->head = head;
	w->cur = lspdb_first(head);
}

static inline void cfnd_lsdb_walk_fini(struct cfnd_lsdb_walk *w)
{
	XFREE(MTYPE_TMP, w->arcs);
}

/* cfn_lsdb_next_fn over isisd's LSDB of one level. */
static inline bool cfnd_lsdb_next(void *it, struct cfn_lsdb_node *node)
{
	struct cfnd_lsdb_walk *w = it;
	struct isis_lsp *lsp;

	while ((lsp = w->cur)) {
		w->cur = lspdb_next(w->head, lsp);
		if (LSP_FRAGMENT(lsp->hdr.lsp_id) || !cfnd_lsp_alive(lsp))
			continue;
		cfnd_lsdb_node_of(w, lsp, node);
		return true;
	}
	return false;
}

#endif
