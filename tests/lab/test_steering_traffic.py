# SPDX-License-Identifier: GPL-2.0-or-later
"""Real traffic steered by compute: clients send requests to the anycast
address, servers at two edges and a cloud answer with their site name.
Who answers follows the load the sites report (cfn-report), with every
router's FIB agreeing along the way (fib_paths raises on a loop or a
blackhole)."""

import os
import subprocess
import time

import pytest

TOPO = os.path.join(os.path.dirname(__file__), "../../lab/topologies/cloud-edge.yaml")
SVC = "203.0.113.10"
PFX = f"{SVC}/32"
SITE_HOST = {"edge1": "edge1-srv", "edge2": "edge2-srv", "cloud": "cloud-srv"}
SITE_ROUTER = {"edge1": "e1", "edge2": "e2", "cloud": "c1"}


@pytest.fixture
def lab(lab_factory):
    lab = lab_factory(TOPO)
    lab.wait_isis_adjacencies()
    return lab


def report(lab, site, available):
    router = lab[SITE_ROUTER[site]]
    r = subprocess.run(
        [os.path.join(os.environ["CFN_PREFIX"], "bin/cfn-report"),
         "--socket", f"{router.rundir}/cfn-report.sock",
         "service", PFX, "available", str(available)],
        capture_output=True, text=True, timeout=10)
    assert r.returncode == 0, r.stdout + r.stderr


def served_by(lab, client, site):
    """`client` is answered by `site` only, without loss, and every ECMP
    path through the routers' FIBs from its access router ends there."""
    lab.wait_served(client, SVC, site, timeout=30)
    access = lab.host(client).router.name
    paths = lab.fib_paths(access, PFX)
    assert paths and all(p[-1] == SITE_HOST[site] for p in paths), paths
    s = lab.request(client, SVC, count=20, interval=0.01)
    assert s["answers"] == {site: 20} and s["lost"] == 0, s
    return paths


def set_all(lab, *lines):
    for name, r in lab.routers.items():
        r.vtysh("configure terminal", "router isis 1", "compute-routing", *lines)


def test_traffic_follows_load_and_returns_after_the_margin(lab):
    set_all(lab, "hysteresis percent 20")
    assert served_by(lab, "client1", "edge1") == [["a1", "m1", "e1", "edge1-srv"]]
    served_by(lab, "client2", "edge2")

    # edge1 fills up: its clients go to edge2, the next best.
    report(lab, "edge1", 30)
    assert served_by(lab, "client1", "edge2") == [["a1", "m1", "m2", "e2", "edge2-srv"]]
    served_by(lab, "client2", "edge2")
    # edge2 as well: both go to the cloud, far but free.
    report(lab, "edge2", 5)
    served_by(lab, "client1", "cloud")
    served_by(lab, "client2", "cloud")
    a1 = lab["a1"].vtysh_json("show isis compute routes json")[PFX]
    assert a1["sites"] == ["c1"] and a1["switches"] >= 2, a1

    # edge1 recovers a little: a bit cheaper than the cloud from a1, but
    # not by the 20 % margin, so its clients stay.
    report(lab, "edge1", 70)
    lab.wait_for("a1 sees edge1's new metric", lambda: None if any(
        e["capacityAvailable"] == 70 for e in
        lab["a1"].vtysh_json("show isis compute database json").get("e1", []))
        else "old", timeout=30)
    a1 = lab["a1"].vtysh_json("show isis compute routes json")[PFX]
    assert a1["sites"] == ["c1"] and a1["runnerUp"]["site"] == "e1", a1
    assert a1["runnerUp"]["cost"] < a1["cost"], a1
    served_by(lab, "client1", "cloud")
    # Fully back: past the margin, traffic returns to the nearest edges.
    report(lab, "edge1", 100)
    report(lab, "edge2", 100)
    served_by(lab, "client1", "edge1")
    served_by(lab, "client2", "edge2")


def test_ineligible_site_and_link_cut_lose_nothing_after_convergence(lab):
    served_by(lab, "client1", "edge1")
    report(lab, "edge1", 0)  # fully used: not eligible
    served_by(lab, "client1", "edge2")
    db = lab["a1"].vtysh_json("show isis compute database json")
    assert [e["eligible"] for e in db["e1"]] == [False]

    traffic = lab.host("client1").start_requests(SVC, interval=0.02, timeout=0.3)
    lab.wait_for("traffic flowing", lambda: None if len(traffic.results()) >= 10
                 else "few results", timeout=10, interval=0.1)
    lab.set_link("m2", "e2", up=False)
    served_by(lab, "client1", "cloud")
    time.sleep(0.5)
    res = traffic.stop()
    sites = [r["site"] for r in res["results"]]
    first_cloud = sites.index("cloud")
    assert sites[:10] == ["edge2"] * 10, sites
    # after the move nothing is lost and nobody else answers
    assert set(sites[first_cloud:]) == {"cloud"}, sites
    assert len(sites) - first_cloud >= 20, sites


def test_no_compute_routing_restores_plain_anycast(lab):
    served_by(lab, "client1", "edge1")
    report(lab, "edge1", 0)
    served_by(lab, "client1", "edge2")
    set_all(lab, "exit", "no compute-routing")
    # Nearest site again, whatever its load: plain IS-IS anycast.
    served_by(lab, "client1", "edge1")
    served_by(lab, "client2", "edge2")
    for name, r in lab.routers.items():
        rt = r.vtysh_json(f"show ip route {PFX} json").get(PFX, [])
        assert not any(x.get("instance") == 42 for x in rt), (name, rt)
