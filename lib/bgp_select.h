// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Compute-aware selection among BGP paths to one service prefix: a pure
 * function of the paths' network attributes and their decoded Edge
 * Metadata (lib/bgp_meta).  bgpd's module feeds it from best-path
 * selection; the formula is documented in doc/bgp-metadata.md section 6.
 *
 *   network = as_hop_cost * as_path_len + igp_weight * igp_cost
 *             + med_weight * med
 *   compute = metric + delay_weight * delay_us / 1000
 *             + pref_weight * (100 - site_preference)
 *   total   = network + compute
 *
 * A path is ineligible when its site availability is 0, its metric is
 * CFN_METRIC_INELIGIBLE or its available resource is 0.
 */
#ifndef CFN_BGP_SELECT_H
#define CFN_BGP_SELECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bgp_meta.h"

struct bgp_sel_params {
	uint32_t as_hop_cost;
	uint32_t igp_weight;
	uint32_t med_weight;
	uint32_t delay_weight;	 /* per millisecond of predicted delay */
	uint32_t pref_weight;	 /* per point of preference below 100 */
	uint32_t hysteresis_pct; /* a challenger must be this much cheaper */
	uint32_t ecmp_pct;	 /* within this much of the best: multipath */
	unsigned int max_paths;	 /* ECMP width, >= 1 */
};

enum bgp_sel_why {
	BGP_SEL_CHOSEN = 0,
	BGP_SEL_INELIGIBLE, /* no capacity / out of service */
	BGP_SEL_COSTLIER,   /* total cost above the winner's */
	BGP_SEL_HYSTERESIS, /* cheaper, but not by the hysteresis margin */
	BGP_SEL_MAX_PATHS,  /* tied, but the ECMP width is used up */
};

struct bgp_sel_cand {
	/* inputs */
	uint32_t as_path_len;
	uint32_t med;
	uint32_t igp_cost;
	const struct bgp_meta *meta; /* decoded attribute, never NULL */
	bool incumbent;		     /* chosen in the previous run */
	/* outputs */
	bool eligible;
	uint64_t network;
	uint64_t compute;
	uint64_t total;
	bool chosen;
	uint32_t weight; /* UCMP share among the chosen, sums to 100 */
	enum bgp_sel_why why;
};

void bgp_sel_params_default(struct bgp_sel_params *p);

/* Fills eligible/network/compute/total of one candidate. */
void bgp_sel_cost(const struct bgp_sel_params *p, struct bgp_sel_cand *c);

/*
 * Costs every candidate, then chooses: the cheapest eligible one, or the
 * cheapest incumbent while no challenger beats it by hysteresis_pct; then
 * every eligible candidate within ecmp_pct of the winner, up to max_paths,
 * weighted by available resource (equal shares when not carried).
 * Ineligible candidates are chosen only when no candidate is eligible, and
 * then none is (the caller falls back to plain BGP).  Returns the number
 * chosen.
 */
size_t bgp_select(const struct bgp_sel_params *p, struct bgp_sel_cand *c,
		  size_t n);

/*
 * Pairwise form for bgpd's comparison hook: < 0 when a is better, > 0 when
 * b is better, 0 when equal (bgpd continues its own steps).  Applies the
 * hysteresis margin in favour of an incumbent.
 */
int bgp_sel_compare(const struct bgp_sel_params *p, struct bgp_sel_cand *a,
		    struct bgp_sel_cand *b);

const char *bgp_sel_why_name(enum bgp_sel_why w);

#endif /* CFN_BGP_SELECT_H */
