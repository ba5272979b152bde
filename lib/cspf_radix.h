// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Radix heap: a monotone priority queue for integer keys.  Dijkstra only
 * ever inserts keys >= the last one taken, which lets a key go to bucket
 * "highest bit in which it differs from the last minimum"; each entry moves
 * down at most 64 times over its life, with no comparisons along a tree.
 * Entries are lazy (no decrease-key): stale ones are skipped by the caller.
 */
#ifndef CFN_CSPF_RADIX_H
#define CFN_CSPF_RADIX_H

#include <stdint.h>
#include <stdlib.h>

struct cspf_rent {
	uint64_t key;
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

static inline int cspf_radix_bucket(uint64_t last, uint64_t key)
{
	return key == last ? 0 : 64 - __builtin_clzll(key ^ last);
}

static inline int cspf_radix_append(struct cspf_rbucket *b, uint64_t key,
				    uint32_t v)
{
	if (b->n == b->cap) {
		uint32_t cap = b->cap ? b->cap * 2 : 64;
		struct cspf_rent *a;

		if (cap <= b->cap)
			return -1;
		a = realloc(b->a, (size_t)cap * sizeof(*a));
		if (!a)
			return -1;
		b->a = a;
		b->cap = cap;
	}
	b->a[b->n].key = key;
	b->a[b->n].v = v;
	b->n++;
	return 0;
}

/* key must be >= the last key popped; 0 or -1 (out of memory). */
static inline int cspf_radix_push(struct cspf_radix *h, uint64_t key,
				  uint32_t v)
{
	h->size++;
	return cspf_radix_append(&h->b[cspf_radix_bucket(h->last, key)], key,
				 v);
}

/* Pops a minimal entry into *out; the heap must not be empty.  -1 when
 * out of memory (the heap is then unusable until reset).
 */
static inline int cspf_radix_pop(struct cspf_radix *h, struct cspf_rent *out)
{
	if (!h->b[0].n) {
		struct cspf_rbucket *b;
		uint64_t min = UINT64_MAX;
		int i = 1;

		while (!h->b[i].n)
			i++;
		b = &h->b[i];
		for (uint32_t k = 0; k < b->n; k++)
			if (b->a[k].key < min)
				min = b->a[k].key;
		h->last = min;
		/* Every entry moves to a lower bucket. */
		for (uint32_t k = 0; k < b->n; k++)
			if (cspf_radix_append(
				    &h->b[cspf_radix_bucket(min, b->a[k].key)],
				    b->a[k].key, b->a[k].v))
				return -1;
		b->n = 0;
	}
	h->size--;
	*out = h->b[0].a[--h->b[0].n];
	return 0;
}

#endif /* CFN_CSPF_RADIX_H */
