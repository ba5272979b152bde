// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Load changes of hosted services, from the config, the exec command
 * "compute service ... available N" or a load report: the new load becomes
 * a metric (lib/metric), and the LSP is rebuilt when what we advertise
 * changes.
 */
#include <zebra.h>

#include "command.h"
#include "json.h"
#include "log.h"
#include "monotime.h"
#include "thread.h"
#include "prefix.h"
#include "vty.h"

#include "isisd/isisd.h"

#include "cfnd_isis.h"
#include "cfnd_isis_debug.h"

#ifndef VTYSH_EXTRACT_PL
#include "cfnd_isis/cfnd_isis_load_clippy.c"
#endif

extern struct thread_master *master;

static uint32_t service_metric(struct cfnd_area *ca,
			       const struct cfnd_service *s)
{
	struct cfn_metric_input in = {
		.total = s->capacity,
		.available = s->available,
		.score = (s->reported & CFN_SE_SCORE) ? s->score
						      : CFN_METRIC_NO_SCORE,
	};
	uint32_t metric;
	char err[128];

	if (cfn_metric_compute(&ca->metric, &in, &metric, err, sizeof(err))) {
		zlog_warn("%s: %pFX: %s; advertising it as not eligible",
			  CFND_ISIS_NAME, &s->prefix, err);
		return CFN_METRIC_INELIGIBLE;
	}
	return metric;
}

