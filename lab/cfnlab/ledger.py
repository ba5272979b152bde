# SPDX-License-Identifier: GPL-2.0-or-later
"""A ledger node in a lab: cfn-ledgerd with one signing key per router,
to which every module router exports its steering decisions."""

import json
import os
import subprocess
import time

from .frr import prefix, stop_pid


ORIGIN = "cfn-lab-ledger"


def tool(name):
    return os.path.join(prefix(), "bin", name)


class LedgerNode:
    """cfn-ledgerd in the lab's directory; routers reach its UNIX socket
    through the shared filesystem."""

    def __init__(self, labdir, routers):
        self.dir = os.path.join(labdir, "ledger")
        self.keys = os.path.join(self.dir, "keys")
        self.log_dir = os.path.join(self.dir, "log")
        self.socket = os.path.join(self.dir, "ledger.sock")
        self.routers = list(routers)
        self.proc = None
        # TLS (doc/export-tls.md): the ledger in its own namespace, routers
        # reach it over TCP; set by the caller before start()
        self.netns = None
        self.tls = None  # {"listen": "ADDR:PORT", "ca": F, "cert": F, "key": F}
        self.policy = None  # a tlog-policy: cfn-ledgerd asks its witnesses

    def key_file(self, router):
        return os.path.join(self.keys, f"{router}.key")

    def export_line(self, router, rundir):
        return (f"  export socket {self.socket} key {self.key_file(router)} "
                f"spool {rundir}/export.spool")

    def prepare(self):
        os.makedirs(self.keys, exist_ok=True)
        os.makedirs(self.log_dir, exist_ok=True)
        for name in ["ledger"] + self.routers:
            if not os.path.exists(self.key_file(name)):
                # The log's key is named as its origin: a tlog-policy's
                # log line names the origin by the key's name.
                kname = ORIGIN if name == "ledger" else name
                subprocess.run([tool("cfn-ledger"), "keygen", kname, "--out", self.keys],
                               check=True, capture_output=True)
                for ext in (".key", ".vkey"):
                    os.replace(os.path.join(self.keys, kname + ext),
                               os.path.join(self.keys, name + ext))

    def log_vkey(self):
        with open(os.path.join(self.keys, "ledger.vkey")) as f:
            return f.read().strip()

    def start(self, policy=None, enter=()):
        """With a policy, cfn-ledgerd runs in a node's namespaces (`enter`)
        to reach the witnesses."""
        self.policy = policy
        args = list(enter) + [os.path.join(prefix(), "sbin", "cfn-ledgerd")
                if os.path.exists(os.path.join(prefix(), "sbin", "cfn-ledgerd"))
                else tool("cfn-ledgerd"),
                "--dir", self.log_dir, "--key", self.key_file("ledger"),
                "--socket", self.socket, "--origin", ORIGIN,
                "--checkpoint-interval", "1"]
        if self.tls:
            args += ["--tls-listen", self.tls["listen"], "--tls-ca", self.tls["ca"],
                     "--tls-cert", self.tls["cert"], "--tls-key", self.tls["key"]]
        args += ["--policy", policy] if policy else []
        if self.netns:
            args = ["ip", "netns", "exec", self.netns] + args
        for r in self.routers:
            args += ["--allow-key", os.path.join(self.keys, f"{r}.vkey")]
        out = open(os.path.join(self.dir, "cfn-ledgerd.out"), "ab")
        self.proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()
        deadline = time.monotonic() + 15
        while not os.path.exists(self.socket):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                with open(os.path.join(self.dir, "cfn-ledgerd.out")) as f:
                    raise RuntimeError(f"cfn-ledgerd did not start: {f.read()[-1500:]}")
            time.sleep(0.05)
        return self.proc

    def stop(self):
        if self.proc:
            stop_pid(self.proc)
            self.proc = None

    def entries(self):
        """Every record in the log, decoded (cfn-ledger tail --once)."""
        r = subprocess.run([tool("cfn-ledger"), "--dir", self.log_dir, "tail",
                            "--json", "--from", "0", "--once"],
                           capture_output=True, text=True, timeout=30)
        if r.returncode != 0:
            raise RuntimeError(f"cfn-ledger tail: {r.stderr}")
        return [json.loads(l) for l in r.stdout.splitlines() if l.strip()]

    def audit(self):
        """The regulator's view: every record signed by a known router key,
        every proof and the checkpoint verify."""
        keys = os.path.join(self.dir, "routers.vkeys")
        with open(keys, "w") as f:
            for r in self.routers:
                with open(os.path.join(self.keys, f"{r}.vkey")) as v:
                    f.write(v.read().strip() + "\n")
        pol = ["--policy", self.policy] if self.policy else []
        return subprocess.run([tool("cfn-ledger"), "--dir", self.log_dir, "audit",
                               "--vkey", os.path.join(self.keys, "ledger.vkey"),
                               "--keys", keys] + pol,
                              capture_output=True, text=True, timeout=60)

    def verify(self, json_out=False):
        """cfn-ledger verify --policy: the endorsed checkpoint's quorum."""
        return subprocess.run([tool("cfn-ledger"), "verify", "--dir", self.log_dir,
                               "--policy", self.policy] + (["--json"] if json_out else []),
                              capture_output=True, text=True, timeout=60)
