// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>

#include "metric.h"

void cfn_metric_params_default(struct cfn_metric_params *p)
{
	p->base = 10;
	p->scale = 100;
	p->max_metric = 1000000;
	p->max_util_pct = 95;
	p->min_available = 1;
	p->min_score = 0;
}

static int bad(char *err, size_t errlen, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
	return -1;
}

int cfn_metric_params_validate(const struct cfn_metric_params *p, char *err,
			       size_t errlen)
{
	if (p->max_metric > CFN_METRIC_MAX)
		return bad(
			err, errlen,
			"max_metric: must be at most 4294967294 (all-ones means not eligible)");
	if (p->base >= p->max_metric)
		return bad(err, errlen, "base: must be below max_metric");
	if (p->max_util_pct < 1 || p->max_util_pct > 100)
		return bad(err, errlen, "max_util_pct: must be 1..100");
	if (p->min_score < 0 || p->min_score > CFN_METRIC_SCORE_MAX)
		return bad(err, errlen, "min_score: must be 0..10");
	return 0;
}

int cfn_metric_compute(const struct cfn_metric_params *p,
		       const struct cfn_metric_input *in, uint32_t *out,
		       char *err, size_t errlen)
{
	long double u, m;

	if (cfn_metric_params_validate(p, err, errlen))
		return -1;
	if (in->total == 0)
		return bad(err, errlen, "total: must be positive");
	if (in->available > in->total)
		return bad(err, errlen, "available: must not exceed total");
	if (in->score != CFN_METRIC_NO_SCORE &&
	    (in->score < 0 || in->score > CFN_METRIC_SCORE_MAX))
		return bad(err, errlen, "score: must be 0..10");

	/* Compare in integers so thresholds are exact at the boundary. */
	if (in->available < p->min_available ||
	    (unsigned __int128)(in->total - in->available) * 100 >
		    (unsigned __int128)in->total * p->max_util_pct ||
	    (in->score != CFN_METRIC_NO_SCORE && in->score < p->min_score)) {
		*out = CFN_METRIC_INELIGIBLE;
		return 0;
	}
	if (in->available == 0) {
		/* Eligible only if thresholds allow a full site: saturate. */
		*out = p->max_metric;
		return 0;
	}
	u = (long double)(in->total - in->available) / (long double)in->total;
	/* Queueing delay grows like u/(1-u): gentle, then steep near full. */
	m = p->base + (long double)p->scale * u / (1.0L - u);
	*out = m >= p->max_metric ? p->max_metric : (uint32_t)(m + 0.5L);
	if (*out > p->max_metric)
		*out = p->max_metric;
	return 0;
}
