// SPDX-License-Identifier: GPL-2.0-or-later
// fuzz-sources: ledger/note_file.c ledger/checkpoint.c ledger/util.c
// fuzz-sources: ledger/merkle.c ledger/store.c
/*
 * Signed-note and checkpoint parsing on hostile input: no out-of-bounds
 * reads, and a parsed checkpoint re-formats to the text it came from.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "note.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char peter_vkey[] =
	"PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct note_key *key;
	struct checkpoint c;
	char body[NOTE_NAME_MAX + 128];
	size_t tlen;
	int n;

	if (!key && note_key_parse_vkey(peter_vkey, &key, NULL, 0) < 0)
		abort();
	note_open((const char *)data, size, &key, 1, &tlen, NULL, NULL, 0);
	if (checkpoint_parse((const char *)data, size, &c, NULL, 0) == 0) {
		n = checkpoint_format(&c, body, sizeof(body));
		if (n < 0 || (size_t)n > size ||
		    memcmp(body, data, (size_t)n) != 0)
			abort();
	}
	return 0;
}
