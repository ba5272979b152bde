// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The compute-routing node under "router bgp": CLI and config write only.
 * Services, load, metric and damping are the shared model's
 * (cfnd_common/cfnd_model.h), the report socket and the export are the
 * router-wide parts (cfnd_report.h, cfnd_export.h); what is BGP's own here
 * is the AS scope of the attribute.
 */
#include <zebra.h>

#include "command.h"
#include "json.h"
#include "prefix.h"
#include "vrf.h"
#include "vty.h"

#include "bgpd/bgpd.h"

#include "price.h"

#include "cfnd_common/cfnd_export.h"
#include "export_tls.h"
#include "cfnd_common/cfnd_load.h"
#include "cfnd_common/cfnd_model.h"
#include "cfnd_common/cfnd_report.h"
#include "cfnd_bgp.h"

#ifndef VTYSH_EXTRACT_PL
#include "cfnd_bgp/cfnd_bgp_config_clippy.c"
#endif

/* NOSH: vtysh has its own copy (frr patch 0013), which moves it into the
 * node. */
#define COMPUTE_STR "Computing First Networking: compute-aware routing\n"

/* The instance of "router bgp" (default instance only: the routes the
 * module chooses go to the default table). */
static struct cfnd_instance *cli_instance(struct vty *vty)
{
	struct bgp *bgp = VTY_GET_CONTEXT(bgp);

	if (!bgp) {
		vty_out(vty, "%% Not inside a router bgp instance\n");
		return NULL;
	}
	if (bgp->inst_type != BGP_INSTANCE_TYPE_DEFAULT) {
		vty_out(vty,
			"%% compute-routing is available in the default BGP instance only\n");
		return NULL;
	}
	return cfnd_instance_get(VRF_DEFAULT, CFND_BGP_TAG);
}

static void svc_prefix_of(const struct prefix *p, struct cfn_svc_prefix *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->afi = p->family == AF_INET ? CFN_AFI_IPV4 : CFN_AFI_IPV6;
	sp->plen = p->prefixlen;
	memcpy(sp->addr, &p->u.prefix, p->family == AF_INET ? 4 : 16);
}

static void svc_prefix_of4(const struct prefix_ipv4 *p,
			   struct cfn_svc_prefix *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->afi = CFN_AFI_IPV4;
	sp->plen = p->prefixlen;
	memcpy(sp->addr, &p->prefix, 4);
}

static struct cmd_node bgp_compute_node = {
	.name = "bgp compute-routing",
	.node = BGP_COMPUTE_NODE,
	.parent_node = BGP_NODE,
	.prompt = "%s(config-router-compute)# ",
};

DEFPY_NOSH(bgp_compute_routing, bgp_compute_routing_cmd, "compute-routing",
	   COMPUTE_STR)
{
	struct cfnd_instance *inst = cli_instance(vty);

	if (!inst)
		return CMD_WARNING_CONFIG_FAILED;
	cfnd_instance_enable(inst);
	vty->node = BGP_COMPUTE_NODE; /* the bgp stays the context */
	return CMD_SUCCESS;
}

DEFPY(no_bgp_compute_routing, no_bgp_compute_routing_cmd, "no compute-routing",
      NO_STR COMPUTE_STR)
{
	struct cfnd_instance *inst = cli_instance(vty);

	if (!inst)
		return CMD_WARNING_CONFIG_FAILED;
	cfnd_instance_disable(inst);
	cfnd_bgp_scope_set(NULL, 0);
	return CMD_SUCCESS;
}

