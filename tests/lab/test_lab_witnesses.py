# SPDX-License-Identifier: GPL-2.0-or-later
"""`witnesses:` in a lab: cfn-witness in the named routers' and host's
namespaces, cfn-ledgerd asking them under a 2-of-3 policy; the endorsed
checkpoint verifies with the policy, the audit prints the quorum, and the
witnesses are recorded in the lab's state and gone after teardown."""

import copy
import json
import os

from test_isis_steering import TOPO as STEER_TOPO

TOPO = copy.deepcopy(STEER_TOPO)
TOPO["name"] = "witnessed"
TOPO["ledger"] = True
TOPO["hosts"] = {"regulator": {"router": "m2"}}
TOPO["witnesses"] = ["e1", "e2", "regulator"]
TOPO["witness_quorum"] = 2


def _alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def _gone(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


def test_ledger_endorsed_by_lab_witnesses(lab_factory):
    lab = lab_factory(TOPO)
    w = lab.witnesses
    pids = w.pids()
    assert len(pids) == 3
    with open(os.path.join(lab.dir, "state.json")) as f:
        recorded = json.load(f)["pids"]
    assert set(pids) <= set(recorded), (pids, recorded)
    with open(w.policy) as f:
        policy = f.read()
    assert "group endorsers 2 e1 e2 regulator\nquorum endorsers\n" in policy
    # Each witness listens in its own node, on its documentation address.
    assert f"http://{lab.host('regulator').ip4.split('/')[0]}:" in policy
    lab.wait_isis_adjacencies()

    def endorsed():
        v = lab.ledger.verify(json_out=True)
        if v.returncode != 0:
            return f"verify: {v.stdout}{v.stderr}"
        j = json.loads(v.stdout)
        return None if j["accepted"] and j["quorum"] and j["size"] > 0 else j
    lab.wait_for("an endorsed checkpoint", endorsed, timeout=90)
    assert os.path.exists(os.path.join(lab.ledger.log_dir, "checkpoint.endorsed"))
    j = json.loads(lab.ledger.verify(json_out=True).stdout)
    signed = [x["name"] for x in j["witnesses"] if x["cosigned"]]
    assert len(signed) >= 2 and set(signed) <= set(TOPO["witnesses"]), j

    # All three cosign once IS-IS reaches every witness.
    lab.wait_for("three cosignatures", lambda: None if all(
        x["cosigned"] for x in json.loads(lab.ledger.verify(json_out=True).stdout)
        ["witnesses"]) else "not yet", timeout=90)
    a = lab.ledger.audit()
    assert a.returncode == 0, a.stdout + a.stderr
    assert "audit OK" in a.stdout and "quorum OK" in a.stdout, a.stdout

    lab.stop()
    assert not any(_alive(p) for p in pids)


def test_lab_down_stops_the_witnesses(lab_factory):
    """A detached lab's witnesses are stopped by `Lab.down` (cfn-lab
    down) from the PIDs in its state file."""
    from cfnlab import Lab
    lab = lab_factory(TOPO)
    pids = lab.witnesses.pids() + [lab.ledger.proc.pid]
    lab.detach()
    assert Lab.down(lab.id)
    # Down returns once they are gone: exited (zombies of ours) or reaped.
    assert all(_gone(p) for p in pids), pids


def test_witnesses_refused_without_ledger_or_node():
    import pytest
    from cfnlab import Lab
    from cfnlab.lab import LabError
    bad = dict(copy.deepcopy(TOPO), ledger=False)
    with pytest.raises(LabError, match="needs ledger: true"):
        Lab(bad)
    bad = dict(copy.deepcopy(TOPO), witnesses=["e1", "r9"])
    with pytest.raises(ValueError, match="unknown or repeated"):
        Lab(bad)
