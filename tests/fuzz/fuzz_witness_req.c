// SPDX-License-Identifier: GPL-2.0-or-later
// fuzz-sources: ledger/witness_req.c ledger/cosig.c
// fuzz-sources: ledger/util.c ledger/checkpoint.c ledger/merkle.c
// fuzz-sources: ledger/store.c
/*
 * add-checkpoint request bodies and cosignature lines on hostile input:
 * a parsed request re-formats to the same bytes (one spelling), and the
 * cosignature checker never reads outside the note.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cosig.h"
#include "witness_req.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char remora_vkey[] =
	"remora.n621.de+da77ade7+BOvN63jn/bLvkieywe8R6UYAtVtNbZpXh34x7onlmtw2";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct note_key *key;
	struct witness_req r;
	bool s[1];
	char *out;
	size_t len;

	if (!key && cosig_key_parse_vkey(remora_vkey, strlen(remora_vkey), &key,
					 NULL, 0) < 0)
		abort();
	if (witness_req_parse((const char *)data, size, &r, NULL, 0) == 0) {
		if (witness_req_format(r.old, &r.proof, r.note, r.note_len,
				       &out, &len) < 0)
			abort();
		if (len != size || memcmp(out, data, size) != 0)
			abort();
		free(out);
	}
	/* treat the input as a note whose text ends at the first blank */
	for (size_t i = 0; i + 1 < size; i++)
		if (data[i] == '\n' && data[i + 1] == '\n') {
			cosig_verify_note((const char *)data, size, i + 1, &key,
					  1, s, NULL, NULL, 0);
			break;
		}
	return 0;
}
