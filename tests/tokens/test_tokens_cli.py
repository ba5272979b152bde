# SPDX-License-Identifier: GPL-2.0-or-later
"""Compute tokens through the real cfn-ledgerd and cfn-ledger: the trading
flow, every rejection with its reason and nothing appended, replays and
forged records on the raw socket, expiry refunds, and the doc examples."""
import base64
import json
import os
import socket
import struct
import subprocess
import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import \
    Ed25519PrivateKey

from token_helpers import SERVICE

SRC = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))


def trade_setup(led):
    """Issuer funds ent; prov runs r3 (price 2); r1 routes SERVICE to r3."""
    led.start()
    led.fund_and_route(1000, 2)


def order(led, key="ent", units=10, maxp=3, expires=600, check=True,
          ingress="r1"):
    return led.op("order", key, "--service", SERVICE, "--ingress", ingress,
                  "--units", str(units), "--max-price", str(maxp),
                  "--expires", str(expires), check=check)


def test_order_settles_and_a_later_decision_does_not_rebind(ledger):
    led = ledger
    trade_setup(led)
    oid = order(led)
    b = led.balances()
    assert b[led.ids["ent"]] == (980, 20)
    # the routing moves to r4 (another provider, cheaper) after the order
    led.op("provider", "prov2", "--router", "r4", "--site", "edge-2",
           "--price", "1")
    led.decision("r1", 2, ["r4"])
    led.op("receipt", "prov", "--order", str(oid), "--units", "7")
    (o,) = [x for x in led.json("orders", "--dir", led.dir)
            if x["order"] == oid]
    assert (o["state"], o["router"], o["site"], o["provider"]) == \
        ("settled", "r3", "edge-1", led.ids["prov"])
    assert (o["paid"], o["refund"]) == (14, 6)
    b = led.balances()
    assert b[led.ids["ent"]] == (986, 0)
    assert b[led.ids["prov"]] == (14, 0)
    # a new order binds to the new decision
    oid2 = order(led, units=4)
    (o2,) = [x for x in led.json("orders", "--dir", led.dir)
             if x["order"] == oid2]
    assert (o2["router"], o2["provider"], o2["escrow"]) == \
        ("r4", led.ids["prov2"], 4)
    led.stop()
    rep = led.json("audit", "--dir", led.dir)
    assert rep["ok"] and rep["totals"]["supply"] == 1000
    assert rep["totals"]["paid_to_providers"] == 14


def expect_reject(led, reason, *op):
    before_size, before_bal = led.size(), led.balances()
    p = led.op(*op, check=False)
    assert not isinstance(p, int), f"{op} was accepted"
    assert p.returncode == 1 and reason in p.stderr, p.stderr
    assert led.size() == before_size
    assert led.balances() == before_bal


def test_every_rejection_has_its_reason_and_changes_nothing(ledger):
    led = ledger
    led.start()
    ent, prov = led.ids["ent"], led.ids["prov"]
    led.op("issue", "issuer", "--to", ent, "--amount", "100")
    o = ("order", "ent", "--service", SERVICE, "--ingress", "r1",
         "--units", "10", "--max-price", "3", "--expires", "600")
    expect_reject(led, "not-issuer", "issue", "ent", "--to", ent,
                  "--amount", "5")
    expect_reject(led, "insufficient-balance", "transfer", "ent", "--to",
                  prov, "--amount", "101")
    expect_reject(led, "self-transfer", "transfer", "ent", "--to", ent,
                  "--amount", "1")
    expect_reject(led, "no-decision", *o)
    led.decision("r1", 1, [])
    expect_reject(led, "no-site", *o)
    led.decision("r1", 2, ["r3"])
    expect_reject(led, "no-provider", *o)
    led.op("provider", "prov", "--router", "r3", "--site", "edge-1",
           "--price", "4")
    expect_reject(led, "router-taken", "provider", "prov2", "--router",
                  "r3", "--site", "x", "--price", "1")
    expect_reject(led, "price-above-maximum", *o)
    led.op("provider", "prov", "--router", "r3", "--site", "edge-1",
           "--price", "2")
    expect_reject(led, "insufficient-balance", *o[:6], "--units", "51",
                  *o[8:])
    expect_reject(led, "expired", *o[:-1], "0")
    oid = order(led)
    expect_reject(led, "not-bound-provider", "receipt", "prov2",
                  "--order", str(oid), "--units", "1")
    expect_reject(led, "units-above-ordered", "receipt", "prov",
                  "--order", str(oid), "--units", "11")
    expect_reject(led, "no-such-order", "receipt", "prov", "--order",
                  str(oid - 1), "--units", "1")
    expect_reject(led, "not-expired", "expire", "ent", "--order", str(oid))
    led.op("receipt", "prov", "--order", str(oid), "--units", "10")
    expect_reject(led, "order-closed", "expire", "ent", "--order", str(oid))
    led.stop()
    assert led.json("audit", "--dir", led.dir)["ok"]


