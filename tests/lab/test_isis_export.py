# SPDX-License-Identifier: GPL-2.0-or-later
"""Steering decisions exported by isisd to cfn-ledgerd: signed, in order,
spooled while the ledger is away, nothing lost."""

import copy

import pytest

from test_isis_steering import SVC, TOPO as STEER_TOPO, wait_site

TOPO = copy.deepcopy(STEER_TOPO)
TOPO["name"] = "export"
TOPO["ledger"] = True


@pytest.fixture
def lab(lab_factory):
    lab = lab_factory(TOPO)
    lab.wait_isis_adjacencies()
    return lab


def decisions(lab, origin):
    return [e for e in lab.ledger.entries() if e.get("origin") == origin]


def wait_decisions(lab, origin, pred, what):
    state = {}

    def probe():
        state["d"] = decisions(lab, origin)
        return None if pred(state["d"]) else f"{origin}: {state['d'][-3:]}"
    lab.wait_for(what, probe, timeout=30)
    return state["d"]


def test_decisions_reach_the_ledger(lab):
    wait_site(lab, "e1")
    d = wait_decisions(lab, "a1", lambda d: d and d[-1]["sites"] == ["e1"],
                       "a1's first decision in the ledger")
    first = d[-1]
    assert first["service"] == SVC
    assert first["path"] == ["a1", "m1", "e1"]
    assert first["cost"] == routes_cost(lab)

    lab["e1"].vtysh(f"compute service {SVC} available 2")
    wait_site(lab, "e2", ("a1", "m1", "m2"))
    d = wait_decisions(lab, "a1", lambda d: d[-1]["sites"] == ["e2"],
                       "a1's switch to e2 in the ledger")
    assert d[-1]["path"] == ["a1", "m1", "m2", "e2"]
    seqs = [x["seq"] for x in d]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    # every router that decides exports, each under its own key
    assert decisions(lab, "m1")
    audit = lab.ledger.audit()
    assert audit.returncode == 0, audit.stdout + audit.stderr

    show = lab["a1"].vtysh_json("show isis compute export json")
    assert show["configured"] and show["exported"] >= 2
    assert show["acknowledged"] == show["exported"], show


def routes_cost(lab):
    return lab["a1"].vtysh_json("show isis compute routes json")[SVC]["cost"]


def test_ledger_down_decisions_spool_then_arrive(lab):
    wait_site(lab, "e1")
    wait_decisions(lab, "a1", lambda d: len(d) >= 1, "first decision")
    lab.ledger.stop()
    # Three switches while the ledger is away.
    for site, available in (("e1", 2), ("e1", 90), ("e1", 2)):
        lab[site].vtysh(f"compute service {SVC} available {available}")
        wait_site(lab, "e2" if available == 2 else "e1", ("a1", "m1"))
    show = lab["a1"].vtysh_json("show isis compute export json")
    assert not show["connected"]
    assert show["exported"] > show["acknowledged"]
    lab.ledger.start()
    lab.record_pids()
    d = wait_decisions(lab, "a1", lambda d: len(d) >= 4 and d[-1]["sites"] == ["e2"],
                       "spooled decisions in the ledger")
    assert [x["sites"] for x in d[-4:]] == [["e1"], ["e2"], ["e1"], ["e2"]]
    seqs = [x["seq"] for x in d]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
