# SPDX-License-Identifier: GPL-2.0-or-later
"""cfn-ledgerd as a service: daemon mode and pidfile, socket mode/owner,
SIGUSR1 checkpoints, group commit across clients, and a full disk (write
failure) being fatal without acknowledging what was not written."""
import os
import signal
import stat
import subprocess
import tempfile
import time

import pytest

from ledger_helpers import read_log


def wait_for(pred, timeout=10, what="condition"):
    end = time.time() + timeout
    while time.time() < end:
        if pred():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def pid_alive(pid):
    """Running (a zombie counts as gone: the daemon's parent exited and the
    sandbox's init may not reap it)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_daemon_mode_pidfile_socket_owner(bins, keys, tmp_path):
    pidfile = tmp_path / "ledgerd.pid"
    sock = tmp_path / "s"
    log = open(tmp_path / "err", "w")
    r = subprocess.run([bins["ledgerd"], "--dir", str(tmp_path / "db"),
                        "--key", keys.make("log"), "--socket", str(sock),
                        "--allow-key", keys.vkey("r1"), "--daemon",
                        "--pidfile", str(pidfile), "--socket-mode", "0660",
                        "--socket-owner", "nobody:nogroup"],
                       stderr=log, timeout=10)
    log.close()
    # the parent returns once the daemon is ready
    assert r.returncode == 0
    pid = int(pidfile.read_text())
    try:
        assert pid_alive(pid) and pid != r.returncode
        st = os.stat(sock)
        assert stat.S_ISSOCK(st.st_mode)
        assert st.st_mode & 0o777 == 0o660
        assert (st.st_uid, st.st_gid) == (65534, 65534)
        d = subprocess.run([bins["driver"], "--socket", str(sock), "--key",
                            keys.make("r1"), "--origin", "r1", "--count",
                            "20"], capture_output=True, text=True)
        assert d.returncode == 0, d.stderr
    finally:
        if pid_alive(pid):
            os.kill(pid, signal.SIGTERM)
        wait_for(lambda: not pid_alive(pid), what="daemon exit")
    # a clean stop removes pidfile and socket and leaves a checkpoint
    assert not pidfile.exists() and not sock.exists()
    cp = (tmp_path / "db" / "checkpoint").read_text()
    assert cp.split("\n")[1] == "20"


def test_sigusr1_checkpoint(bins, keys, ledgerd):
    ledgerd.start(origins=["r1"], extra=["--checkpoint-interval", "0"])
    cp = os.path.join(ledgerd.dir, "checkpoint")
    before = open(cp).read()
    assert before.split("\n")[1] == "0"
    d = subprocess.run([bins["driver"], "--socket", ledgerd.sock, "--key",
                        keys.make("r1"), "--origin", "r1", "--count", "9"],
                       capture_output=True, text=True)
    assert d.returncode == 0, d.stderr
    time.sleep(0.2)
    assert open(cp).read() == before  # no interval: not yet
    os.kill(ledgerd.proc.pid, signal.SIGUSR1)
    wait_for(lambda: open(cp).read().split("\n")[1] == "9",
             what="checkpoint after SIGUSR1")
    v = subprocess.run([bins["ledger"], "verify", "--vkey",
                        keys.vkey("log"), "--checkpoint", cp],
                       capture_output=True, text=True)
    assert v.returncode == 0, v.stdout + v.stderr


def test_group_commit_across_clients(bins, keys, ledgerd, procs):
    """Records of several clients waiting together share fsyncs."""
    origins = [f"g-{i}" for i in range(4)]
    ledgerd.start(origins=origins)
    # hold the daemon while all four clients queue their records
    os.kill(ledgerd.proc.pid, signal.SIGSTOP)
    try:
        ds = [subprocess.Popen([bins["driver"], "--socket", ledgerd.sock,
                                "--key", keys.make(o), "--origin", o,
                                "--count", "10"], stderr=subprocess.PIPE,
                               text=True) for o in origins]
        procs.extend(ds)
        time.sleep(0.5)
    finally:
        os.kill(ledgerd.proc.pid, signal.SIGCONT)
    for d in ds:
        _, err = d.communicate(timeout=30)
        assert d.returncode == 0, err
    assert ledgerd.stop() == 0
    tail = ledgerd.log().strip().splitlines()[-1]
    n_commits = int(tail.split()[-2])
    assert "40 records received" in tail
    # one fsync per record would be 40
    assert 1 <= n_commits < 20, tail
    assert len(read_log(bins, ledgerd.dir)) == 40


@pytest.fixture
def small_fs():
    d = tempfile.mkdtemp(prefix="cfn-ledger-full-")
    r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs",
                        d], capture_output=True, text=True)
    if r.returncode != 0:
        os.rmdir(d)
        pytest.fail("cannot mount a tmpfs (root needed): " + r.stderr)
    try:
        yield d
    finally:
        subprocess.run(["umount", "-l", d])
        os.rmdir(d)


def test_disk_full_is_fatal(bins, keys, ledgerd, small_fs, tmp_path):
    ledgerd.dir = os.path.join(small_fs, "db")
    ledgerd.start(origins=["r1"])
    d = subprocess.run([bins["driver"], "--socket", ledgerd.sock, "--key",
                        keys.make("r1"), "--origin", "r1", "--count",
                        "3000", "--print-acks", "--timeout", "5"],
                       capture_output=True, text=True)
    assert d.returncode != 0  # not everything could be acknowledged
    rc = ledgerd.proc.wait(timeout=10)
    assert rc == 1
    assert "FATAL" in ledgerd.log()
    ledgerd.kill()
    acked = [int(l.split()[2]) for l in d.stdout.splitlines()]
    assert 0 < len(acked) < 3000
    # whatever was acknowledged is in the log (read-only view)
    entries = read_log(bins, ledgerd.dir)
    assert len(entries) >= len(acked)
    assert [e["seq"] for e in entries[:len(acked)]] == list(
        range(1, len(acked) + 1))


def test_out_of_descriptors_recovers(bins, keys, ledgerd):
    """More clients than file descriptors: accept fails and is paused
    (logged), the daemon keeps running and serves again once clients
    leave."""
    import socket
    ledgerd.start(origins=["r1"], nofile=24)
    socks = []
    try:
        for _ in range(40):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.connect(ledgerd.sock)
            socks.append(s)
        wait_for(lambda: "Too many open files" in ledgerd.log(),
                 what="EMFILE in the log")
        assert ledgerd.proc.poll() is None
        time.sleep(0.3)
        # paused, not spinning on accept() (that logs thousands of lines)
        assert ledgerd.log().count("Too many open files") < 100
    finally:
        for s in socks:
            s.close()
    d = subprocess.run([bins["driver"], "--socket", ledgerd.sock, "--key",
                        keys.make("r1"), "--origin", "r1", "--count", "5",
                        "--timeout", "20"], capture_output=True, text=True)
    assert d.returncode == 0, d.stderr
    assert ledgerd.stop() == 0


SYSLOG_NS = r'''
import os, socket, subprocess, sys
tmp, ledgerd, keyfile, db, sock = sys.argv[1:6]
# a private /dev with only null and our own /dev/log: the test sees the
# daemon's syslog datagrams without touching the host's /dev
old = os.path.join(tmp, "olddev")
os.mkdir(old)
subprocess.run(["mount", "--bind", "/dev", old], check=True)
subprocess.run(["mount", "-t", "tmpfs", "tmpfs", "/dev"], check=True)
open("/dev/null", "w").close()
subprocess.run(["mount", "--bind", old + "/null", "/dev/null"], check=True)
log = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
log.bind("/dev/log")
log.settimeout(10)
d = subprocess.Popen([ledgerd, "--dir", db, "--key", keyfile, "--socket",
                      sock, "--syslog"], stderr=subprocess.PIPE)
got = []
try:
    while not any(b"serving" in g for g in got):
        got.append(log.recv(4096))
finally:
    d.terminate()
    err = d.communicate(timeout=10)[1]
while not any(b"stopped" in g for g in got):
    got.append(log.recv(4096))
sys.stdout.write(repr((got, err, d.returncode)))
'''


def test_syslog(bins, keys, tmp_path):
    if subprocess.run(["unshare", "--mount", "--propagation", "private",
                       "true"]).returncode != 0:
        pytest.fail("unshare --mount is needed (root)")
    r = subprocess.run(["unshare", "--mount", "--propagation", "private",
                        "/usr/bin/python3", "-c", SYSLOG_NS, str(tmp_path),
                        bins["ledgerd"], keys.make("log"),
                        str(tmp_path / "db"), str(tmp_path / "s")],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    got, err, rc = eval(r.stdout)
    assert rc == 0
    assert err == b""  # nothing on stderr with --syslog
    text = b"\n".join(got).decode()
    # facility daemon (3): <3*8+5> notice, with the program name and pid
    assert "<29>" in text and "cfn-ledgerd[" in text
    assert "serving " in text and "stopped: 0 entries" in text
