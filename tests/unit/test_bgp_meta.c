// SPDX-License-Identifier: GPL-2.0-or-later
/* Round trip and RFC 7606 fault detection of the Edge Metadata codec. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "bgp_meta.h"

static struct bgp_meta_codes codes(void)
{
	struct bgp_meta_codes c;

	bgp_meta_codes_default(&c);
	return c;
}

static struct bgp_meta full(void)
{
	struct bgp_meta m = {0};

	m.present = (1u << BGP_META_K_COUNT) - 1;
	m.site_pref = 80;
	m.site_avail = 100;
	m.delay_us = 1500;
	m.metric = 1234;
	m.price_milli = 2000;
	strcpy(m.site, "edge-1");
	m.total = 100;
	m.available = 60;
	m.n_scope = 2;
	m.scope[0] = 65001;
	m.scope[1] = 65002;
	return m;
}

/* The example of doc/bgp-metadata.md section 4, byte for byte. */
static const uint8_t doc_example[] = {
	0x80, 0x2a, 0x47,				/* header */
	0x00, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0x50, /* pref 80 */
	0x00, 0x02, 0x00, 0x01, 0x64,			/* avail 100 */
	0x00, 0x03, 0x00, 0x04, 0x00, 0x00, 0x05, 0xdc, /* delay 1500 */
	0x00, 0x05, 0x00, 0x0e, 0x00, 0x00, 0x04, 0xd2, /* metric 1234 */
	0x00, 0x00, 0x07, 0xd0, 'e',  'd',  'g',  'e',	/* price 2000 */
	'-',  '1',					/* site */
	0x00, 0x06, 0x00, 0x10, 0,    0,    0,	  0,	/* resource */
	0,    0,    0,	  100,	0,    0,    0,	  0,	0,    0,
	0,    60,   0x00, 0x07, 0x00, 0x08, 0x00, 0x00, 0xfd, 0xe9, /* scope */
	0x00, 0x00, 0xfd, 0xea,
};

static void round_trip(void **state)
{
	struct bgp_meta_codes c = codes();
	struct bgp_meta m = full(), back;
	struct bgp_meta_result res;
	uint8_t buf[600];
	char err[128];
	int n = bgp_meta_encode_attr(&m, &c, 42, buf, sizeof(buf), err,
				     sizeof(err));

	assert_int_equal(n, sizeof(doc_example));
	assert_memory_equal(buf, doc_example, sizeof(doc_example));
	assert_int_equal(bgp_meta_decode(buf + 3, n - 3, &c, &back, &res),
			 BGP_META_OK);
	assert_true(bgp_meta_equal(&m, &back));
	assert_string_equal(back.site, "edge-1");
	assert_true(bgp_meta_in_scope(&back, 65002));
	assert_false(bgp_meta_in_scope(&back, 65004));
}

static void subset_and_unknown_skipped(void **state)
{
	struct bgp_meta_codes c = codes();
	struct bgp_meta m = {0}, back;
	struct bgp_meta_result res;
	uint8_t buf[64];
	char err[128];

	m.present = 1u << BGP_META_K_SITE_AVAIL;
	m.site_avail = 0;
	int n = bgp_meta_encode(&m, &c, buf, sizeof(buf), err, sizeof(err));

	assert_int_equal(n, 5);
	/* An unknown sub-TLV (type 200, 3 octets) in front is skipped. */
	uint8_t two[32] = {0x00, 200, 0x00, 0x03, 1, 2, 3};

	memcpy(two + 7, buf, n);
	assert_int_equal(bgp_meta_decode(two, 7 + n, &c, &back, &res),
			 BGP_META_OK);
	assert_int_equal(res.n_unknown, 1);
	assert_true(bgp_meta_equal(&m, &back));
	assert_false(bgp_meta_in_scope(&back, 65001));
}

static void expect(const uint8_t *v, size_t n, enum bgp_meta_fault f,
		   size_t off)
{
	struct bgp_meta_codes c = codes();
	struct bgp_meta back;
	struct bgp_meta_result res;

	assert_int_equal(bgp_meta_decode(v, n, &c, &back, &res), f);
	assert_int_equal(res.fault, f);
	assert_int_equal(res.offset, off);
}

