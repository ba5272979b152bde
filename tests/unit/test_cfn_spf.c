// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Unit and property tests for the compute-weighted SPF (lib/cfn_spf).
 * Random graphs are seeded, so every failure reproduces.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cfn_spf.h"

/* ---- helpers ------------------------------------------------------- */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n)
{
	/* xorshift64*: tiny, seedable, good enough for test graphs. */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (uint32_t)((rng_state * 2685821657736338717ull) >> 33) % n;
}

static struct cfn_spf *mk(int n)
{
	struct cfn_spf *c = cfn_spf_new();
	char id[16];

	assert_non_null(c);
	for (int i = 0; i < n; i++) {
		snprintf(id, sizeof(id), "r%d", i);
		assert_int_equal(cfn_spf_add_router(c, id, 0, NULL), i);
	}
	return c;
}

static void link2(struct cfn_spf *c, uint32_t a, uint32_t b, uint32_t m)
{
	assert_int_equal(cfn_spf_add_link(c, a, b, m, NULL), CFN_SPF_OK);
	assert_int_equal(cfn_spf_add_link(c, b, a, m, NULL), CFN_SPF_OK);
}

/* First hops of r as a bitmask (routers < 64). */
static uint64_t nh_mask(const struct cfn_spf *c, uint32_t r)
{
	uint32_t v[64], n = cfn_spf_nexthops(c, r, v, 64);
	uint64_t m = 0;

	assert_true(n <= 64);
	for (uint32_t i = 0; i < n; i++) {
		if (i)
			assert_true(v[i - 1] < v[i]); /* sorted, unique */
		m |= 1ull << v[i];
	}
	return m;
}

static uint64_t mask_of(const uint32_t *v, uint32_t n)
{
	uint64_t m = 0;

	for (uint32_t i = 0; i < n; i++)
		m |= 1ull << v[i];
	return m;
}

static void run(struct cfn_spf *c, uint32_t root)
{
	struct cfn_spf_error err;

	assert_int_equal(cfn_spf_run(c, root, &err), CFN_SPF_OK);
}

/* ---- graph building and errors --------------------------------------- */

static void test_build_errors(void **state)
{
	struct cfn_spf *c = mk(3);
	struct cfn_spf_error err;
	int s;

	assert_int_equal(cfn_spf_add_router(c, "r1", 0, &err), CFN_SPF_EEXIST);
	assert_non_null(strstr(err.msg, "duplicate router \"r1\""));
	assert_int_equal(cfn_spf_add_router(c, "", 0, &err), CFN_SPF_EINVAL);
	assert_int_equal(cfn_spf_add_router(c, "x", 0x80, &err),
			 CFN_SPF_EINVAL);
	assert_int_equal(cfn_spf_add_link(c, 0, 7, 1, &err), CFN_SPF_ENOENT);
	assert_int_equal(cfn_spf_add_link(c, 1, 1, 1, &err), CFN_SPF_EINVAL);
	assert_int_equal(cfn_spf_find_router(c, "r2"), 2);
	assert_int_equal(cfn_spf_find_router(c, "nope"), -1);
	assert_string_equal(cfn_spf_router_id(c, 1), "r1");
	assert_null(cfn_spf_router_id(c, 3));

	s = cfn_spf_add_service(c, "203.0.113.1/32", &err);
	assert_int_equal(s, 0);
	assert_int_equal(cfn_spf_add_service(c, "203.0.113.1/32", &err),
			 CFN_SPF_EEXIST);
	assert_int_equal(cfn_spf_add_site(c, 0, 2, 5, &err), CFN_SPF_OK);
	assert_int_equal(cfn_spf_add_site(c, 0, 2, 6, &err), CFN_SPF_EEXIST);
	assert_int_equal(cfn_spf_add_site(c, 1, 2, 6, &err), CFN_SPF_ENOENT);
	assert_int_equal(cfn_spf_add_site(c, 0, 9, 6, &err), CFN_SPF_ENOENT);
	assert_int_equal(cfn_spf_set_service_metric(c, 0, 1, 3, &err),
			 CFN_SPF_ENOENT);
	assert_int_equal(cfn_spf_find_site(c, 0, 2), 0);
	assert_int_equal(cfn_spf_find_site(c, 0, 1), CFN_SPF_ENOENT);
	assert_int_equal(cfn_spf_find_site(c, 7, 2), CFN_SPF_ENOENT);
	assert_int_equal(cfn_spf_set_site_metric(c, 0, 1, 3, &err),
			 CFN_SPF_ENOENT);
	assert_int_equal(cfn_spf_set_site_metric(c, 0, 0, 3, &err), CFN_SPF_OK);
	assert_int_equal(cfn_spf_set_hysteresis(c, 101, 0, &err),
			 CFN_SPF_ERANGE);

	/* Nothing computed yet. */
	assert_int_equal(cfn_spf_update_services(c, &err), CFN_SPF_ESTATE);
	assert_null(cfn_spf_decision(c, 0));
	assert_int_equal(cfn_spf_distance(c, 0), CFN_SPF_DIST_INF);
	assert_int_equal(cfn_spf_run(c, 5, &err), CFN_SPF_ENOENT);
	assert_true(cfn_spf_memory_usage(c) > 0);
	assert_string_equal(cfn_spf_strerror(CFN_SPF_ENOENT), "not found");
	cfn_spf_free(c);
	cfn_spf_free(NULL);
}

