// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Export protocol decoder: arbitrary bytes split into frames and decoded
 * as every message type.  Whatever decodes must re-encode to exactly the
 * same frame (one encoding per message), and no decoder may read past the
 * input (ASan).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "export_proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void same(const struct export_buf *b, const uint8_t *frame, size_t len)
{
	if (b->len != len || memcmp(b->data, frame, len) != 0)
		abort();
}

static void one(const struct export_frame *f, const uint8_t *raw, size_t n)
{
	static struct export_blob blobs[EXPORT_BATCH_MAX];
	static struct export_ack_ent ents[EXPORT_BATCH_MAX];
	struct export_buf b = {0};
	struct export_hello h;
	struct export_ack a = {.ents = ents};
	struct export_error e;
	struct export_checkpoint c;
	struct export_entry en;
	uint8_t nonce[EXPORT_NONCE_LEN], proof[EXPORT_HELLO_PROOF_MAX];
	uint64_t from;
	size_t cnt, i, start;

	if (export_dec_hello(f, &h, NULL, 0) == 0) {
		if (export_enc_hello(&b, &h) < 0)
			abort();
		same(&b, raw, n);
		/* what a signature covers is defined for every valid hello */
		memset(nonce, 0, sizeof(nonce));
		if (export_hello_proof(nonce, &h, proof, sizeof(proof)) < 0)
			abort();
	}
	b.len = 0;
	if (export_dec_challenge(f, nonce, NULL, 0) == 0) {
		if (export_enc_challenge(&b, nonce) < 0)
			abort();
		same(&b, raw, n);
	}
	b.len = 0;
	if (export_dec_batch(f, blobs, EXPORT_BATCH_MAX, &cnt, NULL, 0) == 0) {
		if (export_batch_begin(&b, &start) < 0)
			abort();
		for (i = 0; i < cnt; i++)
			if (export_batch_add(&b, start, blobs[i].data,
					     blobs[i].len) < 0)
				abort();
		if (export_batch_end(&b, start) < 0)
			abort();
		same(&b, raw, n);
	}
	b.len = 0;
	if (export_dec_ack(f, &a, NULL, 0) == 0) {
		if (export_enc_ack(&b, &a) < 0)
			abort();
		same(&b, raw, n);
	}
	b.len = 0;
	if (export_dec_error(f, &e, NULL, 0) == 0) {
		if (export_enc_error(&b, &e) < 0 || b.len != n)
			abort();
	}
	b.len = 0;
	if (export_dec_checkpoint(f, &c, NULL, 0) == 0) {
		if (export_enc_checkpoint(&b, &c) < 0)
			abort();
		same(&b, raw, n);
	}
	b.len = 0;
	if (export_dec_subscribe(f, &from, NULL, 0) == 0) {
		if (export_enc_subscribe(&b, from) < 0)
			abort();
		same(&b, raw, n);
	}
	b.len = 0;
	if (export_dec_entry(f, &en, NULL, 0) == 0) {
		if (export_enc_entry(&b, &en) < 0)
			abort();
		same(&b, raw, n);
	}
	export_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct export_frame f;
	size_t off = 0, used;
	int code;

	/* A copy of exactly the input, so ASan sees any over-read. */
	uint8_t *buf = malloc(size ? size : 1);

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	while (export_frame_parse(buf + off, size - off, &f, &used, &code, NULL,
				  0) == 1) {
		one(&f, buf + off, used);
		off += used;
	}
	free(buf);
	return 0;
}
