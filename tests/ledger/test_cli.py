# SPDX-License-Identifier: GPL-2.0-or-later
"""cfn-ledger offline CLI, checked against independent Python code.

RFC 9162 hashing and proof verification and the Ed25519 signed-note check
are re-implemented here (hashlib + python3-cryptography), so a bug shared
by the C library and its own verifier cannot hide.
"""
import base64
import hashlib
import json
import os
import stat
import subprocess

import pytest

from ledger_helpers import doc_hex, write_seed_key
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

EM = "\u2014"


def tool():
    prefix = os.environ.get("CFN_PREFIX")
    assert prefix, "CFN_PREFIX is not set (install prefix of the build)"
    path = os.path.join(prefix, "bin", "cfn-ledger")
    assert os.access(path, os.X_OK), f"{path} missing"
    return path


def run(*args, ok=True, stdin=None):
    p = subprocess.run([tool(), *args], capture_output=True, text=True,
                       input=stdin, timeout=120)
    if ok:
        assert p.returncode == 0, f"{args}: rc={p.returncode} {p.stderr}"
    return p


def leaf_hash(data):
    return hashlib.sha256(b"\x00" + data).digest()


def node(a, b):
    return hashlib.sha256(b"\x01" + a + b).digest()


def mth(leaves):
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return node(mth(leaves[:k]), mth(leaves[k:]))


def verify_inclusion(index, size, leaf, proof, root):
    """RFC 9162 2.1.3.2."""
    if index >= size:
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node(p, r)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            r = node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def verify_consistency(m, n, r1, r2, proof):
    """RFC 9162 2.1.4.2 (0 < m < n)."""
    if m & (m - 1) == 0:
        proof = [r1] + proof
    fn, sn = m - 1, n - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = node(c, fr), node(c, sr)
            while not fn & 1 and fn != 0:
                fn >>= 1
                sn >>= 1
        else:
            sr = node(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == r1 and sr == r2


def parse_vkey(line):
    name, keyid, b64 = line.strip().split("+", 2)
    raw = base64.b64decode(b64)
    assert raw[0] == 1 and len(raw) == 33
    want = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4].hex()
    assert keyid == want, "key ID is not SHA-256(name\\n0x01 pub)[:4]"
    return name, bytes.fromhex(keyid), Ed25519PublicKey.from_public_bytes(raw[1:])


def check_note(note, vkey_line):
    """Independent C2SP signed-note check; returns the body lines."""
    name, keyid, pub = parse_vkey(vkey_line)
    text, sigs = note.rsplit("\n\n", 1)
    text += "\n"
    found = False
    for line in sigs.rstrip("\n").split("\n"):
        assert line.startswith(EM + " "), line
        sname, b64 = line[2:].split(" ")
        raw = base64.b64decode(b64)
        if sname == name and raw[:4] == keyid:
            pub.verify(raw[4:], text.encode())  # raises if bad
            found = True
    assert found, "no signature by the log key"
    return text.split("\n")[:-1]


RECORD = ('{{"origin": "{o}", "seq": {s}, "time": "2026-11-24T12:00:00Z", '
          '"service": "203.0.113.10/32", "sites": ["r3"], "cost": {c}, '
          '"path": ["r1", "r2", "r3"]}}')


@pytest.fixture
def ledger(tmp_path):
    keys = tmp_path / "keys"
    run("keygen", "log.example/cfn", "--out", str(keys))
    run("keygen", "r1", "--out", str(keys))
    run("keygen", "r2", "--out", str(keys))
    recs = tmp_path / "recs.jsonl"
    recs.write_text("\n".join(RECORD.format(o="r1" if i % 3 else "r2",
                                            s=i, c=i * 7)
                              for i in range(37)) + "\n")
    db = tmp_path / "db"
    run("--dir", str(db), "import", "--log-key",
        str(keys / "log.example_cfn.key"), "--origin", "log.example/cfn",
        "--sign-key", str(keys / "r1.key"), "--sign-key",
        str(keys / "r2.key"), "--batch", "5", str(recs))
    return {"dir": str(db), "keys": keys, "tmp": tmp_path,
            "vkey": str(keys / "log.example_cfn.vkey")}