/* ---- SPF semantics ------------------------------------------------------ */

/*
 *      r1 --10-- r2 --10-- r4
 *       \                 /
 *        5--- r3 ---15---
 */
static void test_ecmp_and_limit(void **state)
{
	struct cfn_spf *c = mk(5);

	link2(c, 1, 2, 10);
	link2(c, 2, 4, 10);
	link2(c, 1, 3, 5);
	link2(c, 3, 4, 15);
	link2(c, 0, 1, 1);
	run(c, 1);
	assert_int_equal(cfn_spf_distance(c, 4), 20);
	assert_int_equal(nh_mask(c, 4), (1 << 2) | (1 << 3));
	assert_int_equal(nh_mask(c, 2), 1 << 2);
	assert_int_equal(cfn_spf_distance(c, 1), 0);
	assert_int_equal(nh_mask(c, 1), 0);

	cfn_spf_set_ecmp_limit(c, 1);
	run(c, 1);
	assert_int_equal(nh_mask(c, 4), 1 << 2); /* lowest index kept */
	cfn_spf_set_ecmp_limit(c, CFN_SPF_ECMP_UNLIMITED);
	run(c, 1);
	assert_int_equal(nh_mask(c, 4), (1 << 2) | (1 << 3));
	cfn_spf_free(c);
}

static void test_parallel_and_directed(void **state)
{
	struct cfn_spf *c = mk(3);

	assert_int_equal(cfn_spf_add_link(c, 0, 1, 30, NULL), CFN_SPF_OK);
	assert_int_equal(cfn_spf_add_link(c, 0, 1, 7, NULL), CFN_SPF_OK);
	assert_int_equal(cfn_spf_add_link(c, 1, 0, 2, NULL), CFN_SPF_OK);
	assert_int_equal(cfn_spf_add_link(c, 1, 2, 1, NULL), CFN_SPF_OK);
	run(c, 0);
	assert_int_equal(cfn_spf_distance(c, 1), 7);
	assert_int_equal(cfn_spf_distance(c, 2), 8);
	run(c, 2);
	assert_int_equal(cfn_spf_distance(c, 0),
			 CFN_SPF_DIST_INF); /* no 2->1 */
	run(c, 1);
	assert_int_equal(cfn_spf_distance(c, 0), 2);
	cfn_spf_free(c);
}

/* Overload: no transit, but a destination whose services are eligible. */
static void test_overload(void **state)
{
	struct cfn_spf *c = mk(4);
	const struct cfn_spf_decision *d;
	int s;

	/* r0 - r1(OL) - r3 cheap; r0 - r2 - r3 expensive. */
	link2(c, 0, 1, 1);
	link2(c, 1, 3, 1);
	link2(c, 0, 2, 10);
	link2(c, 2, 3, 10);
	s = cfn_spf_add_service(c, "svc", NULL);
	assert_int_equal(cfn_spf_add_site(c, s, 1, 100, NULL), CFN_SPF_OK);
	assert_int_equal(cfn_spf_add_site(c, s, 3, 100, NULL), CFN_SPF_OK);
	run(c, 0);
	assert_int_equal(cfn_spf_distance(c, 3), 2);
	assert_int_equal(
		cfn_spf_set_router_flags(c, 1, CFN_SPF_ROUTER_OVERLOAD, NULL),
		CFN_SPF_OK);
	run(c, 0);
	assert_int_equal(cfn_spf_distance(c, 1), 1);
	assert_int_equal(nh_mask(c, 1), 1 << 1);
	assert_int_equal(cfn_spf_distance(c, 3), 20);
	assert_int_equal(nh_mask(c, 3), 1 << 2);
	d = cfn_spf_decision(c, s);
	assert_non_null(d);
	assert_int_equal(d->nsites, 1);
	assert_int_equal(d->sites[0], 1); /* hosted on the overloaded one */
	assert_int_equal(d->cost, 101);
	/* An overloaded root still uses its own links. */
	run(c, 1);
	assert_int_equal(cfn_spf_distance(c, 3), 1);
	assert_int_equal(cfn_spf_distance(c, 2), 11);
	cfn_spf_free(c);
}

