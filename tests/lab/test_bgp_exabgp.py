# SPDX-License-Identifier: GPL-2.0-or-later
"""Interop of cfnd_bgp with an independent BGP speaker, ExaBGP (Debian's
exabgp), over real sessions with a real bgpd:

- ExaBGP as a peer sends the Edge Metadata Path Attribute (type 42), valid
  and malformed (short, overlong, bad sub-TLV length, duplicate sub-TLVs,
  empty); bgpd decodes the valid ones exactly as sent, treats the
  malformed ones as withdraw (RFC 7606), logs each fault once, and the
  session stays up.
- ExaBGP as a receiver shows the attribute reaches an enabled neighbor
  inside the scope, and never a non-enabled one or one beyond the scope.

The attribute bytes are built here in Python, independently of the C codec,
from the layout in doc/bgp-metadata.md.
"""

import json
import os
import signal
import struct
import subprocess
import time

import pytest

FEED = os.path.join(os.path.dirname(os.path.abspath(__file__)), "bgp_exa_feed.py")
EXABGP = "/usr/sbin/exabgp"

# r1 (AS 65001, bgpd + cfnd_bgp) with four ExaBGP speakers behind it.
TOPO = {
    "name": "bgpexa",
    "routers": {
        "r1": {
            "asn": 65001,
            "bgp_neighbors": [
                {"host": "exa2", "asn": 65002, "compute": True},  # sender
                {"host": "exa3", "asn": 65003, "compute": True},  # in scope
                {"host": "exa4", "asn": 65004},  # not enabled
                {"host": "exa5", "asn": 65005, "compute": True},  # out of scope
            ],
        },
    },
    "hosts": {n: {"router": "r1"} for n in ("exa2", "exa3", "exa4", "exa5")},
    "links": [],
}
ASN = {"exa2": 65002, "exa3": 65003, "exa4": 65004, "exa5": 65005}


def sub(code, value):
    return struct.pack("!HH", code, len(value)) + value


SCOPE = (65001, 65002, 65003)
VALID = (sub(1, struct.pack("!I", 80)) + sub(2, bytes([100]))
         + sub(3, struct.pack("!I", 1500))
         + sub(5, struct.pack("!II", 1234, 2000) + b"edge-1")
         + sub(6, struct.pack("!QQ", 100, 60))
         + sub(7, struct.pack("!" + "I" * len(SCOPE), *SCOPE)))
DECODED = {
    "site": "edge-1", "eligibleMetric": True, "metric": 1234,
    "priceMilli": 2000, "total": 100, "available": 60, "sitePreference": 80,
    "siteAvailability": 100, "delayUs": 1500, "asScope": list(SCOPE),
}
MALFORMED = {
    # prefix: (value, fault phrase bgpd logs)
    "203.0.113.11/32": (VALID[:3], "short sub-TLV header"),
    "203.0.113.12/32": (sub(1, struct.pack("!I", 80))[:2] + b"\x01\x04"
                        + struct.pack("!I", 80), "sub-TLV overruns the attribute"),
    "203.0.113.13/32": (sub(1, b"\x00\x50"), "bad sub-TLV length"),
    "203.0.113.14/32": (sub(2, b"\x32") + sub(2, b"\x3c"), "duplicate sub-TLV"),
    "203.0.113.15/32": (b"", "empty attribute"),
    # the same fault again from the same peer: not logged a second time
    "203.0.113.16/32": (VALID[:5], "short sub-TLV header"),
}


def parse_update(b):
    """(attributes {type: value}, NLRI prefixes) of an UPDATE body
    (RFC 4271 section 4.3)."""
    wlen = struct.unpack("!H", b[:2])[0]
    i = 2 + wlen
    alen = struct.unpack("!H", b[i:i + 2])[0]
    i += 2
    end = i + alen
    attrs = {}
    while i < end:
        flags, code = b[i], b[i + 1]
        if flags & 0x10:
            n = struct.unpack("!H", b[i + 2:i + 4])[0]
            i += 4
        else:
            n = b[i + 2]
            i += 3
        attrs[code] = b[i:i + n]
        i += n
    nlri = []
    while i < len(b):
        plen = b[i]
        octets = (plen + 7) // 8
        addr = b[i + 1:i + 1 + octets] + bytes(4 - octets)
        nlri.append(f"{'.'.join(str(x) for x in addr)}/{plen}")
        i += 1 + octets
    return attrs, nlri


def attr(value):
    return f"attribute [ 0x2a 0x80 0x{value.hex()} ]"


