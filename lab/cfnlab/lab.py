# SPDX-License-Identifier: GPL-2.0-or-later
"""A running lab: namespaces, veth pairs, daemons, and their teardown.

Every namespace and process a lab makes is recorded in its state file
(/run/cfn-lab/<id>/state.json) before it is made, so that `Lab.sweep()`
(run at every lab start, and by `cfn-lab clean`) removes what a lab left
behind if its owner died without tearing down.
"""

import json
import os
import secrets
import shutil
import subprocess
import time

from .frr import Daemons, kill_recorded_pid
from .ledger import LedgerNode
from .topology import load_topology

LAB_ROOT = os.environ.get("CFN_LAB_ROOT", "/run/cfn-lab")


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

    def vtysh(self, *commands, check=True):
        return self.daemons.vtysh(*commands, check=check)

    def vtysh_json(self, command):
        return self.daemons.vtysh_json(command)

    def ip(self, *args, check=True):
        return sh("ip", "-n", self.netns, *args, check=check)

    def exec(self, *args, check=True):
        return sh("ip", "netns", "exec", self.netns, *args, check=check)

    def fib_route(self, prefix):
        """The kernel's route for `prefix` in this router (ip -j), or None."""
        fam = "-6" if ":" in prefix else "-4"
        out = sh("ip", "-n", self.netns, "-j", fam, "route", "show", "exact", prefix)
        routes = json.loads(out) if out.strip() else []
        return routes[0] if routes else None


class Lab:
    """Builds a topology as namespaces with real FRR daemons.  Use as a
    context manager: teardown always runs, also on exceptions and Ctrl-C."""

    def __init__(self, topology, lab_id=None):
        self.topo = load_topology(topology)
        self.id = lab_id or secrets.token_hex(3)
        self.dir = os.path.join(LAB_ROOT, self.id)
        self.routers = {n: Router(self, r) for n, r in self.topo.routers.items()}
        self.state = {"owner": os.getpid(), "netns": [], "pids": [], "dir": self.dir}
        self.up = False
        # `ledger: true`: a cfn-ledgerd that every module router exports to
        self.ledger = None
        if self.topo.spec.get("ledger"):
            exporters = [n for n, r in self.topo.routers.items()
                         if not r.plain and (r.spec.get("services") or r.spec.get("compute"))]
            self.ledger = LedgerNode(self.dir, exporters)
            for n in exporters:
                self.topo.routers[n].spec["_export"] = self.ledger.export_line(
                    n, self.routers[n].rundir)

    def __getitem__(self, name):
        return self.routers[name]

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
        os.makedirs(self.dir, exist_ok=True)
        tmp = os.path.join(self.dir, "state.json.tmp")
        with open(tmp, "w") as f:
            json.dump(self.state, f)
        os.replace(tmp, os.path.join(self.dir, "state.json"))

    @staticmethod
    def sweep(include_live=False):
        """Removes the namespaces and daemons of labs whose owner is gone."""
        removed = []
        if not os.path.isdir(LAB_ROOT):
            return removed
        for lab_id in os.listdir(LAB_ROOT):
            d = os.path.join(LAB_ROOT, lab_id)
            try:
                with open(os.path.join(d, "state.json")) as f:
                    st = json.load(f)
            except (OSError, ValueError):
                shutil.rmtree(d, ignore_errors=True)
                continue
            if _alive(st.get("owner", 0)) and not include_live:
                continue
            for pid in st.get("pids", []):
                kill_recorded_pid(pid, d)
            for ns in st.get("netns", []):
                sh("ip", "netns", "del", ns, check=False)
            shutil.rmtree(d, ignore_errors=True)
            removed.append(lab_id)
        return removed

    @staticmethod
    def leftover_namespaces():
        """Namespaces named like ours whose lab is gone (should be none)."""
        live = set()
        if os.path.isdir(LAB_ROOT):
            live = set(os.listdir(LAB_ROOT))
        out = sh("ip", "netns", "list", check=False)
        names = [l.split()[0] for l in out.splitlines() if l.startswith("cfn-")]
        return [n for n in names if n.split("-")[1] not in live]

    # -- bring up / tear down --------------------------------------------
    def start(self):
        Lab.sweep()
        os.makedirs(self.dir, exist_ok=True)
        self._save_state()
        for r in self.routers.values():
            self.state["netns"].append(r.netns)
            self._save_state()
            sh("ip", "netns", "add", r.netns)
            r.ip("link", "set", "dev", "lo", "up")
            r.exec("sysctl", "-q", "-w", "net.ipv4.ip_forward=1")
            r.exec("sysctl", "-q", "-w", "net.ipv6.conf.all.forwarding=1")
            r.exec("sysctl", "-q", "-w", "net.ipv6.conf.default.accept_dad=0")
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
        self.up = True
        if self.ledger:
            self.ledger.prepare()
            self.state["pids"].append(self.ledger.start().pid)
            self._save_state()
        for r in self.routers.values():
            r.daemons.write_configs()
            try:
                r.daemons.start()
            finally:
                self.state["pids"] += list(r.daemons.pids().values())
                self._save_state()

    def record_pids(self):
        """Records the daemons' PIDs again after one was restarted."""
        self.state["pids"] = [
            pid for r in self.routers.values() for pid in r.daemons.pids().values()
        ] + ([self.ledger.proc.pid] if self.ledger and self.ledger.proc else [])
        self._save_state()

    def stop(self):
        for r in self.routers.values():
            r.daemons.stop()
        if self.ledger:
            self.ledger.stop()
        for ns in self.state["netns"]:
            sh("ip", "netns", "del", ns, check=False)
        self.state["netns"] = []
        self.state["pids"] = []
        shutil.rmtree(self.dir, ignore_errors=True)
        self.up = False

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
