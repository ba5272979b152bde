// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The compute-routing node under "router isis": CLI and config write only;
 * every change goes through the model (cfnd_common/cfnd_model.h), the
 * router-wide report socket (cfnd_report.h) and export (cfnd_export.h).
 */
#include <zebra.h>

#include "command.h"
#include "hook.h"
#include "prefix.h"
#include "vrf.h"
#include "vty.h"

#include "isisd/isisd.h"

#include "cfnd_common/cfnd_export.h"
#include "export_tls.h"
#include "cfnd_common/cfnd_report.h"
#include "cfnd_isis.h"
#include "price.h"

/* The area tag and VRF of the router isis instance the CLI is in. */
static bool cli_xpath_key(struct vty *vty, const char *key, char *buf,
			  size_t len)
{
	char pat[32];
	const char *p;
	size_t n;

	snprintf(pat, sizeof(pat), "[%s='", key);
	p = strstr(VTY_CURR_XPATH, pat);
	if (!p)
		return false;
	p += strlen(pat);
	n = strcspn(p, "'");
	if (n == 0 || n >= len)
		return false;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return true;
}

/*
 * The instance of the CLI's router isis; steering installs routes in the
 * default VRF only, so compute-routing is refused in any other.
 */
static struct cfnd_instance *cli_instance(struct vty *vty)
{
	char tag[64], vrf[VRF_NAMSIZ + 1];

	if (!cli_xpath_key(vty, "area-tag", tag, sizeof(tag))) {
		vty_out(vty, "%% Not inside a router isis instance\n");
		return NULL;
	}
	if (cli_xpath_key(vty, "vrf", vrf, sizeof(vrf)) &&
	    strcmp(vrf, VRF_DEFAULT_NAME)) {
		vty_out(vty,
			"%% compute-routing is available in the default VRF only (router isis %s vrf %s)\n",
			tag, vrf);
		return NULL;
	}
	return cfnd_instance_get(VRF_DEFAULT, tag);
}

/* A configured prefix as the model's key. */
static void svc_prefix_of(const struct prefix *p, struct cfn_svc_prefix *sp)
{
	memset(sp, 0, sizeof(*sp));
	sp->afi = p->family == AF_INET ? CFN_AFI_IPV4 : CFN_AFI_IPV6;
	sp->plen = p->prefixlen;
	memcpy(sp->addr, &p->u.prefix, p->family == AF_INET ? 4 : 16);
}

static struct cmd_node isis_compute_node = {
	.name = "isis compute-routing",
	.node = ISIS_COMPUTE_NODE,
	.parent_node = ISIS_NODE,
	.prompt = "%s(config-router-compute)# ",
};

#ifndef VTYSH_EXTRACT_PL
#include "cfnd_isis/cfnd_isis_config_clippy.c"
#endif

/* NOSH: vtysh has its own copy, which also moves vtysh into the node. */
#define COMPUTE_STR "Computing First Networking: compute-aware routing\n"

DEFPY_NOSH(isis_compute_routing, isis_compute_routing_cmd, "compute-routing",
	   COMPUTE_STR)
{
	struct cfnd_instance *inst = cli_instance(vty);

	if (!inst)
		return CMD_WARNING_CONFIG_FAILED;
	cfnd_instance_enable(inst);
	VTY_PUSH_XPATH(ISIS_COMPUTE_NODE, VTY_CURR_XPATH);
	return CMD_SUCCESS;
}

DEFPY(no_isis_compute_routing, no_isis_compute_routing_cmd,
      "no compute-routing", NO_STR COMPUTE_STR)
{
	struct cfnd_instance *inst = cli_instance(vty);

	if (!inst)
		return CMD_WARNING_CONFIG_FAILED;
	cfnd_instance_disable(inst);
	return CMD_SUCCESS;
}

