# SPDX-License-Identifier: GPL-2.0-or-later
"""The compute-routing node under router isis: configuration from the
config file, from vtysh, written back identically, bad lines refused."""

import re

TOPO = {
    "name": "cfg1",
    "routers": {
        "r1": {
            "bgp": False,
            "services": [
                {"prefix": "203.0.113.10/32", "capacity": 100, "available": 60, "price": 2},
                {"prefix": "2001:db8:cafe::/48", "capacity": 8, "available": 8, "site": "edge-1"},
            ],
        },
    },
    "links": [],
}


def compute_block(running):
    """The compute-routing block inside router isis 1, as lines."""
    m = re.search(r"^router isis 1\n(.*?)^exit\n", running, re.S | re.M)
    assert m, f"no router isis block in:\n{running}"
    block = m.group(1)
    m = re.search(r"^ compute-routing\n(.*?)^ exit\n", block, re.S | re.M)
    return None if not m else m.group(1).splitlines()


def test_config_file_and_vtysh_round_trip(lab_factory):
    lab = lab_factory(TOPO)
    r1 = lab["r1"]
    running = r1.vtysh("show running-config")
    assert compute_block(running) == [
        f"  report-socket {r1.rundir}/cfn-report.sock",
        "  service 203.0.113.10/32 capacity 100 available 60 price 2",
        "  service 2001:db8:cafe::/48 capacity 8 available 8 site edge-1",
    ], running

    # Re-entering a service with a new available value updates it in place.
    r1.vtysh("configure terminal", "router isis 1", "compute-routing",
             "service 203.0.113.10/32 capacity 100 available 25 price 2",
             "service 203.0.113.20/32 capacity 50 available 50")
    assert compute_block(r1.vtysh("show running-config"))[1:] == [
        "  service 203.0.113.10/32 capacity 100 available 25 price 2",
        "  service 2001:db8:cafe::/48 capacity 8 available 8 site edge-1",
        "  service 203.0.113.20/32 capacity 50 available 50",
    ]

    # no service withdraws just that one.
    r1.vtysh("configure terminal", "router isis 1", "compute-routing",
             "no service 2001:db8:cafe::/48")
    block = compute_block(r1.vtysh("show running-config"))
    assert block[1:] == [
        "  service 203.0.113.10/32 capacity 100 available 25 price 2",
        "  service 203.0.113.20/32 capacity 50 available 50",
    ]

    # The running config, fed back as configuration, reads back identically:
    # write it out, restart isisd from it, compare.
    saved = r1.vtysh("show running-config")
    isis_part = re.search(r"^router isis 1\n.*?^exit\n", saved, re.S | re.M).group(0)
    with open(f"{r1.rundir}/isisd.conf", "w") as f:
        f.write("hostname r1\n" + isis_part)
    r1.daemons.restart_daemon("isisd")
    lab.record_pids()
    assert compute_block(r1.vtysh("show running-config")) == block

    # no compute-routing removes the whole block.
    r1.vtysh("configure terminal", "router isis 1", "no compute-routing")
    assert compute_block(r1.vtysh("show running-config")) is None


def test_bad_config_lines_are_refused(lab_factory):
    lab = lab_factory(TOPO)
    r1 = lab["r1"]
    before = r1.vtysh("show running-config")

    def refused(line):
        out = r1.daemons.vtysh("configure terminal", "router isis 1",
                               "compute-routing", line, check=False)
        return out

    out = refused("service 203.0.113.10/32 capacity 10 available 11")
    assert "available 11 exceeds capacity 10" in out, out
    out = refused("service 203.0.113.10/24 capacity 10 available 1")
    assert "host bits" in out, out
    out = refused("service 203.0.113.10/32 capacity 0 available 0")
    assert "Unknown command" in out or "%" in out, out
    out = refused("no service 203.0.113.99/32")
    assert "No service 203.0.113.99/32" in out, out
    # Nothing changed.
    assert r1.vtysh("show running-config") == before


def test_debug_switches_are_saved(lab_factory):
    """debug isis compute ... given in configure mode is part of the
    running configuration (so it survives a restart) and is listed by show
    debugging isis compute and by FRR's plain show debugging."""
    lab = lab_factory(TOPO)
    r1 = lab["r1"]
    assert "debug isis compute" not in r1.vtysh("show running-config")
    assert "compute" not in r1.vtysh("show debugging")
    r1.vtysh("configure terminal", "debug isis compute routes",
             "debug isis compute report")
    running = r1.vtysh("show running-config")
    assert "debug isis compute report\n" in running, running
    assert "debug isis compute routes\n" in running, running
    assert "debug isis compute database" not in running
    shown = r1.vtysh("show debugging isis compute")
    assert "compute steering debugging is on" in shown, shown
    shown = r1.vtysh("show debugging")
    assert "compute steering debugging is on" in shown, shown
    assert "compute load reports debugging is on" in shown, shown
    assert "compute database debugging" not in shown, shown
    r1.vtysh("configure terminal", "no debug isis compute all")
    assert "debug isis compute" not in r1.vtysh("show running-config")
    assert "compute" not in r1.vtysh("show debugging")


def test_vrf_refused_and_instance_freed(lab_factory):
    """compute-routing steers in the default VRF only: in another VRF it is
    refused with a message.  'no compute-routing' frees the instance (its
    memory type counts none afterwards)."""
    lab = lab_factory(TOPO)
    r1 = lab["r1"]
    out = r1.daemons.vtysh("configure terminal", "router isis 2 vrf red",
                           "compute-routing", check=False)
    assert "default VRF only" in out, out
    assert "router isis 2 vrf red\n compute-routing" not in \
        r1.vtysh("show running-config")

    def instances():
        mem = r1.vtysh("show memory")
        for line in mem.splitlines():
            if "CFN compute instance" in line:
                return int(line.split(":")[1].split()[0])
        return 0
    assert instances() == 1
    r1.vtysh("configure terminal", "router isis 1", "no compute-routing")
    assert instances() == 0
