// SPDX-License-Identifier: GPL-2.0-or-later
/* Unit tests for the default compute metric model (lib/metric). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "metric.h"

static uint32_t metric(const struct cfn_metric_params *p, uint64_t total,
		       uint64_t avail, int score)
{
	struct cfn_metric_input in = {total, avail, score};
	char err[128];
	uint32_t m = 0;

	assert_int_equal(cfn_metric_compute(p, &in, &m, err, sizeof(err)), 0);
	return m;
}

static void test_defaults_and_shape(void **state)
{
	struct cfn_metric_params p;
	char err[128];
	uint32_t prev = 0;

	cfn_metric_params_default(&p);
	assert_int_equal(cfn_metric_params_validate(&p, err, sizeof(err)), 0);
	/* idle: base; half full: base + scale; 3/4: base + 3 * scale */
	assert_int_equal(metric(&p, 100, 100, CFN_METRIC_NO_SCORE), p.base);
	assert_int_equal(metric(&p, 100, 50, CFN_METRIC_NO_SCORE),
			 p.base + p.scale);
	assert_int_equal(metric(&p, 100, 25, CFN_METRIC_NO_SCORE),
			 p.base + 3 * p.scale);
	assert_int_equal(metric(&p, 100, 10, CFN_METRIC_NO_SCORE),
			 p.base + 9 * p.scale);
	/* Strictly increasing with load up to the eligibility threshold. */
	for (uint64_t used = 0; used <= 95; used++) {
		uint32_t m = metric(&p, 100, 100 - used, 5);

		assert_true(m > prev || used == 0);
		assert_true(m < CFN_METRIC_INELIGIBLE);
		prev = m;
	}
	/* Above max_util_pct: not eligible. */
	assert_int_equal(metric(&p, 100, 4, CFN_METRIC_NO_SCORE),
			 CFN_METRIC_INELIGIBLE);
	assert_int_equal(metric(&p, 100, 0, CFN_METRIC_NO_SCORE),
			 CFN_METRIC_INELIGIBLE);
}

static void test_saturation_and_thresholds(void **state)
{
	struct cfn_metric_params p;

	cfn_metric_params_default(&p);
	p.max_util_pct = 100;
	p.min_available = 0;
	p.max_metric = 5000;
	/* u/(1-u) explodes near full: saturate, never wrap. */
	assert_int_equal(metric(&p, 1000000, 1, CFN_METRIC_NO_SCORE), 5000);
	assert_int_equal(metric(&p, 100, 0, CFN_METRIC_NO_SCORE), 5000);
	/* Free-capacity threshold. */
	p.min_available = 10;
	assert_int_equal(metric(&p, 100, 9, CFN_METRIC_NO_SCORE),
			 CFN_METRIC_INELIGIBLE);
	assert_int_equal(metric(&p, 100, 10, CFN_METRIC_NO_SCORE),
			 p.base + 9 * p.scale);
	/* Score threshold. */
	p.min_score = 4;
	assert_int_equal(metric(&p, 100, 100, 3), CFN_METRIC_INELIGIBLE);
	assert_int_equal(metric(&p, 100, 100, 4), p.base);
	assert_int_equal(metric(&p, 100, 100, CFN_METRIC_NO_SCORE), p.base);
	/* Utilization threshold is exact at the boundary. */
	p.max_util_pct = 80;
	assert_int_equal(metric(&p, 100, 20, CFN_METRIC_NO_SCORE),
			 p.base + 4 * p.scale);
	assert_int_equal(metric(&p, 100, 19, CFN_METRIC_NO_SCORE),
			 CFN_METRIC_INELIGIBLE);
	/* Largest advertisable value. */
	p.max_metric = CFN_METRIC_MAX;
	p.max_util_pct = 100;
	p.min_available = 0;
	p.scale = UINT32_MAX;
	assert_int_equal(metric(&p, UINT64_MAX, 1, CFN_METRIC_NO_SCORE),
			 CFN_METRIC_MAX);
}

static void test_bad_params_refused(void **state)
{
	struct cfn_metric_params p;
	struct cfn_metric_input in = {100, 50, CFN_METRIC_NO_SCORE};
	char err[128];
	uint32_t m = 12345;

	cfn_metric_params_default(&p);
	p.max_metric = UINT32_MAX;
	assert_int_equal(cfn_metric_params_validate(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "max_metric"));
	assert_int_equal(cfn_metric_compute(&p, &in, &m, err, sizeof(err)), -1);
	assert_int_equal(m, 12345); /* nothing written, nothing clamped */

	cfn_metric_params_default(&p);
	p.base = p.max_metric;
	assert_int_equal(cfn_metric_params_validate(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "base"));

	cfn_metric_params_default(&p);
	p.max_util_pct = 0;
	assert_int_equal(cfn_metric_params_validate(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "max_util_pct"));
	p.max_util_pct = 101;
	assert_int_equal(cfn_metric_params_validate(&p, err, sizeof(err)), -1);

	cfn_metric_params_default(&p);
	p.min_score = 11;
	assert_int_equal(cfn_metric_params_validate(&p, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "min_score"));

	cfn_metric_params_default(&p);
	in.total = 0;
	assert_int_equal(cfn_metric_compute(&p, &in, &m, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "total"));
	in.total = 10;
	in.available = 11;
	assert_int_equal(cfn_metric_compute(&p, &in, &m, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "available"));
	in.available = 5;
	in.score = 12;
	assert_int_equal(cfn_metric_compute(&p, &in, &m, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "score"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_shape),
		cmocka_unit_test(test_saturation_and_thresholds),
		cmocka_unit_test(test_bad_params_refused),
	};

	return cmocka_run_group_tests_name("metric", tests, NULL, NULL);
}
