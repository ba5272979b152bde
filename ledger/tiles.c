// SPDX-License-Identifier: GPL-2.0-or-later
/* C2SP tlog-tiles paths and bodies (tiles.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merkle.h"
#include "store.h"
#include "tiles.h"
#include "util.h"

int tile_path(const struct tile *t, char *buf, size_t size)
{
	char n[64] = "", tmp[64];
	uint64_t v = t->n;
	int len;

	/* from the right: the last element bare, the others with an x */
	snprintf(n, sizeof(n), "%03u", (unsigned)(v % 1000));
	for (v /= 1000; v; v /= 1000) {
		snprintf(tmp, sizeof(tmp), "x%03u/%s", (unsigned)(v % 1000), n);
		memcpy(n, tmp, sizeof(n));
	}
	if (t->entries)
		len = snprintf(buf, size, "tile/entries/%s", n);
	else
		len = snprintf(buf, size, "tile/%u/%s", t->level, n);
	if (len > 0 && t->width < TILE_WIDTH)
		len += snprintf(buf + len, size > (size_t)len ? size - len : 0,
				".p/%u", t->width);
	return len > 0 && (size_t)len < size ? len : -1;
}

static bool digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

int tile_parse(const char *path, struct tile *t)
{
	char back[128];
	const char *p = path, *end;
	unsigned long v;

	memset(t, 0, sizeof(*t));
	t->width = TILE_WIDTH;
	if (strncmp(p, "tile/", 5))
		return -1;
	p += 5;
	if (!strncmp(p, "entries/", 8)) {
		t->entries = true;
		p += 8;
	} else {
		v = strtoul(p, (char **)&end, 10);
		if (end == p || *end != '/' || v > TILE_LEVEL_MAX ||
		    !digits(p, (size_t)(end - p)))
			return -1;
		t->level = (unsigned)v;
		p = end + 1;
	}
	/* N: ("x" ddd "/")* ddd */
	while (p[0] == 'x') {
		if (!digits(p + 1, 3) || p[4] != '/' ||
		    t->n > UINT64_MAX / 1000)
			return -1;
		t->n = t->n * 1000 + strtoul(p + 1, NULL, 10);
		p += 5;
	}
	if (!digits(p, 3) || t->n > UINT64_MAX / 1000 - 999)
		return -1;
	t->n = t->n * 1000 + strtoul(p, NULL, 10);
	p += 3;
	if (!strncmp(p, ".p/", 3)) {
		v = strtoul(p + 3, (char **)&end, 10);
		if (end == p + 3 || *end || v < 1 || v > 255 ||
		    !digits(p + 3, (size_t)(end - p - 3)))
			return -1;
		t->width = (unsigned)v;
	} else if (*p) {
		return -1;
	}
	/* canonical only: no leading zeroes anywhere, no "x000" prefix */
	if (tile_path(t, back, sizeof(back)) < 0 || strcmp(back, path))
		return -1;
	return 0;
}

unsigned tile_width_at(unsigned level, uint64_t n, uint64_t size)
{
	unsigned shift = TILE_HEIGHT * level;
	uint64_t hashes = shift >= 64 ? 0 : size >> shift;

	if (n >= UINT64_MAX / TILE_WIDTH || hashes <= n * TILE_WIDTH)
		return 0;
	hashes -= n * TILE_WIDTH;
	return hashes >= TILE_WIDTH ? TILE_WIDTH : (unsigned)hashes;
}

static int build_bundle(struct ledger_store *s, const struct tile *t,
			uint8_t *out, size_t *len, char *err, size_t errlen)
{
	uint64_t first = t->n * TILE_WIDTH;

	*len = 0;
	for (unsigned i = 0; i < t->width; i++) {
		uint8_t *d;
		size_t dl;

		if (store_get(s, first + i, &d, &dl, err, errlen) < 0)
			return -1;
		if (dl > 0xffff) {
			free(d);
			return cfn_err(err, errlen,
				       "entry %llu too long for a bundle",
				       (unsigned long long)(first + i));
		}
		out[(*len)++] = (uint8_t)(dl >> 8);
		out[(*len)++] = (uint8_t)dl;
		memcpy(out + *len, d, dl);
		*len += dl;
		free(d);
	}
	return 0;
}

int tile_build(struct ledger_store *s, uint64_t size, const struct tile *t,
	       uint8_t **out, size_t *len, char *err, size_t errlen)
{
	unsigned level = t->entries ? 0 : t->level;
	unsigned have = tile_width_at(level, t->n, size);
	uint8_t *b;

	/* A partial tile of width W exists once the tree covers W hashes of
	 * it (tiles are immutable prefixes of the full tile); a full one
	 * once it is complete. */
	if (have < t->width)
		return cfn_err(err, errlen, "no such tile for tree size %llu",
			       (unsigned long long)size);
	b = malloc(t->entries ? (size_t)t->width * (2 + STORE_ENTRY_MAX)
			      : (size_t)t->width * MERKLE_HASH_LEN);
	if (!b)
		return cfn_err(err, errlen, "out of memory");
	if (t->entries) {
		if (build_bundle(s, t, b, len, err, errlen) < 0) {
			free(b);
			return -1;
		}
		*out = b;
		return 0;
	}
	for (unsigned i = 0; i < t->width; i++) {
		uint64_t span = 1ULL << (TILE_HEIGHT * level);
		uint64_t lo = (t->n * TILE_WIDTH + i) * span;

		if (merkle_subtree_hash(store_tree(s), lo, lo + span,
					b + (size_t)i * MERKLE_HASH_LEN, err,
					errlen) < 0) {
			free(b);
			return -1;
		}
	}
	*out = b;
	*len = (size_t)t->width * MERKLE_HASH_LEN;
	return 0;
}

int tile_bundle_each(const uint8_t *b, size_t len, unsigned want,
		     int (*fn)(void *arg, const uint8_t *e, size_t elen),
		     void *arg, char *err, size_t errlen)
{
	size_t off = 0;
	unsigned n = 0;

	while (off < len) {
		size_t el;

		if (len - off < 2)
			return cfn_err(err, errlen, "bundle: truncated length");
		el = (size_t)b[off] << 8 | b[off + 1];
		off += 2;
		if (len - off < el)
			return cfn_err(err, errlen, "bundle: truncated entry");
		if (fn(arg, b + off, el) < 0)
			return -1;
		off += el;
		n++;
	}
	if (n != want)
		return cfn_err(err, errlen, "bundle: %u entries, expected %u",
			       n, want);
	return 0;
}
