# SPDX-License-Identifier: GPL-2.0-or-later
"""Compute-aware routing across ASes with real bgpd + cfnd_bgp, real kernel
routes and real requests (lab/topologies/bgp-4as.yaml):

- the client AS's ingress c1 sends the client's requests to the provider
  AS whose site is cheapest by network + compute cost; a load change at
  that site moves them to the other provider, a smaller improvement stays
  within the hysteresis margin, and they come back when load drops;
- the transit AS 65004, outside the metadata scope, never receives the
  attribute;
- a peer running bgpd without the module keeps its session and gets plain
  routes even when the attribute is sent to it.
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../lab"))
from cfnlab.vty import daemon_command  # noqa: E402

TOPO = os.path.join(os.path.dirname(__file__), "../../lab/topologies/bgp-4as.yaml")
SVC = "203.0.113.10/32"
ADDR = "203.0.113.10"


def bgpd(router, *commands):
    """Exec commands on the router's bgpd alone (isisd has a command of the
    same name); fails on any error status."""
    res = daemon_command(os.path.join(router.rundir, "bgpd.vty"), *commands)
    for cmd, (status, out) in zip(commands, res):
        assert status == 0, (cmd, status, out)
    return [out for _, out in res]


def wait_established(lab, name, n):
    r = lab[name]

    def probe():
        peers = r.vtysh_json("show bgp summary json").get(
            "ipv4Unicast", {}).get("peers", {})
        up = [a for a, p in peers.items() if p.get("state") == "Established"]
        return None if len(up) == n else f"{name}: {len(up)}/{n} established"

    lab.wait_for(f"{name} sessions", probe, timeout=90)


def fib_dev(router, prefix):
    rt = router.fib_route(prefix)
    return rt.get("dev") if rt and rt.get("protocol") == "bgp" else None


def wait_fib(lab, name, prefix, dev):
    r = lab[name]
    lab.wait_for(f"{name} FIB {prefix} via {dev}",
                 lambda: None if fib_dev(r, prefix) == dev
                 else f"{prefix} via {fib_dev(r, prefix)}", timeout=60)


def chosen(router):
    routes = router.vtysh_json("show bgp compute routes json")
    cands = routes.get(SVC, {}).get("candidates", [])
    return {c["site"]: c for c in cands}


def wait_candidates(lab, *sites):
    """Until c1 has a path from every one of these sites: a session can be
    up before its UPDATE has arrived, and a lone path wins unopposed."""
    c1 = lab["c1"]
    lab.wait_for(f"c1 candidates {sites}",
                 lambda: None if set(sites) <= set(chosen(c1))
                 else f"candidates {sorted(chosen(c1))}", timeout=60)


def wait_metric(lab, metric, site):
    """Until c1's compute database carries `metric` for `site`."""
    c1 = lab["c1"]

    def probe():
        db = c1.vtysh_json("show bgp compute database json").get(SVC, [])
        got = [e.get("metric") for e in db if e.get("site") == site]
        return None if metric in got else f"{site} metric {got}"

    lab.wait_for(f"{site} metric {metric} at c1", probe, timeout=30)


def wait_decision(lab, asn, site):
    """Until c1's last decision for the service names this provider."""
    c1 = lab["c1"]

    def probe():
        d = c1.vtysh_json("show bgp compute decisions json").get(SVC, {})
        sites = d.get("sites") or []
        return None if sites and sites[0] == {"providerAs": asn, "site": site} \
            else f"decision {d}"

    lab.wait_for(f"c1 decision AS {asn} {site}", probe, timeout=30)


