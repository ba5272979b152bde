// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The services this bgpd hosts and their load, under "router bgp ...
 * compute-routing": configuration, run-time load ("compute service PREFIX
 * available N"), metric (lib/metric) and advertisement damping
 * (lib/damping), and the attribute originated for each (cfnd_bgp_origin.c).
 *
 * Seam: this file is cfnd_bgp's own copy of the service model, built
 * before the shared model in cfnd_common/ (issue 15) existed.  What it
 * feeds into bgpd goes through cfnd_bgp_originate()/cfnd_bgp_withdraw()
 * only, so moving to the shared model replaces this file and nothing else.
 */
#include <zebra.h>

#include "command.h"
#include "json.h"
#include "log.h"
#include "memory.h"
#include "monotime.h"
#include "prefix.h"
#include "thread.h"
#include "typesafe.h"
#include "vty.h"

#include "bgpd/bgpd.h"

#include "cfnd_bgp.h"
#include "cfnd_bgp_debug.h"
#include "../lib/damping.h"
#include "../lib/metric.h"

#ifndef VTYSH_EXTRACT_PL
#include "cfnd_bgp/cfnd_bgp_svc_clippy.c"
#endif

DEFINE_MTYPE_STATIC(CFND_BGP, CFND_BGP_SVC, "CFN BGP hosted service");


PREDECL_DLIST(cfnd_svcs);
struct cfnd_svc {
	struct cfnd_svcs_item item;
	struct prefix p;
	uint64_t capacity;
	uint64_t available;
	uint32_t price; /* tokens per unit, as configured */
	char site[BGP_META_SITE_MAX + 1];
	struct cfn_damping damp;
	uint32_t adv_metric; /* what the attribute carries */
	bool originated;
	struct thread *t_damp;
	uint64_t n_originations;
};
DECLARE_DLIST(cfnd_svcs, struct cfnd_svc, item);

static struct cfnd_svcs_head svcs = INIT_DLIST(svcs);
static bool enabled; /* compute-routing configured (default instance) */
static struct cfn_damping_params damp_params;
static struct cfn_metric_params metric_params;
static uint32_t scope[BGP_META_SCOPE_MAX];
static uint8_t n_scope;

