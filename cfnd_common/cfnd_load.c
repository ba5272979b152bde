// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Load changes of hosted services, from the config, the exec command
 * "compute service ... available N" or a load report: the new load becomes
 * a metric (lib/metric), damping (lib/damping) decides when it goes out,
 * and the daemon part re-originates when what we advertise changes.
 */
#include <zebra.h>

#include "log.h"
#include "monotime.h"
#include "thread.h"

#include "cfnd_debug.h"
#include "cfnd_load.h"

extern struct thread_master *master;

uint32_t cfnd_service_metric(const struct cfnd_service *s)
{
	struct cfn_metric_input in = {
		.total = s->now.cap_total,
		.available = s->now.cap_avail,
		.score = (s->reported & CFN_SE_SCORE) ? s->now.score
						      : CFN_METRIC_NO_SCORE,
	};
	char err[128], buf[CFN_SVCPREFIX_STRLEN];
	uint32_t metric;

	if (cfn_metric_compute(&s->inst->metric, &in, &metric, err,
			       sizeof(err))) {
		zlog_warn("%s: %s: %s; advertising it as not eligible",
			  cfnd_ops->name,
			  cfn_svc_prefix_str(&s->now.prefix, buf, sizeof(buf)),
			  err);
		return CFN_METRIC_INELIGIBLE;
	}
	return metric;
}

uint64_t cfnd_now_ms(void)
{
	struct timeval tv;

	monotime(&tv);
	return (uint64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

void cfnd_load_entry(const struct cfnd_service *s, uint32_t metric,
		     struct cfn_svc_entry *e)
{
	uint32_t price = (s->reported & CFN_SE_PRICE) ? s->now.price_milli
						      : s->config_price_milli;

	*e = s->now;
	e->metric = metric;
	e->present = CFN_SE_CAP_TOTAL | CFN_SE_CAP_AVAIL |
		     (s->reported &
		      (CFN_SE_CPU | CFN_SE_MEM | CFN_SE_GPU | CFN_SE_SCORE));
	if (!(e->present & CFN_SE_CPU))
		e->cpu_pct = 0;
	if (!(e->present & CFN_SE_MEM))
		e->mem_pct = 0;
	if (!(e->present & CFN_SE_GPU))
		e->gpu_pct = 0;
	if (!(e->present & CFN_SE_SCORE))
		e->score = 0;
	e->price_milli = 0;
	if ((s->reported & CFN_SE_PRICE) || price) {
		e->present |= CFN_SE_PRICE;
		e->price_milli = price;
	}
	if (s->now.site_id[0])
		e->present |= CFN_SE_SITE;
}

static void advertise(struct cfnd_service *s, uint32_t metric)
{
	THREAD_OFF(s->t_damp);
	s->advertised = true;
	cfnd_load_entry(s, metric, &s->adv);
	cfnd_ops->readvertise(s->inst);
}

void cfnd_load_advertise_now(struct cfnd_service *s)
{
	uint32_t metric = cfnd_service_metric(s);

	cfn_damping_offer(&s->damp, cfnd_now_ms(), metric);
	advertise(s, metric);
}

static void damping_expired(struct thread *t)
{
	struct cfnd_service *s = THREAD_ARG(t);
	char buf[CFN_SVCPREFIX_STRLEN];
	uint32_t metric;

	if (cfn_damping_expire(&s->damp, cfnd_now_ms(), &metric)) {
		if (IS_DEBUG_CFN_ADV)
			zlog_debug(
				"%s: %s hold-down over, advertising metric %u",
				cfnd_ops->name,
				cfn_svc_prefix_str(&s->now.prefix, buf,
						   sizeof(buf)),
				metric);
		advertise(s, metric);
	}
}

void cfnd_load_changed(struct cfnd_service *s)
{
	uint32_t metric = cfnd_service_metric(s);
	uint64_t now = cfnd_now_ms();
	struct cfn_damp_decision d = cfn_damping_offer(&s->damp, now, metric);
	char buf[CFN_SVCPREFIX_STRLEN];

	if (IS_DEBUG_CFN_ADV)
		zlog_debug(
			"%s: %s available %u/%u -> metric %u (advertised %u): %s",
			cfnd_ops->name,
			cfn_svc_prefix_str(&s->now.prefix, buf, sizeof(buf)),
			s->now.cap_avail, s->now.cap_total, metric,
			s->adv.metric, d.why);
	switch (d.action) {
	case CFN_DAMP_ADVERTISE:
		advertise(s, d.metric);
		break;
	case CFN_DAMP_SCHEDULE:
		THREAD_OFF(s->t_damp);
		thread_add_timer_msec(master, damping_expired, s,
				      d.at_ms > now ? d.at_ms - now : 0,
				      &s->t_damp);
		break;
	case CFN_DAMP_SUPPRESS:
		THREAD_OFF(s->t_damp);
		break;
	}
}

void cfnd_load_init(struct cfnd_service *s)
{
	cfn_damping_init(&s->damp, &s->inst->damping);
}

void cfnd_load_fini(struct cfnd_service *s)
{
	THREAD_OFF(s->t_damp);
}
