# SPDX-License-Identifier: GPL-2.0-or-later
"""Compute-aware steering: steered routes in every router's kernel FIB
lead, hop by hop, to the chosen site; they follow load, respect
hysteresis, and disappear when compute routing goes away."""

import ipaddress

import pytest

SVC = "203.0.113.10/32"

# a1 -- m1 -- e1            e1: edge site, near a1
#        |
#       m2 -- e2            e2: edge site
#        |
#       c1                  c1: cloud site, far, big
TOPO = {
    "name": "steer",
    "routers": {
        "a1": {"bgp": False, "compute": True},
        "m1": {"bgp": False, "compute": True},
        "m2": {"bgp": False, "compute": True},
        "e1": {"bgp": False, "services": [{"prefix": SVC, "capacity": 100, "available": 90}]},
        "e2": {"bgp": False, "services": [{"prefix": SVC, "capacity": 100, "available": 90}]},
        "c1": {"bgp": False, "services": [{"prefix": SVC, "capacity": 1000, "available": 900}]},
    },
    "links": [["a1", "m1"], ["m1", "e1"], ["m1", "m2", {"metric": 20}],
              ["m2", "e2"], ["m2", "c1", {"metric": 100}]],
}


@pytest.fixture
def lab(lab_factory):
    lab = lab_factory(TOPO)
    lab.wait_isis_adjacencies()
    # every router knows every site before the tests look at decisions
    sites = {"e1", "e2", "c1"}
    for name in lab.routers:
        def probe(name=name):
            db = lab[name].vtysh_json("show isis compute database json")
            return None if sites <= set(db) else f"{name} knows {sorted(db)}"
        lab.wait_for(f"{name} compute database", probe, timeout=30)
    return lab


def owner_of(lab, gateway):
    """The router that has `gateway` on one of its link interfaces."""
    gw = ipaddress.ip_address(gateway)
    for link in lab.topo.links:
        for name, addr in list(link.addr4.items()) + list(link.addr6.items()):
            if ipaddress.ip_interface(addr).ip == gw:
                return name
    return None


def fib_walk(lab, start):
    """Follows the kernel FIB for SVC from `start`; returns the routers
    visited up to the one without a steered route (the serving site)."""
    path, at = [], start
    while True:
        assert at not in path, f"forwarding loop: {path + [at]}"
        path.append(at)
        rt = lab[at].fib_route(SVC)
        if rt is None:
            return path
        gws = [rt["gateway"]] if "gateway" in rt else [
            n["gateway"] for n in rt.get("multipath", [])]
        assert gws, f"{at}: route without gateway {rt}"
        at = owner_of(lab, gws[0])
        assert at, f"unknown gateway {gws[0]}"


def routes(router):
    return router.vtysh_json("show isis compute routes json")


def wait_site(lab, site, routers=("a1", "m1")):
    """The routers on a1's way chose `site`, and the FIB from a1 leads
    there."""
    for name in routers:
        def probe(name=name):
            r = routes(lab[name]).get(SVC)
            return None if r and r["sites"] == [site] else f"{name}: {r}"
        lab.wait_for(f"{name} chooses {site}", probe, timeout=30)

    def walk():
        path = fib_walk(lab, "a1")
        return None if path[-1] == site else f"FIB path from a1 {path}"
    lab.wait_for(f"a1's FIB leads to {site}", walk, timeout=30)
    return fib_walk(lab, "a1")


def report(lab, site, available):
    lab[site].vtysh(f"compute service {SVC} available {available}")


def test_nearest_site_then_load_shift_and_back(lab):
    assert wait_site(lab, "e1") == ["a1", "m1", "e1"]
    r = routes(lab["a1"])[SVC]
    assert r["cost"] == r["distance"] + r["metric"]
    assert r["nexthops"][0]["interface"] == "eth-m1"
    assert r["runnerUp"]["site"] in ("e2", "c1")
    assert routes(lab["e1"])[SVC]["local"] is True
    # The steered route is ours (isis instance 42, distance 50).
    zebra = lab["a1"].vtysh_json(f"show ip route {SVC} json")[SVC][0]
    assert zebra["protocol"] == "isis" and zebra["instance"] == 42
    assert zebra["distance"] == 50

    # e1 loaded up: everyone moves to e2 (next nearest), FIB agrees.
    stats = lab["a1"].vtysh_json("show isis compute statistics json")["1"]
    report(lab, "e1", 2)
    assert wait_site(lab, "e2", ("a1", "m1", "m2")) == ["a1", "m1", "m2", "e2"]
    assert routes(lab["a1"])[SVC]["switches"] >= 1
    # A capacity change is handled without a new SPF (capacity-only
    # update); isisd's own SPF, scheduled by the new LSP, follows.
    after = lab["a1"].vtysh_json("show isis compute statistics json")["1"]
    assert after["capacityRuns"] > stats["capacityRuns"], (stats, after)
    # isisd's SPF after e1's new LSP finds the topology unchanged: the graph
    # is kept, no full run.
    lab.wait_for("a1's SPF after e1's new LSP", lambda: None if lab["a1"].vtysh_json(
        "show isis compute statistics json")["1"]["spfRunsWithoutTopologyChange"]
        > stats["spfRunsWithoutTopologyChange"] else "no SPF yet", timeout=20)
    after = lab["a1"].vtysh_json("show isis compute statistics json")["1"]
    assert after["fullRuns"] == stats["fullRuns"], (stats, after)

    # e2 too: the cloud, far but big, serves.
    report(lab, "e2", 2)
    assert wait_site(lab, "c1", ("a1", "m1", "m2")) == ["a1", "m1", "m2", "c1"]

    # Load goes back down: traffic returns to the nearest edge.
    report(lab, "e1", 90)
    report(lab, "e2", 90)
    assert wait_site(lab, "e1") == ["a1", "m1", "e1"]


def test_hysteresis_keeps_the_site_until_the_margin(lab):
    wait_site(lab, "e1")
    for name in lab.routers:
        lab[name].vtysh("configure terminal", "router isis 1", "compute-routing",
                        "hysteresis percent 50")
    # e1 busier, e2 now slightly better from a1, but not by 50 %.
    base = routes(lab["a1"])[SVC]
    report(lab, "e1", 70)
    lab.wait_for("e1's new metric reaches a1",
                 lambda: None if routes(lab["a1"])[SVC]["metric"] != base["metric"]
                 else "old metric", timeout=30)
    r = routes(lab["a1"])[SVC]
    assert r["sites"] == ["e1"], r
    # Far worse: the margin is passed, all move.
    report(lab, "e1", 1)
    wait_site(lab, "e2", ("a1", "m1", "m2"))


def test_no_compute_routing_and_isisd_stop_withdraw(lab):
    wait_site(lab, "e1")
    lab["a1"].vtysh("configure terminal", "router isis 1", "no compute-routing")
    lab.wait_for("a1's steered route withdrawn",
                 lambda: None if lab["a1"].fib_route(SVC) is None else "still there",
                 timeout=20)
    # Other prefixes untouched: loopbacks still reachable.
    assert lab["a1"].fib_route("192.0.2.6/32") is not None
    # Stopping isisd (the module with it) withdraws m1's steered routes.
    assert lab["m1"].fib_route(SVC) is not None
    proc = lab["m1"].daemons.procs.pop("isisd")
    proc.terminate()
    proc.wait(timeout=10)
    lab.wait_for("m1's steered route withdrawn",
                 lambda: None if lab["m1"].fib_route(SVC) is None else "still there",
                 timeout=20)
