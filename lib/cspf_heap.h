// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * 4-ary min-heap of vertices keyed by 64-bit distance, with decrease-key.
 * A 4-ary heap halves the depth of a binary one and keeps the children of a
 * node in one cache line, which is what dominates SPF on large graphs.
 */
#ifndef CFN_CSPF_HEAP_H
#define CFN_CSPF_HEAP_H

#include <stdint.h>

#define CSPF_HEAP_ABSENT UINT32_MAX

struct cspf_heap_ent {
	uint64_t key;
	uint32_t v;
};

struct cspf_heap {
	struct cspf_heap_ent *a; /* capacity: one slot per vertex */
	uint32_t *pos;		 /* vertex -> slot, or CSPF_HEAP_ABSENT */
	uint32_t n;
};

static inline void cspf_heap_place(struct cspf_heap *h, uint32_t i,
				   struct cspf_heap_ent e)
{
	h->a[i] = e;
	h->pos[e.v] = i;
}

static inline void cspf_heap_up(struct cspf_heap *h, uint32_t i,
				struct cspf_heap_ent e)
{
	while (i > 0) {
		uint32_t p = (i - 1) >> 2;

		if (h->a[p].key <= e.key)
			break;
		cspf_heap_place(h, i, h->a[p]);
		i = p;
	}
	cspf_heap_place(h, i, e);
}

/* Insert v, or lower its key if it is already queued. */
static inline void cspf_heap_push(struct cspf_heap *h, uint32_t v,
				  uint64_t key)
{
	struct cspf_heap_ent e = { key, v };
	uint32_t i = h->pos[v];

	if (i == CSPF_HEAP_ABSENT)
		i = h->n++;
	cspf_heap_up(h, i, e);
}

static inline uint32_t cspf_heap_pop(struct cspf_heap *h)
{
	uint32_t top = h->a[0].v, i = 0, n = --h->n;
	struct cspf_heap_ent last = h->a[n];

	h->pos[top] = CSPF_HEAP_ABSENT;
	if (!n)
		return top;
	for (;;) {
		uint32_t c = 4 * i + 1, best, end;

		if (c >= n)
			break;
		best = c;
		end = c + 4 < n ? c + 4 : n;
		for (uint32_t k = c + 1; k < end; k++)
			if (h->a[k].key < h->a[best].key)
				best = k;
		if (h->a[best].key >= last.key)
			break;
		cspf_heap_place(h, i, h->a[best]);
		i = best;
	}
	cspf_heap_place(h, i, last);
	return top;
}

#endif /* CFN_CSPF_HEAP_H */
