# SPDX-License-Identifier: GPL-2.0-or-later
"""Split view and rollback: a second ledger with the same key and origin
but another history, and an old copy of the ledger, are refused by every
witness, which keeps the evidence (both checkpoints, signed by the log)."""
import shutil

import tlogpy
from witness_helpers import (Ledger, Witness, log_policy, quorum_policy,
                             run, wait_for)


def test_split_view_and_rollback(env):
    wp = log_policy(env)
    ws = [Witness(env, f"w{i}.example", wp).start() for i in (1, 2, 3)]
    pol = quorum_policy(env, ws, 2, "ledger.policy")
    keys = [tlogpy.Key.from_vkey(env.witness_vkey(w.name)) for w in ws]

    a = Ledger(env, "a").start(pol, origins=("r1",))
    a.append("r1", 1, 5)
    wait_for(lambda: a.cosigned_size() == 5 and
             len(a.cosigners(keys)) == 3, 30, "a cosigned at 5")
    a.stop()
    old = Ledger(env, "a-old")
    shutil.copytree(a.dir, old.dir)
    a.start(pol, origins=("r1",))
    a.append("r1", 6, 5)
    wait_for(lambda: a.cosigned_size() == 10 and
             len(a.cosigners(keys)) == 3, 30, "a cosigned at 10")
    a.stop()

    # same key, same origin, another history of the same size
    b = Ledger(env, "b").start(pol, origins=("r2",))
    b.append("r2", 1, 10)
    wait_for(lambda: b.cosigned_size() == 10, 30, "b's round")
    assert b.cosigners(keys) == {}
    for w in ws:
        wait_for(lambda: any("split-view" in e for e in w.evidence()), 30,
                 "split-view evidence at " + w.name)
    b.stop()
    v = run(env, "verify", "--dir", b.dir, "--policy", pol)
    assert v.returncode == 1 and "quorum not met" in v.stderr

    # the evidence: what the witness cosigned and what it refused, both
    # signed by the log key
    w = ws[0]
    ev = [e for e in w.evidence() if "split-view" in e][0]
    text = open(f"{w.state}/evidence/{ev}").read()
    assert text.count("\u2014 log ") == 2
    logkey = tlogpy.Key.from_vkey(env.vkey("log"))
    held, refused = text.split("# --- add-checkpoint request refused:\n")
    held = held.split("cosigned last:\n")[1]
    refused = refused.split("\n\n", 1)[1]
    h = tlogpy.parse_checkpoint(tlogpy.verify_note(held, logkey))
    r = tlogpy.parse_checkpoint(tlogpy.verify_note(refused, logkey))
    assert h[1] == r[1] == 10 and h[2] != r[2]

    # rollback: the old copy of ledger a (size 5) comes back
    old.start(pol, origins=("r1",))
    wait_for(lambda: all(any("rollback" in e for e in w.evidence())
                         for w in ws), 30, "rollback evidence")
    wait_for(lambda: "beyond ours 5" in old.log(), 30, "client gives up")
    old.stop()
    v = run(env, "verify", "--dir", old.dir, "--policy", pol)
    assert v.returncode == 1

    # the honest ledger goes on being cosigned
    a.start(pol, origins=("r1",))
    a.append("r1", 11, 3)
    wait_for(lambda: a.cosigned_size() == 13 and
             len(a.cosigners(keys)) == 3, 30, "a cosigned at 13")
    assert run(env, "verify", "--dir", a.dir, "--policy",
               pol).returncode == 0
