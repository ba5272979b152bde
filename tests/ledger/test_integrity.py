# SPDX-License-Identifier: GPL-2.0-or-later
"""One flipped bit in every region of a ledger directory (log header,
frame length, CRC and payload inside the published prefix, inside the
acknowledged entries after it, the last entry; the checkpoint's body and
signature; DIR/published; DIR/synced; the leaf and node hash files).  cfn-ledgerd
either refuses to start with a message saying what to do, leaving the
log as it was, or starts and signs a tree that is not smaller than the
one it had published and that audits clean.  It never signs a rollback."""
import os
import shutil
import signal
import struct
import subprocess

import pytest

from ledger_helpers import Ledgerd, audit, log_frames

PUBLISHED = 20
TOTAL = 30


def send(bins, keys, sock, frm, count):
    r = subprocess.run([bins["driver"], "--socket", sock, "--key",
                        keys.make("r1"), "--origin", "r1", "--from",
                        str(frm), "--count", str(count), "--timeout", "20"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


@pytest.fixture(scope="module")
def pristine(tmp_path_factory, bins):
    """TOTAL acknowledged entries, the first PUBLISHED of them published."""
    tmp = tmp_path_factory.mktemp("integrity")
    from ledger_helpers import Keys
    keys = Keys(bins, str(tmp / "keys"))
    d = Ledgerd(bins, keys, str(tmp))
    try:
        d.start(origins=["r1"])
        send(bins, keys, d.sock, 1, PUBLISHED)
        assert d.stop() == 0  # checkpoint of PUBLISHED entries
        d.start()
        send(bins, keys, d.sock, PUBLISHED + 1, TOTAL - PUBLISHED)
        assert d.kill() == -signal.SIGKILL  # acknowledged, not published
    finally:
        d.kill()
    return keys, d.dir


def checkpoint_size(db):
    with open(os.path.join(db, "checkpoint")) as f:
        return int(f.read().split("\n")[1])


def region_offset(db, region):
    fr = [off for off, _ in log_frames(os.path.join(db, "log"))[1]]
    assert len(fr) == TOTAL
    if region == "log-magic":
        return "log", 3
    if region == "published-entry-length":
        return "log", fr[5] + 2
    if region == "published-entry-crc":
        return "log", fr[5] + 6
    if region == "published-entry-payload":
        return "log", fr[5] + 40
    if region == "acked-entry-length":
        return "log", fr[24] + 3
    if region == "acked-entry-crc":
        return "log", fr[24] + 5
    if region == "acked-entry-payload":
        return "log", fr[24] + 60
    if region == "last-entry-payload":
        return "log", fr[TOTAL - 1] + 60
    if region == "checkpoint-body":
        return "checkpoint", 6
    if region == "checkpoint-signature":
        return "checkpoint", os.path.getsize(os.path.join(db, "checkpoint")) - 8
    if region == "published-size":
        return "published", 8
    if region == "published-root":
        return "published", 14
    if region == "synced":
        return "synced", 3
    if region == "leaves":
        return "leaves", 32 * 7 + 1
    if region == "leaves-nodes":
        return "leaves.nodes", 32 * 3 + 1
    raise AssertionError(region)


# region -> None (must start) or the words of its refusal
CASES = {
    "log-magic": "not a CFN ledger log",
    "published-entry-length": "refusing to truncate",
    "published-entry-crc": "refusing to truncate",
    "published-entry-payload": "refusing to truncate",
    "acked-entry-length": "synced and acknowledged",
    "acked-entry-crc": "synced and acknowledged",
    "acked-entry-payload": "synced and acknowledged",
    # DIR/synced says it was synced: not a torn write
    "last-entry-payload": "synced and acknowledged",
    "checkpoint-body": None,
    # the fork of issue 16: the checkpoint file no longer says how far we
    # signed, yet DIR/published does
    "checkpoint-body+published-entry-payload": "refusing to truncate",
    "checkpoint-signature": None,
    "published-size": "published is damaged",
    "published-root": "published is damaged",
    "synced": None,  # a hint only: a torn one is ignored
    "leaves": None,
    "leaves-nodes": None,
}


@pytest.mark.parametrize("region", sorted(CASES))
def test_bit_flip(bins, pristine, tmp_path, region):
    keys, src = pristine
    d = Ledgerd(bins, keys, str(tmp_path))
    shutil.copytree(src, d.dir)
    for part in region.split("+"):
        name, off = region_offset(d.dir, part)
        with open(os.path.join(d.dir, name), "r+b") as f:
            f.seek(off)
            c = f.read(1)
            f.seek(off)
            f.write(bytes([c[0] ^ 0x08]))
    with open(os.path.join(d.dir, "log"), "rb") as f:
        before = f.read()
    want = CASES[region]
    try:
        if want:
            d.start(origins=["r1"], wait=False)
            assert d.proc.wait(timeout=20) == 1
            assert want in d.log()
            if "published" in want or "entries" in want or "truncate" in want:
                assert "doc/ledger-repair.md" in d.log()
            with open(os.path.join(d.dir, "log"), "rb") as f:
                assert f.read() == before, "the log was changed"
            d.proc = None
            d.log_fh.close()
            return
        d.start(origins=["r1"])
        assert d.stop() == 0
    finally:
        d.kill()
    # never a smaller tree than the one published
    size = checkpoint_size(d.dir)
    assert size >= PUBLISHED
    assert size == TOTAL
    r = audit(bins, keys, d.dir, ["r1"])
    assert r.returncode == 0, r.stdout + r.stderr