def test_balance_takes_an_account_id_that_begins_with_a_dash(ledger):
    """Account ids are base64url, so one in 64 begins with '-': balance
    must read it as the account, not as an unknown option."""
    trade_setup(led := ledger)
    dash_id = "-" + "A" * 42  # a canonical id of a key never seen here
    p = led.run("balance", "--dir", led.dir, dash_id, "--json")
    assert "usage" not in p.stderr.lower()
    assert json.loads(p.stdout)["account"] == dash_id
    led.run("balance", "--dir", led.dir, led.ids["ent"])
    bad = led.run("balance", "--dir", led.dir, "--no-such-option",
                  check=False)
    assert bad.returncode != 0


def test_expiry_refunds_everything(ledger):
    led = ledger
    trade_setup(led)
    oid = order(led, expires=1)
    assert led.balances()[led.ids["ent"]] == (980, 20)
    deadline = time.time() + 30
    while True:  # the ledger's time must pass the expiry
        p = led.op("expire", "prov2", "--order", str(oid), check=False)
        if isinstance(p, int):
            break
        assert "not-expired" in p.stderr, p.stderr
        assert time.time() < deadline, "order never expired"
        time.sleep(0.2)
    expect_reject(led, "expired", "receipt", "prov", "--order", str(oid),
                  "--units", "1")
    assert led.balances()[led.ids["ent"]] == (1000, 0)
    (o,) = led.json("orders", "--dir", led.dir)
    assert (o["state"], o["refund"], o["paid"]) == ("expired", 20, 0)


# ---- the raw socket: replays and forged records ----

def frame(mtype, body):
    return struct.pack(">IBBH", len(body), 1, mtype, 0) + body


