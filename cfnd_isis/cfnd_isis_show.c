// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * cfnd_isis's show and exec commands (vtysh learns them by scanning this
 * file): the model's services and export, the IS-IS part's database,
 * routes and statistics.
 */
#include <zebra.h>

#include "command.h"
#include "json.h"
#include "monotime.h"
#include "prefix.h"
#include "vty.h"

#include "isisd/isisd.h"
#include "isisd/isis_dynhn.h"
#include "isisd/isis_misc.h"

#include "cfnd_common/cfnd_export.h"
#include "cfnd_common/cfnd_load.h"
#include "cfnd_common/cfnd_module.h"
#include "cfnd_isis.h"

#ifndef VTYSH_EXTRACT_PL
#include "cfnd_isis/cfnd_isis_show_clippy.c"
#endif

DEFPY(show_isis_compute_version, show_isis_compute_version_cmd,
      "show isis compute version [json]$json",
      SHOW_STR
      "IS-IS information\n"
      "Computing First Networking\n"
      "Module and build version\n" JSON_STR)
{
	cfnd_show_version(vty, CFND_ISIS_NAME, !!json);
	return CMD_SUCCESS;
}

static void svc_prefix_of(const struct prefix *p, struct cfn_svc_prefix *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->afi = p->family == AF_INET ? CFN_AFI_IPV4 : CFN_AFI_IPV6;
	sp->plen = p->prefixlen;
	memcpy(sp->addr, &p->u.prefix, p->family == AF_INET ? 4 : 16);
	cfn_svc_prefix_mask(sp);
}

/*
 * Routers whose compute entries carry another application id are ignored
 * (a mismatch of 'application-id'): said where the operator looks, in the
 * services and database views (JSON: a "warnings" list).
 */
