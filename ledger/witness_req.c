// SPDX-License-Identifier: GPL-2.0-or-later
/* tlog-witness add-checkpoint request bodies.  See witness_req.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "note.h"
#include "util.h"
#include "witness_req.h"

int witness_parse_u64(const char *s, size_t n, uint64_t *v)
{
	uint64_t x = 0;

	if (n == 0 || n > 20 || (s[0] == '0' && n > 1))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' ||
		    x > (UINT64_MAX - (uint64_t)(s[i] - '0')) / 10)
			return -1;
		x = x * 10 + (uint64_t)(s[i] - '0');
	}
	*v = x;
	return 0;
}

int witness_req_parse(const char *body, size_t len, struct witness_req *r,
		      char *err, size_t errlen)
{
	const char *p = body, *end = body + len, *nl;

	memset(r, 0, sizeof(*r));
	nl = memchr(p, '\n', len);
	if (!nl || nl - p < 5 || memcmp(p, "old ", 4) != 0 ||
	    witness_parse_u64(p + 4, (size_t)(nl - p - 4), &r->old) < 0)
		return cfn_err(err, errlen, "bad old size line");
	for (p = nl + 1;; p = nl + 1) {
		if (p >= end)
			return cfn_err(err, errlen,
				       "no empty line before the "
				       "checkpoint");
		nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return cfn_err(err, errlen, "unterminated proof line");
		if (nl == p)
			break;
		if (r->proof.n == WITNESS_PROOF_MAX)
			return cfn_err(err, errlen,
				       "more than 63 consistency proof lines");
		if (note_b64_decode(p, (size_t)(nl - p), r->proof.h[r->proof.n],
				    MERKLE_HASH_LEN) != MERKLE_HASH_LEN)
			return cfn_err(err, errlen,
				       "bad consistency proof line");
		r->proof.n++;
	}
	r->note = nl + 1;
	r->note_len = (size_t)(end - r->note);
	if (r->note_len == 0)
		return cfn_err(err, errlen, "no checkpoint");
	return 0;
}

int witness_req_format(uint64_t old, const struct merkle_proof *proof,
		       const char *note, size_t note_len, char **out,
		       size_t *outlen)
{
	size_t cap = 32 + proof->n * 46 + note_len + 1, o;
	char *b = malloc(cap);

	if (!b)
		return -1;
	o = (size_t)snprintf(b, cap, "old %llu\n", (unsigned long long)old);
	for (size_t i = 0; i < proof->n; i++) {
		o += (size_t)note_b64_encode(proof->h[i], MERKLE_HASH_LEN,
					     b + o, cap - o);
		b[o++] = '\n';
	}
	b[o++] = '\n';
	memcpy(b + o, note, note_len);
	o += note_len;
	b[o] = '\0';
	*out = b;
	*outlen = o;
	return 0;
}