def entries(led, n):
    out = []
    for i in range(n):
        e = json.loads(run("--dir", led["dir"], "get", str(i), "--json").stdout)
        assert e["index"] == i
        data = base64.b64decode(e["data"])
        assert base64.b64decode(e["leaf_hash"]) == leaf_hash(data)
        out.append(leaf_hash(data))
    return out


def test_keygen_files(tmp_path):
    out = run("keygen", "r9", "--out", str(tmp_path / "k")).stdout.strip()
    key = tmp_path / "k" / "r9.key"
    vkey = tmp_path / "k" / "r9.vkey"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    assert vkey.read_text().strip() == out
    name, _, _ = parse_vkey(out)
    assert name == "r9"
    assert key.read_text().startswith("PRIVATE+KEY+r9+" + out.split("+")[1] + "+")
    # never silently replaces a key
    p = run("keygen", "r9", "--out", str(tmp_path / "k"), ok=False)
    assert p.returncode != 0 and "exists" in p.stderr


def test_checkpoint_is_signed_note_with_tree_root(ledger):
    note = run("--dir", ledger["dir"], "checkpoint").stdout
    vk = open(ledger["vkey"]).read()
    body = check_note(note, vk)
    assert body[0] == "log.example/cfn"
    assert body[1] == "37"
    leaves = entries(ledger, 37)
    assert base64.b64decode(body[2]) == mth(leaves)
    # and the C verifier agrees
    (ledger["tmp"] / "ck").write_text(note)
    p = run("verify", "--vkey", ledger["vkey"], "--checkpoint",
            str(ledger["tmp"] / "ck"))
    assert "checkpoint OK" in p.stdout


def test_inclusion_proofs_verify_independently(ledger):
    leaves = entries(ledger, 37)
    for size in (1, 2, 5, 8, 17, 37):
        root = mth(leaves[:size])
        for i in range(size):
            p = json.loads(run("--dir", ledger["dir"], "prove", "inclusion",
                               str(i), "--size", str(size), "--json").stdout)
            assert (p["index"], p["size"]) == (i, size)
            hashes = [base64.b64decode(h) for h in p["hashes"]]
            assert base64.b64decode(p["leaf_hash"]) == leaves[i]
            assert verify_inclusion(i, size, leaves[i], hashes, root)
    p = run("--dir", ledger["dir"], "prove", "inclusion", "37", ok=False)
    assert p.returncode != 0


def test_consistency_proofs_verify_independently(ledger):
    leaves = entries(ledger, 37)
    for old in range(1, 37):
        for new in (old + 1, 37):
            if new > 37:
                continue
            p = json.loads(run("--dir", ledger["dir"], "prove", "consistency",
                               str(old), str(new), "--json").stdout)
            assert (p["old"], p["new"]) == (old, new)
            hashes = [base64.b64decode(h) for h in p["hashes"]]
            assert verify_consistency(old, new, mth(leaves[:old]),
                                      mth(leaves[:new]), hashes)


