# SPDX-License-Identifier: GPL-2.0-or-later
"""Crash plus page-cache loss.  tests/ledger/crashsim.c (LD_PRELOAD) keeps
a copy of each file of the ledger directory as of its last fsync; after a
SIGKILL the test puts back only those copies, as a power cut would.

The case: a writer died after write(2)ing an entry but before its fsync,
so the entry is in the page cache only.  The next cfn-ledgerd must make
it durable before it signs a checkpoint over it or acknowledges it (as a
duplicate) to the exporter that resends it; otherwise the power cut
leaves a checkpoint larger than the log, or an acknowledged record
missing."""
import os
import shutil
import signal
import struct
import subprocess

import pytest

from ledger_helpers import audit, log_frames, read_log

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture(scope="module")
def shim(tmp_path_factory):
    out = str(tmp_path_factory.mktemp("crashsim") / "crashsim.so")
    subprocess.run(["cc", "-O1", "-Wall", "-shared", "-fPIC", "-o", out,
                    os.path.join(HERE, "crashsim.c"), "-ldl"], check=True)
    return out


def start_durable(d, shadow):
    """Everything in d is durable now (names and contents)."""
    shutil.copytree(d, shadow, dirs_exist_ok=True)
    with open(os.path.join(shadow, ".dirlist"), "w") as f:
        f.write("".join(n + "\n" for n in os.listdir(d)))


def power_cut(d, shadow):
    """Only what was fsync'd survives: the names of the last directory
    fsync, each with the content of its last fsync (else empty)."""
    with open(os.path.join(shadow, ".dirlist")) as f:
        names = f.read().split()
    for name in os.listdir(d):
        os.unlink(os.path.join(d, name))
    for name in names:
        src = os.path.join(shadow, name)
        if os.path.exists(src):
            shutil.copy(src, os.path.join(d, name))
        else:
            open(os.path.join(d, name), "w").close()


def send(bins, keys, sock, count):
    return subprocess.run([bins["driver"], "--socket", sock, "--key",
                           keys.make("r1"), "--origin", "r1", "--count",
                           str(count), "--print-acks", "--timeout", "20"],
                          capture_output=True, text=True)


def test_recovered_entry_is_synced_before_use(bins, keys, ledgerd, shim,
                                              tmp_path):
    # the 21st frame, as another ledger wrote it (records are
    # deterministic: same key, same seq, same bytes)
    other = type(ledgerd)(bins, keys, str(tmp_path / "other"))
    os.makedirs(str(tmp_path / "other"))
    other.start(origins=["r1"])
    assert send(bins, keys, other.sock, 21).returncode == 0
    assert other.stop() == 0
    data, fr = log_frames(os.path.join(other.dir, "log"))
    assert len(fr) == 21
    off, n = fr[20]
    frame21 = data[off:off + n]

    ledgerd.start(origins=["r1"])
    assert send(bins, keys, ledgerd.sock, 20).returncode == 0
    assert ledgerd.stop() == 0
    db = os.path.realpath(ledgerd.dir)
    shadow = str(tmp_path / "shadow")
    start_durable(db, shadow)
    # a writer died between write(2) and fsync: page cache only
    with open(os.path.join(db, "log"), "ab") as f:
        f.write(frame21)

    env = dict(os.environ, LD_PRELOAD=shim, CRASHSIM_DIR=db,
               CRASHSIM_SHADOW=shadow)
    args = [bins["ledgerd"], "--dir", db, "--key", keys.make("log"),
            "--socket", ledgerd.sock, "--allow-key", keys.vkey("r1")]
    with open(ledgerd.logfile, "a") as log:
        p = subprocess.Popen(args, env=env, stderr=log)
    try:
        ledgerd.proc = p
        ledgerd.log_fh = open(os.devnull, "w")
        ledgerd.wait_ready()
        # the exporter resends seq 21 and is told it is durable
        r = send(bins, keys, ledgerd.sock, 21)
        assert r.returncode == 0, r.stderr
        assert "r1 21 20 1" in r.stdout  # duplicate, index 20
        # a checkpoint was signed over 21 entries at start
        with open(os.path.join(db, "checkpoint")) as f:
            assert f.read().split("\n")[1] == "21"
    finally:
        ledgerd.kill(signal.SIGKILL)

    power_cut(db, shadow)

    ledgerd.start(origins=["r1"])  # fails if the log lost entry 20
    assert ledgerd.stop() == 0
    entries = read_log(bins, db)
    assert [e["seq"] for e in entries] == list(range(1, 22))
    r = audit(bins, keys, db, ["r1"])
    assert r.returncode == 0, r.stdout + r.stderr
    assert "size 21" in r.stdout


def test_spool_name_survives_power_cut(bins, keys, shim, tmp_path):
    """The exporter's spool: its records were fsync'd, and so must be its
    name (a directory fsync when the file is created), or a power cut
    loses every spooled record."""
    d = os.path.realpath(str(tmp_path / "spool"))
    os.makedirs(d)
    shadow = str(tmp_path / "shadow")
    os.makedirs(shadow)
    start_durable(d, shadow)
    env = dict(os.environ, LD_PRELOAD=shim, CRASHSIM_DIR=d,
               CRASHSIM_SHADOW=shadow)
    # no ledger: the records go to the spool, fsync'd, then it gives up
    r = subprocess.run([bins["driver"], "--socket",
                        str(tmp_path / "nobody.sock"), "--key",
                        keys.make("r1"), "--origin", "r1", "--count", "5",
                        "--spool", d, "--timeout", "1"],
                       env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    power_cut(d, shadow)
    spools = [n for n in os.listdir(d) if not n.endswith(".seq")]
    assert spools, "the spool file's name was lost"
    with open(os.path.join(d, spools[0]), "rb") as f:
        data = f.read()
    seqs, pos = [], 0
    while pos + 16 <= len(data):
        n, _, seq = struct.unpack(">IIQ", data[pos:pos + 16])
        seqs.append(seq)
        pos += 16 + n
    assert seqs == [1, 2, 3, 4, 5]
