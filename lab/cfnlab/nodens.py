# SPDX-License-Identifier: GPL-2.0-or-later
"""A node's own mount and UTS namespaces, beside its network namespace.

Like FRR topotest's micronet: one long-lived process per node holds the
namespaces (here `sleep infinity`, started by `unshare` inside the node's
network namespace); everything the lab runs on the node enters them with
`nsenter --target PIN`.  In its mount namespace the node's run directory
is bound on /run/frr (FRR's default), so each node sees only its own
sockets and pid files there; in its UTS namespace the hostname is the
node's name.  Mount propagation is private: nothing a node mounts reaches
the host or another node.
"""

import os
import subprocess
import time

PRIVATE_RUN = "/run/frr"


def enter_args(pin_pid):
    """The command prefix that runs a program inside the node."""
    return ["nsenter", "--target", str(pin_pid), "--net", "--mount", "--uts", "--"]


class NodeNamespaces:
    def __init__(self, name, netns, rundir):
        self.name = name
        self.netns = netns
        self.rundir = rundir
        self.proc = None

    @property
    def pid(self):
        return self.proc.pid if self.proc and self.proc.poll() is None else None

    def start(self, timeout=10):
        os.makedirs(self.rundir, exist_ok=True)
        # The mount point must exist; the bind itself stays in the node.
        os.makedirs(PRIVATE_RUN, exist_ok=True)
        self.proc = subprocess.Popen(
            ["ip", "netns", "exec", self.netns, "unshare", "--mount", "--uts",
             "--propagation", "private", "--", "sleep", "infinity"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, start_new_session=True)
        # unshare has made the namespaces once the process runs sleep.
        deadline = time.monotonic() + timeout
        while True:
            try:
                with open(f"/proc/{self.proc.pid}/comm") as f:
                    if f.read().strip() == "sleep":
                        break
            except OSError:
                pass
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name}: unshare failed: "
                                   f"{self.proc.stderr.read().decode(errors='replace')}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.name}: namespaces not ready in {timeout}s")
            time.sleep(0.01)
        self.proc.stderr.close()
        r = subprocess.run(
            enter_args(self.proc.pid) + [
                "sh", "-c", 'hostname "$1" && mount --bind "$2" "$3"', "cfn-node",
                self.name, self.rundir, PRIVATE_RUN],
            capture_output=True, text=True, timeout=timeout)
        if r.returncode != 0:
            raise RuntimeError(f"{self.name}: node namespaces: {r.stderr.strip()}")
        return self.proc.pid

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=5)
        self.proc = None
