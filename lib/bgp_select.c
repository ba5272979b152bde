// SPDX-License-Identifier: GPL-2.0-or-later
/* Compute-aware BGP path selection; formula in bgp_select.h. */
#include "bgp_select.h"

#include "metric.h"

void bgp_sel_params_default(struct bgp_sel_params *p)
{
	/* One AS hop weighs as much as 100 IGP units or 100 metric units:
	 * an extra domain is worth a noticeable compute difference. */
	p->as_hop_cost = 100;
	p->igp_weight = 1;
	p->med_weight = 1;
	p->delay_weight = 10;
	p->pref_weight = 1;
	p->hysteresis_pct = 10;
	p->ecmp_pct = 0;
	p->max_paths = 1;
}

static bool eligible(const struct bgp_meta *m)
{
	if (BGP_META_HAS(m, BGP_META_K_SITE_AVAIL) && m->site_avail == 0)
		return false;
	if (BGP_META_HAS(m, BGP_META_K_CAPABILITY) &&
	    m->metric == CFN_METRIC_INELIGIBLE)
		return false;
	if (BGP_META_HAS(m, BGP_META_K_RESOURCE) && m->available == 0)
		return false;
	return true;
}

void bgp_sel_cost(const struct bgp_sel_params *p, struct bgp_sel_cand *c)
{
	const struct bgp_meta *m = c->meta;
	uint64_t compute = 0;

	c->network = (uint64_t)p->as_hop_cost * c->as_path_len +
		     (uint64_t)p->igp_weight * c->igp_cost +
		     (uint64_t)p->med_weight * c->med;
	c->eligible = eligible(m);
	if (BGP_META_HAS(m, BGP_META_K_CAPABILITY) && c->eligible)
		compute += m->metric;
	if (BGP_META_HAS(m, BGP_META_K_DELAY))
		compute += (uint64_t)p->delay_weight * m->delay_us / 1000;
	if (BGP_META_HAS(m, BGP_META_K_SITE_PREF))
		compute += (uint64_t)p->pref_weight *
			   (BGP_META_PREF_MAX - m->site_pref);
	c->compute = compute;
	c->total = c->network + compute;
}

/* True when challenger's cost beats the incumbent's by the margin. */
static bool beats_incumbent(const struct bgp_sel_params *p, uint64_t chal,
			    uint64_t inc)
{
	/* chal < inc * (1 - h): integer form chal * 100 < inc * (100 - h) */
	uint32_t h = p->hysteresis_pct > 100 ? 100 : p->hysteresis_pct;

	return chal * 100 < inc * (100 - h);
}

static bool within_ecmp(const struct bgp_sel_params *p, uint64_t cost,
			uint64_t best)
{
	return cost * 100 <= best * (100 + (uint64_t)p->ecmp_pct);
}

static void share_weights(struct bgp_sel_cand *c, size_t n, size_t chosen)
{
	uint64_t sum = 0;
	bool all_have = true;

	for (size_t i = 0; i < n; i++) {
		if (!c[i].chosen)
			continue;
		if (BGP_META_HAS(c[i].meta, BGP_META_K_RESOURCE))
			sum += c[i].meta->available;
		else
			all_have = false;
	}
	for (size_t i = 0; i < n; i++) {
		if (!c[i].chosen)
			continue;
		if (all_have && sum)
			c[i].weight =
				(uint32_t)(c[i].meta->available * 100 / sum);
		else
			c[i].weight = (uint32_t)(100 / chosen);
		if (c[i].weight == 0)
			c[i].weight = 1; /* every chosen path carries some */
	}
}

size_t bgp_select(const struct bgp_sel_params *p, struct bgp_sel_cand *c,
		  size_t n)
{
	size_t best = n, inc = n, chosen = 0;

	for (size_t i = 0; i < n; i++) {
		bgp_sel_cost(p, &c[i]);
		c[i].chosen = false;
		c[i].weight = 0;
		c[i].why =
			c[i].eligible ? BGP_SEL_COSTLIER : BGP_SEL_INELIGIBLE;
		if (!c[i].eligible)
			continue;
		if (best == n || c[i].total < c[best].total)
			best = i;
		if (c[i].incumbent && (inc == n || c[i].total < c[inc].total))
			inc = i;
	}
	if (best == n)
		return 0;
	if (inc != n && inc != best &&
	    !beats_incumbent(p, c[best].total, c[inc].total)) {
		/* a tie is no challenge: it may still join as multipath */
		if (c[best].total < c[inc].total)
			c[best].why = BGP_SEL_HYSTERESIS;
		best = inc;
	}
	c[best].chosen = true;
	c[best].why = BGP_SEL_CHOSEN;
	chosen = 1;
	for (size_t i = 0; i < n; i++) {
		/* One held back by hysteresis stays out: taking it into
		 * the set would move traffic the margin is there to keep. */
		if (i == best || !c[i].eligible ||
		    c[i].why == BGP_SEL_HYSTERESIS ||
		    !within_ecmp(p, c[i].total, c[best].total))
			continue;
		if (chosen >= p->max_paths) {
			c[i].why = BGP_SEL_MAX_PATHS;
			continue;
		}
		c[i].chosen = true;
		c[i].why = BGP_SEL_CHOSEN;
		chosen++;
	}
	share_weights(c, n, chosen);
	return chosen;
}

int bgp_sel_compare(const struct bgp_sel_params *p, struct bgp_sel_cand *a,
		    struct bgp_sel_cand *b)
{
	bgp_sel_cost(p, a);
	bgp_sel_cost(p, b);
	if (a->eligible != b->eligible)
		return a->eligible ? -1 : 1;
	if (!a->eligible)
		return 0;
	/* equal costs: no opinion, so bgpd's later steps can make them
	 * multipath (ECMP), incumbent or not */
	if (a->total == b->total)
		return 0;
	if (a->incumbent && !b->incumbent)
		return beats_incumbent(p, b->total, a->total) ? 1 : -1;
	if (b->incumbent && !a->incumbent)
		return beats_incumbent(p, a->total, b->total) ? -1 : 1;
	return a->total < b->total ? -1 : 1;
}

const char *bgp_sel_why_name(enum bgp_sel_why w)
{
	switch (w) {
	case BGP_SEL_CHOSEN:
		return "chosen";
	case BGP_SEL_INELIGIBLE:
		return "ineligible";
	case BGP_SEL_COSTLIER:
		return "higher cost";
	case BGP_SEL_HYSTERESIS:
		return "hysteresis";
	case BGP_SEL_MAX_PATHS:
		return "ecmp width";
	}
	return "unknown";
}
