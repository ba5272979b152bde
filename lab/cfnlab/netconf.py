# SPDX-License-Identifier: GPL-2.0-or-later
"""cfn-netconfd for lab routers (topology key `netconf: true` on a router):
a NETCONF server on 127.0.0.1 in the root namespace, with its own SSH host
key and a client key in <router run dir>/netconf/ (also `listen`: the
address and port), talking to the router's daemons through their vty
sockets."""

import os
import socket
import subprocess
import time

from .frr import sbin, stop_pid

USER = "netconf"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def keygen(path, kind="ecdsa"):
    if not os.path.exists(path):
        subprocess.run(["ssh-keygen", "-q", "-t", kind, "-N", "", "-m", "PEM",
                        "-C", os.path.basename(path), "-f", path], check=True)
    return path


class NetconfServer:
    def __init__(self, router, workdir, user=USER):
        self.router = router
        self.dir = workdir
        self.user = user
        self.host_key = os.path.join(workdir, "host_key")
        self.client_key = os.path.join(workdir, "client_key")
        self.authorized = os.path.join(workdir, "authorized_keys")
        self.pidfile = os.path.join(workdir, "cfn-netconfd.pid")
        self.log = os.path.join(workdir, "cfn-netconfd.log")
        self.port = None
        self.proc = None

    @property
    def pid(self):
        return self.proc.pid if self.proc and self.proc.poll() is None else None

    def start(self, timeout=20):
        os.makedirs(self.dir, exist_ok=True)
        keygen(self.host_key)
        keygen(self.client_key)
        with open(self.client_key + ".pub") as f, open(self.authorized, "w") as out:
            out.write(f.read())
        self.port = free_port()
        args = [sbin("cfn-netconfd"), "--listen", f"127.0.0.1:{self.port}",
                "--host-key", self.host_key, "--authorized-keys", self.authorized,
                "--user", self.user, "--vty-dir", self.router.rundir,
                "--pidfile", self.pidfile, "--log", self.log]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while not os.path.exists(self.pidfile):
            if self.proc.poll() is not None:
                raise RuntimeError(f"cfn-netconfd for {self.router.name} exited "
                                   f"{self.proc.returncode}: {self.logtext()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"cfn-netconfd for {self.router.name} did not start: "
                                   f"{self.logtext()}")
            time.sleep(0.05)
        # where a client connects, for people and scripts (doc/netconf.md)
        with open(os.path.join(self.dir, "listen"), "w") as f:
            f.write(f"127.0.0.1:{self.port}\n")
        return self

    def logtext(self):
        try:
            with open(self.log, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        if self.proc:
            stop_pid(self.proc)
            self.proc = None

    def describe(self):
        return (f"NETCONF 127.0.0.1:{self.port} user {self.user} "
                f"key {self.client_key}")


def lab_netconf_servers(lab):
    """The servers of the routers whose topology says `netconf: true`."""
    return {name: NetconfServer(lab.routers[name], os.path.join(lab.routers[name].rundir, "netconf"))
            for name, r in lab.topo.routers.items() if r.spec.get("netconf")}
