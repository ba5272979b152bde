// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "report_proto.h"

static bool parse(const char *s, struct cfn_report *r, char *err)
{
	return cfn_report_parse(s, strlen(s), r, err, 200);
}

static void minimal_request(void **state)
{
	struct cfn_report r;
	char err[200];

	assert_true(parse("service 203.0.113.10/32 available 40\n", &r, err));
	assert_int_equal(r.prefix.afi, CFN_AFI_IPV4);
	assert_int_equal(r.prefix.plen, 32);
	assert_int_equal(r.prefix.addr[0], 203);
	assert_int_equal(r.prefix.addr[3], 10);
	assert_int_equal(r.available, 40);
	assert_int_equal(r.present, 0);
	/* CRLF, no newline and extra blanks are all fine */
	assert_true(
		parse("service  203.0.113.10/32\tavailable 0\r\n", &r, err));
	assert_true(
		parse("service 203.0.113.10/32 available 4294967295", &r, err));
	assert_int_equal(r.available, 4294967295u);
}

static void every_keyword(void **state)
{
	struct cfn_report r;
	char err[200], buf[CFN_REPORT_LINE_MAX + 1];
	int n;
	const char *line =
		"service 2001:db8:cf::/48 available 60 total 100 "
		"cpu 40 mem 55 gpu 100 score 6 price 2.5";

	assert_true(parse(line, &r, err));
	assert_int_equal(r.prefix.afi, CFN_AFI_IPV6);
	assert_int_equal(r.prefix.plen, 48);
	assert_int_equal(r.available, 60);
	assert_int_equal(r.total, 100);
	assert_int_equal(r.cpu_pct, 40);
	assert_int_equal(r.mem_pct, 55);
	assert_int_equal(r.gpu_pct, 100);
	assert_int_equal(r.score, 6);
	assert_int_equal(r.price_milli, 2500);
	assert_int_equal(r.present, CFN_SE_CAP_TOTAL | CFN_SE_CPU | CFN_SE_MEM |
					    CFN_SE_GPU | CFN_SE_SCORE |
					    CFN_SE_PRICE);
	assert_int_equal(cfn_report_format(&r, buf, sizeof(buf)),
			 (int)strlen(line) - 2 + 4);
	assert_string_equal(buf,
			    "service 2001:db8:cf::/48 available 60 total 100 "
			    "cpu 40 mem 55 gpu 100 score 6 price 2.500");
	/* any keyword order; the formatter writes the canonical one */
	assert_true(parse("service 10.0.0.0/8 price 3 available 1 score 0", &r,
			  err));
	assert_int_equal(r.price_milli, 3000);
	n = cfn_report_format(&r, buf, sizeof(buf));
	assert_int_equal(n, (int)strlen(buf));
	assert_string_equal(buf,
			    "service 10.0.0.0/8 available 1 score 0 price 3");
	assert_int_equal(cfn_report_format(&r, buf, 10), -1);
}

static void prices(void **state)
{
	struct cfn_report r;
	char err[200];

	assert_true(
		parse("service 10.0.0.0/8 available 1 price 0.125", &r, err));
	assert_int_equal(r.price_milli, 125);
	assert_true(parse("service 10.0.0.0/8 available 1 price 4294967.295",
			  &r, err));
	assert_int_equal(r.price_milli, 4294967295u);
	assert_false(parse("service 10.0.0.0/8 available 1 price 4294967.296",
			   &r, err));
	assert_string_equal(
		err,
		"bad price '4294967.296' (tokens, up to 3 decimals, at most 4294967.295)");
	assert_false(
		parse("service 10.0.0.0/8 available 1 price 1.2345", &r, err));
	assert_false(parse("service 10.0.0.0/8 available 1 price 1.", &r, err));
	assert_false(parse("service 10.0.0.0/8 available 1 price .5", &r, err));
	assert_false(parse("service 10.0.0.0/8 available 1 price -1", &r, err));
}

static void expect_error(const char *line, const char *want)
{
	struct cfn_report r;
	char err[200] = "", reply[300];

	assert_false(
		cfn_report_parse(line, strlen(line), &r, err, sizeof(err)));
	assert_string_equal(err, want);
	assert_false(cfn_report_handle(line, strlen(line), &r, reply,
				       sizeof(reply)));
	assert_memory_equal(reply, "error: ", 7);
	assert_string_equal(reply + 7, strcat(err, "\n"));
}

