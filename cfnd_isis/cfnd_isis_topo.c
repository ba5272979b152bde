// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * LSDB -> engine graph: an exact record of what each router's LSP says
 * about the topology (to tell an SPF that needs a new graph from one that
 * does not), and the graph build over isisd's LSDB (lib/lsdb_graph with
 * the iterator of cfnd_isis_lsdb.h).
 */
#include <zebra.h>

#include "memory.h"

#include "isisd/isisd.h"
#include "isisd/isis_lsp.h"

#include "cfnd_isis.h"
#include "cfnd_isis_lsdb.h"
#include "cfnd_isis_steer.h"

DEFINE_MTYPE_STATIC(CFND, CFND_TOPO_LSP, "CFN LSP topology");

int cfnd_topo_cmp(const struct cfnd_topo_lsp *a, const struct cfnd_topo_lsp *b)
{
	if (a->level != b->level)
		return a->level - b->level;
	return memcmp(a->lsp_id, b->lsp_id, sizeof(a->lsp_id));
}

/* -- topology of each LSP, compared exactly ---------------------------- */

static void topo_free(struct cfnd_topo_lsp *t)
{
	XFREE(MTYPE_CFND_TOPO_LSP, t->arcs);
	XFREE(MTYPE_CFND_TOPO_LSP, t);
}

void cfnd_topo_flush(struct cfnd_steer *st)
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
int cfnd_steer_level(const struct isis_area *area)
{
	return (area->is_type & IS_LEVEL_2) ? IS_LEVEL_2 : IS_LEVEL_1;
}

struct cfn_spf *cfnd_topo_build_graph(struct cfnd_steer *st,
				      struct isis_area *area, int level,
				      struct cfn_spf_error *err)
{
	struct build_walk b = {.st = st, .level = level};
	struct cfn_spf *c;

	/* the graph is rebuilt from the whole LSDB, and the record of each
	 * router's topology brought up to date with it */
	if (level != st->level)
		cfnd_topo_flush(st);
	st->level = level;
	st->topo_pass++;
	cfnd_lsdb_walk_init(&b.w, &area->lspdb[level - 1]);
	c = cfn_lsdb_graph(build_next, &b, NULL, err);
	cfnd_lsdb_walk_fini(&b.w);
	topo_sweep(st);
	st->topo_dirty = c == NULL;
	return c;
}