def test_traffic_moves_between_provider_ases_with_load(lab_factory):
    lab = lab_factory(TOPO)
    for h in ("srv2", "srv3"):
        lab.host(h).start_server()
    wait_established(lab, "c1", 3)
    c1 = lab["c1"]

    # p2's site: 80/100 free (metric 35), p3's: 50/100 (metric 110); one AS
    # hop each: totals 135 and 210.  c1 picks p2.
    wait_candidates(lab, "site-2", "site-3")
    wait_fib(lab, "c1", SVC, "eth-p2")
    lab.wait_served("client", ADDR, "site-2")
    wait_decision(lab, 65002, "site-2")
    sites = chosen(c1)
    assert sites["site-2"]["chosen"] and sites["site-2"]["totalCost"] == 135, sites
    assert sites["site-3"]["reason"] == "higher cost" and sites["site-3"]["totalCost"] == 210
    path = [p for p in c1.vtysh_json(f"show bgp ipv4 unicast {SVC} json")["paths"]
            if p.get("edgeMetadata", {}).get("site") == "site-2"]
    assert path and path[0]["edgeMetadata"]["available"] == 80, path

    # Load at p2: 10/100 free (metric 910): traffic moves to AS 65003.
    bgpd(lab["p2"], f"compute service {SVC} available 10")
    wait_fib(lab, "c1", SVC, "eth-p3")
    lab.wait_served("client", ADDR, "site-3")
    wait_decision(lab, 65003, "site-3")
    with open(os.path.join(c1.rundir, "bgpd.log"), errors="replace") as f:
        assert f"decision {SVC} -> AS 65003 site site-3" in f.read()

    # p2 recovers to 52/100 (metric 102, total 202): cheaper than p3's 210,
    # but by less than the 10 % hysteresis margin: traffic stays.
    bgpd(lab["p2"], f"compute service {SVC} available 52")
    wait_metric(lab, 102, "site-2")
    sites = chosen(c1)
    assert sites["site-3"]["chosen"] and sites["site-2"]["reason"] == "hysteresis", sites
    assert fib_dev(c1, SVC) == "eth-p3"
    lab.wait_served("client", ADDR, "site-3")

    # Load drops at p2 (80 free): back to AS 65002.
    bgpd(lab["p2"], f"compute service {SVC} available 80")
    wait_fib(lab, "c1", SVC, "eth-p2")
    lab.wait_served("client", ADDR, "site-2")
    wait_decision(lab, 65002, "site-2")

    # Equal cost (50/100 free at both, metric 110, total 210): ECMP over
    # both provider ASes in the kernel, equal shares.
    bgpd(lab["p2"], f"compute service {SVC} available 50")

    def ecmp():
        rt = c1.fib_route(SVC) or {}
        devs = sorted(n.get("dev") for n in rt.get("nexthops", []))
        return None if devs == ["eth-p2", "eth-p3"] else f"route {rt}"

    lab.wait_for("c1 ECMP over p2 and p3", ecmp, timeout=60)
    sites = chosen(c1)
    assert sites["site-2"]["chosen"] and sites["site-3"]["chosen"], sites
    assert sites["site-2"]["weight"] == sites["site-3"]["weight"] == 50, sites

    # Same utilization (metric 110) but twice the free units at p2:
    # still equal cost, and the kernel's nexthop weights follow the free
    # units (UCMP through the link-bandwidth weights bgpd gives zebra).
    lab["p2"].vtysh("configure terminal", "router bgp 65002", "compute-routing",
                    f"service {SVC} capacity 200 available 100 site site-2")

    def ucmp():
        rt = c1.fib_route(SVC) or {}
        w = {n.get("dev"): n.get("weight", 1) for n in rt.get("nexthops", [])}
        return None if len(w) == 2 and w["eth-p2"] == 2 * w["eth-p3"] \
            else f"weights {w}"

    lab.wait_for("c1 UCMP 2:1 toward p2", ucmp, timeout=60)
    sites = chosen(c1)
    assert (sites["site-2"]["weight"], sites["site-3"]["weight"]) == (66, 33), sites
    lab["p2"].vtysh("configure terminal", "router bgp 65002", "compute-routing",
                    f"service {SVC} capacity 100 available 50 site site-2")

    # No capacity at p2 at all: never chosen while p3 exists.
    bgpd(lab["p2"], f"compute service {SVC} available 0")
    wait_fib(lab, "c1", SVC, "eth-p3")
    assert chosen(c1)["site-2"]["reason"] == "ineligible"

    # The transit AS never saw the attribute: its bgpd (with the module)
    # counted no Edge Metadata from anyone, yet has the route.
    t4 = lab["t4"]
    assert t4.vtysh_json(f"show bgp ipv4 unicast {SVC} json").get("paths")
    assert t4.vtysh_json("show bgp compute neighbors json") == {}