DEFPY(bgp_compute_service, bgp_compute_service_cmd,
      "service A.B.C.D/M$prefix capacity (1-4294967295)$capacity available (0-4294967295)$available [{price WORD$price|site WORD$site}]",
      "A service this router hosts, originated into BGP with its metadata\n"
      "IPv4 service prefix\n"
      "Compute capacity of the site\n"
      "Units in total\n"
      "Compute available now\n"
      "Units free\n"
      "Price per unit\n"
      "Tokens per unit, up to 3 decimals (at most 4294967.295)\n"
      "Site identifier\n"
      "Site identifier (up to 64 characters)\n")
{
	struct cfnd_instance *inst = cli_instance(vty);
	struct cfnd_service_conf conf = {
		.capacity = capacity,
		.available = available,
		.site = site,
	};
	char err[160];

	if (!inst)
		return CMD_WARNING_CONFIG_FAILED;
	if (price && !cfn_price_parse(price, &conf.price_milli)) {
		vty_out(vty, "%% bad price '%s' (%s)\n", price,
			CFN_PRICE_RANGE);
		return CMD_WARNING_CONFIG_FAILED;
	}
	svc_prefix_of4(prefix, &conf.prefix);
	if (cfnd_service_configure(inst, &conf, err, sizeof(err))) {
		vty_out(vty, "%% %s\n", err);
		return CMD_WARNING_CONFIG_FAILED;
	}
	return CMD_SUCCESS;
}

DEFPY(no_bgp_compute_service, no_bgp_compute_service_cmd,
      "no service A.B.C.D/M$prefix",
      NO_STR
      "Withdraw a hosted service\n"
      "IPv4 service prefix\n")
{
	struct cfnd_instance *inst = cli_instance(vty);
	struct cfn_svc_prefix sp;
	char err[160];

	if (!inst)
		return CMD_WARNING_CONFIG_FAILED;
	svc_prefix_of4(prefix, &sp);
	cfn_svc_prefix_mask(&sp);
	if (cfnd_service_unconfigure(inst, &sp, err, sizeof(err))) {
		vty_out(vty, "%% %s\n", err);
		return CMD_WARNING_CONFIG_FAILED;
	}
	return CMD_SUCCESS;
}

DEFPY(bgp_compute_metric_function, bgp_compute_metric_function_cmd,
      "metric-function base (0-4294967294)$base scale (0-4294967294)$scale max (1-4294967294)$max max-utilization (1-100)$max_util [min-available (0-4294967295)$min_avail]",
      "Compute metric from load (see doc/metric.md)\n"
      "Metric of an idle site\n"
      "Base metric\n"
      "Utilization penalty at 50% utilization\n"
      "Penalty scale\n"
      "Saturation: the metric never exceeds this\n"
      "Maximum metric\n"
      "Above this utilization a site is not eligible\n"
      "Percent\n"
      "Below this many free units a site is not eligible\n"
      "Units\n")
{
	struct cfnd_instance *inst = cli_instance(vty);
	struct cfn_metric_params p;
	char err[160];

	if (!inst)
		return CMD_WARNING_CONFIG_FAILED;
	cfn_metric_params_default(&p);
	p.base = base;
	p.scale = scale;
	p.max_metric = max;
	p.max_util_pct = max_util;
	if (min_avail_str)
		p.min_available = min_avail;
	if (cfn_metric_params_validate(&p, err, sizeof(err))) {
		vty_out(vty, "%% metric-function refused: %s\n", err);
		return CMD_WARNING_CONFIG_FAILED;
	}
	cfnd_instance_set_metric(inst, &p);
	return CMD_SUCCESS;
}

