# SPDX-License-Identifier: GPL-2.0-or-later
"""cfn-spf against a plain Python reference on real and random topologies:
distances, ECMP first hops, and per-service sites, cost and nexthops."""
import heapq
import json
import random
import subprocess

import pytest

from spf_topologies import topology_files

INELIGIBLE = 4294967295


def reference(doc, root):
    ids = [r["id"] for r in doc["routers"]]
    overload = {r["id"]: r.get("overload", False) for r in doc["routers"]}
    adj = {i: [] for i in ids}
    for link in doc["links"]:
        adj[link["a"]].append((link["b"], link["metric"]))
        adj[link["b"]].append((link["a"], link.get("metric_ba",
                                                   link["metric"])))
    dist = {root: 0}
    heap = [(0, root)]
    done = set()
    while heap:
        d, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        if u != root and overload[u]:
            continue
        for v, w in adj[u]:
            if d + w < dist.get(v, float("inf")):
                dist[v] = d + w
                heapq.heappush(heap, (d + w, v))
    # First hops in distance order (positive metrics: parents come first).
    fh = {root: set()}
    for u in sorted(dist, key=lambda x: dist[x]):
        if u == root:
            continue
        fh[u] = set()
        for p in ids:
            if p not in dist or (p != root and overload[p]):
                continue
            for v, w in adj[p]:
                if v == u and dist[p] + w == dist[u]:
                    fh[u] |= {u} if p == root else fh[p]
    routers = {u: (dist[u], sorted(fh[u])) for u in dist if u != root}
    sites = {}
    for s in doc["services"]:
        sites.setdefault(s["prefix"], []).append((s["router"], s["metric"]))
    services = {}
    for prefix, lst in sites.items():
        costs = [(dist[r] + m, r) for r, m in lst
                 if m != INELIGIBLE and r in dist]
        if not costs:
            continue
        best = min(c for c, _ in costs)
        chosen = sorted(r for c, r in costs if c == best)
        nh = set()
        for r in chosen:
            nh |= fh[r]
        services[prefix] = (chosen, best, sorted(nh))
    return routers, services


def check(cfn_spf, path, doc, root):
    r = subprocess.run([cfn_spf, "--json", "--root", root, str(path)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    routers, services = reference(doc, root)
    got = {k: (v["distance"], v["nexthops"])
           for k, v in out["routers"].items()}
    assert got == routers, "root %s" % root
    got = {k: (v["sites"], v["cost"], v["nexthops"])
           for k, v in out["services"].items()}
    assert got == services, "root %s" % root


@pytest.mark.parametrize("path", topology_files())
def test_real_topologies(cfn_spf, path):
    assert path != "<none>", "no shared topology files found"
    doc = json.load(open(path))
    ids = [r["id"] for r in doc["routers"]]
    for root in ids[:: max(1, len(ids) // 12)]:
        check(cfn_spf, path, doc, root)


def test_random_topologies(cfn_spf, tmp_path):
    rng = random.Random(20261125)
    for k in range(60):
        n = rng.randint(2, 40)
        ids = ["r%d" % i for i in range(n)]
        doc = {"routers": [{"id": i, "overload": rng.random() < 0.15}
                           for i in ids],
               "links": [], "services": []}
        for i in range(1, n):
            link = {"a": ids[i], "b": ids[rng.randrange(i)],
                    "metric": rng.randint(1, 8)}
            if rng.random() < 0.3:
                link["metric_ba"] = rng.randint(1, 8)
            doc["links"].append(link)
        for _ in range(rng.randint(0, 2 * n)):
            a, b = rng.sample(ids, 2) if n > 1 else (ids[0], ids[0])
            doc["links"].append({"a": a, "b": b,
                                 "metric": rng.randint(1, 8)})
        for s in range(rng.randint(0, 6)):
            for r in rng.sample(ids, rng.randint(1, min(4, n))):
                doc["services"].append({
                    "prefix": "203.0.113.%d/32" % s, "router": r,
                    "metric": rng.choice([rng.randint(0, 20), INELIGIBLE])})
        path = tmp_path / ("g%d.json" % k)
        path.write_text(json.dumps(doc))
        for root in rng.sample(ids, min(3, n)):
            check(cfn_spf, path, doc, root)
