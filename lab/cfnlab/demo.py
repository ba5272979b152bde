# SPDX-License-Identifier: GPL-2.0-or-later
"""The demo story (cfn-lab demo, ./run demo): the cloud-edge lab, its
adjacencies and routes, then anycast traffic following compute while the
sites report load, fill up, lose a link and recover, every decision in the
ledger, and pictures of it all."""

import json
import os
import subprocess
import time

from .lab import Lab
from .topology import load_topology
from . import plot


def banner(text):
    print(f"\n=== {text} " + "=" * max(0, 70 - len(text)), flush=True)


class DemoFailed(AssertionError):
    pass


def show_lab(lab):
    first = next(iter(lab.routers.values()))
    last = list(lab.routers.values())[-1]
    banner(f"IS-IS adjacencies ({first.name})")
    print(first.vtysh("show isis neighbor"))
    banner(f"IS-IS routes in zebra ({first.name})")
    print(first.vtysh("show ip route isis"))
    banner(f"kernel FIB of {first.name} (ip route)")
    print(first.ip("route", "show", "proto", "isis"))
    banner("CFN modules loaded")
    for r in lab.routers.values():
        mods = r.vtysh("show modules")
        loaded = [l.split()[0] for l in mods.splitlines() if l.startswith("cfnd_")]
        v = r.vtysh_json("show isis compute version json")
        print(f"{r.name}: {', '.join(loaded) or 'none'}  "
              f"(cfn {v['version']}, FRR {v['frrRunningVersion']}, "
              f"hostname {r.exec('hostname').strip()})")
    dst = str(last.spec.loopback4).split("/")[0]
    src = str(first.spec.loopback4).split("/")[0]
    banner(f"ping {first.name} -> {last.name} ({src} -> {dst})")
    print(first.exec("ping", "-c", "3", "-i", "0.2", "-I", src, dst, check=False))


def report_load(lab, router, prefix, available):
    r = subprocess.run([os.path.join(os.environ["CFN_PREFIX"], "bin/cfn-report"),
                        "--socket", f"{router.rundir}/cfn-report.sock",
                        "service", prefix, "available", str(available)],
                       capture_output=True, text=True, timeout=10)
    print(f"$ cfn-report service {prefix} available {available}   (at {router.name})"
          f"  {r.stdout.strip()}{r.stderr.strip()}")
    if r.returncode != 0:
        raise DemoFailed(f"cfn-report at {router.name} failed: {r.stderr.strip()}")


def service_metrics(router):
    """[(utilization, metric)] of the services a router hosts, as its
    module reports them."""
    out = []

    def walk(o):
        if isinstance(o, dict):
            if {"capacity", "available", "metric"} <= set(o):
                cap = o["capacity"]
                out.append(((cap - o["available"]) / cap, o["metric"]))
                return
            for v in o.values():
                walk(v)
    walk(router.vtysh_json("show isis compute services json"))
    return out


