// SPDX-License-Identifier: GPL-2.0-or-later
#include <stdio.h>
#include <string.h>

#include "damping.h"
#include "tlv.h"

void cfn_damping_params_default(struct cfn_damping_params *p)
{
	*p = (struct cfn_damping_params){
		.threshold_pct = 10,
		.threshold_abs = 0,
		.min_interval_ms = 1000,
		.max_interval_ms = 30000,
		.flap_window_ms = 10000,
		.flap_threshold = 3,
		.decay_ms = 10000,
	};
}

int cfn_damping_validate_params(const struct cfn_damping_params *p, char *err,
				size_t errlen)
{
	if (p->threshold_pct > CFN_DAMP_PCT_MAX) {
		snprintf(err, errlen, "threshold %u%% is above %u%%",
			 p->threshold_pct, CFN_DAMP_PCT_MAX);
		return -1;
	}
	if (p->min_interval_ms < 1 ||
	    p->min_interval_ms > CFN_DAMP_INTERVAL_MAX_MS) {
		snprintf(err, errlen,
			 "minimum interval %u ms out of range 1-%u ms",
			 p->min_interval_ms, CFN_DAMP_INTERVAL_MAX_MS);
		return -1;
	}
	if (p->max_interval_ms < p->min_interval_ms ||
	    p->max_interval_ms > CFN_DAMP_INTERVAL_MAX_MS) {
		snprintf(
			err, errlen,
			"maximum interval %u ms out of range %u-%u ms (it must not be below the minimum interval)",
			p->max_interval_ms, p->min_interval_ms,
			CFN_DAMP_INTERVAL_MAX_MS);
		return -1;
	}
	if (p->flap_window_ms > CFN_DAMP_INTERVAL_MAX_MS) {
		snprintf(err, errlen, "flap window %u ms is above %u ms",
			 p->flap_window_ms, CFN_DAMP_INTERVAL_MAX_MS);
		return -1;
	}
	if (p->flap_window_ms && p->decay_ms < 1) {
		/* a back-off that never decays would damp a site forever */
		snprintf(
			err, errlen,
			"decay interval must be at least 1 ms when back-off is enabled (flap window %u ms)",
			p->flap_window_ms);
		return -1;
	}
	if (p->decay_ms > CFN_DAMP_INTERVAL_MAX_MS) {
		snprintf(err, errlen, "decay interval %u ms is above %u ms",
			 p->decay_ms, CFN_DAMP_INTERVAL_MAX_MS);
		return -1;
	}
	if (p->flap_threshold > 100) {
		snprintf(err, errlen, "flap threshold %u is above 100",
			 p->flap_threshold);
		return -1;
	}
	return 0;
}

void cfn_damping_init(struct cfn_damping *d, const struct cfn_damping_params *p)
{
	memset(d, 0, sizeof(*d));
	d->p = *p;
	d->hold_ms = p->min_interval_ms;
}

void cfn_damping_set_params(struct cfn_damping *d,
			    const struct cfn_damping_params *p)
{
	d->p = *p;
	if (d->hold_ms < p->min_interval_ms)
		d->hold_ms = p->min_interval_ms;
	if (d->hold_ms > p->max_interval_ms)
		d->hold_ms = p->max_interval_ms;
	if (d->pending)
		d->deadline = d->adv_time + d->hold_ms;
}

bool cfn_damping_significant(const struct cfn_damping_params *p, uint32_t from,
			     uint32_t to)
{
	uint64_t diff = from > to ? from - to : to - from;

	if (diff == 0)
		return false;
	/* eligibility flips always matter, whatever the thresholds say */
	if (from == CFN_METRIC_INELIGIBLE || to == CFN_METRIC_INELIGIBLE)
		return true;
	if (p->threshold_abs && diff <= p->threshold_abs)
		return false;
	if (p->threshold_pct && diff * 100 <= (uint64_t)p->threshold_pct * from)
		return false;
	return true;
}

