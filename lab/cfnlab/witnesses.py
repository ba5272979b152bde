# SPDX-License-Identifier: GPL-2.0-or-later
"""Witnesses of the lab's ledger (`witnesses: [NODE, ...]`): one
cfn-witness in each named router's or host's namespaces, listening on the
node's documentation address, and the tlog-policy (doc/policy.md) that
makes cfn-ledgerd ask them and `cfn-ledger audit --policy` check their
quorum (`witness_quorum`, default a majority)."""

import os
import subprocess
import time

from .frr import stop_pid
from .ledger import tool

PORT = 7380  # not the anycast servers' port


class LabWitnesses:
    def __init__(self, lab, names, quorum=None):
        self.lab = lab
        self.names = list(names)
        unknown = [n for n in self.names
                   if n not in lab.routers and n not in lab.hosts]
        if unknown or len(set(self.names)) != len(self.names):
            raise ValueError(f"witnesses: unknown or repeated nodes in {self.names}")
        self.quorum = quorum or len(self.names) // 2 + 1
        if not 1 <= self.quorum <= len(self.names):
            raise ValueError(f"witness_quorum {self.quorum} is not in "
                             f"1..{len(self.names)}")
        self.dir = os.path.join(lab.dir, "witnesses")
        self.policy = os.path.join(self.dir, "ledger.policy")
        self.procs = {}

    def addr(self, name):
        node = self.lab.node(name)
        a = node.spec.loopback4 if name in self.lab.routers else node.ip4
        return str(a).split("/")[0]

    def key_name(self, name):
        return f"witness.{name}.cfn-lab"

    def prepare(self, log_vkey):
        """Keys, the witnesses' policy (the log they witness) and the
        ledger's (where to ask, and the quorum)."""
        keys = os.path.join(self.dir, "keys")
        os.makedirs(keys, exist_ok=True)
        with open(os.path.join(self.dir, "witness.policy"), "w") as f:
            f.write(f"log {log_vkey}\nquorum none\n")
        lines = ["# the lab ledger, endorsed by its operators' witnesses",
                 f"log {log_vkey}"]
        for n in self.names:
            key = os.path.join(keys, f"{self.key_name(n)}.key")
            if not os.path.exists(key):
                subprocess.run([tool("cfn-ledger"), "keygen", self.key_name(n),
                                "--out", keys], check=True, capture_output=True)
            vkey = subprocess.run([tool("cfn-witness"), "--key", key,
                                   "--print-vkey"], check=True,
                                  capture_output=True, text=True).stdout.strip()
            lines.append(f"witness {n} {vkey} http://{self.addr(n)}:{PORT}")
        lines.append(f"group endorsers {self.quorum} " + " ".join(self.names))
        lines.append("quorum endorsers")
        with open(self.policy, "w") as f:
            f.write("\n".join(lines) + "\n")

    def start(self, timeout=15):
        for n in self.names:
            node = self.lab.node(n)
            state = os.path.join(self.dir, n)
            os.makedirs(state, exist_ok=True)
            # Its state directory (in the lab's) on the command line: the
            # sweep recognises the process as this lab's by it.
            args = node.enter + [
                tool("cfn-witness"), "--listen", f"{self.addr(n)}:{PORT}",
                "--key", os.path.join(self.dir, "keys", f"{self.key_name(n)}.key"),
                "--state", state,
                "--policy", os.path.join(self.dir, "witness.policy")]
            log = open(os.path.join(self.dir, f"{n}.log"), "ab")
            self.procs[n] = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL, start_new_session=True)
            log.close()
        self.lab.record_pids()
        for n, p in self.procs.items():
            self._wait_listening(n, p, timeout)

    def _wait_listening(self, name, proc, timeout):
        node = self.lab.node(name)
        deadline = time.monotonic() + timeout
        while True:
            out = subprocess.run(["ip", "netns", "exec", node.netns, "ss", "-Hltn",
                                  f"sport = :{PORT}"], capture_output=True,
                                 text=True).stdout
            if out.strip():
                return
            if proc.poll() is not None or time.monotonic() > deadline:
                with open(os.path.join(self.dir, f"{name}.log"),
                          errors="replace") as f:
                    raise RuntimeError(f"cfn-witness at {name} did not start: "
                                       f"{f.read()[-1500:]}")
            time.sleep(0.05)

    def pids(self):
        return [p.pid for p in self.procs.values() if p.poll() is None]

    def stop(self):
        for p in self.procs.values():
            stop_pid(p)
        self.procs = {}
