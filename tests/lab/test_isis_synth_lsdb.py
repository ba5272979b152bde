# SPDX-License-Identifier: GPL-2.0-or-later
"""The test-only synthetic LSDB module (tests/modules/cfnd_isis_synth), on
which bench/bench-steering-cpu relies: its routers reach a neighbor as real
LSPs and become part of that neighbor's compute graph."""

import json
import os

import pytest

from cfnlab.vty import daemon_command

N, SERVICES, SITES = 40, 3, 4


def module_path():
    path = os.path.join(os.environ["CFN_BUILD"],
                        "tests/modules/.libs/cfnd_isis_synth.so")
    assert os.path.exists(path), f"{path} not built (make check builds it)"
    return path


@pytest.fixture
def lab(lab_factory):
    so = module_path()
    lab = lab_factory({
        "name": "synth",
        "routers": {
            "r1": {"bgp": False, "compute": True, "modules": {"isisd": [so]}},
            "r2": {"bgp": False, "modules": {"isisd": [so]}},
        },
        "links": [["r1", "r2"]],
    })
    lab.wait_isis_adjacencies()
    return lab


def synth(lab, *commands):
    res = daemon_command(f"{lab['r2'].rundir}/isisd.vty", *commands)
    for status, out in res:
        assert status == 0, out
    return [out for _, out in res]


def lsp_names(router):
    out = router.vtysh("show isis database")
    return {line.split()[0].split(".")[0] for line in out.splitlines()
            if ".00-00" in line}


def test_synthetic_routers_reach_the_neighbor(lab):
    out = synth(lab, f"test isis synth-lsdb routers {N} degree 4 "
                f"services {SERVICES} sites {SITES} seed 7")[0]
    assert out.startswith(f"{N} routers")
    want = {f"s{i}" for i in range(N)} | {"r1", "r2"}
    lab.wait_for("r1 has every synthetic LSP",
                 lambda: None if lsp_names(lab["r1"]) == want
                 else f"missing {sorted(want - lsp_names(lab['r1']))[:5]}",
                 timeout=60)
    lab.wait_json("r1", "show isis compute statistics json",
                  {"1": {"routers": N + 2, "services": SERVICES}})
    svcs = {f"203.0.113.{16 + s}/32" for s in range(SERVICES)}

    # LSPs keep arriving after the graph has all routers: wait until every
    # service has a site (its links are two-way in r1's LSDB).
    def all_steered():
        routes = lab["r1"].vtysh_json("show isis compute routes json")
        if set(routes) != svcs or not all(r["sites"] for r in routes.values()):
            return f"routes {routes}"
        return None
    lab.wait_for("r1 steers every service", all_steered, timeout=60)
    routes = lab["r1"].vtysh_json("show isis compute routes json")
    for r in routes.values():
        assert r["sites"] and all(s.startswith("s") for s in r["sites"])
        assert r["nexthops"][0]["interface"] == "eth-r2"
    # every synthetic router is reachable through r2 by plain IS-IS
    assert lab["r1"].fib_route("2001:db8:fe::27/128")["dev"] == "eth-r2"

    # the replayed graph build sees the same graph
    st, out = daemon_command(f"{lab['r1'].rundir}/isisd.vty",
                             "test isis synth-lsdb profile")[0]
    prof = json.loads(out)
    assert st == 0 and prof["routers"] == N + 2 and prof["links"] > N


def test_bump_site_is_a_capacity_change(lab):
    synth(lab, f"test isis synth-lsdb routers {N} degree 3 "
          f"services {SERVICES} sites {SITES} seed 3")
    lab.wait_json("r1", "show isis compute statistics json",
                  {"1": {"routers": N + 2, "services": SERVICES}})
    before = lab["r1"].vtysh_json("show isis compute database json")
    runs = lab["r1"].vtysh_json("show isis compute statistics json")["1"]
    out = synth(lab, "test isis synth-lsdb bump site")[0]
    site = out.split()[1].rstrip(":")

    def changed():
        now = lab["r1"].vtysh_json("show isis compute database json")
        return None if now.get(site) != before.get(site) else "unchanged"
    lab.wait_for(f"r1 sees new metrics of {site}", changed, timeout=30)
    lab.wait_for("capacity-only update", lambda: None if lab["r1"].vtysh_json(
        "show isis compute statistics json")["1"]["capacityRuns"]
        > runs["capacityRuns"] else "none yet", timeout=30)
