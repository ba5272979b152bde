// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * netconf/cr_conf: isisd's running configuration read into the plain form,
 * and the vty commands that turn one configuration into another.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../netconf/cr_conf.h"

static const char running[] =
	"debug isis compute routes\n"
	"!\n"
	"router isis 1\n"
	" is-type level-2-only\n"
	" compute-routing\n"
	"  application-id 4242\n"
	"  hysteresis percent 10 absolute 5\n"
	"  damping threshold-percent 5 threshold-absolute 0 min-interval 500 max-interval 8000 flap-window 10000 flap-threshold 2 decay 10000\n"
	"  service 203.0.113.10/32 capacity 100 available 60 price 2.5 site edge-1\n"
	"  service 2001:db8:cf::/64 capacity 8 available 8\n"
	" exit\n"
	"exit\n"
	"!\n"
	"router isis 2 vrf blue\n"
	" net 49.0001.0000.0000.0002.00\n"
	"exit\n";

static void test_parse_running(void **state)
{
	struct cr_config c;
	char err[256];

	assert_int_equal(cr_config_from_running(&c, running, err, sizeof(err)),
			 0);
	assert_int_equal(c.n, 2);
	assert_true(c.debug[3]); /* routes */
	assert_false(c.debug[0]);
	assert_string_equal(c.inst[0].tag, "1");
	assert_string_equal(c.inst[0].vrf, "default");
	assert_true(c.inst[0].enabled);
	assert_int_equal(c.inst[0].app_id, 4242);
	assert_int_equal(c.inst[0].hyst_pct, 10);
	assert_int_equal(c.inst[0].hyst_abs, 5);
	assert_int_equal(c.inst[0].damping.min_int, 500);
	assert_int_equal(c.inst[0].damping.flaps, 2);
	assert_int_equal(c.inst[0].metric.base, 10); /* default kept */
	assert_int_equal(c.inst[0].nsvc, 2);
	assert_string_equal(c.inst[0].svc[0].prefix, "203.0.113.10/32");
	assert_int_equal(c.inst[0].svc[0].price_milli, 2500);
	assert_string_equal(c.inst[0].svc[0].site, "edge-1");
	assert_int_equal(c.inst[0].svc[1].price_milli, 0);
	assert_string_equal(c.inst[1].tag, "2");
	assert_string_equal(c.inst[1].vrf, "blue");
	assert_false(c.inst[1].enabled);
	cr_config_free(&c);
}

static void test_diff_only_what_changed(void **state)
{
	struct cr_config a, b;
	struct cr_cmds cmds;
	char err[256], path[512];

	assert_int_equal(cr_config_from_running(&a, running, err, sizeof(err)),
			 0);
	assert_int_equal(cr_config_from_running(&b, running, err, sizeof(err)),
			 0);
	/* nothing changed: no command at all */
	assert_int_equal(cr_config_diff(&a, &b, &cmds, err, sizeof(err), path,
					sizeof(path)),
			 0);
	assert_int_equal(cmds.n, 0);
	cr_cmds_free(&cmds);

	/* one service gone, one changed, hysteresis off, export added last */
	b.inst[0].nsvc = 1;
	b.inst[0].svc[0].available = 7;
	b.inst[0].hyst_pct = b.inst[0].hyst_abs = 0;
	b.inst[0].export = true;
	strcpy(b.inst[0].ex_socket, "/run/l.sock");
	strcpy(b.inst[0].ex_key, "/etc/k");
	assert_int_equal(cr_config_diff(&a, &b, &cmds, err, sizeof(err), path,
					sizeof(path)),
			 0);
	assert_int_equal(cmds.n, 5);
	assert_string_equal(cmds.v[0].line, "compute-routing");
	assert_string_equal(cmds.v[1].line, "no service 2001:db8:cf::/64");
	assert_string_equal(
		cmds.v[1].path,
		"/frr-isisd:isis/instance[area-tag='1'][vrf='default']/frr-cfn:compute-routing/service[prefix='2001:db8:cf::/64']");
	assert_string_equal(cmds.v[2].line, "no hysteresis");
	assert_string_equal(
		cmds.v[3].line,
		"service 203.0.113.10/32 capacity 100 available 7 price 2.500 site edge-1");
	assert_string_equal(cmds.v[4].line,
			    "export socket /run/l.sock key /etc/k");
	cr_cmds_free(&cmds);

	/* a debug switch is given in configure mode, outside router isis */
	b.inst[0].nsvc = 2; /* back to what a has */
	b.inst[0].svc[0].available = 60;
	b.inst[0].hyst_pct = 10;
	b.inst[0].hyst_abs = 5;
	b.inst[0].export = false;
	b.debug[0] = true;
	b.debug[3] = false;
	assert_int_equal(cr_config_diff(&a, &b, &cmds, err, sizeof(err), path,
					sizeof(path)),
			 0);
	assert_int_equal(cmds.n, 2);
	assert_null(cmds.v[0].inst);
	assert_string_equal(cmds.v[0].line, "debug isis compute database");
	assert_string_equal(cmds.v[1].line, "no debug isis compute routes");
	assert_string_equal(cmds.v[1].path,
			    "/frr-isisd:isis/frr-cfn:compute-debug/routes");
	cr_cmds_free(&cmds);

	/* turning compute-routing off is one command */
	b.debug[0] = false;
	b.debug[3] = true;
	b.inst[0].enabled = false;
	assert_int_equal(cr_config_diff(&a, &b, &cmds, err, sizeof(err), path,
					sizeof(path)),
			 0);
	assert_int_equal(cmds.n, 1);
	assert_string_equal(cmds.v[0].line, "no compute-routing");
	cr_cmds_free(&cmds);
	cr_config_free(&a);
	cr_config_free(&b);
}

