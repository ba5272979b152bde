// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "tlv.h"

#define APP CFN_GENINFO_APP_ID_DEFAULT

/* Collected decoder reports. */
struct reports {
	int n;
	struct cfn_gi_report r[32];
};

static void collect(void *arg, const struct cfn_gi_report *r)
{
	struct reports *rs = arg;

	if (rs->n < 32)
		rs->r[rs->n] = *r;
	rs->n++;
}

static struct cfn_svc_entry v4entry(const char *pfx, uint32_t metric)
{
	struct cfn_svc_entry e = {.metric = metric};
	char err[128];

	assert_true(cfn_svc_prefix_parse(pfx, &e.prefix, err, sizeof(err)));
	return e;
}

static struct cfn_svc_entry full_entry(const char *pfx)
{
	struct cfn_svc_entry e = v4entry(pfx, 1234);

	e.present = CFN_SE_CAP_TOTAL | CFN_SE_CAP_AVAIL | CFN_SE_CPU |
		    CFN_SE_MEM | CFN_SE_GPU | CFN_SE_SCORE | CFN_SE_PRICE |
		    CFN_SE_SITE;
	e.cap_total = 100;
	e.cap_avail = 60;
	e.cpu_pct = 40;
	e.mem_pct = 55;
	e.gpu_pct = 100;
	e.score = 7;
	e.price_milli = 2500;
	snprintf(e.site_id, sizeof(e.site_id), "edge-paris-1");
	return e;
}

static const struct cfn_geninfo_hdr hdr0 = {.app_id = APP};

static void exact_bytes_of_minimal_entry(void **state)
{
	struct cfn_svc_entry e = v4entry("203.0.113.10/32", 0x10);
	struct cfn_tlv_value tv[1];
	char err[128];
	static const uint8_t want[] = {
		0x00, 0x43, 0x46, /* flags, app id "CF" */
		0x01, 0x0e,	  /* service entry, 14 */
		0x01, 0x06, 0x01, 0x20, 203,  0,    113, 10, /* prefix */
		0x02, 0x04, 0x00, 0x00, 0x00, 0x10,	     /* metric */
	};

	assert_int_equal(
		cfn_geninfo_encode(&hdr0, &e, 1, tv, 1, err, sizeof(err)), 1);
	assert_int_equal(tv[0].len, sizeof(want));
	assert_memory_equal(tv[0].val, want, sizeof(want));
	assert_int_equal(cfn_svc_entry_wire_len(&e), 16);
}

static void roundtrip_full_entry(void **state)
{
	struct cfn_svc_entry e[2] = {full_entry("203.0.113.10/32"),
				     full_entry("198.51.100.0/24")};
	struct cfn_tlv_value tv[1];
	struct cfn_geninfo_decoded dec;
	struct reports rs = {0};
	char err[128];

	e[1].metric = CFN_METRIC_INELIGIBLE;
	e[1].present = CFN_SE_SITE;
	assert_int_equal(
		cfn_geninfo_encode(&hdr0, e, 2, tv, 1, err, sizeof(err)), 1);
	assert_int_equal(cfn_geninfo_decode(tv[0].val, tv[0].len, APP, &dec,
					    collect, &rs),
			 CFN_GI_OK);
	assert_int_equal(rs.n, 0);
	assert_int_equal(dec.n_entries, 2);
	assert_true(cfn_svc_entry_equal(&dec.entries[0], &e[0]));
	assert_true(cfn_svc_entry_equal(&dec.entries[1], &e[1]));
	assert_string_equal(dec.entries[0].site_id, "edge-paris-1");
	assert_int_equal(dec.entries[1].metric, 0xFFFFFFFFu);
	/* /24 carries only 3 prefix octets on the wire */
	assert_int_equal(cfn_svc_entry_wire_len(&e[1]), 2 + 7 + 6 + 14);
}

