# SPDX-License-Identifier: GPL-2.0-or-later
"""Local clients cannot freeze or exhaust cfn-ledgerd: connection caps
per uid and in total, a HELLO deadline, a mid-frame stall timeout, an
idle timeout, little input buffered before HELLO, and checkpoint
requests that need a HELLO and are coalesced."""
import os
import socket
import struct
import subprocess

from ledger_helpers import (CKPT, CKPT_REQ, ERROR, BATCH, frame, greet,
                            parse_error, read_frames)

E_PROTOCOL, E_PEER, E_STATE = 1, 4, 6


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


def errors(s, timeout=5):
    frames, closed = read_frames(s, timeout=timeout)
    return [parse_error(b) for t, b in frames if t == ERROR], closed


def good_client(bins, keys, sock, frm=1, count=5):
    r = subprocess.run([bins["driver"], "--socket", sock, "--key",
                        keys.make("r1"), "--origin", "r1", "--from",
                        str(frm), "--count", str(count), "--timeout", "20"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_per_uid_cap(bins, keys, ledgerd):
    ledgerd.start(origins=["r1"], extra=["--max-clients-per-uid", "4",
                                         "--hello-timeout", "60"])
    held = [connect(ledgerd.sock) for _ in range(4)]
    s = connect(ledgerd.sock)
    errs, closed = errors(s)
    assert closed and errs[0][0] == E_PEER
    assert "too many clients of uid 0 (4, --max-clients-per-uid)" in errs[0][2]
    for h in held:
        h.close()
    good_client(bins, keys, ledgerd.sock)  # slots free again


def test_total_cap(bins, keys, ledgerd):
    ledgerd.start(origins=["r1"], extra=["--max-clients", "3",
                                         "--hello-timeout", "60"])
    held = [connect(ledgerd.sock) for _ in range(3)]
    errs, closed = errors(connect(ledgerd.sock))
    assert closed and "too many clients (3, --max-clients)" in errs[0][2]
    for h in held:
        h.close()


def test_idle_without_hello_is_cut(bins, keys, ledgerd):
    """300 connections that never say HELLO do not starve a real
    exporter: each is cut at the HELLO deadline."""
    ledgerd.start(origins=["r1"], extra=["--hello-timeout", "0.3"])
    idle = [connect(ledgerd.sock) for _ in range(60)]
    for s in idle:
        errs, closed = errors(s)
        assert closed and errs[0][0] == E_STATE
        assert "no HELLO within 300 ms" in errs[0][2]
        s.close()
    good_client(bins, keys, ledgerd.sock)


def test_stalled_half_frames(bins, keys, ledgerd):
    """Stalled half-frames: after HELLO one is cut after the stall
    timeout; before HELLO a client gets at most 4 KiB buffered, so 200
    of them pushing 1 MiB each hold little memory (206 MB before)."""
    ledgerd.start(origins=["r1"], extra=["--stall-timeout", "0.3",
                                         "--hello-timeout", "60",
                                         "--max-clients", "300",
                                         "--max-clients-per-uid", "300"])
    s = connect(ledgerd.sock)
    s.sendall(greet(s, keys, "r1") + struct.pack(">IBBH", 100000, 1, BATCH, 0)
              + b"\0" * 1000)
    errs, closed = errors(s)
    assert closed and errs[0][0] == E_PROTOCOL
    assert "frame stalled: 1008 bytes of it for 300 ms" in errs[0][2]

    base = rss_kb(ledgerd.proc.pid)
    conns = []
    chunk = struct.pack(">IBBH", 1 << 20, 1, BATCH, 0) + b"\0" * (1 << 20)
    for _ in range(200):
        c = connect(ledgerd.sock)
        c.setblocking(False)
        try:
            c.send(chunk)
        except BlockingIOError:
            pass
        conns.append(c)
    good_client(bins, keys, ledgerd.sock)  # still served, meanwhile
    grown = rss_kb(ledgerd.proc.pid) - base
    assert grown < 20 * 1024, f"daemon grew by {grown} kB"
    for c in conns:
        c.close()


def test_checkpoint_requests_coalesced(bins, keys, ledgerd):
    ledgerd.start(origins=["r1"])
    good_client(bins, keys, ledgerd.sock, count=3)
    cp = os.path.join(ledgerd.dir, "checkpoint")
    s = connect(ledgerd.sock)
    s.sendall(greet(s, keys, "r1") + frame(CKPT_REQ, b"") * 50)
    frames, _ = read_frames(s, timeout=1)
    ino = os.stat(cp).st_ino
    notes = [b for t, b in frames if t == CKPT]
    assert len(notes) >= 1 and len(set(notes)) == 1
    s.sendall(frame(CKPT_REQ, b"") * 50)
    frames, _ = read_frames(s, timeout=1)
    assert [b for t, b in frames if t == CKPT][0] == notes[0]
    # nothing new to sign: answered from the last note, no new file
    assert os.stat(cp).st_ino == ino


def test_idle_exporter_is_closed(bins, keys, ledgerd):
    """An exporter that said HELLO and then nothing is closed after the
    idle timeout (it reconnects when it has records); a subscriber is
    not."""
    ledgerd.start(origins=["r1"], extra=["--idle-timeout", "0.3"])
    s = connect(ledgerd.sock)
    s.sendall(greet(s, keys, "r1"))
    sub = connect(ledgerd.sock)
    sub.sendall(frame(7, struct.pack(">Q", 0)))  # SUBSCRIBE from 0
    frames, closed = read_frames(s, timeout=5)
    assert closed
    assert "idle for 300 ms; closing" in ledgerd.log()
    sub.setblocking(False)
    try:
        assert sub.recv(4096) != b""  # still open (the challenge)
    except BlockingIOError:
        pass
    good_client(bins, keys, ledgerd.sock)
