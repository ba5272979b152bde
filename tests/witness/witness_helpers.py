# SPDX-License-Identifier: GPL-2.0-or-later
"""Fixtures of the witness tests: keys, cfn-witness processes on loopback
ports, policies, and a cfn-ledgerd with --policy.  Every process is
stopped by PID at the end of its test, also on failure."""
import os
import signal
import socket
import subprocess
import time

import pytest

import tlogpy


def _need_env(name):
    v = os.environ.get(name)
    if not v:
        pytest.fail(f"{name} is not set (eval \"$(./run env)\")")
    return v


@pytest.fixture(scope="session")
def wbins():
    prefix = _need_env("CFN_PREFIX")
    build = _need_env("CFN_BUILD")
    b = {
        "ledger": os.path.join(prefix, "bin", "cfn-ledger"),
        "witness": os.path.join(prefix, "bin", "cfn-witness"),
        "ledgerd": os.path.join(prefix, "sbin", "cfn-ledgerd"),
        "driver": os.path.join(build, "tests", "ledger", "export_driver"),
    }
    for k, p in b.items():
        if not os.access(p, os.X_OK):
            pytest.fail(f"{k}: {p} not found (build and install first)")
    return b


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    p = s.getsockname()[1]
    s.close()
    return p


def wait_for(pred, timeout=30, what="condition"):
    end = time.time() + timeout
    while time.time() < end:
        v = pred()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


class Env:
    """Keys in one directory; processes started here are killed by PID."""

    def __init__(self, bins, tmp):
        self.bins, self.tmp = bins, tmp
        self.keydir = os.path.join(tmp, "keys")
        os.makedirs(self.keydir, exist_ok=True)
        self.procs = []

    def key(self, name):
        path = os.path.join(self.keydir, name.replace("/", "_") + ".key")
        if not os.path.exists(path):
            subprocess.run([self.bins["ledger"], "keygen", name, "--out",
                            self.keydir], check=True, capture_output=True)
        return path

    def vkey(self, name):
        self.key(name)
        with open(os.path.join(self.keydir,
                               name.replace("/", "_") + ".vkey")) as f:
            return f.read().strip()

    def witness_vkey(self, name):
        return subprocess.run([self.bins["witness"], "--key", self.key(name),
                               "--print-vkey"], check=True,
                              capture_output=True, text=True).stdout.strip()

    def write(self, name, text):
        path = os.path.join(self.tmp, name)
        with open(path, "w") as f:
            f.write(text)
        return path

    def spawn(self, args, log):
        fh = open(os.path.join(self.tmp, log), "a")
        p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=fh)
        self.procs.append(p)
        return p

    def kill(self, p, sig=signal.SIGKILL):
        if p.poll() is None:
            os.kill(p.pid, sig)
        p.wait(timeout=30)

    def cleanup(self):
        for p in self.procs:
            if p.poll() is None:
                os.kill(p.pid, signal.SIGKILL)
                p.wait()


@pytest.fixture
def env(wbins, tmp_path):
    e = Env(wbins, str(tmp_path))
    try:
        yield e
    finally:
        e.cleanup()


class Witness:
    def __init__(self, env, name, policy, port=None):
        self.env, self.name, self.policy = env, name, policy
        self.port = port or free_port()
        self.state = os.path.join(env.tmp, "w-" + name)
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = None

    def start(self):
        self.proc = self.env.spawn(
            [self.env.bins["witness"], "--listen", f"127.0.0.1:{self.port}",
             "--key", self.env.key(self.name), "--state", self.state,
             "--policy", self.policy], f"witness-{self.name}.log")

        def up():
            if self.proc.poll() is not None:
                raise AssertionError("cfn-witness exited: " + self.log())
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2
                                         ).close()
                return True
            except OSError:
                return False
        wait_for(up, 10, "cfn-witness " + self.name)
        return self

    def kill(self, sig=signal.SIGKILL):
        self.env.kill(self.proc, sig)

    def log(self):
        with open(os.path.join(self.env.tmp,
                               f"witness-{self.name}.log")) as f:
            return f.read()

    def evidence(self):
        d = os.path.join(self.state, "evidence")
        return sorted(os.listdir(d)) if os.path.isdir(d) else []


def log_policy(env, log_name="log"):
    """The policy of a witness: the log it witnesses."""
    return env.write(f"witness-{log_name.replace('/', '_')}.policy",
                     f"log {env.vkey(log_name)}\nquorum none\n")


def quorum_policy(env, witnesses, k, name, urls=True, log_name="log"):
    lines = [f"log {env.vkey(log_name)}"]
    for w in witnesses:
        lines.append(f"witness {w.name} {env.witness_vkey(w.name)}"
                     + (f" {w.url}" if urls else ""))
    lines.append(f"group endorsers {k} " + " ".join(w.name
                                                    for w in witnesses))
    lines.append("quorum endorsers")
    return env.write(name, "\n".join(lines) + "\n")


class Ledger:
    def __init__(self, env, name="db", key="log"):
        self.env, self.key = env, key
        self.dir = os.path.join(env.tmp, name)
        self.sock = os.path.join(env.tmp, name + ".sock")
        self.logname = name + ".log"
        self.proc = None

    def start(self, policy, origins=("r1",)):
        args = [self.env.bins["ledgerd"], "--dir", self.dir, "--key",
                self.env.key(self.key), "--socket", self.sock,
                "--checkpoint-interval", "1", "--policy", policy]
        for o in origins:
            args += ["--allow-key", os.path.join(
                self.env.keydir, os.path.basename(self.env.key(o))[:-4]
                + ".vkey")]
        self.proc = self.env.spawn(args, self.logname)
        wait_for(lambda: os.path.exists(self.sock), 10, "cfn-ledgerd")
        return self

    def stop(self):
        self.env.kill(self.proc, signal.SIGTERM)

    def append(self, origin, start, count):
        r = subprocess.run([self.env.bins["driver"], "--socket", self.sock,
                            "--key", self.env.key(origin), "--origin",
                            origin, "--from", str(start), "--count",
                            str(count)], capture_output=True, text=True,
                           timeout=60)
        assert r.returncode == 0, r.stderr

    def cosigned(self):
        try:
            with open(os.path.join(self.dir, "checkpoint.cosigned")) as f:
                return f.read()
        except FileNotFoundError:
            return None

    def cosigned_size(self):
        n = self.cosigned()
        return int(n.split("\n")[1]) if n else -1

    def cosigners(self, keys):
        n = self.cosigned()
        return tlogpy.verify_cosignatures(n, keys) if n else {}

    def log(self):
        with open(os.path.join(self.env.tmp, self.logname)) as f:
            return f.read()


def run(env, *args):
    return subprocess.run([env.bins["ledger"], *args], capture_output=True,
                          text=True, timeout=60)