static void roundtrip_ipv6(void **state)
{
	struct cfn_svc_entry e[3] = {v4entry("2001:db8::10/128", 5),
				     v4entry("2001:db8:1::/48", 6),
				     v4entry("::/0", 7)};
	struct cfn_tlv_value tv[1];
	struct cfn_geninfo_decoded dec;
	char err[128];

	assert_int_equal(e[0].prefix.afi, CFN_AFI_IPV6);
	e[1].present = CFN_SE_SCORE;
	e[1].score = 10;
	assert_int_equal(
		cfn_geninfo_encode(&hdr0, e, 3, tv, 1, err, sizeof(err)), 1);
	/* 3 + (2+20+6) + (2+10+6+3) + (2+4+6) */
	assert_int_equal(tv[0].len, 3 + 28 + 21 + 12);
	assert_int_equal(
		cfn_geninfo_decode(tv[0].val, tv[0].len, APP, &dec, NULL, NULL),
		CFN_GI_OK);
	assert_int_equal(dec.n_entries, 3);
	for (int i = 0; i < 3; i++)
		assert_true(cfn_svc_entry_equal(&dec.entries[i], &e[i]));
}

static void header_flags_and_addresses(void **state)
{
	struct cfn_geninfo_hdr h = {
		.flags = CFN_GENINFO_FLAG_S | 0x80, /* reserved bit dropped */
		.app_id = 0x1234,
		.has_v4 = true,
		.has_v6 = true,
		.v4 = {192, 0, 2, 1},
		.v6 = {0x20, 0x01, 0x0d, 0xb8, [15] = 1},
	};
	struct cfn_svc_entry e = v4entry("10.0.0.0/8", 1);
	struct cfn_tlv_value tv[1];
	struct cfn_geninfo_decoded dec;
	char err[128];

	assert_int_equal(cfn_geninfo_encode(&h, &e, 1, tv, 1, err, sizeof(err)),
			 1);
	assert_int_equal(tv[0].val[0], CFN_GENINFO_FLAG_S | CFN_GENINFO_FLAG_I |
					       CFN_GENINFO_FLAG_V);
	assert_int_equal(tv[0].val[3], 192); /* IPv4 first, per RFC 6823 */
	assert_int_equal(tv[0].val[7], 0x20);
	assert_int_equal(cfn_geninfo_decode(tv[0].val, tv[0].len, 0x1234, &dec,
					    NULL, NULL),
			 CFN_GI_OK);
	assert_true(dec.hdr.has_v4 && dec.hdr.has_v6);
	assert_memory_equal(dec.hdr.v4, h.v4, 4);
	assert_memory_equal(dec.hdr.v6, h.v6, 16);
	assert_int_equal(dec.n_entries, 1);
	assert_true(cfn_svc_entry_equal(&dec.entries[0], &e));
	/* someone else's application id is left alone */
	assert_int_equal(
		cfn_geninfo_decode(tv[0].val, tv[0].len, APP, &dec, NULL, NULL),
		CFN_GI_OTHER_APP);
	assert_int_equal(dec.n_entries, 0);
}

static void spill_into_several_tlvs(void **state,
				    const struct cfn_geninfo_hdr *h,
				    int per_tlv)
{
	enum { N = 40 };
	struct cfn_svc_entry e[N];
	struct cfn_tlv_value tv[8];
	struct cfn_geninfo_decoded dec;
	char err[128], pfx[32];
	int count, want = (N + per_tlv - 1) / per_tlv, k = 0;

	for (int i = 0; i < N; i++) {
		snprintf(pfx, sizeof(pfx), "203.0.113.%d/32", i);
		e[i] = v4entry(pfx, (uint32_t)i * 10);
	}
	assert_int_equal(cfn_geninfo_encode(h, e, N, NULL, 0, err, sizeof(err)),
			 want);
	count = cfn_geninfo_encode(h, e, N, tv, 8, err, sizeof(err));
	assert_int_equal(count, want);
	for (int t = 0; t < count; t++) {
		assert_true(tv[t].len <= 255);
		assert_int_equal(cfn_geninfo_decode(tv[t].val, tv[t].len,
						    h->app_id, &dec, NULL,
						    NULL),
				 CFN_GI_OK);
		/* every TLV is self-contained and full except the last */
		assert_int_equal(dec.n_entries,
				 t < count - 1 ? per_tlv : N - k);
		for (size_t i = 0; i < dec.n_entries; i++, k++)
			assert_true(
				cfn_svc_entry_equal(&dec.entries[i], &e[k]));
	}
	assert_int_equal(k, N);
	/* too few output slots is an error, not a silent truncation */
	assert_int_equal(
		cfn_geninfo_encode(h, e, N, tv, want - 1, err, sizeof(err)),
		-1);
	assert_non_null(strstr(err, "need more than"));
}

