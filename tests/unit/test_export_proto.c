// SPDX-License-Identifier: GPL-2.0-or-later
/* Export protocol codec: round trips, exact bytes, strict rejection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "export_proto.h"

static int parse_one(const struct export_buf *b, struct export_frame *f)
{
	size_t used;
	int code;
	char err[128];
	int rc = export_frame_parse(b->data, b->len, f, &used, &code, err,
				    sizeof(err));

	if (rc == 1)
		assert_int_equal(used, b->len);
	return rc;
}

static void test_hello_bytes(void **state)
{
	struct export_buf b = {0};
	struct export_hello h = {.name = "r1", .key_id = 0x0a0b0c0d}, h2;
	struct export_frame f;
	static const uint8_t want[] = {0, 0,   0,   7,	  1,	1,    0,   0,
				       2, 'r', '1', 0x0a, 0x0b, 0x0c, 0x0d};

	assert_int_equal(export_enc_hello(&b, &h), 0);
	assert_int_equal(b.len, sizeof(want));
	assert_memory_equal(b.data, want, sizeof(want));
	assert_int_equal(parse_one(&b, &f), 1);
	assert_int_equal(export_dec_hello(&f, &h2, NULL, 0), 0);
	assert_string_equal(h2.name, "r1");
	assert_int_equal(h2.key_id, 0x0a0b0c0d);
	export_buf_free(&b);
}

/* CHALLENGE and the signed HELLO that answers it (doc/export-protocol.md) */
static void test_challenge_and_signed_hello(void **state)
{
	struct export_buf b = {0};
	struct export_hello h = {.name = "r1", .key_id = 0x0a0b0c0d}, h2;
	struct export_frame f;
	uint8_t nonce[EXPORT_NONCE_LEN], got[EXPORT_NONCE_LEN];
	uint8_t proof[EXPORT_HELLO_PROOF_MAX];
	static const char ctx[] = "CFN export hello v1\n";
	int n;

	for (size_t i = 0; i < sizeof(nonce); i++)
		nonce[i] = (uint8_t)(0xa0 + i);
	assert_int_equal(export_enc_challenge(&b, nonce), 0);
	assert_int_equal(b.len, 8 + 32);
	assert_int_equal(b.data[5], EXPORT_MSG_CHALLENGE);
	assert_int_equal(parse_one(&b, &f), 1);
	assert_int_equal(export_dec_challenge(&f, got, NULL, 0), 0);
	assert_memory_equal(got, nonce, sizeof(nonce));
	f.len = 31;
	assert_int_equal(export_dec_challenge(&f, got, NULL, 0), -1);
	b.len = 0;

	n = export_hello_proof(nonce, &h, proof, sizeof(proof));
	assert_int_equal(n, 20 + 32 + 1 + 2 + 4);
	assert_memory_equal(proof, ctx, 20);
	assert_memory_equal(proof + 20, nonce, 32);
	assert_memory_equal(proof + 52, "\x02r1\x0a\x0b\x0c\x0d", 7);

	h.has_sig = true;
	memset(h.sig, 0x5a, sizeof(h.sig));
	assert_int_equal(export_enc_hello(&b, &h), 0);
	assert_int_equal(b.len, 8 + 7 + 64);
	assert_int_equal(parse_one(&b, &f), 1);
	assert_int_equal(export_dec_hello(&f, &h2, NULL, 0), 0);
	assert_true(h2.has_sig);
	assert_memory_equal(h2.sig, h.sig, 64);
	f.len--; /* neither without nor with a whole signature */
	assert_int_equal(export_dec_hello(&f, &h2, NULL, 0), -1);
	export_buf_free(&b);
}

static void test_hello_rejects(void **state)
{
	struct export_buf b = {0};
	struct export_hello h = {.name = "bad name"};
	struct export_frame f = {.type = EXPORT_MSG_HELLO};
	uint8_t body[] = {3, 'a', 'b', 0, 0, 0, 0, 1};

	assert_int_equal(export_enc_hello(&b, &h), -1);
	h.name[0] = '\0';
	assert_int_equal(export_enc_hello(&b, &h), -1);
	f.body = body;
	f.len = sizeof(body);
	/* NUL inside the name */
	assert_int_equal(export_dec_hello(&f, &h, NULL, 0), -1);
	body[3] = 'c';
	assert_int_equal(export_dec_hello(&f, &h, NULL, 0), 0);
	f.len = sizeof(body) - 1; /* truncated key id */
	assert_int_equal(export_dec_hello(&f, &h, NULL, 0), -1);
	export_buf_free(&b);
}

