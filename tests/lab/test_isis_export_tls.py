# SPDX-License-Identifier: GPL-2.0-or-later
"""isisd exports its steering decisions to a cfn-ledgerd in another
network namespace over TLS 1.3 (doc/export-tls.md): certificates made here
with openssl; a router that does not trust the ledger's CA keeps its
decisions spooled and says why, and replays them once its CA is fixed."""

import copy
import os
import subprocess

import pytest

from test_isis_export import TOPO as EXPORT_TOPO, wait_decisions
from test_isis_steering import SVC, wait_site

TOPO = copy.deepcopy(EXPORT_TOPO)
TOPO["name"] = "exptls"

LEDGER_IP = "198.51.100.254"  # a /31 above the lab's link addresses
ROUTER_IP = "198.51.100.255"
PORT = 6514


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def make_ca(d, name):
    openssl("req", "-x509", "-newkey", "ed25519", "-nodes", "-days", "2",
            "-subj", f"/CN={name}", "-keyout", f"{name}.key", "-out",
            f"{name}.crt", cwd=d)


def make_cert(d, ca, name, san):
    """name.crt signed by ca, naming san; its TLS key in name.key.pem."""
    with open(os.path.join(d, f"{name}.ext"), "w") as f:
        f.write(f"subjectAltName={san}\n")
    openssl("req", "-new", "-newkey", "ed25519", "-nodes", "-subj",
            f"/CN={name}", "-keyout", f"{name}.key.pem", "-out",
            f"{name}.csr", cwd=d)
    openssl("x509", "-req", "-in", f"{name}.csr", "-CA", f"{ca}.crt",
            "-CAkey", f"{ca}.key", "-CAcreateserial", "-days", "2",
            "-extfile", f"{name}.ext", "-out", f"{name}.crt", cwd=d)


@pytest.fixture
def tls_lab(lab_factory):
    """The lab's ledger moved into its own namespace, listening for TLS on
    a link to a1."""
    lab = lab_factory(TOPO)
    lab.wait_isis_adjacencies()
    d = os.path.join(lab.dir, "tls")
    os.makedirs(d, exist_ok=True)
    make_ca(d, "routers-ca")
    make_ca(d, "other-ca")
    make_cert(d, "routers-ca", "ledger", f"IP:{LEDGER_IP}")
    make_cert(d, "routers-ca", "a1", "DNS:a1")

    ns = f"{lab['a1'].netns}-ledger"
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        subprocess.run(["ip", "-n", ns, "link", "set", "lo", "up"], check=True)
        subprocess.run(["ip", "link", "add", "ledger0", "netns", ns, "type",
                        "veth", "peer", "name", "ledger0", "netns",
                        lab["a1"].netns], check=True)
        for n, ip in ((ns, LEDGER_IP), (lab["a1"].netns, ROUTER_IP)):
            subprocess.run(["ip", "-n", n, "addr", "add", f"{ip}/31", "dev",
                            "ledger0"], check=True)
            subprocess.run(["ip", "-n", n, "link", "set", "ledger0", "up"],
                           check=True)
        lab.ledger.stop()
        lab.ledger.netns = ns
        lab.ledger.tls = {"listen": f"{LEDGER_IP}:{PORT}",
                          "ca": f"{d}/routers-ca.crt",
                          "cert": f"{d}/ledger.crt",
                          "key": f"{d}/ledger.key.pem"}
        lab.ledger.start()
        lab.record_pids()
        yield lab, d
    finally:
        lab.ledger.stop()
        subprocess.run(["ip", "netns", "del", ns], check=False)


def export_tls(lab, d, ca):
    a1 = lab["a1"]
    return (f"export tls {LEDGER_IP} {PORT} ca {d}/{ca}.crt cert {d}/a1.crt "
            f"key {d}/a1.key.pem sign-key {lab.ledger.key_file('a1')} "
            f"spool {a1.rundir}/export.spool")


def configure(lab, line):
    return lab["a1"].vtysh("configure terminal", "router isis 1",
                           "compute-routing", line, check=False)


def show(lab):
    return lab["a1"].vtysh_json("show isis compute export json")


