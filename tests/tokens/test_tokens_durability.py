# SPDX-License-Identifier: GPL-2.0-or-later
"""Kills of cfn-ledgerd in the middle of token traffic lose nothing
acknowledged, and flipping any single byte of the log is caught by
audit."""
import base64
import json
import os
import random
import threading
import time

from token_helpers import SERVICE


def acked_transfers(led, n, acked, lock):
    """n transfers ent -> prov of 1 token each; note each acked index."""
    for _ in range(n):
        p = led.op("transfer", "ent", "--to", led.ids["prov"], "--amount",
                   "1", check=False)
        if isinstance(p, int):
            with lock:
                acked.append(p)


def test_kills_lose_nothing_acknowledged(ledger):
    led = ledger
    led.start()
    led.op("issue", "issuer", "--to", led.ids["ent"], "--amount", "100000")
    rnd = random.Random(19)
    acked, lock = [], threading.Lock()
    for _ in range(6):
        target = len(acked) + 3 + rnd.randrange(10)
        threads = [threading.Thread(target=acked_transfers,
                                    args=(led, 15, acked, lock))
                   for _ in range(3)]
        for t in threads:
            t.start()
        # let some land, then kill the writer mid-stream
        while True:
            with lock:
                if len(acked) >= target:
                    break
            if not any(t.is_alive() for t in threads):
                break
            time.sleep(0.005)
        led.kill()
        for t in threads:
            t.join()
        n_before = len(acked)
        led.start()
        assert len(acked) == n_before
    led.stop()
    assert len(acked) >= 18
    ent = led.ids["ent"].encode()
    for index in acked:
        p = led.run("get", str(index), "--dir", led.dir, "--json")
        data = base64.b64decode(json.loads(p.stdout)["data"])
        # CFNT v1, kind 2 (transfer), by ent: the acknowledged record
        assert data[:6] == b"CFNT\x01\x02" and data[7:50] == ent, index
    assert len(set(acked)) == len(acked)
    rep = led.json("audit", "--dir", led.dir)
    assert rep["ok"], rep["anomalies"]
    # every transfer that landed moved exactly one token
    (prov,) = [a for a in rep["accounts"]
               if a["account"] == led.ids["prov"]]
    assert prov["received"] == rep["token_records"]["transfer"]
    assert prov["received"] >= len(acked)


def small_trade_log(led):
    led.start()
    led.fund_and_route(50, 1)
    oid = led.op("order", "ent", "--service", SERVICE, "--ingress", "r1",
                 "--units", "5", "--max-price", "1", "--expires", "600")
    led.op("receipt", "prov", "--order", str(oid), "--units", "3")
    led.stop()


def test_any_flipped_byte_of_the_log_is_detected(ledger):
    led = ledger
    small_trade_log(led)
    assert led.run("audit", "--dir", led.dir).returncode == 0
    path = os.path.join(led.dir, "log")
    orig = open(path, "rb").read()
    missed = []
    try:
        for off in range(len(orig)):
            b = bytearray(orig)
            b[off] ^= 0x01 << (off % 8)
            with open(path, "wb") as f:
                f.write(b)
            if led.run("audit", "--dir", led.dir,
                       check=False).returncode == 0:
                missed.append(off)
    finally:
        with open(path, "wb") as f:
            f.write(orig)
    assert not missed, f"flips not detected at offsets {missed}"
    assert led.run("audit", "--dir", led.dir).returncode == 0


def crc32c(data):
    crc = 0xFFFFFFFF
    for b in data:
        crc ^= b
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
    return crc ^ 0xFFFFFFFF


def test_audit_names_a_rule_breaking_record_by_its_index(ledger):
    """A well-formed, validly signed transfer that the daemon would have
    refused (more than the balance), written into the log behind its
    back: audit reports it at its index and applies nothing of it."""
    import struct

    from cryptography.hazmat.primitives.asymmetric.ed25519 import \
        Ed25519PrivateKey
    led = ledger
    led.start()
    led.op("issue", "issuer", "--to", led.ids["ent"], "--amount", "50")
    led.stop()
    line = open(led.key("ent")).read().strip()
    key = Ed25519PrivateKey.from_private_bytes(
        base64.b64decode(line.split("+", 4)[4])[1:])
    ent = led.ids["ent"].encode()
    to = base64.urlsafe_b64decode(led.ids["prov"] + "=")
    body = (b"CFNT\x01\x02" + bytes([len(ent)]) + ent +
            struct.pack(">QQ", 77, int(time.time())) + to +
            struct.pack(">Q", 1000))
    rec = body + key.sign(body)
    index = led.size()
    with open(os.path.join(led.dir, "log"), "ab") as f:
        # the frame's CRC-32C covers its length field and the record
        n = struct.pack(">I", len(rec))
        f.write(n + struct.pack(">I", crc32c(n + rec)) + rec)
    p = led.run("audit", "--dir", led.dir, "--json", check=False)
    rep = json.loads(p.stdout)
    assert p.returncode == 1 and not rep["ok"]
    (a,) = rep["anomalies"]
    assert a["index"] == index and "insufficient-balance" in a["reason"]
    (e,) = [x for x in rep["accounts"] if x["account"] == led.ids["ent"]]
    assert (e["balance"], e["sent"]) == (50, 0)
