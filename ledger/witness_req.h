// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The body of a C2SP tlog-witness add-checkpoint request
 * (https://c2sp.org/tlog-witness):
 *
 *   "old " DECIMAL "\n"
 *   BASE64(hash) "\n"      (0..63 consistency proof lines)
 *   "\n"
 *   signed checkpoint note
 */
#ifndef CFN_LEDGER_WITNESS_REQ_H
#define CFN_LEDGER_WITNESS_REQ_H

#include <stddef.h>
#include <stdint.h>

#include "merkle.h"

#define WITNESS_PROOF_MAX 63
#define WITNESS_REQ_MAX (128 * 1024)
#define WITNESS_SIZE_CTYPE "text/x.tlog.size"

struct witness_req {
	uint64_t old;
	struct merkle_proof proof;
	const char *note; /* points into the request body */
	size_t note_len;
};

/* Strict: no leading zeroes, padded base64, '\n' endings.  0 or -1. */
int witness_req_parse(const char *body, size_t len, struct witness_req *r,
		      char *err, size_t errlen);
/* The request for a note and proof (malloc'd, NUL-terminated). */
int witness_req_format(uint64_t old, const struct merkle_proof *proof,
		       const char *note, size_t note_len, char **out,
		       size_t *outlen);
/* Parse a decimal with no leading zeroes ("0" alone allowed) of n bytes. */
int witness_parse_u64(const char *s, size_t n, uint64_t *v);

#endif
