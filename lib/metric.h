// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Default compute metric model (DESIGN.md section 5, doc/metric.md): what a
 * hosting router advertises for a service, from its load.
 *
 *   u = 1 - available / total                      (utilization, 0..1)
 *   metric = min(max_metric, base + scale * u / (1 - u))
 *   not eligible (all-ones) when available < min_available,
 *   u > max_utilization, or score < min_score.
 */
#ifndef CFN_METRIC_H
#define CFN_METRIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CFN_METRIC_INELIGIBLE UINT32_MAX
/* Largest advertisable metric (all-ones is reserved for "not eligible"). */
#define CFN_METRIC_MAX (UINT32_MAX - 1)
/* Score of draft-ietf-cats-metric-definition level 2: 0..10. */
#define CFN_METRIC_SCORE_MAX 10
#define CFN_METRIC_NO_SCORE (-1)

struct cfn_metric_params {
	uint32_t base;	     /* cost of an idle site */
	uint32_t scale;	     /* penalty at u = 0.5 */
	uint32_t max_metric; /* saturation: base < max_metric <= CFN_METRIC_MAX
			      */
	uint32_t max_util_pct;	/* u above this percent: not eligible, 1..100 */
	uint64_t min_available; /* fewer free units: not eligible */
	int min_score;		/* score below this: not eligible, 0..10 */
};

struct cfn_metric_input {
	uint64_t total;	    /* capacity units, > 0 */
	uint64_t available; /* free units, <= total */
	int score;	    /* 0..10, or CFN_METRIC_NO_SCORE */
};

void cfn_metric_params_default(struct cfn_metric_params *p);
/* 0 if valid; else -1 and a message naming the parameter. */
int cfn_metric_params_validate(const struct cfn_metric_params *p, char *err,
			       size_t errlen);
/*
 * Computes the metric into *out (CFN_METRIC_INELIGIBLE when not eligible).
 * Returns -1 with a message for bad parameters or input.
 */
int cfn_metric_compute(const struct cfn_metric_params *p,
		       const struct cfn_metric_input *in, uint32_t *out,
		       char *err, size_t errlen);

#endif /* CFN_METRIC_H */
