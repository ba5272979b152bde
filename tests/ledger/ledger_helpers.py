# SPDX-License-Identifier: GPL-2.0-or-later
"""Fixtures for the ledger transport tests: installed binaries (CFN_PREFIX),
the export test driver (CFN_BUILD), keys, and a cfn-ledgerd that is always
stopped by PID, also when a test fails."""
import base64
import hashlib
import json
import os
import signal
import socket
import struct
import subprocess
import time

import pytest


def _need_env(name):
    v = os.environ.get(name)
    if not v:
        pytest.fail(f"{name} is not set (see helper-common.md)")
    return v


@pytest.fixture(scope="session")
def bins():
    prefix = _need_env("CFN_PREFIX")
    build = _need_env("CFN_BUILD")
    b = {
        "ledger": os.path.join(prefix, "bin", "cfn-ledger"),
        "ledgerd": os.path.join(prefix, "sbin", "cfn-ledgerd"),
        "driver": os.path.join(build, "tests", "ledger", "export_driver"),
    }
    for k, p in b.items():
        if not os.access(p, os.X_OK):
            pytest.fail(f"{k}: {p} not found (build and install first)")
    return b


class Keys:
    def __init__(self, bins, d):
        self.bins = bins
        self.dir = d
        os.makedirs(d, exist_ok=True)

    def make(self, name):
        key = os.path.join(self.dir, name + ".key")
        if not os.path.exists(key):
            subprocess.run([self.bins["ledger"], "keygen", name, "--out",
                            self.dir], check=True, capture_output=True)
        return key

    def vkey(self, name):
        self.make(name)
        return os.path.join(self.dir, name + ".vkey")


@pytest.fixture
def keys(bins, tmp_path):
    return Keys(bins, str(tmp_path / "keys"))


class Ledgerd:
    """One cfn-ledgerd process; start()/kill()/stop() by PID."""

    def __init__(self, bins, keys, tmp):
        self.bins = bins
        self.keys = keys
        self.dir = os.path.join(tmp, "db")
        self.sock = os.path.join(tmp, "ledger.sock")
        self.logfile = os.path.join(tmp, "ledgerd.log")
        self.proc = None
        self.origins = []
        self.extra = []

    def start(self, origins=(), extra=(), wait=True, nofile=None):
        assert self.proc is None
        self.origins = list(origins) or self.origins
        self.extra = list(extra) or self.extra
        args = [self.bins["ledgerd"], "--dir", self.dir, "--key",
                self.keys.make("log"), "--socket", self.sock]
        for o in self.origins:
            args += ["--allow-key", self.keys.vkey(o)]
        args += self.extra
        self.log_fh = open(self.logfile, "a")
        def limits():
            if nofile:
                import resource
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))

        self.proc = subprocess.Popen(args, stderr=self.log_fh,
                                     stdout=subprocess.DEVNULL,
                                     preexec_fn=limits)
        if wait:
            self.wait_ready()
        return self

    def wait_ready(self, timeout=10):
        end = time.time() + timeout
        while time.time() < end:
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"cfn-ledgerd exited {self.proc.returncode}: "
                    + self.log())
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.sock)
                s.close()
                return
            except OSError:
                time.sleep(0.01)
        raise AssertionError("cfn-ledgerd not ready: " + self.log())

    def kill(self, sig=signal.SIGKILL):
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            os.kill(self.proc.pid, sig)
        try:
            rc = self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            rc = self.proc.wait()
        self.proc = None
        self.log_fh.close()
        return rc

    def stop(self):
        return self.kill(signal.SIGTERM)

    def log(self):
        with open(self.logfile) as f:
            return f.read()


@pytest.fixture
def ledgerd(bins, keys, tmp_path):
    d = Ledgerd(bins, keys, str(tmp_path))
    try:
        yield d
    finally:
        d.kill()


@pytest.fixture
def procs():
    """Background processes a test starts; killed by PID at the end."""
    started = []
    try:
        yield started
    finally:
        for p in started:
            if p.poll() is None:
                os.kill(p.pid, signal.SIGKILL)
                p.wait()


def read_log(bins, d):
    """All entries of ledger DIR as (index, record dict)."""
    out = subprocess.run([bins["ledger"], "tail", "--json", "--once",
                          "--dir", d], check=True, capture_output=True,
                         text=True).stdout
    return [json.loads(l) for l in out.splitlines()]


def audit(bins, keys, d, origins):
    """cfn-ledger audit: signatures, Merkle tree and checkpoint."""
    kf = os.path.join(keys.dir, "audit-keys")
    with open(kf, "w") as f:
        for o in origins:
            with open(keys.vkey(o)) as v:
                f.write(v.read())
    return subprocess.run([bins["ledger"], "--dir", d, "audit", "--vkey",
                           keys.vkey("log"), "--keys", kf],
                          capture_output=True, text=True)