static void malformed(void **state)
{
	const uint8_t *ex = doc_example + 3;
	size_t n = sizeof(doc_example) - 3;
	uint8_t v[128];

	expect(ex, 0, BGP_META_E_EMPTY, 0);
	/* short: the attribute ends inside a sub-TLV header */
	expect(ex, 3, BGP_META_E_SHORT_HDR, 0);
	expect(ex, 8 + 2, BGP_META_E_SHORT_HDR, 8);
	/* overlong: a sub-TLV length runs past the attribute */
	expect(ex, 7, BGP_META_E_OVERRUN, 0);
	memcpy(v, ex, n);
	v[2] = 0x01; /* 260 octets */
	expect(v, n, BGP_META_E_OVERRUN, 0);
	/* bad sub-TLV length for a fixed-size kind (pref: 4) */
	memcpy(v, ex, n);
	uint8_t bad_pref[] = {0x00, 0x01, 0x00, 0x02, 0x00, 0x50};

	expect(bad_pref, sizeof(bad_pref), BGP_META_E_SUB_LENGTH, 0);
	/* duplicate: site availability twice */
	uint8_t dup[] = {0x00, 0x02, 0x00, 0x01, 50,
			 0x00, 0x02, 0x00, 0x01, 60};

	expect(dup, sizeof(dup), BGP_META_E_DUPLICATE, 5);
	/* range: availability 101, available above total */
	uint8_t range[] = {0x00, 0x02, 0x00, 0x01, 101};

	expect(range, sizeof(range), BGP_META_E_RANGE, 0);
	memcpy(v, ex, n);
	v[58] = 200; /* available low octet: 200 > total 100 */
	expect(v, n, BGP_META_E_RANGE, 39);
	/* AS scope not a multiple of 4 */
	uint8_t scope[] = {0x00, 0x07, 0x00, 0x03, 0, 0, 1};

	expect(scope, sizeof(scope), BGP_META_E_SUB_LENGTH, 0);
}

static void encode_refuses(void **state)
{
	struct bgp_meta_codes c = codes();
	struct bgp_meta m = full();
	uint8_t buf[600];
	char err[128] = "";

	m.site_avail = 101;
	assert_int_equal(
		bgp_meta_encode(&m, &c, buf, sizeof(buf), err, sizeof(err)),
		-1);
	assert_string_equal(err, "site availability 101 above 100");
	m = full();
	assert_int_equal(bgp_meta_encode(&m, &c, buf, 10, err, sizeof(err)),
			 -1);
	assert_string_equal(err, "attribute needs 71 octets");
	c.code[BGP_META_K_DELAY] = c.code[BGP_META_K_SITE_PREF];
	assert_int_equal(bgp_meta_codes_validate(&c, err, sizeof(err)), -1);
	assert_string_equal(
		err,
		"site-preference and service-delay-prediction share code 1");
}

static void configured_codes(void **state)
{
	struct bgp_meta_codes c = codes(), other = codes();
	struct bgp_meta m = full(), back;
	uint8_t buf[600];
	char err[128];

	c.code[BGP_META_K_AS_SCOPE] = 0x8007;
	int n = bgp_meta_encode(&m, &c, buf, sizeof(buf), err, sizeof(err));

	assert_true(n > 0);
	assert_int_equal(bgp_meta_decode(buf, n, &c, &back, NULL), BGP_META_OK);
	assert_true(bgp_meta_equal(&m, &back));
	/* A receiver with the default table skips the scope as unknown. */
	struct bgp_meta_result res;

	assert_int_equal(bgp_meta_decode(buf, n, &other, &back, &res),
			 BGP_META_OK);
	assert_int_equal(res.n_unknown, 1);
	assert_false(BGP_META_HAS(&back, BGP_META_K_AS_SCOPE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_trip),
		cmocka_unit_test(subset_and_unknown_skipped),
		cmocka_unit_test(malformed),
		cmocka_unit_test(encode_refuses),
		cmocka_unit_test(configured_codes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
