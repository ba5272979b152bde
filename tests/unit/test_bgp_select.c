// SPDX-License-Identifier: GPL-2.0-or-later
/* Compute-aware BGP selection: cost formula, eligibility, hysteresis, ECMP
 * and UCMP weights. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bgp_select.h"
#include "metric.h"

static struct bgp_meta site(uint32_t metric, uint64_t avail)
{
	struct bgp_meta m = {0};

	m.present = 1u << BGP_META_K_CAPABILITY | 1u << BGP_META_K_RESOURCE;
	m.metric = metric;
	m.total = 100;
	m.available = avail;
	return m;
}

static struct bgp_sel_params params(void)
{
	struct bgp_sel_params p;

	bgp_sel_params_default(&p);
	return p;
}

static void formula(void **state)
{
	struct bgp_sel_params p = params();
	struct bgp_meta m = site(300, 50);
	struct bgp_sel_cand c = {
		.as_path_len = 2, .med = 5, .igp_cost = 7, .meta = &m};

	m.present |= 1u << BGP_META_K_DELAY | 1u << BGP_META_K_SITE_PREF;
	m.delay_us = 2500; /* 2.5 ms: weight 10 per ms gives 25 */
	m.site_pref = 90;
	bgp_sel_cost(&p, &c);
	assert_true(c.eligible);
	assert_int_equal(c.network, 2 * 100 + 7 + 5);
	assert_int_equal(c.compute, 300 + 25 + (100 - 90));
	assert_int_equal(c.total, c.network + c.compute);
}

static void cheapest_wins_and_ineligible_never(void **state)
{
	struct bgp_sel_params p = params();
	struct bgp_meta a = site(500, 40), b = site(100, 0), d = site(200, 10);
	struct bgp_sel_cand c[3] = {
		{.as_path_len = 1, .meta = &a},
		{.as_path_len = 1, .meta = &b}, /* cheapest but no capacity */
		{.as_path_len = 2, .meta = &d},
	};

	assert_int_equal(bgp_select(&p, c, 3), 1);
	assert_false(c[1].chosen);
	assert_int_equal(c[1].why, BGP_SEL_INELIGIBLE);
	/* a: 100 + 500 = 600, d: 200 + 200 = 400 */
	assert_true(c[2].chosen);
	assert_int_equal(c[2].weight, 100);
	assert_int_equal(c[0].why, BGP_SEL_COSTLIER);
	/* metric all-ones or availability 0 is ineligible too */
	d.metric = CFN_METRIC_INELIGIBLE;
	a.present |= 1u << BGP_META_K_SITE_AVAIL;
	a.site_avail = 0;
	assert_int_equal(bgp_select(&p, c, 3), 0);
}

static void hysteresis(void **state)
{
	struct bgp_sel_params p = params();
	struct bgp_meta a = site(500, 40), b = site(460, 40);
	struct bgp_sel_cand c[2] = {
		{.meta = &a, .incumbent = true},
		{.meta = &b},
	};

	/* b is 8% cheaper: not enough against a 10% margin */
	bgp_select(&p, c, 2);
	assert_true(c[0].chosen);
	assert_int_equal(c[1].why, BGP_SEL_HYSTERESIS);
	assert_true(bgp_sel_compare(&p, &c[0], &c[1]) < 0);
	/* 12% cheaper: moves */
	b.metric = 440;
	bgp_select(&p, c, 2);
	assert_true(c[1].chosen);
	assert_int_equal(c[0].why, BGP_SEL_COSTLIER);
	assert_true(bgp_sel_compare(&p, &c[0], &c[1]) > 0);
	/* no margin: plain cost order */
	p.hysteresis_pct = 0;
	b.metric = 499;
	bgp_select(&p, c, 2);
	assert_true(c[1].chosen);
	/* an ineligible incumbent is left at once */
	p.hysteresis_pct = 50;
	a.available = 0;
	b.metric = 499;
	bgp_select(&p, c, 2);
	assert_true(c[1].chosen);
	assert_true(bgp_sel_compare(&p, &c[0], &c[1]) > 0);
}

static void ecmp_ucmp(void **state)
{
	struct bgp_sel_params p = params();
	struct bgp_meta a = site(300, 75), b = site(300, 25), d = site(305, 50);
	struct bgp_sel_cand c[3] = {{.meta = &a}, {.meta = &b}, {.meta = &d}};

	p.max_paths = 4;
	assert_int_equal(bgp_select(&p, c, 3), 2);
	assert_int_equal(c[0].weight, 75);
	assert_int_equal(c[1].weight, 25);
	assert_false(c[2].chosen);
	/* 2% tolerance takes d in; weights follow available units */
	p.ecmp_pct = 2;
	assert_int_equal(bgp_select(&p, c, 3), 3);
	assert_int_equal(c[0].weight, 50);
	assert_int_equal(c[2].weight, 33);
	/* width 2: the third tie is refused and says why */
	p.max_paths = 2;
	assert_int_equal(bgp_select(&p, c, 3), 2);
	assert_int_equal(c[2].why, BGP_SEL_MAX_PATHS);
	/* equal costs compare equal: bgpd's own steps decide (and make
	 * them multipath), also against the incumbent */
	assert_int_equal(bgp_sel_compare(&p, &c[0], &c[1]), 0);
	c[0].incumbent = true;
	assert_int_equal(bgp_sel_compare(&p, &c[0], &c[1]), 0);
	assert_int_equal(bgp_sel_compare(&p, &c[1], &c[0]), 0);
	/* and the set: the incumbent listed after an equal candidate */
	struct bgp_sel_cand two[2] = {{.meta = &b},
				      {.meta = &a, .incumbent = true}};

	b.available = 75; /* same cost as a (metric 300), other weight */
	assert_int_equal(bgp_select(&p, two, 2), 2);
	assert_int_equal(two[0].why, BGP_SEL_CHOSEN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(formula),
		cmocka_unit_test(cheapest_wins_and_ineligible_never),
		cmocka_unit_test(hysteresis),
		cmocka_unit_test(ecmp_ucmp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