static void spill_plain(void **state)
{
	/* 16-octet entries: (255 - 3) / 16 = 15 per TLV */
	spill_into_several_tlvs(state, &hdr0, 15);
}

static void spill_with_addresses(void **state)
{
	struct cfn_geninfo_hdr h = {
		.app_id = APP, .has_v4 = true, .has_v6 = true};

	/* (255 - 23) / 16 = 14 per TLV */
	spill_into_several_tlvs(state, &h, 14);
}

static void max_entries_fit(void **state)
{
	struct cfn_svc_entry e[CFN_GENINFO_MAX_ENTRIES];
	struct cfn_tlv_value tv[2];
	struct cfn_geninfo_decoded dec;
	char err[128];

	/* the smallest entry (a /0) is 12 octets: 21 fill 252 exactly; only
	 * two distinct /0 exist, so a full value of them is written by hand
	 * and the decoder must walk all 21 without running out of room */
	e[0] = v4entry("0.0.0.0/0", 0);
	assert_int_equal(
		cfn_geninfo_encode(&hdr0, e, 1, tv, 2, err, sizeof(err)), 1);
	assert_int_equal(tv[0].len, 15);
	for (int i = 1; i < CFN_GENINFO_MAX_ENTRIES; i++) {
		memcpy(tv[0].val + tv[0].len, tv[0].val + 3, 12);
		tv[0].val[tv[0].len + 4] = (uint8_t)(1 + i % 2); /* AFI */
		tv[0].val[tv[0].len + 11] = (uint8_t)i;		 /* metric */
		tv[0].len += 12;
	}
	assert_int_equal(tv[0].len, 255);
	assert_int_equal(
		cfn_geninfo_decode(tv[0].val, tv[0].len, APP, &dec, NULL, NULL),
		CFN_GI_OK);
	/* one /0 per AFI; the repeats are duplicates */
	assert_int_equal(dec.n_entries, 2);
	assert_int_equal(dec.n_dropped, CFN_GENINFO_MAX_ENTRIES - 2);
	assert_int_equal(dec.entries[1].prefix.afi, CFN_AFI_IPV6);
	assert_int_equal(dec.entries[1].metric, 1);

	/* the encoder refuses to send what receivers would drop */
	e[0] = v4entry("10.0.0.0/8", 1);
	e[1] = v4entry("10.0.0.0/8", 2);
	assert_int_equal(
		cfn_geninfo_encode(&hdr0, e, 2, tv, 2, err, sizeof(err)), -1);
	assert_string_equal(err,
			    "entry 1: duplicate service entry for 10.0.0.0/8");
}

static void encode_refuses_bad_entries(void **state)
{
	struct cfn_svc_entry e = v4entry("10.0.0.0/8", 1);
	struct cfn_tlv_value tv[1];
	char err[128];

	e.prefix.afi = 3;
	assert_int_equal(
		cfn_geninfo_encode(&hdr0, &e, 1, tv, 1, err, sizeof(err)), -1);
	assert_string_equal(err,
			    "entry 0: bad AFI 3 (expected 1=IPv4 or 2=IPv6)");
	e.prefix.afi = CFN_AFI_IPV4;
	e.prefix.plen = 33;
	assert_int_equal(
		cfn_geninfo_encode(&hdr0, &e, 1, tv, 1, err, sizeof(err)), -1);
	assert_string_equal(err, "entry 0: prefix length 33 > 32 for IPv4");
	e.prefix.plen = 8;
	e.present = CFN_SE_CPU;
	e.cpu_pct = 101;
	assert_int_equal(
		cfn_geninfo_encode(&hdr0, &e, 1, tv, 1, err, sizeof(err)), -1);
	assert_string_equal(err,
			    "entry 0: cpu-utilization 101 out of range 0-100");
	e.present = CFN_SE_SITE;
	strcpy(e.site_id, "bad\tsite");
	assert_int_equal(
		cfn_geninfo_encode(&hdr0, &e, 1, tv, 1, err, sizeof(err)), -1);
	assert_string_equal(err,
			    "entry 0: site-id has a non-printable octet 0x09");
	assert_int_equal(
		cfn_geninfo_encode(&hdr0, &e, 0, tv, 1, err, sizeof(err)), 0);
}

