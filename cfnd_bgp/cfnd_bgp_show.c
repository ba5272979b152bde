// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * What cfnd_bgp shows: the decoded attribute on each path ("show bgp ipv4
 * unicast PREFIX [json]" through the bgp_route_detail_extra hook), the
 * compute database and the compute routes with every candidate's cost.
 */
#include <zebra.h>

#include "command.h"
#include "json.h"
#include "vty.h"

#include "bgpd/bgpd.h"
#include "bgpd/bgp_attr.h"
#include "bgpd/bgp_aspath.h"
#include "bgpd/bgp_route.h"
#include "bgpd/bgp_table.h"

#include "cfnd_bgp.h"

#ifndef VTYSH_EXTRACT_PL
#include "cfnd_bgp/cfnd_bgp_show_clippy.c"
#endif

#define MAX_CANDS 32

void cfnd_bgp_meta_text(const struct bgp_meta *m, char *buf, size_t len)
{
	size_t o = 0;

#define ADD(...)                                                               \
	do {                                                                   \
		if (o < len)                                                   \
			o += snprintf(buf + o, len - o, __VA_ARGS__);          \
	} while (0)
	buf[0] = '\0';
	if (BGP_META_HAS(m, BGP_META_K_CAPABILITY)) {
		ADD("site %s, ", m->site[0] ? m->site : "-");
		if (m->metric == UINT32_MAX)
			ADD("metric ineligible, ");
		else
			ADD("metric %u, ", m->metric);
		ADD("price %u.%03u, ", m->price_milli / 1000,
		    m->price_milli % 1000);
	}
	if (BGP_META_HAS(m, BGP_META_K_RESOURCE))
		ADD("available %" PRIu64 "/%" PRIu64 ", ", m->available,
		    m->total);
	if (BGP_META_HAS(m, BGP_META_K_SITE_PREF))
		ADD("preference %u, ", m->site_pref);
	if (BGP_META_HAS(m, BGP_META_K_SITE_AVAIL))
		ADD("availability %u%%, ", m->site_avail);
	if (BGP_META_HAS(m, BGP_META_K_DELAY))
		ADD("delay %u us, ", m->delay_us);
	if (BGP_META_HAS(m, BGP_META_K_AS_SCOPE)) {
		ADD("scope");
		for (int i = 0; i < m->n_scope; i++)
			ADD(" %u", m->scope[i]);
		ADD(", ");
	}
#undef ADD
	o = strlen(buf);
	if (o >= 2)
		buf[o - 2] = '\0'; /* the last ", " */
}

struct json_object *cfnd_bgp_meta_json(const struct bgp_meta *m)
{
	json_object *j = json_object_new_object();

	if (BGP_META_HAS(m, BGP_META_K_CAPABILITY)) {
		json_object_string_add(j, "site", m->site);
		json_object_boolean_add(j, "eligibleMetric",
					m->metric != UINT32_MAX);
		json_object_int_add(j, "metric", m->metric);
		json_object_int_add(j, "priceMilli", m->price_milli);
	}
	if (BGP_META_HAS(m, BGP_META_K_RESOURCE)) {
		json_object_int_add(j, "total", m->total);
		json_object_int_add(j, "available", m->available);
	}
	if (BGP_META_HAS(m, BGP_META_K_SITE_PREF))
		json_object_int_add(j, "sitePreference", m->site_pref);
	if (BGP_META_HAS(m, BGP_META_K_SITE_AVAIL))
		json_object_int_add(j, "siteAvailability", m->site_avail);
	if (BGP_META_HAS(m, BGP_META_K_DELAY))
		json_object_int_add(j, "delayUs", m->delay_us);
	if (BGP_META_HAS(m, BGP_META_K_AS_SCOPE)) {
		json_object *s = json_object_new_array();

		for (int i = 0; i < m->n_scope; i++)
			json_object_array_add(
				s, json_object_new_int64(m->scope[i]));
		json_object_object_add(j, "asScope", s);
	}
	return j;
}

static int cfnd_bgp_detail(struct vty *vty, struct bgp_path_info *path,
			   afi_t afi, safi_t safi, json_object *json_path)
{
	struct bgp_meta m;
	char buf[256];
	size_t len;

	if (!cfnd_bgp_attr_raw(path->attr, &len, NULL, NULL))
		return 0;
	if (!cfnd_bgp_path_meta(path, &m)) {
		/* kept from a neighbor since disabled: say it is unused */
		if (json_path)
			json_object_boolean_true_add(json_path,
						     "edgeMetadataUnused");
		else
			vty_out(vty,
				"      Edge metadata: not used (neighbor without compute-metadata)\n");
		return 0;
	}
	if (json_path) {
		json_object_object_add(json_path, "edgeMetadata",
				       cfnd_bgp_meta_json(&m));
	} else {
		cfnd_bgp_meta_text(&m, buf, sizeof(buf));
		vty_out(vty, "      Edge metadata: %s\n", buf);
	}
	return 0;
}

static const char *path_peer(const struct bgp_path_info *pi)
{
	return pi->peer == pi->peer->bgp->peer_self ? "local" : pi->peer->host;
}