def test_verify_command_accepts_good_and_rejects_bad(ledger):
    t = ledger["tmp"]
    (t / "ck").write_text(run("--dir", ledger["dir"], "checkpoint").stdout)
    (t / "proof").write_text(run("--dir", ledger["dir"], "prove", "inclusion",
                                 "11", "--json").stdout)
    (t / "entry").write_text(run("--dir", ledger["dir"], "get", "11",
                                 "--json").stdout)
    args = ["verify", "--vkey", ledger["vkey"], "--checkpoint", str(t / "ck")]
    p = run(*args, "--proof", str(t / "proof"), "--entry", str(t / "entry"))
    assert "inclusion OK" in p.stdout

    # a proof hash changed
    proof = json.loads((t / "proof").read_text())
    h = bytearray(base64.b64decode(proof["hashes"][1]))
    h[0] ^= 1
    proof["hashes"][1] = base64.b64encode(bytes(h)).decode()
    (t / "bad").write_text(json.dumps(proof))
    p = run(*args, "--proof", str(t / "bad"), ok=False)
    assert p.returncode == 1 and "FAILED" in p.stderr

    # the entry is not the proven leaf
    (t / "entry2").write_text(run("--dir", ledger["dir"], "get", "12",
                                  "--json").stdout)
    p = run(*args, "--proof", str(t / "proof"), "--entry", str(t / "entry2"),
            ok=False)
    assert p.returncode == 1

    # a tampered checkpoint body
    (t / "ck2").write_text((t / "ck").read_text().replace("\n37\n", "\n36\n"))
    p = run("verify", "--vkey", ledger["vkey"], "--checkpoint",
            str(t / "ck2"), ok=False)
    assert p.returncode == 1 and "invalid signature" in p.stderr

    # another key
    p = run("verify", "--vkey", str(ledger["keys"] / "r1.vkey"),
            "--checkpoint", str(t / "ck"), ok=False)
    assert p.returncode == 1

    # proof for another size than the checkpoint's
    (t / "p20").write_text(run("--dir", ledger["dir"], "prove", "inclusion",
                               "3", "--size", "20", "--json").stdout)
    p = run(*args, "--proof", str(t / "p20"), ok=False)
    assert p.returncode == 1 and "size" in p.stderr


def test_verify_consistency_between_checkpoints(ledger):
    t = ledger["tmp"]
    (t / "old").write_text(run("--dir", ledger["dir"], "checkpoint").stdout)
    more = "\n".join(RECORD.format(o="r1", s=100 + i, c=1) for i in range(9))
    (t / "more").write_text(more + "\n")
    run("--dir", ledger["dir"], "import", "--log-key",
        str(ledger["keys"] / "log.example_cfn.key"), "--origin",
        "log.example/cfn", "--sign-key", str(ledger["keys"] / "r1.key"),
        str(t / "more"))
    (t / "new").write_text(run("--dir", ledger["dir"], "checkpoint").stdout)
    (t / "cp").write_text(run("--dir", ledger["dir"], "prove", "consistency",
                              "37", "46", "--json").stdout)
    base = ["verify", "--vkey", ledger["vkey"], "--old-checkpoint",
            str(t / "old"), "--checkpoint", str(t / "new"), "--proof",
            str(t / "cp")]
    assert "consistency OK" in run(*base).stdout
    # a fork: same size 37 but a different history is not consistent
    cp = json.loads((t / "cp").read_text())
    cp["hashes"][0] = base64.b64encode(b"\x00" * 32).decode()
    (t / "cpbad").write_text(json.dumps(cp))
    base[-1] = str(t / "cpbad")
    assert run(*base, ok=False).returncode == 1


def test_duplicates_skipped_on_reimport(ledger):
    t = ledger["tmp"]
    p = run("--dir", ledger["dir"], "import", "--log-key",
            str(ledger["keys"] / "log.example_cfn.key"), "--origin",
            "log.example/cfn", "--sign-key", str(ledger["keys"] / "r1.key"),
            "--sign-key", str(ledger["keys"] / "r2.key"), str(t / "recs.jsonl"))
    assert "imported 0 records (37 duplicates skipped, 0 unverified)" in p.stdout