/* Raw value builder for the malformed cases. */
struct raw {
	uint8_t b[255];
	size_t n;
};

static void raw_put(struct raw *r, int count, ...)
{
	va_list ap;

	va_start(ap, count);
	for (int i = 0; i < count; i++)
		r->b[r->n++] = (uint8_t)va_arg(ap, int);
	va_end(ap);
}

/* A valid 16-octet entry for 192.0.2.<last>/32 with the given metric. */
static void raw_good(struct raw *r, int last, int metric)
{
	raw_put(r, 16, 1, 14, 1, 6, 1, 32, 192, 0, 2, last, 2, 4, 0, 0, 0,
		metric);
}

static struct raw raw_start(void)
{
	struct raw r = {.n = 0};

	raw_put(&r, 3, 0, 0x43, 0x46);
	return r;
}

/*
 * Decodes good(1) + the bad bytes + good(2) and checks that both good
 * entries survive and exactly one problem with this reason was reported.
 */
static void check_bad_between(struct raw *bad, enum cfn_gi_problem code,
			      const char *reason)
{
	struct raw r = raw_start();
	struct cfn_geninfo_decoded dec;
	struct reports rs = {0};

	raw_good(&r, 1, 11);
	memcpy(r.b + r.n, bad->b, bad->n);
	r.n += bad->n;
	raw_good(&r, 2, 22);
	assert_int_equal(cfn_geninfo_decode(r.b, r.n, APP, &dec, collect, &rs),
			 CFN_GI_OK);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.r[0].code, code);
	assert_true(rs.r[0].dropped);
	assert_int_equal(rs.r[0].entry, 1);
	assert_string_equal(rs.r[0].reason, reason);
	assert_int_equal(dec.n_entries, 2);
	assert_int_equal(dec.n_dropped, 1);
	assert_int_equal(dec.entries[0].metric, 11);
	assert_int_equal(dec.entries[1].metric, 22);
	assert_int_equal(dec.entries[1].prefix.addr[3], 2);
}

static void malformed_truncated_prefix(void **state)
{
	struct raw b = {.n = 0};

	/* /24 needs 3 octets, the field carries 2 */
	raw_put(&b, 13, 1, 12, 1, 4, 1, 24, 10, 0, 2, 4, 0, 0, 0);
	b.b[b.n++] = 5;
	check_bad_between(
		&b, CFN_GI_E_TRUNCATED,
		"truncated prefix: /24 needs 3 octet(s), field has 2");
}

static void malformed_truncated_field_header(void **state)
{
	struct raw b = {.n = 0};

	/* entry ends one octet into a field header */
	raw_put(&b, 17, 1, 15, 1, 6, 1, 32, 10, 0, 0, 1, 2, 4, 0, 0, 0, 1, 9);
	check_bad_between(
		&b, CFN_GI_E_TRUNCATED,
		"truncated: 1 octet(s) left in entry, a field header needs 2");
}

static void malformed_field_length_overflow(void **state)
{
	struct raw b = {.n = 0};

	/* metric claims 9 octets inside a 14-octet entry */
	raw_put(&b, 16, 1, 14, 1, 6, 1, 32, 10, 0, 0, 1, 2, 9, 0, 0, 0, 1);
	check_bad_between(
		&b, CFN_GI_E_OVERFLOW,
		"length overflow: compute-metric field length 9 exceeds the 4 octet(s) left in the entry");
}

static void malformed_bad_afi(void **state)
{
	struct raw b = {.n = 0};

	raw_put(&b, 16, 1, 14, 1, 6, 3, 32, 10, 0, 0, 1, 2, 4, 0, 0, 0, 1);
	check_bad_between(&b, CFN_GI_E_BAD_AFI,
			  "bad AFI 3 (expected 1=IPv4 or 2=IPv6)");
}

static void malformed_plen_v4(void **state)
{
	struct raw b = {.n = 0};

	raw_put(&b, 17, 1, 15, 1, 7, 1, 33, 10, 0, 0, 1, 0, 2, 4, 0, 0, 0, 1);
	check_bad_between(&b, CFN_GI_E_BAD_PLEN,
			  "prefix length 33 > 32 for IPv4");
}

static void malformed_plen_v6(void **state)
{
	struct raw b = {.n = 0};

	raw_put(&b, 10, 1, 10, 1, 2, 2, 129, 2, 4, 0, 0);
	raw_put(&b, 2, 0, 1);
	check_bad_between(&b, CFN_GI_E_BAD_PLEN,
			  "prefix length 129 > 128 for IPv6");
}

