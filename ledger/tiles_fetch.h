// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A remote C2SP tlog-tiles log read with libcurl, for `cfn-ledger audit
 * --url URL`: the checkpoint (never cached), entry bundles and level-0
 * hash tiles (immutable, cached under a directory by their path so a
 * second audit fetches only what is new).  Each bundle's entries must
 * hash to its level-0 tile, or the entry read fails.
 */
#ifndef CFN_LEDGER_TILES_FETCH_H
#define CFN_LEDGER_TILES_FETCH_H

#include <stddef.h>
#include <stdint.h>

struct tiles_remote;

/* Fetches URL/checkpoint; its body is then tiles_remote_checkpoint(). */
int tiles_remote_open(const char *url, const char *cache_dir,
		      struct tiles_remote **out, char *err, size_t errlen);
void tiles_remote_close(struct tiles_remote *r);
const char *tiles_remote_checkpoint(const struct tiles_remote *r, size_t *len);
/*
 * Entry i (< size, the checkpoint's size); *data is valid until the next
 * call (entries are best read in order: one bundle is kept).
 */
int tiles_remote_entry(struct tiles_remote *r, uint64_t i, uint64_t size,
		       const uint8_t **data, size_t *len, char *err,
		       size_t errlen);
/* Resources fetched over HTTP and read from the cache so far. */
void tiles_remote_stats(const struct tiles_remote *r, uint64_t *fetched,
			uint64_t *cached);

#endif
