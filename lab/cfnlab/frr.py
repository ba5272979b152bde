# SPDX-License-Identifier: GPL-2.0-or-later
"""FRR daemons of one lab router: configuration, start, stop, vtysh."""

import json
import os
import shutil
import signal
import subprocess
import time


def prefix():
    p = os.environ.get("CFN_PREFIX")
    if not p:
        raise RuntimeError("CFN_PREFIX is not set: run inside `eval $(./run env)`")
    return p


def sbin(name):
    path = os.path.join(prefix(), "sbin", name)
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"{path} missing: run ./run build")
    return path


def vtysh_path():
    return os.path.join(prefix(), "bin", "vtysh")


def moduledir():
    return os.environ.get("CFN_MODULEDIR") or os.path.join(prefix(), "lib/frr/modules")


def isisd_conf(router, topo):
    lines = [f"hostname {router.name}", "!"]
    lines += [
        "interface lo",
        " ip router isis 1",
        " ipv6 router isis 1",
        " isis passive",
        "!",
    ]
    for ifname, link, _ in router.interfaces:
        lines += [
            f"interface {ifname}",
            " ip router isis 1",
            " ipv6 router isis 1",
            " isis network point-to-point",
            " isis hello-interval 1",
            " isis hello-multiplier 3",
            f" isis metric {link.metric}",
            "!",
        ]
    lines += [
        "router isis 1",
        # Timers before 'net': the first LSP is built when the NET is set,
        # and its regeneration is scheduled with the interval then in force.
        " lsp-gen-interval 1",
        " spf-interval 1",
        " is-type level-2-only",
        " metric-style wide",
        f" net {router.net}",
    ]
    lines += router.spec.get("isis_extra", [])
    lines += ["!"]
    return "\n".join(lines) + "\n"


def bgpd_conf(router, topo):
    asn = int(router.spec.get("asn", 64496))
    lines = [
        f"hostname {router.name}",
        "!",
        f"router bgp {asn}",
        f" bgp router-id {router.router_id}",
        " no bgp ebgp-requires-policy",
    ]
    lines += router.spec.get("bgp_extra", [])
    lines += ["!"]
    return "\n".join(lines) + "\n"


class Daemons:
    """zebra + isisd (+ bgpd) of one router, each a child process we own."""

    def __init__(self, router, topo, netns, rundir):
        self.router = router
        self.topo = topo
        self.netns = netns
        self.rundir = rundir
        self.procs = {}  # daemon name -> Popen

    def _daemon_args(self, name, module=None):
        rd = self.rundir
        args = [
            "ip", "netns", "exec", self.netns, sbin(name),
            "-i", f"{rd}/{name}.pid",
            "-z", f"{rd}/zserv.api",
            "--vty_socket", rd,
            "-P", "0",
            "--log", f"file:{rd}/{name}.log",
            "--log-level", "debug",
            "--moduledir", moduledir(),
        ]
        if name != "zebra":
            args += ["-f", f"{rd}/{name}.conf"]
        else:
            args += ["-f", f"{rd}/zebra.conf"]
        if module and not self.router.plain:
            args += ["-M", module]
        return args

    def write_configs(self):
        os.makedirs(self.rundir, exist_ok=True)
        with open(f"{self.rundir}/zebra.conf", "w") as f:
            f.write(f"hostname {self.router.name}\n")
        with open(f"{self.rundir}/isisd.conf", "w") as f:
            f.write(isisd_conf(self.router, self.topo))
        if self.router.bgp:
            with open(f"{self.rundir}/bgpd.conf", "w") as f:
                f.write(bgpd_conf(self.router, self.topo))

    def start_daemon(self, name, module=None, wait_file=None):
        out = open(f"{self.rundir}/{name}.out", "ab")
        proc = subprocess.Popen(
            self._daemon_args(name, module), stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        out.close()
        self.procs[name] = proc
        vty = wait_file or f"{self.rundir}/{name}.vty"
        deadline = time.monotonic() + 20
        while not os.path.exists(vty):
            if proc.poll() is not None:
                with open(f"{self.rundir}/{name}.out", errors="replace") as f:
                    tail = f.read()[-2000:]
                raise RuntimeError(
                    f"{self.router.name}: {name} exited with {proc.returncode}:\n{tail}"
                )
            if time.monotonic() > deadline:
                raise RuntimeError(f"{self.router.name}: {name} did not create {vty}")
            time.sleep(0.05)
        return proc

    def start(self):
        self.write_configs()
        self.start_daemon("zebra", wait_file=f"{self.rundir}/zserv.api")
        self.start_daemon("isisd", module="cfnd_isis")
        if self.router.bgp:
            self.start_daemon("bgpd", module="cfnd_bgp")

    def pids(self):
        return {n: p.pid for n, p in self.procs.items() if p.poll() is None}

    def stop(self):
        # Clients first, zebra last, so they don't log zebra's disappearance.
        for name in sorted(self.procs, key=lambda n: n == "zebra"):
            stop_pid(self.procs[name])
        self.procs.clear()

    def vtysh(self, *commands, check=True, timeout=20):
        args = [vtysh_path(), "--vty_socket", self.rundir]
        for c in commands:
            args += ["-c", c]
        r = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
        if check and r.returncode != 0:
            raise RuntimeError(
                f"{self.router.name}: vtysh {commands!r} failed ({r.returncode}): "
                f"{r.stdout}{r.stderr}"
            )
        return r.stdout

    def vtysh_json(self, command):
        out = self.vtysh(command)
        try:
            return json.loads(out) if out.strip() else {}
        except json.JSONDecodeError as e:
            raise RuntimeError(f"{self.router.name}: {command!r} gave no JSON: {e}: {out[:500]}")


def stop_pid(proc, grace=5.0):
    """Stops a child we started: SIGTERM, then SIGKILL after `grace` s."""
    if proc.poll() is not None:
        return
    try:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)
    except ProcessLookupError:
        pass


def kill_recorded_pid(pid, expect_substr):
    """Kills a PID from a stale lab's state file, only if it is still the
    daemon we started (its command line names our run directory)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return False
    if expect_substr not in cmd:
        return False
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    return True


def have_tools():
    return shutil.which("ip") is not None