static void malformed_duplicate_field(void **state)
{
	struct raw b = {.n = 0};

	raw_put(&b, 22, 1, 20, 1, 6, 1, 32, 10, 0, 0, 1, 2, 4, 0, 0, 0, 1, 2, 4,
		0, 0, 0, 2);
	check_bad_between(&b, CFN_GI_E_DUPLICATE,
			  "duplicate compute-metric field");
}

static void malformed_missing_metric(void **state)
{
	struct raw b = {.n = 0};

	raw_put(&b, 10, 1, 8, 1, 6, 1, 32, 10, 0, 0, 1);
	check_bad_between(&b, CFN_GI_E_MISSING,
			  "missing mandatory compute-metric field");
}

static void malformed_missing_prefix(void **state)
{
	struct raw b = {.n = 0};

	raw_put(&b, 8, 1, 6, 2, 4, 0, 0, 0, 1);
	check_bad_between(&b, CFN_GI_E_MISSING,
			  "missing mandatory prefix field");
}

static void malformed_bad_fixed_length(void **state)
{
	struct raw b = {.n = 0};

	raw_put(&b, 15, 1, 13, 1, 6, 1, 32, 10, 0, 0, 1, 2, 3, 0, 0, 1);
	check_bad_between(&b, CFN_GI_E_BAD_LENGTH,
			  "bad length 3 for compute-metric field (expected 4)");
}

static void malformed_ranges(void **state)
{
	struct raw b = {.n = 0};

	raw_put(&b, 19, 1, 17, 1, 6, 1, 32, 10, 0, 0, 1, 2, 4, 0, 0, 0, 1, 8, 1,
		11);
	check_bad_between(&b, CFN_GI_E_RANGE, "score 11 out of range 0-10");
	b.n = 0;
	raw_put(&b, 19, 1, 17, 1, 6, 1, 32, 10, 0, 0, 1, 2, 4, 0, 0, 0, 1, 6, 1,
		101);
	check_bad_between(&b, CFN_GI_E_RANGE,
			  "memory-utilization 101 out of range 0-100");
	b.n = 0;
	raw_put(&b, 20, 1, 18, 1, 6, 1, 32, 10, 0, 0, 1, 2, 4, 0, 0, 0, 1, 10,
		2, 'a', 0);
	check_bad_between(&b, CFN_GI_E_RANGE,
			  "site-id has a non-printable octet 0x00");
	b.n = 0;
	raw_put(&b, 18, 1, 16, 1, 6, 1, 32, 10, 0, 0, 1, 2, 4, 0, 0, 0, 1, 10,
		0);
	check_bad_between(&b, CFN_GI_E_RANGE,
			  "site-id length 0 out of range 1-64");
}

static void bits_past_length_are_ignored(void **state)
{
	struct raw r = raw_start();
	struct cfn_geninfo_decoded dec;

	raw_put(&r, 15, 1, 13, 1, 5, 1, 20, 10, 1, 0xff, 2, 4, 0, 0, 0, 1);
	assert_int_equal(cfn_geninfo_decode(r.b, r.n, APP, &dec, NULL, NULL),
			 CFN_GI_OK);
	assert_int_equal(dec.n_entries, 1);
	assert_int_equal(dec.entries[0].prefix.addr[2], 0xf0);
}

static void unknown_field_skipped_entry_kept(void **state)
{
	struct raw r = raw_start();
	struct cfn_geninfo_decoded dec;
	struct reports rs = {0};

	raw_put(&r, 21, 1, 19, 1, 6, 1, 32, 10, 0, 0, 1, 77, 3, 9, 9, 9, 2, 4,
		0, 0, 0, 1);
	raw_good(&r, 2, 22);
	assert_int_equal(cfn_geninfo_decode(r.b, r.n, APP, &dec, collect, &rs),
			 CFN_GI_OK);
	assert_int_equal(dec.n_entries, 2);
	assert_int_equal(dec.n_unknown_fields, 1);
	assert_int_equal(dec.n_dropped, 0);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.r[0].code, CFN_GI_I_UNKNOWN_FIELD);
	assert_false(rs.r[0].dropped);
	assert_int_equal(rs.r[0].offset, 3 + 2 + 8);
	assert_string_equal(rs.r[0].reason,
			    "unknown field type 77 (length 3) skipped");
	assert_int_equal(dec.entries[0].metric, 1);
	assert_int_equal(dec.entries[0].present, 0);
}

