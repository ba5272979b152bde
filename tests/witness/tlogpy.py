# SPDX-License-Identifier: GPL-2.0-or-later
"""An independent implementation, written from the C2SP spec texts
(signed-note, tlog-checkpoint, tlog-cosignature, tlog-witness, tlog-proof)
and RFC 9162, of what the interop tests need: keys, notes, cosignatures,
Merkle trees and proofs, and a tlog-witness server.  It shares no code
with the C implementation; it uses python3-cryptography for Ed25519."""

import base64
import hashlib
import http.server
import os
import struct
import threading
import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey, Ed25519PublicKey)
from cryptography.hazmat.primitives import serialization

DASH = "\u2014 "
ALG_NOTE = 0x01
ALG_COSIG = 0x04


def b64(b):
    return base64.b64encode(b).decode()


def unb64(s):
    return base64.b64decode(s, validate=True)


def key_id(name, alg, pub):
    return hashlib.sha256(name.encode() + b"\n" + bytes([alg]) + pub
                          ).digest()[:4]


def raw_pub(priv):
    return priv.public_key().public_bytes(serialization.Encoding.Raw,
                                          serialization.PublicFormat.Raw)


class Key:
    """A signer/verifier: name, Ed25519 key, and the algorithm byte that
    fixes its key ID (0x01 checkpoints, 0x04 cosignature/v1)."""

    def __init__(self, name, alg, pub, priv=None):
        self.name, self.alg, self.pub, self.priv = name, alg, pub, priv
        self.id = key_id(name, alg, pub)

    @classmethod
    def generate(cls, name, alg):
        priv = Ed25519PrivateKey.generate()
        return cls(name, alg, raw_pub(priv), priv)

    @classmethod
    def from_private_file(cls, path, alg):
        # PRIVATE+KEY+NAME+ID+BASE64(0x01 || seed) (Go's note format)
        line = open(path).read().strip()
        assert line.startswith("PRIVATE+KEY+")
        name, _, enc = line[len("PRIVATE+KEY+"):].split("+", 2)
        raw = unb64(enc)
        assert raw[0] == ALG_NOTE and len(raw) == 33
        priv = Ed25519PrivateKey.from_private_bytes(raw[1:])
        return cls(name, alg, raw_pub(priv), priv)

    @classmethod
    def from_vkey(cls, vkey):
        name, hexid, enc = vkey.strip().split("+", 2)
        raw = unb64(enc)
        k = cls(name, raw[0], raw[1:])
        if k.id.hex() != hexid or len(raw) != 33:
            raise ValueError("vkey ID mismatch")
        return k

    def vkey(self):
        return f"{self.name}+{self.id.hex()}+{b64(bytes([self.alg]) + self.pub)}"

    def private_file(self):
        seed = self.priv.private_bytes(serialization.Encoding.Raw,
                                       serialization.PrivateFormat.Raw,
                                       serialization.NoEncryption())
        nid = key_id(self.name, ALG_NOTE, self.pub).hex()
        return f"PRIVATE+KEY+{self.name}+{nid}+{b64(bytes([1]) + seed)}\n"

    def verify(self, sig, msg):
        try:
            Ed25519PublicKey.from_public_bytes(self.pub).verify(sig, msg)
            return True
        except Exception:
            return False


# --- notes and checkpoints -------------------------------------------

def sign_note(text, key):
    sig = key.priv.sign(text.encode())
    return text + "\n" + DASH + key.name + " " + b64(key.id + sig) + "\n"


def split_note(note):
    """(text, [(name, raw)]) of a signed note."""
    i = note.rindex("\n\n")
    text, sigs = note[:i + 1], note[i + 2:]
    out = []
    for line in sigs.splitlines():
        assert line.startswith(DASH), line
        name, enc = line[len(DASH):].split(" ")
        out.append((name, unb64(enc)))
    return text, out


def checkpoint_body(origin, size, root):
    return f"{origin}\n{size}\n{b64(root)}\n"


def parse_checkpoint(text):
    origin, size, root = text.split("\n")[:3]
    return origin, int(size), unb64(root)


def verify_note(note, key):
    text, sigs = split_note(note)
    for name, raw in sigs:
        if name == key.name and raw[:4] == key.id:
            if key.verify(raw[4:], text.encode()):
                return text
            raise ValueError("bad signature")
    raise ValueError("no signature by " + key.name)


# --- cosignature/v1 ------------------------------------------------------

def cosig_message(text, t):
    return f"cosignature/v1\ntime {t}\n".encode() + text.encode()


def cosign(text, key, t=None):
    t = int(time.time()) if t is None else t
    sig = key.priv.sign(cosig_message(text, t))
    return DASH + key.name + " " + b64(key.id + struct.pack(">Q", t) + sig) \
        + "\n"


