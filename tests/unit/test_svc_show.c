// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <json-c/json.h>

#include "svc_show.h"

static struct cfn_svc_entry entry(void)
{
	struct cfn_svc_entry e = {.metric = 120};
	char err[100];

	assert_true(cfn_svc_prefix_parse("203.0.113.10/32", &e.prefix, err,
					 sizeof(err)));
	return e;
}

static void text(void **state)
{
	struct cfn_svc_entry e = entry();
	char buf[CFN_SVC_ENTRY_STRLEN];

	assert_string_equal(cfn_svc_entry_str(&e, buf, sizeof(buf)),
			    "203.0.113.10/32 metric 120");
	e.present = CFN_SE_CAP_TOTAL | CFN_SE_CAP_AVAIL | CFN_SE_CPU |
		    CFN_SE_MEM | CFN_SE_GPU | CFN_SE_SCORE | CFN_SE_PRICE |
		    CFN_SE_SITE;
	e.cap_total = 100;
	e.cap_avail = 60;
	e.cpu_pct = 40;
	e.mem_pct = 55;
	e.gpu_pct = 0;
	e.score = 6;
	e.price_milli = 2005;
	strcpy(e.site_id, "edge-1");
	e.metric = CFN_METRIC_INELIGIBLE;
	assert_string_equal(cfn_svc_entry_str(&e, buf, sizeof(buf)),
			    "203.0.113.10/32 metric not-eligible total 100 "
			    "available 60 cpu 40% mem 55% gpu 0% score 6 "
			    "price 2.005 site edge-1");
	/* a short buffer truncates, never overruns */
	buf[10] = 'X';
	cfn_svc_entry_str(&e, buf, 8);
	assert_string_equal(buf, "203.0.1");
	assert_int_equal(buf[10], 'X');
}

static void json(void **state)
{
	struct cfn_svc_entry e = entry();
	struct json_object *o = cfn_svc_entry_json(&e), *v;

	assert_non_null(o);
	assert_string_equal(
		json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN),
		"{\"prefix\":\"203.0.113.10\\/32\",\"metric\":120,"
		"\"eligible\":true}");
	json_object_put(o);
	e.metric = CFN_METRIC_INELIGIBLE;
	e.present = CFN_SE_CAP_AVAIL | CFN_SE_SITE | CFN_SE_PRICE;
	e.cap_avail = 0;
	e.price_milli = 2500;
	strcpy(e.site_id, "edge-1");
	o = cfn_svc_entry_json(&e);
	assert_true(json_object_object_get_ex(o, "metric", &v));
	assert_int_equal(json_object_get_int64(v), 4294967295LL);
	assert_true(json_object_object_get_ex(o, "eligible", &v));
	assert_false(json_object_get_boolean(v));
	assert_true(json_object_object_get_ex(o, "capacityAvailable", &v));
	assert_int_equal(json_object_get_int64(v), 0);
	assert_true(json_object_object_get_ex(o, "priceMilliTokens", &v));
	assert_int_equal(json_object_get_int64(v), 2500);
	assert_true(json_object_object_get_ex(o, "siteId", &v));
	assert_string_equal(json_object_get_string(v), "edge-1");
	assert_false(json_object_object_get_ex(o, "cpuUtilization", &v));
	json_object_put(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text),
		cmocka_unit_test(json),
	};

	return cmocka_run_group_tests_name("svc_show", tests, NULL, NULL);
}
