# SPDX-License-Identifier: GPL-2.0-or-later
"""Invalid topology files are refused before anything starts, with one
line naming the file, the line and the key, a non-zero exit and no
traceback (cfn-lab up, cfn-lab export, and the cfnlab API)."""

import os
import subprocess

import pytest

from cfnlab import Lab
from cfnlab.topology import TopologyError, load_topology

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CFN_LAB = os.path.join(SRC, "lab", "cfn-lab")

GOOD = """\
name: v
routers:
  r1: {}
  r2:
    services:
      - {prefix: 203.0.113.10/32, capacity: 100, available: 60}
links:
  - [r1, r2, {metric: 10}]
hosts:
  c1: {router: r1}
"""

# (what, the text replaced in GOOD, its replacement, line, key, reason)
CASES = [
    ("unknown top-level key", "links:\n", "linkz: []\nlinks:\n", 7, "linkz", "unknown key"),
    ("unknown router key", "  r1: {}", "  r1: {bpg: false}", 3, "routers.r1.bpg", "unknown key"),
    ("unknown service key", "available: 60}", "available: 60, cpu: 3}", 6,
     "routers.r2.services[0].cpu", "unknown key"),
    ("available above capacity", "available: 60", "available: 120", 6,
     "routers.r2.services[0].available", "120 exceeds capacity 100"),
    ("wrong type", "capacity: 100", "capacity: lots", 6,
     "routers.r2.services[0].capacity", "expected an integer"),
    ("wrong type of a flag", "  r1: {}", "  r1: {bgp: maybe}", 3, "routers.r1.bgp",
     "expected true or false"),
    ("missing router in a link", "[r1, r2, {metric: 10}]", "[r1, r9]", 8,
     "links[0][1]", "unknown router 'r9'"),
    ("missing router of a host", "{router: r1}", "{router: r7}", 10,
     "hosts.c1.router", "unknown router 'r7'"),
    ("missing service key", ", capacity: 100", "", 6, "routers.r2.services[0]",
     "missing capacity"),
    ("link metric out of range", "metric: 10", "metric: 0", 8, "links[0][2].metric",
     "out of range"),
    ("address outside the documentation ranges", "  r1: {}",
     "  r1: {loopback: 10.0.0.1/32}", 3, "r1", "outside the documentation ranges"),
    ("not YAML", "links:\n", "links: [\n", 8, "", ""),
]


def write(tmp_path, what, old, new):
    assert old in GOOD, what
    p = tmp_path / "topo.yaml"
    p.write_text(GOOD.replace(old, new, 1))
    return str(p)


def test_good_topology_loads(tmp_path):
    p = tmp_path / "topo.yaml"
    p.write_text(GOOD)
    t = load_topology(str(p))
    assert sorted(t.routers) == ["r1", "r2"] and list(t.hosts) == ["c1"]


@pytest.mark.parametrize("what,old,new,line,key,reason", CASES,
                         ids=[c[0] for c in CASES])
def test_refused_with_file_line_and_key(tmp_path, what, old, new, line, key, reason):
    path = write(tmp_path, what, old, new)
    with pytest.raises(TopologyError) as e:
        load_topology(path)
    msg = str(e.value)
    assert msg.startswith(f"{path}:{line}: "), msg
    assert key in msg and reason in msg, msg
    assert "\n" not in msg


@pytest.mark.parametrize("cmd", [["up"], ["export", "containerlab"]], ids=["up", "export"])
def test_cli_one_line_no_traceback(tmp_path, cmd):
    path = write(tmp_path, "", "available: 60", "available: 120")
    before = set(os.listdir("/run/cfn-lab")) if os.path.isdir("/run/cfn-lab") else set()
    r = subprocess.run(["/usr/bin/python3", CFN_LAB] + cmd + [path],
                       capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert r.returncode == 2, r
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert lines == [f"cfn-lab: {path}:6: routers.r2.services[0].available: "
                     "120 exceeds capacity 100"], r.stderr
    after = set(os.listdir("/run/cfn-lab")) if os.path.isdir("/run/cfn-lab") else set()
    assert after <= before, "a lab was started for an invalid topology"


def test_dict_topologies_are_checked_too():
    with pytest.raises(TopologyError, match=r"routers\.r1\.servces: unknown key"):
        Lab({"routers": {"r1": {"servces": []}}})
    with pytest.raises(TopologyError, match="exceeds capacity"):
        Lab({"routers": {"r1": {"services": [
            {"prefix": "203.0.113.10/32", "capacity": 1, "available": 2}]}}})


def test_shipped_topologies_are_valid():
    d = os.path.join(SRC, "lab", "topologies")
    names = [f for f in os.listdir(d) if f.endswith(".yaml")]
    assert names
    for f in names:
        load_topology(os.path.join(d, f))
