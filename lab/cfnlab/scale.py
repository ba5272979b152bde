# SPDX-License-Identifier: GPL-2.0-or-later
"""Large labs from real ISP topologies (../shared/topologies/, Internet
Topology Zoo data in cfn-spf's JSON format), their convergence and
steering checked against cfn-spf on the same graph, and what each router
costs in memory and CPU.  Used by bench/bench-lab-scale and
tests/lab/test_lab_scale.py."""

import json
import os
import subprocess
import tempfile
import time
from collections import deque

from .frr import prefix as cfn_prefix

SERVICE = "203.0.113.10/32"
MAX_LINKS = 128  # 198.51.100.0/24 in /31s (topology.py)
SHARED_TOPOLOGIES = os.path.join(
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    "..", "shared", "topologies")


def zoo_topology(path, routers, sites=3, name=None):
    """A connected `routers`-router piece of a cfn-spf topology file: the
    breadth-first ball around its best-connected router, with the links
    among those routers (the longest non-tree links dropped if there are
    more than the lab's address plan holds).  Every router runs the
    module without BGP; `sites` routers spread over the ball host the
    service 203.0.113.10/32."""
    with open(path) as f:
        g = json.load(f)
    adj = {r["id"]: {} for r in g["routers"]}
    for l in g["links"]:
        m = min(l["metric"], adj[l["a"]].get(l["b"], l["metric"]))
        adj[l["a"]][l["b"]] = adj[l["b"]][l["a"]] = max(1, int(m))
    root = max(adj, key=lambda r: (len(adj[r]), r))
    order, parent, q = [root], {root: None}, deque([root])
    while q and len(order) < routers:
        u = q.popleft()
        for v in sorted(adj[u]):
            if v not in parent and len(order) < routers:
                parent[v] = u
                order.append(v)
                q.append(v)
    if len(order) < routers:
        raise ValueError(f"{path}: only {len(order)} connected routers")
    keep = set(order)
    tree = {frozenset((v, p)) for v, p in parent.items() if p}
    links = {frozenset((a, b)): m for a in keep for b, m in adj[a].items() if b in keep}
    extra = sorted((l for l in links if l not in tree), key=lambda l: (links[l], sorted(l)))
    chosen = list(tree) + extra[:max(0, MAX_LINKS - len(tree))]
    site_routers = [order[(i * (len(order) - 1)) // max(1, sites - 1)] if sites > 1
                    else order[0] for i in range(sites)]
    spec = {"name": name or f"zoo{routers}", "routers": {}, "links": []}
    for r in order:
        rs = {"bgp": False, "compute": True}
        if r in site_routers:
            rs["services"] = [{"prefix": SERVICE, "capacity": 100, "available": 100,
                               "site": f"site-{r}"}]
        spec["routers"][r] = rs
    for l in sorted(chosen, key=lambda l: (order.index(min(l, key=order.index)),
                                           order.index(max(l, key=order.index)))):
        a, b = sorted(l, key=order.index)
        spec["links"].append([a, b, {"metric": links[l]}])
    return spec


def spf_graph(spec, metrics):
    """cfn-spf's input for a lab spec; metrics: {site router: metric}."""
    return {"routers": [{"id": r} for r in spec["routers"]],
            "links": [{"a": a, "b": b, "metric": o["metric"]} for a, b, o in spec["links"]],
            "services": [{"prefix": SERVICE, "router": r, "metric": m}
                         for r, m in metrics.items()]}


def spf_choices(spec, metrics):
    """{router: sorted site routers} that cfn-spf chooses for SERVICE."""
    tool = os.path.join(cfn_prefix(), "bin", "cfn-spf")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(spf_graph(spec, metrics), f)
    try:
        out = {}
        for r in spec["routers"]:
            p = subprocess.run([tool, "--json", "--root", r, f.name],
                               capture_output=True, text=True, timeout=60, check=True)
            svc = json.loads(p.stdout)["services"].get(SERVICE, {})
            out[r] = sorted(svc.get("sites", []))
        return out
    finally:
        os.unlink(f.name)


def lab_choices(lab):
    """{router: sorted sites} from every router's module."""
    out = {}
    for name, r in lab.routers.items():
        routes = r.vtysh_json("show isis compute routes json")
        out[name] = sorted(routes.get(SERVICE, {}).get("sites", []))
    return out


def advertised_metrics(lab):
    """{site router: the metric its module advertises now}."""
    out = {}
    for name, r in lab.routers.items():
        if r.spec.spec.get("services"):
            s = r.vtysh_json("show isis compute services json")[SERVICE]
            out[name] = s["advertisedMetric"]
    return out


def wait_choices(lab, want, timeout):
    """Polls until every router's choice is want[router]; returns the
    seconds it took."""
    t0 = time.monotonic()
    state = {}

    def probe():
        t = time.monotonic()
        got = lab_choices(lab)
        wait_choices.last_round_s = time.monotonic() - t
        bad = {r: (got[r], want[r]) for r in want if got[r] != want[r]}
        state["bad"] = bad
        if bad:
            few = dict(list(bad.items())[:5])
            return f"{len(bad)} routers differ from cfn-spf (got, want): {few}"
        return None

    lab.wait_for("every router chooses as cfn-spf does", probe, timeout=timeout,
                 interval=0.5)
    return time.monotonic() - t0


def _proc_stat(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime


def _rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def usage(lab):
    """{"rss_kib": total RSS of every router daemon, "cpu_s": their total
    CPU seconds so far}."""
    rss = cpu = 0
    for r in lab.routers.values():
        for pid in r.daemons.pids().values():
            try:
                rss += _rss_kib(pid)
                cpu += _proc_stat(pid)
            except OSError:
                pass
    return {"rss_kib": rss, "cpu_s": cpu}


def report_full(lab, router):
    """The site at `router` reports it has no capacity left (cfn-report,
    as a site's agent would)."""
    r = lab.routers[router]
    subprocess.run([os.path.join(cfn_prefix(), "bin", "cfn-report"), "--socket",
                    f"{r.rundir}/cfn-report.sock", "service", SERVICE, "available", "0"],
                   check=True, capture_output=True, timeout=30)


def run(spec, timeout=600, rest_s=10.0, log=print):
    """Brings the lab up, waits until every router's choice matches
    cfn-spf, measures a rest period, then fills the site most routers
    use and waits until the routers that cfn-spf says must move have
    moved (and no other).  Returns the figures."""
    from .lab import Lab
    n = len(spec["routers"])
    fig = {"routers": n, "links": len(spec["links"])}
    t0 = time.monotonic()
    with Lab(spec) as lab:
        fig["start_s"] = time.monotonic() - t0
        log(f"{n} routers, {fig['links']} links: daemons started in {fig['start_s']:.1f}s")
        lab.wait_isis_adjacencies(timeout=timeout)
        fig["adjacencies_s"] = time.monotonic() - t0
        log(f"every IS-IS adjacency up at {fig['adjacencies_s']:.1f}s")
        metrics = advertised_metrics(lab)
        want = spf_choices(spec, metrics)
        wait_choices(lab, want, timeout)
        fig["converge_s"] = time.monotonic() - t0
        u_conv = usage(lab)
        log(f"every router chooses as cfn-spf does at {fig['converge_s']:.1f}s")
        time.sleep(rest_s)  # the rest window being measured
        u_rest = usage(lab)
        fig["rss_per_router_kib"] = u_rest["rss_kib"] / n
        fig["cpu_converge_per_router_s"] = u_conv["cpu_s"] / n
        fig["cpu_rest_per_router_pct"] = 100 * (u_rest["cpu_s"] - u_conv["cpu_s"]) / rest_s / n

        users = {}
        for r, sites in want.items():
            for s in sites:
                users[s] = users.get(s, 0) + 1
        full = max(users, key=lambda s: (users[s], s))
        t1 = time.monotonic()
        report_full(lab, full)
        lab.wait_for(f"{full} advertises not eligible", lambda: None if advertised_metrics(
            lab)[full] == 4294967295 else "still eligible", timeout=timeout)
        want2 = spf_choices(spec, advertised_metrics(lab))
        moved = sorted(r for r in want if want[r] != want2[r])
        fig["site_full"] = full
        fig["moved"] = len(moved)
        wait_choices(lab, want2, timeout)
        fig["steer_s"] = time.monotonic() - t1
        # One poll of every router's choice: the resolution of steer_s.
        fig["poll_round_s"] = wait_choices.last_round_s
        u_steer = usage(lab)
        fig["cpu_steer_per_router_s"] = (u_steer["cpu_s"] - u_rest["cpu_s"]) / n
        log(f"{full} full: {len(moved)} routers moved as cfn-spf says in "
            f"{fig['steer_s']:.1f}s")
        # The others did not move.
        got = lab_choices(lab)
        assert all(got[r] == want[r] for r in want if r not in moved)
    fig["total_s"] = time.monotonic() - t0
    return fig
