// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Token records: every kind round-trips through the canonical codec, the
 * decoder is strict (no truncation, trailing byte, unknown kind or
 * non-canonical account id is accepted), and the signature covers every
 * byte.  With the argument --examples it prints the doc/tokens.md hex
 * examples instead (tests/tokens/test_tokens_cli.py compares them).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "token_record.h"
#include "token_test_keys.h"

#define T0 1795521600 /* 2026-11-24T12:00:00Z */

/* One record of each kind, as in doc/tokens.md. */
static void example(unsigned kind, struct token_record *t,
		    struct note_key *const keys[4])
{
	memset(t, 0, sizeof(*t));
	t->kind = (uint8_t)kind;
	t->nonce = 1 + kind;
	t->time_s = T0 + kind;
	switch (kind) {
	case TOKEN_GENESIS:
		t->u.genesis.n = 1;
		memcpy(t->u.genesis.keys[0], keys[1]->pub, 32);
		break;
	case TOKEN_ISSUE:
		memcpy(t->u.pay.to, keys[2]->pub, 32);
		t->u.pay.amount = 1000;
		break;
	case TOKEN_TRANSFER:
		memcpy(t->u.pay.to, keys[3]->pub, 32);
		t->u.pay.amount = 25;
		break;
	case TOKEN_PROVIDER:
		strcpy(t->u.provider.router, "r3");
		strcpy(t->u.provider.site, "edge-1");
		t->u.provider.price = 2;
		break;
	case TOKEN_ORDER:
		token_parse_prefix("203.0.113.10/32", &t->u.order.family,
				   &t->u.order.plen, t->u.order.addr);
		strcpy(t->u.order.ingress, "r1");
		t->u.order.units = 100;
		t->u.order.max_price = 3;
		t->u.order.expires_s = T0 + 3600;
		break;
	case TOKEN_RECEIPT:
		t->u.close.order = 5;
		t->u.close.units = 80;
		break;
	case TOKEN_EXPIRY:
		t->u.close.order = 5;
		break;
	}
}

/* Signer of each example kind: log key, issuer, enterprise, provider. */
static const int signer_of[] = {0, 1, 2, 3, 2, 3, 2};

static struct note_key *keys[4];

static int setup(void **state)
{
	(void)state;
	keys[0] = test_key("ledger.example/cfn", 0x10);
	keys[1] = test_key("issuer", 0x11);
	keys[2] = test_key("enterprise", 0x12);
	keys[3] = test_key("provider", 0x13);
	return keys[0] && keys[1] && keys[2] && keys[3] ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	for (int i = 0; i < 4; i++)
		note_key_free(keys[i]);
	return 0;
}

static int signed_example(unsigned kind, struct token_record *t, uint8_t *buf,
			  size_t size)
{
	char err[160];

	example(kind, t, keys);
	assert_int_equal(token_sign(t, keys[signer_of[kind]], err, sizeof(err)),
			 0);
	return token_encode(t, buf, size, err, sizeof(err));
}

static void test_round_trip(void **state)
{
	(void)state;
	for (unsigned k = 0; k <= TOKEN_KIND_MAX; k++) {
		struct token_record t, d;
		uint8_t buf[TOKEN_MAX_LEN], again[TOKEN_MAX_LEN];
		char err[160];
		int n = signed_example(k, &t, buf, sizeof(buf));

		assert_true(n > 0);
		assert_true(token_record_is(buf, (size_t)n));
		assert_int_equal(
			token_decode(buf, (size_t)n, &d, err, sizeof(err)), 0);
		assert_int_equal(d.kind, k);
		assert_int_equal(token_encode(&d, again, sizeof(again), err,
					      sizeof(err)),
				 n);
		assert_memory_equal(buf, again, (size_t)n);
		assert_int_equal(token_verify(&d, err, sizeof(err)), 0);
		assert_memory_equal(d.account, keys[signer_of[k]]->pub, 32);
	}
}

