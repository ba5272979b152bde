# SPDX-License-Identifier: GPL-2.0-or-later
"""Offline proofs of a decision (c2sp.org/tlog-proof@v1) and tamper
evidence: flipping any single byte of a cosigned checkpoint, a policy
line or a proof file is detected."""
import os
import shutil

import tlogpy
from witness_helpers import (Ledger, Witness, log_policy, quorum_policy,
                             run, wait_for)


def flip(data, i):
    b = bytearray(data)
    b[i] ^= 0x01
    return bytes(b)


def setup_ledger(env, k):
    wp = log_policy(env)
    ws = [Witness(env, f"w{i}.example", wp).start() for i in (1, 2, 3)]
    pol = quorum_policy(env, ws, k, "ledger.policy")
    keys = [tlogpy.Key.from_vkey(env.witness_vkey(w.name)) for w in ws]
    led = Ledger(env).start(pol)
    led.append("r1", 1, 7)
    wait_for(lambda: led.cosigned_size() == 7 and
             len(led.cosigners(keys)) == 3, 30, "cosigned size 7")
    led.stop()
    return ws, keys, led


def test_prove_and_verify_offline(env):
    ws, keys, led = setup_ledger(env, "all")
    pol = quorum_policy(env, ws, 2, "verify.policy", urls=False)
    out = os.path.join(env.tmp, "r1-5.tlog-proof")
    p = run(env, "--dir", led.dir, "prove", "decision", "r1", "5", "--out",
            out)
    assert p.returncode == 0, p.stderr
    # the ledger is gone: the proof stands alone
    shutil.rmtree(led.dir)
    v = run(env, "verify-proof", out, "--policy", pol)
    assert v.returncode == 0, v.stderr
    assert "decision r1 seq 5 is entry 4" in v.stdout
    assert "quorum OK" in v.stdout

    # the independent implementation agrees, from the spec text
    text = open(out).read()
    lines = text.split("\n")
    assert lines[0] == "c2sp.org/tlog-proof@v1"
    assert lines[1].startswith("extra ") and lines[2] == "index 4"
    record = tlogpy.unb64(lines[1][6:])
    i = 3
    proof = []
    while lines[i]:
        proof.append(tlogpy.unb64(lines[i]))
        i += 1
    note = "\n".join(lines[i + 1:])
    logkey = tlogpy.Key.from_vkey(env.vkey("log"))
    body = tlogpy.verify_note(note, logkey)
    origin, size, root = tlogpy.parse_checkpoint(body)
    assert (origin, size) == ("log", 7)
    assert tlogpy.verify_inclusion(tlogpy.leaf_hash(record), 4, size, proof,
                                   root)
    assert len(tlogpy.verify_cosignatures(note, keys)) == 3

    # the cosigned checkpoint alone, as a client holding it checks it
    ck = env.write("ck.note", note)
    v = run(env, "verify", "--checkpoint", ck, "--policy", pol)
    assert v.returncode == 0, v.stderr
    assert "quorum OK: checkpoint of size 7 endorsed" in v.stdout
    one = quorum_policy(env, ws[:1], 1, "one.policy", urls=False)
    assert run(env, "verify", "--checkpoint", ck, "--policy",
               one).returncode == 0
    w4 = quorum_policy(env, [ws[0], ws[1], ws[2]], "all", "all.policy",
                       urls=False)
    stripped = env.write("ck2.note", "".join(
        l for l in note.splitlines(True) if "w2.example" not in l))
    v = run(env, "verify", "--checkpoint", stripped, "--policy", w4)
    assert v.returncode == 1 and "missing: w2.example" in v.stderr

    # a decision not in the ledger
    bad = run(env, "verify-proof", os.path.join(env.tmp, "none"),
              "--policy", pol)
    assert bad.returncode == 1


def test_tamper_detected(env):
    ws, keys, led = setup_ledger(env, "all")
    # checkpoint + cosignatures, with a policy that needs all three
    strict = quorum_policy(env, ws, "all", "strict.policy", urls=False)
    path = os.path.join(led.dir, "checkpoint.cosigned")
    good = open(path, "rb").read()
    assert run(env, "verify", "--dir", led.dir, "--policy",
               strict).returncode == 0
    for i in range(len(good)):
        with open(path, "wb") as f:
            f.write(flip(good, i))
        v = run(env, "verify", "--dir", led.dir, "--policy", strict)
        assert v.returncode == 1, f"cosigned checkpoint byte {i} flipped"
        assert "REFUSED" in v.stderr
    with open(path, "wb") as f:
        f.write(good)

    # proof file
    out = os.path.join(env.tmp, "p.tlog-proof")
    assert run(env, "--dir", led.dir, "prove", "decision", "r1", "3",
               "--out", out).returncode == 0
    proof = open(out, "rb").read()
    assert run(env, "verify-proof", out, "--policy", strict).returncode == 0
    for i in range(len(proof)):
        with open(out, "wb") as f:
            f.write(flip(proof, i))
        v = run(env, "verify-proof", out, "--policy", strict)
        assert v.returncode == 1, f"proof byte {i} flipped: {v.stdout}"

    # policy lines: a proof cosigned by exactly two of three, threshold 2
    two = proof.decode()
    w3 = "\u2014 w3.example "
    two = "".join(l for l in two.splitlines(True) if not l.startswith(w3))
    with open(out, "w") as f:
        f.write(two)
    pol = quorum_policy(env, ws, 2, "two.policy", urls=False)
    ptext = open(pol, "rb").read()
    assert run(env, "verify-proof", out, "--policy", pol).returncode == 0
    for i in range(len(ptext)):
        with open(pol, "wb") as f:
            f.write(flip(ptext, i))
        v = run(env, "verify-proof", out, "--policy", pol)
        assert v.returncode != 0, f"policy byte {i} flipped"