DEFPY(bgp_compute_damping, bgp_compute_damping_cmd,
      "damping {threshold-percent (0-1000)$pct|threshold-absolute (0-4294967295)$abs|min-interval (1-3600000)$min_int|max-interval (1-3600000)$max_int|flap-window (0-3600000)$window|flap-threshold (0-100)$flaps|decay (0-3600000)$decay}",
      "Damping of metric re-advertisement (see doc/damping.md)\n"
      "Re-advertise only when the metric moves by more than this\n"
      "Percent of the advertised metric (0: off)\n"
      "Re-advertise only when the metric moves by more than this\n"
      "Metric units (0: off)\n"
      "Hold-down between advertisements when calm\n"
      "Milliseconds\n"
      "Longest hold-down while the load flaps\n"
      "Milliseconds\n"
      "Changes closer than this count as flaps\n"
      "Milliseconds (0: no back-off)\n"
      "Flaps tolerated before backing off\n"
      "Count\n"
      "Each quiet period this long halves the hold-down\n"
      "Milliseconds\n")
{
	struct cfnd_instance *inst = cli_instance(vty);
	struct cfn_damping_params p;
	char err[160];

	if (!inst)
		return CMD_WARNING_CONFIG_FAILED;
	p = inst->damping;
	if (pct_str)
		p.threshold_pct = pct;
	if (abs_str)
		p.threshold_abs = abs;
	if (min_int_str)
		p.min_interval_ms = min_int;
	if (max_int_str)
		p.max_interval_ms = max_int;
	if (window_str)
		p.flap_window_ms = window;
	if (flaps_str)
		p.flap_threshold = flaps;
	if (decay_str)
		p.decay_ms = decay;
	if (cfn_damping_validate_params(&p, err, sizeof(err))) {
		vty_out(vty, "%% damping refused: %s\n", err);
		return CMD_WARNING_CONFIG_FAILED;
	}
	cfnd_instance_set_damping(inst, &p);
	return CMD_SUCCESS;
}

DEFPY(no_bgp_compute_damping, no_bgp_compute_damping_cmd, "no damping",
      NO_STR "Back to the default damping\n")
{
	struct cfnd_instance *inst = cli_instance(vty);
	struct cfn_damping_params p;

	if (!inst)
		return CMD_WARNING_CONFIG_FAILED;
	cfn_damping_params_default(&p);
	cfnd_instance_set_damping(inst, &p);
	return CMD_SUCCESS;
}

DEFPY(bgp_compute_report_socket, bgp_compute_report_socket_cmd,
      "[no] report-socket ![PATH$path]",
      NO_STR
      "Where this router listens for load reports (cfn-report)\n"
      "UNIX socket path (default: <vty dir>/cfn-report.sock)\n")
{
	char err[256];

	if (!cli_instance(vty))
		return CMD_WARNING_CONFIG_FAILED;
	if (cfnd_report_configure(no ? NULL : path, err, sizeof(err))) {
		vty_out(vty, "%% report-socket refused: %s\n", err);
		return CMD_WARNING_CONFIG_FAILED;
	}
	return CMD_SUCCESS;
}

DEFPY(bgp_compute_hysteresis, bgp_compute_hysteresis_cmd,
      "[no] hysteresis ![percent (0-1000)$pct [absolute (0-4294967295)$abs]]",
      NO_STR
      "Keep a service's path until another is cheaper by this margin\n"
      "Margin in percent of the current cost\n"
      "Percent (0: off)\n"
      "Margin in cost units as well\n"
      "Cost units\n")
{
	struct cfnd_instance *inst = cli_instance(vty);

	if (!inst)
		return CMD_WARNING_CONFIG_FAILED;
	cfnd_instance_set_hysteresis(inst, no ? 0 : pct,
				     no || !abs_str ? 0 : abs);
	return CMD_SUCCESS;
}

DEFPY(bgp_compute_export, bgp_compute_export_cmd,
      "export socket PATH$sock key PATH$keyfile [spool PATH$spool]",
      "Export decisions to the ledger (cfn-ledgerd)\n"
      "The ledger's UNIX socket\n"
      "Socket path\n"
      "This router's signing key (cfn-ledger keygen; its name is the origin)\n"
      "Private key file\n"
      "Spool decisions here while the ledger is away\n"
      "Spool file\n")
{
	char err[256];

	if (cfnd_export_configure(sock, keyfile, spool, err, sizeof(err))) {
		vty_out(vty, "%% export refused: %s\n", err);
		return CMD_WARNING_CONFIG_FAILED;
	}
	return CMD_SUCCESS;
}

