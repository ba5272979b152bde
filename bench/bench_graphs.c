// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdlib.h>

#include "bench_graphs.h"

static uint64_t state = 88172645463325252ull;

void bench_seed(uint64_t seed)
{
	state = seed ? seed : 1;
}

uint32_t bench_rand(uint32_t n)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (uint32_t)((state * 2685821657736338717ull) >> 33) % n;
}

static int alloc(struct bench_graph *g, uint32_t n, uint32_t cap)
{
	g->n = n;
	g->m = 0;
	g->a = malloc(cap * sizeof(uint32_t));
	g->b = malloc(cap * sizeof(uint32_t));
	g->w = malloc(cap * sizeof(uint32_t));
	return g->a && g->b && g->w ? 0 : -1;
}

static void add(struct bench_graph *g, uint32_t a, uint32_t b, uint32_t w)
{
	g->a[g->m] = a;
	g->b[g->m] = b;
	g->w[g->m] = w;
	g->m++;
}

int bench_grid(struct bench_graph *g, uint32_t side)
{
	if (alloc(g, side * side, 2 * side * side))
		return -1;
	for (uint32_t y = 0; y < side; y++)
		for (uint32_t x = 0; x < side; x++) {
			uint32_t v = y * side + x;

			if (x + 1 < side)
				add(g, v, v + 1, 1 + bench_rand(10));
			if (y + 1 < side)
				add(g, v, v + side, 1 + bench_rand(10));
		}
	return 0;
}

int bench_pa(struct bench_graph *g, uint32_t n, uint32_t k)
{
	/* Endpoint list: picking a uniform entry is degree-proportional. */
	uint32_t *ends = malloc((size_t)2 * n * k * sizeof(uint32_t) + 8);
	uint32_t nends = 0;

	if (!ends || alloc(g, n, n * k)) {
		free(ends);
		return -1;
	}
	for (uint32_t v = 1; v < n; v++) {
		uint32_t links = v < k ? v : k;

		for (uint32_t i = 0; i < links; i++) {
			uint32_t u = nends ? ends[bench_rand(nends)] : 0;

			if (u == v)
				u = bench_rand(v);
			add(g, v, u, 1 + bench_rand(100));
			ends[nends++] = u;
			ends[nends++] = v;
		}
	}
	free(ends);
	return 0;
}

void bench_graph_free(struct bench_graph *g)
{
	free(g->a);
	free(g->b);
	free(g->w);
}