static void nexthop_str(const struct bgp_path_info *pi, char *buf, size_t len)
{
	snprintfrr(buf, len, "%pI4", &pi->attr->nexthop);
}

/* Walks the IPv4 unicast paths carrying a usable attribute, per prefix. */
typedef void (*prefix_fn)(void *arg, const struct prefix *p,
			  struct bgp_path_info **pis, struct bgp_meta *ms,
			  size_t n);

static void walk(struct bgp *bgp, prefix_fn fn, void *arg)
{
	struct bgp_table *t = bgp->rib[AFI_IP][SAFI_UNICAST];
	static struct bgp_path_info *pis[MAX_CANDS];
	static struct bgp_meta ms[MAX_CANDS];

	for (struct bgp_dest *d = bgp_table_top(t); d; d = bgp_route_next(d)) {
		size_t n = 0;

		for (struct bgp_path_info *pi = bgp_dest_get_bgp_path_info(d);
		     pi && n < MAX_CANDS; pi = pi->next)
			if (cfnd_bgp_path_meta(pi, &ms[n]))
				pis[n++] = pi;
		if (n)
			fn(arg, bgp_dest_get_prefix(d), pis, ms, n);
	}
}

struct show_ctx {
	struct vty *vty;
	json_object *json; /* NULL for text */
	struct bgp *bgp;
};

static void db_prefix(void *arg, const struct prefix *p,
		      struct bgp_path_info **pis, struct bgp_meta *ms, size_t n)
{
	struct show_ctx *c = arg;
	json_object *arr = NULL;
	char pfx[PREFIX_STRLEN], nh[INET_ADDRSTRLEN + 1], buf[256];

	prefix2str(p, pfx, sizeof(pfx));
	if (c->json) {
		arr = json_object_new_array();
		json_object_object_add(c->json, pfx, arr);
	}
	for (size_t i = 0; i < n; i++) {
		nexthop_str(pis[i], nh, sizeof(nh));
		if (arr) {
			json_object *e = cfnd_bgp_meta_json(&ms[i]);

			json_object_string_add(e, "peer", path_peer(pis[i]));
			json_object_string_add(e, "nexthop", nh);
			json_object_string_add(e, "asPath",
					       pis[i]->attr->aspath->str);
			json_object_array_add(arr, e);
		} else {
			cfnd_bgp_meta_text(&ms[i], buf, sizeof(buf));
			vty_out(c->vty, "%-18s %-15s %-15s [%s] %s\n", pfx,
				path_peer(pis[i]), nh,
				pis[i]->attr->aspath->str, buf);
		}
	}
}

static void routes_prefix(void *arg, const struct prefix *p,
			  struct bgp_path_info **pis, struct bgp_meta *ms,
			  size_t n)
{
	struct show_ctx *c = arg;
	struct bgp_sel_cand cand[MAX_CANDS];
	char pfx[PREFIX_STRLEN], nh[INET_ADDRSTRLEN + 1];
	json_object *jp = NULL, *jc = NULL;

	struct bgp_sel_params sel = cfnd_bgp_cfg.sel;
	const struct bgp_maxpaths_cfg *mp =
		&c->bgp->maxpaths[AFI_IP][SAFI_UNICAST];

	/* the ECMP width is bgpd's own "maximum-paths" */
	sel.max_paths = MAX(mp->maxpaths_ebgp, mp->maxpaths_ibgp);
	if (!sel.max_paths)
		sel.max_paths = 1;
	prefix2str(p, pfx, sizeof(pfx));
	for (size_t i = 0; i < n; i++)
		cfnd_bgp_cand_fill(pis[i], &ms[i], &cand[i]);
	bgp_select(&sel, cand, n);
	if (c->json) {
		jp = json_object_new_object();
		jc = json_object_new_array();
		json_object_object_add(jp, "candidates", jc);
		json_object_object_add(c->json, pfx, jp);
	} else {
		vty_out(c->vty, "%s\n", pfx);
	}
	for (size_t i = 0; i < n; i++) {
		const struct bgp_sel_cand *k = &cand[i];
		bool best = CHECK_FLAG(pis[i]->flags, BGP_PATH_SELECTED);
		bool multi = CHECK_FLAG(pis[i]->flags, BGP_PATH_MULTIPATH);

		nexthop_str(pis[i], nh, sizeof(nh));
		if (jc) {
			json_object *e = json_object_new_object();

			json_object_string_add(e, "peer", path_peer(pis[i]));
			json_object_string_add(e, "nexthop", nh);
			json_object_string_add(e, "site", ms[i].site);
			json_object_boolean_add(e, "eligible", k->eligible);
			json_object_int_add(e, "networkCost", k->network);
			json_object_int_add(e, "computeCost", k->compute);
			json_object_int_add(e, "totalCost", k->total);
			json_object_boolean_add(e, "chosen", k->chosen);
			json_object_int_add(e, "weight", k->weight);
			json_object_string_add(e, "reason",
					       bgp_sel_why_name(k->why));
			json_object_boolean_add(e, "bgpBest", best);
			json_object_boolean_add(e, "bgpMultipath", multi);
			json_object_array_add(jc, e);
		} else {
			vty_out(c->vty,
				"  %s %-15s via %-15s site %-12s network %" PRIu64
				" compute %" PRIu64 " total %" PRIu64 "%s%s\n",
				k->chosen ? "*>" : "  ", path_peer(pis[i]), nh,
				ms[i].site[0] ? ms[i].site : "-", k->network,
				k->compute, k->total,
				k->chosen ? "" : " lost: ",
				k->chosen ? "" : bgp_sel_why_name(k->why));
		}
	}
}