def test_audit(ledger):
    keys = ledger["keys"]
    routers = ledger["tmp"] / "routers"
    routers.write_text((keys / "r1.vkey").read_text() +
                       (keys / "r2.vkey").read_text())
    ok = run("audit", "--dir", ledger["dir"], "--vkey", ledger["vkey"],
             "--keys", str(routers))
    assert "audit OK: 37 entries" in ok.stdout
    # without r2's key its records do not verify
    only = ledger["tmp"] / "only"
    only.write_text((keys / "r1.vkey").read_text())
    p = run("audit", "--dir", ledger["dir"], "--vkey", ledger["vkey"],
            "--keys", str(only), ok=False)
    assert p.returncode == 1 and "unknown signer" in p.stderr
    # an interior node hash that disagrees with its children is caught
    nodes = os.path.join(ledger["dir"], "leaves.nodes")
    with open(nodes, "r+b") as f:
        f.seek(32 * 7 + 4)
        c = f.read(1)
        f.seek(32 * 7 + 4)
        f.write(bytes([c[0] ^ 1]))
    p = run("audit", "--dir", ledger["dir"], "--vkey", ledger["vkey"],
            "--keys", str(routers), ok=False)
    assert p.returncode == 1 and "leaves.nodes: node 7 " in p.stderr
    with open(nodes, "r+b") as f:
        f.seek(32 * 7 + 4)
        f.write(c)
    # a leaf hash file that disagrees with the log is caught
    leaves = os.path.join(ledger["dir"], "leaves")
    with open(leaves, "r+b") as f:
        f.seek(32 * 5)
        f.write(b"\xff" * 32)
    p = run("audit", "--dir", ledger["dir"], "--vkey", ledger["vkey"],
            "--keys", str(routers), ok=False)
    assert p.returncode == 1 and "entry 5" in p.stderr


def test_damaged_log_inside_checkpoint_is_not_truncated(ledger):
    log = os.path.join(ledger["dir"], "log")
    size = os.path.getsize(log)
    os.truncate(log, size - 3)
    p = run("--dir", ledger["dir"], "import", "--log-key",
            str(ledger["keys"] / "log.example_cfn.key"), "--origin",
            "log.example/cfn", "/dev/null", ok=False)
    assert p.returncode == 1 and "refusing to truncate" in p.stderr
    assert os.path.getsize(log) == size - 3
    # readers still serve the intact prefix
    run("--dir", ledger["dir"], "get", "35", "--json")
    assert run("--dir", ledger["dir"], "get", "36", ok=False).returncode == 1


def test_torn_tail_after_checkpoint_is_dropped(ledger):
    t = ledger["tmp"]
    log = os.path.join(ledger["dir"], "log")
    good = os.path.getsize(log)
    with open(log, "ab") as f:  # a frame cut short by a crash
        f.write(b"\x00\x00\x00\x60\x12\x34")
    (t / "one").write_text(RECORD.format(o="r1", s=999, c=1) + "\n")
    p = run("--dir", ledger["dir"], "import", "--log-key",
            str(ledger["keys"] / "log.example_cfn.key"), "--origin",
            "log.example/cfn", "--sign-key", str(ledger["keys"] / "r1.key"),
            str(t / "one"))
    assert "dropped a torn tail of 6 bytes" in p.stderr
    assert "tree size 38" in p.stdout
    assert os.path.getsize(log) > good


def src_dir():
    src = os.environ.get("CFN_SRC") or os.path.join(
        os.path.dirname(__file__), "..", "..")
    return src


def test_doc_record_example(tmp_path):
    """doc/ledger-record.md and doc/checkpoint.md examples are real output."""
    t = str(tmp_path)
    vk = write_seed_key(t + "/r1", "r1", bytes(range(32)))
    lvk = write_seed_key(t + "/log", "ledger.example/cfn", bytes(range(32, 64)))
    rec = tmp_path / "rec.json"
    rec.write_text(RECORD.format(o="r1", s=7, c=35) + "\n")
    run("--dir", t + "/db", "import", "--log-key", t + "/log.key",
        "--origin", "ledger.example/cfn", "--sign-key", t + "/r1.key",
        str(rec))
    e = json.loads(run("--dir", t + "/db", "get", "0", "--json").stdout)
    data = base64.b64decode(e["data"])
    want = doc_hex("ledger-record.md", "<!-- record-example-begin -->",
                   "<!-- record-example-end -->")
    assert len(want) == 129 and data == want
    doc = open(os.path.join(src_dir(), "doc", "ledger-record.md")).read()
    assert vk in doc and e["leaf_hash"] in doc
    note = run("--dir", t + "/db", "checkpoint").stdout
    ckdoc = open(os.path.join(src_dir(), "doc", "checkpoint.md")).read()
    assert note in ckdoc and lvk in ckdoc
    check_note(note, lvk)