static void unknown_subtlv_skipped(void **state)
{
	struct raw r = raw_start();
	struct cfn_geninfo_decoded dec;
	struct reports rs = {0};

	raw_put(&r, 4, 9, 2, 0xaa, 0xbb);
	raw_good(&r, 2, 22);
	assert_int_equal(cfn_geninfo_decode(r.b, r.n, APP, &dec, collect, &rs),
			 CFN_GI_OK);
	assert_int_equal(dec.n_entries, 1);
	assert_int_equal(dec.n_unknown_subtlvs, 1);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.r[0].code, CFN_GI_I_UNKNOWN_SUBTLV);
	assert_string_equal(rs.r[0].reason,
			    "unknown sub-TLV type 9 (length 2) skipped");
}

static void duplicate_entry_dropped(void **state)
{
	struct raw b = {.n = 0};

	raw_good(&b, 1, 99);
	check_bad_between(&b, CFN_GI_E_DUP_ENTRY,
			  "duplicate service entry for 192.0.2.1/32");
}

/* Errors that make the rest of the value undelimitable: earlier entries stay.
 */
static void entry_length_overflow_keeps_earlier(void **state)
{
	struct raw r = raw_start();
	struct cfn_geninfo_decoded dec;
	struct reports rs = {0};

	raw_good(&r, 1, 11);
	raw_put(&r, 4, 1, 40, 1, 6);
	assert_int_equal(cfn_geninfo_decode(r.b, r.n, APP, &dec, collect, &rs),
			 CFN_GI_OK);
	assert_int_equal(dec.n_entries, 1);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.r[0].code, CFN_GI_E_OVERFLOW);
	assert_int_equal(rs.r[0].offset, 3 + 16 + 1);
	assert_string_equal(
		rs.r[0].reason,
		"length overflow: sub-TLV length 40 exceeds the 2 octet(s) left");

	r = raw_start();
	rs.n = 0;
	raw_good(&r, 1, 11);
	raw_put(&r, 1, 1);
	assert_int_equal(cfn_geninfo_decode(r.b, r.n, APP, &dec, collect, &rs),
			 CFN_GI_OK);
	assert_int_equal(dec.n_entries, 1);
	assert_int_equal(rs.n, 1);
	assert_int_equal(rs.r[0].code, CFN_GI_E_TRUNCATED);
	assert_string_equal(
		rs.r[0].reason,
		"truncated: 1 octet(s) left, a sub-TLV header needs 2");
}

static void bad_headers(void **state)
{
	struct cfn_geninfo_decoded dec;
	struct reports rs = {0};
	uint8_t shortv[2] = {0, 0x43};
	uint8_t v4cut[5] = {CFN_GENINFO_FLAG_I, 0x43, 0x46, 10, 0};
	uint8_t v6cut[9] = {CFN_GENINFO_FLAG_I | CFN_GENINFO_FLAG_V,
			    0x43,
			    0x46,
			    10,
			    0,
			    0,
			    1,
			    0x20,
			    0x01};

	assert_int_equal(cfn_geninfo_decode(shortv, 2, APP, &dec, collect, &rs),
			 CFN_GI_BAD_HEADER);
	assert_string_equal(rs.r[0].reason,
			    "GENINFO value too short: 2 octet(s), need 3");
	assert_int_equal(cfn_geninfo_decode(v4cut, 5, APP, &dec, collect, &rs),
			 CFN_GI_BAD_HEADER);
	assert_string_equal(
		rs.r[1].reason,
		"GENINFO I flag set but only 2 octet(s) left for the IPv4 address");
	assert_int_equal(cfn_geninfo_decode(v6cut, 9, APP, &dec, collect, &rs),
			 CFN_GI_BAD_HEADER);
	assert_string_equal(
		rs.r[2].reason,
		"GENINFO V flag set but only 2 octet(s) left for the IPv6 address");
	assert_int_equal(rs.n, 3);
	assert_int_equal(rs.r[2].code, CFN_GI_E_HEADER);
	{
		uint8_t big[256] = {0, 0x43, 0x46};

		rs.n = 0;
		assert_int_equal(cfn_geninfo_decode(big, sizeof(big), APP, &dec,
						    collect, &rs),
				 CFN_GI_BAD_HEADER);
		assert_int_equal(rs.n, 1);
		assert_string_equal(
			rs.r[0].reason,
			"GENINFO value longer than 255 octets: 256");
	}
	/* an empty but well-formed value is fine */
	v4cut[0] = CFN_GENINFO_FLAG_S;
	assert_int_equal(cfn_geninfo_decode(v4cut, 3, APP, &dec, collect, &rs),
			 CFN_GI_OK);
	assert_int_equal(dec.n_entries, 0);
}