def submit_raw(sock_path, origin, rec, keyfile):
    """One record as account `origin`, whose HELLO proves `keyfile` over
    the daemon's challenge (doc/export-protocol.md): (status, reason,
    index)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sock_path)
    s.settimeout(30)
    buf = b""
    while len(buf) < 8 + 32:
        chunk = s.recv(8 + 32 - len(buf))
        assert chunk, "ledger closed the connection"
        buf += chunk
    assert struct.unpack(">IBBH", buf[:8])[2] == 9  # CHALLENGE
    name = origin.encode()
    ident = bytes([len(name)]) + name + b"\0\0\0\0"
    proof = b"CFN export hello v1\n" + buf[8:] + ident
    sig = Ed25519PrivateKey.from_private_bytes(seed_of(keyfile)).sign(proof)
    s.sendall(frame(1, ident + sig) +
              frame(2, struct.pack(">II", 1, len(rec)) + rec))
    buf, reason = b"", ""
    while True:
        chunk = s.recv(65536)
        if not chunk:  # refused: the reason came in an ERROR
            s.close()
            return None, reason, None
        buf += chunk
        while len(buf) >= 8:
            n, _, mtype, _ = struct.unpack(">IBBH", buf[:8])
            if len(buf) < 8 + n:
                break
            body, buf = buf[8:8 + n], buf[8 + n:]
            if mtype == 4:
                _, _, rl = struct.unpack(">HQH", body[:12])
                reason = body[12:12 + rl].decode()
            elif mtype == 3:
                on = body[0]
                count = struct.unpack(">I", body[1 + on + 8:1 + on + 12])[0]
                if count:
                    _, index, status = struct.unpack(
                        ">QQB", body[1 + on + 12:1 + on + 29])
                    s.close()
                    return status, reason, index


def entry(led, index):
    p = led.run("get", str(index), "--dir", led.dir, "--json")
    return base64.b64decode(json.loads(p.stdout)["data"])


def seed_of(keyfile):
    line = open(keyfile).read().strip()
    return base64.b64decode(line.split("+", 4)[4])[1:]


def resign(rec, keyfile):
    k = Ed25519PrivateKey.from_private_bytes(seed_of(keyfile))
    body = rec[:-64]
    return body + k.sign(body)


def test_replays_and_forgeries_on_the_socket(ledger):
    led = ledger
    trade_setup(led)
    oid = order(led)
    rec = entry(led, oid)
    ent = led.ids["ent"]
    size = led.size()
    # the same bytes again: idempotent, answered with the logged index
    assert submit_raw(led.sock, ent, rec, led.key("ent"))[::2] == (1, oid)
    # a bad signature
    bad = rec[:-1] + bytes([rec[-1] ^ 1])
    st, why, _ = submit_raw(led.sock, ent, bad, led.key("ent"))
    assert st == 2 and "bad-signature" in why
    # same nonce, other content, validly signed: the nonce is used
    units_at = len(rec) - 64 - 24  # units, max_price, expires precede sig
    other = bytearray(rec)
    other[units_at + 7] ^= 1
    st, why, _ = submit_raw(led.sock, ent,
                            resign(bytes(other), led.key("ent")),
                            led.key("ent"))
    assert st == 2 and "nonce-used" in why, why
    # a record of another account on this connection
    st, why, _ = submit_raw(led.sock, led.ids["prov"], rec, led.key("prov"))
    assert st == 2 and "differs from the connection" in why
    # a time far from the ledger's clock
    t_at = 7 + 43 + 8
    skew = bytearray(rec)
    skew[t_at + 8 - 8:t_at + 8] = struct.pack(">Q", int(time.time()) - 4000)
    skew[units_at + 7] ^= 2
    skew[7 + 43 + 7] ^= 0x55  # a fresh nonce
    st, why, _ = submit_raw(led.sock, ent,
                            resign(bytes(skew), led.key("ent")),
                            led.key("ent"))
    assert st == 2 and "clock" in why, why
    # only the ledger writes the genesis (even signed by the log key)
    g = bytearray(entry(led, 0))
    g[57] ^= 1  # another nonce
    st, why, _ = submit_raw(led.sock, g[7:50].decode(),
                            resign(bytes(g), led.logkey), led.logkey)
    assert st == 2 and "genesis" in why, why
    # an account's HELLO must prove its key (the id is public)
    st, why, _ = submit_raw(led.sock, ent, rec, led.key("prov"))
    assert st is None and "hello: bad signature" in why, why
    assert led.size() == size
    led.stop()
    assert led.json("audit", "--dir", led.dir)["ok"]


def test_issuer_set_is_fixed_by_the_genesis(ledger):
    led = ledger
    led.start()
    led.stop()
    p = subprocess.run([led.daemon, "--dir", led.dir, "--key", led.logkey,
                        "--socket", led.sock, "--issuer-key",
                        led.key("ent")], capture_output=True, text=True,
                       timeout=60)
    assert p.returncode != 0 and "genesis" in p.stderr


def test_doc_examples_match_the_code():
    """doc/tokens.md shows what tests/tokens/test_token_record prints."""
    prog = os.path.join(os.environ["CFN_BUILD"], "tests", "tokens",
                        "test_token_record")
    out = subprocess.run([prog, "--examples"], capture_output=True,
                         text=True, check=True).stdout
    doc = open(os.path.join(SRC, "doc", "tokens.md")).read()
    begin, end = "<!-- token-examples-begin -->", "<!-- token-examples-end -->"
    shown = doc[doc.index(begin) + len(begin):doc.index(end)]
    blocks = out.strip().split("\n\n")
    assert len(blocks) == 7
    for b in blocks:
        assert f"```\n{b.strip()}\n```" in shown, b
