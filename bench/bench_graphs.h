// SPDX-License-Identifier: GPL-2.0-or-later
/* Benchmark graphs: 2D grids and preferential-attachment ISP-like graphs. */
#ifndef CFN_BENCH_GRAPHS_H
#define CFN_BENCH_GRAPHS_H

#include <stdint.h>

/* Undirected links a[i]-b[i] with metric w[i] (used both ways). */
struct bench_graph {
	uint32_t n, m;
	uint32_t *a, *b, *w;
};

void bench_seed(uint64_t seed);
uint32_t bench_rand(uint32_t n);
/* side x side grid, metrics 1..10. */
int bench_grid(struct bench_graph *g, uint32_t side);
/* Barabasi-Albert, k links per new router, metrics 1..100. */
int bench_pa(struct bench_graph *g, uint32_t n, uint32_t k);
void bench_graph_free(struct bench_graph *g);

#endif