/* Parses the hex dump between the markers of doc/isis-geninfo.md. */
static size_t doc_hex(uint8_t *buf, size_t max)
{
	const char *srcdir = getenv("srcdir");
	char path[1024], line[256];
	bool in = false;
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/doc/isis-geninfo.md",
		 srcdir ? srcdir : ".");
	f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s", path);
	while (fgets(line, sizeof(line), f)) {
		char *p = line + 4, *end;

		if (strstr(line, "<!-- hex-begin -->"))
			in = true;
		else if (strstr(line, "<!-- hex-end -->"))
			in = false;
		if (!in || strlen(line) < 6 || line[4] != ' ')
			continue;
		for (;;) {
			unsigned long v = strtoul(p, &end, 16);

			if (end == p || n == max)
				break;
			buf[n++] = (uint8_t)v;
			p = end;
		}
	}
	fclose(f);
	return n;
}

static void doc_example_matches(void **state)
{
	struct cfn_geninfo_hdr h = {.app_id = CFN_GENINFO_APP_ID_DEFAULT};
	struct cfn_svc_entry e[2] = {
		full_entry("203.0.113.10/32"),
		v4entry("2001:db8:cf::/48", CFN_METRIC_INELIGIBLE)};
	struct cfn_tlv_value tv[1];
	uint8_t doc[300];
	size_t n = doc_hex(doc, sizeof(doc));
	char err[128];

	e[0].metric = 120;
	e[0].present &= ~CFN_SE_GPU;
	e[0].score = 6;
	e[0].price_milli = 2000;
	snprintf(e[0].site_id, sizeof(e[0].site_id), "edge-1");
	assert_int_equal(cfn_geninfo_encode(&h, e, 2, tv, 1, err, sizeof(err)),
			 1);
	assert_int_equal(n, 2 + tv[0].len);
	assert_int_equal(doc[0], CFN_GENINFO_TLV_TYPE);
	assert_int_equal(doc[1], tv[0].len);
	assert_memory_equal(doc + 2, tv[0].val, tv[0].len);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(exact_bytes_of_minimal_entry),
		cmocka_unit_test(roundtrip_full_entry),
		cmocka_unit_test(roundtrip_ipv6),
		cmocka_unit_test(header_flags_and_addresses),
		cmocka_unit_test(spill_plain),
		cmocka_unit_test(spill_with_addresses),
		cmocka_unit_test(max_entries_fit),
		cmocka_unit_test(encode_refuses_bad_entries),
		cmocka_unit_test(malformed_truncated_prefix),
		cmocka_unit_test(malformed_truncated_field_header),
		cmocka_unit_test(malformed_field_length_overflow),
		cmocka_unit_test(malformed_bad_afi),
		cmocka_unit_test(malformed_plen_v4),
		cmocka_unit_test(malformed_plen_v6),
		cmocka_unit_test(malformed_duplicate_field),
		cmocka_unit_test(malformed_missing_metric),
		cmocka_unit_test(malformed_missing_prefix),
		cmocka_unit_test(malformed_bad_fixed_length),
		cmocka_unit_test(malformed_ranges),
		cmocka_unit_test(bits_past_length_are_ignored),
		cmocka_unit_test(unknown_field_skipped_entry_kept),
		cmocka_unit_test(unknown_subtlv_skipped),
		cmocka_unit_test(duplicate_entry_dropped),
		cmocka_unit_test(entry_length_overflow_keeps_earlier),
		cmocka_unit_test(bad_headers),
		cmocka_unit_test(doc_example_matches),
	};

	return cmocka_run_group_tests_name("tlv", tests, NULL, NULL);
}
