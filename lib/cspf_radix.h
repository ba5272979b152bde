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
#ifndef CFN_CSPF_RADIX_H
#define CFN_CSPF_RADIX_H

#include <stdint.h>
#include <stdlib.h>

struct cspf_rent {
	uint32_t key; /* low 32 bits */
	uint32_t v;
};

struct cspf_rbucket {
	struct cspf_rent *a;
	uint32_t n, cap;
};

struct cspf_radix {
	uint64_t last;
	uint64_t size;
	struct cspf_rbucket b[65];
};

static inline void cspf_radix_reset(struct cspf_radix *h)
{
	h->last = 0;
	h->size = 0;
	for (int i = 0; i < 65; i++)
		h->b[i].n = 0;
}

static inline void cspf_radix_fini(struct cspf_radix *h)
{
	for (int i = 0; i < 65; i++) {
		free(h->b[i].a);
		h->b[i].a = NULL;
		h->b[i].n = h->b[i].cap = 0;
	}
}

static inline uint64_t cspf_radix_full(uint64_t last, uint32_t low)
{
	return last + (uint32_t)(low - (uint32_t)last);
}

static inline int cspf_radix_bucket(uint64_t last, uint64_t key)
{
	return key == last ? 0 : 64 - __builtin_clzll(key ^ last);
}

static int cspf_radix_grow(struct cspf_rbucket *b)
{
	uint32_t cap = b->cap ? b->cap * 2 : 64;
	struct cspf_rent *a;

	if (cap <= b->cap)
		return -1;
	a = realloc(b->a, (size_t)cap * sizeof(*a));
	if (!a)
		return -1;
	b->a = a;
	b->cap = cap;
	return 0;
}

static inline int cspf_radix_append(struct cspf_rbucket *b, uint32_t key,
				    uint32_t v)
{
	/* Locals: a store through a[] could alias n for the compiler. */
	uint32_t n = b->n;

	if (n == b->cap && cspf_radix_grow(b))
		return -1;
	b->a[n] = (struct cspf_rent){key, v};
	b->n = n + 1;
	return 0;
}

/* last <= key < last + 2^32 (see above); 0 or -1 (out of memory). */
static inline int cspf_radix_push(struct cspf_radix *h, uint64_t key,
				  uint32_t v)
{
	h->size++;
	return cspf_radix_append(&h->b[cspf_radix_bucket(h->last, key)],
				 (uint32_t)key, v);
}

/*
 * Pops a minimal entry: its vertex into *v, its key into *key.  The heap
 * must not be empty.  -1 when out of memory (the heap is then unusable
 * until reset).
 */
static inline int cspf_radix_pop(struct cspf_radix *h, uint32_t *v,
				 uint64_t *key)
{
	if (!h->b[0].n) {
		struct cspf_rbucket *b;
		uint64_t min = UINT64_MAX, last = h->last;
		int i = 1;
		const struct cspf_rent *a;
		uint32_t n;

		while (!h->b[i].n)
			i++;
		b = &h->b[i];
		a = b->a;
		n = b->n;
		for (uint32_t k = 0; k < n; k++) {
			uint64_t full = cspf_radix_full(last, a[k].key);

			if (full < min)
				min = full;
		}
		h->last = min;
		/* Every entry moves to a lower bucket, never to b itself. */
		b->n = 0;
		for (uint32_t k = 0; k < n; k++) {
			uint64_t full = cspf_radix_full(last, a[k].key);

			if (cspf_radix_append(
				    &h->b[cspf_radix_bucket(min, full)],
				    a[k].key, a[k].v))
				return -1;
		}
	}
	h->size--;
	*v = h->b[0].a[--h->b[0].n].v;
	*key = h->last;
	return 0;
}

#endif /* CFN_CSPF_RADIX_H */
