// SPDX-License-Identifier: GPL-2.0-or-later
// fuzz-sources: ledger/tiles.c ledger/checkpoint.c ledger/store.c
// fuzz-sources: ledger/merkle.c
// fuzz-sources: ledger/util.c
/*
 * The C2SP tlog-tiles decoders of cfn-ledger serve and audit --url: tile
 * paths (only canonical paths parse, and format back to themselves) and
 * entry bundles (never read out of bounds; whatever is accepted is its
 * entries back to back).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tiles.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count(void *arg, const uint8_t *e, size_t len)
{
	size_t *total = arg;

	(void)e;
	*total += 2 + len;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[128], back[128];
	struct tile t;
	size_t total = 0;

	if (size < sizeof(path)) {
		memcpy(path, data, size);
		path[size] = '\0';
		if (tile_parse(path, &t) == 0 &&
		    (tile_path(&t, back, sizeof(back)) < 0 ||
		     strcmp(back, path) != 0 || t.width < 1 ||
		     t.width > TILE_WIDTH))
			abort();
	}
	if (tile_bundle_each(data, size, 1, count, &total, NULL, 0) == 0 &&
	    total != size)
		abort();
	return 0;
}