class Story:
    """The cloud-edge story: steps that change the network or the sites'
    load, each followed by who must answer each client."""

    def __init__(self, lab):
        self.lab = lab
        self.events = []  # (unix time, label)
        self.metric_points = []  # (utilization, metric) seen at the sites
        servers = [h for h in lab.hosts.values() if h.serves]
        self.clients = [h.name for h in lab.hosts.values()
                        if not h.serves and h.name.startswith("client")]
        self.addr = servers[0].anycast_addrs[0]
        self.prefix = servers[0].serves[0]
        self.site_router = {h.site: h.router for h in servers}
        self.capacity = {}
        for h in servers:
            for s in h.router.spec.spec.get("services") or []:
                self.capacity[h.site] = s["capacity"]

    def mark(self, label):
        self.events.append((time.time(), label))
        banner(label)

    def load(self, site, available):
        report_load(self.lab, self.site_router[site], self.prefix, available)

    def expect(self, want, dwell=2.0):
        """Waits until each client is served by the site in want[client],
        then lets the traffic run `dwell` seconds more so that each step
        shows in the pictures (pacing only, nothing is measured)."""
        for client, site in want.items():
            s = self.lab.wait_served(client, self.addr, site, timeout=60)
            print(f"{client} (at {self.lab.host(client).router.name}) -> {site}: "
                  f"answers {s['answers']}, lost {s['lost']}/{s['sent']}")
        for site, r in self.site_router.items():
            self.metric_points += service_metrics(r)
        time.sleep(dwell)

    def run(self):
        c1, c2 = self.clients[:2]
        self.mark("start: each client is served by its nearest edge")
        self.expect({c1: "edge1", c2: "edge2"})
        self.mark("load report: edge1 is 70% busy (available 30 of 100)")
        self.load("edge1", 30)
        self.expect({c1: "edge2", c2: "edge2"})
        self.mark("site full: edge2 reports available 0")
        self.load("edge2", 0)
        self.expect({c1: "cloud", c2: "cloud"})
        self.mark("recovery: edge1 and edge2 idle again")
        self.load("edge1", self.capacity["edge1"])
        self.load("edge2", self.capacity["edge2"])
        self.expect({c1: "edge1", c2: "edge2"})
        self.mark("link cut: m1 - e1")
        self.lab.set_link("m1", "e1", up=False)
        self.expect({c1: "edge2", c2: "edge2"})
        self.mark("link restored: m1 - e1")
        self.lab.set_link("m1", "e1", up=True)
        self.expect({c1: "edge1", c2: "edge2"})
        self.events.append((time.time(), "end"))


def show_ledger(lab, access):
    banner("decisions exported to the ledger (cfn-ledger tail)")
    # The last acknowledgements and checkpoint land within a second or two.
    lab.wait_for("ledger checkpoint covers every decision (and is endorsed)",
                 lambda: None if lab.ledger.audit().returncode == 0 else "audit fails",
                 timeout=60, interval=0.5)
    entries = lab.ledger.entries()
    for e in entries[-12:]:
        print(f"#{e.get('index', '?'):>3} {e['origin']:>3} seq {e['seq']} "
              f"{e['service']} -> {','.join(e['sites']) or '-'} "
              f"cost {e['cost']} path {'>'.join(e.get('path', []))}")
    print(f"{len(entries)} decisions in the ledger")
    print(access.vtysh("show isis compute export"))
    audit = lab.ledger.audit()
    print(f"$ cfn-ledger audit: {(audit.stdout + audit.stderr).strip()}")
    if audit.returncode != 0:
        raise DemoFailed("cfn-ledger audit failed")
    if not entries:
        raise DemoFailed("no decision reached the ledger")
    if lab.witnesses:
        show_endorsement(lab)
    return entries


def show_endorsement(lab):
    """Who cosigned the ledger's checkpoint: the operators' and the
    regulator's witnesses, against the policy's quorum."""
    w = lab.witnesses
    banner(f"endorsement: witnesses {', '.join(w.names)}, "
           f"quorum {w.quorum} of {len(w.names)}")
    v = lab.ledger.verify()
    print(f"$ cfn-ledger verify --policy {w.policy}\n{(v.stdout + v.stderr).strip()}")
    j = json.loads(lab.ledger.verify(json_out=True).stdout)
    signed = [x["name"] for x in j["witnesses"] if x["cosigned"]]
    if not j["accepted"]:
        raise DemoFailed(f"endorsement refused: {j.get('reason')}")
    print(f"endorsement: quorum {w.quorum} of {len(w.names)} met at size "
          f"{j['size']}: cosigned by {', '.join(signed)}")


TOKEN_LAB = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "tests", "tokens", "token_lab.py")
TOKEN_HOSTS = {"archive": {"router": "m1"}, "regulator": {"router": "m2"}}


def token_story():
    """tokens' trade_story (tests/tokens/token_lab.py), or None."""
    if not os.path.exists(TOKEN_LAB):
        return None
    import importlib.util
    spec = importlib.util.spec_from_file_location("token_lab", TOKEN_LAB)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.trade_story


