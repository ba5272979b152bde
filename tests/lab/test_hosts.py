# SPDX-License-Identifier: GPL-2.0-or-later
"""Lab hosts and real anycast traffic: client and server namespaces behind
routers, the anycast prefix carried by plain IS-IS (static routes at the
sites, redistributed), nearest-site delivery, failover when a site's link
is cut, and teardown that leaves nothing behind even after a crash."""

import copy
import json
import os
import signal
import subprocess
import sys
import time

import pytest
import yaml

from cfnlab import Lab, LabError
from cfnlab.frr import isisd_conf, staticd_conf
from cfnlab.lab import LAB_ROOT
from cfnlab.topology import TopologyError, load_topology

HERE = os.path.dirname(os.path.abspath(__file__))
LAB_DIR = os.path.join(HERE, "../../lab")
CLOUD_EDGE = os.path.join(LAB_DIR, "topologies/cloud-edge.yaml")
SVC = "203.0.113.10"


def plain(topo_path):
    """The topology without any compute-routing configuration, so what
    is tested is plain IS-IS anycast whatever the module would steer."""
    with open(topo_path) as f:
        spec = yaml.safe_load(f)
    for r in spec["routers"].values():
        r.pop("services", None)
        r.pop("compute", None)
    return spec


def netns_names():
    out = subprocess.run(["ip", "netns", "list"], capture_output=True,
                         text=True).stdout
    return {l.split()[0] for l in out.splitlines() if l.strip()}


