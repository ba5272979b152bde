// SPDX-License-Identifier: GPL-2.0-or-later
/* LSDB -> engine graph (lib/lsdb_graph): the two-way check and the keys. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>
#include <cmocka.h>

#include "lsdb_graph.h"

/* An LSDB as arrays: the iterator the unit tests walk. */
struct lsdb {
	const struct cfn_lsdb_node *nodes;
	uint32_t n, at;
};

static bool next_node(void *it, struct cfn_lsdb_node *node)
{
	struct lsdb *db = it;

	if (db->at == db->n)
		return false;
	*node = db->nodes[db->at++];
	return true;
}

#define ID(x)                                                                  \
	{                                                                      \
		0, 0, 0, 0, 0, (x), 0                                          \
	}
#define PSN(x, p)                                                              \
	{                                                                      \
		0, 0, 0, 0, 0, (x), (p)                                        \
	}

static const uint8_t id_a[7] = ID(1), id_b[7] = ID(2), id_c[7] = ID(3),
		     id_d[7] = ID(4), id_p[7] = PSN(2, 1);

static struct cfn_spf *build(const struct cfn_lsdb_node *nodes, uint32_t n,
			     struct cfn_lsdb_stats *st)
{
	struct lsdb db = {.nodes = nodes, .n = n};
	struct cfn_spf_error err;
	struct cfn_spf *c = cfn_lsdb_graph(next_node, &db, st, &err);

	assert_non_null(c);
	return c;
}

static int idx(const struct cfn_spf *c, const uint8_t id[7])
{
	return cfn_spf_find_router_bin(c, id, 7);
}

/* A-B reported both ways is a link; A->C reported by A only is not; an arc
 * to an unknown node and an arc to oneself are ignored. */
static void two_way_only(void **state)
{
	const struct cfn_lsdb_arc a[] = {
		{ID(2), 10}, {ID(3), 5}, {ID(9), 1}, {ID(1), 1}};
	const struct cfn_lsdb_arc b[] = {{ID(1), 20}};
	const struct cfn_lsdb_arc c3[] = {{ID(2), 7}};
	const struct cfn_lsdb_node nodes[] = {
		{.id = ID(1), .arcs = a, .narcs = 4},
		{.id = ID(2), .arcs = b, .narcs = 1},
		{.id = ID(3), .arcs = c3, .narcs = 1},
	};
	struct cfn_lsdb_stats st;
	struct cfn_spf_error err;
	struct cfn_spf *c = build(nodes, 3, &st);

	assert_int_equal(st.nodes, 3);
	assert_int_equal(st.arcs, 6);
	assert_int_equal(st.links, 2); /* A->B and B->A */
	assert_int_equal(cfn_spf_link_count(c), 2);
	assert_int_equal(cfn_spf_run(c, idx(c, id_a), &err), 0);
	assert_int_equal(cfn_spf_distance(c, idx(c, id_b)), 10);
	assert_true(cfn_spf_distance(c, idx(c, id_c)) == CFN_SPF_DIST_INF);
	cfn_spf_free(c);
}

/* Flags go through; a pseudonode is a router keyed by its 7-byte id; a
 * repeated id keeps the first node. */
static void flags_and_keys(void **state)
{
	const struct cfn_lsdb_arc a[] = {{PSN(2, 1), 10}};
	const struct cfn_lsdb_arc p[] = {{ID(1), 0}, {ID(4), 0}};
	const struct cfn_lsdb_arc d[] = {{PSN(2, 1), 3}};
	const struct cfn_lsdb_node nodes[] = {
		{.id = ID(1), .arcs = a, .narcs = 1},
		{.id = PSN(2, 1),
		 .flags = CFN_SPF_ROUTER_PSEUDO,
		 .arcs = p,
		 .narcs = 2},
		{.id = ID(4),
		 .flags = CFN_SPF_ROUTER_OVERLOAD,
		 .arcs = d,
		 .narcs = 1},
		{.id = ID(4), .arcs = NULL, .narcs = 0},
	};
	struct cfn_lsdb_stats st;
	struct cfn_spf_error err;
	struct cfn_spf *c = build(nodes, 4, &st);
	size_t len;
	const uint8_t *key;

	assert_int_equal(st.nodes, 3);
	assert_int_equal(cfn_spf_router_count(c), 3);
	assert_true(cfn_spf_is_pseudonode(c, idx(c, id_p)));
	assert_int_equal(cfn_spf_router_flags(c, idx(c, id_d)),
			 CFN_SPF_ROUTER_OVERLOAD);
	key = cfn_spf_router_id_bin(c, idx(c, id_p), &len);
	assert_int_equal(len, 7);
	assert_memory_equal(key, id_p, 7);
	assert_int_equal(cfn_lsdb_router(c, id_d), idx(c, id_d));
	assert_int_equal(cfn_spf_run(c, idx(c, id_a), &err), 0);
	/* through the pseudonode: 10 + 0 */
	assert_int_equal(cfn_spf_distance(c, idx(c, id_d)), 10);
	cfn_spf_free(c);
}

