# SPDX-License-Identifier: GPL-2.0-or-later
"""Peer check: our SPF against FRR's own IS-IS SPF.

FRR's tests/isisd/test_topologies.c holds its SPF test topologies and
tests/isisd/test_isis_spf computes FRR's SPF on them.  We print those
topologies with a tiny program compiled against the FRR tree
(frr_topo_dump.c), convert each to cfn-spf input, and for every topology and
every root compare the distance and the set of first hops of every router
(FRR's TE-IS vertices) with FRR's output: the IPv4 tree for every root, and
the IPv6 tree for every root that speaks IPv6.  Level 1 (every node of these
topologies is level 1).
"""
import json
import os
import subprocess
from collections import defaultdict

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))


def node_id(host, pn):
    # A LAN pseudonode is named like an IS-IS LAN id: DIS hostname + circuit.
    return host if pn == 0 else "%s.%02x" % (host, pn)


@pytest.fixture(scope="module")
def topologies(frr_src, tmp_path_factory):
    """{number: {"nodes": {key: info}, "adj": {key: [(key, metric)]}}}"""
    tmp = tmp_path_factory.mktemp("frrtopo")
    exe = tmp / "frr_topo_dump"
    cmd = ["gcc", "-O1", "-ffunction-sections", "-fdata-sections",
           "-Wl,--gc-sections", "-DHAVE_CONFIG_H",
           "-I" + frr_src, "-I" + os.path.join(frr_src, "lib"),
           "-I" + os.path.join(frr_src, "include"),
           "-o", str(exe), os.path.join(HERE, "frr_topo_dump.c"),
           os.path.join(frr_src, "tests/isisd/test_topologies.c")]
    r = subprocess.run(cmd, capture_output=True, text=True)
    assert r.returncode == 0, "building frr_topo_dump failed:\n" + r.stderr
    out = subprocess.run([str(exe)], capture_output=True, text=True,
                         check=True).stdout
    topos, cur, node = {}, None, None
    for line in out.splitlines():
        f = line.split()
        if f[0] == "T":
            cur = topos.setdefault(int(f[1]), {"nodes": {},
                                               "adj": defaultdict(list)})
        elif f[0] == "N":
            node = (f[1], int(f[2]))
            cur["nodes"][node] = {"level": int(f[3]), "ipv4": f[4] == "1",
                                  "ipv6": f[5] == "1"}
        elif f[0] == "A":
            cur["adj"][node].append(((f[1], int(f[2])), int(f[3])))
    assert len(topos) >= 14, "expected FRR's 14 topologies, got %d" % len(
        topos)
    return topos


def to_cfn_json(topo, family):
    """cfn-spf input for FRR's IPv4 or IPv6 SPF tree of one topology."""
    nodes = topo["nodes"]
    routers = []
    for (host, pn), info in nodes.items():
        r = {"id": node_id(host, pn)}
        if pn:
            r["pseudonode"] = True
        elif not info[family]:
            # FRR does not expand the LSP of a router that does not speak
            # the tree's protocol: reachable, never transit.
            r["overload"] = True
        routers.append(r)

    def in_v4(x, y):
        # test_common.c adds an IS reach of a family only under this
        # condition (the pseudonode's own LSP lists every LAN router).
        return x[1] or y[1] or (nodes[x][family] and nodes[y][family])

    directed = defaultdict(list)
    for x, adjs in topo["adj"].items():
        for y, metric in adjs:
            if in_v4(x, y):
                directed[(x, y)].append(metric)
    links = []
    for (x, y), mxy in sorted(directed.items()):
        if x > y:
            continue
        myx = directed.get((y, x))
        assert myx, "one-way adjacency %s -> %s" % (x, y)
        # Parallel adjacencies: pair them up; the shortest one wins anyway.
        for i in range(max(len(mxy), len(myx))):
            links.append({"a": node_id(*x), "b": node_id(*y),
                          "metric": mxy[min(i, len(mxy) - 1)],
                          "metric_ba": myx[min(i, len(myx) - 1)]})
    for (x, y) in directed:
        assert (y, x) in directed, "one-way adjacency %s -> %s" % (x, y)
    return {"routers": routers, "links": links, "services": []}


def parse_frr(out):
    """{(topology, root): {vertex: (distance, {nexthops})}} for TE-IS."""
    res, cur, last = {}, None, None
    for raw in out.splitlines():
        line = raw.rstrip("\r\n")
        if "test isis topology" in line and line.lstrip().startswith(
                "test#"):
            f = line.split()
            fam = "ipv6" if "ipv6-only" in f else "ipv4"
            cur = res.setdefault((fam, int(f[4]), f[6]), {})
            last = None
            continue
        if cur is None or line.startswith(("Vertex", "IS-IS")):
            continue
        # Fixed columns: Vertex(21) Type(13) Metric(7) Next-Hop(21) ...
        vertex = line[0:21].strip()
        vtype = line[21:34].strip()
        metric = line[34:41].strip()
        nexthop = line[41:62].strip()
        if vertex:
            last = None
            if vtype == "TE-IS":
                last = vertex
                assert vertex not in cur, "vertex twice: " + line
                cur[vertex] = (int(metric), set())
        if last and nexthop and nexthop != "-":
            cur[last][1].add(nexthop)
        if not line.strip():
            # End of the path table; the routing table follows.
            cur, last = None, None
    return res


def test_frr_crosscheck(topologies, frr_src, cfn_spf, tmp_path):
    pairs = []
    for family in ("ipv4", "ipv6"):
        for number, topo in sorted(topologies.items()):
            for (host, pn), info in topo["nodes"].items():
                if pn == 0 and info["level"] & 1 and info[family]:
                    pairs.append((family, number, host))
    script = "".join("test isis topology %d root %s spf %s-only\n"
                     % (n, h, f) for f, n, h in pairs)
    r = subprocess.run(["./tests/isisd/test_isis_spf"], input=script,
                       cwd=frr_src, capture_output=True, text=True,
                       timeout=300)
    frr = parse_frr(r.stdout)
    assert set(frr) == set(pairs), "FRR output lacks %r" % sorted(
        set(pairs) - set(frr))[:5]

    mismatches, vertices = [], 0
    files = {}
    for family, number, root in pairs:
        if (family, number) not in files:
            f = tmp_path / ("topo%d-%s.json" % (number, family))
            f.write_text(json.dumps(to_cfn_json(topologies[number],
                                                family)))
            files[(family, number)] = f
        r = subprocess.run([cfn_spf, "--json", "--root", root,
                            str(files[(family, number)])],
                           capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        ours = {k: (v["distance"], set(v["nexthops"]))
                for k, v in json.loads(r.stdout)["routers"].items()}
        theirs = frr[(family, number, root)]
        vertices += len(theirs)
        if ours != theirs:
            diff = {k: (ours.get(k), theirs.get(k))
                    for k in set(ours) | set(theirs)
                    if ours.get(k) != theirs.get(k)}
            mismatches.append("%s topology %d root %s: ours/FRR %r"
                              % (family, number, root, diff))
    v4 = sum(1 for p in pairs if p[0] == "ipv4")
    print("FRR cross-check: %d topology/root pairs (IPv4 %d, IPv6 %d), "
          "%d router vertices" % (len(pairs), v4, len(pairs) - v4,
                                  vertices))
    assert v4 >= 100 and vertices > len(pairs)
    assert not mismatches, "\n".join(mismatches[:20])
