# SPDX-License-Identifier: GPL-2.0-or-later
"""A running lab: namespaces, veth pairs, daemons, and their teardown.

Every namespace and process a lab makes is recorded in its state file
(/run/cfn-lab/<id>/state.json) before it is made, so that `Lab.sweep()`
(run at every lab start, and by `cfn-lab clean`) removes what a lab left
behind if its owner died without tearing down.
"""

import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import threading
import time

from .frr import Daemons, kill_recorded_pid, stop_pid, terminate_recorded_pid
from .ledger import LedgerNode
from .nodens import NodeNamespaces, enter_args
from .topology import load_topology

LAB_ROOT = os.environ.get("CFN_LAB_ROOT", "/run/cfn-lab")
ANYCAST_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "anycast")
PYTHON = "/usr/bin/python3"


class LabError(RuntimeError):
    pass


def sh(*args, check=True):
    r = subprocess.run(list(args), capture_output=True, text=True)
    if check and r.returncode != 0:
        raise LabError(f"{' '.join(args)}: {r.stderr.strip() or r.stdout.strip()}")
    return r.stdout


def _alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def _zombie(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return False


def subset_mismatch(expected, actual, path="$"):
    """Returns None when every key/value of `expected` is in `actual`
    (dicts compared as subsets, lists element-wise), else where it differs.
    Like FRR topotests' json_cmp."""
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return f"{path}: expected an object, got {type(actual).__name__}"
        for k, v in expected.items():
            if k not in actual:
                return f"{path}.{k}: missing"
            m = subset_mismatch(v, actual[k], f"{path}.{k}")
            if m:
                return m
        return None
    if isinstance(expected, list):
        if not isinstance(actual, list) or len(actual) != len(expected):
            return f"{path}: expected {len(expected)} elements, got {actual!r}"
        for i, (e, a) in enumerate(zip(expected, actual)):
            m = subset_mismatch(e, a, f"{path}[{i}]")
            if m:
                return m
        return None
    if expected != actual:
        return f"{path}: expected {expected!r}, got {actual!r}"
    return None


class Router:
    """A lab router: its namespace, its daemons, and helpers to query it."""

    def __init__(self, lab, spec):
        self.lab = lab
        self.spec = spec
        self.name = spec.name
        self.netns = f"cfn-{lab.id}-{spec.name}"
        self.rundir = os.path.join(lab.dir, spec.name)
        self.daemons = Daemons(spec, lab.topo, self.netns, self.rundir)
        self.ns = NodeNamespaces(spec.name, self.netns, self.rundir)

    @property
    def enter(self):
        """Command prefix running a program in this node's namespaces."""
        return enter_args(self.ns.pid) if self.ns.pid else [
            "ip", "netns", "exec", self.netns]

    def vtysh(self, *commands, check=True):
        return self.daemons.vtysh(*commands, check=check)

    def vtysh_json(self, command):
        return self.daemons.vtysh_json(command)

    def ip(self, *args, check=True):
        return sh("ip", "-n", self.netns, *args, check=check)

    def exec(self, *args, check=True):
        return sh(*self.enter, *args, check=check)

    def fib_route(self, prefix):
        """The kernel's route for `prefix` in this router (ip -j), or None."""
        fam = "-6" if ":" in prefix else "-4"
        out = sh("ip", "-n", self.netns, "-j", fam, "route", "show", "exact", prefix)
        routes = json.loads(out) if out.strip() else []
        return routes[0] if routes else None


class Host:
    """A lab host: a namespace behind one router, with a default route via
    it; a server host also runs the anycast server on its served
    addresses (bound on its loopback)."""

    def __init__(self, lab, spec):
        self.lab = lab
        self.spec = spec
        self.name = spec.name
        self.netns = f"cfn-{lab.id}-{spec.name}"
        self.rundir = os.path.join(lab.dir, "host-" + spec.name)
        self.router = lab.routers[spec.router.name]
        self.ns = NodeNamespaces(spec.name, self.netns, self.rundir)
        self.server = None  # Popen of the anycast server
        self.traffic = []  # running Traffic
        self._traffic_n = 0

    # Shortcuts to the topology's view of this host.
    site = property(lambda self: self.spec.site)
    port = property(lambda self: self.spec.port)
    ip4 = property(lambda self: self.spec.ip4)
    ip6 = property(lambda self: self.spec.ip6)
    gateway4 = property(lambda self: self.spec.gateway4)
    gateway6 = property(lambda self: self.spec.gateway6)
    serves = property(lambda self: list(self.spec.serves))
    anycast_addrs = property(lambda self: self.spec.anycast_addrs)
    router_ifname = property(lambda self: self.spec.router_ifname)
    enter = Router.enter

    @property
    def server_pid(self):
        return self.server.pid if self.server and self.server.poll() is None else None

    def ip(self, *args, check=True):
        return sh("ip", "-n", self.netns, *args, check=check)

    def exec(self, *args, check=True):
        return sh(*self.enter, *args, check=check)

    def start_server(self, timeout=10):
        """Starts the anycast server (a child we own, recorded by PID)."""
        if not self.serves:
            raise LabError(f"host {self.name} serves nothing")
        if self.server_pid:
            return self.server
        os.makedirs(self.rundir, exist_ok=True)
        ready = os.path.join(self.rundir, "server.ready")
        if os.path.exists(ready):
            os.unlink(ready)
        args = self.enter + [
            PYTHON, os.path.join(ANYCAST_DIR, "server.py"),
            "--port", str(self.port), "--name", self.site,
            # Its own run directory on the command line: the sweep
            # recognises the process as this lab's by it.
            "--ready-file", ready]
        for a in self.anycast_addrs:
            args += ["--addr", a]
        log = open(os.path.join(self.rundir, "server.log"), "ab")
        self.server = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        self.lab.record_pids()
        deadline = time.monotonic() + timeout
        while not os.path.exists(ready):
            if self.server.poll() is not None:
                with open(os.path.join(self.rundir, "server.log"), errors="replace") as f:
                    tail = f.read()[-2000:]
                raise LabError(f"host {self.name}: server exited "
                               f"({self.server.returncode}):\n{tail}")
            if time.monotonic() > deadline:
                raise LabError(f"host {self.name}: server not ready in {timeout}s")
            time.sleep(0.02)
        return self.server

    def stop_server(self):
        if self.server:
            stop_pid(self.server, grace=2.0)
            self.server = None
            self.lab.record_pids()

    def _client_args(self, addr, count, interval, timeout, port, tcp):
        args = self.enter + [
            PYTHON, os.path.join(ANYCAST_DIR, "client.py"), "--addr", addr,
            "--port", str(port), "--count", str(count),
            "--interval", str(interval), "--timeout", str(timeout), "--json"]
        return args + (["--tcp"] if tcp else [])

    def start_requests(self, addr, interval=0.02, timeout=0.3, port=8080, tcp=False):
        """Starts sending requests in the background until .stop() on the
        returned Traffic; each result carries its wall-clock time "t"."""
        os.makedirs(self.rundir, exist_ok=True)
        self._traffic_n += 1
        out_path = os.path.join(self.rundir, f"traffic-{self._traffic_n}.jsonl")
        out = open(out_path, "w")
        proc = subprocess.Popen(self._client_args(addr, 0, interval, timeout, port, tcp),
                                stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
        out.close()
        t = Traffic(self, proc, out_path)
        self.traffic.append(t)
        self.lab.record_pids()
        return t

    def request(self, addr, count=20, interval=0.05, timeout=0.5, port=8080,
                tcp=False):
        """Runs the anycast client here; returns its summary
        {"answers": {site: n}, "lost": n, "sent": n, "results": [...]}."""
        if count < 1:
            raise LabError("request(): count must be at least 1 (see start_requests)")
        args = self._client_args(addr, count, interval, timeout, port, tcp)
        limit = 30 + count * (interval + timeout)
        r = subprocess.run(args, capture_output=True, text=True, timeout=limit)
        lines = [l for l in r.stdout.splitlines() if l.strip()]
        if r.returncode != 0 or not lines:
            raise LabError(f"client on {self.name} failed ({r.returncode}): "
                           f"{r.stdout[-1000:]}{r.stderr[-1000:]}")
        summary = json.loads(lines[-1])
        summary["results"] = [json.loads(l) for l in lines[:-1]]
        return summary


class Traffic:
    """Requests running in the background from a host (see
    Host.start_requests); stop() ends them and returns the summary."""

    def __init__(self, host, proc, out_path):
        self.host = host
        self.proc = proc
        self.out_path = out_path
        self.summary = None

    @property
    def pid(self):
        return self.proc.pid if self.proc.poll() is None else None

    def results(self):
        """The per-request results so far (while still running)."""
        with open(self.out_path) as f:
            lines = [l for l in f.read().splitlines() if l.strip()]
        out = []
        for l in lines:
            try:
                d = json.loads(l)
            except ValueError:  # a line being written
                continue
            if "seq" in d:
                out.append(d)
        return out

    def stop(self):
        if self.summary is None:
            stop_pid(self.proc, grace=5.0)
            with open(self.out_path) as f:
                lines = [l for l in f.read().splitlines() if l.strip()]
            if not lines or "answers" not in json.loads(lines[-1]):
                raise LabError(f"traffic from {self.host.name}: no summary "
                               f"(exit {self.proc.returncode})")
            self.summary = json.loads(lines[-1])
            self.summary["results"] = self.results()
            self.host.traffic.remove(self)
            self.host.lab.record_pids()
        return self.summary


LAB_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,23}$")


def check_lab_name(name):
    if not LAB_NAME_RE.match(name or ""):
        raise LabError(f"lab name {name!r}: use 1-24 lower-case letters, digits, "
                       "'-' or '_', starting with a letter or digit")
    return name


def read_state(lab_dir):
    with open(os.path.join(lab_dir, "state.json")) as f:
        return json.load(f)


class Lab:
    """Builds a topology as namespaces with real FRR daemons.  Use as a
    context manager: teardown always runs, also on exceptions and Ctrl-C.

    `lab_id` names the lab (its namespaces are cfn-<id>-<node>, its state
    /run/cfn-lab/<id>/); by default a random one, so that tests run side
    by side.  `detach()` hands a running lab over to `Lab.down(id)`."""

    def __init__(self, topology, lab_id=None, runtime=None):
        self.topo = load_topology(topology)
        self.id = check_lab_name(lab_id) if lab_id else secrets.token_hex(3)
        self.dir = os.path.join(LAB_ROOT, self.id)
        # netns (default) or podman; CFN_LAB_RUNTIME picks it for a whole
        # test run.
        self.runtime = runtime or os.environ.get("CFN_LAB_RUNTIME") or "netns"
        if self.runtime not in ("netns", "podman"):
            raise LabError(f"runtime {self.runtime!r}: use netns or podman")
        self.routers = {n: Router(self, r) for n, r in self.topo.routers.items()}
        self.hosts = {n: Host(self, h) for n, h in self.topo.hosts.items()}
        self.state = {"owner": os.getpid(), "netns": [], "pids": [], "dir": self.dir,
                      "name": self.id, "topology": self.topo.name,
                      "source": None if isinstance(topology, dict)
                      else os.path.abspath(topology), "runtime": self.runtime,
                      "containers": [],
                      "phase": "starting", "detached": False, "nodes": {}}
        if self.runtime == "podman":
            from . import podman
            image = podman.build_image()
            for node in list(self.routers.values()) + list(self.hosts.values()):
                node.ns = podman.ContainerNamespaces(node.name, node.netns,
                                                     node.rundir, self.dir, image)
        self._state_lock = threading.Lock()
        self.up = False
        self._owns_dir = False
        # `ledger: true`: a cfn-ledgerd that every module router exports to
        self.ledger = None
        # `witnesses: [NODE...]`: cfn-witness on those nodes (witnesses.py)
        self.witnesses = None
        # `netconf: true` on a router: a cfn-netconfd for it (netconf.py)
        from .netconf import lab_netconf_servers
        self.netconf = lab_netconf_servers(self)
        if self.topo.spec.get("witnesses") and not self.topo.spec.get("ledger"):
            raise LabError("witnesses: needs ledger: true (they endorse its log)")
        if self.topo.spec.get("ledger"):
            exporters = [n for n, r in self.topo.routers.items()
                         if not r.plain and (r.spec.get("services") or r.spec.get("compute")
                                             or r.spec.get("bgp_export"))]
            self.ledger = LedgerNode(self.dir, exporters)
            if self.topo.spec.get("witnesses"):
                from .witnesses import LabWitnesses
                self.witnesses = LabWitnesses(
                    self, self.topo.spec["witnesses"],
                    self.topo.spec.get("witness_quorum"))
            for n in exporters:
                self.topo.routers[n].spec["_export"] = self.ledger.export_line(
                    n, self.routers[n].rundir)

    def __getitem__(self, name):
        return self.routers[name]

    def host(self, name):
        return self.hosts[name]

    def node(self, name):
        """A router or a host by name."""
        if name in self.routers:
            return self.routers[name]
        if name in self.hosts:
            return self.hosts[name]
        raise KeyError(f"no router or host {name!r}")

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()
        return False

    # -- state file, so a crashed owner's leftovers can be removed --------
    def _save_state(self):
        with self._state_lock:
            os.makedirs(self.dir, exist_ok=True)
            tmp = os.path.join(self.dir, "state.json.tmp")
            with open(tmp, "w") as f:
                json.dump(self.state, f)
            os.replace(tmp, os.path.join(self.dir, "state.json"))

    def detach(self):
        """Leaves the lab running after this process exits: no owner any
        more, `Lab.down(id)` (cfn-lab down) removes it."""
        self.record_pids()
        # The owner becomes a process that lives exactly as long as the
        # lab: the first node's namespace holder (older sweeps, which only
        # know "owner", then leave the lab alone too).
        holder = next((n.ns.pid for n in list(self.routers.values()) +
                       list(self.hosts.values()) if n.ns.pid), None)
        self.state.update(owner=holder, detached=True, phase="up")
        self._save_state()
        self.up = False
        self._owns_dir = False  # stop() from here on would be a mistake

    @staticmethod
    def labs():
        """{id: state} of every lab on this machine (running or left
        behind)."""
        out = {}
        if not os.path.isdir(LAB_ROOT):
            return out
        for lab_id in sorted(os.listdir(LAB_ROOT)):
            try:
                out[lab_id] = read_state(os.path.join(LAB_ROOT, lab_id))
            except (OSError, ValueError):
                out[lab_id] = None
        return out

    @staticmethod
    def is_live(st):
        """A lab whose owner runs, or one detached on purpose."""
        if st is None:
            return False
        if st.get("detached"):
            return True
        owner = st.get("owner")
        return bool(owner) and _alive(owner)

    @staticmethod
    def sweep(include_live=False):
        """Removes the namespaces and daemons of labs whose owner is gone
        (with include_live: every lab, detached ones too)."""
        removed = []
        for lab_id, st in Lab.labs().items():
            if Lab.is_live(st) and not include_live:
                continue
            Lab._remove(lab_id, st)
            removed.append(lab_id)
        return removed

    @staticmethod
    def down(lab_id):
        """Tears down a lab by name (from any process); False if none."""
        d = os.path.join(LAB_ROOT, lab_id)
        if not os.path.isdir(d):
            return False
        try:
            st = read_state(d)
        except (OSError, ValueError):
            st = None
        Lab._remove(lab_id, st)
        return True

    @staticmethod
    def _remove(lab_id, st, grace=3.0):
        """Stops a lab's recorded processes (SIGTERM, then SIGKILL after
        `grace` s; only those whose command line names the lab's
        directory), then anything left in its namespaces, and deletes the
        namespaces and its directory."""
        d = os.path.join(LAB_ROOT, lab_id)
        st = st or {}
        pids = [p for p in st.get("pids", []) if terminate_recorded_pid(p, d)]
        deadline = time.monotonic() + grace
        while pids and time.monotonic() < deadline:
            pids = [p for p in pids if _alive(p) and not _zombie(p)]
            time.sleep(0.05)
        for pid in pids:
            kill_recorded_pid(pid, d)
        # A process started but not yet recorded when the owner died, and
        # the nodes' namespace holders, live in the lab's own namespaces.
        left = set()
        for ns in st.get("netns", []):
            left |= Lab._kill_netns_pids(ns)
        if st.get("containers") and shutil.which("podman"):
            from . import podman
            podman.remove_containers(st["containers"])
        for ns in st.get("netns", []):
            sh("ip", "netns", "del", ns, check=False)
        # Gone when this returns, not just signalled.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(
                _alive(p) and not _zombie(p) for p in left):
            time.sleep(0.02)
        shutil.rmtree(d, ignore_errors=True)

    @staticmethod
    def _kill_netns_pids(ns):
        """SIGKILLs every process in the namespace; returns their PIDs."""
        out = sh("ip", "netns", "pids", ns, check=False)
        killed = set()
        for tok in out.split():
            if tok.isdigit():
                try:
                    os.kill(int(tok), signal.SIGKILL)
                    killed.add(int(tok))
                except ProcessLookupError:
                    pass
        return killed

    @staticmethod
    def leftover_namespaces(lab_id=None):
        """Namespaces named like ours whose lab is gone (should be none);
        with lab_id, only that lab's (labs of other users or state
        directories may be running beside it)."""
        live = set()
        for st in Lab.labs().values():
            live.update((st or {}).get("netns", []))
        prefix = f"cfn-{lab_id}-" if lab_id else "cfn-"
        out = sh("ip", "netns", "list", check=False)
        names = [l.split()[0] for l in out.splitlines() if l.startswith(prefix)]
        return [n for n in names if n not in live]

    # -- bring up / tear down --------------------------------------------
    def _add_netns(self, node):
        self.state["netns"].append(node.netns)
        if self.runtime == "podman":
            self.state["containers"].append(node.ns.container)
        self._save_state()  # recorded before it exists: sweep finds it
        if self.runtime == "netns":
            sh("ip", "netns", "add", node.netns)
        node.ns.start()
        kind = "router" if node.name in self.routers else "host"
        self.state["nodes"][node.name] = {
            "kind": kind, "netns": node.netns, "rundir": node.rundir,
            "pin": node.ns.pid}
        if kind == "router":
            node.daemons.enter = node.enter
        self.record_pids()
        node.ip("link", "set", "dev", "lo", "up")
        node.exec("sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0")
        # Anycast replies may take another path than the request did.
        node.exec("sysctl", "-q", "-w", "net.ipv4.conf.all.rp_filter=0")
        node.exec("sysctl", "-q", "-w", "net.ipv4.conf.default.rp_filter=0")

    def start(self):
        Lab.sweep()
        if os.path.exists(os.path.join(self.dir, "state.json")):
            raise LabError(f"lab {self.id} is already running (cfn-lab down {self.id})")
        os.makedirs(self.dir, exist_ok=True)
        self._owns_dir = True
        self._save_state()
        for r in self.routers.values():
            self._add_netns(r)
            r.exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1")
            r.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=1")
            r.ip("addr", "add", r.spec.loopback4, "dev", "lo")
            r.ip("addr", "add", r.spec.loopback6, "dev", "lo")
        for link in self.topo.links:
            ra, rb = self.routers[link.a.name], self.routers[link.b.name]
            ia, ib = link.ifname[ra.name], link.ifname[rb.name]
            sh("ip", "link", "add", "name", ia, "netns", ra.netns, "type", "veth",
               "peer", "name", ib, "netns", rb.netns)
            for r, ifn in ((ra, ia), (rb, ib)):
                r.ip("addr", "add", link.addr4[r.name], "dev", ifn)
                r.ip("addr", "add", link.addr6[r.name], "dev", ifn, "nodad")
                r.ip("link", "set", "dev", ifn, "up")
        for h in self.hosts.values():
            self._add_host(h)
        self.up = True
        if self.ledger:
            self.ledger.prepare()
            if self.witnesses:
                self.witnesses.prepare(self.ledger.log_vkey())
                self.witnesses.start()
                # In a router, it reaches the witnesses over IS-IS.
                first = next(iter(self.routers.values()))
                self.ledger.start(self.witnesses.policy, first.enter)
            else:
                self.ledger.start()
            self.record_pids()
        self._start_daemons()
        for srv in self.netconf.values():
            srv.start()
        self.record_pids()
        for h in self.hosts.values():
            if h.serves:
                h.start_server()
        self.state["phase"] = "up"
        self._save_state()

    def _add_host(self, h):
        self._add_netns(h)
        r = h.router
        sh("ip", "link", "add", "name", h.router_ifname, "netns", r.netns, "type",
           "veth", "peer", "name", h.spec.ifname, "netns", h.netns)
        r.ip("addr", "add", h.spec.router_addr4, "dev", h.router_ifname)
        r.ip("addr", "add", h.spec.router_addr6, "dev", h.router_ifname, "nodad")
        r.ip("link", "set", "dev", h.router_ifname, "up")
        h.ip("addr", "add", h.spec.addr4, "dev", h.spec.ifname)
        h.ip("addr", "add", h.spec.addr6, "dev", h.spec.ifname, "nodad")
        h.ip("link", "set", "dev", h.spec.ifname, "up")
        h.ip("route", "add", "default", "via", h.gateway4)
        h.ip("-6", "route", "add", "default", "via", h.gateway6)
        for a in h.anycast_addrs:
            plen = 128 if ":" in a else 32
            h.ip("addr", "add", f"{a}/{plen}", "dev", "lo")

    def _start_daemons(self):
        """Starts every router's daemons, routers in parallel (each one
        mostly waits for its daemons' sockets and config reads)."""
        for r in self.routers.values():
            r.daemons.write_configs()
        errors = []

        def run(r):
            try:
                r.daemons.start()
            except BaseException as e:  # reported below, after every join
                errors.append(e)
            finally:
                self.record_pids()

        threads = [threading.Thread(target=run, args=(r,), name=f"start-{r.name}")
                   for r in self.routers.values()]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if errors:
            raise errors[0]

    def record_pids(self):
        """Records the PIDs of every daemon and server we run (again after
        one was started, stopped or restarted)."""
        with self._state_lock:
            pids = [pid for r in self.routers.values()
                    for pid in r.daemons.pids().values()]
            pids += [h.server_pid for h in self.hosts.values() if h.server_pid]
            pids += [t.pid for h in self.hosts.values() for t in h.traffic if t.pid]
            if self.ledger and self.ledger.proc:
                pids.append(self.ledger.proc.pid)
            if self.witnesses:
                pids += self.witnesses.pids()
            pids += [srv.pid for srv in self.netconf.values() if srv.pid]
            self.state["pids"] = pids
            # The nodes' namespace holders, apart: stopped last (by the
            # sweep as processes inside the lab's namespaces).
            self.state["holders"] = [n.ns.pid for n in list(self.routers.values()) +
                                     list(self.hosts.values()) if n.ns.pid]
        self._save_state()

    def stop(self):
        if not self._owns_dir:
            return  # never started, detached, or the name was taken
        for h in self.hosts.values():
            for t in list(h.traffic):
                stop_pid(t.proc, grace=2.0)
            h.traffic = []
            if h.server:
                stop_pid(h.server, grace=2.0)
                h.server = None
        for srv in self.netconf.values():
            srv.stop()
        for r in self.routers.values():
            r.daemons.stop()
        if self.ledger:
            self.ledger.stop()
        if self.witnesses:
            self.witnesses.stop()
        for node in list(self.routers.values()) + list(self.hosts.values()):
            node.ns.stop()
        for ns in self.state["netns"]:
            sh("ip", "netns", "del", ns, check=False)
        self.state["netns"] = []
        self.state["pids"] = []
        shutil.rmtree(self.dir, ignore_errors=True)
        self.up = False
        self._owns_dir = False

    # -- links and traffic -------------------------------------------------
    def _link_ends(self, a, b):
        """[(node, ifname)] of both ends of the link between a and b
        (routers or a host and its router)."""
        for link in self.topo.links:
            if {link.a.name, link.b.name} == {a, b}:
                return [(self.routers[n], link.ifname[n]) for n in (a, b)]
        for h in self.hosts.values():
            if {h.name, h.router.name} == {a, b}:
                return [(h, h.spec.ifname), (h.router, h.router_ifname)]
        raise KeyError(f"no link between {a} and {b}")

    def set_link(self, a, b, up=False):
        """Sets both veth ends of the link a-b down (or up again)."""
        for node, ifname in self._link_ends(a, b):
            node.ip("link", "set", "dev", ifname, "up" if up else "down")

    def _neighbor(self, router, ifname):
        """The node (router or host name) at the other end of ifname."""
        for ifn, link, _ in self.routers[router].spec.interfaces:
            if ifn == ifname:
                return link.other(self.routers[router].spec).name
        for h in self.routers[router].spec.hosts:
            if h.router_ifname == ifname:
                return h.name
        return None

    def fib_paths(self, router, prefix, max_hops=32):
        """Follows `prefix` through the routers' kernel FIBs from `router`,
        every ECMP branch, and returns the paths as lists of node names,
        each ending at a host (e.g. [["a1", "m1", "e1", "edge1-srv"]]).
        Raises LabError naming the router on a loop or a blackhole."""
        paths = []

        def walk(path):
            here = path[-1]
            if here in self.hosts:
                paths.append(path)
                return
            if len(path) > max_hops or here in path[:-1]:
                raise LabError(f"{prefix}: forwarding loop {' -> '.join(path)}")
            rt = self.routers[here].fib_route(prefix)
            if rt is None or rt.get("type") in ("blackhole", "unreachable", "prohibit"):
                what = "no route" if rt is None else f"{rt['type']} route"
                raise LabError(f"{prefix}: blackhole at {here} ({what}) after "
                               f"{' -> '.join(path)}")
            hops = rt.get("nexthops") or [rt]
            for nh in hops:
                nxt = self._neighbor(here, nh.get("dev"))
                if nxt is None:
                    raise LabError(f"{prefix}: {here} forwards to {nh} "
                                   f"(not a lab link) after {' -> '.join(path)}")
                walk(path + [nxt])

        walk([router])
        return paths

    def request(self, client_host, addr, count=20, interval=0.05, timeout=0.5,
                port=8080, tcp=False):
        """Sends `count` requests to anycast `addr` from a host; returns
        {"answers": {site: n}, "lost": n, "sent": n, "results": [...]}."""
        return self.hosts[client_host].request(addr, count=count, interval=interval,
                                               timeout=timeout, port=port, tcp=tcp)

    def wait_served(self, client_host, addr, sites, count=5, timeout=60,
                    interval=0.05, port=8080):
        """Polls bursts of `count` requests until every one is answered and
        the answering sites are exactly `sites`; returns the last summary."""
        want = sorted([sites] if isinstance(sites, str) else sites)
        state = {}

        def probe():
            s = self.request(client_host, addr, count=count, interval=interval,
                             timeout=0.3, port=port)
            state["last"] = s
            if s["lost"] or sorted(s["answers"]) != want:
                return f"answers {s['answers']} lost {s['lost']}, want all from {want}"
            return None

        self.wait_for(f"{client_host} -> {addr} served by {want}", probe,
                      timeout=timeout, interval=0.2)
        return state["last"]

    # -- convergence -------------------------------------------------------
    def wait_for(self, what, probe, timeout=60, interval=0.5):
        """Polls probe() until it returns None (converged) or the time is up;
        probe returns a string saying what is still wrong."""
        deadline = time.monotonic() + timeout
        last = None
        while True:
            try:
                last = probe()
            except Exception as e:  # daemon not answering yet
                last = f"{type(e).__name__}: {e}"
            if last is None:
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"{what}: not converged after {timeout}s: {last}")
            time.sleep(interval)

    def wait_json(self, router, command, expected, timeout=60):
        """Polls `command` (a show ... json) on a router until its output
        contains `expected` (subset match); fails showing the last output."""
        r = self.routers[router]
        state = {}

        def probe():
            state["out"] = r.vtysh_json(command)
            m = subset_mismatch(expected, state["out"])
            if m is None:
                return None
            return f"{m}\nlast output of {router} '{command}':\n" + json.dumps(
                state["out"], indent=1)[:3000]

        self.wait_for(f"{router}: {command}", probe, timeout=timeout)
        return state["out"]

    def wait_isis_adjacencies(self, timeout=60):
        """Every router's IS-IS neighbors are all Up."""
        for name, r in self.routers.items():
            want = sorted(l.other(r.spec).name for _, l, _ in r.spec.interfaces)

            def probe(r=r, want=want):
                out = r.vtysh_json("show isis neighbor json")
                up = sorted(
                    c["adj"]
                    for area in out.get("areas", [])
                    for c in area.get("circuits", [])
                    if c.get("state") == "Up"
                )
                return None if up == want else f"neighbors up {up}, want {want}"

            self.wait_for(f"{name}: IS-IS adjacencies", probe, timeout=timeout)