def test_import_refuses_unverified_records(ledger, tmp_path):
    """Unsigned or badly signed records stop an import unless
    --allow-unverified, which says how many it let in."""
    keys = ledger["keys"]
    db = str(tmp_path / "db2")
    base = ["--dir", db, "import", "--log-key",
            str(keys / "log.example_cfn.key"), "--origin", "log.example/cfn"]
    unsigned = tmp_path / "unsigned.jsonl"
    unsigned.write_text(RECORD.format(o="r1", s=1, c=1) + "\n")
    p = run(*base, str(unsigned), ok=False)
    assert p.returncode == 1
    assert ("line 1: record r1 seq 1 is not signed (give the router's key "
            "with --keys, or --allow-unverified)") in p.stderr
    # signed records verify under --keys; a flipped signature does not
    signed = json.loads(run("tail", "--once", "--json", "--dir",
                            ledger["dir"]).stdout.splitlines()[1])
    rec = {k: v for k, v in signed.items() if k != "index"}
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps(rec) + "\n")
    routers = tmp_path / "routers"
    routers.write_text((keys / "r1.vkey").read_text() +
                       (keys / "r2.vkey").read_text())
    p = run(*base, "--keys", str(routers), str(good))
    assert "1 unverified" not in p.stdout and "0 unverified" in p.stdout
    sig = base64.b64decode(rec["sig"])
    rec["sig"] = base64.b64encode(bytes([sig[0] ^ 1]) + sig[1:]).decode()
    rec["seq"] = 2
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(rec) + "\n")
    p = run(*base, "--keys", str(routers), str(bad), ok=False)
    assert p.returncode == 1 and "line 1: " in p.stderr
    # seq 1 is taken by the signed record: other content is refused
    p = run(*base, "--allow-unverified", str(unsigned), ok=False)
    assert "r1 seq 1 is already logged (entry 0) with other content" in \
        p.stderr
    unsigned.write_text(RECORD.format(o="r1", s=3, c=1) + "\n")
    p = run(*base, "--allow-unverified", str(unsigned))
    assert "1 unverified" in p.stdout
    assert ("WARNING: 1 records imported without a valid signature "
            "(--allow-unverified)") in p.stderr


def test_long_runs_show_progress(ledger, tmp_path):
    keys = ledger["keys"]
    env = dict(os.environ, CFN_PROGRESS="1")
    routers = tmp_path / "routers"
    routers.write_text((keys / "r1.vkey").read_text() +
                       (keys / "r2.vkey").read_text())
    p = subprocess.run([tool(), "audit", "--dir", ledger["dir"], "--vkey",
                        ledger["vkey"], "--keys", str(routers)],
                       capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    assert "cfn-ledger audit: 37 entries, done" in p.stderr
    more = tmp_path / "more"
    more.write_text("\n".join(RECORD.format(o="r1", s=500 + i, c=1)
                              for i in range(3)) + "\n")
    p = subprocess.run([tool(), "--dir", ledger["dir"], "import",
                        "--log-key", str(keys / "log.example_cfn.key"),
                        "--origin", "log.example/cfn", "--sign-key",
                        str(keys / "r1.key"), str(more)],
                       capture_output=True, text=True, env=env)
    assert p.returncode == 0, p.stderr
    assert "cfn-ledger import: 3 records, done" in p.stderr
