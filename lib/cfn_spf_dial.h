// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Dial's bucket queue for SPF when every link metric is small (<= max_w):
 * all queued keys then lie in [cur, cur + max_w], so a circular array of
 * 2^k > max_w buckets, indexed by key mod 2^k, holds them without
 * collisions.  Buckets are intrusive doubly-linked lists through per-vertex
 * next/prev arrays (a vertex is queued at most once: decrease-key is an
 * unlink and a link), and a bitmap of non-empty buckets finds the next
 * key 64 buckets at a time.  Every operation is O(1) apart from that scan.
 */
#ifndef CFN_SPF_DIAL_H
#define CFN_SPF_DIAL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CFN_SPF_DIAL_NONE UINT32_MAX

struct cfn_spf_dial {
	uint32_t *head; /* bucket -> first vertex */
	uint64_t *bits; /* non-empty buckets */
	uint32_t *next, *prev;
	uint32_t mask; /* buckets - 1 */
	uint32_t nbuckets, nverts;
	uint64_t cur; /* last key taken */
	uint64_t size;
};

static inline void cfn_spf_dial_fini(struct cfn_spf_dial *q)
{
	free(q->head);
	free(q->bits);
	free(q->next);
	free(q->prev);
	memset(q, 0, sizeof(*q));
}

/* Sizes the queue for n vertices and metrics <= max_w; 0 or -1. */
static inline int cfn_spf_dial_init(struct cfn_spf_dial *q, uint32_t n,
				    uint32_t max_w)
{
	uint32_t nb = 64;

	while (nb <= max_w)
		nb *= 2;
	if (nb != q->nbuckets) {
		free(q->head);
		free(q->bits);
		q->head = malloc((size_t)nb * sizeof(*q->head));
		q->bits = malloc((size_t)nb / 64 * sizeof(*q->bits));
		q->nbuckets = nb;
		if (!q->head || !q->bits) {
			cfn_spf_dial_fini(q);
			return -1;
		}
	}
	if (n != q->nverts || !q->next) {
		free(q->next);
		free(q->prev);
		q->next = malloc(((size_t)n + 1) * sizeof(*q->next));
		q->prev = malloc(((size_t)n + 1) * sizeof(*q->prev));
		q->nverts = n;
		if (!q->next || !q->prev) {
			cfn_spf_dial_fini(q);
			return -1;
		}
	}
	q->mask = nb - 1;
	memset(q->head, 0xff, (size_t)nb * sizeof(*q->head));
	memset(q->bits, 0, (size_t)nb / 64 * sizeof(*q->bits));
	q->cur = 0;
	q->size = 0;
	return 0;
}

static inline void cfn_spf_dial_link(struct cfn_spf_dial *q, uint32_t v,
				     uint64_t key)
{
	uint32_t b = (uint32_t)key & q->mask, h = q->head[b];

	q->next[v] = h;
	q->prev[v] = CFN_SPF_DIAL_NONE;
	if (h != CFN_SPF_DIAL_NONE)
		q->prev[h] = v;
	q->head[b] = v;
	q->bits[b >> 6] |= 1ull << (b & 63);
	q->size++;
}

static inline void cfn_spf_dial_unlink(struct cfn_spf_dial *q, uint32_t v,
				       uint64_t key)
{
	uint32_t b = (uint32_t)key & q->mask;
	uint32_t n = q->next[v], p = q->prev[v];

	if (p != CFN_SPF_DIAL_NONE)
		q->next[p] = n;
	else if ((q->head[b] = n) == CFN_SPF_DIAL_NONE)
		q->bits[b >> 6] &= ~(1ull << (b & 63));
	if (n != CFN_SPF_DIAL_NONE)
		q->prev[n] = p;
	q->size--;
}

/* Takes a vertex with the smallest key; the queue must not be empty. */
static inline uint32_t cfn_spf_dial_pop(struct cfn_spf_dial *q, uint64_t *key)
{
	uint32_t b = (uint32_t)q->cur & q->mask, w = b >> 6;
	uint32_t nw = q->nbuckets / 64, off;
	uint64_t word = q->bits[w] & (~0ull << (b & 63));
	uint32_t v;

	/*
	 * Circular scan from the current bucket (keys are < cur + buckets);
	 * back at the first word, only its wrapped-around low bits are left.
	 */
	while (!word) {
		w = (w + 1) % nw;
		word = q->bits[w];
	}
	off = (w << 6) + (uint32_t)__builtin_ctzll(word);
	q->cur += (off - b) & q->mask;
	v = q->head[off];
	cfn_spf_dial_unlink(q, v, q->cur);
	*key = q->cur;
	return v;
}

#endif /* CFN_SPF_DIAL_H */
