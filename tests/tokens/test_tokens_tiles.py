# SPDX-License-Identifier: GPL-2.0-or-later
"""cfn-ledger serve speaks C2SP tlog-tiles to the letter (paths, widths,
level-1 hashes, partial tiles, entry bundles, content types, 404s), checked
against an independent Python implementation of the spec, and audit --url
audits the served log, caching what it fetched."""
import base64
import hashlib
import json
import os
import subprocess
import urllib.error
import urllib.request

import pytest

N = 700  # 2 full level-0 tiles + a partial of 188; level 1 partial of 2


def leaf(e):
    return hashlib.sha256(b"\0" + e).digest()


def mth(hashes):
    """RFC 6962 Merkle tree hash over leaf hashes."""
    if len(hashes) == 1:
        return hashes[0]
    k = 1
    while k * 2 < len(hashes):
        k *= 2
    return hashlib.sha256(b"\1" + mth(hashes[:k]) + mth(hashes[k:])).digest()


def tile_index(n):
    s = f"{n % 1000:03d}"
    n //= 1000
    while n:
        s = f"x{n % 1000:03d}/" + s
        n //= 1000
    return s


def get(url):
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.headers.get("Content-Type"), r.read()
    except urllib.error.HTTPError as e:
        return e.code, None, b""


@pytest.fixture
def served(ledger, procs):
    led = ledger
    recs = "".join(json.dumps({
        "origin": "r1", "seq": i, "time": "2026-11-24T12:00:00Z",
        "service": "203.0.113.10/32", "sites": [f"r{2 + i % 3}"],
        "cost": i, "path": ["r1", f"r{2 + i % 3}"]}) + "\n"
        for i in range(N))
    p = subprocess.run([led.cli, "--dir", led.dir, "import", "--log-key",
                        led.logkey, "--origin", "log.example/cfn",
                        "--sign-key", led.key("r1")], input=recs,
                       text=True, capture_output=True, timeout=300)
    assert p.returncode == 0, p.stderr
    srv = subprocess.Popen([led.cli, "serve", "--dir", led.dir, "--listen",
                            "127.0.0.1:0"], stdout=subprocess.PIPE,
                           text=True)
    procs.append(srv)
    line = srv.stdout.readline()
    assert line.startswith("serving"), line
    return led, line.split()[-1]


def entries_of(led):
    out = []
    for i in range(N):
        p = led.run("get", str(i), "--dir", led.dir, "--json")
        out.append(base64.b64decode(json.loads(p.stdout)["data"]))
    return out


def test_tiles_follow_the_spec(served):
    led, url = served
    ents = entries_of(led)
    leaves = [leaf(e) for e in ents]
    st, ctype, ck = get(url + "checkpoint")
    assert st == 200 and ctype == "text/plain; charset=utf-8"
    lines = ck.decode().split("\n")
    assert lines[0] == "log.example/cfn" and lines[1] == str(N)
    assert base64.b64decode(lines[2]) == mth(leaves)
    # level 0: full, full, partial 188
    for n, w in ((0, 256), (1, 256), (2, N - 512)):
        path = f"tile/0/{tile_index(n)}" + ("" if w == 256 else f".p/{w}")
        st, ctype, body = get(url + path)
        assert st == 200 and ctype == "application/octet-stream", path
        assert body == b"".join(leaves[n * 256:n * 256 + w]), path
        st, _, bundle = get(url + path.replace("tile/0/", "tile/entries/"))
        want = b"".join(len(e).to_bytes(2, "big") + e
                        for e in ents[n * 256:n * 256 + w])
        assert st == 200 and bundle == want
    # level 1: each hash is the MTH of a full level-0 tile; partial of 2
    st, _, body = get(url + "tile/1/000.p/2")
    assert st == 200
    assert body == mth(leaves[:256]) + mth(leaves[256:512])
    # a partial tile is a prefix of the full one
    assert get(url + "tile/0/000.p/5")[2] == b"".join(leaves[:5])
    # what does not exist for this tree, or is not canonical: 404
    for bad in ("tile/0/002", "tile/0/002.p/189", "tile/1/000",
                "tile/1/000.p/3", "tile/2/000.p/1", "tile/0/0",
                "tile/0/x000/001", "tile/00/000", "tile/0/000.p/0",
                "tile/0/000.p/256", "tile/0/000.p/05", "tile/64/000",
                "tile/entries/003", "tile/0/003", "tile/0/001/", "nope"):
        assert get(url + bad)[0] == 404, bad
    req = urllib.request.Request(url + "checkpoint", data=b"x",
                                 method="POST")
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(req, timeout=30)
    assert e.value.code == 405


def test_audit_over_tiles_with_a_cache(served):
    led, url = served
    cache = os.path.join(led.tmp, "cache")
    rep = led.json("audit", "--url", url, "--cache", cache, "--vkey",
                   led.logvkey, "--keys", os.path.join(led.keys, "r1.vkey"))
    assert rep["ok"] and rep["entries"] == N and rep["decisions"] == N
    assert rep["checkpoint"]["verified"]
    assert rep["tiles"] == {"fetched": 1 + 2 * 3, "cached": 0}
    rep = led.json("audit", "--url", url, "--cache", cache, "--vkey",
                   led.logvkey)
    assert rep["ok"] and rep["tiles"] == {"fetched": 1, "cached": 6}
    # a cached bundle that was tampered with is caught
    path = os.path.join(cache, "tile", "entries", "001")
    b = bytearray(open(path, "rb").read())
    b[100] ^= 1
    open(path, "wb").write(b)
    p = led.run("audit", "--url", url, "--cache", cache, "--vkey",
                led.logvkey, check=False)
    assert p.returncode != 0 and "level-0 tile" in p.stderr
    # the wrong log key: the checkpoint is not verified
    os.remove(path)
    p = led.run("audit", "--url", url, "--cache", cache, "--vkey",
                os.path.join(led.keys, "r1.vkey"), check=False)
    assert p.returncode == 1 and "checkpoint" in p.stdout
