# SPDX-License-Identifier: GPL-2.0-or-later
"""Export over TCP with TLS 1.3 and mutual certificates: the export
client (lib/export_tls.c, driven by tests/ledger/export_driver) and the
ledger's TLS front (ledger/ledgerd_tls.c).  A router with a good
certificate is served; wrong CA, expired certificate, wrong identity, no
certificate and plain TCP are each refused with a logged reason; the
spool holds decisions while the ledger is away and replays them."""
import json
import os
import socket
import ssl
import subprocess

from certs import CA
from witness_helpers import free_port, wait_for


class TlsLedger:
    def __init__(self, env):
        self.env = env
        self.dir = os.path.join(env.tmp, "tls-db")
        self.sock = os.path.join(env.tmp, "tls.sock")
        self.port = free_port()
        self.proc = None
        self.ca = CA(env.tmp, "cfn-ca")
        self.crt, self.key = self.ca.issue("ledger", "ledger.example",
                                           ips=["127.0.0.1"])

    def start(self):
        args = [self.env.bins["ledgerd"], "--dir", self.dir, "--key",
                self.env.key("log"), "--socket", self.sock,
                "--allow-key", self.vkey("r1"),
                "--tls-listen", f"127.0.0.1:{self.port}",
                "--tls-ca", self.ca.crt, "--tls-cert", self.crt,
                "--tls-key", self.key]
        self.proc = self.env.spawn(args, "tls-ledgerd.log")

        def up():
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2
                                         ).close()
                return True
            except OSError:
                return False
        wait_for(up, 10, "TLS front")

    def vkey(self, name):
        self.env.key(name)
        return os.path.join(self.env.keydir, name + ".vkey")

    def log(self):
        with open(os.path.join(self.env.tmp, "tls-ledgerd.log")) as f:
            return f.read()

    def entries(self):
        out = subprocess.run([self.env.bins["ledger"], "tail", "--json",
                              "--once", "--dir", self.dir],
                             capture_output=True, text=True).stdout
        return [json.loads(l) for l in out.splitlines()]

    def driver(self, cert, key, start=1, count=5, extra=(), ca=None,
               timeout=20, wait=True):
        args = [self.env.bins["driver"], "--tls-host", "127.0.0.1",
                "--tls-port", str(self.port), "--tls-ca", ca or self.ca.crt,
                "--tls-cert", cert, "--tls-key", key, "--key",
                self.env.key("r1"), "--origin", "r1", "--from", str(start),
                "--count", str(count), "--timeout", str(timeout), *extra]
        if not wait:
            p = subprocess.Popen(args, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
            self.env.procs.append(p)
            return p
        return subprocess.run(args, capture_output=True, text=True,
                              timeout=timeout + 30)


def test_tls_export_and_refusals(env):
    led = TlsLedger(env)
    led.start()
    ca = led.ca
    good = ca.issue("r1", "r1", dns=["r1"])
    r = led.driver(*good, count=20)
    assert r.returncode == 0, r.stderr
    assert "origin r1 authenticated (TLS 1.3)" in led.log()
    assert len(led.entries()) == 20

    # another CA: refused by the ledger, nothing appended
    other = CA(env.tmp, "other-ca")
    r = led.driver(*other.issue("r1-other", "r1", dns=["r1"]), start=21,
                   timeout=3)
    assert r.returncode != 0
    wait_for(lambda: "unable to get local issuer certificate" in led.log(),
             10, "wrong-CA refusal logged")
    # expired
    r = led.driver(*ca.issue("r1-old", "r1", dns=["r1"], expired=True),
                   start=21, timeout=3)
    assert r.returncode != 0
    wait_for(lambda: "certificate has expired" in led.log(), 10,
             "expired refusal logged")
    # a good certificate that names another router
    r = led.driver(*ca.issue("r2", "r2", dns=["r2"]), start=21, timeout=3)
    assert r.returncode != 0
    wait_for(lambda: "does not name origin r1" in led.log(), 10,
             "identity refusal logged")
    # the router must check the ledger too: a CA it does not trust
    r = led.driver(*good, start=21, timeout=3, ca=other.crt)
    assert r.returncode != 0
    assert "certificate" in r.stderr
    # no client certificate
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(ca.crt)
    ctx.check_hostname = False
    n = led.log().count("refused")
    try:
        with socket.create_connection(("127.0.0.1", led.port), 5) as s:
            with ctx.wrap_socket(s) as t:
                t.sendall(b"x" * 16)
                t.recv(1)
    except (ssl.SSLError, OSError):
        pass
    wait_for(lambda: led.log().count("refused") > n, 10,
             "no-certificate refusal logged")
    # plain TCP
    n = led.log().count("refused")
    with socket.create_connection(("127.0.0.1", led.port), 5) as s:
        s.sendall(b"CFNE\x01\x01" + b"\x00" * 40)
        s.settimeout(5)
        try:
            s.recv(100)
        except OSError:
            pass
    wait_for(lambda: led.log().count("refused") > n, 10,
             "plain TCP refusal logged")
    assert len(led.entries()) == 20


def test_tls_spool_replays(env):
    led = TlsLedger(env)
    good = led.ca.issue("r1", "r1", dns=["r1"])
    sdir = os.path.join(env.tmp, "spool")
    os.makedirs(sdir)
    spool = os.path.join(sdir, "r1.spool")
    p = led.driver(*good, count=15, extra=("--spool", sdir), timeout=60,
                   wait=False)
    # the ledger is away: the decisions go to the spool
    wait_for(lambda: os.path.exists(spool) and os.path.getsize(spool) > 200,
             20, "spooled records")
    led.start()
    _, err = p.communicate(timeout=90)
    assert p.returncode == 0, err
    assert len(led.entries()) == 15