def pid_gone(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            # A zombie waiting for its (new) parent to reap it runs nothing.
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


# -- topology schema (no namespaces needed) --------------------------------

def two_router(hosts, **r1):
    return {"routers": {"r1": r1, "r2": {}}, "links": [["r1", "r2"]],
            "hosts": hosts}


def test_host_addresses_and_generated_configs():
    t = load_topology(two_router({
        "cl": {"router": "r1"},
        "srv": {"router": "r2", "serves": ["203.0.113.10/32", "2001:db8:cafe::/48"],
                "name": "site-b"},
    }))
    cl, srv = t.hosts["cl"], t.hosts["srv"]
    assert (cl.router_addr4, cl.addr4) == ("192.0.2.128/31", "192.0.2.129/31")
    assert (srv.router_addr4, srv.addr4) == ("192.0.2.130/31", "192.0.2.131/31")
    assert (cl.router_addr6, cl.addr6) == ("2001:db8:2::/127", "2001:db8:2::1/127")
    assert srv.addr6 == "2001:db8:2:1::1/127"
    assert srv.site == "site-b" and cl.site == "cl" and srv.port == 8080
    assert srv.anycast_addrs == ["203.0.113.10", "2001:db8:cafe::1"]
    r1, r2 = t.routers["r1"], t.routers["r2"]
    assert not r1.needs_staticd and r2.needs_staticd

    st = staticd_conf(r2).splitlines()
    assert "ip route 203.0.113.10/32 192.0.2.131 60" in st
    assert "ipv6 route 2001:db8:cafe::/48 2001:db8:2:1::1 60" in st
    isis2 = isisd_conf(r2, t, "/x")
    assert "interface eth-srv\n ip router isis 1\n ipv6 router isis 1\n isis passive" in isis2
    assert " redistribute ipv4 static level-2" in isis2
    assert " redistribute ipv6 static level-2" in isis2
    isis1 = isisd_conf(r1, t, "/x")
    assert "interface eth-cl\n" in isis1 and "redistribute" not in isis1


@pytest.mark.parametrize("spec, message", [
    # an explicit loopback inside the host link range
    (two_router({"h": {"router": "r1"}}, loopback="192.0.2.129/32"),
     "collides with the host link range"),
    (two_router({"h": {"router": "r9"}}), "unknown router"),
    (two_router({"r2": {"router": "r1"}}), "a router has the same name"),
    (two_router({"h": {"router": "r1", "serves": ["10.0.0.1/32"]}}),
     "outside the documentation ranges"),
    (two_router({"h": {"router": "r1", "serves": ["192.0.2.1/32"]}}),
     "overlaps"),
    (two_router({"h": {"router": "r1", "srves": []}}), "unknown keys"),
])
def test_host_topology_errors(spec, message):
    with pytest.raises(TopologyError, match=message):
        load_topology(spec)


def test_default_loopbacks_collide_with_host_links_past_127_routers():
    routers = {f"r{i}": {} for i in range(1, 131)}
    links = [[f"r{i}", f"r{i + 1}"] for i in range(1, 120)]
    with pytest.raises(TopologyError, match=r"r128 loopback 192\.0\.2\.128/32"):
        load_topology({"routers": routers, "links": links,
                       "hosts": {"h": {"router": "r1"}}})


# -- real traffic ----------------------------------------------------------

def fib_dev(lab, router, prefix):
    rt = lab[router].fib_route(prefix)
    return rt and rt.get("dev")


def test_plain_isis_anycast_nearest_site_and_failover(lab_factory):
    lab = lab_factory(plain(CLOUD_EDGE))
    lab.wait_isis_adjacencies()
    # Hosts see each other through the routers (passive host links in IS-IS).
    lab.wait_for("client1 reaches client2", lambda: None if subprocess.run(
        ["ip", "netns", "exec", lab.host("client1").netns, "ping", "-c1", "-W1",
         lab.host("client2").ip4], capture_output=True).returncode == 0
        else "no ping reply", timeout=60, interval=0.2)

    lab.wait_served("client1", SVC, "edge1", timeout=60)
    s = lab.request("client1", SVC, count=20, interval=0.02)
    assert s == {**s, "answers": {"edge1": 20}, "lost": 0, "sent": 20}, s
    s = lab.request("client1", SVC, count=3, tcp=True)
    assert s["answers"] == {"edge1": 3} and s["lost"] == 0, s
    lab.wait_served("client2", SVC, "edge2", timeout=60)
    s = lab.request("client2", SVC, count=20, interval=0.02)
    assert s["answers"] == {"edge2": 20} and s["lost"] == 0, s
    # The sites' own routes: static (distance 60) toward the server host.
    rt = lab["e1"].vtysh_json(f"show ip route {SVC}/32 json")[f"{SVC}/32"]
    best = [r for r in rt if r.get("selected")]
    assert best and best[0]["protocol"] == "static" and best[0]["distance"] == 60, rt
    assert fib_dev(lab, "a1", f"{SVC}/32") == "eth-m1"
    assert lab.fib_paths("a1", f"{SVC}/32") == [["a1", "m1", "e1", "edge1-srv"]]
    assert lab.fib_paths("a2", f"{SVC}/32") == [["a2", "m2", "e2", "edge2-srv"]]

    # Cut edge1 off under load: a1's clients move to the next site, edge2,
    # and once they do, every request is answered.
    traffic = lab.host("client1").start_requests(SVC, interval=0.02, timeout=0.3)
    lab.wait_for("traffic flowing", lambda: None if len(traffic.results()) >= 10
                 else "few results", timeout=10, interval=0.1)
    t_cut = time.time()
    lab.set_link("m1", "e1", up=False)
    lab.wait_served("client1", SVC, "edge2", timeout=30)
    time.sleep(0.5)
    res = traffic.stop()
    sites = [r["site"] for r in res["results"]]
    assert sites[:10] == ["edge1"] * 10, sites
    first_edge2 = sites.index("edge2")
    # After the first answer from edge2 nothing is lost or answered elsewhere.
    assert set(sites[first_edge2:]) == {"edge2"}, sites
    assert len(sites) - first_edge2 >= 20, sites
    assert res["sent"] == len(sites) and res["lost"] == sites.count(None), res
    switch = res["results"][first_edge2]["t"] - t_cut
    print(f"client1 moved to edge2 {switch * 1000:.0f} ms after the cut, "
          f"{res['lost']} requests lost during convergence")
    s = lab.request("client1", SVC, count=20, interval=0.02)
    assert s["answers"] == {"edge2": 20} and s["lost"] == 0, s
    assert lab.fib_paths("a1", f"{SVC}/32") == [["a1", "m1", "m2", "e2", "edge2-srv"]]

    # And edge2 too: only the cloud is left, for both access routers.
    lab.set_link("m2", "e2", up=False)
    lab.wait_served("client1", SVC, "cloud", timeout=30)
    lab.wait_served("client2", SVC, "cloud", timeout=30)
    s = lab.request("client2", SVC, count=10, interval=0.02)
    assert s["answers"] == {"cloud": 10} and s["lost"] == 0, s

    # Links back: nearest sites again.
    lab.set_link("m1", "e1", up=True)
    lab.set_link("m2", "e2", up=True)
    lab.wait_served("client1", SVC, "edge1", timeout=60)
    lab.wait_served("client2", SVC, "edge2", timeout=60)

    # fib_paths finds loops and blackholes (made by hand in m1's kernel).
    a1_m1 = next(l for l in lab.topo.links if {l.a.name, l.b.name} == {"a1", "m1"})
    a1_addr = a1_m1.addr4["a1"].split("/")[0]
    lab["m1"].ip("route", "replace", f"{SVC}/32", "via", a1_addr)
    with pytest.raises(LabError, match="loop a1 -> m1 -> a1"):
        lab.fib_paths("a1", f"{SVC}/32")
    lab["m1"].ip("route", "replace", "unreachable", f"{SVC}/32")
    with pytest.raises(LabError, match="blackhole at m1"):
        lab.fib_paths("a1", f"{SVC}/32")


def test_server_down_loses_requests_until_link_cut(lab_factory):
    """The client really measures delivery: with edge1's server stopped,
    a1's requests go unanswered (the route still points at edge1)."""
    lab = lab_factory(plain(CLOUD_EDGE))
    lab.wait_isis_adjacencies()
    lab.wait_served("client1", SVC, "edge1", timeout=60)
    srv = lab.host("edge1-srv")
    pid = srv.server_pid
    assert pid and str(pid) in open(os.path.join(lab.dir, "state.json")).read()
    srv.stop_server()
    assert pid_gone(pid)
    s = lab.request("client1", SVC, count=5, interval=0.02, timeout=0.3)
    assert s["answers"] == {} and s["lost"] == 5, s
    srv.start_server()
    lab.wait_served("client1", SVC, "edge1", timeout=10)


def test_ipv6_anycast(lab_factory):
    lab = lab_factory({
        "name": "v6any",
        "routers": {"r1": {"bgp": False}, "r2": {"bgp": False},
                    "r3": {"bgp": False}},
        "links": [["r1", "r2"], ["r2", "r3", {"metric": 20}], ["r1", "r3"]],
        "hosts": {"cl": {"router": "r1"},
                  "s2": {"router": "r2", "serves": ["2001:db8:cafe::/48"],
                         "name": "two"},
                  "s3": {"router": "r3", "serves": ["2001:db8:cafe::/48"],
                         "name": "three", "port": 9000}},
    })
    lab.wait_isis_adjacencies()
    # Both sites are 10 away from r1, so IS-IS may split the flows; only
    # s3 listens on port 9000, so every answer there must be its.
    s = None
    def probe():
        nonlocal s
        s = lab.request("cl", "2001:db8:cafe::1", count=6, interval=0.02,
                        timeout=0.3, port=9000)
        return None if s["answers"] else f"no answer: {s}"
    lab.wait_for("v6 answers on port 9000", probe, timeout=60, interval=0.2)
    assert set(s["answers"]) == {"three"}, s
    lab.set_link("r1", "r3", up=False)
    lab.wait_served("cl", "2001:db8:cafe::1", "two", timeout=30, port=8080)


# -- teardown --------------------------------------------------------------

OWNER = """
import json, sys, time
sys.path.insert(0, sys.argv[1])
from cfnlab import Lab, LabError
lab = Lab(json.loads(sys.argv[2]))
lab.start()
lab.host("c").start_requests("203.0.113.10")
print(lab.id, flush=True)
time.sleep(600)
"""

SMALL = {
    "name": "crash",
    "routers": {"r1": {"bgp": False}, "r2": {}},
    "links": [["r1", "r2"]],
    "hosts": {"c": {"router": "r1"},
              "s": {"router": "r2", "serves": ["203.0.113.10/32"]}},
}


def test_teardown_and_sweep_after_owner_killed():
    # Normal teardown: nothing left.
    with Lab(SMALL) as lab:
        nss = [r.netns for r in lab.routers.values()] + [h.netns for h in lab.hosts.values()]
        pids = list(lab.state["pids"])
        # r1: zebra+isisd, r2: zebra+isisd+bgpd+staticd, s: the server
        assert len(pids) == 2 + 4 + 1, lab.state
        assert set(nss) <= netns_names()
        assert lab.host("s").server_pid in pids
    assert not set(nss) & netns_names()
    assert all(pid_gone(p) for p in pids)
    assert not os.path.exists(lab.dir)

    # The owner is SIGKILLed: its namespaces, daemons and hosts survive
    # it, until a sweep removes them by its state file.
    owner = subprocess.Popen([sys.executable, "-c", OWNER, LAB_DIR, json.dumps(SMALL)],
                             stdout=subprocess.PIPE, text=True)
    try:
        lab_id = owner.stdout.readline().strip()
        assert lab_id, "owner did not start its lab"
        state_dir = os.path.join(LAB_ROOT, lab_id)
        with open(os.path.join(state_dir, "state.json")) as f:
            st = json.load(f)
        # 6 daemons, the server and the background client
        assert len(st["netns"]) == 4 and len(st["pids"]) == 8, st
    finally:
        owner.send_signal(signal.SIGKILL)
        owner.wait()
    time.sleep(0.2)
    assert set(st["netns"]) <= netns_names()
    assert not any(pid_gone(p) for p in st["pids"]), "daemons died with their owner"

    removed = Lab.sweep()
    assert lab_id in removed
    deadline = time.monotonic() + 5
    while not all(pid_gone(p) for p in st["pids"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(pid_gone(p) for p in st["pids"]), [
        p for p in st["pids"] if not pid_gone(p)]
    assert not set(st["netns"]) & netns_names()
    assert not os.path.exists(state_dir)
    assert not [n for n in netns_names() if n.startswith(f"cfn-{lab_id}-")]