static void test_unreachable_and_ineligible(void **state)
{
	struct cfn_spf *c = mk(4);
	const struct cfn_spf_decision *d;
	int s1, s2;

	link2(c, 0, 1, 3);
	link2(c, 1, 2, 3);
	/* r3 is an island. */
	s1 = cfn_spf_add_service(c, "a", NULL);
	s2 = cfn_spf_add_service(c, "b", NULL);
	cfn_spf_add_site(c, s1, 3, 1, NULL); /* unreachable */
	cfn_spf_add_site(c, s1, 2, CFN_SPF_METRIC_INELIGIBLE,
			 NULL); /* ineligible */
	cfn_spf_add_site(c, s1, 1, 50, NULL);
	cfn_spf_add_site(c, s2, 3, 1, NULL);
	run(c, 0);
	assert_int_equal(cfn_spf_distance(c, 3), CFN_SPF_DIST_INF);
	assert_int_equal(cfn_spf_nexthops(c, 3, NULL, 0), 0);
	d = cfn_spf_decision(c, s1);
	assert_int_equal(d->nsites, 1);
	assert_int_equal(d->sites[0], 1);
	assert_int_equal(d->cost, 53);
	assert_int_equal(d->distance, 3);
	assert_int_equal(d->metric, 50);
	d = cfn_spf_decision(c, s2);
	assert_non_null(d);
	assert_int_equal(d->nsites, 0);
	assert_int_equal(d->nnexthops, 0);
	assert_int_equal(d->cost, CFN_SPF_DIST_INF);

	/* Ineligible on every site: no decision either. */
	cfn_spf_set_service_metric(c, s1, 1, CFN_SPF_METRIC_INELIGIBLE, NULL);
	assert_int_equal(cfn_spf_update_services(c, NULL), CFN_SPF_OK);
	assert_int_equal(cfn_spf_decision(c, s1)->nsites, 0);
	cfn_spf_free(c);
}

/* Tied sites: both kept, nexthops are the union; local site. */
static void test_site_ties_and_local(void **state)
{
	struct cfn_spf *c = mk(5);
	const struct cfn_spf_decision *d;
	struct cfn_spf_edge e[16];
	int s, ne;

	link2(c, 0, 1, 10);
	link2(c, 0, 2, 10);
	link2(c, 1, 3, 10);
	link2(c, 2, 4, 5);
	s = cfn_spf_add_service(c, "anycast", NULL);
	cfn_spf_add_site(c, s, 3, 5, NULL);  /* 20 + 5 */
	cfn_spf_add_site(c, s, 4, 10, NULL); /* 15 + 10 */
	run(c, 0);
	d = cfn_spf_decision(c, s);
	assert_int_equal(d->nsites, 2);
	assert_int_equal(d->sites[0], 3);
	assert_int_equal(d->sites[1], 4);
	assert_int_equal(d->cost, 25);
	assert_int_equal(d->distance, 20);
	assert_int_equal(d->metric, 5);
	assert_int_equal(mask_of(d->nexthops, d->nnexthops),
			 (1 << 1) | (1 << 2));
	ne = cfn_spf_service_path_edges(c, s, e, 16, NULL);
	assert_int_equal(ne, 4);
	assert_int_equal(cfn_spf_service_path_edges(c, s, NULL, 0, NULL), 4);

	/* The root hosts it: local, no nexthops. */
	cfn_spf_add_site(c, s, 0, 25, NULL);
	assert_int_equal(cfn_spf_update_services(c, NULL), CFN_SPF_OK);
	d = cfn_spf_decision(c, s);
	assert_int_equal(d->nsites, 3);
	cfn_spf_set_service_metric(c, s, 0, 24, NULL);
	assert_int_equal(cfn_spf_update_services(c, NULL), CFN_SPF_OK);
	d = cfn_spf_decision(c, s);
	assert_int_equal(d->nsites, 1);
	assert_int_equal(d->sites[0], 0);
	assert_int_equal(d->nnexthops, 0);
	assert_int_equal(d->distance, 0);
	assert_int_equal(cfn_spf_service_path_edges(c, s, e, 16, NULL), 0);
	cfn_spf_free(c);
}

