// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Decisions: which provider AS and site bgpd chose for each service
 * prefix, as the result of best-path selection with the compute step.
 * Every UPDATE for a prefix marks it; shortly after bgpd has processed it,
 * the selected (and multipath) paths are read back and, when the chosen
 * sites changed, a decision naming the provider AS and site is handed to
 * the sink (the decision export, doc/bgp-metadata.md section 5b).
 */
#include <zebra.h>

#include "json.h"
#include "log.h"
#include "memory.h"
#include "prefix.h"
#include "thread.h"
#include "typesafe.h"
#include "vty.h"

#include "bgpd/bgpd.h"
#include "bgpd/bgp_attr.h"
#include "bgpd/bgp_aspath.h"
#include "bgpd/bgp_route.h"
#include "bgpd/bgp_table.h"

#include "cfnd_bgp.h"
#include "cfnd_bgp_debug.h"

DEFINE_MTYPE_STATIC(CFND, CFND_BGP_DECISION, "CFN BGP decision");

/* Long enough for bgpd's work queue to have run the selection. */
#define CHECK_DELAY_MS 100

PREDECL_DLIST(cfnd_decisions);
struct cfnd_dec_entry {
	struct cfnd_decisions_item item;
	struct prefix p;
	bool dirty;
	struct cfnd_bgp_decision last;
};
DECLARE_DLIST(cfnd_decisions, struct cfnd_dec_entry, item);

static struct cfnd_decisions_head decisions = INIT_DLIST(decisions);
static struct thread *t_check;
static uint64_t n_decisions;
static cfnd_bgp_decision_sink_fn sink;

void cfnd_bgp_decision_set_sink(cfnd_bgp_decision_sink_fn fn)
{
	sink = fn;
}

static struct cfnd_dec_entry *entry(const struct prefix *p, bool create)
{
	struct cfnd_dec_entry *e;

	frr_each (cfnd_decisions, &decisions, e)
		if (prefix_same(&e->p, p))
			return e;
	if (!create)
		return NULL;
	e = XCALLOC(MTYPE_CFND_BGP_DECISION, sizeof(*e));
	prefix_copy(&e->p, p);
	cfnd_decisions_add_tail(&decisions, e);
	return e;
}

/* The decision bgpd's selection amounts to for dest now. */
static void read_decision(struct bgp_dest *dest, struct cfnd_bgp_decision *d)
{
	struct bgp_path_info *pi;
	struct bgp_meta m;
	struct bgp_sel_cand c;

	memset(d, 0, sizeof(*d));
	prefix_copy(&d->prefix, bgp_dest_get_prefix(dest));
	for (pi = bgp_dest_get_bgp_path_info(dest); pi; pi = pi->next) {
		if (!CHECK_FLAG(pi->flags, BGP_PATH_SELECTED) &&
		    !CHECK_FLAG(pi->flags, BGP_PATH_MULTIPATH))
			continue;
		if (!cfnd_bgp_path_meta(pi, &m) ||
		    d->nsites >= CFND_BGP_DECISION_SITES)
			continue;
		cfnd_bgp_cand_fill(pi, &m, &c);
		bgp_sel_cost(&cfnd_bgp_cfg.sel, &c);
		/* the provider AS is the path's origin AS */
		d->provider_as[d->nsites] =
			aspath_get_last_as(pi->attr->aspath);
		if (!d->provider_as[d->nsites])
			d->provider_as[d->nsites] = pi->peer->bgp->as;
		strlcpy(d->site[d->nsites], m.site, sizeof(d->site[0]));
		if (!d->nsites) {
			d->cost = c.total;
			d->network = c.network;
			d->metric = m.metric;
			d->as_path_len = c.as_path_len;
		}
		d->nsites++;
	}
}

static bool same(const struct cfnd_bgp_decision *a,
		 const struct cfnd_bgp_decision *b)
{
	if (a->nsites != b->nsites)
		return false;
	for (uint32_t i = 0; i < a->nsites; i++)
		if (a->provider_as[i] != b->provider_as[i] ||
		    strcmp(a->site[i], b->site[i]))
			return false;
	return true;
}

