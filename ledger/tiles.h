// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * C2SP tlog-tiles (https://c2sp.org/tlog-tiles): resource paths and
 * contents, for serving the ledger read-only (tiles_serve.c) and for
 * auditing it from afar (tiles_fetch.c).
 *
 *   <prefix>/checkpoint
 *   <prefix>/tile/<L>/<N>[.p/<W>]        hashes, 256 x 32 bytes when full
 *   <prefix>/tile/entries/<N>[.p/<W>]    u16 BE length-prefixed entries
 *
 * N is written in zero-padded 3-digit elements, all but the last with an
 * 'x' (1234067 -> x001/x234/067); L has no leading zeroes (0..63); W is
 * 1..255, present only for partial tiles.
 */
#ifndef CFN_LEDGER_TILES_H
#define CFN_LEDGER_TILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TILE_WIDTH 256
#define TILE_HEIGHT 8 /* log2(TILE_WIDTH) */
#define TILE_LEVEL_MAX 63

struct tile {
	bool entries;	/* an entry bundle, not a hash tile */
	unsigned level; /* hash tiles: 0..63 */
	uint64_t n;	/* index within the level */
	unsigned width; /* 1..256; < 256: partial (".p/W") */
};

/* Path below the prefix ("tile/0/x001/234.p/7"); length or -1. */
int tile_path(const struct tile *t, char *buf, size_t size);
/* Strict inverse of tile_path (canonical form only); 0 or -1. */
int tile_parse(const char *path, struct tile *t);

/*
 * The tile of `level` (entries: level 0) holding index n, for a tree of
 * `size`: its width there (0 when the tile does not exist yet).
 */
unsigned tile_width_at(unsigned level, uint64_t n, uint64_t size);

struct ledger_store;
/*
 * Build a tile's body from the store (which must hold the tree up to
 * the tile's end); *out malloc'd.  -1 with err (also when the tile does
 * not exist for a tree of `size`, or an entry is too long for a bundle).
 */
int tile_build(struct ledger_store *s, uint64_t size, const struct tile *t,
	       uint8_t **out, size_t *len, char *err, size_t errlen);

/* Split an entry bundle; calls fn for each entry; -1 on a bad bundle. */
int tile_bundle_each(const uint8_t *b, size_t len, unsigned want,
		     int (*fn)(void *arg, const uint8_t *e, size_t elen),
		     void *arg, char *err, size_t errlen);

#endif
