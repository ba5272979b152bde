// SPDX-License-Identifier: GPL-2.0-or-later
// fuzz-sources: ledger/proof.c ledger/witness_req.c
// fuzz-sources: ledger/util.c ledger/checkpoint.c ledger/merkle.c
// fuzz-sources: ledger/store.c
/*
 * tlog-proof files on hostile input: no out-of-bounds access, and a
 * parsed proof re-formats to exactly its bytes (one spelling per proof).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proof.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tlog_proof p;
	char *out;
	size_t len;

	if (proof_parse((const char *)data, size, &p, NULL, 0) < 0)
		return 0;
	if (proof_format(p.extra, p.extra_len, p.index, &p.proof, p.note,
			 p.note_len, &out, &len) < 0)
		abort();
	if (len != size || memcmp(out, data, size) != 0)
		abort();
	free(out);
	proof_free(&p);
	return 0;
}
