# SPDX-License-Identifier: GPL-2.0-or-later
"""Three cfn-witness processes, a 2-of-3 policy: cfn-ledgerd gets its
checkpoints cosigned; one witness down still gives quorum; two down and
verify refuses and says why; the log keeps appending throughout; a
witness back up is asked again and the quorum returns."""
import json

import tlogpy
from witness_helpers import (Ledger, Witness, log_policy, quorum_policy,
                             run, wait_for)


def witness_keys(env, ws):
    return [tlogpy.Key.from_vkey(env.witness_vkey(w.name)) for w in ws]


def test_two_of_three(env):
    wp = log_policy(env)
    ws = [Witness(env, f"w{i}.example", wp).start() for i in (1, 2, 3)]
    pol = quorum_policy(env, ws, 2, "ledger.policy")
    offline = quorum_policy(env, ws, 2, "verify.policy", urls=False)
    keys = witness_keys(env, ws)
    led = Ledger(env).start(pol)

    led.append("r1", 1, 10)
    wait_for(lambda: led.cosigned_size() == 10 and
             len(led.cosigners(keys)) == 3, 30, "3 cosignatures at 10")
    v = run(env, "verify", "--dir", led.dir, "--policy", offline)
    assert v.returncode == 0, v.stderr
    assert "quorum OK" in v.stdout
    assert "3 of 3 witnesses" in v.stdout

    # one witness down: quorum still met, it is named as missing
    ws[2].kill()
    led.append("r1", 11, 10)
    wait_for(lambda: led.cosigned_size() == 20, 30, "cosigned size 20")
    assert set(led.cosigners(keys)) == {"w1.example", "w2.example"}
    v = run(env, "verify", "--dir", led.dir, "--policy", offline)
    assert v.returncode == 0, v.stderr
    assert "witness w3.example: MISSING" in v.stdout

    # two down: the log keeps appending, verify refuses and says why
    ws[1].kill()
    led.append("r1", 21, 10)
    wait_for(lambda: led.cosigned_size() == 30, 30, "cosigned size 30")
    v = run(env, "verify", "--dir", led.dir, "--policy", offline)
    assert v.returncode == 1
    assert "quorum not met" in v.stderr
    assert "missing: w2.example w3.example" in v.stderr
    assert "signed: w1.example" in v.stderr
    j = json.loads(run(env, "verify", "--dir", led.dir, "--policy", offline,
                       "--json").stdout)
    assert j["accepted"] is False and j["size"] == 30
    assert [w["cosigned"] for w in j["witnesses"]] == [True, False, False]
    led.append("r1", 31, 5)
    wait_for(lambda: led.cosigned_size() == 35, 30, "cosigned size 35")

    # a witness back: the client asks again (backoff) and quorum returns
    ws[1].start()
    wait_for(lambda: len(led.cosigners(keys)) >= 2, 60,
             "quorum again after restart")
    v = run(env, "verify", "--dir", led.dir, "--policy", offline)
    assert v.returncode == 0, v.stdout + v.stderr

    # audit with the policy: the replay and the quorum
    a = run(env, "--dir", led.dir, "audit", "--vkey",
            env.write("log.vkey", env.vkey("log") + "\n"), "--keys",
            env.write("r.keys", env.vkey("r1") + "\n"), "--policy", offline)
    assert a.returncode == 0, a.stderr
    assert "audit OK: 35 entries" in a.stdout
    assert "quorum OK" in a.stdout
