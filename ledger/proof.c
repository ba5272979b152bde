// SPDX-License-Identifier: GPL-2.0-or-later
/* C2SP tlog-proof files.  See proof.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "note.h"
#include "proof.h"
#include "util.h"
#include "witness_req.h"

/* The next '\n'-terminated line [*p, nl); NULL at the end. */
static const char *line(const char *p, const char *end)
{
	return p < end ? memchr(p, '\n', (size_t)(end - p)) : NULL;
}

int proof_parse(const char *text, size_t len, struct tlog_proof *p, char *err,
		size_t errlen)
{
	const char *s = text, *end = text + len, *nl;
	size_t hl = strlen(PROOF_HEADER);

	memset(p, 0, sizeof(*p));
	nl = line(s, end);
	if (!nl || (size_t)(nl - s) != hl || memcmp(s, PROOF_HEADER, hl))
		return cfn_err(err, errlen, "not a %s file", PROOF_HEADER);
	s = nl + 1;
	nl = line(s, end);
	if (nl && nl - s > 6 && !memcmp(s, "extra ", 6)) {
		size_t bl = (size_t)(nl - s - 6);
		int n;

		p->extra = malloc(bl / 4 * 3 + 1);
		n = p->extra ? note_b64_decode(s + 6, bl, p->extra,
					       bl / 4 * 3 + 1)
			     : -1;
		if (n < 0) {
			proof_free(p);
			return cfn_err(err, errlen, "bad extra line");
		}
		p->extra_len = (size_t)n;
		s = nl + 1;
		nl = line(s, end);
	}
	if (!nl || nl - s < 7 || memcmp(s, "index ", 6) ||
	    witness_parse_u64(s + 6, (size_t)(nl - s - 6), &p->index) < 0) {
		proof_free(p);
		return cfn_err(err, errlen, "bad index line");
	}
	for (s = nl + 1; (nl = line(s, end)) && nl != s; s = nl + 1) {
		if (p->proof.n == MERKLE_MAX_PROOF ||
		    note_b64_decode(s, (size_t)(nl - s), p->proof.h[p->proof.n],
				    MERKLE_HASH_LEN) != MERKLE_HASH_LEN) {
			proof_free(p);
			return cfn_err(err, errlen, "bad inclusion proof line");
		}
		p->proof.n++;
	}
	if (!nl || nl + 1 >= end) {
		proof_free(p);
		return cfn_err(err, errlen, "no checkpoint after the proof");
	}
	p->note = nl + 1;
	p->note_len = (size_t)(end - p->note);
	return 0;
}

void proof_free(struct tlog_proof *p)
{
	free(p->extra);
	p->extra = NULL;
}

int proof_format(const uint8_t *extra, size_t extra_len, uint64_t index,
		 const struct merkle_proof *proof, const char *note,
		 size_t note_len, char **out, size_t *outlen)
{
	size_t cap = 64 + (extra_len + 2) / 3 * 4 + proof->n * 46 + note_len, o;
	char *b = malloc(cap);

	if (!b)
		return -1;
	o = (size_t)snprintf(b, cap, PROOF_HEADER "\n");
	if (extra) {
		o += (size_t)snprintf(b + o, cap - o, "extra ");
		o += (size_t)note_b64_encode(extra, extra_len, b + o, cap - o);
		b[o++] = '\n';
	}
	o += (size_t)snprintf(b + o, cap - o, "index %llu\n",
			      (unsigned long long)index);
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