/* Zero-metric links tying with an already settled vertex. */
static void test_zero_metric_ties(void **state)
{
	struct cfn_spf *c = mk(5);

	/* r0->r1 (5), r0->r2 (5), r1->r3 (0), r2->r3 (0), r3->r4 (0) */
	cfn_spf_add_link(c, 0, 1, 5, NULL);
	cfn_spf_add_link(c, 0, 2, 5, NULL);
	cfn_spf_add_link(c, 2, 3, 0, NULL);
	cfn_spf_add_link(c, 1, 3, 0, NULL);
	cfn_spf_add_link(c, 3, 4, 0, NULL);
	cfn_spf_add_link(c, 1, 2, 0, NULL);
	run(c, 0);
	assert_int_equal(cfn_spf_distance(c, 4), 5);
	assert_int_equal(nh_mask(c, 2), (1 << 1) | (1 << 2));
	assert_int_equal(nh_mask(c, 4), (1 << 1) | (1 << 2));
	cfn_spf_free(c);
}

/* A LAN pseudonode is not a next hop: the routers behind it are. */
static void test_pseudonode(void **state)
{
	struct cfn_spf *c = mk(4);
	int pn = cfn_spf_add_router(c, "r0.01", CFN_SPF_ROUTER_PSEUDO, NULL);

	link2(c, 0, pn, 10);
	cfn_spf_add_link(c, pn, 1, 0, NULL);
	cfn_spf_add_link(c, 1, pn, 10, NULL);
	cfn_spf_add_link(c, pn, 2, 0, NULL);
	cfn_spf_add_link(c, 2, pn, 10, NULL);
	assert_true(cfn_spf_is_pseudonode(c, pn));
	run(c, 0);
	assert_int_equal(cfn_spf_distance(c, 1), 10);
	assert_int_equal(nh_mask(c, 1), 1 << 1);
	assert_int_equal(nh_mask(c, 2), 1 << 2);
	assert_int_equal(nh_mask(c, pn), 1ull << pn);
	/* Behind a point-to-point hop, that hop is the next hop. */
	link2(c, 3, 1, 1);
	run(c, 3);
	assert_int_equal(cfn_spf_distance(c, 2), 11);
	assert_int_equal(nh_mask(c, 2), 1 << 1);
	cfn_spf_free(c);
}

/* ---- hysteresis -------------------------------------------------------- */