# --- raw protocol, for the bad-input tests (doc/export-protocol.md) ---

HELLO, BATCH, ACK, ERROR, CKPT_REQ, CKPT, SUBSCRIBE, ENTRY, CHALLENGE = \
    range(1, 10)
HELLO_CONTEXT = b"CFN export hello v1\n"


def frame(typ, body, version=1):
    return struct.pack(">IBBH", len(body), version, typ, 0) + body


def hello(name, key_id):
    n = name.encode()
    return frame(HELLO, bytes([len(n)]) + n + struct.pack(">I", key_id))


def read_challenge(s, timeout=5):
    """The 32-byte nonce of the CHALLENGE the daemon sends on accept."""
    s.settimeout(timeout)
    buf = b""
    while len(buf) < 8 + 32:
        d = s.recv(8 + 32 - len(buf))
        assert d, "closed before the challenge"
        buf += d
    n, v, t, _ = struct.unpack(">IBBH", buf[:8])
    assert (t, n) == (CHALLENGE, 32), buf
    return buf[8:]


def sign_with(keyfile, msg):
    """Ed25519 signature with a cfn-ledger private key file."""
    import base64
    from cryptography.hazmat.primitives.asymmetric.ed25519 import \
        Ed25519PrivateKey
    with open(keyfile) as f:
        raw = base64.b64decode(f.read().strip().split("+", 4)[4])
    return Ed25519PrivateKey.from_private_bytes(raw[1:33]).sign(msg)


def greet(s, keys, name, key=None, nonce=None):
    """A HELLO for origin `name` proving `key` (default: name's own key)
    over the socket's challenge (or `nonce`)."""
    key = key or name
    if nonce is None:
        nonce = read_challenge(s)
    kid = key_id(keys.vkey(key))
    n = name.encode()
    proof = HELLO_CONTEXT + nonce + bytes([len(n)]) + n + \
        struct.pack(">I", kid)
    return frame(
        HELLO, bytes([len(n)]) + n + struct.pack(">I", kid) +
        sign_with(keys.make(key), proof))


def key_id(vkey_path):
    with open(vkey_path) as f:
        return int(f.read().split("+")[1], 16)


def read_frames(s, timeout=5):
    """Frames until the peer closes (or timeout): [(type, body)], closed."""
    s.settimeout(timeout)
    buf = b""
    closed = False
    try:
        while True:
            d = s.recv(65536)
            if not d:
                closed = True
                break
            buf += d
    except socket.timeout:
        pass
    except ConnectionResetError:
        closed = True
    out = []
    while len(buf) >= 8:
        n, v, t, _ = struct.unpack(">IBBH", buf[:8])
        if len(buf) < 8 + n:
            break
        out.append((t, buf[8:8 + n]))
        buf = buf[8 + n:]
    return out, closed


def parse_error(body):
    code, seq, n = struct.unpack(">HQH", body[:12])
    return code, seq, body[12:12 + n].decode()


def parse_ack(body):
    n = body[0]
    origin = body[1:1 + n].decode()
    p = 1 + n
    highest, count = struct.unpack(">QI", body[p:p + 12])
    p += 12
    ents = []
    for _ in range(count):
        seq, idx, st = struct.unpack(">QQB", body[p:p + 17])
        ents.append((seq, idx, st))
        p += 17
    return origin, highest, ents


def write_seed_key(path_base, name, seed):
    """A key file in the Go note format from a fixed seed."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import \
        Ed25519PrivateKey
    pub = Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    kid = hashlib.sha256(name.encode() + b"\n\x01" + pub).digest()[:4].hex()
    sk = base64.b64encode(b"\x01" + seed).decode()
    pk = base64.b64encode(b"\x01" + pub).decode()
    with open(path_base + ".key", "w") as f:
        f.write(f"PRIVATE+KEY+{name}+{kid}+{sk}\n")
    vkey = f"{name}+{kid}+{pk}"
    with open(path_base + ".vkey", "w") as f:
        f.write(vkey + "\n")
    return vkey


def doc_hex(doc, begin, end):
    """The bytes of an xxd-style block between two markers of doc/DOC."""
    src = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    text = open(os.path.join(src, "doc", doc)).read()
    block = text.split(begin)[1].split(end)[0]
    out = b""
    for line in block.splitlines():
        if ":" in line and line[:8].strip().isalnum():
            hexpart = line.split(":", 1)[1][:41]
            out += bytes.fromhex(hexpart.replace(" ", ""))
    return out


def log_frames(path):
    """A ledger log's bytes and (offset, length) of each framed entry
    (doc/ledger-storage.md)."""
    with open(path, "rb") as f:
        data = f.read()
    pos, out = 8, []
    while pos + 8 <= len(data):
        n = struct.unpack(">I", data[pos:pos + 4])[0]
        out.append((pos, 8 + n))
        pos += 8 + n
    return data, out