static void test_batch_roundtrip(void **state)
{
	struct export_buf b = {0};
	struct export_frame f;
	struct export_blob out[EXPORT_BATCH_MAX];
	uint8_t rec[100];
	size_t start, n, i;

	for (i = 0; i < sizeof(rec); i++)
		rec[i] = (uint8_t)i;
	assert_int_equal(export_batch_begin(&b, &start), 0);
	for (i = 1; i <= 3; i++)
		assert_int_equal(export_batch_add(&b, start, rec, i * 10), 0);
	assert_int_equal(export_batch_end(&b, start), 0);
	assert_int_equal(parse_one(&b, &f), 1);
	assert_int_equal(
		export_dec_batch(&f, out, EXPORT_BATCH_MAX, &n, NULL, 0), 0);
	assert_int_equal(n, 3);
	for (i = 0; i < 3; i++) {
		assert_int_equal(out[i].len, (i + 1) * 10);
		assert_memory_equal(out[i].data, rec, out[i].len);
	}
	/* trailing byte after the last record */
	f.len++;
	assert_int_equal(
		export_dec_batch(&f, out, EXPORT_BATCH_MAX, &n, NULL, 0), -1);
	/* a record length running past the body */
	f.len -= 2;
	assert_int_equal(
		export_dec_batch(&f, out, EXPORT_BATCH_MAX, &n, NULL, 0), -1);
	export_buf_free(&b);
}

static void test_batch_limits(void **state)
{
	struct export_buf b = {0};
	static uint8_t big[EXPORT_RECORD_MAX + 1];
	size_t start, i;

	assert_int_equal(export_batch_begin(&b, &start), 0);
	assert_int_equal(export_batch_add(&b, start, big, sizeof(big)), -1);
	assert_int_equal(export_batch_add(&b, start, big, 0), -1);
	/* empty batches are never sent */
	assert_int_equal(export_batch_end(&b, start), -1);
	assert_int_equal(b.len, 0);
	assert_int_equal(export_batch_begin(&b, &start), 0);
	for (i = 0; i < EXPORT_BATCH_MAX; i++)
		assert_int_equal(export_batch_add(&b, start, big, 1), 0);
	assert_int_equal(export_batch_add(&b, start, big, 1), -1);
	assert_int_equal(export_batch_end(&b, start), 0);
	b.len = 0;
	/* the body limit holds even with few records */
	assert_int_equal(export_batch_begin(&b, &start), 0);
	for (i = 0; export_batch_add(&b, start, big, EXPORT_RECORD_MAX) == 0;
	     i++)
		;
	assert_int_equal(i, (EXPORT_BODY_MAX - 4) / (EXPORT_RECORD_MAX + 4));
	assert_true(b.len - start - EXPORT_HDR_LEN <= EXPORT_BODY_MAX);
	export_buf_free(&b);
}

static void test_ack_roundtrip(void **state)
{
	struct export_buf b = {0};
	struct export_ack_ent ents[2] = {{7, 100, EXPORT_ACK_APPENDED},
					 {8, 3, EXPORT_ACK_DUPLICATE}};
	struct export_ack_ent got[EXPORT_BATCH_MAX];
	struct export_ack a = {
		.origin = "r9", .highest_seq = 8, .count = 2, .ents = ents};
	struct export_ack a2 = {.ents = got};
	struct export_frame f;

	assert_int_equal(export_enc_ack(&b, &a), 0);
	assert_int_equal(parse_one(&b, &f), 1);
	assert_int_equal(export_dec_ack(&f, &a2, NULL, 0), 0);
	assert_string_equal(a2.origin, "r9");
	assert_int_equal(a2.highest_seq, 8);
	assert_int_equal(a2.count, 2);
	assert_int_equal(got[1].seq, 8);
	assert_int_equal(got[1].index, 3);
	assert_int_equal(got[1].status, EXPORT_ACK_DUPLICATE);
	/* an unknown status is refused */
	b.data[b.len - 1] = 9;
	assert_int_equal(parse_one(&b, &f), 1);
	assert_int_equal(export_dec_ack(&f, &a2, NULL, 0), -1);
	export_buf_free(&b);
}

