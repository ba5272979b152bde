// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * C2SP tlog-proof (https://c2sp.org/tlog-proof) files: an offline proof
 * that an entry is in a log whose checkpoint witnesses cosigned.
 *
 *   c2sp.org/tlog-proof@v1
 *   extra BASE64(data)        (optional; here: the logged record itself)
 *   index DECIMAL
 *   BASE64(hash)              (inclusion proof, leaf's sibling first)
 *   ...
 *   (empty line)
 *   checkpoint note, with its signatures and cosignatures
 *
 * See doc/proof.md.
 */
#ifndef CFN_LEDGER_PROOF_H
#define CFN_LEDGER_PROOF_H

#include <stddef.h>
#include <stdint.h>

#include "merkle.h"

#define PROOF_HEADER "c2sp.org/tlog-proof@v1"
#define PROOF_FILE_MAX (256 * 1024)

struct tlog_proof {
	uint8_t *extra; /* malloc'd, NULL when absent */
	size_t extra_len;
	uint64_t index;
	struct merkle_proof proof;
	const char *note; /* points into the parsed text */
	size_t note_len;
};

/* Strict parse (one spelling per proof).  0 or -1; free with proof_free. */
int proof_parse(const char *text, size_t len, struct tlog_proof *p, char *err,
		size_t errlen);
void proof_free(struct tlog_proof *p);
/* Format a proof (malloc'd, NUL-terminated); extra may be NULL. */
int proof_format(const uint8_t *extra, size_t extra_len, uint64_t index,
		 const struct merkle_proof *proof, const char *note,
		 size_t note_len, char **out, size_t *outlen);

#endif