static void app_id_warnings(struct vty *vty, json_object *top)
{
	json_object *list = NULL;
	struct cfnd_instance *inst;
	struct cfnd_frag *f;

	frr_each (cfnd_instances, &cfnd_instances, inst) {
		if (!inst->enabled)
			continue;
		frr_each (cfnd_frags, &cfnd_isis_of(inst)->db, f) {
			char msg[256];

			if (!f->foreign_app_id)
				continue;
			snprintf(
				msg, sizeof(msg),
				"%s advertises compute entries under application id %u, this router uses %u (application-id): they are ignored",
				print_sys_hostname(f->lsp_id),
				f->foreign_app_id, inst->app_id);
			if (!top) {
				vty_out(vty, "%% Warning: %s\n", msg);
				continue;
			}
			if (!list) {
				list = json_object_new_array();
				json_object_object_add(top, "warnings", list);
			}
			json_object_array_add(list,
					      json_object_new_string(msg));
		}
	}
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
	struct cfn_svc_prefix sp;
	char err[160];

	svc_prefix_of(prefix, &sp);
	if (cfnd_service_set_available(tag, &sp, available, err, sizeof(err)) <
	    0) {
		vty_out(vty, "%% %s\n", err);
		/* not CMD_WARNING: vtysh -c exits 0 on that, and a script
		 * must see the refusal */
		return CMD_WARNING_CONFIG_FAILED;
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
	uint64_t now = cfnd_now_ms();
	struct cfnd_instance *inst;
	struct cfnd_service *s;

	if (!json)
		vty_out(vty, "%-28s %13s %10s %10s %8s %s\n", "Service",
			"Avail/Total", "Metric", "Advert.", "Hold ms",
			"Offers/Adv/Sched/Supp");
	frr_each (cfnd_instances, &cfnd_instances, inst) {
		frr_each (cfnd_services, &inst->services, s) {
			uint32_t metric = cfnd_service_metric(s);
			uint32_t hold = cfn_damping_hold_ms(&s->damp, now);
			uint64_t at;
			bool pending = cfn_damping_next_deadline(&s->damp, &at);

			char pfx[CFN_SVCPREFIX_STRLEN];

			cfn_svc_prefix_str(&s->now.prefix, pfx, sizeof(pfx));
			if (!json) {
				char avail[24];

				snprintf(avail, sizeof(avail), "%u/%u",
					 s->now.cap_avail, s->now.cap_total);
				vty_out(vty,
					"%-28s %13s %10u %10u %8u %" PRIu64
					"/%" PRIu64 "/%" PRIu64 "/%" PRIu64
					"%s\n",
					pfx, avail, metric, s->adv.metric, hold,
					s->damp.n_offers, s->damp.n_advertised,
					s->damp.n_scheduled,
					s->damp.n_suppressed,
					pending ? " (update pending)" : "");
				continue;
			}
			json_object *o = json_object_new_object();

			json_object_string_add(o, "area", inst->tag);
			json_object_int_add(o, "capacityTotal",
					    s->now.cap_total);
			json_object_int_add(o, "capacityAvailable",
					    s->now.cap_avail);
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
			json_object_object_add(top, pfx, o);
		}
	}
	app_id_warnings(vty, top);
	if (json)
		vty_json(vty, top);
	return CMD_SUCCESS;
}

static void entry_json(json_object *o, const struct cfn_svc_entry *e)
{
	char buf[CFN_SVCPREFIX_STRLEN];

	json_object_string_add(
		o, "prefix", cfn_svc_prefix_str(&e->prefix, buf, sizeof(buf)));
	json_object_int_add(o, "metric", e->metric);
	json_object_boolean_add(o, "eligible",
				e->metric != CFN_METRIC_INELIGIBLE);
	if (e->present & CFN_SE_CAP_TOTAL)
		json_object_int_add(o, "capacityTotal", e->cap_total);
	if (e->present & CFN_SE_CAP_AVAIL)
		json_object_int_add(o, "capacityAvailable", e->cap_avail);
	if (e->present & CFN_SE_CPU)
		json_object_int_add(o, "cpuUtilization", e->cpu_pct);
	if (e->present & CFN_SE_MEM)
		json_object_int_add(o, "memoryUtilization", e->mem_pct);
	if (e->present & CFN_SE_GPU)
		json_object_int_add(o, "gpuUtilization", e->gpu_pct);
	if (e->present & CFN_SE_SCORE)
		json_object_int_add(o, "score", e->score);
	if (e->present & CFN_SE_PRICE)
		json_object_double_add(o, "price", e->price_milli / 1000.0);
	if (e->present & CFN_SE_SITE)
		json_object_string_add(o, "siteId", e->site_id);
}

static void entry_text(struct vty *vty, const char *router,
		       const struct cfnd_frag *f, const struct cfn_svc_entry *e,
		       time_t age)
{
	char buf[CFN_SVCPREFIX_STRLEN], metric[16], avail[24] = "-";

	if (e->metric == CFN_METRIC_INELIGIBLE)
		strlcpy(metric, "inelig.", sizeof(metric));
	else
		snprintf(metric, sizeof(metric), "%u", e->metric);
	if ((e->present & CFN_SE_CAP_AVAIL) && (e->present & CFN_SE_CAP_TOTAL))
		snprintf(avail, sizeof(avail), "%u/%u", e->cap_avail,
			 e->cap_total);
	vty_out(vty, "%-16s %-28s %10s %13s %-20s L%d %5lds\n", router,
		cfn_svc_prefix_str(&e->prefix, buf, sizeof(buf)), metric, avail,
		rawlspid_print(f->lsp_id), f->level, (long)age);
}

DEFPY(show_isis_compute_database, show_isis_compute_database_cmd,
      "show isis compute database [json]$json",
      SHOW_STR
      "IS-IS information\n"
      "Computing First Networking\n"
      "Compute capacity advertised by every router\n" JSON_STR)
{
	json_object *top = json ? json_object_new_object() : NULL;
	struct cfnd_instance *inst;
	time_t now = monotime(NULL);

	if (!json)
		vty_out(vty, "%-16s %-28s %10s %13s %-20s %s %6s\n", "Router",
			"Service", "Metric", "Avail/Total", "LSP", "Lv", "Age");
	frr_each (cfnd_instances, &cfnd_instances, inst) {
		struct cfnd_frag *f;

		if (!inst->enabled)
			continue;
		frr_each (cfnd_frags, &cfnd_isis_of(inst)->db, f) {
			const char *router = print_sys_hostname(f->lsp_id);
			json_object *list = NULL;

			if (json) {
				list = json_object_object_get(top, router);
				if (!list) {
					list = json_object_new_array();
					json_object_object_add(top, router,
							       list);
				}
			}
			for (size_t i = 0; i < f->n_entries; i++) {
				const struct cfn_svc_entry *e = &f->entries[i];

				if (!json) {
					entry_text(vty, router, f, e,
						   now - f->updated);
					continue;
				}
				json_object *o = json_object_new_object();

				entry_json(o, e);
				json_object_string_add(o, "area", inst->tag);
				json_object_int_add(o, "level", f->level);
				json_object_string_add(
					o, "lsp", rawlspid_print(f->lsp_id));
				json_object_int_add(o, "sequence", f->seqno);
				json_object_int_add(o, "age", now - f->updated);
				json_object_array_add(list, o);
			}
			if (f->n_dropped && !json)
				vty_out(vty,
					"%-16s (%u malformed entries skipped in %s)\n",
					router, f->n_dropped,
					rawlspid_print(f->lsp_id));
		}
	}
	app_id_warnings(vty, top);
	if (json)
		vty_json(vty, top);
	return CMD_SUCCESS;
}

static void route_json(json_object *o, const struct cfnd_route *r, time_t now)
{
	json_object *sites = json_object_new_array();
	json_object *nhs = json_object_new_array();

	for (uint32_t i = 0; i < r->nsites; i++)
		json_object_array_add(sites,
				      json_object_new_string(
					      print_sys_hostname(r->sites[i])));
	json_object_object_add(o, "sites", sites);
	json_object_int_add(o, "cost", r->cost);
	json_object_int_add(o, "distance", r->distance);
	json_object_int_add(o, "metric", r->metric);
	json_object_boolean_add(o, "local", r->local);
	for (int i = 0; i < r->nnexthops; i++) {
		const struct cfnd_nexthop *nh = &r->nexthops[i];
		json_object *n = json_object_new_object();
		char addr[INET6_ADDRSTRLEN];

		inet_ntop(nh->family, &nh->gate, addr, sizeof(addr));
		json_object_string_add(n, "address", addr);
		json_object_string_add(n, "interface", nh->ifname);
		json_object_string_add(n, "neighbor",
				       print_sys_hostname(nh->sysid));
		json_object_array_add(nhs, n);
	}
	json_object_object_add(o, "nexthops", nhs);
	json_object_boolean_add(o, "installed", r->installed);
	json_object_int_add(o, "sinceSeconds", now - r->since);
	json_object_int_add(o, "switches", r->switches);
	if (r->has_runner_up) {
		json_object *ru = json_object_new_object();

		json_object_string_add(ru, "site",
				       print_sys_hostname(r->runner_up));
		json_object_int_add(ru, "cost", r->runner_up_cost);
		json_object_object_add(o, "runnerUp", ru);
	}
}

static void route_text(struct vty *vty, const struct cfnd_route *r, time_t now)
{
	char sites[128] = "", nh[256] = "", pfx[CFN_SVCPREFIX_STRLEN];

	for (uint32_t i = 0; i < r->nsites; i++)
		snprintf(sites + strlen(sites), sizeof(sites) - strlen(sites),
			 "%s%s", i ? "," : "", print_sys_hostname(r->sites[i]));
	if (r->local)
		strlcpy(nh, "local site", sizeof(nh));
	for (int i = 0; i < r->nnexthops; i++)
		snprintfrr(nh + strlen(nh), sizeof(nh) - strlen(nh), "%s%s",
			   i ? ", " : "", r->nexthops[i].ifname);
	vty_out(vty,
		"%-24s %-16s %8" PRIu64 " %8" PRIu64 " %8u %-22s %6lds %4u",
		cfn_svc_prefix_str(&r->prefix, pfx, sizeof(pfx)),
		r->nsites ? sites : "(none)", r->cost, r->distance, r->metric,
		nh, (long)(now - r->since), r->switches);
	if (r->has_runner_up)
		vty_out(vty, "  %s/%" PRIu64, print_sys_hostname(r->runner_up),
			r->runner_up_cost);
	vty_out(vty, "\n");
}

DEFPY(show_isis_compute_routes, show_isis_compute_routes_cmd,
      "show isis compute routes [json]$json",
      SHOW_STR
      "IS-IS information\n"
      "Computing First Networking\n"
      "Steering decisions and the routes installed for them\n" JSON_STR)
{
	json_object *top = json ? json_object_new_object() : NULL;
	time_t now = monotime(NULL);
	struct cfnd_instance *inst;
	struct cfnd_route *r;

	if (!json)
		vty_out(vty, "%-24s %-16s %8s %8s %8s %-22s %7s %4s  %s\n",
			"Service", "Sites", "Cost", "Network", "Compute",
			"Nexthops", "Since", "Sw", "Runner-up/cost");
	frr_each (cfnd_instances, &cfnd_instances, inst) {
		if (!inst->enabled)
			continue;
		frr_each (cfnd_routes, &cfnd_isis_of(inst)->steer.routes, r) {
			char pfx[CFN_SVCPREFIX_STRLEN];

			if (!json) {
				route_text(vty, r, now);
				continue;
			}
			json_object *o = json_object_new_object();

			route_json(o, r, now);
			json_object_string_add(o, "area", inst->tag);
			json_object_object_add(top,
					       cfn_svc_prefix_str(&r->prefix,
								  pfx,
								  sizeof(pfx)),
					       o);
		}
	}
	if (json)
		vty_json(vty, top);
	return CMD_SUCCESS;
}

DEFPY(show_isis_compute_statistics, show_isis_compute_statistics_cmd,
      "show isis compute statistics [json]$json",
      SHOW_STR
      "IS-IS information\n"
      "Computing First Networking\n"
      "Runs of the compute-weighted SPF\n" JSON_STR)
{
	json_object *top = json ? json_object_new_object() : NULL;
	struct cfnd_instance *inst;

	frr_each (cfnd_instances, &cfnd_instances, inst) {
		struct cfnd_steer *st;

		if (!inst->enabled)
			continue;
		st = &cfnd_isis_of(inst)->steer;
		uint32_t routers =
			st->graph ? cfn_spf_router_count(st->graph) : 0;
		uint32_t services =
			st->graph ? cfn_spf_service_count(st->graph) : 0;

		if (!json) {
			vty_out(vty,
				"Area %s: %u routers, %u services; %" PRIu64
				" full runs (last %" PRIu64 " us), %" PRIu64
				" capacity-only updates (last %" PRIu64
				" us); database generation %" PRIu64 "\n",
				inst->tag, routers, services, st->full_runs,
				st->last_full_us, st->capacity_runs,
				st->last_capacity_us, inst->db_generation);
			continue;
		}
		json_object *o = json_object_new_object();

		json_object_int_add(o, "routers", routers);
		json_object_int_add(o, "services", services);
		json_object_int_add(o, "fullRuns", st->full_runs);
		json_object_int_add(o, "lastFullRunUs", st->last_full_us);
		json_object_int_add(o, "capacityRuns", st->capacity_runs);
		json_object_int_add(o, "spfRunsWithoutTopologyChange",
				    st->spf_runs_kept);
		json_object_int_add(o, "lastCapacityRunUs",
				    st->last_capacity_us);
		json_object_int_add(o, "databaseGeneration",
				    inst->db_generation);
		json_object_object_add(top, inst->tag, o);
	}
	if (json)
		vty_json(vty, top);
	return CMD_SUCCESS;
}

DEFPY(show_isis_compute_export, show_isis_compute_export_cmd,
      "show isis compute export [json]$json",
      SHOW_STR
      "IS-IS information\n"
      "Computing First Networking\n"
      "Decision export to the ledger\n" JSON_STR)
{
	cfnd_export_show(vty, !!json);
	return CMD_SUCCESS;
}

void cfnd_isis_show_init(void)
{
	install_element(VIEW_NODE, &show_isis_compute_version_cmd);
	install_element(ENABLE_NODE, &compute_service_available_cmd);
	install_element(VIEW_NODE, &show_isis_compute_services_cmd);
	install_element(VIEW_NODE, &show_isis_compute_database_cmd);
	install_element(VIEW_NODE, &show_isis_compute_routes_cmd);
	install_element(VIEW_NODE, &show_isis_compute_statistics_cmd);
	install_element(VIEW_NODE, &show_isis_compute_export_cmd);
}
