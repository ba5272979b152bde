# SPDX-License-Identifier: GPL-2.0-or-later
"""The trading flow in a lab with real FRR routers: an enterprise host
behind a1 orders compute for the anycast service; the order binds to the
site a1's exported decision chose (e1) and its provider; the host's
requests are served there; a load shift then moves the routing to e2,
which does not rebind the order; e1's provider signs the receipt and is
paid; a regulator host audits the whole log over C2SP tlog-tiles from its
own namespace, served from another namespace."""
import copy
import json
import os
import subprocess
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lab"))
from test_isis_steering import SVC, TOPO as STEER_TOPO  # noqa

TOPO = copy.deepcopy(STEER_TOPO)
TOPO["name"] = "tokens"
TOPO["ledger"] = True
TOPO["hosts"] = {
    "client1": {"router": "a1"},
    "edge1-srv": {"router": "e1", "serves": [SVC], "name": "edge1"},
    "edge2-srv": {"router": "e2", "serves": [SVC], "name": "edge2"},
    "archive": {"router": "m1"},
    "regulator": {"router": "m2"},
}
ADDR = SVC.split("/")[0]


def cli(*args, ns=None, check=True):
    exe = os.path.join(os.environ["CFN_PREFIX"], "bin", "cfn-ledger")
    cmd = ([] if ns is None else ["ip", "netns", "exec", ns]) + [exe, *args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if check and p.returncode:
        raise AssertionError(f"{args}: {p.stderr}")
    return p


class TokenLedger:
    """The lab's cfn-ledgerd restarted with an issuer key (the lab starts
    it without one); the routers' exporters reconnect on their own."""

    def __init__(self, lab, procs):
        self.lab, self.node = lab, lab.ledger
        self.ids = {}
        for a in ("issuer", "ent", "prov1", "prov2"):
            self.ids[a] = cli("account", "new", a, "--out",
                              self.node.keys).stdout.strip()
        self.node.stop()
        args = [os.path.join(os.environ["CFN_PREFIX"], "sbin",
                             "cfn-ledgerd"),
                "--dir", self.node.log_dir, "--key",
                self.node.key_file("ledger"), "--socket", self.node.socket,
                "--origin", "cfn-lab-ledger", "--checkpoint-interval", "1",
                "--issuer-key", self.key("issuer")]
        for r in self.node.routers:
            args += ["--allow-key", os.path.join(self.node.keys, f"{r}.vkey")]
        if os.path.exists(self.node.socket):
            os.unlink(self.node.socket)
        out = open(os.path.join(self.node.dir, "cfn-ledgerd-tokens.out"), "ab")
        self.proc = subprocess.Popen(args, stdout=out, stderr=out)
        procs.append(self.proc)

        def up():
            return None if os.path.exists(self.node.socket) else "no socket"
        lab.wait_for("cfn-ledgerd with issuers", up, timeout=30,
                     interval=0.1)

    def key(self, name):
        return os.path.join(self.node.keys, name + ".key")

    def op(self, cmd, who, *args, ns=None, check=True):
        p = cli(cmd, "--socket", self.node.socket, "--key", self.key(who),
                *args, ns=ns, check=check)
        return int(p.stdout) if p.returncode == 0 else p

    def orders(self):
        return json.loads(cli("orders", "--dir", self.node.log_dir,
                              "--json").stdout)

    def balance(self, who):
        return json.loads(cli("balance", "--dir", self.node.log_dir,
                              self.ids[who], "--json").stdout)


@pytest.fixture
def lab(lab_factory):
    lab = lab_factory(TOPO)
    lab.wait_isis_adjacencies()
    return lab


def test_trade_in_the_lab_and_the_regulator_audits_over_tiles(lab, procs):
    led = TokenLedger(lab, procs)
    client = lab.host("client1").netns
    led.op("issue", "issuer", "--to", led.ids["ent"], "--amount", "100")
    led.op("provider", "prov1", "--router", "e1", "--site", "edge1",
           "--price", "2", ns=lab.host("edge1-srv").netns)
    led.op("provider", "prov2", "--router", "e2", "--site", "edge2",
           "--price", "1", ns=lab.host("edge2-srv").netns)
    lab.wait_served("client1", ADDR, "edge1")
    state = {}

    def order():
        # a1's decision reaches the ledger through its exporter
        p = led.op("order", "ent", "--service", SVC, "--ingress", "a1",
                   "--units", "10", "--max-price", "3", "--expires", "3600",
                   ns=client, check=False)
        if isinstance(p, int):
            state["oid"] = p
            return None
        return p.stderr.strip()
    lab.wait_for("the enterprise's order is accepted", order, timeout=60)
    oid = state["oid"]
    (o,) = led.orders()
    assert (o["router"], o["site"], o["provider"], o["price"]) == \
        ("e1", "edge1", led.ids["prov1"], 2)
    assert led.balance("ent")["locked"] == 20

    # load shift: e1 fills up, the routing (and a1's decision) moves to e2
    lab["e1"].vtysh(f"compute service {SVC} available 2")
    lab.wait_served("client1", ADDR, "edge2")

    def moved():
        p = led.op("order", "ent", "--service", SVC, "--ingress", "a1",
                   "--units", "1", "--max-price", "3", "--expires", "3600",
                   ns=client, check=False)
        if isinstance(p, int):
            state["oid2"] = p
            return None
        return p.stderr.strip()
    lab.wait_for("a new order follows the new decision", moved, timeout=60)
    by_id = {x["order"]: x for x in led.orders()}
    assert by_id[state["oid2"]]["router"] == "e2"
    assert by_id[oid]["router"] == "e1"  # not rebound
    p = led.op("receipt", "prov2", "--order", str(oid), "--units", "10",
               check=False)
    assert not isinstance(p, int) and "not-bound-provider" in p.stderr
    led.op("receipt", "prov1", "--order", str(oid), "--units", "8",
           ns=lab.host("edge1-srv").netns)
    assert led.balance("prov1")["earned"] == 16
    assert led.balance("ent")["refunded"] == 4

    # the regulator: tiles served from the archive namespace, audited from
    # its own namespace, with the router keys the operator publishes
    archive = lab.host("archive")
    srv = subprocess.Popen(
        ["ip", "netns", "exec", archive.netns,
         os.path.join(os.environ["CFN_PREFIX"], "bin", "cfn-ledger"),
         "serve", "--dir", led.node.log_dir, "--listen",
         f"{archive.ip4}:8081"], stdout=subprocess.PIPE, text=True)
    procs.append(srv)
    assert srv.stdout.readline().startswith("serving")
    keys = os.path.join(led.node.dir, "routers.vkeys")
    with open(keys, "w") as f:
        for r in led.node.routers:
            with open(os.path.join(led.node.keys, f"{r}.vkey")) as v:
                f.write(v.read().strip() + "\n")
    reg = lab.host("regulator")
    cache = os.path.join(reg.rundir, "tiles")

    def audited():
        p = cli("audit", "--url", f"http://{archive.ip4}:8081/", "--cache",
                cache, "--vkey", os.path.join(led.node.keys, "ledger.vkey"),
                "--keys", keys, "--json", ns=reg.netns, check=False)
        state["rep"] = rep = json.loads(p.stdout) if p.stdout else {}
        if p.returncode or not rep.get("ok"):
            return p.stderr + json.dumps(rep.get("anomalies"))
        # the checkpoint (every second) covers the settlement
        return None if rep["totals"]["orders_settled"] == 1 else "not yet"
    lab.wait_for("the regulator's audit over tiles", audited, timeout=60)
    rep = state["rep"]
    assert rep["checkpoint"]["verified"] and rep["decisions"] >= 2
    assert rep["totals"]["paid_to_providers"] == 16
    assert rep["totals"]["supply"] == 100
