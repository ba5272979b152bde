// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "damping.h"

#define INEL 0xFFFFFFFFu

static struct cfn_damping_params params(void)
{
	struct cfn_damping_params p;

	cfn_damping_params_default(&p);
	return p;
}

static void check_refused(struct cfn_damping_params p, const char *want)
{
	char err[200] = "";

	assert_int_equal(cfn_damping_validate_params(&p, err, sizeof(err)), -1);
	assert_string_equal(err, want);
}

static void validation(void **state)
{
	struct cfn_damping_params p = params();
	char err[200] = "";

	assert_int_equal(cfn_damping_validate_params(&p, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	p.threshold_pct = 1001;
	check_refused(p, "threshold 1001% is above 1000%");
	p = params();
	p.min_interval_ms = 0;
	check_refused(p, "minimum interval 0 ms out of range 1-3600000 ms");
	p = params();
	p.max_interval_ms = 500;
	check_refused(
		p,
		"maximum interval 500 ms out of range 1000-3600000 ms (it must not be below the minimum interval)");
	p = params();
	p.decay_ms = 0;
	check_refused(
		p,
		"decay interval must be at least 1 ms when back-off is enabled (flap window 10000 ms)");
	p.flap_window_ms = 0; /* no back-off: no decay needed */
	assert_int_equal(cfn_damping_validate_params(&p, err, sizeof(err)), 0);
	p = params();
	p.flap_threshold = 101;
	check_refused(p, "flap threshold 101 is above 100");
	p = params();
	p.flap_window_ms = 3600001;
	check_refused(p, "flap window 3600001 ms is above 3600000 ms");
}

static void threshold_percent(void **state)
{
	struct cfn_damping_params p = params(); /* 10 %, min 1 s */
	struct cfn_damping d;
	struct cfn_damp_decision r;

	cfn_damping_init(&d, &p);
	r = cfn_damping_offer(&d, 0, 100);
	assert_int_equal(r.action, CFN_DAMP_ADVERTISE);
	assert_int_equal(r.metric, 100);
	/* 5 % and exactly 10 % are not "more than" the threshold */
	assert_int_equal(cfn_damping_offer(&d, 5000, 105).action,
			 CFN_DAMP_SUPPRESS);
	assert_int_equal(cfn_damping_offer(&d, 6000, 90).action,
			 CFN_DAMP_SUPPRESS);
	assert_int_equal(cfn_damping_offer(&d, 6000, 110).action,
			 CFN_DAMP_SUPPRESS);
	/* drift is measured against what was advertised, so it adds up */
	r = cfn_damping_offer(&d, 7000, 111);
	assert_int_equal(r.action, CFN_DAMP_ADVERTISE);
	assert_int_equal(r.metric, 111);
	assert_int_equal(d.adv_metric, 111);
	assert_int_equal(d.n_advertised, 2);
	assert_int_equal(d.n_suppressed, 3);
}

static void threshold_absolute_and_both(void **state)
{
	struct cfn_damping_params p = params();
	struct cfn_damping d;

	p.threshold_pct = 0;
	p.threshold_abs = 50;
	assert_false(cfn_damping_significant(&p, 1000, 1050));
	assert_true(cfn_damping_significant(&p, 1000, 1051));
	assert_true(cfn_damping_significant(&p, 1000, 949));
	/* both set: a change must pass both */
	p.threshold_pct = 10;
	assert_false(cfn_damping_significant(&p, 1000, 1060)); /* 6 % */
	assert_false(cfn_damping_significant(&p, 100, 140));   /* abs 40 */
	assert_true(cfn_damping_significant(&p, 1000, 1101));
	/* neither set: any change */
	p.threshold_pct = 0;
	p.threshold_abs = 0;
	assert_true(cfn_damping_significant(&p, 1000, 1001));
	assert_false(cfn_damping_significant(&p, 1000, 1000));

	p.threshold_abs = 50;
	cfn_damping_init(&d, &p);
	cfn_damping_offer(&d, 0, 1000);
	assert_int_equal(cfn_damping_offer(&d, 2000, 1040).action,
			 CFN_DAMP_SUPPRESS);
	assert_int_equal(cfn_damping_offer(&d, 3000, 1051).action,
			 CFN_DAMP_ADVERTISE);
}

static void ineligible_always_significant(void **state)
{
	struct cfn_damping_params p = params();

	p.threshold_pct = 1000;
	p.threshold_abs = 0xFFFFFFF0u;
	assert_true(cfn_damping_significant(&p, 100, INEL));
	assert_true(cfn_damping_significant(&p, INEL, 100));
	assert_true(cfn_damping_significant(&p, 0xFFFFFFFEu, INEL));
	assert_false(cfn_damping_significant(&p, INEL, INEL));
	assert_false(cfn_damping_significant(&p, 100, 5000));
}

static void minimum_interval(void **state)
{
	struct cfn_damping_params p = params();
	struct cfn_damping d;
	struct cfn_damp_decision r;
	uint64_t at;
	uint32_t m;

	cfn_damping_init(&d, &p);
	cfn_damping_offer(&d, 10000, 100);
	assert_false(cfn_damping_next_deadline(&d, &at));
	r = cfn_damping_offer(&d, 10200, 200);
	assert_int_equal(r.action, CFN_DAMP_SCHEDULE);
	assert_int_equal(r.at_ms, 11000);
	assert_true(cfn_damping_next_deadline(&d, &at));
	assert_int_equal(at, 11000);
	/* a newer value replaces the pending one, same deadline */
	r = cfn_damping_offer(&d, 10500, 300);
	assert_int_equal(r.action, CFN_DAMP_SCHEDULE);
	assert_int_equal(r.at_ms, 11000);
	assert_false(cfn_damping_expire(&d, 10999, &m));
	assert_true(cfn_damping_expire(&d, 11000, &m));
	assert_int_equal(m, 300);
	assert_int_equal(d.adv_metric, 300);
	assert_false(cfn_damping_next_deadline(&d, &at));
	assert_false(cfn_damping_expire(&d, 20000, &m));
	/* spaced out enough: immediate */
	r = cfn_damping_offer(&d, 12000, 100);
	assert_int_equal(r.action, CFN_DAMP_ADVERTISE);
	assert_int_equal(r.at_ms, 12000);
}

static void pending_cancelled_when_value_returns(void **state)
{
	struct cfn_damping_params p = params();
	struct cfn_damping d;
	uint64_t at;
	uint32_t m;

	cfn_damping_init(&d, &p);
	cfn_damping_offer(&d, 0, 100);
	assert_int_equal(cfn_damping_offer(&d, 100, 500).action,
			 CFN_DAMP_SCHEDULE);
	assert_int_equal(cfn_damping_offer(&d, 200, 102).action,
			 CFN_DAMP_SUPPRESS);
	assert_false(cfn_damping_next_deadline(&d, &at));
	assert_false(cfn_damping_expire(&d, 5000, &m));
	assert_int_equal(d.adv_metric, 100);
	assert_int_equal(d.n_advertised, 1);
}

/*
 * Drives a flapping input (100 <-> 300 every 250 ms) for `ms` from `start`,
 * running the timer like the module would; returns advertisements and
 * stores the gaps between them.
 */
static int flap(struct cfn_damping *d, uint64_t start, uint64_t ms,
		uint64_t *gaps, int maxgaps, uint64_t *last)
{
	int n = 0;

	for (uint64_t t = start; t < start + ms; t += 50) {
		uint32_t m;
		bool adv = false;

		if (cfn_damping_expire(d, t, &m))
			adv = true;
		if (t % 250 == 0) {
			struct cfn_damp_decision r = cfn_damping_offer(
				d, t, (t / 250) % 2 ? 300 : 100);

			adv = adv || r.action == CFN_DAMP_ADVERTISE;
		}
		if (adv) {
			if (n && n - 1 < maxgaps)
				gaps[n - 1] = t - *last;
			*last = t;
			n++;
		}
	}
	return n;
}

static void backoff_grows_to_max(void **state)
{
	struct cfn_damping_params p = params();
	struct cfn_damping d;
	uint64_t gaps[64] = {0}, last = 0;
	int n;

	p.min_interval_ms = 1000;
	p.max_interval_ms = 8000;
	p.flap_threshold = 2;
	cfn_damping_init(&d, &p);
	n = flap(&d, 0, 60000, gaps, 64, &last);
	/* undamped there would be 240; min-interval alone gives about 60 */
	assert_true(n >= 8);
	assert_true(n <= 14);
	assert_int_equal(d.hold_ms, 8000);
	/* each hold-down doubles the previous one, up to the cap */
	assert_int_equal(gaps[0], 1000);
	assert_int_equal(gaps[1], 2000);
	assert_int_equal(gaps[2], 4000);
	for (int i = 3; i < n - 1; i++)
		assert_int_equal(gaps[i], 8000);
}

static void no_backoff_when_disabled(void **state)
{
	struct cfn_damping_params p = params();
	struct cfn_damping d;
	uint64_t gaps[128] = {0}, last = 0;
	int n;

	p.flap_window_ms = 0;
	cfn_damping_init(&d, &p);
	n = flap(&d, 0, 60000, gaps, 128, &last);
	assert_int_equal(d.hold_ms, 1000);
	assert_true(n >= 40); /* about one per second */
	for (int i = 0; i < n - 1; i++)
		assert_true(gaps[i] >= 1000 && gaps[i] <= 1250);
}

static void backoff_decays_when_quiet(void **state)
{
	struct cfn_damping_params p = params();
	struct cfn_damping d;
	uint64_t gaps[64], last = 0;
	struct cfn_damp_decision r;
	uint32_t m;

	p.max_interval_ms = 16000;
	p.decay_ms = 10000;
	cfn_damping_init(&d, &p);
	flap(&d, 0, 120000, gaps, 64, &last);
	assert_int_equal(d.hold_ms, 16000);
	/* let anything pending go out, then stay quiet */
	cfn_damping_expire(&d, 200000, &m);
	uint64_t q = d.last_sig;

	assert_int_equal(cfn_damping_hold_ms(&d, q + 9999), 16000);
	assert_int_equal(cfn_damping_hold_ms(&d, q + 10000), 8000);
	assert_int_equal(cfn_damping_hold_ms(&d, q + 25000), 4000);
	assert_int_equal(cfn_damping_hold_ms(&d, q + 100000), 1000);
	/* after a long quiet spell a change goes out at once again */
	r = cfn_damping_offer(&d, q + 100000, d.adv_metric == 100 ? 300 : 100);
	assert_int_equal(r.action, CFN_DAMP_ADVERTISE);
	assert_int_equal(d.hold_ms, 1000);
	assert_int_equal(d.flaps, 0);
	r = cfn_damping_offer(&d, q + 100300, d.adv_metric == 100 ? 300 : 100);
	assert_int_equal(r.action, CFN_DAMP_SCHEDULE);
	assert_int_equal(r.at_ms, q + 101000);
}

static void params_change_clamps_hold(void **state)
{
	struct cfn_damping_params p = params();
	struct cfn_damping d;
	uint64_t gaps[64], last = 0, at;

	cfn_damping_init(&d, &p);
	flap(&d, 0, 60000, gaps, 64, &last);
	assert_int_equal(d.hold_ms, 30000);
	cfn_damping_offer(&d, 60000, d.adv_metric == 100 ? 300 : 100);
	p.max_interval_ms = 2000;
	cfn_damping_set_params(&d, &p);
	assert_int_equal(d.hold_ms, 2000);
	assert_true(cfn_damping_next_deadline(&d, &at));
	assert_int_equal(at, d.adv_time + 2000);
}

/* A new capacity or price (same metric) is not suppressed by the threshold
 * but waits for the hold-down like any change: no bypass of damping. */
static void news_waits_for_hold_down(void **state)
{
	struct cfn_damping_params p = params();
	struct cfn_damping d;
	struct cfn_damp_decision r;

	p.flap_window_ms = 0;
	cfn_damping_init(&d, &p);
	r = cfn_damping_offer(&d, 1000, 50);
	assert_int_equal(r.action, CFN_DAMP_ADVERTISE);
	/* same metric, plain offer: nothing to say */
	r = cfn_damping_offer(&d, 1100, 50);
	assert_int_equal(r.action, CFN_DAMP_SUPPRESS);
	/* same metric, news: scheduled at the end of the hold-down */
	r = cfn_damping_offer_news(&d, 1200, 50);
	assert_int_equal(r.action, CFN_DAMP_SCHEDULE);
	assert_int_equal(r.at_ms, 1000 + p.min_interval_ms);
	/* and out once it is over */
	r = cfn_damping_offer_news(&d, 1000 + p.min_interval_ms, 50);
	assert_int_equal(r.action, CFN_DAMP_ADVERTISE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(validation),
		cmocka_unit_test(threshold_percent),
		cmocka_unit_test(threshold_absolute_and_both),
		cmocka_unit_test(ineligible_always_significant),
		cmocka_unit_test(minimum_interval),
		cmocka_unit_test(pending_cancelled_when_value_returns),
		cmocka_unit_test(backoff_grows_to_max),
		cmocka_unit_test(no_backoff_when_disabled),
		cmocka_unit_test(backoff_decays_when_quiet),
		cmocka_unit_test(params_change_clamps_hold),
		cmocka_unit_test(news_waits_for_hold_down),
	};

	return cmocka_run_group_tests_name("damping", tests, NULL, NULL);
}