static void check(struct thread *t)
{
	struct bgp *bgp = bgp_get_default();
	struct cfnd_dec_entry *e;
	bool again = false;

	if (!bgp)
		return;
	frr_each (cfnd_decisions, &decisions, e) {
		struct bgp_dest *dest;
		struct cfnd_bgp_decision d;

		if (!e->dirty)
			continue;
		dest = bgp_node_lookup(bgp->rib[AFI_IP][SAFI_UNICAST], &e->p);
		if (dest &&
		    CHECK_FLAG(dest->flags, BGP_NODE_PROCESS_SCHEDULED)) {
			again = true; /* not selected yet */
			bgp_dest_unlock_node(dest);
			continue;
		}
		e->dirty = false;
		if (dest) {
			read_decision(dest, &d);
			bgp_dest_unlock_node(dest);
		} else {
			memset(&d, 0, sizeof(d));
			prefix_copy(&d.prefix, &e->p);
		}
		/* a prefix never steered by metadata is not a decision */
		if (same(&d, &e->last))
			continue;
		e->last = d;
		n_decisions++;
		if (d.nsites)
			zlog_info(
				"%s: decision %pFX -> AS %u site %s (cost %" PRIu64
				", %u sites)",
				CFND_BGP_NAME, &d.prefix, d.provider_as[0],
				d.site[0], d.cost, d.nsites);
		else
			zlog_info("%s: decision %pFX -> plain BGP",
				  CFND_BGP_NAME, &d.prefix);
		if (sink)
			sink(&d);
	}
	if (again)
		thread_add_timer_msec(bm->master, check, NULL, CHECK_DELAY_MS,
				      &t_check);
}

static int cfnd_bgp_processed(struct bgp *bgp, afi_t afi, safi_t safi,
			      struct bgp_dest *dest, struct peer *peer,
			      bool withdraw)
{
	struct cfnd_dec_entry *e;

	if (afi != AFI_IP || safi != SAFI_UNICAST ||
	    bgp->inst_type != BGP_INSTANCE_TYPE_DEFAULT)
		return 0;
	/* only prefixes that carry, or carried, metadata */
	e = entry(bgp_dest_get_prefix(dest), false);
	if (!e) {
		struct bgp_path_info *pi;
		struct bgp_meta m;
		bool any = false;

		for (pi = bgp_dest_get_bgp_path_info(dest); pi && !any;
		     pi = pi->next)
			any = cfnd_bgp_path_meta(pi, &m);
		if (!any && !cfnd_bgp_nbr_enabled(peer))
			return 0;
		e = entry(bgp_dest_get_prefix(dest), true);
	}
	e->dirty = true;
	if (!t_check)
		thread_add_timer_msec(bm->master, check, NULL, CHECK_DELAY_MS,
				      &t_check);
	return 0;
}

void cfnd_bgp_decision_show(struct vty *vty, json_object *json)
{
	struct cfnd_dec_entry *e;
	char pfx[PREFIX_STRLEN];

	frr_each (cfnd_decisions, &decisions, e) {
		const struct cfnd_bgp_decision *d = &e->last;

		prefix2str(&e->p, pfx, sizeof(pfx));
		if (json) {
			json_object *j = json_object_new_object();
			json_object *s = json_object_new_array();

			for (uint32_t i = 0; i < d->nsites; i++) {
				json_object *x = json_object_new_object();

				json_object_int_add(x, "providerAs",
						    d->provider_as[i]);
				json_object_string_add(x, "site", d->site[i]);
				json_object_array_add(s, x);
			}
			json_object_object_add(j, "sites", s);
			json_object_int_add(j, "cost", d->cost);
			json_object_int_add(j, "metric", d->metric);
			json_object_object_add(json, pfx, j);
		} else if (d->nsites) {
			vty_out(vty, "%-18s AS %u site %s, cost %" PRIu64 "\n",
				pfx, d->provider_as[0], d->site[0], d->cost);
		} else {
			vty_out(vty, "%-18s plain BGP\n", pfx);
		}
	}
}

uint64_t cfnd_bgp_decision_count(void)
{
	return n_decisions;
}

void cfnd_bgp_decision_init(void)
{
	hook_register(bgp_process, cfnd_bgp_processed);
}

void cfnd_bgp_decision_fini(void)
{
	struct cfnd_dec_entry *e;

	THREAD_OFF(t_check);
	while ((e = cfnd_decisions_pop(&decisions)))
		XFREE(MTYPE_CFND_BGP_DECISION, e);
}
