# SPDX-License-Identifier: GPL-2.0-or-later
"""cfn-lab export containerlab: valid YAML with every node and link of
the topology, and each router's FRR configuration bound into it."""

import os
import subprocess

import yaml

from cfnlab.topology import load_topology

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CFN_LAB = os.path.join(SRC, "lab", "cfn-lab")
CLOUD_EDGE = os.path.join(SRC, "lab", "topologies", "cloud-edge.yaml")


def test_export_containerlab(tmp_path):
    out = tmp_path / "ce.clab.yml"
    r = subprocess.run(["/usr/bin/python3", CFN_LAB, "export", "containerlab",
                        CLOUD_EDGE, "-o", str(out)], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    clab = yaml.safe_load(out.read_text())
    topo = load_topology(CLOUD_EDGE)
    assert clab["name"] == "cloud-edge"
    nodes = clab["topology"]["nodes"]
    assert set(nodes) == set(topo.routers) | set(topo.hosts)
    for n in nodes.values():
        assert n["kind"] == "linux" and n["image"]
    want = {frozenset((f"{l.a.name}:{l.ifname[l.a.name]}",
                       f"{l.b.name}:{l.ifname[l.b.name]}")) for l in topo.links}
    want |= {frozenset((f"{h.router.name}:{h.router_ifname}", f"{h.name}:eth0"))
             for h in topo.hosts.values()}
    got = {frozenset(l["endpoints"]) for l in clab["topology"]["links"]}
    assert got == want
    # Startup configs: every router's isisd.conf exists and names it.
    for name in topo.routers:
        binds = dict(b.rsplit(":", 1) for b in nodes[name]["binds"])
        src = next(s for s, d in binds.items() if d == "/etc/frr/isisd.conf")
        text = (tmp_path / src).read_text()
        assert f"hostname {name}\n" in text and "router isis 1" in text
    e1 = (tmp_path / "cloud-edge-configs" / "e1" / "isisd.conf").read_text()
    assert "service 203.0.113.10/32 capacity 100 available 100" in e1
    # A host's server answers as its site.
    assert any("--name edge1" in c for c in nodes["edge1-srv"]["exec"])


def test_export_paths_exist_in_the_image(tmp_path, cfn_prefix):
    """The daemons and modules the exported nodes start are where the
    project image (cfn-lab image build) has them: the prefix's paths."""
    out = tmp_path / "ce.clab.yml"
    subprocess.run(["/usr/bin/python3", CFN_LAB, "export", "containerlab",
                    CLOUD_EDGE, "-o", str(out)], check=True, capture_output=True,
                   timeout=60)
    nodes = yaml.safe_load(out.read_text())["topology"]["nodes"]
    starts = [c.split()[0] for c in nodes["e1"]["exec"] if "/sbin/" in c]
    assert starts and all(s.startswith(cfn_prefix) and os.access(s, os.X_OK)
                          for s in starts), starts
    binds = dict(b.split(":")[:2] for b in nodes["edge1-srv"]["binds"])
    (src, dst), = binds.items()
    assert "server.py" in dst and "def " in (tmp_path / src).read_text()
    assert any(dst in c for c in nodes["edge1-srv"]["exec"])
