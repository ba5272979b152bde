#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The two-domain act of the demo: a client AS picks between two provider
ASes hosting the same anycast service by network + compute cost carried in
BGP (Edge Metadata Path Attribute, doc/bgp-metadata.md), and its requests
move when the chosen site gets loaded.  two_domain_act() can be called from
any demo; run as a script it runs alone."""

import os
import sys
import time

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from cfnlab import Lab  # noqa: E402
from cfnlab.vty import daemon_command  # noqa: E402

TOPOLOGY = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "topologies", "bgp-4as.yaml")
SVC = "203.0.113.10/32"
ADDR = "203.0.113.10"


def _routes(lab):
    out = lab["c1"].vtysh("show bgp compute routes")
    print(out.rstrip())
    rt = lab["c1"].fib_route(SVC)
    print(f"c1 kernel route: {SVC} via {rt.get('gateway')} dev {rt.get('dev')}"
          if rt else f"c1 kernel route: none for {SVC}")


def _served(lab, site):
    s = lab.wait_served("client", ADDR, site, timeout=60)
    print(f"client -> {ADDR}: {s['answers']} (lost {s['lost']})", flush=True)


def _load(lab, router, available):
    print(f"\n-- load report at {router}: {SVC} available {available} of 100")
    res = daemon_command(os.path.join(lab[router].rundir, "bgpd.vty"),
                         f"compute service {SVC} available {available}")
    if res[0][0] != 0:
        raise RuntimeError(res[0][1])


def _wait_dev(lab, dev):
    lab.wait_for(f"c1 routes {SVC} via {dev}", lambda: None if (
        (lab["c1"].fib_route(SVC) or {}).get("dev") == dev) else "not yet", 60)


def two_domain_act(topology=TOPOLOGY):
    print("\n== two domains: compute-aware BGP between provider ASes ==")
    t0 = time.monotonic()
    with Lab(topology) as lab:
        for h in ("srv2", "srv3"):
            lab.host(h).start_server()
        _wait_dev(lab, "eth-p2")
        print(f"converged in {time.monotonic() - t0:.1f}s: AS 65002 site-2 80/100 "
              "free, AS 65003 site-3 50/100 free")
        _routes(lab)
        _served(lab, "site-2")
        _load(lab, "p2", 10)
        _wait_dev(lab, "eth-p3")
        _routes(lab)
        _served(lab, "site-3")
        _load(lab, "p2", 80)
        _wait_dev(lab, "eth-p2")
        _routes(lab)
        _served(lab, "site-2")
    print("two-domain lab removed")
    return 0


if __name__ == "__main__":
    sys.exit(two_domain_act(*sys.argv[1:]))