static void test_instances_are_not_created(void **state)
{
	struct cr_config a, b;
	struct cr_cmds cmds;
	char err[256], path[512];

	assert_int_equal(cr_config_from_running(&a, running, err, sizeof(err)),
			 0);
	assert_int_equal(cr_config_from_running(&b, running, err, sizeof(err)),
			 0);
	strcpy(b.inst[1].tag, "3");
	assert_int_equal(cr_config_diff(&a, &b, &cmds, err, sizeof(err), path,
					sizeof(path)),
			 -1);
	assert_string_equal(
		path, "/frr-isisd:isis/instance[area-tag='3'][vrf='blue']");
	assert_non_null(strstr(err, "router isis 3"));
	cr_config_free(&a);
	cr_config_free(&b);
}

/* bgpd's running configuration, as cfnd_bgp writes it. */
static const char bgp_running[] =
	"router bgp 65001\n"
	" bgp router-id 192.0.2.1\n"
	" neighbor 192.0.2.2 remote-as 65002\n"
	" neighbor 198.51.100.2 remote-as external\n"
	" neighbor PEERS peer-group\n"
	" neighbor PEERS remote-as internal\n"
	" compute-routing\n"
	"  as-scope 65001 65002\n"
	"  service 203.0.113.10/32 capacity 100 available 60 site edge-1\n"
	" exit\n"
	" !\n"
	" address-family ipv4 unicast\n"
	"  network 203.0.113.10/32\n"
	"  neighbor 192.0.2.2 compute-metadata\n"
	" exit-address-family\n"
	"exit\n";

static void test_parse_bgp_running(void **state)
{
	struct cr_config c;
	char err[256];

	memset(&c, 0, sizeof(c));
	assert_int_equal(
		cr_config_add_bgp_running(&c, bgp_running, err, sizeof(err)),
		0);
	assert_int_equal(c.n, 1);
	assert_int_equal(c.inst[0].daemon, CR_BGPD);
	assert_string_equal(c.inst[0].tag, "65001");
	assert_true(c.inst[0].enabled);
	assert_int_equal(c.inst[0].nscope, 2);
	assert_int_equal(c.inst[0].scope[1], 65002);
	assert_int_equal(c.inst[0].nsvc, 1);
	assert_string_equal(c.inst[0].svc[0].site, "edge-1");
	assert_int_equal(c.inst[0].nnbr, 2);
	assert_string_equal(c.inst[0].nbr[0].remote_as, "65002");
	assert_true(c.inst[0].nbr[0].metadata);
	assert_string_equal(c.inst[0].nbr[1].remote_as, "external");
	assert_false(c.inst[0].nbr[1].metadata);
	cr_config_free(&c);
}

static void test_bgp_diff(void **state)
{
	struct cr_config a, b;
	struct cr_cmds cmds;
	char err[256], path[512];

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	assert_int_equal(
		cr_config_add_bgp_running(&a, bgp_running, err, sizeof(err)),
		0);
	assert_int_equal(
		cr_config_add_bgp_running(&b, bgp_running, err, sizeof(err)),
		0);
	b.inst[0].nscope = 0;
	b.inst[0].nbr[1].metadata = true;
	assert_int_equal(cr_config_diff(&a, &b, &cmds, err, sizeof(err), path,
					sizeof(path)),
			 0);
	assert_int_equal(cmds.n, 3);
	assert_string_equal(cmds.v[0].line, "compute-routing");
	assert_string_equal(cmds.v[1].line, "no as-scope");
	assert_false(cmds.v[1].af);
	assert_string_equal(cmds.v[2].line,
			    "neighbor 198.51.100.2 compute-metadata");
	assert_true(cmds.v[2].af);
	assert_non_null(strstr(cmds.v[2].path, "frr-cfn:compute-metadata"));
	cr_cmds_free(&cmds);

	/* a neighbor bgpd does not have is not NETCONF's to create */
	snprintf(b.inst[0].nbr[1].addr, sizeof(b.inst[0].nbr[1].addr),
		 "203.0.113.7");
	assert_int_equal(cr_config_diff(&a, &b, &cmds, err, sizeof(err), path,
					sizeof(path)),
			 -1);
	assert_non_null(strstr(path, "remote-address='198.51.100.2'"));
	cr_config_free(&a);
	cr_config_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_running),
		cmocka_unit_test(test_diff_only_what_changed),
		cmocka_unit_test(test_instances_are_not_created),
		cmocka_unit_test(test_parse_bgp_running),
		cmocka_unit_test(test_bgp_diff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
