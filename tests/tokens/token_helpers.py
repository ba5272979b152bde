# SPDX-License-Identifier: GPL-2.0-or-later
"""Helpers of the token tests: the installed cfn-ledger / cfn-ledgerd, a
ledger with issuer, enterprise and provider accounts, and processes that
are always stopped by PID, also when a test fails."""
import json
import os
import signal
import socket
import subprocess
import time

import pytest

SERVICE = "203.0.113.10/32"


def _bin(kind, name):
    prefix = os.environ.get("CFN_PREFIX")
    if not prefix:
        pytest.fail("CFN_PREFIX is not set (eval \"$(./run env)\")")
    p = os.path.join(prefix, kind, name)
    if not os.access(p, os.X_OK):
        pytest.fail(f"{p} not found (./run build)")
    return p


class Ledger:
    """A cfn-ledgerd with --issuer-key, and the accounts of a trade."""

    def __init__(self, tmp):
        self.tmp = str(tmp)
        self.cli = _bin("bin", "cfn-ledger")
        self.daemon = _bin("sbin", "cfn-ledgerd")
        self.dir = os.path.join(self.tmp, "db")
        self.sock = os.path.join(self.tmp, "ledger.sock")
        self.keys = os.path.join(self.tmp, "keys")
        self.logfile = os.path.join(self.tmp, "ledgerd.log")
        self.proc = None
        self.run("keygen", "log.example/cfn", "--out", self.keys)
        self.logkey = os.path.join(self.keys, "log.example_cfn.key")
        self.logvkey = os.path.join(self.keys, "log.example_cfn.vkey")
        for r in ("r1", "r2"):
            self.run("keygen", r, "--out", self.keys)
        self.ids = {}
        for a in ("issuer", "ent", "ent2", "prov", "prov2"):
            self.ids[a] = self.run("account", "new", a, "--out",
                                   self.keys).stdout.strip()

    def key(self, name):
        return os.path.join(self.keys, name + ".key")

    def run(self, *args, check=True):
        p = subprocess.run([self.cli, *args], capture_output=True,
                           text=True, timeout=120)
        if check and p.returncode != 0:
            raise AssertionError(f"cfn-ledger {' '.join(args)}: "
                                 f"{p.returncode}: {p.stderr}")
        return p

    def start(self):
        assert self.proc is None
        args = [self.daemon, "--dir", self.dir, "--key", self.logkey,
                "--socket", self.sock, "--issuer-key",
                self.key("issuer"), "--checkpoint-interval", "1"]
        for r in ("r1", "r2"):
            args += ["--allow-key", os.path.join(self.keys, r + ".vkey")]
        self.log_fh = open(self.logfile, "a")
        self.proc = subprocess.Popen(args, stderr=self.log_fh,
                                     stdout=subprocess.DEVNULL)
        end = time.time() + 30
        while time.time() < end:
            if self.proc.poll() is not None:
                raise AssertionError("cfn-ledgerd exited: " + self.log())
            try:
                s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                s.connect(self.sock)
                s.close()
                return self
            except OSError:
                time.sleep(0.02)
        raise AssertionError("cfn-ledgerd not ready: " + self.log())

    def kill(self, sig=signal.SIGKILL):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            os.kill(self.proc.pid, sig)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self.proc = None
        self.log_fh.close()

    def stop(self):
        self.kill(signal.SIGTERM)

    def log(self):
        with open(self.logfile) as f:
            return f.read()

    def op(self, cmd, key, *args, check=True):
        """A token operation; its log index, or the failed process."""
        p = self.run(cmd, "--socket", self.sock, "--key", self.key(key),
                     *args, check=check)
        return int(p.stdout) if p.returncode == 0 else p

    def decision(self, origin, seq, sites, service=SERVICE):
        rec = {"origin": origin, "seq": seq,
               "time": "2026-11-24T12:00:00Z", "service": service,
               "sites": sites, "cost": 10, "path": [origin] + sites}
        p = subprocess.run([self.cli, "append", "--socket", self.sock,
                            "--key", os.path.join(self.keys,
                                                  origin + ".key")],
                           input=json.dumps(rec) + "\n", text=True,
                           capture_output=True, timeout=60)
        assert p.returncode == 0, p.stderr
        return int(p.stdout)

    def size(self):
        """Entries in the log (read-only replay by audit)."""
        p = self.run("audit", "--dir", self.dir, "--json", check=False)
        return json.loads(p.stdout)["entries"]

    def fund_and_route(self, amount, price):
        """Issuer funds ent; prov runs router r3 (site edge-1) at price;
        r1's decision routes SERVICE to r3."""
        self.op("issue", "issuer", "--to", self.ids["ent"], "--amount",
                str(amount))
        self.op("provider", "prov", "--router", "r3", "--site", "edge-1",
                "--price", str(price))
        self.decision("r1", 1, ["r3"])

    def json(self, *args):
        return json.loads(self.run(*args, "--json").stdout)

    def balances(self):
        return {a["account"]: (a["balance"], a["locked"])
                for a in self.json("balance", "--dir", self.dir)}


@pytest.fixture
def ledger(tmp_path):
    led = Ledger(tmp_path)
    try:
        yield led
    finally:
        led.kill()


@pytest.fixture
def procs():
    """Background processes a test starts; killed by PID at the end."""
    started = []
    try:
        yield started
    finally:
        for p in started:
            if p.poll() is None:
                os.kill(p.pid, signal.SIGTERM)
                try:
                    p.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    os.kill(p.pid, signal.SIGKILL)
                    p.wait()
