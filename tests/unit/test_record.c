// SPDX-License-Identifier: GPL-2.0-or-later
/* Canonical decision records: JSON, encoding, strict decoding, signing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "record.h"

static const char example[] =
	"{\"origin\": \"r1\", \"seq\": 7, \"time\": \"2026-11-24T12:00:00Z\", "
	"\"service\": \"203.0.113.10/32\", \"sites\": [\"r3\"], \"cost\": 35, "
	"\"path\": [\"r1\", \"r2\", \"r3\"]}";

/* The encoding of `example`, written out by hand from doc/ledger-record.md. */
static const uint8_t example_bytes[] = {
	'C',  'F',  'N',  'R',	0x01, 0x00,	     /* magic, v1, unsigned */
	0x02, 'r',  '1',			     /* origin */
	0,    0,    0,	  0,	0,    0,    0,	  7, /* seq */
	0x00, 0x00, 0x00, 0x00, 0x6b, 0x05, 0x7c, 0x40, /* time_s */
	0,    0,    0,	  0,				/* time_ns */
	0x04, 32,   203,  0,	113,  10,		/* service */
	0x01, 0x02, 'r',  '3',				/* sites */
	0,    0,    0,	  35,	0,    0,    0,	  0,	0,   0,
	0,    0, /* cost, net, compute */
	0x03, 0x02, 'r',  '1',	0x02, 'r',  '2',  0x02, 'r', '3', /* path */
};

static void json_example_encodes(void **state)
{
	struct record r;
	uint8_t buf[RECORD_MAX_LEN];
	char err[256];
	int n;

	assert_int_equal(record_from_json(example, &r, err, sizeof(err)), 0);
	assert_string_equal(r.origin, "r1");
	assert_int_equal(r.seq, 7);
	assert_int_equal(r.time_s, 1795521600);
	assert_int_equal(r.nsites, 1);
	assert_int_equal(r.npath, 3);
	n = record_encode(&r, buf, sizeof(buf), err, sizeof(err));
	assert_int_equal(n, sizeof(example_bytes));
	assert_memory_equal(buf, example_bytes, sizeof(example_bytes));
}

static void json_roundtrip(void **state)
{
	struct record r, r2;
	char err[256], *js;

	assert_int_equal(
		record_from_json(
			"{\"origin\":\"r9\",\"seq\":18446744073709551615,"
			"\"time\":\"2026-02-28T23:59:59.5Z\","
			"\"service\":\"2001:db8::/32\",\"sites\":[],"
			"\"cost\":4294967295,\"net_dist\":20,\"compute\":15,"
			"\"path\":[\"r9\"]}",
			&r, err, sizeof(err)),
		0);
	assert_int_equal(r.time_ns, 500000000);
	assert_int_equal(r.family, 6);
	js = record_to_json(&r);
	assert_non_null(js);
	assert_string_equal(
		js,
		"{\"origin\":\"r9\",\"seq\":18446744073709551615,"
		"\"time\":\"2026-02-28T23:59:59.500000000Z\","
		"\"service\":\"2001:db8::/32\",\"sites\":[],"
		"\"cost\":4294967295,\"net_dist\":20,\"compute\":15,"
		"\"path\":[\"r9\"]}");
	assert_int_equal(record_from_json(js, &r2, err, sizeof(err)), 0);
	assert_memory_equal(&r, &r2, sizeof(r));
	free(js);
}

static void json_rejects(void **state)
{
	static const char *const bad[] = {
		"[]",
		"{\"origin\":\"r1\",\"seq\":1,\"time\":\"2026-11-24T12:00:00Z\"}",
		"{\"origin\":\"r 1\",\"seq\":1,\"time\":\"2026-11-24T12:00:00Z\",\"service\":\"192.0.2.0/24\"}",
		"{\"origin\":\"r1\",\"seq\":-1,\"time\":\"2026-11-24T12:00:00Z\",\"service\":\"192.0.2.0/24\"}",
		"{\"origin\":\"r1\",\"seq\":1,\"time\":\"2026-02-30T12:00:00Z\",\"service\":\"192.0.2.0/24\"}",
		"{\"origin\":\"r1\",\"seq\":1,\"time\":\"2026-11-24T12:00:00+01:00\",\"service\":\"192.0.2.0/24\"}",
		"{\"origin\":\"r1\",\"seq\":1,\"time\":\"2026-11-24T12:00:00Z\",\"service\":\"192.0.2.1/24\"}",
		"{\"origin\":\"r1\",\"seq\":1,\"time\":\"2026-11-24T12:00:00Z\",\"service\":\"192.0.2.0/33\"}",
		"{\"origin\":\"r1\",\"seq\":1,\"time\":\"2026-11-24T12:00:00Z\",\"service\":\"192.0.2.0\"}",
		"{\"origin\":\"r1\",\"seq\":1,\"time\":\"2026-11-24T12:00:00Z\",\"service\":\"192.0.2.0/24\",\"cost\":4294967296}",
		"{\"origin\":\"r1\",\"seq\":1,\"time\":\"2026-11-24T12:00:00Z\",\"service\":\"192.0.2.0/24\",\"bogus\":1}",
		"{\"origin\":\"r1\",\"seq\":1,\"time\":\"2026-11-24T12:00:00Z\",\"service\":\"192.0.2.0/24\",\"sites\":[1]}",
		"{\"origin\":\"r1\",\"seq\":1,\"time\":\"2026-11-24T12:00:00Z\",\"service\":\"192.0.2.0/24\",\"signer\":\"0000000g\",\"sig\":\"\"}",
		"{\"origin\":\"r1\",\"seq\":1,\"time\":\"2026-11-24T12:00:00Z\",\"service\":\"192.0.2.0/24\"} x",
	};
	struct record r;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		if (record_from_json(bad[i], &r, err, sizeof(err)) != -1)
			fail_msg("accepted: %s", bad[i]);
		assert_true(strlen(err) > 0);
	}
}

