# SPDX-License-Identifier: GPL-2.0-or-later
"""Crash safety: exporters keep writing while cfn-ledgerd is SIGKILLed at
random moments, 50+ times.  Afterwards every acknowledged record is in the
log exactly once at the index it was acknowledged with, nothing is
duplicated, no sequence number is missing, and the tree and checkpoint
verify."""
import os
import random
import signal
import subprocess
import time

from ledger_helpers import audit, read_log

ORIGINS = [f"r-{i}" for i in range(4)]
PER_ORIGIN = 3000
KILLS = 55


def test_sigkill_during_load(bins, keys, ledgerd, procs, tmp_path):
    for o in ORIGINS:
        keys.make(o)
    spool = tmp_path / "spool"
    spool.mkdir()
    acks_path = tmp_path / "acks"
    ledgerd.start(origins=ORIGINS, extra=["--checkpoint-interval", "1"])
    with open(acks_path, "w") as acks:
        drv = subprocess.Popen(
            [bins["driver"], "--socket", ledgerd.sock, "--key-dir",
             keys.dir, "--origin", "r", "--exporters", str(len(ORIGINS)),
             "--count", str(PER_ORIGIN), "--rate", "250", "--spool",
             str(spool), "--print-acks", "--timeout", "110"],
            stdout=acks, stderr=subprocess.PIPE, text=True)
        procs.append(drv)
        rnd = random.Random(5)
        recoveries = 0
        for k in range(KILLS):
            time.sleep(rnd.uniform(0.02, 0.25))
            assert ledgerd.kill() == -signal.SIGKILL
            if k % 10 == 9:
                # what a write cut short by a crash leaves behind: the
                # start of a frame that was never acknowledged
                with open(os.path.join(ledgerd.dir, "log"), "ab") as f:
                    f.write(b"\0\0\0\x90" + rnd.randbytes(rnd.randint(0, 40)))
            ledgerd.start()
            recoveries += 1
        _, err = drv.communicate(timeout=120)
        assert drv.returncode == 0, err
    assert recoveries == KILLS
    assert ledgerd.stop() == 0

    acked = {}
    with open(acks_path) as f:
        for line in f:
            origin, seq, index, status = line.split()
            assert status in ("0", "1"), line
            key = (origin, int(seq))
            # a resend after a crash is answered with the same index
            assert acked.setdefault(key, int(index)) == int(index), line
    assert len(acked) == len(ORIGINS) * PER_ORIGIN

    entries = read_log(bins, ledgerd.dir)
    where = {}
    for i, e in enumerate(entries):
        assert e["index"] == i
        key = (e["origin"], e["seq"])
        assert key not in where, f"duplicate {key}"
        where[key] = i
    # nothing lost, nothing extra, each at its acknowledged index
    assert where == acked
    for o in ORIGINS:
        seqs = [e["seq"] for e in entries if e["origin"] == o]
        assert seqs == list(range(1, PER_ORIGIN + 1)), f"order/gap in {o}"

    r = audit(bins, keys, ledgerd.dir, ORIGINS)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"{len(acked)} entries" in r.stdout
    # every restart recovered; the torn tails were cut off
    assert ledgerd.log().count("serving ") == KILLS + 1
    assert ledgerd.log().count("torn tail") >= KILLS // 10
    # a proof for some entry verifies against the final checkpoint
    idx = str(len(entries) // 2)
    proof = tmp_path / "proof.json"
    with open(proof, "w") as f:
        subprocess.run([bins["ledger"], "--dir", ledgerd.dir, "prove",
                        "inclusion", idx, "--json"], stdout=f, check=True)
    cp = os.path.join(ledgerd.dir, "checkpoint")
    v = subprocess.run([bins["ledger"], "verify", "--vkey",
                        keys.vkey("log"), "--checkpoint", cp, "--proof",
                        str(proof)], capture_output=True, text=True)
    assert v.returncode == 0, v.stdout + v.stderr