def test_decisions_over_tls_reach_the_ledger(tls_lab):
    lab, d = tls_lab
    line = export_tls(lab, d, "routers-ca")
    out = configure(lab, line)
    assert "refused" not in out, out
    # config write round trip: the line as given
    assert f"  {line}\n" in lab["a1"].vtysh("show running-config")
    lab["e1"].vtysh(f"compute service {SVC} available 2")
    wait_site(lab, "e2", ("a1", "m1", "m2"))
    got = wait_decisions(lab, "a1", lambda x: x and x[-1]["sites"] == ["e2"],
                         "a1's decision over TLS in the ledger")
    assert got[-1]["path"] == ["a1", "m1", "m2", "e2"]
    s = show(lab)
    assert s["tls"] == f"{LEDGER_IP}:{PORT}" and s["connected"], s
    lab.wait_for("a1's export acknowledged",
                 lambda: None if show(lab)["queued"] + show(lab)["spooled"] == 0
                 else show(lab))
    out = open(os.path.join(lab.ledger.dir, "cfn-ledgerd.out")).read()
    assert "origin a1 authenticated" in out, out[-2000:]


def test_bad_files_refused_old_export_stays(tls_lab):
    lab, d = tls_lab
    line = export_tls(lab, d, "routers-ca")
    configure(lab, line)
    bad = line.replace(f"{d}/routers-ca.crt", f"{d}/missing-ca.crt")
    out = configure(lab, bad)
    assert "export refused" in out and "missing-ca.crt" in out, out
    # the router's signing key is not a TLS key, and the other way round
    out = configure(lab, line.replace(f"key {d}/a1.key.pem",
                                      f"key {lab.ledger.key_file('a1')}"))
    assert "export refused" in out, out
    out = configure(lab, line.replace(f"sign-key {lab.ledger.key_file('a1')}",
                                      f"sign-key {d}/a1.key.pem"))
    assert "export refused" in out, out
    assert f"  {line}\n" in lab["a1"].vtysh("show running-config")
    assert show(lab)["tls"] == f"{LEDGER_IP}:{PORT}"


def test_wrong_ca_spools_then_replays(tls_lab):
    lab, d = tls_lab
    # a1 does not trust the CA that signed the ledger's certificate
    before = len(wait_decisions(lab, "a1", lambda x: len(x) >= 1,
                                "a1's first decision (UNIX socket)"))
    configure(lab, export_tls(lab, d, "other-ca"))
    for available in (2, 90, 2):
        lab["e1"].vtysh(f"compute service {SVC} available {available}")
        wait_site(lab, "e2" if available == 2 else "e1", ("a1", "m1"))
    log = os.path.join(lab["a1"].rundir, "isisd.log")

    def reason():
        with open(log, errors="replace") as f:
            lines = [x for x in f if "export" in x]
        return None if any("ledger certificate:" in x for x in lines) \
            else f"isisd.log: {lines[-3:]}"
    lab.wait_for("a1 logs why the ledger is refused", reason)
    s = show(lab)
    assert not s["connected"] and s["acknowledged"] == 0, s
    assert s["queued"] + s["spooled"] >= 3, s
    assert len([e for e in lab.ledger.entries() if e.get("origin") == "a1"]) == before

    configure(lab, export_tls(lab, d, "routers-ca"))
    got = wait_decisions(lab, "a1", lambda x: len(x) >= before + 3,
                         "a1's spooled decisions replayed over TLS")
    assert [x["sites"] for x in got[-3:]] == [["e2"], ["e1"], ["e2"]]
    seqs = [x["seq"] for x in got]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)


def test_bgpd_takes_the_same_line(lab_factory):
    """bgpd's compute-routing has the same export tls form: written back
    as given, bad files refused with the old line kept."""
    from test_bgp_compute_config import TOPO as BGP_TOPO
    from cfnlab.ledger import tool
    lab = lab_factory(BGP_TOPO)
    k1 = lab["k1"]
    d = os.path.join(lab.dir, "tls")
    os.makedirs(d, exist_ok=True)
    make_ca(d, "routers-ca")
    make_cert(d, "routers-ca", "k1", "DNS:k1")
    subprocess.run([tool("cfn-ledger"), "keygen", "k1", "--out", d],
                   check=True, capture_output=True)
    line = (f"export tls {LEDGER_IP} {PORT} ca {d}/routers-ca.crt cert "
            f"{d}/k1.crt key {d}/k1.key.pem sign-key {d}/k1.key "
            f"spool {k1.rundir}/export.spool")

    def conf(x):
        return k1.vtysh("configure terminal", "router bgp 65002",
                        "compute-routing", x, check=False)
    assert "refused" not in conf(line)
    assert f"  {line}\n" in k1.vtysh("show running-config")
    out = conf(line.replace(f"cert {d}/k1.crt", f"cert {d}/none.crt"))
    assert "export refused" in out and "none.crt" in out, out
    assert f"  {line}\n" in k1.vtysh("show running-config")
    s = k1.vtysh_json("show bgp compute export json")
    assert s["configured"] and s["tls"] == f"{LEDGER_IP}:{PORT}", s