DEFPY(isis_compute_service, isis_compute_service_cmd,
      "service <A.B.C.D/M|X:X::X:X/M>$prefix capacity (1-4294967295)$capacity available (0-4294967295)$available [{price WORD$price|site WORD$site}]",
      "A service this router hosts (its anycast prefix)\n"
      "IPv4 service prefix\n"
      "IPv6 service prefix\n"
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
	svc_prefix_of(prefix, &conf.prefix);
	if (cfnd_service_configure(inst, &conf, err, sizeof(err))) {
		vty_out(vty, "%% %s\n", err);
		return CMD_WARNING_CONFIG_FAILED;
	}
	return CMD_SUCCESS;
}

DEFPY(no_isis_compute_service, no_isis_compute_service_cmd,
      "no service <A.B.C.D/M|X:X::X:X/M>$prefix",
      NO_STR
      "Withdraw a hosted service\n"
      "IPv4 service prefix\n"
      "IPv6 service prefix\n")
{
	struct cfnd_instance *inst = cli_instance(vty);
	struct cfn_svc_prefix sp;
	char err[160];

	if (!inst)
		return CMD_WARNING_CONFIG_FAILED;
	svc_prefix_of(prefix, &sp);
	cfn_svc_prefix_mask(&sp);
	if (cfnd_service_unconfigure(inst, &sp, err, sizeof(err))) {
		vty_out(vty, "%% %s\n", err);
		return CMD_WARNING_CONFIG_FAILED;
	}
	return CMD_SUCCESS;
}

