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


def compute_routing_lines(router, rundir):
    """The compute-routing block of a router that hosts services (or says
    `compute: true`); plain routers have none."""
    services = router.spec.get("services") or []
    if router.plain or not (services or router.spec.get("compute")):
        return []
    lines = [" compute-routing", f"  report-socket {rundir}/cfn-report.sock"]
    for svc in services:
        line = (f"  service {svc['prefix']} capacity {svc['capacity']} "
                f"available {svc['available']}")
        if svc.get("price"):
            line += f" price {svc['price']}"
        if svc.get("site"):
            line += f" site {svc['site']}"
        lines.append(line)
    lines += router.spec.get("compute_extra", [])
    if router.spec.get("_export"):  # set by the lab when it runs a ledger
        lines.append(router.spec["_export"])
    lines.append(" exit")
    return lines


def isisd_conf(router, topo, rundir):
    lines = [f"hostname {router.name}", "!"]
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
    # Anycast prefixes served behind this router enter IS-IS as static
    # routes, so plain shortest-path anycast works without our module.
    if router.served(4):
        lines.append(" redistribute ipv4 static level-2")
    if router.served(6):
        lines.append(" redistribute ipv6 static level-2")
    lines += router.spec.get("isis_extra", [])
    lines += compute_routing_lines(router, rundir)
    # The instance first: 'isis metric' above 63 needs metric-style wide.
    lines += ["exit", "!"]
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
    for h in router.hosts:
        # Passive: hosts speak no IS-IS, but their subnet must be reachable
        # (replies to clients, and the static anycast routes' nexthops).
        lines += [
            f"interface {h.router_ifname}",
            " ip router isis 1",
            " ipv6 router isis 1",
            " isis passive",
            "!",
        ]
    lines += ["!"]
    return "\n".join(lines) + "\n"


# Below IS-IS (115) so the site router prefers its own server, above the
# module's steered routes (50) so steering away from this site wins.
STATIC_ANYCAST_DISTANCE = 60


def staticd_conf(router):
    """Static routes to the anycast prefixes served by this router's hosts."""
    lines = [f"hostname {router.name}", "!"]
    for h in router.hosts:
        for p in h.served(4):
            lines.append(f"ip route {p} {h.ip4} {STATIC_ANYCAST_DISTANCE}")
        for p in h.served(6):
            lines.append(f"ipv6 route {p} {h.ip6} {STATIC_ANYCAST_DISTANCE}")
    lines.append("!")
    return "\n".join(lines) + "\n"


def bgp_neighbor_address(router, topo, nbr):
    """Address of one `bgp_neighbors` entry: a host behind this router
    ({host: NAME}), the far end of a link ({router: NAME}), or given."""
    if "address" in nbr:
        return str(nbr["address"])
    if "host" in nbr:
        return topo.hosts[nbr["host"]].ip4
    for _, link, _ in router.interfaces:
        other = link.other(router)
        if other.name == nbr["router"]:
            return link.addr4[other.name].split("/")[0]
    raise ValueError(f"router {router.name}: no link to {nbr['router']}")


def bgp_neighbor_lines(router, topo):
    """Neighbors from the router spec's `bgp_neighbors`, e.g.
    [{host: exa1, asn: 65002, compute: true}, {router: p1, asn: 65002}];
    `compute: true` adds `neighbor X compute-metadata` (cfnd_bgp)."""
    nbrs = router.spec.get("bgp_neighbors") or []
    lines, af = [], []
    for nbr in nbrs:
        addr = bgp_neighbor_address(router, topo, nbr)
        lines.append(f" neighbor {addr} remote-as {int(nbr['asn'])}")
        lines.append(f" neighbor {addr} timers 3 9")
        lines.append(f" neighbor {addr} timers connect 1")
        if nbr.get("compute"):
            af.append(f"  neighbor {addr} compute-metadata")
    if af:
        lines += [" address-family ipv4 unicast"] + af + [" exit-address-family"]
    return lines