DEFPY(bgp_compute_export_tls, bgp_compute_export_tls_cmd,
      "export tls HOST$host (1-65535)$port ca PATH$ca cert PATH$cert key PATH$tlskey sign-key PATH$signkey [spool PATH$spool]",
      "Export steering decisions to the ledger (cfn-ledgerd)\n"
      "Over TLS 1.3 with mutual certificates (doc/export-tls.md)\n"
      "The ledger's address or name (its certificate must name it)\n"
      "The ledger's TLS port (cfn-ledgerd --tls-listen)\n"
      "The CA that signs the ledger's certificate\n"
      "CA certificate file (PEM)\n"
      "This router's TLS certificate (names its origin)\n"
      "Certificate file (PEM)\n"
      "The TLS private key of that certificate\n"
      "Private key file (PEM)\n"
      "This router's signing key (cfn-ledger keygen; its name is the origin)\n"
      "Private key file\n"
      "Spool decisions here while the ledger is away\n"
      "Spool file\n")
{
	struct export_tls_cfg tls = {
		.host = host,
		.port = port_str,
		.ca = ca,
		.cert = cert,
		.key = tlskey,
	};
	char err[256];

	if (cfnd_export_configure_tls(&tls, signkey, spool, err, sizeof(err))) {
		vty_out(vty, "%% export refused: %s\n", err);
		return CMD_WARNING_CONFIG_FAILED;
	}
	return CMD_SUCCESS;
}

DEFPY(no_bgp_compute_export, no_bgp_compute_export_cmd, "no export",
      NO_STR "Stop exporting decisions\n")
{
	cfnd_export_unconfigure();
	return CMD_SUCCESS;
}

DEFUN(bgp_compute_as_scope, bgp_compute_as_scope_cmd,
      "as-scope (1-4294967295)...",
      "ASes the Edge Metadata attribute may reach (default: this AS and the compute-metadata neighbors' ASes)\n"
      "AS number\n")
{
	uint32_t asns[BGP_META_SCOPE_MAX];

	if (!cli_instance(vty))
		return CMD_WARNING_CONFIG_FAILED;
	if (argc - 1 > BGP_META_SCOPE_MAX) {
		vty_out(vty, "%% at most %d ASes\n", BGP_META_SCOPE_MAX);
		return CMD_WARNING_CONFIG_FAILED;
	}
	for (int i = 1; i < argc; i++)
		asns[i - 1] = strtoul(argv[i]->arg, NULL, 10);
	cfnd_bgp_scope_set(asns, argc - 1);
	return CMD_SUCCESS;
}

DEFPY(no_bgp_compute_as_scope, no_bgp_compute_as_scope_cmd, "no as-scope",
      NO_STR "ASes the Edge Metadata attribute may reach\n")
{
	cfnd_bgp_scope_set(NULL, 0);
	return CMD_SUCCESS;
}

/*
 * The same command string as isisd's, so vtysh runs it in both daemons as
 * one command; each applies it to the services it hosts.  A bgpd without
 * compute-routing stays silent: the command is not for it.
 */
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
	struct cfnd_instance *inst =
		cfnd_instance_find(VRF_DEFAULT, CFND_BGP_TAG);
	struct cfn_svc_prefix sp;
	char err[160];

	if (!inst || !inst->enabled || tag)
		return CMD_SUCCESS;
	svc_prefix_of(prefix, &sp);
	if (cfnd_service_set_available(CFND_BGP_TAG, &sp, available, err,
				       sizeof(err)) < 0) {
		vty_out(vty, "%% %s\n", err);
		return CMD_WARNING;
	}
	return CMD_SUCCESS;
}