static void test_error_and_misc(void **state)
{
	struct export_buf b = {0};
	struct export_error e = {.code = EXPORT_ERR_RECORD, .seq = 42}, e2;
	struct export_checkpoint c = {.size = 5,
				      .note = (const uint8_t *)"x\n",
				      .note_len = 2},
				 c2;
	struct export_entry en = {.index = 9,
				  .data = (const uint8_t *)"abc",
				  .len = 3},
			    en2;
	struct export_frame f;
	uint64_t from;
	size_t off, used;
	int code;

	strcpy(e.reason, "bad\nsignature");
	assert_int_equal(export_enc_error(&b, &e), 0);
	assert_int_equal(parse_one(&b, &f), 1);
	assert_int_equal(export_dec_error(&f, &e2, NULL, 0), 0);
	assert_int_equal(e2.code, EXPORT_ERR_RECORD);
	assert_int_equal(e2.seq, 42);
	/* control characters are neutralised for logging */
	assert_string_equal(e2.reason, "bad?signature");
	/* decoding the wrong type fails */
	assert_int_equal(export_dec_hello(&f, NULL, NULL, 0), -1);
	b.len = 0;

	assert_int_equal(export_enc_checkpoint(&b, &c), 0);
	assert_int_equal(export_enc_subscribe(&b, 77), 0);
	assert_int_equal(export_enc_entry(&b, &en), 0);
	assert_int_equal(export_enc_checkpoint_req(&b), 0);
	off = 0;
	assert_int_equal(
		export_frame_parse(b.data, b.len, &f, &used, &code, NULL, 0),
		1);
	assert_int_equal(export_dec_checkpoint(&f, &c2, NULL, 0), 0);
	assert_int_equal(c2.size, 5);
	assert_memory_equal(c2.note, "x\n", 2);
	off += used;
	assert_int_equal(export_frame_parse(b.data + off, b.len - off, &f,
					    &used, &code, NULL, 0),
			 1);
	assert_int_equal(export_dec_subscribe(&f, &from, NULL, 0), 0);
	assert_int_equal(from, 77);
	off += used;
	assert_int_equal(export_frame_parse(b.data + off, b.len - off, &f,
					    &used, &code, NULL, 0),
			 1);
	assert_int_equal(export_dec_entry(&f, &en2, NULL, 0), 0);
	assert_int_equal(en2.index, 9);
	assert_memory_equal(en2.data, "abc", 3);
	off += used;
	assert_int_equal(export_frame_parse(b.data + off, b.len - off, &f,
					    &used, &code, NULL, 0),
			 1);
	assert_int_equal(f.type, EXPORT_MSG_CHECKPOINT_REQ);
	assert_int_equal(f.len, 0);
	assert_int_equal(off + used, b.len);
	export_buf_free(&b);
}

static void test_frame_errors(void **state)
{
	uint8_t h[EXPORT_HDR_LEN + 4] = {0, 0, 0, 4, 1, 2, 0, 0, 0, 0, 0, 1};
	struct export_frame f;
	size_t used;
	int code;

	/* incomplete header and body: need more */
	assert_int_equal(export_frame_parse(h, 7, &f, &used, &code, NULL, 0),
			 0);
	assert_int_equal(export_frame_parse(h, 11, &f, &used, &code, NULL, 0),
			 0);
	assert_int_equal(export_frame_parse(h, 12, &f, &used, &code, NULL, 0),
			 1);
	h[4] = 2;
	assert_int_equal(export_frame_parse(h, 8, &f, &used, &code, NULL, 0),
			 -1);
	assert_int_equal(code, EXPORT_ERR_VERSION);
	h[4] = 1;
	h[5] = 0;
	assert_int_equal(export_frame_parse(h, 8, &f, &used, &code, NULL, 0),
			 -1);
	assert_int_equal(code, EXPORT_ERR_PROTOCOL);
	h[5] = 2;
	h[7] = 1;
	assert_int_equal(export_frame_parse(h, 8, &f, &used, &code, NULL, 0),
			 -1);
	h[7] = 0;
	/* oversized body is refused from the header alone */
	h[0] = 0x7f;
	assert_int_equal(export_frame_parse(h, 8, &f, &used, &code, NULL, 0),
			 -1);
	assert_int_equal(code, EXPORT_ERR_TOO_BIG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello_bytes),
		cmocka_unit_test(test_challenge_and_signed_hello),
		cmocka_unit_test(test_hello_rejects),
		cmocka_unit_test(test_batch_roundtrip),
		cmocka_unit_test(test_batch_limits),
		cmocka_unit_test(test_ack_roundtrip),
		cmocka_unit_test(test_error_and_misc),
		cmocka_unit_test(test_frame_errors),
	};

	return cmocka_run_group_tests_name("export_proto", tests, NULL, NULL);
}