static void test_hysteresis(void **state)
{
	struct cfn_spf *c = mk(3);
	const struct cfn_spf_decision *d;
	struct cfn_spf_error err;
	int s;

	link2(c, 0, 1, 10);
	link2(c, 0, 2, 10);
	s = cfn_spf_add_service(c, "svc", NULL);
	cfn_spf_add_site(c, s, 1, 100, NULL); /* cost 110 */
	cfn_spf_add_site(c, s, 2, 120, NULL); /* cost 130 */
	assert_int_equal(cfn_spf_set_hysteresis(c, 10, 5, &err), CFN_SPF_OK);
	run(c, 0);
	d = cfn_spf_decision(c, s);
	assert_int_equal(d->sites[0], 1);
	assert_true(d->changed);
	assert_false(d->held);

	/* r2 now better by 10 of 110 (<= 10%): stay. */
	cfn_spf_set_service_metric(c, s, 2, 90, NULL);
	assert_int_equal(cfn_spf_update_services(c, &err), CFN_SPF_OK);
	d = cfn_spf_decision(c, s);
	assert_int_equal(d->nsites, 1);
	assert_int_equal(d->sites[0], 1);
	assert_true(d->held);
	assert_false(d->changed);
	assert_int_equal(d->cost, 110);
	/* A full run keeps the state too. */
	run(c, 0);
	assert_int_equal(cfn_spf_decision(c, s)->sites[0], 1);

	/* Better by 12 > 11 (10%) and > 5: switch. */
	cfn_spf_set_service_metric(c, s, 2, 88, NULL);
	cfn_spf_update_services(c, NULL);
	d = cfn_spf_decision(c, s);
	assert_int_equal(d->sites[0], 2);
	assert_false(d->held);
	assert_true(d->changed);

	/* Absolute margin: gain 6 > 5 but 6 <= 10% of 98: stay. */
	cfn_spf_set_service_metric(c, s, 1, 82, NULL); /* 92 vs 98 */
	cfn_spf_update_services(c, NULL);
	assert_int_equal(cfn_spf_decision(c, s)->sites[0], 2);

	/* The current site becomes ineligible: switch at once. */
	cfn_spf_set_service_metric(c, s, 2, CFN_SPF_METRIC_INELIGIBLE, NULL);
	cfn_spf_update_services(c, NULL);
	d = cfn_spf_decision(c, s);
	assert_int_equal(d->sites[0], 1);
	assert_false(d->held);

	/* Unreachable current site (topology change): switch. */
	cfn_spf_set_service_metric(c, s, 2, 1, NULL);
	cfn_spf_update_services(c, NULL);
	assert_int_equal(cfn_spf_decision(c, s)->sites[0], 2);
	cfn_spf_set_router_flags(c, 0, 0, NULL);
	{
		/* Rebuild without the r0-r2 link, adopting the decisions. */
		struct cfn_spf *n = mk(3);
		int s2;

		link2(n, 0, 1, 10);
		s2 = cfn_spf_add_service(n, "svc", NULL);
		cfn_spf_add_site(n, s2, 1, 200, NULL);
		cfn_spf_add_site(n, s2, 2, 1, NULL);
		cfn_spf_set_hysteresis(n, 10, 5, NULL);
		assert_int_equal(cfn_spf_adopt_decisions(n, c, &err),
				 CFN_SPF_OK);
		run(n, 0);
		d = cfn_spf_decision(n, s2);
		assert_int_equal(d->sites[0], 1);
		assert_true(d->changed);
		cfn_spf_free(n);
	}
	/* Forgetting the state: best wins again. */
	cfn_spf_set_service_metric(c, s, 1, 60, NULL);
	cfn_spf_set_service_metric(c, s, 2, 55, NULL);
	cfn_spf_forget_decisions(c);
	run(c, 0);
	assert_int_equal(cfn_spf_decision(c, s)->sites[0], 2);
	cfn_spf_free(c);
}

/* ---- capacity-only update ---------------------------------------------- */

static void test_update_needs_same_topology(void **state)
{
	struct cfn_spf *c = mk(3);
	struct cfn_spf_error err;
	int s;

	link2(c, 0, 1, 1);
	s = cfn_spf_add_service(c, "x", NULL);
	cfn_spf_add_site(c, s, 1, 1, NULL);
	run(c, 0);
	assert_int_equal(cfn_spf_update_services(c, &err), CFN_SPF_OK);
	link2(c, 1, 2, 1);
	assert_int_equal(cfn_spf_update_services(c, &err), CFN_SPF_ESTATE);
	assert_non_null(strstr(err.msg, "topology changed"));
	run(c, 0);
	assert_int_equal(cfn_spf_update_services(c, &err), CFN_SPF_OK);
	cfn_spf_set_service_metric(c, s, 1, 7, NULL);
	assert_null(cfn_spf_decision(c, s)); /* stale until updated */
	assert_int_equal(cfn_spf_update_services(c, &err), CFN_SPF_OK);
	assert_int_equal(cfn_spf_decision(c, s)->cost, 8);
	cfn_spf_free(c);
}

