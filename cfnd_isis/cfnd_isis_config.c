// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The compute-routing node under "router isis": hosted services and their
 * capacity, written back inside the router isis block of the running
 * configuration.
 */
#include <zebra.h>

#include "command.h"
#include "hook.h"
#include "memory.h"
#include "prefix.h"
#include "vty.h"

#include "isisd/isisd.h"
#include "isisd/isis_lsp.h"

#include "cfnd_isis.h"
#include "log.h"

extern struct thread_master *master;

DEFINE_MTYPE_STATIC(ISISD, CFND_AREA, "CFN compute area");
DEFINE_MTYPE_STATIC(ISISD, CFND_SERVICE, "CFN compute service");

struct cfnd_areas_head cfnd_areas;

struct cfnd_area *cfnd_area_find(const char *tag)
{
	struct cfnd_area *ca;

	frr_each (cfnd_areas, &cfnd_areas, ca)
		if (strcmp(ca->tag, tag) == 0)
			return ca;
	return NULL;
}

struct cfnd_area *cfnd_area_get(const char *tag)
{
	struct cfnd_area *ca = cfnd_area_find(tag);

	if (ca)
		return ca;
	ca = XCALLOC(MTYPE_CFND_AREA, sizeof(*ca));
	strlcpy(ca->tag, tag, sizeof(ca->tag));
	ca->app_id = CFND_DEFAULT_APP_ID;
	cfn_metric_params_default(&ca->metric);
	cfn_damping_params_default(&ca->damping);
	cfnd_services_init(&ca->services);
	cfnd_db_init(ca);
	cfnd_steer_init(ca);
	cfnd_areas_add_tail(&cfnd_areas, ca);
	return ca;
}

struct cfnd_service *cfnd_service_find(struct cfnd_area *ca,
				       const struct prefix *p)
{
	struct cfnd_service *s;

	frr_each (cfnd_services, &ca->services, s)
		if (prefix_same(&s->prefix, p))
			return s;
	return NULL;
}

void cfnd_area_db_changed(struct cfnd_area *ca)
{
	ca->db_generation++;
	cfnd_steer_db_changed(ca);
}

void cfnd_area_readvertise(struct cfnd_area *ca)
{
	struct isis_area *area = isis_area_lookup(ca->tag, VRF_DEFAULT);

	if (area)
		lsp_regenerate_schedule(area, area->is_type, 0);
}