class ExaBGP:
    """One ExaBGP speaker in a lab host, peering with the host's router;
    commands go in through bgp_exa_feed.py, received messages come out as
    JSON lines."""

    def __init__(self, host, asn, peer_as=65001):
        self.host = host
        self.asn = asn
        self.dir = os.path.join(host.rundir, "exabgp")
        os.makedirs(self.dir, exist_ok=True)
        self.cmds = os.path.join(self.dir, "cmds")
        self.out = os.path.join(self.dir, "out.jsonl")
        open(self.cmds, "w").close()
        conf = os.path.join(self.dir, "exabgp.conf")
        with open(conf, "w") as f:
            f.write(f"""process feed {{
    run /usr/bin/python3 {FEED} {self.cmds} {self.out};
    encoder json;
}}
neighbor {host.gateway4} {{
    router-id {host.ip4};
    local-address {host.ip4};
    local-as {asn};
    peer-as {peer_as};
    hold-time 9;
    family {{ ipv4 unicast; }}
    api {{
        processes [ feed ];
        receive {{ parsed; packets; update; }}
    }}
}}
""")
        env = dict(os.environ, exabgp_daemon_user="root",
                   exabgp_daemon_drop="false", exabgp_daemon_daemonize="false",
                   exabgp_api_cli="false", exabgp_log_level="INFO",
                   exabgp_tcp_once="false")
        log = open(os.path.join(self.dir, "exabgp.log"), "ab")
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", host.netns, EXABGP, conf], env=env,
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True)
        log.close()

    def send(self, line):
        with open(self.cmds, "a") as f:
            f.write(line + "\n")

    def messages(self):
        msgs = []
        if os.path.exists(self.out):
            with open(self.out) as f:
                for line in f:
                    line = line.strip()
                    if line.startswith("{"):
                        try:
                            msgs.append(json.loads(line))
                        except ValueError:
                            pass
        return msgs

    def updates_for(self, prefix):
        """Path attributes ({type: value bytes}) of every UPDATE received
        that announces prefix, decoded here from the raw packet."""
        found = []
        for m in self.messages():
            body = m.get("neighbor", {}).get("message", {}).get("body")
            if m.get("type") != "update" or not body:
                continue
            attrs, nlri = parse_update(bytes.fromhex(body[2:]))
            if prefix in nlri:
                found.append(attrs)
        return found

    def stop(self):
        if self.proc.poll() is None:
            # our own process group (start_new_session): exabgp + its feed
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()


@pytest.fixture
def exalab(lab_factory):
    if not os.access(EXABGP, os.X_OK):
        pytest.fail("exabgp missing: ./run build installs the Debian package")
    lab = lab_factory(TOPO)
    speakers = {}
    try:
        for name, asn in ASN.items():
            speakers[name] = ExaBGP(lab.host(name), asn)
        r1 = lab["r1"]

        def established():
            peers = r1.vtysh_json("show bgp summary json").get(
                "ipv4Unicast", {}).get("peers", {})
            down = [n for n in ASN if peers.get(lab.host(n).ip4, {}).get(
                "state") != "Established"]
            return f"not established: {down}" if down else None

        lab.wait_for("ExaBGP sessions", established, timeout=90)
        yield lab, speakers
    finally:
        for s in speakers.values():
            s.stop()


def path_json(r1, prefix):
    out = r1.vtysh_json(f"show bgp ipv4 unicast {prefix} json")
    return out.get("paths") or []


def connections(r1, addr):
    nb = r1.vtysh_json(f"show bgp neighbors {addr} json")[addr]
    return nb["bgpState"], nb.get("connectionsEstablished")


