# SPDX-License-Identifier: GPL-2.0-or-later
"""cfnd_bgp's configuration: compute-routing under router bgp and
neighbor ... compute-metadata, entered from vtysh, written back, read back
identically after a restart; bad lines refused."""

import re

SVC = "203.0.113.10/32"
TOPO = {
    "name": "bgpcfg",
    "routers": {
        "k1": {"asn": 65002,
               "bgp_neighbors": [{"router": "k2", "asn": 65001}]},
        "k2": {"asn": 65001,
               "bgp_neighbors": [{"router": "k1", "asn": 65002}]},
    },
    "links": [["k1", "k2"]],
}


def bgp_block(running):
    m = re.search(r"^router bgp \d+\n(.*?)^exit\n", running, re.S | re.M)
    assert m, running
    return m.group(1)


def test_config_round_trip_and_refusals(lab_factory):
    lab = lab_factory(TOPO)
    k1 = lab["k1"]
    nbr = "198.51.100.1"  # k2's end of the link
    k1.vtysh("configure terminal", "router bgp 65002", "compute-routing",
             f"service {SVC} capacity 100 available 60 price 2.5 site edge-1",
             "damping threshold-percent 20 min-interval 2000",
             "hysteresis percent 15", "as-scope 65001 65002", "exit",
             "address-family ipv4 unicast", f"neighbor {nbr} compute-metadata")
    block = bgp_block(k1.vtysh("show running-config"))
    compute = re.search(r"^ compute-routing\n(.*?)^ exit\n", block, re.S | re.M)
    assert compute, block
    lines = compute.group(1).splitlines()
    assert "  hysteresis percent 15" in lines, lines
    assert "  as-scope 65001 65002" in lines, lines
    assert f"  service {SVC} capacity 100 available 60 price 2.500 site edge-1" \
        in lines, lines
    assert any(l.startswith("  damping threshold-percent 20 ") and
               "min-interval 2000" in l for l in lines), lines
    assert f"  neighbor {nbr} compute-metadata" in block, block

    # Bad lines are refused and change nothing.
    before = k1.vtysh("show running-config")
    for line, why in (
            (f"service {SVC} capacity 10 available 11", "available"),
            ("service 203.0.113.10/24 capacity 10 available 1", "host bits"),
            (f"service {SVC} capacity 10 available 1 price x", "bad price"),
            ("as-scope " + " ".join(str(65000 + i) for i in range(17)),
             "at most 16")):
        out = k1.daemons.vtysh("configure terminal", "router bgp 65002",
                               "compute-routing", line, check=False)
        assert why in out, (line, out)
    out = k1.daemons.vtysh("configure terminal", "router bgp 65002",
                           "address-family ipv4 unicast",
                           "neighbor 192.0.2.99 compute-metadata", check=False)
    assert "no neighbor 192.0.2.99" in out, out
    assert k1.vtysh("show running-config") == before

    # What bgpd writes, it reads back identically.
    with open(f"{k1.rundir}/bgpd.conf", "w") as f:
        f.write("hostname k1\n" + re.search(r"^router bgp.*?^exit\n", before,
                                            re.S | re.M).group(0))
    k1.daemons.restart_daemon("bgpd")
    lab.record_pids()
    assert bgp_block(k1.vtysh("show running-config")) == bgp_block(before)

    # no compute-routing withdraws the service route.
    k2 = lab["k2"]
    lab.wait_for("k2 has the service", lambda: None if k2.vtysh_json(
        f"show bgp ipv4 unicast {SVC} json").get("paths") else "missing", 60)
    k1.vtysh("configure terminal", "router bgp 65002", "no compute-routing")
    assert "compute-routing" not in k1.vtysh("show running-config")
    lab.wait_for("k2 lost the service", lambda: None if not k2.vtysh_json(
        f"show bgp ipv4 unicast {SVC} json").get("paths") else "still there", 60)


def test_debug_switches_listed_and_saved(lab_factory):
    """debug bgp compute ... given in configure mode is listed by FRR's
    plain show debugging (and show debugging bgp compute) and is part of the
    running configuration, so it survives a restart; off, it is in
    neither."""
    lab = lab_factory(TOPO)
    k1 = lab["k1"]
    assert "compute" not in k1.vtysh("show debugging")
    assert "debug bgp compute" not in k1.vtysh("show running-config")
    k1.vtysh("configure terminal", "debug bgp compute receive",
             "debug bgp compute export")
    for cmd in ("show debugging", "show debugging bgp compute"):
        shown = k1.vtysh(cmd)
        assert "BGP compute metadata received debugging is on" in shown, shown
        assert "compute decision export debugging is on" in shown, shown
        assert "BGP compute metadata sent" not in shown, shown
    running = k1.vtysh("show running-config")
    assert "debug bgp compute receive\n" in running, running
    assert "debug bgp compute export\n" in running, running
    assert "debug bgp compute send" not in running, running

    # bgpd reads back what it wrote: the switches are on after a restart.
    saved = [l for l in running.splitlines() if l.startswith("debug bgp")]
    with open(f"{k1.rundir}/bgpd.conf", "w") as f:
        f.write("hostname k1\n" + "\n".join(saved) + "\n")
    k1.daemons.restart_daemon("bgpd")
    lab.record_pids()
    shown = k1.vtysh("show debugging")
    assert "BGP compute metadata received debugging is on" in shown, shown
    assert "compute decision export debugging is on" in shown, shown

    k1.vtysh("configure terminal", "no debug bgp compute all")
    assert "compute" not in k1.vtysh("show debugging")
    assert "debug bgp compute" not in k1.vtysh("show running-config")