PLAIN = {
    "name": "bgpplain",
    "routers": {
        "m1": {
            "asn": 65002,
            "bgp_neighbors": [{"router": "n2", "asn": 65001, "compute": True}],
            "bgp_services": [{"prefix": SVC, "capacity": 10, "available": 5,
                              "site": "m1"}],
        },
        "n2": {"asn": 65001, "plain": True,
               "bgp_neighbors": [{"router": "m1", "asn": 65002}]},
    },
    "links": [["m1", "n2"]],
}


def test_peer_without_module_keeps_session_and_gets_plain_routes(lab_factory):
    lab = lab_factory(PLAIN)
    wait_established(lab, "n2", 1)
    m1, n2 = lab["m1"], lab["n2"]
    lab.wait_for("n2 has the service route", lambda: None if n2.vtysh_json(
        f"show bgp ipv4 unicast {SVC} json").get("paths") else "missing",
        timeout=60)
    # m1 did send the attribute (n2 is enabled there, its AS in scope) ...
    nbr = m1.vtysh_json("show bgp compute neighbors json")
    assert list(nbr.values())[0]["sent"] >= 1, nbr
    # ... and n2's bgpd, without the module, dropped it quietly: same
    # session, plain route.
    bgpd(m1, f"compute service {SVC} available 1")
    lab.wait_for("m1 re-advertised", lambda: None if m1.vtysh_json(
        "show bgp compute services json")[SVC]["advertisements"] >= 2
        else "not yet", timeout=30)
    addr = next(iter(n2.vtysh_json("show bgp summary json")["ipv4Unicast"]["peers"]))
    nb = n2.vtysh_json(f"show bgp neighbors {addr} json")[addr]
    assert nb["bgpState"] == "Established" and nb["connectionsEstablished"] == 1, nb
    path = n2.vtysh_json(f"show bgp ipv4 unicast {SVC} json")["paths"][0]
    assert "edgeMetadata" not in path


def test_decisions_exported_and_load_reports(lab_factory):
    """c1's decisions reach the ledger naming the provider AS and site; a
    load report through the report socket of p2's bgpd (cfn-report) moves
    them."""
    import copy
    import subprocess

    import yaml

    with open(TOPO) as f:
        topo = yaml.safe_load(f)
    topo = copy.deepcopy(topo)
    topo["name"] = "bgpexport"
    topo["ledger"] = True
    topo["routers"]["c1"]["bgp_export"] = True
    lab = lab_factory(topo)
    wait_established(lab, "c1", 3)
    p2 = lab["p2"]
    sock = os.path.join(p2.rundir, "cfn-report-bgp.sock")
    p2.vtysh("configure terminal", "router bgp 65002", "compute-routing",
             f"report-socket {sock}")
    assert f"report-socket {sock}" in p2.vtysh("show running-config")

    def last_decision(sites):
        def probe():
            d = [e for e in lab.ledger.entries() if e.get("origin") == "c1"]
            return None if d and d[-1]["sites"] == sites else f"c1: {d[-2:]}"
        return probe

    lab.wait_for("c1 exports AS65002:site-2",
                 last_decision(["AS65002:site-2"]), timeout=60)
    r = subprocess.run(["cfn-report", "--socket", sock, "service", SVC,
                        "available", "10"], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 0, r.stdout + r.stderr
    wait_fib(lab, "c1", SVC, "eth-p3")
    lab.wait_for("c1 exports AS65003:site-3",
                 last_decision(["AS65003:site-3"]), timeout=60)
    d = [e for e in lab.ledger.entries() if e.get("origin") == "c1"][-1]
    assert d["service"] == SVC and d["path"] == ["AS65001", "AS65003"], d
    assert d["cost"] == 210, d
    show = lab["c1"].vtysh_json("show bgp compute export json")
    assert show["configured"] and show["exported"] >= 2, show