/* Hold-down after halving once per full quiet decay period. */
static uint32_t decayed_hold(const struct cfn_damping *d, uint64_t now)
{
	uint32_t hold = d->hold_ms;
	uint64_t periods;

	if (!d->p.flap_window_ms || !d->p.decay_ms || now <= d->last_sig)
		return hold;
	periods = (now - d->last_sig) / d->p.decay_ms;
	while (periods-- && hold > d->p.min_interval_ms)
		hold /= 2;
	return hold < d->p.min_interval_ms ? d->p.min_interval_ms : hold;
}

uint32_t cfn_damping_hold_ms(const struct cfn_damping *d, uint64_t now_ms)
{
	return decayed_hold(d, now_ms);
}

/* Book-keeping for a significant change: decay, count flaps, back off. */
static void note_significant(struct cfn_damping *d, uint64_t now)
{
	bool flap =
		d->p.flap_window_ms && now - d->last_sig < d->p.flap_window_ms;

	d->hold_ms = decayed_hold(d, now);
	d->flaps = flap ? d->flaps + 1 : 0;
	/* one doubling per advertisement: each hold-down is twice the last */
	if (flap && d->flaps > d->p.flap_threshold && !d->grown) {
		uint64_t h = (uint64_t)d->hold_ms * 2;

		d->hold_ms = h > d->p.max_interval_ms ? d->p.max_interval_ms
						      : (uint32_t)h;
		d->grown = true;
	}
	d->last_sig = now;
}

static struct cfn_damp_decision advertise(struct cfn_damping *d, uint64_t now,
					  uint32_t metric, const char *why)
{
	d->advertised = true;
	d->adv_metric = metric;
	d->adv_time = now;
	d->pending = false;
	d->grown = false;
	d->n_advertised++;
	return (struct cfn_damp_decision){CFN_DAMP_ADVERTISE, metric, now, why};
}

static struct cfn_damp_decision offer(struct cfn_damping *d, uint64_t now_ms,
				      uint32_t metric, bool news)
{
	d->n_offers++;
	if (!d->advertised) {
		d->last_sig = now_ms;
		return advertise(d, now_ms, metric, "first advertisement");
	}
	if (!news && !cfn_damping_significant(&d->p, d->adv_metric, metric)) {
		d->pending = false;
		d->n_suppressed++;
		return (struct cfn_damp_decision){
			CFN_DAMP_SUPPRESS, d->adv_metric, 0,
			"change from the advertised metric below threshold"};
	}
	/* a pending update only changes value: it is the same excursion */
	if (!d->pending)
		note_significant(d, now_ms);
	d->deadline = d->adv_time + d->hold_ms;
	if (now_ms >= d->deadline)
		return advertise(d, now_ms, metric,
				 news ? "new capacity or price"
				      : "significant change");
	d->pending = true;
	d->pending_metric = metric;
	d->n_scheduled++;
	return (struct cfn_damp_decision){
		CFN_DAMP_SCHEDULE, metric, d->deadline,
		d->hold_ms > d->p.min_interval_ms ? "flapping: backed off"
						  : "minimum interval"};
}

struct cfn_damp_decision cfn_damping_offer(struct cfn_damping *d,
					   uint64_t now_ms, uint32_t metric)
{
	return offer(d, now_ms, metric, false);
}

struct cfn_damp_decision
cfn_damping_offer_news(struct cfn_damping *d, uint64_t now_ms, uint32_t metric)
{
	return offer(d, now_ms, metric, true);
}

bool cfn_damping_next_deadline(const struct cfn_damping *d, uint64_t *at_ms)
{
	if (!d->pending)
		return false;
	*at_ms = d->deadline;
	return true;
}

bool cfn_damping_expire(struct cfn_damping *d, uint64_t now_ms,
			uint32_t *metric)
{
	if (!d->pending || now_ms < d->deadline)
		return false;
	*metric = d->pending_metric;
	advertise(d, now_ms, d->pending_metric, "hold-down expired");
	return true;
}