static void errors_with_reasons(void **state)
{
	char big[600];

	expect_error("", "empty message");
	expect_error("  \n", "empty message");
	expect_error("svc 10.0.0.0/8 available 1",
		     "unknown command 'svc' (expected 'service')");
	expect_error("service", "missing service prefix");
	expect_error("service 10.0.0.1 available 1",
		     "prefix '10.0.0.1' has no /length");
	expect_error("service 10.0.0.1/24 available 1",
		     "prefix '10.0.0.1/24' has host bits set");
	expect_error("service 10.0.0.0/33 available 1",
		     "prefix length 33 > 32 for IPv4");
	expect_error("service 2001:db8::/129 available 1",
		     "prefix length 129 > 128 for IPv6");
	expect_error("service 10.0.0.300/32 available 1",
		     "bad prefix address '10.0.0.300'");
	expect_error("service 10.0.0.0/8", "missing mandatory 'available N'");
	expect_error("service 10.0.0.0/8 total 5",
		     "missing mandatory 'available N'");
	expect_error("service 10.0.0.0/8 available",
		     "keyword 'available' needs a value");
	expect_error("service 10.0.0.0/8 available 1 available 2",
		     "duplicate keyword 'available'");
	expect_error("service 10.0.0.0/8 available 1 load 5",
		     "unknown keyword 'load'");
	expect_error("service 10.0.0.0/8 available -1",
		     "bad number '-1' for available (expected 0-4294967295)");
	expect_error(
		"service 10.0.0.0/8 available 4294967296",
		"bad number '4294967296' for available (expected 0-4294967295)");
	expect_error("service 10.0.0.0/8 available 1x",
		     "bad number '1x' for available (expected 0-4294967295)");
	expect_error("service 10.0.0.0/8 available 1 cpu 101",
		     "cpu 101 out of range 0-100");
	expect_error("service 10.0.0.0/8 available 1 score 11",
		     "score 11 out of range 0-10");
	expect_error("service 10.0.0.0/8 available 120 total 100",
		     "available 120 exceeds total 100");
	expect_error("service 10.0.0.0/8 available 1\nservice",
		     "invalid octet 0x0a at position 30");
	expect_error("service 10.0.0.0/8 available 1 \xc3\xa9",
		     "invalid octet 0xc3 at position 31");
	memset(big, 'a', sizeof(big));
	big[sizeof(big) - 1] = '\0';
	expect_error(big, "message longer than 512 octets");
}

static void embedded_nul_refused(void **state)
{
	struct cfn_report r;
	char err[200];
	const char line[] = "service 10.0.0.0/8 available 1\0 cpu 5";

	assert_false(
		cfn_report_parse(line, sizeof(line) - 1, &r, err, sizeof(err)));
	assert_string_equal(err, "invalid octet 0x00 at position 30");
}

static void replies(void **state)
{
	char buf[100], reason[100];

	cfn_report_reply(true, NULL, buf, sizeof(buf));
	assert_string_equal(buf, "ok\n");
	assert_true(cfn_report_parse_reply(buf, strlen(buf), reason,
					   sizeof(reason)));
	cfn_report_reply(false, "service 10.0.0.0/8 not configured", buf,
			 sizeof(buf));
	assert_string_equal(buf, "error: service 10.0.0.0/8 not configured\n");
	assert_false(cfn_report_parse_reply(buf, strlen(buf), reason,
					    sizeof(reason)));
	assert_string_equal(reason, "service 10.0.0.0/8 not configured");
	assert_false(
		cfn_report_parse_reply("okay\n", 5, reason, sizeof(reason)));
	assert_string_equal(reason, "unexpected reply 'okay'");
	assert_false(cfn_report_parse_reply("", 0, reason, sizeof(reason)));
	assert_string_equal(reason, "unexpected reply ''");
}

static void apply_to_entry(void **state)
{
	struct cfn_report r;
	struct cfn_svc_entry e = {.metric = 7,
				  .present = CFN_SE_CAP_TOTAL | CFN_SE_SITE,
				  .cap_total = 100,
				  .site_id = "edge-1"};
	char err[200];

	assert_true(parse("service 10.0.0.0/8 available 30 cpu 70", &r, err));
	cfn_report_apply(&r, &e);
	assert_int_equal(e.cap_avail, 30);
	assert_int_equal(e.cap_total, 100); /* not reported: kept */
	assert_int_equal(e.cpu_pct, 70);
	assert_int_equal(e.metric, 7);
	assert_int_equal(e.present, CFN_SE_CAP_TOTAL | CFN_SE_SITE |
					    CFN_SE_CAP_AVAIL | CFN_SE_CPU);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(minimal_request),
		cmocka_unit_test(every_keyword),
		cmocka_unit_test(prices),
		cmocka_unit_test(errors_with_reasons),
		cmocka_unit_test(embedded_nul_refused),
		cmocka_unit_test(replies),
		cmocka_unit_test(apply_to_entry),
	};

	return cmocka_run_group_tests_name("report_proto", tests, NULL, NULL);
}
