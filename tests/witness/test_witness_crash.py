# SPDX-License-Identifier: GPL-2.0-or-later
"""Witness crash: two branches of one log (same key, a common prefix,
then different leaves) race to extend the witness's view while it is
SIGKILLed again and again and restarted.  Whatever the interleaving, it
never cosigns checkpoints of both branches: its state is durable before
a cosignature leaves."""
import threading
import time
import urllib.error
import urllib.request

import tlogpy
from witness_helpers import Witness, wait_for

COMMON = 8
TOP = 3000


def post(url, body):
    req = urllib.request.Request(url + "/add-checkpoint", data=body,
                                 method="POST")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def test_sigkill_never_two_views(env):
    log = tlogpy.Key.generate("example.com/crash", tlogpy.ALG_NOTE)
    pol = env.write("w.policy", f"log {log.vkey()}\nquorum none\n")
    w = Witness(env, "w.example", pol).start()
    wkey = tlogpy.Key.from_vkey(env.witness_vkey("w.example"))
    base = [tlogpy.leaf_hash(b"c%d" % i) for i in range(COMMON)]
    branches = {
        b: base + [tlogpy.leaf_hash(b"%s%d" % (b.encode(), i))
                   for i in range(COMMON, TOP)] for b in ("h", "f")}

    def ck(b, n):
        return tlogpy.sign_note(tlogpy.checkpoint_body(
            "example.com/crash", n, tlogpy.mth(branches[b][:n])), log)

    st, _ = post(w.url, tlogpy.add_checkpoint_body(0, [], ck("h", COMMON)))
    assert st == 200
    cosigned = []  # (branch, size, note + cosignature)
    stop = threading.Event()
    lock = threading.Lock()

    def submitter(b):
        known, n = COMMON, COMMON + 1
        leaves = branches[b]
        while not stop.is_set() and n <= TOP:
            note = ck(b, n)
            proof = tlogpy.consistency_proof(leaves[:n], known) \
                if 0 < known < n else []
            try:
                st, body = post(w.url, tlogpy.add_checkpoint_body(
                    known, proof, note))
            except OSError:
                time.sleep(0.02)  # witness down: try again
                continue
            if st == 200:
                with lock:
                    cosigned.append((b, n, note + body.decode()))
                known, n = n, n + 1
            elif st == 409 and body.strip().isdigit():
                known = int(body)
                if known >= n:
                    n = known + 1
            else:
                n += 1  # refused (422): try the next size
        return

    threads = [threading.Thread(target=submitter, args=(b,))
               for b in ("h", "f")]
    for t in threads:
        t.start()
    kills = 0
    try:
        while any(t.is_alive() for t in threads) and kills < 8:
            # let some cosignatures through between kills
            n0 = len(cosigned)
            wait_for(lambda: len(cosigned) > n0 or
                     not any(t.is_alive() for t in threads), 30,
                     "progress")
            time.sleep(0.05 * (kills % 3))
            w.kill()
            kills += 1
            w.start()
    finally:
        stop.set()
        for t in threads:
            t.join(60)
    assert kills == 8
    # every answer is a valid cosignature of what was submitted
    for b, n, note in cosigned:
        assert "w.example" in tlogpy.verify_cosignatures(note, [wkey])
    beyond = {b for b, n, _ in cosigned}
    assert len(beyond) == 1, f"cosigned both branches: {cosigned}"
    assert len(cosigned) >= 3
    # and after all that, the witness still refuses the other branch
    winner = beyond.pop()
    loser = "f" if winner == "h" else "h"
    size = max(n for _, n, _ in cosigned)
    st, _ = post(w.url, tlogpy.add_checkpoint_body(
        size, [], ck(loser, size)))
    assert st == 409
    wait_for(lambda: w.evidence(), 10, "evidence")
