// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Radix heap: a monotone priority queue for integer keys.  Dijkstra only
 * ever inserts keys >= the last one taken, which lets a key go to bucket
 * "highest bit in which it differs from the last minimum"; each entry moves
 * down at most 64 times over its life, with no comparisons along a tree.
 * Entries are lazy (no decrease-key): stale ones are skipped by the caller.
 *
 * Every key in the heap lies in [last, last + 2^32): it was pushed as a
 * popped key plus one 32-bit link metric.  So an entry keeps only the low
 * 32 bits of its key and the full key is rebuilt from `last`: 8-byte
 * entries, half the memory traffic.
 */
#ifndef CFN_SPF_RADIX_H
#define CFN_SPF_RADIX_H

#include <stdint.h>
#include <stdlib.h>

#include "grow.h"

struct cfn_spf_rent {
	uint32_t key; /* low 32 bits */
	uint32_t v;
};

struct cfn_spf_rbucket {
	struct cfn_spf_rent *a;
	uint32_t n, cap;
};

struct cfn_spf_radix {
	uint64_t last;
	uint64_t size;
	struct cfn_spf_rbucket b[65];
};

static inline void cfn_spf_radix_reset(struct cfn_spf_radix *h)
{
	h->last = 0;
	h->size = 0;
	for (int i = 0; i < 65; i++)
		h->b[i].n = 0;
}

static inline void cfn_spf_radix_fini(struct cfn_spf_radix *h)
{
	for (int i = 0; i < 65; i++) {
		free(h->b[i].a);
		h->b[i].a = NULL;
		h->b[i].n = h->b[i].cap = 0;
	}
}

static inline uint64_t cfn_spf_radix_full(uint64_t last, uint32_t low)
{
	return last + (uint32_t)(low - (uint32_t)last);
}

static inline int cfn_spf_radix_bucket(uint64_t last, uint64_t key)
{
	return key == last ? 0 : 64 - __builtin_clzll(key ^ last);
}

static inline int cfn_spf_radix_grow(struct cfn_spf_rbucket *b)
{
	return cfn_grow(&b->a, &b->cap, b->cap + 1, sizeof(*b->a), 64);
}

static inline int cfn_spf_radix_append(struct cfn_spf_rbucket *b, uint32_t key,
				       uint32_t v)
{
	/* Locals: a store through a[] could alias n for the compiler. */
	uint32_t n = b->n;

	if (n == b->cap && cfn_spf_radix_grow(b))
		return -1;
	b->a[n] = (struct cfn_spf_rent){key, v};
	b->n = n + 1;
	return 0;
}

/* last <= key < last + 2^32 (see above); 0 or -1 (out of memory). */
static inline int cfn_spf_radix_push(struct cfn_spf_radix *h, uint64_t key,
				     uint32_t v)
{
	h->size++;
	return cfn_spf_radix_append(&h->b[cfn_spf_radix_bucket(h->last, key)],
				    (uint32_t)key, v);
}

/*
 * Pops a minimal entry: its vertex into *v, its key into *key.  The heap
 * must not be empty.  -1 when out of memory (the heap is then unusable
 * until reset).
 */
static inline int cfn_spf_radix_pop(struct cfn_spf_radix *h, uint32_t *v,
				    uint64_t *key)
{
	if (!h->b[0].n) {
		struct cfn_spf_rbucket *b;
		uint64_t min = UINT64_MAX, last = h->last;
		int i = 1;
		const struct cfn_spf_rent *a;
		uint32_t n;

		while (!h->b[i].n)
			i++;
		b = &h->b[i];
		a = b->a;
		n = b->n;
		for (uint32_t k = 0; k < n; k++) {
			uint64_t full = cfn_spf_radix_full(last, a[k].key);

			if (full < min)
				min = full;
		}
		h->last = min;
		/* Every entry moves to a lower bucket, never to b itself. */
		b->n = 0;
		for (uint32_t k = 0; k < n; k++) {
			uint64_t full = cfn_spf_radix_full(last, a[k].key);

			if (cfn_spf_radix_append(
				    &h->b[cfn_spf_radix_bucket(min, full)],
				    a[k].key, a[k].v))
				return -1;
		}
	}
	h->size--;
	*v = h->b[0].a[--h->b[0].n].v;
	*key = h->last;
	return 0;
}

#endif /* CFN_SPF_RADIX_H */
