# SPDX-License-Identifier: GPL-2.0-or-later
"""Export over TLS across network namespaces: the ledger alone in one
namespace (192.0.2.1), a router's export client in another (192.0.2.2),
joined by a veth pair.  The router's decisions arrive over TLS 1.3; the
ledger goes away (SIGKILL) in the middle, the spool holds the decisions,
and they are replayed when it is back; plain TCP from the router's
namespace is refused.  Namespaces and processes are removed by name and
PID at the end, also on failure."""
import json
import os
import signal
import socket
import subprocess

import pytest

from certs import CA
from witness_helpers import wait_for

PORT = 6514


def sh(*args, check=True):
    return subprocess.run(args, check=check, capture_output=True, text=True)


@pytest.fixture
def netns():
    if os.geteuid() != 0:
        pytest.skip("needs root for network namespaces")
    tag = f"{os.getpid() % 100000}"
    led, rtr = f"cfnw-l{tag}", f"cfnw-r{tag}"
    try:
        sh("ip", "netns", "add", led)
        sh("ip", "netns", "add", rtr)
        sh("ip", "link", "add", f"wl{tag}", "netns", led, "type", "veth",
           "peer", "name", f"wr{tag}", "netns", rtr)
        for ns, dev, addr in ((led, f"wl{tag}", "192.0.2.1/24"),
                              (rtr, f"wr{tag}", "192.0.2.2/24")):
            sh("ip", "-n", ns, "addr", "add", addr, "dev", dev)
            sh("ip", "-n", ns, "link", "set", dev, "up")
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        yield led, rtr
    finally:
        sh("ip", "netns", "del", led, check=False)
        sh("ip", "netns", "del", rtr, check=False)


def test_tls_across_namespaces(env, netns):
    led_ns, rtr_ns = netns
    ca = CA(env.tmp, "cfn-ca")
    lcrt, lkey = ca.issue("ledger", "ledger.example", ips=["192.0.2.1"])
    rcrt, rkey = ca.issue("tls-r1", "r1", dns=["r1"])
    d, sock = os.path.join(env.tmp, "db"), os.path.join(env.tmp, "l.sock")
    env.key("r1")
    ledgerd = ["ip", "netns", "exec", led_ns, env.bins["ledgerd"], "--dir",
               d, "--key", env.key("log"), "--socket", sock, "--allow-key",
               os.path.join(env.keydir, "r1.vkey"), "--tls-listen",
               f"192.0.2.1:{PORT}", "--tls-ca", ca.crt, "--tls-cert", lcrt,
               "--tls-key", lkey]
    logf = os.path.join(env.tmp, "ledgerd.log")

    def start():
        p = env.spawn(ledgerd, "ledgerd.log")
        wait_for(lambda: "tls: listening" in open(logf).read(), 15,
                 "TLS front in the ledger namespace")
        return p

    def entries():
        out = sh(env.bins["ledger"], "tail", "--json", "--once", "--dir",
                 d).stdout
        return [json.loads(l) for l in out.splitlines()]

    def driver(start_seq, count, extra=()):
        return ["ip", "netns", "exec", rtr_ns, env.bins["driver"],
                "--tls-host", "192.0.2.1", "--tls-port", str(PORT),
                "--tls-ca", ca.crt, "--tls-cert", rcrt, "--tls-key", rkey,
                "--key", env.key("r1"), "--origin", "r1", "--from",
                str(start_seq), "--count", str(count), "--timeout", "60",
                *extra]

    p = start()
    r = subprocess.run(driver(1, 10), capture_output=True, text=True,
                       timeout=90)
    assert r.returncode == 0, r.stderr
    assert len(entries()) == 10
    assert "origin r1 authenticated (TLS 1.3)" in open(logf).read()

    # the ledger goes away; the router keeps deciding, into its spool
    os.kill(p.pid, signal.SIGKILL)
    p.wait()
    sdir = os.path.join(env.tmp, "spool")
    os.makedirs(sdir)
    drv = subprocess.Popen(driver(11, 20, ("--spool", sdir)),
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    env.procs.append(drv)
    spool = os.path.join(sdir, "r1.spool")
    wait_for(lambda: os.path.exists(spool) and os.path.getsize(spool) > 200,
             30, "decisions spooled while the ledger is away")
    start()
    _, err = drv.communicate(timeout=120)
    assert drv.returncode == 0, err
    got = entries()
    assert len(got) == 30
    assert sorted(e["seq"] for e in got) == list(range(1, 31))

    # plain TCP from the router's namespace: refused, logged
    n = open(logf).read().count("refused")
    sh("ip", "netns", "exec", rtr_ns, "/usr/bin/python3", "-c",
       "import socket; s=socket.create_connection(('192.0.2.1', %d), 5);"
       "s.sendall(b'CFNE' + bytes(40)); s.settimeout(5);"
       "\ntry: s.recv(10)\nexcept OSError: pass" % PORT, check=False)
    wait_for(lambda: open(logf).read().count("refused") > n, 10,
             "plain TCP refused")