DEFPY(isis_compute_app_id, isis_compute_app_id_cmd,
      "[no] application-id ![(1-65535)$app_id]",
      NO_STR
      "GENINFO application identifier (RFC 6823) for compute entries\n"
      "Identifier (default 17222 = 0x4346, provisional)\n")
{
	struct cfnd_instance *inst = cli_instance(vty);

	if (!inst)
		return CMD_WARNING_CONFIG_FAILED;
	cfnd_instance_set_app_id(inst, no ? CFND_DEFAULT_APP_ID : app_id);
	return CMD_SUCCESS;
}
DEFPY(isis_compute_metric_function, isis_compute_metric_function_cmd,
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

DEFPY(isis_compute_damping, isis_compute_damping_cmd,
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

DEFPY(isis_compute_report_socket, isis_compute_report_socket_cmd,
      "[no] report-socket ![PATH$path]",
      NO_STR
      "Where this router listens for load reports (cfn-report)\n"
      "UNIX socket path (default: <vty dir>/cfn-report.sock)\n")
{
	struct cfnd_instance *inst = cli_instance(vty);
	char err[256];

	if (!inst)
		return CMD_WARNING_CONFIG_FAILED;
	/* router-wide: one socket per daemon, whichever instance says it */
	if (cfnd_report_configure(no ? NULL : path, err, sizeof(err))) {
		vty_out(vty, "%% report-socket refused: %s\n", err);
		return CMD_WARNING_CONFIG_FAILED;
	}
	return CMD_SUCCESS;
}

DEFPY(isis_compute_hysteresis, isis_compute_hysteresis_cmd,
      "[no] hysteresis ![percent (0-1000)$pct [absolute (0-4294967295)$abs]]",
      NO_STR
      "Keep a service's site until another is better by this margin\n"
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

DEFPY(no_isis_compute_damping, no_isis_compute_damping_cmd, "no damping",
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

DEFPY(no_isis_compute_metric_function, no_isis_compute_metric_function_cmd,
      "no metric-function", NO_STR "Back to the default metric function\n")
{
	struct cfnd_instance *inst = cli_instance(vty);
	struct cfn_metric_params p;

	if (!inst)
		return CMD_WARNING_CONFIG_FAILED;
	cfn_metric_params_default(&p);
	cfnd_instance_set_metric(inst, &p);
	return CMD_SUCCESS;
}

DEFPY(isis_compute_export, isis_compute_export_cmd,
      "export socket PATH$sock key PATH$keyfile [spool PATH$spool]",
      "Export steering decisions to the ledger (cfn-ledgerd)\n"
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

DEFPY(isis_compute_export_tls, isis_compute_export_tls_cmd,
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

DEFPY(no_isis_compute_export, no_isis_compute_export_cmd, "no export",
      NO_STR "Stop exporting decisions\n")
{
	cfnd_export_unconfigure();
	return CMD_SUCCESS;
}

static struct cfnd_instance *first_enabled(void)
{
	struct cfnd_instance *inst;

	frr_each (cfnd_instances, &cfnd_instances, inst)
		if (inst->enabled)
			return inst;
	return NULL;
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

static int cfnd_area_config_write(struct vty *vty, const char *area_tag,
				  const char *vrf_name)
{
	struct cfnd_instance *inst;
	struct cfn_metric_params def;
	struct cfnd_service *s;
	vrf_id_t vrf_id = VRF_DEFAULT;

	if (vrf_name && strcmp(vrf_name, VRF_DEFAULT_NAME)) {
		struct vrf *vrf = vrf_lookup_by_name(vrf_name);

		if (!vrf)
			return 0;
		vrf_id = vrf->vrf_id;
	}
	inst = cfnd_instance_find(vrf_id, area_tag);
	if (!inst || !inst->enabled)
		return 0;
	vty_out(vty, " compute-routing\n");
	if (inst->app_id != CFND_DEFAULT_APP_ID)
		vty_out(vty, "  application-id %u\n", inst->app_id);
	/* router-wide, written with the first instance that computes */
	if (inst == first_enabled() && cfnd_report_configured())
		vty_out(vty, "  report-socket %s\n", cfnd_report_configured());
	if (inst->hysteresis_pct || inst->hysteresis_abs) {
		vty_out(vty, "  hysteresis percent %u", inst->hysteresis_pct);
		if (inst->hysteresis_abs)
			vty_out(vty, " absolute %" PRIu64,
				inst->hysteresis_abs);
		vty_out(vty, "\n");
	}
	cfn_metric_params_default(&def);
	if (!metric_default(&inst->metric)) {
		vty_out(vty,
			"  metric-function base %u scale %u max %u max-utilization %u",
			inst->metric.base, inst->metric.scale,
			inst->metric.max_metric, inst->metric.max_util_pct);
		if (inst->metric.min_available != def.min_available)
			vty_out(vty, " min-available %" PRIu64,
				inst->metric.min_available);
		vty_out(vty, "\n");
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
	if (inst == first_enabled())
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
	return 0;
}

void cfnd_isis_config_init(void)
{
	install_node(&isis_compute_node);
	install_default(ISIS_COMPUTE_NODE);
	install_element(ISIS_NODE, &isis_compute_routing_cmd);
	install_element(ISIS_NODE, &no_isis_compute_routing_cmd);
	install_element(ISIS_COMPUTE_NODE, &isis_compute_service_cmd);
	install_element(ISIS_COMPUTE_NODE, &no_isis_compute_service_cmd);
	install_element(ISIS_COMPUTE_NODE, &isis_compute_app_id_cmd);
	install_element(ISIS_COMPUTE_NODE, &isis_compute_metric_function_cmd);
	install_element(ISIS_COMPUTE_NODE,
			&no_isis_compute_metric_function_cmd);
	install_element(ISIS_COMPUTE_NODE, &isis_compute_damping_cmd);
	install_element(ISIS_COMPUTE_NODE, &isis_compute_report_socket_cmd);
	install_element(ISIS_COMPUTE_NODE, &isis_compute_hysteresis_cmd);
	install_element(ISIS_COMPUTE_NODE, &no_isis_compute_damping_cmd);
	install_element(ISIS_COMPUTE_NODE, &isis_compute_export_cmd);
	install_element(ISIS_COMPUTE_NODE, &isis_compute_export_tls_cmd);
	install_element(ISIS_COMPUTE_NODE, &no_isis_compute_export_cmd);
	hook_register(isis_area_config_write, cfnd_area_config_write);
}

void cfnd_isis_config_fini(void)
{
	hook_unregister(isis_area_config_write, cfnd_area_config_write);
}