/* Binary keys may hold NUL bytes and differ only after one. */
static void binary_keys(void **state)
{
	const struct cfn_lsdb_node nodes[] = {
		{.id = {0, 0, 0, 0, 0, 0, 0}},
		{.id = {0, 0, 0, 0, 0, 0, 1}},
	};
	struct cfn_spf *c = build(nodes, 2, NULL);
	const uint8_t zero[7] = {0}, one[7] = {0, 0, 0, 0, 0, 0, 1};

	assert_int_equal(cfn_spf_router_count(c), 2);
	assert_int_equal(idx(c, zero), 0);
	assert_int_equal(idx(c, one), 1);
	assert_int_equal(cfn_spf_find_router_bin(c, zero, 6), -1);
	cfn_spf_free(c);
}

/* A random LSDB against the plain definition: an arc is a link when its
 * reverse arc exists (checked by scanning every arc). */
static void random_against_naive(void **state)
{
	enum { N = 60, MAXA = 8 };
	static struct cfn_lsdb_arc arcs[N][MAXA];
	static struct cfn_lsdb_node nodes[N];
	uint64_t rng = 42, want = 0;
	struct cfn_lsdb_stats st;

	for (int i = 0; i < N; i++) {
		uint8_t id[7] = {0, 0, 0, 0, (uint8_t)(i >> 8), (uint8_t)i, 0};

		memcpy(nodes[i].id, id, 7);
		nodes[i].arcs = arcs[i];
		nodes[i].narcs = 0;
		for (int k = 0; k < MAXA; k++) {
			rng = rng * 6364136223846793005ULL +
			      1442695040888963407ULL;
			int to =
				(int)((rng >> 33) % (N + 5)); /* some unknown */

			if (rng & (1ULL << 20))
				continue;
			arcs[i][nodes[i].narcs].to[4] = (uint8_t)(to >> 8);
			arcs[i][nodes[i].narcs].to[5] = (uint8_t)to;
			arcs[i][nodes[i].narcs].metric = (uint32_t)(k + 1);
			nodes[i].narcs++;
		}
	}
	for (int i = 0; i < N; i++)
		for (uint32_t a = 0; a < nodes[i].narcs; a++) {
			int to = arcs[i][a].to[4] << 8 | arcs[i][a].to[5];
			bool back = false;

			if (to >= N || to == i)
				continue;
			for (uint32_t b = 0; b < nodes[to].narcs && !back; b++)
				back = (arcs[to][b].to[4] << 8 |
					arcs[to][b].to[5]) == i;
			want += back;
		}
	struct cfn_spf *c = build(nodes, N, &st);

	assert_int_equal(st.links, want);
	assert_int_equal(cfn_spf_link_count(c), want);
	cfn_spf_free(c);
}

static bool empty_next(void *it, struct cfn_lsdb_node *node)
{
	return false;
}

static void empty_lsdb(void **state)
{
	struct cfn_spf_error err;
	struct cfn_spf *c = cfn_lsdb_graph(empty_next, NULL, NULL, &err);

	assert_non_null(c);
	assert_int_equal(cfn_spf_router_count(c), 0);
	cfn_spf_free(c);
	(void)id_c;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(two_way_only),
		cmocka_unit_test(flags_and_keys),
		cmocka_unit_test(binary_keys),
		cmocka_unit_test(empty_lsdb),
		cmocka_unit_test(random_against_naive),
	};

	return cmocka_run_group_tests_name("lsdb_graph", tests, NULL, NULL);
}
