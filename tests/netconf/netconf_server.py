# SPDX-License-Identifier: GPL-2.0-or-later
"""Starts cfn-netconfd for a lab router (in the root namespace, on
127.0.0.1, talking to the router's daemons through its vty sockets) with
fresh SSH keys, and stops it by PID."""

import os
import socket
import subprocess
import time

from ncclient import manager


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def keygen(path, kind="ecdsa"):
    subprocess.run(["ssh-keygen", "-q", "-t", kind, "-N", "", "-m", "PEM",
                    "-f", path], check=True)
    return path


class NetconfServer:
    def __init__(self, router, workdir, user="netconf"):
        self.router = router
        self.dir = workdir
        os.makedirs(workdir, exist_ok=True)
        self.user = user
        self.host_key = keygen(os.path.join(workdir, "host_key"))
        self.client_key = keygen(os.path.join(workdir, "client_key"))
        self.other_key = keygen(os.path.join(workdir, "other_key"))
        self.authorized = os.path.join(workdir, "authorized_keys")
        with open(self.client_key + ".pub") as f, open(self.authorized, "w") as out:
            out.write(f.read())
        self.port = free_port()
        self.pidfile = os.path.join(workdir, "cfn-netconfd.pid")
        self.log = os.path.join(workdir, "cfn-netconfd.log")
        self.proc = None

    def start(self, timeout=20):
        args = ["cfn-netconfd", "--listen", f"127.0.0.1:{self.port}",
                "--host-key", self.host_key, "--authorized-keys", self.authorized,
                "--user", self.user, "--vty-dir", self.router.rundir,
                "--pidfile", self.pidfile, "--log", self.log]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise RuntimeError(f"cfn-netconfd exited {self.proc.returncode}: {self.logtext()}")
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"cfn-netconfd did not listen: {self.logtext()}")
                time.sleep(0.1)

    def logtext(self):
        try:
            with open(self.log, errors="replace") as f:
                return f.read()
        except OSError:
            return ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def connect(self, key=None, user=None, **kw):
        """An ncclient session (raises on refused authentication)."""
        return manager.connect(
            host="127.0.0.1", port=self.port, username=user or self.user,
            key_filename=key if key is not None else self.client_key,
            hostkey_verify=False, allow_agent=False, look_for_keys=False,
            timeout=30, **kw)
