# SPDX-License-Identifier: GPL-2.0-or-later
"""cfn-spf: output format, the shared topology files, and bad input."""
import json
import os
import subprocess

import pytest

from spf_topologies import topology_files

EXAMPLE = {
    "routers": [{"id": "r1", "overload": False}, {"id": "r2"}, {"id": "r3"},
                {"id": "r4"}],
    "links": [{"a": "r1", "b": "r2", "metric": 10, "metric_ba": 12},
              {"a": "r2", "b": "r3", "metric": 10},
              {"a": "r1", "b": "r4", "metric": 5},
              {"a": "r4", "b": "r3", "metric": 15}],
    "services": [{"prefix": "203.0.113.10/32", "router": "r3", "metric": 25},
                 {"prefix": "203.0.113.10/32", "router": "r4",
                  "metric": 4294967295},
                 {"prefix": "2001:db8::30/128", "router": "r4",
                  "metric": 4294967295}],
}


def run(cfn_spf, tmp_path, doc, *args, raw=None):
    f = tmp_path / "t.json"
    f.write_text(raw if raw is not None else json.dumps(doc))
    return subprocess.run([cfn_spf, *args, str(f)], capture_output=True,
                          text=True)


def test_json_output(cfn_spf, tmp_path):
    r = run(cfn_spf, tmp_path, EXAMPLE, "--json", "--root", "r1")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert out["root"] == "r1"
    assert out["routers"]["r2"] == {"distance": 10, "nexthops": ["r2"]}
    assert out["routers"]["r4"] == {"distance": 5, "nexthops": ["r4"]}
    # r3 is 20 both ways: ECMP, sorted.
    assert out["routers"]["r3"] == {"distance": 20,
                                    "nexthops": ["r2", "r4"]}
    s = out["services"]["203.0.113.10/32"]
    assert s["sites"] == ["r3"] and s["cost"] == 45
    assert s["nexthops"] == ["r2", "r4"]
    assert s["distance"] == 20 and s["metric"] == 25
    assert sorted(map(tuple, s["edges"])) == [("r1", "r2"), ("r1", "r4"),
                                              ("r2", "r3"), ("r4", "r3")]
    # Only ineligible sites: left out.
    assert "2001:db8::30/128" not in out["services"]
    # metric_ba is used in the reverse direction.
    r = run(cfn_spf, tmp_path, EXAMPLE, "--json", "--root", "r2")
    assert json.loads(r.stdout)["routers"]["r1"]["distance"] == 12


def test_ecmp_limit(cfn_spf, tmp_path):
    r = run(cfn_spf, tmp_path, EXAMPLE, "--json", "--ecmp", "1",
            "--root", "r1")
    out = json.loads(r.stdout)
    assert out["routers"]["r3"]["nexthops"] == ["r2"]


def test_unreachable_left_out(cfn_spf, tmp_path):
    doc = json.loads(json.dumps(EXAMPLE))
    doc["routers"].append({"id": "island"})
    doc["services"].append({"prefix": "198.51.100.1/32", "router": "island",
                            "metric": 1})
    out = json.loads(run(cfn_spf, tmp_path, doc, "--json", "--root",
                         "r1").stdout)
    assert "island" not in out["routers"]
    assert "198.51.100.1/32" not in out["services"]


def test_overload_no_transit(cfn_spf, tmp_path):
    doc = json.loads(json.dumps(EXAMPLE))
    doc["routers"][3]["overload"] = True  # r4
    out = json.loads(run(cfn_spf, tmp_path, doc, "--json", "--root",
                         "r1").stdout)
    assert out["routers"]["r4"]["distance"] == 5  # still a destination
    assert out["routers"]["r3"] == {"distance": 20, "nexthops": ["r2"]}


def test_table_output(cfn_spf, tmp_path):
    r = run(cfn_spf, tmp_path, EXAMPLE, "--root", "r1")
    assert r.returncode == 0
    assert "203.0.113.10/32" in r.stdout and "r2,r4" in r.stdout


@pytest.mark.parametrize("path", topology_files())
def test_shared_topologies_load(cfn_spf, path, src_dir):
    assert path != "<none>", "no shared topology files found"
    doc = json.load(open(path))
    root = doc["routers"][0]["id"]
    r = subprocess.run([cfn_spf, "--json", "--root", root, path],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    # Largest connected component only: every other router is reachable.
    assert len(out["routers"]) == len(doc["routers"]) - 1
    assert out["services"]


BAD = [
    (lambda d: d["links"][3].__setitem__("metric", 4294967296),
     "links[3].metric: must be 0..4294967295"),
    (lambda d: d["links"][1].__setitem__("metric", -1),
     "links[1].metric: must be 0..4294967295"),
    (lambda d: d["links"][0].__setitem__("metric_ba", 1.5),
     "links[0].metric_ba: must be an integer"),
    (lambda d: d["links"][2].__setitem__("b", "r9"),
     'links[2].b: unknown router "r9"'),
    (lambda d: d["links"][0].pop("metric"), "links[0].metric: missing"),
    (lambda d: d["routers"].append({"id": "r2"}),
     'routers[4].id: duplicate "r2"'),
    (lambda d: d["routers"].append({"id": 7}),
     "routers[4].id: must be a non-empty string"),
    (lambda d: d["routers"][0].__setitem__("overload", "yes"),
     "routers[0].overload: must be true or false"),
    (lambda d: d["services"][0].__setitem__("prefix", "203.0.113.300/32"),
     'services[0].prefix: malformed "203.0.113.300/32"'),
    (lambda d: d["services"][0].__setitem__("prefix", "203.0.113.3/33"),
     'services[0].prefix: malformed "203.0.113.3/33"'),
    (lambda d: d["services"][1].__setitem__("prefix", "2001:db8::zz/128"),
     'services[1].prefix: malformed "2001:db8::zz/128"'),
    (lambda d: d["services"][0].__setitem__("router", "nowhere"),
     'services[0].router: unknown router "nowhere"'),
    (lambda d: d["services"].append(dict(d["services"][0])),
     'services[3].router: "r3" already hosts 203.0.113.10/32'),
    (lambda d: d["services"][2].__setitem__("metric", 2 ** 64),
     "services[2].metric: must be"),
    (lambda d: d.__setitem__("links", {}), "links: must be an array"),
]


@pytest.mark.parametrize("mutate,msg", BAD)
def test_bad_input(cfn_spf, tmp_path, mutate, msg):
    doc = json.loads(json.dumps(EXAMPLE))
    mutate(doc)
    r = run(cfn_spf, tmp_path, doc, "--json", "--root", "r1")
    assert r.returncode == 1
    assert msg in r.stderr, r.stderr
    assert r.stdout == ""


def test_bad_json_names_line(cfn_spf, tmp_path):
    raw = '{"routers": [\n{"id": "r1"},\n{"id": "r2",,}\n]}'
    r = run(cfn_spf, tmp_path, None, "--root", "r1", raw=raw)
    assert r.returncode == 1 and "line 3" in r.stderr, r.stderr


def test_bad_root_and_usage(cfn_spf, tmp_path):
    r = run(cfn_spf, tmp_path, EXAMPLE, "--root", "r77")
    assert r.returncode == 1 and 'unknown router "r77"' in r.stderr
    r = subprocess.run([cfn_spf, "--json"], capture_output=True, text=True)
    assert r.returncode == 2 and "usage" in r.stderr
    r = run(cfn_spf, tmp_path, EXAMPLE, "--ecmp", "-3", "--root", "r1")
    assert r.returncode == 2