def verify_cosignatures(note, keys):
    """{name: timestamp} of the witnesses in keys that cosigned note."""
    text, sigs = split_note(note)
    got = {}
    for name, raw in sigs:
        for k in keys:
            if name != k.name or raw[:4] != k.id:
                continue
            if len(raw) != 76:
                raise ValueError("bad cosignature length")
            t = struct.unpack(">Q", raw[4:12])[0]
            if t >= 2 ** 63 or not k.verify(raw[12:], cosig_message(text, t)):
                raise ValueError("bad cosignature by " + name)
            got[name] = t
    return got


# --- RFC 9162 Merkle trees -------------------------------------------

def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(l, r):
    return hashlib.sha256(b"\x01" + l + r).digest()


def _split(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves):
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = _split(len(leaves))
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def inclusion_proof(leaves, m):
    if len(leaves) <= 1:
        return []
    k = _split(len(leaves))
    if m < k:
        return inclusion_proof(leaves[:k], m) + [mth(leaves[k:])]
    return inclusion_proof(leaves[k:], m - k) + [mth(leaves[:k])]


def _subproof(m, leaves, b):
    n = len(leaves)
    if m == n:
        return [] if b else [mth(leaves)]
    k = _split(n)
    if m <= k:
        return _subproof(m, leaves[:k], b) + [mth(leaves[k:])]
    return _subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


def consistency_proof(leaves, m):
    """RFC 9162 2.1.4.1 PROOF(m, D[n])."""
    if m == 0 or m >= len(leaves):
        return []
    return _subproof(m, leaves, True)


def verify_consistency(m, n, old_root, new_root, proof):
    """RFC 9162 2.1.4.2."""
    if m == n:
        return not proof and old_root == new_root
    if m == 0 or m > n:
        return False
    if m & (m - 1) == 0:
        proof = [old_root] + list(proof)
    if not proof:
        return False
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return fr == old_root and sr == new_root and sn == 0


def verify_inclusion(leaf, index, size, proof, root):
    """RFC 9162 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


# --- tlog-witness ----------------------------------------------------------

def add_checkpoint_body(old, proof, note):
    return (f"old {old}\n" + "".join(b64(h) + "\n" for h in proof) + "\n"
            + note).encode()


def parse_add_checkpoint(body):
    text = body.decode()
    head, _, note = text.partition("\n\n")
    lines = head.split("\n")
    if not lines[0].startswith("old "):
        raise ValueError("no old line")
    s = lines[0][4:]
    if not s.isdigit() or (s != "0" and s[0] == "0"):
        raise ValueError("bad old size")
    proof = [unb64(l) for l in lines[1:]]
    if len(proof) > 63 or any(len(h) != 32 for h in proof):
        raise ValueError("bad proof")
    return int(s), proof, note


class PyWitness:
    """A tlog-witness server: add-checkpoint per the spec, state in memory
    and in a file written atomically before answering."""

    def __init__(self, key, log_keys, state_file, port=0):
        self.key, self.logs, self.state_file = key, log_keys, state_file
        self.lock = threading.Lock()
        self.state = {}
        witness = self

        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                n = int(self.headers.get("Content-Length", 0))
                status, ctype, out = witness.handle(self.path,
                                                    self.rfile.read(n))
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), H)
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()

    def handle(self, path, body):
        txt = "text/plain"
        if path != "/add-checkpoint":
            return 404, txt, b"not found\n"
        try:
            old, proof, note = parse_add_checkpoint(body)
            origin = note.split("\n", 1)[0]
        except Exception as e:
            return 400, txt, str(e).encode()
        keys = [k for k in self.logs if k.name == origin]
        if not keys:
            return 404, txt, b"unknown log\n"
        text = None
        for k in keys:
            try:
                text = verify_note(note, k)
            except ValueError:
                pass
        if text is None:
            return 403, txt, b"bad signature\n"
        _, size, root = parse_checkpoint(text)
        if old > size:
            return 400, txt, b"old > size\n"
        with self.lock:
            held = self.state.get(origin, (0, None))
            if old != held[0]:
                return 409, "text/x.tlog.size", f"{held[0]}\n".encode()
            if old == size and held[1] is not None:
                if held[1] != root:
                    return 409, txt, b"split view\n"
            elif old and not verify_consistency(old, size, held[1], root,
                                                proof):
                return 422, txt, b"inconsistent\n"
            elif old == 0 and proof:
                return 422, txt, b"proof from 0\n"
            self.state[origin] = (size, root)
            tmp = self.state_file + ".tmp"
            with open(tmp, "w") as f:
                f.write(note)
                f.flush()
                os.fsync(f.fileno())
            os.rename(tmp, self.state_file)
            return 200, txt, cosign(text, self.key).encode()