def bgp_compute_lines(router):
    """compute-routing under router bgp (cfnd_bgp) from `bgp_services`
    (same keys as `services`) and `bgp_compute_extra` lines."""
    services = router.spec.get("bgp_services") or []
    extra = router.spec.get("bgp_compute_extra") or []
    # `bgp_export: true` with `ledger: true`: bgpd exports to the ledger
    export = router.spec.get("_export") if router.spec.get("bgp_export") else None
    if router.plain or not (services or extra or export):
        return []
    lines = [" compute-routing"]
    for svc in services:
        line = (f"  service {svc['prefix']} capacity {svc['capacity']} "
                f"available {svc['available']}")
        if svc.get("price"):
            line += f" price {svc['price']}"
        if svc.get("site"):
            line += f" site {svc['site']}"
        lines.append(line)
    lines += [f"  {l}" for l in extra]
    if export:
        lines.append(export)
    return lines + [" exit"]


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
    lines += bgp_neighbor_lines(router, topo)
    lines += bgp_compute_lines(router)
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
        # How to run a program in the node (set by the lab once the node's
        # own namespaces exist, see nodens.py).
        self.enter = ["ip", "netns", "exec", netns]

    def _daemon_args(self, name, module=None):
        rd = self.rundir
        args = self.enter + [
            sbin(name),
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
        # Extra modules by path, e.g. test-only ones: {"isisd": [path]}
        for path in self.router.spec.get("modules", {}).get(name, []):
            args += ["-M", path]
        return args

    def write_configs(self):
        os.makedirs(self.rundir, exist_ok=True)
        with open(f"{self.rundir}/zebra.conf", "w") as f:
            f.write(f"hostname {self.router.name}\n")
        with open(f"{self.rundir}/isisd.conf", "w") as f:
            f.write(isisd_conf(self.router, self.topo, self.rundir))
        if self.router.bgp:
            with open(f"{self.rundir}/bgpd.conf", "w") as f:
                f.write(bgpd_conf(self.router, self.topo))
        if self.router.needs_staticd:
            with open(f"{self.rundir}/staticd.conf", "w") as f:
                f.write(staticd_conf(self.router))

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
        if name != "zebra":
            self._wait_config_read(name, proc)
        return proc

    def _wait_config_read(self, name, proc):
        """The vty socket appears before the config file is read; the
        daemon's own running config names our hostname once it is."""
        want = f"hostname {self.router.name}\n"
        deadline = time.monotonic() + 20
        while True:
            r = subprocess.run(
                [vtysh_path(), "--vty_socket", self.rundir, "-d", name,
                 "-c", "show running-config"],
                capture_output=True, text=True, timeout=20,
            )
            if want in r.stdout:
                return
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"{self.router.name}: {name} did not read its config: {r.stdout[-500:]}"
                )
            time.sleep(0.05)

    def start(self):
        self.write_configs()
        self.start_daemon("zebra", wait_file=f"{self.rundir}/zserv.api")
        self.start_daemon("isisd", module="cfnd_isis")
        if self.router.bgp:
            self.start_daemon("bgpd", module="cfnd_bgp")
        if self.router.needs_staticd:
            self.start_daemon("staticd")

    def restart_daemon(self, name):
        """Stops one daemon and starts it again from its config file."""
        proc = self.procs.pop(name)
        stop_pid(proc)
        vty = f"{self.rundir}/{name}.vty"
        if os.path.exists(vty):
            os.unlink(vty)
        module = {"isisd": "cfnd_isis", "bgpd": "cfnd_bgp"}.get(name)
        return self.start_daemon(name, module=module)

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
        return r.stdout if check else r.stdout + r.stderr

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


def _recorded_cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            return f.read().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return None


def terminate_recorded_pid(pid, expect_substr):
    """SIGTERM to a PID from a lab's state file if it is still the process
    we started (its command line names our run directory); True if sent."""
    cmd = _recorded_cmdline(pid)
    if cmd is None or expect_substr not in cmd:
        return False
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    return True


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