def show_tokens(lab, story, trade):
    """The ending: an enterprise buys compute with tokens, the routing's
    decision binds the order to a site's provider, a load shift, the
    receipt and settlement, and the regulator's audit over tlog-tiles."""
    from .frr import stop_pid
    banner("compute tokens: an order, a load shift, settlement, the audit")
    procs = []
    try:
        r = trade(lab, procs, story.prefix, "a1", "client1",
                  ("e1", "edge1", "edge1-srv"), ("e2", "edge2", "edge2-srv"),
                  "archive", "regulator")
    finally:
        for p in reversed(procs):
            stop_pid(p)
    if not r["report"].get("ok"):
        raise DemoFailed("the regulator's audit over tiles failed")
    return r


def run_demo(topology, out_dir, ledger=True, name=None, pictures=True,
             runtime=None):
    """Runs the story; returns {"out": dir, "pictures": [...], ...}."""
    t0 = time.monotonic()
    spec = load_topology(topology).spec
    trade = token_story() if ledger else None
    if ledger:
        spec["ledger"] = True
    if ledger and {"e1", "e2", "m2"} <= set(spec.get("routers") or {}):
        # The ledger endorsed by the edge operators' witnesses and the
        # regulator's: any two of the three.
        spec["hosts"] = dict(spec.get("hosts") or {},
                             regulator=TOKEN_HOSTS["regulator"])
        spec["witnesses"] = ["e1", "e2", "regulator"]
        spec["witness_quorum"] = 2
    if trade and {"m1", "m2"} <= set(spec.get("routers") or {}):
        # The tokens ending needs an archive and a regulator host.
        spec["hosts"] = dict(spec.get("hosts") or {}, **TOKEN_HOSTS)
    else:
        trade = None
    with Lab(spec, lab_id=name, runtime=runtime) as lab:
        print(f"lab {lab.topo.name} ({lab.id}, {lab.runtime}): {len(lab.routers)} routers up "
              f"in {time.monotonic() - t0:.1f}s; waiting for IS-IS", flush=True)
        lab.wait_isis_adjacencies(timeout=90)
        last = list(lab.routers.values())[-1]
        first = next(iter(lab.routers.values()))
        pfx = last.spec.loopback4
        lab.wait_for(f"{first.name} has a route to {pfx}",
                     lambda: None if first.fib_route(pfx) else "no route", 90)
        print(f"converged in {time.monotonic() - t0:.1f}s")
        show_lab(lab)
        result = {"out": out_dir, "pictures": [], "entries": []}
        sites = {h.site for h in lab.hosts.values() if h.serves}
        if not {"edge1", "edge2", "cloud"} <= sites or not lab.topo.links or \
                not any({l.a.name, l.b.name} == {"m1", "e1"} for l in lab.topo.links):
            print("\n(the traffic story needs the cloud-edge topology: "
                  "sites edge1, edge2, cloud and the link m1-e1)")
            return result
        story = Story(lab)
        traffic = {c: lab.host(c).start_requests(story.addr, interval=0.05)
                   for c in story.clients}
        try:
            story.run()
        finally:
            served = {c: t.stop()["results"] for c, t in traffic.items()}
        access = lab.host(story.clients[0]).router
        if lab.ledger:
            result["entries"] = show_ledger(lab, access)
        if pictures:
            result["pictures"] = plot.demo_pictures(
                out_dir, served, story.events, story.metric_points)
        result["served"] = served
        result["events"] = story.events
        if trade and lab.ledger:
            story.events.append((time.time(), "tokens: trade and load shift"))
            result["tokens"] = show_tokens(lab, story, trade)
        if pictures and lab.ledger:
            # After the trade: the timeline is drawn from a ledger that
            # holds token records too (cfn-ledger plot skips them).
            result["pictures"] += plot.ledger_picture(
                out_dir, lab.ledger.log_dir, story.prefix, story.events)
        banner("tearing down")
    print(f"lab removed; namespaces left: {Lab.leftover_namespaces(lab.id) or 'none'}")
    if result["pictures"]:
        banner("pictures")
        for p in result["pictures"]:
            print(f"  {p}")
        print(f"The demo's pictures are in {out_dir}")
    return result
