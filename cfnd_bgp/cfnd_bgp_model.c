// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfnd_bgp's part of the shared model (struct cfnd_daemon_ops, see
 * doc/architecture.md): the services the model says to advertise are
 * originated into bgpd with the Edge Metadata attribute (the AS scope is
 * BGP's own setting), and decisions go to the router-wide export naming the
 * provider AS and site.
 */
#include <zebra.h>

#include "log.h"
#include "memory.h"
#include "prefix.h"
#include "typesafe.h"

#include "bgpd/bgpd.h"

#include "cfnd_common/cfnd_export.h"
#include "cfnd_common/cfnd_model.h"
#include "cfnd_common/cfnd_report.h"
#include "cfnd_bgp.h"
#include "cfnd_bgp_debug.h"

DEFINE_MTYPE_STATIC(CFND, CFND_BGP_ORIG, "CFN BGP originated prefix");

/* What we originated, so a service that went away is withdrawn. */
PREDECL_DLIST(cfnd_origs);
struct cfnd_orig {
	struct cfnd_origs_item item;
	struct prefix p;
	bool seen;
};
DECLARE_DLIST(cfnd_origs, struct cfnd_orig, item);

static struct cfnd_origs_head origs = INIT_DLIST(origs);
static uint32_t scope[BGP_META_SCOPE_MAX];
static int n_scope;

static void prefix_of(const struct cfn_svc_prefix *sp, struct prefix *p)
{
	memset(p, 0, sizeof(*p));
	p->family = sp->afi == CFN_AFI_IPV4 ? AF_INET : AF_INET6;
	p->prefixlen = sp->plen;
	memcpy(&p->u.prefix, sp->addr, sp->afi == CFN_AFI_IPV4 ? 4 : 16);
}

static struct cfnd_orig *orig_get(const struct prefix *p)
{
	struct cfnd_orig *o;

	frr_each (cfnd_origs, &origs, o)
		if (prefix_same(&o->p, p))
			return o;
	o = XCALLOC(MTYPE_CFND_BGP_ORIG, sizeof(*o));
	prefix_copy(&o->p, p);
	cfnd_origs_add_tail(&origs, o);
	return o;
}

static void scope_add(struct bgp_meta *m, uint32_t asn)
{
	for (int i = 0; i < m->n_scope; i++)
		if (m->scope[i] == asn)
			return;
	if (m->n_scope < BGP_META_SCOPE_MAX)
		m->scope[m->n_scope++] = asn;
}

struct scope_ctx {
	struct bgp *bgp;
	struct bgp_meta *m;
};

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

/* The attribute for an advertised entry: availability, capability
 * (metric, price, site), resource, and the scope: the configured one, else
 * this AS and the ASes of the compute-metadata neighbors (one AS hop). */
static void entry_meta(struct bgp *bgp, const struct cfn_svc_entry *e,
		       struct bgp_meta *m)
{
	memset(m, 0, sizeof(*m));
	m->present = 1u << BGP_META_K_SITE_AVAIL | 1u << BGP_META_K_CAPABILITY |
		     1u << BGP_META_K_AS_SCOPE;
	m->site_avail = e->metric == CFN_METRIC_INELIGIBLE ? 0 : 100;
	m->metric = e->metric;
	m->price_milli = e->price_milli;
	strlcpy(m->site, e->site_id, sizeof(m->site));
	if ((e->present & CFN_SE_CAP_TOTAL) && e->cap_total) {
		m->present |= 1u << BGP_META_K_RESOURCE;
		m->total = e->cap_total;
		m->available = e->cap_avail;
	}
	if (n_scope) {
		memcpy(m->scope, scope, sizeof(scope));
		m->n_scope = n_scope;
	} else {
		struct scope_ctx c = {.bgp = bgp, .m = m};

		scope_add(m, bgp->as);
		cfnd_bgp_nbr_walk(bgp, scope_nbr, &c);
	}
}

static void withdraw_unseen(struct bgp *bgp)
{
	struct cfnd_orig *o;

	frr_each_safe (cfnd_origs, &origs, o) {
		if (o->seen)
			continue;
		if (bgp)
			cfnd_bgp_withdraw(bgp, &o->p);
		cfnd_origs_del(&origs, o);
		XFREE(MTYPE_CFND_BGP_ORIG, o);
	}
}

static void bgp_readvertise(struct cfnd_instance *inst)
{
	struct bgp *bgp = bgp_get_default();
	struct cfnd_service *s;
	struct cfnd_orig *o;
	struct bgp_meta m;
	struct prefix p;
	char err[128];

	frr_each (cfnd_origs, &origs, o)
		o->seen = false;
	if (bgp && inst->enabled)
		frr_each (cfnd_services, &inst->services, s) {
			if (!s->advertised || s->adv.prefix.afi != CFN_AFI_IPV4)
				continue;
			prefix_of(&s->adv.prefix, &p);
			entry_meta(bgp, &s->adv, &m);
			if (cfnd_bgp_originate(bgp, &p, &m, err, sizeof(err)) <
			    0) {
				zlog_warn("%s: cannot originate %pFX: %s",
					  CFND_BGP_NAME, &p, err);
				continue;
			}
			orig_get(&p)->seen = true;
			if (IS_DEBUG_CFN_BGP_TX)
				zlog_debug(
					"%s: originate %pFX metric %u available %u/%u",
					CFND_BGP_NAME, &p, s->adv.metric,
					s->adv.cap_avail, s->adv.cap_total);
		}
	withdraw_unseen(bgp);
}

static void readvertise_all(void)
{
	struct cfnd_instance *inst =
		cfnd_instance_find(VRF_DEFAULT, CFND_BGP_TAG);

	if (inst)
		bgp_readvertise(inst);
}

void cfnd_bgp_scope_set(const uint32_t *asns, int n)
{
	n_scope = n > BGP_META_SCOPE_MAX ? BGP_META_SCOPE_MAX : n;
	if (n_scope)
		memcpy(scope, asns, sizeof(uint32_t) * n_scope);
	readvertise_all();
}

int cfnd_bgp_scope_get(const uint32_t **asns)
{
	*asns = scope;
	return n_scope;
}

/* The default scope follows the neighbors. */
void cfnd_bgp_svc_refresh(void)
{
	readvertise_all();
}

static void *bgp_instance_new(struct cfnd_instance *inst)
{
	/* nothing per instance beyond the model's: one view, one RIB */
	return inst;
}

static void bgp_instance_enable(struct cfnd_instance *inst, bool on)
{
	if (on)
		cfnd_report_start();
	bgp_readvertise(inst);
}

static void bgp_instance_free(struct cfnd_instance *inst)
{
	struct cfnd_orig *o;

	frr_each (cfnd_origs, &origs, o)
		o->seen = false;
	withdraw_unseen(bgp_get_default());
	inst->daemon = NULL;
}

static void bgp_hysteresis_changed(struct cfnd_instance *inst)
{
	cfnd_bgp_cfg.sel.hysteresis_pct = inst->hysteresis_pct;
}

/* A decision as the ledger records it: sites "AS<n>:<site>", the path the
 * ASes from us to the provider. */
static void export_decision(const struct cfnd_bgp_decision *d)
{
	struct cfnd_decision x = {};
	struct bgp *bgp = bgp_get_default();

	if (!cfnd_export_enabled() || !bgp)
		return;
	x.prefix.afi = CFN_AFI_IPV4;
	x.prefix.plen = d->prefix.prefixlen;
	memcpy(x.prefix.addr, &d->prefix.u.prefix4, 4);
	for (uint32_t i = 0; i < d->nsites && i < RECORD_SITES_MAX; i++) {
		snprintf(x.sites[i], sizeof(x.sites[i]), "AS%u:%s",
			 d->provider_as[i], d->site[i]);
		x.nsites++;
	}
	snprintf(x.path[x.npath++], sizeof(x.path[0]), "AS%u", bgp->as);
	if (d->nsites && RECORD_PATH_MAX > 1)
		snprintf(x.path[x.npath++], sizeof(x.path[0]), "AS%u",
			 d->provider_as[0]);
	x.cost = d->cost;
	x.distance = d->network;
	x.metric = d->metric;
	cfnd_export_decision(&x);
}

/* Each service travels in the attribute of its own prefix, which always
 * fits one UPDATE; the BGP part carries IPv4 unicast service prefixes. */
static int bgp_services_fit(struct cfnd_instance *inst,
			    const struct cfn_svc_entry *entries, size_t n,
			    char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++)
		if (entries[i].prefix.afi != CFN_AFI_IPV4) {
			snprintf(
				err, errlen,
				"BGP compute routing carries IPv4 service prefixes only");
			return -1;
		}
	return 0;
}

static const struct cfnd_daemon_ops bgp_ops = {
	.name = CFND_BGP_NAME,
	.default_app_id = 0, /* the attribute type is the BGP code point */
	.readvertise = bgp_readvertise,
	.instance_new = bgp_instance_new,
	.instance_enable = bgp_instance_enable,
	.instance_free = bgp_instance_free,
	.hysteresis_changed = bgp_hysteresis_changed,
	.services_fit = bgp_services_fit,
};

void cfnd_bgp_model_init(void)
{
	cfnd_model_init(&bgp_ops);
	cfnd_bgp_decision_set_sink(export_decision);
}

void cfnd_bgp_model_fini(void)
{
	cfnd_export_fini();
	cfnd_report_fini();
	cfnd_model_fini();
	struct cfnd_orig *o;

	while ((o = cfnd_origs_pop(&origs)))
		XFREE(MTYPE_CFND_BGP_ORIG, o);
}