/* Every truncation and every single-byte change of a valid record is
 * either rejected or decodes to something that re-encodes identically. */
static void strict_decoder(void **state)
{
	uint8_t buf[sizeof(example_bytes) + 1];
	struct record r;
	char err[256];

	assert_int_equal(record_decode(example_bytes, sizeof(example_bytes), &r,
				       err, sizeof(err)),
			 0);
	for (size_t n = 0; n < sizeof(example_bytes); n++)
		assert_int_equal(
			record_decode(example_bytes, n, &r, err, sizeof(err)),
			-1);
	memcpy(buf, example_bytes, sizeof(example_bytes));
	buf[sizeof(example_bytes)] = 0;
	assert_int_equal(record_decode(buf, sizeof(buf), &r, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "trailing"));
	for (size_t i = 0; i < sizeof(example_bytes); i++)
		for (int v = 0; v < 256; v += 17) {
			uint8_t out[RECORD_MAX_LEN];
			int n;

			memcpy(buf, example_bytes, sizeof(example_bytes));
			buf[i] = (uint8_t)v;
			if (record_decode(buf, sizeof(example_bytes), &r, err,
					  sizeof(err)) < 0)
				continue;
			n = record_encode(&r, out, sizeof(out), err,
					  sizeof(err));
			assert_int_equal(n, sizeof(example_bytes));
			assert_memory_equal(out, buf, sizeof(example_bytes));
		}
	/* host bits in the service address are not canonical */
	memcpy(buf, example_bytes, sizeof(example_bytes));
	buf[30] = 24; /* /24 over 203.0.113.10 */
	assert_int_equal(
		record_decode(buf, sizeof(example_bytes), &r, err, sizeof(err)),
		-1);
}

static void sign_and_verify(void **state)
{
	struct note_key *k, *other, *pub;
	struct record r, d;
	uint8_t buf[RECORD_MAX_LEN];
	char err[256], vk[NOTE_VKEY_MAX];
	int n;

	assert_int_equal(note_key_generate("r1", &k, err, sizeof(err)), 0);
	assert_int_equal(note_key_generate("r2", &other, err, sizeof(err)), 0);
	note_key_format_vkey(k, vk, sizeof(vk));
	assert_int_equal(note_key_parse_vkey(vk, &pub, err, sizeof(err)), 0);
	assert_int_equal(record_from_json(example, &r, err, sizeof(err)), 0);
	assert_int_equal(record_verify(&r, &pub, 1, err, sizeof(err)), -1);
	assert_int_equal(record_sign(&r, k, err, sizeof(err)), 0);
	n = record_encode(&r, buf, sizeof(buf), err, sizeof(err));
	assert_int_equal(n, sizeof(example_bytes) + 4 + 64);
	assert_int_equal(record_decode(buf, (size_t)n, &d, err, sizeof(err)),
			 0);
	assert_int_equal(record_verify(&d, &pub, 1, err, sizeof(err)), 0);
	/* unknown signer */
	assert_int_equal(record_verify(&d, &other, 1, err, sizeof(err)), -1);
	/* changed content */
	d.cost++;
	assert_int_equal(record_verify(&d, &pub, 1, err, sizeof(err)), -1);
	/* r2's key cannot sign for origin r1 */
	assert_int_equal(record_sign(&r, other, err, sizeof(err)), 0);
	assert_int_equal(record_verify(&r, &other, 1, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "signed by key of r2"));
	note_key_free(k);
	note_key_free(other);
	note_key_free(pub);
}

static void peek_key(void **state)
{
	char origin[64];
	uint64_t seq;

	assert_int_equal(record_peek_key(example_bytes, sizeof(example_bytes),
					 origin, &seq),
			 0);
	assert_string_equal(origin, "r1");
	assert_int_equal(seq, 7);
	assert_int_equal(record_peek_key(example_bytes, 10, origin, &seq), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(json_example_encodes),
		cmocka_unit_test(json_roundtrip),
		cmocka_unit_test(json_rejects),
		cmocka_unit_test(strict_decoder),
		cmocka_unit_test(sign_and_verify),
		cmocka_unit_test(peek_key),
	};

	return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