def test_exabgp_sender_valid_and_malformed(exalab):
    lab, exa = exalab
    r1 = lab["r1"]
    sender = lab.host("exa2")
    nh = sender.ip4
    state0 = connections(r1, nh)
    assert state0[0] == "Established"

    exa["exa2"].send(f"announce route 203.0.113.10/32 next-hop {nh} {attr(VALID)}")
    exa["exa2"].send(f"announce route 203.0.113.20/32 next-hop {nh}")
    # Valid first for every prefix that will turn malformed, so that
    # treat-as-withdraw has a route to withdraw.
    for p in MALFORMED:
        exa["exa2"].send(f"announce route {p} next-hop {nh} {attr(VALID)}")

    def decoded():
        paths = path_json(r1, "203.0.113.10/32")
        if not paths:
            return "203.0.113.10/32 not received"
        got = paths[0].get("edgeMetadata")
        return None if got == DECODED else f"edgeMetadata {got}"

    lab.wait_for("attribute decoded as sent", decoded, timeout=60)
    plain = path_json(r1, "203.0.113.20/32")
    assert plain and "edgeMetadata" not in plain[0], plain
    for p in MALFORMED:
        lab.wait_for(f"{p} received", lambda p=p: None if path_json(r1, p)
                     else f"{p} missing", timeout=30)

    for p, (value, _) in MALFORMED.items():
        exa["exa2"].send(f"announce route {p} next-hop {nh} {attr(value)}")

    def withdrawn():
        left = [p for p in MALFORMED if path_json(r1, p)]
        return f"still present: {left}" if left else None

    lab.wait_for("malformed UPDATEs treated as withdraw", withdrawn, timeout=60)
    # The session never went down, and the valid route is untouched.
    assert connections(r1, nh) == state0
    assert path_json(r1, "203.0.113.10/32")[0]["edgeMetadata"] == DECODED
    stats = r1.vtysh_json("show bgp compute neighbors json")[nh]
    assert stats["malformed"] == len(MALFORMED), stats

    # Each distinct fault logged once for this peer, naming it.
    with open(os.path.join(r1.rundir, "bgpd.log"), errors="replace") as f:
        log = [l for l in f
               if "malformed Edge Metadata" in l and "treated as withdraw" in l]
    faults = sorted({phrase for _, phrase in MALFORMED.values()})
    for phrase in faults:
        n = sum(1 for l in log if f"({phrase}," in l)
        assert n == 1, (phrase, n, log)
    assert all(nh in l for l in log), log

    # An unknown sub-TLV is skipped, the rest is used.
    unknown = sub(200, b"\x01\x02\x03") + VALID
    exa["exa2"].send(f"announce route 203.0.113.17/32 next-hop {nh} {attr(unknown)}")
    lab.wait_for("unknown sub-TLV skipped", lambda: None if (
        path_json(r1, "203.0.113.17/32")
        and path_json(r1, "203.0.113.17/32")[0].get("edgeMetadata") == DECODED)
        else "203.0.113.17/32 not decoded", timeout=30)

    # A neighbor without compute-metadata: its route is kept as plain BGP,
    # the attribute discarded.
    exa4 = lab.host("exa4")
    exa["exa4"].send(f"announce route 203.0.113.30/32 next-hop {exa4.ip4} {attr(VALID)}")
    lab.wait_for("route from exa4", lambda: None if path_json(r1, "203.0.113.30/32")
                 else "missing", timeout=30)
    assert "edgeMetadata" not in path_json(r1, "203.0.113.30/32")[0]
    assert r1.vtysh_json("show bgp compute neighbors json")[nh]["accepted"] >= 2
    db = r1.vtysh_json("show bgp compute database json")
    assert "203.0.113.10/32" in db and "203.0.113.30/32" not in db, db
    assert connections(r1, nh) == state0


def test_exabgp_receivers_scope_and_enable(exalab):
    lab, exa = exalab
    r1 = lab["r1"]
    nh = lab.host("exa2").ip4
    exa["exa2"].send(f"announce route 203.0.113.10/32 next-hop {nh} {attr(VALID)}")

    def received(name):
        def probe():
            return None if exa[name].updates_for("203.0.113.10/32") else \
                f"{name} has no UPDATE for 203.0.113.10/32"
        return probe

    for name in ("exa3", "exa4", "exa5"):
        lab.wait_for(f"{name} receives the route", received(name), timeout=60)
    # Enabled and inside the scope: the attribute as exa2 sent it.
    got = exa["exa3"].updates_for("203.0.113.10/32")
    assert got[-1].get(42) == VALID, got
    # Not enabled, or enabled but beyond the scope: never.
    for name in ("exa4", "exa5"):
        got = exa[name].updates_for("203.0.113.10/32")
        assert got and all(42 not in a for a in got), (name, got)
    sent = r1.vtysh_json("show bgp compute neighbors json")
    assert sent[lab.host("exa3").ip4]["sent"] >= 1
    assert sent[lab.host("exa5").ip4]["sent"] == 0

    # Disabled at run time: exa3 gets the route again, without the
    # attribute, and its session stays up.
    n = len(exa["exa3"].updates_for("203.0.113.10/32"))
    r1.vtysh("configure terminal", "router bgp 65001",
             "address-family ipv4 unicast",
             f"no neighbor {lab.host('exa3').ip4} compute-metadata")
    lab.wait_for("exa3 re-announced without metadata", lambda: None if (
        len(exa["exa3"].updates_for("203.0.113.10/32")) > n
        and 42 not in exa["exa3"].updates_for("203.0.113.10/32")[-1])
        else "not yet", timeout=60)
    assert connections(r1, lab.host("exa3").ip4)[1] == 1