DEFPY(show_bgp_compute_services, show_bgp_compute_services_cmd,
      "show bgp compute services [json]$json",
      SHOW_STR BGP_STR
      "Computing First Networking\n"
      "Services hosted here: load, metric, damping\n" JSON_STR)
{
	struct cfnd_instance *inst =
		cfnd_instance_find(VRF_DEFAULT, CFND_BGP_TAG);
	json_object *top = json ? json_object_new_object() : NULL;
	uint64_t now = cfnd_now_ms();
	struct cfnd_service *s;

	if (!json)
		vty_out(vty, "%-20s %13s %10s %10s %8s %s\n", "Service",
			"Avail/Total", "Metric", "Advert.", "Hold ms",
			"Offers/Adv/Sched/Supp");
	if (inst)
		frr_each (cfnd_services, &inst->services, s) {
			char pfx[CFN_SVCPREFIX_STRLEN], avail[24];
			uint32_t hold = cfn_damping_hold_ms(&s->damp, now);

			cfn_svc_prefix_str(&s->now.prefix, pfx, sizeof(pfx));
			if (!json) {
				snprintf(avail, sizeof(avail), "%u/%u",
					 s->now.cap_avail, s->now.cap_total);
				vty_out(vty,
					"%-20s %13s %10u %10u %8u %" PRIu64
					"/%" PRIu64 "/%" PRIu64 "/%" PRIu64
					"\n",
					pfx, avail, cfnd_service_metric(s),
					s->adv.metric, hold, s->damp.n_offers,
					s->damp.n_advertised,
					s->damp.n_scheduled,
					s->damp.n_suppressed);
				continue;
			}
			json_object *o = json_object_new_object();

			json_object_int_add(o, "capacity", s->now.cap_total);
			json_object_int_add(o, "available", s->now.cap_avail);
			json_object_int_add(o, "metric",
					    cfnd_service_metric(s));
			json_object_int_add(o, "advertisedMetric",
					    s->adv.metric);
			json_object_int_add(o, "advertisedAvailable",
					    s->adv.cap_avail);
			json_object_int_add(o, "holdDownMs", hold);
			json_object_int_add(o, "offers", s->damp.n_offers);
			json_object_int_add(o, "advertisements",
					    s->damp.n_advertised);
			json_object_int_add(o, "suppressed",
					    s->damp.n_suppressed);
			json_object_string_add(o, "site", s->now.site_id);
			json_object_object_add(top, pfx, o);
		}
	if (json)
		return vty_json(vty, top);
	return CMD_SUCCESS;
}

DEFPY(show_bgp_compute_export, show_bgp_compute_export_cmd,
      "show bgp compute export [json]$json",
      SHOW_STR BGP_STR
      "Computing First Networking\n"
      "Decision export to the ledger\n" JSON_STR)
{
	cfnd_export_show(vty, !!json);
	return CMD_SUCCESS;
}

static bool metric_default(const struct cfn_metric_params *p)
{
	struct cfn_metric_params d;

	cfn_metric_params_default(&d);
	return p->base == d.base && p->scale == d.scale &&
	       p->max_metric == d.max_metric &&
	       p->max_util_pct == d.max_util_pct &&
	       p->min_available == d.min_available;
}

static bool damping_default(const struct cfn_damping_params *p)
{
	struct cfn_damping_params d;

	cfn_damping_params_default(&d);
	return p->threshold_pct == d.threshold_pct &&
	       p->threshold_abs == d.threshold_abs &&
	       p->min_interval_ms == d.min_interval_ms &&
	       p->max_interval_ms == d.max_interval_ms &&
	       p->flap_window_ms == d.flap_window_ms &&
	       p->flap_threshold == d.flap_threshold &&
	       p->decay_ms == d.decay_ms;
}

