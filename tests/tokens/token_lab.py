# SPDX-License-Identifier: GPL-2.0-or-later
"""The compute-token trade in a running lab, for the lab test and the demo:
TokenLedger restarts the lab's cfn-ledgerd with an issuer key, and
trade_story() plays an enterprise's order, its binding, a load shift,
the receipt, settlement and the regulator's audit over tlog-tiles, saying
what happens and returning what a test checks."""
import json
import os
import subprocess


def cli(*args, ns=None, check=True):
    exe = os.path.join(os.environ["CFN_PREFIX"], "bin", "cfn-ledger")
    cmd = ([] if ns is None else ["ip", "netns", "exec", ns]) + [exe, *args]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if check and p.returncode:
        raise AssertionError(f"cfn-ledger {' '.join(args)}: {p.stderr}")
    return p


class TokenLedger:
    """The lab's cfn-ledgerd restarted with an issuer key (the lab starts
    it without one); the routers' exporters reconnect by themselves.
    Processes started here are appended to `procs` (stopped by PID by
    their owner)."""

    def __init__(self, lab, procs, accounts):
        self.lab, self.node, self.procs = lab, lab.ledger, procs
        self.ids = {a: cli("account", "new", a, "--out",
                           self.node.keys).stdout.strip()
                    for a in ["issuer", *accounts]}
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

    def wait_op(self, what, cmd, who, *args, ns=None):
        """Retries an operation the routing must first make possible (a
        decision still on its way to the ledger); its index."""
        state = {}

        def probe():
            p = self.op(cmd, who, *args, ns=ns, check=False)
            if isinstance(p, int):
                state["i"] = p
                return None
            return p.stderr.strip()
        self.lab.wait_for(what, probe, timeout=60)
        return state["i"]


def trade_story(lab, procs, service, ingress, client, first, second,
                archive, regulator, say=print):
    """first/second: (router, site name, server host) of the site the
    routing uses before and after a load shift on the first.  Returns
    {"ledger", "order", "moved_order", "report"}."""
    addr = service.split("/")[0]
    led = TokenLedger(lab, procs, ["ent", "prov1", "prov2"])
    led.op("issue", "issuer", "--to", led.ids["ent"], "--amount", "100")
    for prov, (router, site, host), price in (("prov1", first, 2),
                                              ("prov2", second, 1)):
        led.op("provider", prov, "--router", router, "--site", site,
               "--price", str(price), ns=lab.host(host).netns)
        say(f"tokens: {prov} runs {site} (router {router}) at {price} "
            "tokens per unit")
    lab.wait_served(client, addr, first[1])
    say(f"tokens: before: enterprise {led.balance('ent')['balance']}, "
        f"prov1 {led.balance('prov1')['balance']}")
    oid = led.wait_op("the enterprise's order is accepted", "order", "ent",
                      "--service", service, "--ingress", ingress,
                      "--units", "10", "--max-price", "3", "--expires",
                      "3600", ns=lab.host(client).netns)
    (o,) = [x for x in led.orders() if x["order"] == oid]
    say(f"tokens: order {oid} from {client}: 10 units of {service} via "
        f"{ingress}, bound to {o['site']} ({o['router']}) at "
        f"{o['price']}, {o['escrow']} in escrow")

    lab[first[0]].vtysh(f"compute service {service} available 2")
    lab.wait_served(client, addr, second[1])
    say(f"tokens: load shift: {first[1]} is full, {client} is now served "
        f"by {second[1]}")
    oid2 = led.wait_op("a new order follows the new decision", "order",
                       "ent", "--service", service, "--ingress", ingress,
                       "--units", "1", "--max-price", "3", "--expires",
                       "3600", ns=lab.host(client).netns)
    led.op("receipt", "prov1", "--order", str(oid), "--units", "8",
           ns=lab.host(first[2]).netns)
    (o,) = [x for x in led.orders() if x["order"] == oid]
    say(f"tokens: order {oid} still bound to {o['site']}; receipt for 8 "
        f"units: {o['state']}, paid {o['paid']}, refunded {o['refund']}")
    say(f"tokens: after: enterprise {led.balance('ent')['balance']} "
        f"(+{led.balance('ent')['locked']} locked), prov1 "
        f"{led.balance('prov1')['balance']}")

    arch = lab.host(archive)
    srv = subprocess.Popen(
        ["ip", "netns", "exec", arch.netns,
         os.path.join(os.environ["CFN_PREFIX"], "bin", "cfn-ledger"),
         "serve", "--dir", led.node.log_dir, "--listen",
         f"{arch.ip4}:8081"], stdout=subprocess.PIPE, text=True)
    procs.append(srv)
    if not srv.stdout.readline().startswith("serving"):
        raise AssertionError("cfn-ledger serve did not start")
    keys = os.path.join(led.node.dir, "routers.vkeys")
    with open(keys, "w") as f:
        for r in led.node.routers:
            with open(os.path.join(led.node.keys, f"{r}.vkey")) as v:
                f.write(v.read().strip() + "\n")
    reg = lab.host(regulator)
    state = {}

    def audited():
        p = cli("audit", "--url", f"http://{arch.ip4}:8081/", "--cache",
                os.path.join(reg.rundir, "tiles"), "--vkey",
                os.path.join(led.node.keys, "ledger.vkey"), "--keys", keys,
                "--json", ns=reg.netns, check=False)
        state["rep"] = rep = json.loads(p.stdout) if p.stdout else {}
        if p.returncode or not rep.get("ok"):
            return p.stderr + json.dumps(rep.get("anomalies"))
        # the checkpoint (every second) covers the settlement
        return None if rep["totals"]["orders_settled"] == 1 else "not yet"
    lab.wait_for("the regulator's audit over tiles", audited, timeout=60)
    rep = state["rep"]
    t = rep["totals"]
    say(f"tokens: regulator ({regulator}) audited {rep['entries']} entries "
        f"over tlog-tiles from {archive}: OK; supply {t['supply']}, paid "
        f"{t['paid_to_providers']}, refunded {t['refunded']}, "
        f"{t['orders_open']} open / {t['orders_settled']} settled orders")
    return {"ledger": led, "order": oid, "moved_order": oid2, "report": rep}