/* The area tag of the router isis instance the CLI is in. */
static const char *cli_area_tag(struct vty *vty, char *buf, size_t len)
{
	const char *p = strstr(VTY_CURR_XPATH, "[area-tag='");

	if (!p)
		return NULL;
	p += strlen("[area-tag='");
	size_t n = strcspn(p, "'");
	if (n == 0 || n >= len)
		return NULL;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

static struct cfnd_area *cli_area(struct vty *vty)
{
	char tag[64];

	if (!cli_area_tag(vty, tag, sizeof(tag))) {
		vty_out(vty, "%% Not inside a router isis instance\n");
		return NULL;
	}
	return cfnd_area_get(tag);
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

/*
 * Which socket to listen on is known only once the whole configuration is
 * read (report-socket comes after compute-routing), so this is an event.
 */
static struct thread *t_listen;

static void listen_reports_event(struct thread *t)
{
	struct cfnd_area *ca;
	const char *path = NULL;
	char err[256];

	frr_each (cfnd_areas, &cfnd_areas, ca)
		if (ca->enabled && ca->report_socket[0] && !path)
			path = ca->report_socket;
	if (cfnd_report_listen(path, err, sizeof(err)))
		zlog_warn("%s: load reports not available: %s", CFND_ISIS_NAME,
			  err);
}

static void listen_reports(struct vty *vty, struct cfnd_area *ca)
{
	thread_add_event(master, listen_reports_event, NULL, 0, &t_listen);
}

/* NOSH: vtysh has its own copy, which also moves vtysh into the node. */
#define COMPUTE_STR "Computing First Networking: compute-aware routing\n"

DEFPY_NOSH(isis_compute_routing, isis_compute_routing_cmd, "compute-routing",
	   COMPUTE_STR)
{
	struct cfnd_area *ca = cli_area(vty);

	if (!ca)
		return CMD_WARNING_CONFIG_FAILED;
	if (!ca->enabled) {
		ca->enabled = true;
		cfnd_db_resync(ca);
		cfnd_area_readvertise(ca);
		listen_reports(vty, ca);
	}
	VTY_PUSH_XPATH(ISIS_COMPUTE_NODE, VTY_CURR_XPATH);
	return CMD_SUCCESS;
}

DEFPY(no_isis_compute_routing, no_isis_compute_routing_cmd,
      "no compute-routing", NO_STR COMPUTE_STR)
{
	struct cfnd_area *ca = cli_area(vty);
	struct cfnd_service *s;

	if (!ca)
		return CMD_WARNING_CONFIG_FAILED;
	while ((s = cfnd_services_pop(&ca->services))) {
		cfnd_service_load_fini(s);
		XFREE(MTYPE_CFND_SERVICE, s);
	}
	ca->enabled = false;
	ca->report_socket[0] = '\0';
	cfn_damping_params_default(&ca->damping);
	ca->app_id = CFND_DEFAULT_APP_ID;
	cfn_metric_params_default(&ca->metric);
	ca->steer.hysteresis_pct = 0;
	ca->steer.hysteresis_abs = 0;
	cfnd_steer_clear(ca);
	cfnd_db_clear(ca);
	ca->db_generation++;
	cfnd_area_readvertise(ca);
	return CMD_SUCCESS;
}

DEFPY(isis_compute_service, isis_compute_service_cmd,
      "service <A.B.C.D/M|X:X::X:X/M>$prefix capacity (1-4294967295)$capacity available (0-4294967295)$available [{price (0-4294967295)$price|site WORD$site}]",
      "A service this router hosts (its anycast prefix)\n"
      "IPv4 service prefix\n"
      "IPv6 service prefix\n"
      "Compute capacity of the site\n"
      "Units in total\n"
      "Compute available now\n"
      "Units free\n"
      "Price per unit\n"
      "Tokens per unit\n"
      "Site identifier\n"
      "Site identifier (up to 64 characters)\n")
{
	struct cfnd_area *ca = cli_area(vty);
	struct cfnd_service *s;
	struct prefix p;

	if (!ca)
		return CMD_WARNING_CONFIG_FAILED;
	if (available > capacity) {
		vty_out(vty, "%% available %lu exceeds capacity %lu for %s\n",
			available, capacity, prefix_str);
		return CMD_WARNING_CONFIG_FAILED;
	}
	if (site && strlen(site) > 64) {
		vty_out(vty, "%% site id longer than 64 characters\n");
		return CMD_WARNING_CONFIG_FAILED;
	}
	prefix_copy(&p, prefix);
	apply_mask(&p);
	if (!prefix_same(&p, prefix)) {
		vty_out(vty, "%% %s has host bits set; did you mean %pFX?\n",
			prefix_str, &p);
		return CMD_WARNING_CONFIG_FAILED;
	}
	s = cfnd_service_find(ca, &p);
	if (!s) {
		s = XCALLOC(MTYPE_CFND_SERVICE, sizeof(*s));
		prefix_copy(&s->prefix, &p);
		cfnd_service_load_init(ca, s);
		cfnd_services_add_tail(&ca->services, s);
	}
	bool described = (price_str ? price : 0) != s->price ||
			 strcmp(site ? site : "", s->site) ||
			 capacity != s->capacity;
	s->capacity = capacity;
	s->available = s->config_available = available;
	s->price = price_str ? price : 0;
	strlcpy(s->site, site ? site : "", sizeof(s->site));
	/* A new price, site or capacity is news in itself; a new available
	 * value is a load change like any other, subject to damping. */
	if (described || !s->advertised)
		cfnd_service_advertise_now(s);
	else
		cfnd_service_load_changed(ca, s);
	return CMD_SUCCESS;
}

DEFPY(no_isis_compute_service, no_isis_compute_service_cmd,
      "no service <A.B.C.D/M|X:X::X:X/M>$prefix",
      NO_STR
      "Withdraw a hosted service\n"
      "IPv4 service prefix\n"
      "IPv6 service prefix\n")
{
	struct cfnd_area *ca = cli_area(vty);
	struct cfnd_service *s;
	struct prefix p;

	if (!ca)
		return CMD_WARNING_CONFIG_FAILED;
	prefix_copy(&p, prefix);
	apply_mask(&p);
	s = cfnd_service_find(ca, &p);
	if (!s) {
		vty_out(vty, "%% No service %pFX configured\n", &p);
		return CMD_WARNING_CONFIG_FAILED;
	}
	cfnd_services_del(&ca->services, s);
	cfnd_service_load_fini(s);
	XFREE(MTYPE_CFND_SERVICE, s);
	cfnd_area_readvertise(ca);
	return CMD_SUCCESS;
}

DEFPY(isis_compute_app_id, isis_compute_app_id_cmd,
      "[no] application-id ![(1-65535)$app_id]",
      NO_STR
      "GENINFO application identifier (RFC 6823) for compute entries\n"
      "Identifier (default 17222 = 0x4346, provisional)\n")
{
	struct cfnd_area *ca = cli_area(vty);

	if (!ca)
		return CMD_WARNING_CONFIG_FAILED;
	ca->app_id = no ? CFND_DEFAULT_APP_ID : app_id;
	cfnd_db_resync(ca);
	cfnd_area_readvertise(ca);
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
	struct cfnd_area *ca = cli_area(vty);
	struct cfn_metric_params p;
	char err[160];

	if (!ca)
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
	ca->metric = p;
	cfnd_area_reload(ca);
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
	struct cfnd_area *ca = cli_area(vty);
	struct cfn_damping_params p;
	char err[160];

	if (!ca)
		return CMD_WARNING_CONFIG_FAILED;
	p = ca->damping;
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
	if (!cfn_damping_validate_params(&p, err, sizeof(err))) {
		vty_out(vty, "%% damping refused: %s\n", err);
		return CMD_WARNING_CONFIG_FAILED;
	}
	ca->damping = p;
	cfnd_area_reload(ca);
	return CMD_SUCCESS;
}

DEFPY(isis_compute_report_socket, isis_compute_report_socket_cmd,
      "[no] report-socket ![PATH$path]",
      NO_STR
      "Where this router listens for load reports (cfn-report)\n"
      "UNIX socket path (default: <vty dir>/cfn-report.sock)\n")
{
	struct cfnd_area *ca = cli_area(vty);

	if (!ca)
		return CMD_WARNING_CONFIG_FAILED;
	if (!no && path[0] != '/') {
		vty_out(vty, "%% report-socket needs an absolute path\n");
		return CMD_WARNING_CONFIG_FAILED;
	}
	strlcpy(ca->report_socket, no ? "" : path, sizeof(ca->report_socket));
	listen_reports(vty, ca);
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
	struct cfnd_area *ca = cli_area(vty);

	if (!ca)
		return CMD_WARNING_CONFIG_FAILED;
	cfnd_steer_set_hysteresis(ca, no ? 0 : pct, no || !abs_str ? 0 : abs);
	return CMD_SUCCESS;
}

DEFPY(no_isis_compute_damping, no_isis_compute_damping_cmd, "no damping",
      NO_STR "Back to the default damping\n")
{
	struct cfnd_area *ca = cli_area(vty);

	if (!ca)
		return CMD_WARNING_CONFIG_FAILED;
	cfn_damping_params_default(&ca->damping);
	cfnd_area_reload(ca);
	return CMD_SUCCESS;
}

DEFPY(no_isis_compute_metric_function, no_isis_compute_metric_function_cmd,
      "no metric-function", NO_STR "Back to the default metric function\n")
{
	struct cfnd_area *ca = cli_area(vty);

	if (!ca)
		return CMD_WARNING_CONFIG_FAILED;
	cfn_metric_params_default(&ca->metric);
	cfnd_area_reload(ca);
	return CMD_SUCCESS;
}

static struct cfnd_area *first_enabled_area(void)
{
	struct cfnd_area *ca;

	frr_each (cfnd_areas, &cfnd_areas, ca)
		if (ca->enabled)
			return ca;
	return NULL;
}

static int cfnd_area_config_write(struct vty *vty, const char *area_tag,
				  const char *vrf_name)
{
	struct cfnd_area *ca = cfnd_area_find(area_tag);
	struct cfn_metric_params def;
	struct cfn_damping_params ddef;
	struct cfnd_service *s;

	if (!ca || !ca->enabled)
		return 0;
	vty_out(vty, " compute-routing\n");
	if (ca->app_id != CFND_DEFAULT_APP_ID)
		vty_out(vty, "  application-id %u\n", ca->app_id);
	if (ca->report_socket[0])
		vty_out(vty, "  report-socket %s\n", ca->report_socket);
	if (ca->steer.hysteresis_pct || ca->steer.hysteresis_abs) {
		vty_out(vty, "  hysteresis percent %u",
			ca->steer.hysteresis_pct);
		if (ca->steer.hysteresis_abs)
			vty_out(vty, " absolute %" PRIu64,
				ca->steer.hysteresis_abs);
		vty_out(vty, "\n");
	}
	cfn_metric_params_default(&def);
	if (memcmp(&def, &ca->metric, sizeof(def))) {
		vty_out(vty,
			"  metric-function base %u scale %u max %u max-utilization %u",
			ca->metric.base, ca->metric.scale,
			ca->metric.max_metric, ca->metric.max_util_pct);
		if (ca->metric.min_available != def.min_available)
			vty_out(vty, " min-available %" PRIu64,
				ca->metric.min_available);
		vty_out(vty, "\n");
	}
	cfn_damping_params_default(&ddef);
	if (memcmp(&ddef, &ca->damping, sizeof(ddef)))
		vty_out(vty,
			"  damping threshold-percent %u threshold-absolute %u min-interval %u max-interval %u flap-window %u flap-threshold %u decay %u\n",
			ca->damping.threshold_pct, ca->damping.threshold_abs,
			ca->damping.min_interval_ms,
			ca->damping.max_interval_ms, ca->damping.flap_window_ms,
			ca->damping.flap_threshold, ca->damping.decay_ms);
	/* router-wide, written with the first instance that computes */
	if (ca == first_enabled_area())
		cfnd_export_config_write(vty);
	frr_each (cfnd_services, &ca->services, s) {
		vty_out(vty, "  service %pFX capacity %u available %u",
			&s->prefix, s->capacity, s->config_available);
		if (s->price)
			vty_out(vty, " price %u", s->price);
		if (s->site[0])
			vty_out(vty, " site %s", s->site);
		vty_out(vty, "\n");
	}
	vty_out(vty, " exit\n");
	return 0;
}

void cfnd_isis_config_init(void)
{
	cfnd_areas_init(&cfnd_areas);
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
	hook_register(isis_area_config_write, cfnd_area_config_write);
}

void cfnd_isis_config_fini(void)
{
	struct cfnd_area *ca;
	struct cfnd_service *s;

	hook_unregister(isis_area_config_write, cfnd_area_config_write);
	THREAD_OFF(t_listen);
	while ((ca = cfnd_areas_pop(&cfnd_areas))) {
		while ((s = cfnd_services_pop(&ca->services))) {
			cfnd_service_load_fini(s);
			XFREE(MTYPE_CFND_SERVICE, s);
		}
		cfnd_steer_clear(ca);
		cfnd_db_clear(ca);
		XFREE(MTYPE_CFND_AREA, ca);
	}
}