/* Inside "router bgp", before our address-family lines; field by field. */
void cfnd_bgp_config_write(struct vty *vty)
{
	struct cfnd_instance *inst =
		cfnd_instance_find(VRF_DEFAULT, CFND_BGP_TAG);
	struct cfnd_service *s;
	const uint32_t *asns;
	int n;

	if (!inst || !inst->enabled)
		return;
	vty_out(vty, " compute-routing\n");
	if (cfnd_report_configured())
		vty_out(vty, "  report-socket %s\n", cfnd_report_configured());
	if (inst->hysteresis_pct || inst->hysteresis_abs) {
		vty_out(vty, "  hysteresis percent %u", inst->hysteresis_pct);
		if (inst->hysteresis_abs)
			vty_out(vty, " absolute %" PRIu64,
				inst->hysteresis_abs);
		vty_out(vty, "\n");
	}
	if (!metric_default(&inst->metric)) {
		vty_out(vty,
			"  metric-function base %u scale %u max %u max-utilization %u min-available %" PRIu64
			"\n",
			inst->metric.base, inst->metric.scale,
			inst->metric.max_metric, inst->metric.max_util_pct,
			inst->metric.min_available);
	}
	if (!damping_default(&inst->damping))
		vty_out(vty,
			"  damping threshold-percent %u threshold-absolute %u min-interval %u max-interval %u flap-window %u flap-threshold %u decay %u\n",
			inst->damping.threshold_pct,
			inst->damping.threshold_abs,
			inst->damping.min_interval_ms,
			inst->damping.max_interval_ms,
			inst->damping.flap_window_ms,
			inst->damping.flap_threshold, inst->damping.decay_ms);
	n = cfnd_bgp_scope_get(&asns);
	if (n) {
		vty_out(vty, "  as-scope");
		for (int i = 0; i < n; i++)
			vty_out(vty, " %u", asns[i]);
		vty_out(vty, "\n");
	}
	cfnd_export_config_write(vty);
	frr_each (cfnd_services, &inst->services, s) {
		char pfx[CFN_SVCPREFIX_STRLEN], price[CFN_PRICE_STRLEN];

		vty_out(vty, "  service %s capacity %u available %u",
			cfn_svc_prefix_str(&s->now.prefix, pfx, sizeof(pfx)),
			s->now.cap_total, s->config_available);
		if (s->config_price_milli)
			vty_out(vty, " price %s",
				cfn_price_str(s->config_price_milli, price,
					      sizeof(price)));
		if (s->now.site_id[0])
			vty_out(vty, " site %s", s->now.site_id);
		vty_out(vty, "\n");
	}
	vty_out(vty, " exit\n");
}

void cfnd_bgp_config_init(void)
{
	install_node(&bgp_compute_node);
	install_default(BGP_COMPUTE_NODE);
	install_element(BGP_NODE, &bgp_compute_routing_cmd);
	install_element(BGP_NODE, &no_bgp_compute_routing_cmd);
	install_element(BGP_COMPUTE_NODE, &bgp_compute_service_cmd);
	install_element(BGP_COMPUTE_NODE, &no_bgp_compute_service_cmd);
	install_element(BGP_COMPUTE_NODE, &bgp_compute_metric_function_cmd);
	install_element(BGP_COMPUTE_NODE, &bgp_compute_damping_cmd);
	install_element(BGP_COMPUTE_NODE, &no_bgp_compute_damping_cmd);
	install_element(BGP_COMPUTE_NODE, &bgp_compute_report_socket_cmd);
	install_element(BGP_COMPUTE_NODE, &bgp_compute_hysteresis_cmd);
	install_element(BGP_COMPUTE_NODE, &bgp_compute_export_cmd);
	install_element(BGP_COMPUTE_NODE, &bgp_compute_export_tls_cmd);
	install_element(BGP_COMPUTE_NODE, &no_bgp_compute_export_cmd);
	install_element(BGP_COMPUTE_NODE, &bgp_compute_as_scope_cmd);
	install_element(BGP_COMPUTE_NODE, &no_bgp_compute_as_scope_cmd);
	install_element(ENABLE_NODE, &compute_service_available_cmd);
	install_element(VIEW_NODE, &show_bgp_compute_services_cmd);
	install_element(VIEW_NODE, &show_bgp_compute_export_cmd);
}
