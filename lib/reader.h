// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A bounded reader for the binary codecs (decision records, token records):
 * every read checks the remaining length and the first failure is kept with
 * the name of the field, so a decoder reads straight through and reports
 * one precise reason at the end instead of checking after every field.
 */
#ifndef CFN_READER_H
#define CFN_READER_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "bytes.h"

struct cfn_reader {
	const uint8_t *p;
	size_t len, off;
	const char *bad; /* first field that did not fit; NULL while all did */
};

static inline const uint8_t *cfn_rd_take(struct cfn_reader *r, size_t n,
					 const char *what)
{
	const uint8_t *p;

	if (r->bad)
		return NULL;
	if (r->len - r->off < n) {
		r->bad = what;
		return NULL;
	}
	p = r->p + r->off;
	r->off += n;
	return p;
}

static inline uint8_t cfn_rd_u8(struct cfn_reader *r, const char *what)
{
	const uint8_t *p = cfn_rd_take(r, 1, what);

	return p ? *p : 0;
}

static inline uint32_t cfn_rd_u32(struct cfn_reader *r, const char *what)
{
	const uint8_t *p = cfn_rd_take(r, 4, what);

	return p ? get_be32(p) : 0;
}

static inline uint64_t cfn_rd_u64(struct cfn_reader *r, const char *what)
{
	const uint8_t *p = cfn_rd_take(r, 8, what);

	return p ? get_be64(p) : 0;
}

static inline void cfn_rd_bytes(struct cfn_reader *r, void *out, size_t n,
				const char *what)
{
	const uint8_t *p = cfn_rd_take(r, n, what);

	if (p)
		memcpy(out, p, n);
}

#endif