/* What the module exports: the services whose decision changed. */
static void test_changed_list(void **state)
{
	struct cfn_spf *c = mk(3);
	const uint32_t *chg;
	uint32_t n;
	int a, b;

	link2(c, 0, 1, 1);
	link2(c, 0, 2, 1);
	a = cfn_spf_add_service(c, "a", NULL);
	b = cfn_spf_add_service(c, "b", NULL);
	cfn_spf_add_site(c, a, 1, 10, NULL);
	cfn_spf_add_site(c, a, 2, 20, NULL);
	cfn_spf_add_site(c, b, 2, 5, NULL);
	run(c, 0);
	chg = cfn_spf_changed_services(c, &n);
	assert_int_equal(n, 2);
	/* Non-chosen site gets worse: nothing to redo, nothing changed. */
	cfn_spf_set_service_metric(c, a, 2, 30, NULL);
	assert_non_null(cfn_spf_decision(c, a));
	assert_int_equal(cfn_spf_update_services(c, NULL), CFN_SPF_OK);
	cfn_spf_changed_services(c, &n);
	assert_int_equal(n, 0);
	/* Non-chosen site gets better than the chosen one: changes. */
	cfn_spf_set_service_metric(c, a, 2, 1, NULL);
	assert_null(cfn_spf_decision(c, a));
	assert_int_equal(cfn_spf_update_services(c, NULL), CFN_SPF_OK);
	chg = cfn_spf_changed_services(c, &n);
	assert_int_equal(n, 1);
	assert_int_equal(chg[0], a);
	assert_int_equal(cfn_spf_decision(c, a)->sites[0], 2);
	assert_true(cfn_spf_decision(c, a)->changed);
	/* Chosen site's metric moves but stays best: recomputed, same. */
	cfn_spf_set_service_metric(c, a, 2, 2, NULL);
	assert_int_equal(cfn_spf_update_services(c, NULL), CFN_SPF_OK);
	cfn_spf_changed_services(c, &n);
	assert_int_equal(n, 0);
	assert_int_equal(cfn_spf_decision(c, a)->cost, 3);
	/* A full run with nothing new changes nothing. */
	run(c, 0);
	cfn_spf_changed_services(c, &n);
	assert_int_equal(n, 0);
	(void)b;
	cfn_spf_free(c);
}

/* Random connected-ish graph with services; weights lo..hi. */
static struct cfn_spf *random_graph(int n, int extra, uint32_t lo, uint32_t hi,
				    int nsvc, bool overload)
{
	struct cfn_spf *c = mk(n);
	char key[32];

	for (int i = 1; i < n; i++) {
		/* Mostly a tree plus chords, some directed asymmetry. */
		uint32_t p = rnd(i);

		cfn_spf_add_link(c, i, p, lo + rnd(hi - lo + 1), NULL);
		cfn_spf_add_link(c, p, i, lo + rnd(hi - lo + 1), NULL);
	}
	for (int k = 0; k < extra; k++) {
		uint32_t a = rnd(n), b = rnd(n);

		if (a == b)
			continue;
		cfn_spf_add_link(c, a, b, lo + rnd(hi - lo + 1), NULL);
		if (rnd(4))
			cfn_spf_add_link(c, b, a, lo + rnd(hi - lo + 1), NULL);
	}
	if (overload)
		for (int i = 0; i < n; i++)
			if (!rnd(6))
				cfn_spf_set_router_flags(
					c, i, CFN_SPF_ROUTER_OVERLOAD, NULL);
	for (int s = 0; s < nsvc; s++) {
		int ns = 1 + rnd(4);

		snprintf(key, sizeof(key), "svc%d", s);
		assert_int_equal(cfn_spf_add_service(c, key, NULL), s);
		for (int k = 0; k < ns; k++) {
			uint32_t m =
				rnd(8) ? rnd(40) : CFN_SPF_METRIC_INELIGIBLE;

			cfn_spf_add_site(c, s, rnd(n), m, NULL);
		}
	}
	return c;
}

static void assert_same_decisions(const struct cfn_spf *a,
				  const struct cfn_spf *b)
{
	for (uint32_t s = 0; s < cfn_spf_service_count(a); s++) {
		const struct cfn_spf_decision *x = cfn_spf_decision(a, s);
		const struct cfn_spf_decision *y = cfn_spf_decision(b, s);

		assert_non_null(x);
		assert_non_null(y);
		assert_int_equal(x->nsites, y->nsites);
		assert_int_equal(x->nnexthops, y->nnexthops);
		assert_memory_equal(x->sites, y->sites,
				    x->nsites * sizeof(uint32_t));
		assert_memory_equal(x->nexthops, y->nexthops,
				    x->nnexthops * sizeof(uint32_t));
		assert_int_equal(x->cost, y->cost);
		if (x->nsites) {
			assert_int_equal(x->distance, y->distance);
			assert_int_equal(x->metric, y->metric);
		}
	}
}