/* Any single flipped byte: undecodable, or a bad signature. */
static void test_every_byte_matters(void **state)
{
	(void)state;
	for (unsigned k = 0; k <= TOKEN_KIND_MAX; k++) {
		struct token_record t, d;
		uint8_t buf[TOKEN_MAX_LEN];
		char err[160];
		int n = signed_example(k, &t, buf, sizeof(buf));

		for (int i = 0; i < n; i++) {
			buf[i] ^= 0x01;
			assert_false(token_decode(buf, (size_t)n, &d, err,
						  sizeof(err)) == 0 &&
				     token_verify_bytes(buf, (size_t)n,
							d.account, err,
							sizeof(err)) == 0);
			buf[i] ^= 0x01;
		}
	}
}

static void test_strict(void **state)
{
	struct token_record t, d;
	uint8_t buf[TOKEN_MAX_LEN + 1];
	char err[160];
	int n;

	(void)state;
	n = signed_example(TOKEN_ORDER, &t, buf, sizeof(buf));
	for (int cut = 0; cut < n; cut++)
		assert_int_equal(
			token_decode(buf, (size_t)cut, &d, err, sizeof(err)),
			-1);
	buf[n] = 0;
	assert_int_equal(token_decode(buf, (size_t)n + 1, &d, err, sizeof(err)),
			 -1);
	assert_non_null(strstr(err, "trailing"));
	buf[5] = TOKEN_KIND_MAX + 1;
	assert_int_equal(token_decode(buf, (size_t)n, &d, err, sizeof(err)),
			 -1);
	/* encoder refuses what the decoder would refuse */
	example(TOKEN_ORDER, &t, keys);
	t.u.order.addr[3] = 11; /* host bits of a /24 */
	t.u.order.plen = 24;
	assert_int_equal(token_encode(&t, buf, sizeof(buf), err, sizeof(err)),
			 -1);
	example(TOKEN_ISSUE, &t, keys);
	t.u.pay.amount = 0;
	assert_int_equal(token_encode(&t, buf, sizeof(buf), err, sizeof(err)),
			 -1);
}

static void test_account_id(void **state)
{
	token_account a, b;
	char id[64];

	(void)state;
	memcpy(a, keys[2]->pub, 32);
	token_account_id(a, id);
	assert_int_equal(strlen(id), TOKEN_ACCOUNT_ID_LEN);
	assert_null(strpbrk(id, "+/="));
	assert_int_equal(token_account_parse(id, b), 0);
	assert_memory_equal(a, b, 32);
	/* a non-zero unused low bit in the last character: not canonical */
	id[42] = id[42] == 'A' ? 'B' : id[42] == 'B' ? 'C' : 'A';
	if (token_account_parse(id, b) == 0)
		assert_memory_not_equal(a, b, 32);
	assert_int_equal(token_account_parse("short", b), -1);
}

static void test_prefix(void **state)
{
	uint8_t f, p, a[16];
	char s[64];

	(void)state;
	assert_int_equal(token_parse_prefix("2001:db8::/32", &f, &p, a), 0);
	assert_int_equal(f, 6);
	token_format_prefix(f, p, a, s, sizeof(s));
	assert_string_equal(s, "2001:db8::/32");
	assert_int_equal(token_parse_prefix("203.0.113.1/24", &f, &p, a), -1);
	assert_int_equal(token_parse_prefix("203.0.113.0/33", &f, &p, a), -1);
	assert_int_equal(token_parse_prefix("203.0.113.0", &f, &p, a), -1);
}

static void print_examples(void)
{
	for (unsigned k = 0; k <= TOKEN_KIND_MAX; k++) {
		struct token_record t;
		uint8_t buf[TOKEN_MAX_LEN];
		struct json_object *o;
		int n = signed_example(k, &t, buf, sizeof(buf));

		o = token_to_json_obj(&t);
		printf("%s %s\n", token_kind_name(k),
		       json_object_to_json_string_ext(
			       o, JSON_C_TO_STRING_PLAIN |
					  JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
		for (int i = 0; i < n; i++)
			printf("%02x%s", buf[i],
			       i + 1 == n ? "\n" : (i % 16 == 15 ? "\n" : " "));
		printf("\n");
	}
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_every_byte_matters),
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_account_id),
		cmocka_unit_test(test_prefix),
	};

	if (argc > 1 && !strcmp(argv[1], "--examples")) {
		if (setup(NULL) < 0)
			return 1;
		print_examples();
		teardown(NULL);
		return 0;
	}
	return cmocka_run_group_tests(tests, setup, teardown);
}
