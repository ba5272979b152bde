// SPDX-License-Identifier: GPL-2.0-or-later
// fuzz-sources: ledger/util.c
/*
 * The strict record decoder: never reads out of bounds, and whatever it
 * accepts re-encodes to exactly the input (one encoding per record) and
 * survives the JSON round trip unchanged.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct record r, r2;
	uint8_t out[RECORD_MAX_LEN];
	char origin[64];
	uint64_t seq;
	char *js;
	int n;

	if (record_decode(data, size, &r, NULL, 0) < 0)
		return 0;
	n = record_encode(&r, out, sizeof(out), NULL, 0);
	if (n < 0 || (size_t)n != size || memcmp(out, data, size) != 0)
		abort();
	if (record_peek_key(data, size, origin, &seq) < 0 ||
	    strcmp(origin, r.origin) != 0 || seq != r.seq)
		abort();
	js = record_to_json(&r);
	if (!js)
		abort();
	if (record_from_json(js, &r2, NULL, 0) < 0)
		abort();
	n = record_encode(&r2, out, sizeof(out), NULL, 0);
	if (n < 0 || (size_t)n != size || memcmp(out, data, size) != 0)
		abort();
	free(js);
	return 0;
}