static uint64_t now_ms(void)
{
	struct timeval tv;

	monotime(&tv);
	return (uint64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

static struct cfnd_svc *svc_find(const struct prefix *p)
{
	struct cfnd_svc *s;

	frr_each (cfnd_svcs, &svcs, s)
		if (prefix_same(&s->p, p))
			return s;
	return NULL;
}

static uint32_t svc_metric(const struct cfnd_svc *s)
{
	struct cfn_metric_input in = {.total = s->capacity,
				      .available = s->available,
				      .score = CFN_METRIC_NO_SCORE};
	uint32_t m = CFN_METRIC_INELIGIBLE;
	char err[128];

	if (cfn_metric_compute(&metric_params, &in, &m, err, sizeof(err)) < 0)
		zlog_warn("%s: metric of %pFX: %s", CFND_BGP_NAME, &s->p, err);
	return m;
}

struct scope_ctx {
	struct bgp *bgp;
	struct bgp_meta *m;
};

static void scope_add(struct bgp_meta *m, uint32_t asn)
{
	for (int i = 0; i < m->n_scope; i++)
		if (m->scope[i] == asn)
			return;
	if (m->n_scope < BGP_META_SCOPE_MAX)
		m->scope[m->n_scope++] = asn;
}

static void scope_nbr(void *arg, const char *addr, struct cfnd_bgp_nbr *n)
{
	struct scope_ctx *c = arg;
	union sockunion su;
	struct peer *peer;

	if (!n->enabled || str2sockunion(addr, &su) < 0)
		return;
	peer = peer_lookup(c->bgp, &su);
	if (peer)
		scope_add(c->m, peer->as);
}

/* The attribute for s: the advertised metric and the current units; the
 * scope is the configured one, else this AS and the ASes of the
 * compute-metadata neighbors (one AS hop). */
static void svc_meta(struct bgp *bgp, const struct cfnd_svc *s,
		     struct bgp_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->present = 1u << BGP_META_K_SITE_AVAIL | 1u << BGP_META_K_CAPABILITY |
		     1u << BGP_META_K_RESOURCE | 1u << BGP_META_K_AS_SCOPE;
	m->site_avail = s->adv_metric == CFN_METRIC_INELIGIBLE ? 0 : 100;
	m->metric = s->adv_metric;
	m->price_milli = s->price * 1000;
	strlcpy(m->site, s->site, sizeof(m->site));
	m->total = s->capacity;
	m->available = s->available;
	if (n_scope) {
		memcpy(m->scope, scope, sizeof(scope));
		m->n_scope = n_scope;
	} else {
		struct scope_ctx c = {.bgp = bgp, .m = m};

		scope_add(m, bgp->as);
		cfnd_bgp_nbr_walk(bgp, scope_nbr, &c);
	}
}

static void svc_originate(struct cfnd_svc *s)
{
	struct bgp *bgp = bgp_get_default();
	struct bgp_meta m;
	char err[128];

	if (!bgp)
		return;
	svc_meta(bgp, s, &m);
	if (cfnd_bgp_originate(bgp, &s->p, &m, err, sizeof(err)) < 0) {
		zlog_warn("%s: cannot originate %pFX: %s", CFND_BGP_NAME, &s->p,
			  err);
		return;
	}
	s->originated = true;
	s->n_originations++;
	if (IS_DEBUG_CFN_BGP_TX)
		zlog_debug("%s: originate %pFX metric %u available %" PRIu64
			   "/%" PRIu64,
			   CFND_BGP_NAME, &s->p, s->adv_metric, s->available,
			   s->capacity);
}

static void svc_damp_expired(struct thread *t)
{
	struct cfnd_svc *s = THREAD_ARG(t);
	uint32_t metric;
	uint64_t at;

	if (cfn_damping_expire(&s->damp, now_ms(), &metric)) {
		s->adv_metric = metric;
		svc_originate(s);
	}
	if (cfn_damping_next_deadline(&s->damp, &at))
		thread_add_timer_msec(bm->master, svc_damp_expired, s,
				      at > now_ms() ? at - now_ms() : 0,
				      &s->t_damp);
}

/* A load or configuration change: offer the new metric to damping. */
static void svc_changed(struct cfnd_svc *s, bool force)
{
	struct cfn_damp_decision d;

	if (!enabled)
		return;
	d = cfn_damping_offer(&s->damp, now_ms(), svc_metric(s));
	if (force || d.action == CFN_DAMP_ADVERTISE) {
		THREAD_OFF(s->t_damp);
		if (d.action == CFN_DAMP_ADVERTISE)
			s->adv_metric = d.metric;
		svc_originate(s);
		return;
	}
	if (d.action == CFN_DAMP_SCHEDULE) {
		uint64_t now = now_ms();

		THREAD_OFF(s->t_damp);
		thread_add_timer_msec(bm->master, svc_damp_expired, s,
				      d.at_ms > now ? d.at_ms - now : 0,
				      &s->t_damp);
	}
	if (IS_DEBUG_CFN_BGP_TX)
		zlog_debug("%s: %pFX load change: %s", CFND_BGP_NAME, &s->p,
			   d.why);
}

static void svc_free(struct cfnd_svc *s)
{
	struct bgp *bgp = bgp_get_default();

	THREAD_OFF(s->t_damp);
	if (s->originated && bgp)
		cfnd_bgp_withdraw(bgp, &s->p);
	cfnd_svcs_del(&svcs, s);
	XFREE(MTYPE_CFND_BGP_SVC, s);
}

static struct bgp *cli_bgp(struct vty *vty)
{
	struct bgp *bgp = VTY_GET_CONTEXT(bgp);

	if (!bgp) {
		vty_out(vty, "%% No BGP instance in this context\n");
		return NULL;
	}
	if (bgp->inst_type != BGP_INSTANCE_TYPE_DEFAULT) {
		vty_out(vty, "%% compute-routing is supported in the default BGP instance only\n");
		return NULL;
	}
	return bgp;
}

static struct cmd_node bgp_compute_node = {
	.name = "bgp compute-routing",
	.node = BGP_COMPUTE_NODE,
	.parent_node = BGP_NODE,
	.prompt = "%s(config-router-compute)# ",
};

DEFPY_NOSH(bgp_compute_routing, bgp_compute_routing_cmd, "compute-routing",
	   "Computing First Networking: compute-aware routing\n")
{
	struct cfnd_svc *s;

	if (!cli_bgp(vty))
		return CMD_WARNING_CONFIG_FAILED;
	if (!enabled) {
		enabled = true;
		frr_each (cfnd_svcs, &svcs, s)
			svc_changed(s, true);
	}
	vty->node = BGP_COMPUTE_NODE;
	return CMD_SUCCESS;
}

DEFPY(no_bgp_compute_routing, no_bgp_compute_routing_cmd,
      "no compute-routing",
      NO_STR "Computing First Networking: compute-aware routing\n")
{
	struct cfnd_svc *s;

	while ((s = cfnd_svcs_first(&svcs)))
		svc_free(s);
	enabled = false;
	n_scope = 0;
	return CMD_SUCCESS;
}

DEFPY(bgp_compute_service, bgp_compute_service_cmd,
      "service A.B.C.D/M$prefix capacity (1-4294967295)$capacity available (0-4294967295)$available [{price (0-4294967295)$price|site WORD$site}]",
      "A service hosted here (originated into BGP with its metadata)\n"
      "Anycast prefix of the service\n"
      "Capacity\n" "Units\n"
      "Free capacity now\n" "Units\n"
      "Price per unit\n" "Tokens\n"
      "Site name (carried in the attribute)\n" "Name, up to 32 characters\n")
{
	struct prefix p;
	struct cfnd_svc *s;

	prefix_copy(&p, (const struct prefix *)prefix);
	apply_mask(&p);
	if (!prefix_same(&p, (const struct prefix *)prefix)) {
		vty_out(vty, "%% %s has host bits set\n", prefix_str);
		return CMD_WARNING_CONFIG_FAILED;
	}
	if ((uint64_t)available > (uint64_t)capacity) {
		vty_out(vty, "%% available %ld exceeds capacity %ld\n",
			available, capacity);
		return CMD_WARNING_CONFIG_FAILED;
	}
	if (site && strlen(site) > BGP_META_SITE_MAX) {
		vty_out(vty, "%% site name longer than %d characters\n",
			BGP_META_SITE_MAX);
		return CMD_WARNING_CONFIG_FAILED;
	}
	s = svc_find(&p);
	if (!s) {
		s = XCALLOC(MTYPE_CFND_BGP_SVC, sizeof(*s));
		s->p = p;
		cfn_damping_init(&s->damp, &damp_params);
		cfnd_svcs_add_tail(&svcs, s);
	}
	bool described = s->capacity != (uint64_t)capacity ||
			 s->price != (price_str ? price : 0) ||
			 strcmp(s->site, site ? site : "");

	s->capacity = capacity;
	s->available = available;
	s->price = price_str ? price : 0;
	strlcpy(s->site, site ? site : "", sizeof(s->site));
	/* a new description is news in itself; new load goes through
	 * damping */
	svc_changed(s, described);
	return CMD_SUCCESS;
}

DEFPY(no_bgp_compute_service, no_bgp_compute_service_cmd,
      "no service A.B.C.D/M$prefix",
      NO_STR "A service hosted here\n" "Anycast prefix of the service\n")
{
	struct cfnd_svc *s = svc_find((struct prefix *)prefix);

	if (!s) {
		vty_out(vty, "%% No service %s\n", prefix_str);
		return CMD_WARNING_CONFIG_FAILED;
	}
	svc_free(s);
	return CMD_SUCCESS;
}

DEFPY(bgp_compute_hysteresis, bgp_compute_hysteresis_cmd,
      "[no] hysteresis percent (0-100)$pct",
      NO_STR
      "Keep the chosen path until another is cheaper by a margin\n"
      "Margin in percent of the chosen path's cost\n" "Percent\n")
{
	cfnd_bgp_cfg.sel.hysteresis_pct = no ? 10 : pct;
	return CMD_SUCCESS;
}

DEFPY(bgp_compute_damping, bgp_compute_damping_cmd,
      "damping threshold-percent (0-1000)$thr min-interval (1-3600000)$min",
      "Advertisement damping of the compute metric (doc/damping.md)\n"
      "Changes below this percent of the advertised metric are dropped\n"
      "Percent\n"
      "Hold-down between advertisements\n" "Milliseconds\n")
{
	struct cfn_damping_params p = damp_params;
	struct cfnd_svc *s;
	char err[160];

	p.threshold_pct = thr;
	p.min_interval_ms = min;
	if (p.max_interval_ms < p.min_interval_ms)
		p.max_interval_ms = p.min_interval_ms;
	if (!cfn_damping_validate_params(&p, err, sizeof(err))) {
		vty_out(vty, "%% %s\n", err);
		return CMD_WARNING_CONFIG_FAILED;
	}
	damp_params = p;
	frr_each (cfnd_svcs, &svcs, s)
		cfn_damping_set_params(&s->damp, &p);
	return CMD_SUCCESS;
}

DEFUN(bgp_compute_as_scope, bgp_compute_as_scope_cmd,
      "as-scope (1-4294967295)...",
      "ASes the Edge Metadata attribute may reach (default: this AS and the compute-metadata neighbors' ASes)\n"
      "AS number\n")
{
	struct cfnd_svc *s;

	if (argc - 1 > BGP_META_SCOPE_MAX) {
		vty_out(vty, "%% at most %d ASes\n", BGP_META_SCOPE_MAX);
		return CMD_WARNING_CONFIG_FAILED;
	}
	n_scope = 0;
	for (int i = 1; i < argc; i++)
		scope[n_scope++] = strtoul(argv[i]->arg, NULL, 10);
	frr_each (cfnd_svcs, &svcs, s)
		svc_changed(s, true);
	return CMD_SUCCESS;
}

DEFPY(no_bgp_compute_as_scope, no_bgp_compute_as_scope_cmd,
      "no as-scope",
      NO_STR "ASes the Edge Metadata attribute may reach\n")
{
	struct cfnd_svc *s;

	n_scope = 0;
	frr_each (cfnd_svcs, &svcs, s)
		svc_changed(s, true);
	return CMD_SUCCESS;
}

/*
 * The same command string as isisd's (cfnd_isis), so vtysh runs it in both
 * daemons as one command; each applies it to the services it hosts.  A
 * bgpd without compute-routing stays silent: the command is not for it.
 */
DEFPY(compute_service_available, compute_service_available_cmd,
      "compute service <A.B.C.D/M|X:X::X:X/M>$prefix available (0-4294967295)$available [area WORD$tag]",
      "Computing First Networking\n"
      "A hosted service\n" "Its IPv4 prefix\n" "Its IPv6 prefix\n"
      "Free capacity now\n" "Units\n"
      "IS-IS area (isisd only)\n" "Area tag\n")
{
	struct cfnd_svc *s = svc_find(prefix);

	if (!s) {
		if (!enabled || tag)
			return CMD_SUCCESS;
		vty_out(vty, "%% No service %s\n", prefix_str);
		return CMD_WARNING;
	}
	if ((uint64_t)available > s->capacity) {
		vty_out(vty, "%% available %ld exceeds capacity %" PRIu64 "\n",
			available, s->capacity);
		return CMD_WARNING;
	}
	s->available = available;
	svc_changed(s, false);
	return CMD_SUCCESS;
}

DEFPY(show_bgp_compute_services, show_bgp_compute_services_cmd,
      "show bgp compute services [json]$json",
      SHOW_STR BGP_STR "Computing First Networking\n"
      "Services hosted here: load, metric, damping\n" JSON_STR)
{
	json_object *j = json ? json_object_new_object() : NULL;
	struct cfnd_svc *s;
	char pfx[PREFIX_STRLEN];

	frr_each (cfnd_svcs, &svcs, s) {
		prefix2str(&s->p, pfx, sizeof(pfx));
		if (j) {
			json_object *e = json_object_new_object();

			json_object_int_add(e, "capacity", s->capacity);
			json_object_int_add(e, "available", s->available);
			json_object_int_add(e, "metric", svc_metric(s));
			json_object_int_add(e, "advertisedMetric",
					    s->adv_metric);
			json_object_int_add(e, "originations",
					    s->n_originations);
			json_object_int_add(e, "dampingSuppressed",
					    s->damp.n_suppressed);
			json_object_string_add(e, "site", s->site);
			json_object_object_add(j, pfx, e);
		} else {
			vty_out(vty,
				"%-18s %" PRIu64 "/%" PRIu64
				" available, metric %u (advertised %u), %" PRIu64
				" originations\n",
				pfx, s->available, s->capacity, svc_metric(s),
				s->adv_metric, s->n_originations);
		}
	}
	if (j)
		return vty_json(vty, j);
	return CMD_SUCCESS;
}

/* Written inside "router bgp", before our address-family lines. */
void cfnd_bgp_svc_config_write(struct vty *vty)
{
	struct cfnd_svc *s;
	struct cfn_damping_params def;

	if (!enabled)
		return;
	cfn_damping_params_default(&def);
	vty_out(vty, " compute-routing\n");
	frr_each (cfnd_svcs, &svcs, s) {
		vty_out(vty, "  service %pFX capacity %" PRIu64
			     " available %" PRIu64,
			&s->p, s->capacity, s->available);
		if (s->price)
			vty_out(vty, " price %u", s->price);
		if (s->site[0])
			vty_out(vty, " site %s", s->site);
		vty_out(vty, "\n");
	}
	if (damp_params.threshold_pct != def.threshold_pct ||
	    damp_params.min_interval_ms != def.min_interval_ms)
		vty_out(vty, "  damping threshold-percent %u min-interval %u\n",
			damp_params.threshold_pct, damp_params.min_interval_ms);
	if (cfnd_bgp_cfg.sel.hysteresis_pct != 10)
		vty_out(vty, "  hysteresis percent %u\n",
			cfnd_bgp_cfg.sel.hysteresis_pct);
	if (n_scope) {
		vty_out(vty, "  as-scope");
		for (int i = 0; i < n_scope; i++)
			vty_out(vty, " %u", scope[i]);
		vty_out(vty, "\n");
	}
	vty_out(vty, " exit\n");
}

/* The scope may follow the neighbors: re-originate when they change. */
void cfnd_bgp_svc_refresh(void)
{
	struct cfnd_svc *s;

	frr_each (cfnd_svcs, &svcs, s)
		if (s->originated)
			svc_originate(s);
}

void cfnd_bgp_svc_fini(void)
{
	struct cfnd_svc *s;

	while ((s = cfnd_svcs_pop(&svcs))) {
		THREAD_OFF(s->t_damp);
		XFREE(MTYPE_CFND_BGP_SVC, s);
	}
}

void cfnd_bgp_svc_init(void)
{
	cfn_damping_params_default(&damp_params);
	cfn_metric_params_default(&metric_params);
	install_node(&bgp_compute_node);
	install_default(BGP_COMPUTE_NODE);
	install_element(BGP_NODE, &bgp_compute_routing_cmd);
	install_element(BGP_NODE, &no_bgp_compute_routing_cmd);
	install_element(BGP_COMPUTE_NODE, &bgp_compute_service_cmd);
	install_element(BGP_COMPUTE_NODE, &no_bgp_compute_service_cmd);
	install_element(BGP_COMPUTE_NODE, &bgp_compute_hysteresis_cmd);
	install_element(BGP_COMPUTE_NODE, &bgp_compute_damping_cmd);
	install_element(BGP_COMPUTE_NODE, &bgp_compute_as_scope_cmd);
	install_element(BGP_COMPUTE_NODE, &no_bgp_compute_as_scope_cmd);
	install_element(ENABLE_NODE, &compute_service_available_cmd);
	install_element(VIEW_NODE, &show_bgp_compute_services_cmd);
}