static void test_update_equals_full_run(void **state)
{
	for (int iter = 0; iter < 300; iter++) {
		int n = 5 + iter % 40, nsvc = 1 + iter % 25;
		uint64_t seed = 0x5eed0000ull + iter;
		struct cfn_spf *a, *b;
		uint32_t root;

		rng_state = seed;
		a = random_graph(n, n, 1, 20, nsvc, iter & 1);
		rng_state = seed;
		b = random_graph(n, n, 1, 20, nsvc, iter & 1);
		root = iter % n;
		run(a, root);
		for (int round = 0; round < 5; round++) {
			/* Same random metric changes on both. */
			for (int k = 0; k < 1 + iter % 7; k++) {
				uint32_t s = rnd(nsvc), r = rnd(n);
				uint32_t m = rnd(5) ? rnd(60)
						    : CFN_SPF_METRIC_INELIGIBLE;

				int slot = cfn_spf_find_site(a, s, r);

				if (slot >= 0 &&
				    (k & 1 ? cfn_spf_set_site_metric(a, s, slot,
								     m, NULL)
					   : cfn_spf_set_service_metric(
						     a, s, r, m, NULL)) ==
					    CFN_SPF_OK)
					assert_int_equal(
						cfn_spf_set_service_metric(
							b, s, r, m, NULL),
						CFN_SPF_OK);
			}
			assert_int_equal(cfn_spf_update_services(a, NULL),
					 CFN_SPF_OK);
			run(b, root);
			assert_same_decisions(a, b);
		}
		cfn_spf_free(a);
		cfn_spf_free(b);
	}
}

/* ---- property: equal to a naive reference Dijkstra ------------------ */

#define NMAX 48

struct ref {
	int n;
	uint64_t w[NMAX][NMAX]; /* best parallel link, UINT64_MAX if none */
	bool ol[NMAX];
	uint64_t dist[NMAX];
	uint64_t fh[NMAX];
};

/* O(V^2) Dijkstra, then first hops by fixpoint over the shortest-path DAG
 * (zero-metric links make a single pass in distance order insufficient).
 */
static void ref_spf(struct ref *r, int root)
{
	bool done[NMAX] = {0};
	bool changed = true;

	for (int i = 0; i < r->n; i++) {
		r->dist[i] = UINT64_MAX;
		r->fh[i] = 0;
	}
	r->dist[root] = 0;
	for (;;) {
		int u = -1;

		for (int i = 0; i < r->n; i++)
			if (!done[i] && r->dist[i] != UINT64_MAX &&
			    (u < 0 || r->dist[i] < r->dist[u]))
				u = i;
		if (u < 0)
			break;
		done[u] = true;
		if (u != root && r->ol[u])
			continue;
		for (int v = 0; v < r->n; v++)
			if (r->w[u][v] != UINT64_MAX &&
			    r->dist[u] + r->w[u][v] < r->dist[v])
				r->dist[v] = r->dist[u] + r->w[u][v];
	}
	while (changed) {
		changed = false;
		for (int u = 0; u < r->n; u++) {
			if (r->dist[u] == UINT64_MAX || (u != root && r->ol[u]))
				continue;
			for (int v = 0; v < r->n; v++) {
				uint64_t add;

				if (v == root || r->w[u][v] == UINT64_MAX ||
				    r->dist[u] + r->w[u][v] != r->dist[v])
					continue;
				add = u == root ? 1ull << v : r->fh[u];
				if ((r->fh[v] | add) != r->fh[v]) {
					r->fh[v] |= add;
					changed = true;
				}
			}
		}
	}
}

static void test_random_vs_reference(void **state)
{
	int graphs = 0;

	for (int iter = 0; iter < 3000; iter++) {
		struct ref *r = calloc(1, sizeof(*r));
		int n = 2 + iter % (NMAX - 1), m = rnd(3 * n + 1);
		struct cfn_spf *c;

		assert_non_null(r);
		rng_state = 0xabcdef00ull + iter;
		c = mk(n);
		r->n = n;
		memset(r->w, 0xff, sizeof(r->w));
		for (int k = 0; k < m + n; k++) {
			uint32_t a = rnd(n), b = rnd(n);
			/* Some zero metrics and ties; sometimes huge ones. */
			uint32_t w = iter % 5 == 0   ? rnd(3)
				     : iter % 7 == 0 ? UINT32_MAX - rnd(3)
						     : 1 + rnd(9);

			if (a == b)
				continue;
			cfn_spf_add_link(c, a, b, w, NULL);
			if (w < r->w[a][b])
				r->w[a][b] = w;
		}
		for (int i = 0; i < n; i++)
			if (iter % 3 == 0 && !rnd(5)) {
				r->ol[i] = true;
				cfn_spf_set_router_flags(
					c, i, CFN_SPF_ROUTER_OVERLOAD, NULL);
			}
		for (int root = 0; root < n; root += 1 + n / 8) {
			ref_spf(r, root);
			run(c, root);
			for (int v = 0; v < n; v++) {
				if (cfn_spf_distance(c, v) != r->dist[v])
					fail_msg(
						"seed %d root %d v %d: %llu != %llu",
						iter, root, v,
						(unsigned long long)
							cfn_spf_distance(c, v),
						(unsigned long long)r->dist[v]);
				if (nh_mask(c, v) != r->fh[v])
					fail_msg(
						"seed %d root %d v %d: first hops %llx != %llx",
						iter, root, v,
						(unsigned long long)nh_mask(c,
									    v),
						(unsigned long long)r->fh[v]);
			}
		}
		graphs++;
		cfn_spf_free(c);
		free(r);
	}
	assert_int_equal(graphs, 3000);
}

