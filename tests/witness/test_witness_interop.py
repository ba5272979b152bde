# SPDX-License-Identifier: GPL-2.0-or-later
"""Interop with an independent implementation written from the spec text
(tlogpy.py), both directions: a Python log client against cfn-witness
(every status code of tlog-witness, cosignatures checked in Python), and
cfn-ledgerd against Python witnesses (their cosignatures checked by
cfn-ledger verify)."""
import os
import urllib.error
import urllib.request

import tlogpy
from witness_helpers import (Ledger, Witness, log_policy, run, wait_for)


def post(url, body, method="POST"):
    req = urllib.request.Request(url + "/add-checkpoint", data=body,
                                 method=method)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers.get("Content-Type"), r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type"), e.read()


def tree(n, tag):
    return [tlogpy.leaf_hash(f"{tag}{i}".encode()) for i in range(n)]


def test_python_client_against_cfn_witness(env):
    log = tlogpy.Key.generate("example.com/py-log", tlogpy.ALG_NOTE)
    other = tlogpy.Key.generate("example.com/py-log", tlogpy.ALG_NOTE)
    pol = env.write("w.policy", f"log {log.vkey()}\nquorum none\n")
    w = Witness(env, "w.example", pol).start()
    wkey = tlogpy.Key.from_vkey(env.witness_vkey("w.example"))
    assert wkey.alg == tlogpy.ALG_COSIG
    h = tree(40, "h")

    def ck(leaves, n, key=log, origin="example.com/py-log"):
        return tlogpy.sign_note(
            tlogpy.checkpoint_body(origin, n, tlogpy.mth(leaves[:n])), key)

    def add(old, n, leaves=h, key=log, proof=None, origin=None):
        note = ck(leaves, n, key, origin or "example.com/py-log")
        if proof is None:
            proof = tlogpy.consistency_proof(leaves[:n], old) if old else []
        return note, post(w.url, tlogpy.add_checkpoint_body(old, proof,
                                                            note))

    note, (st, _, body) = add(0, 10)
    assert st == 200
    line = body.decode()
    assert line.startswith("\u2014 w.example ") and line.endswith("\n")
    got = tlogpy.verify_cosignatures(note + line, [wkey])
    assert list(got) == ["w.example"]
    # 409 carries the witness's size, as text/x.tlog.size
    _, (st, ctype, body) = add(0, 20)
    assert (st, ctype, body) == (409, "text/x.tlog.size", b"10\n")
    note, (st, _, body) = add(10, 20)
    assert st == 200
    assert tlogpy.verify_cosignatures(note + body.decode(), [wkey])
    # unknown origin 404, no trusted signature 403, old > size 400
    assert add(0, 5, origin="example.com/other")[1][0] == 404
    assert add(20, 25, key=other)[1][0] == 403
    assert add(30, 25)[1][0] == 400
    # a consistency proof that does not verify: 422
    bad = tlogpy.consistency_proof(tree(30, "x"), 20)
    assert add(20, 30, proof=bad)[1][0] == 422
    # malformed body 400, wrong method 405, other path 404
    assert post(w.url, b"old 01\n\n")[0] == 400
    assert post(w.url, None, method="GET")[0] == 405
    st = urllib.request.Request(w.url + "/other", data=b"x")
    try:
        urllib.request.urlopen(st, timeout=10)
        raise AssertionError("/other answered")
    except urllib.error.HTTPError as e:
        assert e.code == 404
    # same size, same root: cosigned again; other root: 409
    assert add(20, 20)[1][0] == 200
    assert add(20, 20, leaves=tree(20, "y"))[1][0] == 409
    # the witness's state survives a restart
    w.kill()
    w.start()
    _, (st, _, body) = add(0, 30)
    assert (st, body) == (409, b"20\n")


def test_cfn_ledgerd_against_python_witnesses(env):
    logkey = tlogpy.Key.from_vkey(env.vkey("log"))
    pys = []
    try:
        for i in (1, 2, 3):
            k = tlogpy.Key.generate(f"py{i}.example", tlogpy.ALG_COSIG)
            pw = tlogpy.PyWitness(k, [logkey],
                                  os.path.join(env.tmp, f"py{i}.state"))
            pys.append(pw.start())
        # py3 is down from the start: quorum 2 of 3 from the other two
        pys[2].stop()
        lines = [f"log {env.vkey('log')}"]
        for i, pw in enumerate(pys, 1):
            lines.append(f"witness py{i} {pw.key.vkey()} "
                         f"http://127.0.0.1:{pw.port}")
        lines += ["group g 2 py1 py2 py3", "quorum g"]
        pol = env.write("py.policy", "\n".join(lines) + "\n")
        led = Ledger(env).start(pol)
        led.append("r1", 1, 6)
        keys = [pw.key for pw in pys]
        wait_for(lambda: led.cosigned_size() == 6 and
                 len(led.cosigners(keys)) == 2, 30, "python cosignatures")
        v = run(env, "verify", "--dir", led.dir, "--policy", pol)
        assert v.returncode == 0, v.stderr
        assert "witness py1: cosigned" in v.stdout
        assert "witness py3: MISSING" in v.stdout
        # second round: consistency proofs from 6, checked in Python
        led.append("r1", 7, 4)
        wait_for(lambda: led.cosigned_size() == 10 and
                 len(led.cosigners(keys)) == 2, 30, "second round")
        assert pys[0].state["log"][0] == 10
    finally:
        for pw in pys[:2]:
            pw.stop()
