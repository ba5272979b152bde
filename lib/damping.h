// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Advertisement damping for one service's compute metric.  Pure logic: the
 * caller passes a monotonic clock in milliseconds and runs the timer.  A new
 * metric is re-advertised only when it moved significantly from the last
 * advertised one, no sooner than a hold-down interval after the previous
 * advertisement; the hold-down doubles while the input flaps and halves back
 * while it is quiet (RFC 8405 in spirit).  Parameters: doc/damping.md.
 */
#ifndef CFN_DAMPING_H
#define CFN_DAMPING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CFN_DAMP_INTERVAL_MAX_MS 3600000u /* one hour */
#define CFN_DAMP_PCT_MAX 1000u

struct cfn_damping_params {
	uint32_t threshold_pct;	  /* % of the advertised metric; 0 = off */
	uint32_t threshold_abs;	  /* metric units; 0 = off */
	uint32_t min_interval_ms; /* hold-down when calm, >= 1 */
	uint32_t max_interval_ms; /* back-off cap, >= min_interval_ms */
	uint32_t flap_window_ms;  /* changes closer than this are flaps; 0 = no
				     back-off */
	uint32_t flap_threshold;  /* flaps tolerated before backing off */
	uint32_t
		decay_ms; /* each quiet period this long halves the hold-down */
};

enum cfn_damp_action {
	CFN_DAMP_ADVERTISE, /* advertise decision.metric now */
	CFN_DAMP_SCHEDULE,  /* advertise at decision.at_ms (timer) */
	CFN_DAMP_SUPPRESS,  /* nothing to do; any pending update cancelled */
};

struct cfn_damp_decision {
	enum cfn_damp_action action;
	uint32_t metric; /* what will be (or is) advertised */
	uint64_t at_ms;	 /* ADVERTISE: now; SCHEDULE: deadline; else 0 */
	const char *why; /* static text for debug logs */
};

struct cfn_damping {
	struct cfn_damping_params p;
	bool advertised; /* anything advertised yet */
	uint32_t adv_metric;
	uint64_t adv_time;
	bool pending;
	uint32_t pending_metric;
	uint64_t deadline;
	uint32_t hold_ms;  /* current hold-down, min..max */
	uint64_t last_sig; /* time of the last significant change */
	uint32_t flaps;	   /* consecutive changes within the flap window */
	bool grown;	   /* hold-down already doubled since last advert */
	/* counters for show/debug output */
	uint64_t n_offers, n_advertised, n_scheduled, n_suppressed;
};

/* Defaults, documented in doc/damping.md. */
void cfn_damping_params_default(struct cfn_damping_params *p);

/* Refuses inconsistent parameters: 0, or -1 with a one-line reason in err
 * (the polarity of every libcfn validator). */
int cfn_damping_validate_params(const struct cfn_damping_params *p, char *err,
				size_t errlen);

/* p must have passed cfn_damping_validate_params(). */
void cfn_damping_init(struct cfn_damping *d,
		      const struct cfn_damping_params *p);

/* New parameters on a live state (config change); keeps what was advertised. */
void cfn_damping_set_params(struct cfn_damping *d,
			    const struct cfn_damping_params *p);

/* True when moving from the advertised metric `from` to `to` is significant. */
bool cfn_damping_significant(const struct cfn_damping_params *p, uint32_t from,
			     uint32_t to);

/* Feeds a freshly computed metric; says whether and when to advertise it. */
struct cfn_damp_decision cfn_damping_offer(struct cfn_damping *d,
					   uint64_t now_ms, uint32_t metric);

/*
 * The same for a change that is news whatever its metric (a new capacity
 * or price from a load report): the threshold does not apply, the
 * hold-down does, so a stream of such reports cannot bypass damping.
 */
struct cfn_damp_decision
cfn_damping_offer_news(struct cfn_damping *d, uint64_t now_ms, uint32_t metric);

/* When a scheduled update is due; false when nothing is pending. */
bool cfn_damping_next_deadline(const struct cfn_damping *d, uint64_t *at_ms);

/*
 * To call when the timer fires: when the pending update is due, marks it
 * advertised, stores it in *metric and returns true.
 */
bool cfn_damping_expire(struct cfn_damping *d, uint64_t now_ms,
			uint32_t *metric);

/* The hold-down that applies at now_ms (decay included), for show output. */
uint32_t cfn_damping_hold_ms(const struct cfn_damping *d, uint64_t now_ms);

#endif