/* ---- property: hop-by-hop consistency ------------------------------ */

/*
 * Every router runs its own SPF; a packet for a service follows, at each
 * router, that router's own nexthops.  From every source, every such walk
 * must reach a site chosen by the source, without loops.  Positive metrics
 * (IS-IS links have metric >= 1), no hysteresis.
 */
static void test_hop_by_hop(void **state)
{
	int walks = 0;

	for (int iter = 0; iter < 1000; iter++) {
		int n = 3 + iter % 30, nsvc = 1 + iter % 12;
		uint64_t sites[NMAX][16];
		uint32_t nh[NMAX][16][NMAX];
		uint32_t nnh[NMAX][16];
		struct cfn_spf *c;

		rng_state = 0x40b0b000ull + iter;
		c = random_graph(n, n / 2 + rnd(n), 1, iter % 4 ? 10 : 3, nsvc,
				 iter % 3 == 0);
		if (iter % 5 == 0)
			cfn_spf_set_ecmp_limit(c, 1 + iter % 3);
		for (int x = 0; x < n; x++) {
			run(c, x);
			for (int s = 0; s < nsvc; s++) {
				const struct cfn_spf_decision *d =
					cfn_spf_decision(c, s);

				sites[x][s] = mask_of(d->sites, d->nsites);
				nnh[x][s] = d->nnexthops;
				memcpy(nh[x][s], d->nexthops,
				       d->nnexthops * sizeof(uint32_t));
			}
		}
		for (int x = 0; x < n; x++) {
			for (int s = 0; s < nsvc; s++) {
				/* DFS over every ECMP branch, depth-bounded. */
				uint32_t stack[NMAX * NMAX], depth[NMAX * NMAX];
				int sp = 0;

				if (!sites[x][s])
					continue;
				stack[sp] = x;
				depth[sp++] = 0;
				while (sp) {
					uint32_t y = stack[--sp],
						 dy = depth[sp];

					if (sites[x][s] & (1ull << y))
						continue; /* arrived */
					if (dy > (uint32_t)n)
						fail_msg(
							"seed %d svc %d from %d: loop",
							iter, s, x);
					if (!nnh[y][s])
						fail_msg(
							"seed %d svc %d from %d: %u drops (not a site)",
							iter, s, x, y);
					for (uint32_t k = 0; k < nnh[y][s];
					     k++) {
						if (sp >= NMAX * NMAX)
							break;
						stack[sp] = nh[y][s][k];
						depth[sp++] = dy + 1;
					}
					walks++;
				}
			}
		}
		cfn_spf_free(c);
	}
	assert_true(walks > 10000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_errors),
		cmocka_unit_test(test_ecmp_and_limit),
		cmocka_unit_test(test_parallel_and_directed),
		cmocka_unit_test(test_overload),
		cmocka_unit_test(test_unreachable_and_ineligible),
		cmocka_unit_test(test_site_ties_and_local),
		cmocka_unit_test(test_zero_metric_ties),
		cmocka_unit_test(test_pseudonode),
		cmocka_unit_test(test_hysteresis),
		cmocka_unit_test(test_update_needs_same_topology),
		cmocka_unit_test(test_changed_list),
		cmocka_unit_test(test_update_equals_full_run),
		cmocka_unit_test(test_random_vs_reference),
		cmocka_unit_test(test_hop_by_hop),
	};

	return cmocka_run_group_tests_name("cfn_spf", tests, NULL, NULL);
}