static uint64_t now_ms(void)
{
	struct timeval tv;

	monotime(&tv);
	return (uint64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

/* The entry our LSP carries for a service with this metric. */
static void service_entry(const struct cfnd_service *s, uint32_t metric,
			  struct cfn_svc_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->prefix.afi =
		s->prefix.family == AF_INET ? CFN_AFI_IPV4 : CFN_AFI_IPV6;
	e->prefix.plen = s->prefix.prefixlen;
	memcpy(e->prefix.addr, &s->prefix.u.prefix,
	       s->prefix.family == AF_INET ? 4 : 16);
	e->metric = metric;
	e->present = CFN_SE_CAP_TOTAL | CFN_SE_CAP_AVAIL |
		     (s->reported &
		      (CFN_SE_CPU | CFN_SE_MEM | CFN_SE_GPU | CFN_SE_SCORE));
	e->cap_total = s->capacity;
	e->cap_avail = s->available;
	e->cpu_pct = s->cpu_pct;
	e->mem_pct = s->mem_pct;
	e->gpu_pct = s->gpu_pct;
	e->score = s->score;
	if (s->reported & CFN_SE_PRICE) {
		e->present |= CFN_SE_PRICE;
		e->price_milli = s->reported_price_milli;
	} else if (s->price) {
		e->present |= CFN_SE_PRICE;
		e->price_milli = s->price * 1000u;
	}
	if (s->site[0]) {
		e->present |= CFN_SE_SITE;
		strlcpy(e->site_id, s->site, sizeof(e->site_id));
	}
}

static void advertise(struct cfnd_service *s, uint32_t metric)
{
	THREAD_OFF(s->t_damp);
	s->advertised = true;
	service_entry(s, metric, &s->adv);
	cfnd_area_readvertise(s->area);
}

void cfnd_service_advertise_now(struct cfnd_service *s)
{
	uint32_t metric = service_metric(s->area, s);

	/* let damping count it, so a flapping config still backs off */
	cfn_damping_offer(&s->damp, now_ms(), metric);
	advertise(s, metric);
}

static void damping_expired(struct thread *t)
{
	struct cfnd_service *s = THREAD_ARG(t);
	uint32_t metric;

	if (cfn_damping_expire(&s->damp, now_ms(), &metric)) {
		if (IS_DEBUG_CFN_ADV)
			zlog_debug(
				"%s: %pFX hold-down over, advertising metric %u",
				CFND_ISIS_NAME, &s->prefix, metric);
		advertise(s, metric);
	}
}

void cfnd_service_load_changed(struct cfnd_area *ca, struct cfnd_service *s)
{
	uint32_t metric = service_metric(ca, s);
	uint64_t now = now_ms();
	struct cfn_damp_decision d = cfn_damping_offer(&s->damp, now, metric);

	if (IS_DEBUG_CFN_ADV)
		zlog_debug(
			"%s: %pFX available %u/%u -> metric %u (advertised %u): %s",
			CFND_ISIS_NAME, &s->prefix, s->available, s->capacity,
			metric, s->adv.metric, d.why);
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

void cfnd_service_load_init(struct cfnd_area *ca, struct cfnd_service *s)
{
	s->area = ca;
	cfn_damping_init(&s->damp, &ca->damping);
}

void cfnd_service_load_fini(struct cfnd_service *s)
{
	THREAD_OFF(s->t_damp);
}

/* Re-evaluates every service after the metric or damping config changed. */
void cfnd_area_reload(struct cfnd_area *ca)
{
	struct cfnd_service *s;

	frr_each (cfnd_services, &ca->services, s) {
		cfn_damping_set_params(&s->damp, &ca->damping);
		cfnd_service_advertise_now(s);
	}
}

int cfnd_set_available(struct cfnd_area *ca, const struct prefix *p,
		       uint32_t available, char *err, size_t errlen)
{
	struct cfnd_service *s = cfnd_service_find(ca, p);

	if (!s) {
		snprintfrr(err, errlen, "service %pFX is not hosted here", p);
		return -1;
	}
	if (available > s->capacity) {
		snprintfrr(err, errlen,
			   "available %u exceeds capacity %u of %pFX",
			   available, s->capacity, p);
		return -1;
	}
	s->available = available;
	cfnd_service_load_changed(ca, s);
	return 0;
}

DEFPY(compute_service_available, compute_service_available_cmd,
      "compute service <A.B.C.D/M|X:X::X:X/M>$prefix available (0-4294967295)$available [area WORD$tag]",
      "Computing First Networking\n"
      "A hosted service\n"
      "IPv4 service prefix\n"
      "IPv6 service prefix\n"
      "Report the compute available now (not saved in the config)\n"
      "Units free\n"
      "IS-IS instance\n"
      "Area tag\n")
{
	struct cfnd_area *ca;
	char err[160];
	int done = 0;

	frr_each (cfnd_areas, &cfnd_areas, ca) {
		if (tag && strcmp(tag, ca->tag))
			continue;
		if (!cfnd_service_find(ca, prefix))
			continue;
		if (cfnd_set_available(ca, prefix, available, err,
				       sizeof(err))) {
			vty_out(vty, "%% %s\n", err);
			return CMD_WARNING;
		}
		done++;
	}
	if (!done) {
		vty_out(vty, "%% service %s is not hosted here\n", prefix_str);
		return CMD_WARNING;
	}
	return CMD_SUCCESS;
}

DEFPY(show_isis_compute_services, show_isis_compute_services_cmd,
      "show isis compute services [json]$json",
      SHOW_STR
      "IS-IS information\n"
      "Computing First Networking\n"
      "Services hosted here: load, metric, damping\n" JSON_STR)
{
	json_object *top = json ? json_object_new_object() : NULL;
	uint64_t now = now_ms();
	struct cfnd_area *ca;
	struct cfnd_service *s;

	if (!json)
		vty_out(vty, "%-28s %13s %10s %10s %8s %s\n", "Service",
			"Avail/Total", "Metric", "Advert.", "Hold ms",
			"Offers/Adv/Sched/Supp");
	frr_each (cfnd_areas, &cfnd_areas, ca) {
		frr_each (cfnd_services, &ca->services, s) {
			uint32_t metric = service_metric(ca, s);
			uint32_t hold = cfn_damping_hold_ms(&s->damp, now);
			uint64_t at;
			bool pending = cfn_damping_next_deadline(&s->damp, &at);

			if (!json) {
				char avail[24];

				snprintf(avail, sizeof(avail), "%u/%u",
					 s->available, s->capacity);
				vty_out(vty,
					"%-28pFX %13s %10u %10u %8u %" PRIu64
					"/%" PRIu64 "/%" PRIu64 "/%" PRIu64
					"%s\n",
					&s->prefix, avail, metric,
					s->adv.metric, hold, s->damp.n_offers,
					s->damp.n_advertised,
					s->damp.n_scheduled,
					s->damp.n_suppressed,
					pending ? " (update pending)" : "");
				continue;
			}
			json_object *o = json_object_new_object();
			char pfx[PREFIX_STRLEN];

			json_object_string_add(o, "area", ca->tag);
			json_object_int_add(o, "capacity", s->capacity);
			json_object_int_add(o, "available", s->available);
			json_object_int_add(o, "metric", metric);
			json_object_int_add(o, "advertisedMetric",
					    s->adv.metric);
			json_object_int_add(o, "advertisedAvailable",
					    s->adv.cap_avail);
			json_object_int_add(o, "holdDownMs", hold);
			json_object_boolean_add(o, "updatePending", pending);
			json_object_int_add(o, "offers", s->damp.n_offers);
			json_object_int_add(o, "advertisements",
					    s->damp.n_advertised);
			json_object_int_add(o, "scheduled",
					    s->damp.n_scheduled);
			json_object_int_add(o, "suppressed",
					    s->damp.n_suppressed);
			json_object_object_add(
				top, prefix2str(&s->prefix, pfx, sizeof(pfx)),
				o);
		}
	}
	if (json)
		vty_json(vty, top);
	return CMD_SUCCESS;
}

void cfnd_isis_load_vty_init(void)
{
	install_element(ENABLE_NODE, &compute_service_available_cmd);
	install_element(VIEW_NODE, &show_isis_compute_services_cmd);
}
