# SPDX-License-Identifier: GPL-2.0-or-later
"""Keys stay private and files are never written through a planted link:
keygen, the checkpoint temp file and the pidfile are created with
O_EXCL|O_NOFOLLOW in a directory we own; unsafe directories are refused;
a group/world-readable private key is warned about; --allow-key refuses a
private key."""
import os
import subprocess

import pytest

NOBODY = 65534


def keygen(bins, name, out):
    return subprocess.run([bins["ledger"], "keygen", name, "--out", out],
                          capture_output=True, text=True)


def test_keygen_does_not_follow_planted_symlink(bins, tmp_path):
    out = tmp_path / "keys"
    out.mkdir(mode=0o700)
    leak = tmp_path / "leak"
    leak.write_text("")
    os.symlink(leak, out / "r1.key.tmp")  # planted by an attacker
    r = keygen(bins, "r1", str(out))
    assert r.returncode == 0, r.stderr
    assert leak.read_text() == ""  # nothing written through the link
    key = (out / "r1.key").read_text()
    assert key.startswith("PRIVATE+KEY+r1+")
    assert not os.path.islink(out / "r1.key")
    assert os.stat(out / "r1.key").st_mode & 0o777 == 0o600


def test_keygen_refuses_unsafe_directories(bins, tmp_path):
    other = tmp_path / "theirs"
    other.mkdir(mode=0o700)
    os.chown(other, NOBODY, NOBODY)
    r = keygen(bins, "r1", str(other))
    assert r.returncode == 1
    assert f"refusing to write into {other}: owned by uid {NOBODY}" in r.stderr
    assert not (other / "r1.key").exists()
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o1777)
    r = keygen(bins, "r1", str(shared))
    assert r.returncode == 1
    assert "writable by group or others (mode 1777)" in r.stderr
    link = tmp_path / "link"
    os.symlink(tmp_path / "keys-elsewhere", link)
    (tmp_path / "keys-elsewhere").mkdir(mode=0o700)
    r = keygen(bins, "r1", str(link))
    assert r.returncode == 1 and "is not a directory" in r.stderr


def test_checkpoint_and_pidfile_temp_not_followed(bins, keys, ledgerd,
                                                  tmp_path):
    os.makedirs(ledgerd.dir, mode=0o750)
    leak = tmp_path / "leak"
    leak.write_text("")
    os.symlink(leak, os.path.join(ledgerd.dir, "checkpoint.tmp"))
    os.symlink(leak, os.path.join(ledgerd.dir, "published.tmp"))
    ledgerd.start(origins=["r1"])
    assert ledgerd.stop() == 0
    assert leak.read_text() == ""
    with open(os.path.join(ledgerd.dir, "checkpoint")) as f:
        assert f.read().split("\n")[1] == "0"

    run = tmp_path / "run"
    run.mkdir(mode=0o755)
    os.symlink(leak, run / "ledgerd.pid.tmp")
    with open(tmp_path / "err", "w") as err:  # the daemon keeps it open
        r = subprocess.run([bins["ledgerd"], "--dir", ledgerd.dir, "--key",
                            keys.make("log"), "--socket", ledgerd.sock,
                            "--daemon", "--pidfile",
                            str(run / "ledgerd.pid")],
                           stderr=err, timeout=20)
    assert r.returncode == 0, (tmp_path / "err").read_text()
    pid = int((run / "ledgerd.pid").read_text())
    try:
        assert leak.read_text() == ""
    finally:
        os.kill(pid, 15)
    # a pidfile directory of another user is refused
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o755)
    os.chown(theirs, NOBODY, NOBODY)
    r = subprocess.run([bins["ledgerd"], "--dir", str(tmp_path / "db2"),
                        "--key", keys.make("log"), "--socket",
                        str(tmp_path / "s2"), "--daemon", "--pidfile",
                        str(theirs / "ledgerd.pid")],
                       capture_output=True, text=True, timeout=20)
    assert r.returncode == 1
    assert "owned by uid 65534" in r.stderr


def test_exposed_private_key_warned(bins, keys, ledgerd):
    os.chmod(keys.make("log"), 0o640)
    ledgerd.start(origins=["r1"])
    assert ledgerd.stop() == 0
    assert "private key" in ledgerd.log()
    assert "is readable by group or others (chmod 600 it)" in ledgerd.log()


def test_allow_key_refuses_private_key(bins, keys, ledgerd):
    ledgerd.start(extra=["--allow-key", keys.make("r1")], wait=False)
    assert ledgerd.proc.wait(timeout=20) == 1
    assert "is a private key: give the router's .vkey instead" in ledgerd.log()
    ledgerd.proc = None


def test_import_warns_on_exposed_log_key(bins, keys, tmp_path):
    key = keys.make("log")
    os.chmod(key, 0o644)
    rec = tmp_path / "r.jsonl"
    rec.write_text("")
    r = subprocess.run([bins["ledger"], "--dir", str(tmp_path / "db"),
                        "import", "--log-key", key, "--origin", "log",
                        str(rec)], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert f"warning: private key {key} is readable by group or others" \
        in r.stderr