static struct bgp *default_bgp(struct vty *vty)
{
	struct bgp *bgp = bgp_get_default();

	if (!bgp)
		vty_out(vty, "%% No BGP instance\n");
	return bgp;
}

DEFPY(show_bgp_compute_database, show_bgp_compute_database_cmd,
      "show bgp compute database [json]$json",
      SHOW_STR BGP_STR
      "Computing First Networking\n"
      "Edge Metadata received from enabled neighbors and originated here\n" JSON_STR)
{
	struct bgp *bgp = default_bgp(vty);
	struct show_ctx c = {.vty = vty, .bgp = bgp};

	if (!bgp)
		return CMD_WARNING;
	if (json)
		c.json = json_object_new_object();
	else
		vty_out(vty, "%-18s %-15s %-15s %s\n", "Prefix", "From",
			"Nexthop", "AS path and metadata");
	walk(bgp, db_prefix, &c);
	if (json)
		return vty_json(vty, c.json);
	return CMD_SUCCESS;
}

DEFPY(show_bgp_compute_routes, show_bgp_compute_routes_cmd,
      "show bgp compute routes [json]$json",
      SHOW_STR BGP_STR
      "Computing First Networking\n"
      "Compute-aware choice per service prefix, every candidate's cost\n" JSON_STR)
{
	struct bgp *bgp = default_bgp(vty);
	struct show_ctx c = {.vty = vty, .bgp = bgp};

	if (!bgp)
		return CMD_WARNING;
	if (json)
		c.json = json_object_new_object();
	walk(bgp, routes_prefix, &c);
	if (json)
		return vty_json(vty, c.json);
	return CMD_SUCCESS;
}

struct nbr_ctx {
	struct vty *vty;
	json_object *json;
};

static void nbr_show(void *arg, const char *addr, struct cfnd_bgp_nbr *n)
{
	struct nbr_ctx *c = arg;

	if (c->json) {
		json_object *e = json_object_new_object();

		json_object_boolean_add(e, "enabled", n->enabled);
		json_object_int_add(e, "accepted", n->accepted);
		json_object_int_add(e, "malformed", n->malformed);
		json_object_int_add(e, "discarded", n->discarded);
		json_object_int_add(e, "sent", n->sent);
		json_object_object_add(c->json, addr, e);
	} else {
		vty_out(c->vty,
			"%-20s %-8s %10" PRIu64 " %10" PRIu64 " %10" PRIu64
			" %10" PRIu64 "\n",
			addr, n->enabled ? "yes" : "no", n->accepted,
			n->malformed, n->discarded, n->sent);
	}
}

DEFPY(show_bgp_compute_neighbors, show_bgp_compute_neighbors_cmd,
      "show bgp compute neighbors [json]$json",
      SHOW_STR BGP_STR
      "Computing First Networking\n"
      "Edge Metadata per neighbor: enabled, received, malformed, sent\n" JSON_STR)
{
	struct bgp *bgp = default_bgp(vty);
	struct nbr_ctx c = {.vty = vty};

	if (!bgp)
		return CMD_WARNING;
	if (json)
		c.json = json_object_new_object();
	else
		vty_out(vty, "%-20s %-8s %10s %10s %10s %10s\n", "Neighbor",
			"Enabled", "Accepted", "Malformed", "Discarded",
			"Sent");
	cfnd_bgp_nbr_walk(bgp, nbr_show, &c);
	if (json)
		return vty_json(vty, c.json);
	return CMD_SUCCESS;
}

DEFPY(show_bgp_compute_decisions, show_bgp_compute_decisions_cmd,
      "show bgp compute decisions [json]$json",
      SHOW_STR BGP_STR
      "Computing First Networking\n"
      "Last decision per service prefix: provider AS and site\n" JSON_STR)
{
	json_object *j = json ? json_object_new_object() : NULL;

	cfnd_bgp_decision_show(vty, j);
	if (j)
		return vty_json(vty, j);
	return CMD_SUCCESS;
}

void cfnd_bgp_show_init(void)
{
	hook_register(bgp_route_detail_extra, cfnd_bgp_detail);
	install_element(VIEW_NODE, &show_bgp_compute_database_cmd);
	install_element(VIEW_NODE, &show_bgp_compute_routes_cmd);
	install_element(VIEW_NODE, &show_bgp_compute_neighbors_cmd);
	install_element(VIEW_NODE, &show_bgp_compute_decisions_cmd);
}
