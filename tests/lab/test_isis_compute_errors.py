# SPDX-License-Identifier: GPL-2.0-or-later
"""Operator mistakes and local clients against cfnd_isis (issue 16, module
side): each gets a clear error where the operator looks, nothing else
changes, and no local client can freeze isisd."""

import os
import resource
import socket
import subprocess
import tempfile
import time

import pytest

SVC = "203.0.113.10/32"
SVC2 = "203.0.113.20/32"
TOPO = {
    "name": "err",
    "routers": {
        "r1": {"bgp": False, "compute": True},
        "r2": {"bgp": False, "services": [
            {"prefix": SVC, "capacity": 100, "available": 90},
            {"prefix": SVC2, "capacity": 10, "available": 10}]},
    },
    "links": [["r1", "r2"]],
}


@pytest.fixture
def lab(lab_factory):
    lab = lab_factory(TOPO)
    lab.wait_isis_adjacencies()
    return lab


def tool(name):
    return os.path.join(os.environ["CFN_PREFIX"], "bin", name)


def vtysh_rc(router, *commands):
    """(exit code, output) of vtysh, as a script would see them."""
    from cfnlab.frr import vtysh_path

    args = [vtysh_path(), "--vty_socket", router.rundir]
    for c in commands:
        args += ["-c", c]
    r = subprocess.run(args, capture_output=True, text=True, timeout=20)
    return r.returncode, r.stdout + r.stderr


def configure(router, *lines):
    return router.daemons.vtysh("configure terminal", "router isis 1",
                                "compute-routing", *lines, check=False)


def report(router, *words, socket_path=None):
    path = socket_path or f"{router.rundir}/cfn-report.sock"
    return subprocess.run([tool("cfn-report"), "--socket", path, "service",
                           *words], capture_output=True, text=True,
                          timeout=20)


def entries(router, origin="r2"):
    db = router.vtysh_json("show isis compute database json")
    return {e["prefix"]: e for e in db.get(origin, [])}


def wait_entry(lab, router, prefix, **fields):
    def probe():
        e = entries(lab[router]).get(prefix) or {}
        bad = {k: e.get(k) for k, v in fields.items() if e.get(k) != v}
        return None if not bad else f"{router} sees {bad}, want {fields}"
    lab.wait_for(f"{router} entry {prefix}", probe, timeout=30)
    return entries(lab[router])[prefix]


def test_reserved_prefixes_are_refused(lab):
    r2 = lab["r2"]
    before = r2.vtysh("show running-config")
    for prefix, what in [("0.0.0.0/0", "a default route"),
                         ("::/0", "a default route"),
                         ("224.0.0.5/32", "a multicast"),
                         ("ff02::1/128", "a multicast"),
                         ("169.254.1.0/24", "a link-local"),
                         ("fe80::/64", "a link-local"),
                         ("127.0.0.1/32", "a loopback"),
                         ("::1/128", "a loopback")]:
        out = configure(r2, f"service {prefix} capacity 10 available 1")
        assert f"{prefix} is {what} prefix" in out, (prefix, out)
    assert r2.vtysh("show running-config") == before


def test_bad_report_socket_keeps_the_old_one(lab):
    r2 = lab["r2"]
    good = f"{r2.rundir}/cfn-report.sock"
    out = configure(r2, "report-socket /nonexistent/dir/cfn-report.sock")
    assert "report-socket refused" in out and "/nonexistent" in out, out
    rc, out = vtysh_rc(r2, "configure terminal", "router isis 1",
                       "compute-routing",
                       "report-socket /nonexistent/dir/cfn-report.sock")
    assert rc != 0, out
    assert f"report-socket {good}" in r2.vtysh("show running-config")
    r = report(r2, SVC, "available", "50", socket_path=good)
    assert r.returncode == 0, r.stdout + r.stderr
    wait_entry(lab, "r1", SVC, capacityAvailable=50)


def test_price_is_a_range_checked_decimal(lab):
    r2 = lab["r2"]
    out = configure(r2, f"service {SVC} capacity 100 available 90 "
                        "price 4294968")
    assert "bad price '4294968'" in out and "4294967.295" in out, out
    out = configure(r2, f"service {SVC} capacity 100 available 90 "
                        "price 1.2345")
    assert "bad price" in out, out
    configure(r2, f"service {SVC} capacity 100 available 90 price 2.5")
    assert (f"service {SVC} capacity 100 available 90 price 2.500"
            in r2.vtysh("show running-config"))
    wait_entry(lab, "r1", SVC, price=2.5)
    # the same parser in cfn-report: 4294967.295 is the largest price
    r = report(r2, SVC, "available", "80", "price", "4294967.296")
    assert r.returncode != 0 and "bad price" in r.stdout + r.stderr
    r = report(r2, SVC, "available", "80", "price", "4294967.295")
    assert r.returncode == 0, r.stdout + r.stderr


def test_bad_site_id_refuses_that_service_only(lab):
    r2 = lab["r2"]
    wait_entry(lab, "r1", SVC2, capacityTotal=10)
    out = configure(r2, "service 203.0.113.30/32 capacity 5 available 5 "
                        "site caf\u00e9")
    assert "service refused" in out and "site-id" in out, out
    assert "203.0.113.30/32" not in r2.vtysh("show running-config")
    # the others are still advertised
    time.sleep(2)
    seen = entries(lab["r1"])
    assert SVC in seen and SVC2 in seen, seen


def test_exec_available_refusal_exits_non_zero(lab):
    r2 = lab["r2"]
    rc, out = vtysh_rc(r2, f"compute service {SVC} available 500")
    assert rc != 0 and "exceeds capacity" in out, (rc, out)
    rc, out = vtysh_rc(r2, "compute service 203.0.113.99/32 available 1")
    assert rc != 0 and "not hosted here" in out, (rc, out)
    rc, out = vtysh_rc(r2, f"compute service {SVC} available 40")
    assert rc == 0, out
    wait_entry(lab, "r1", SVC, capacityAvailable=40)


def test_capacity_report_does_not_bypass_damping(lab):
    r2 = lab["r2"]
    wait_entry(lab, "r1", SVC, capacityTotal=100)
    # a long hold-down; the config change itself advertises at once
    configure(r2, "damping min-interval 60000 max-interval 60000 "
                  "flap-window 0")
    time.sleep(1)
    r = report(r2, SVC, "available", "90", "total", "200")
    assert r.returncode == 0, r.stdout + r.stderr
    svc = r2.vtysh_json("show isis compute services json")[SVC]
    assert svc["capacityTotal"] == 200 and svc["updatePending"], svc
    time.sleep(3)
    assert entries(lab["r1"])[SVC]["capacityTotal"] == 100
    # without damping in the way it goes out
    configure(r2, "no damping")
    wait_entry(lab, "r1", SVC, capacityTotal=200)


def test_application_id_mismatch_is_visible(lab):
    r1 = lab["r1"]
    wait_entry(lab, "r1", SVC, capacityTotal=100)
    configure(r1, "application-id 99")

    def warned():
        out = r1.vtysh("show isis compute services")
        return None if "application id 17222" in out else out
    lab.wait_for("application-id warning", warned, timeout=30)
    out = r1.vtysh("show isis compute database")
    assert "r2 advertises compute entries under application id 17222" in out
    db = r1.vtysh_json("show isis compute database json")
    assert any("17222" in w for w in db["warnings"]), db
    assert SVC not in entries(r1)


def test_export_key_checked_at_configuration(lab):
    r2 = lab["r2"]
    with tempfile.TemporaryDirectory() as d:
        for name in ("r2", "r9"):
            subprocess.run([tool("cfn-ledger"), "keygen", name, "--out", d],
                           check=True, capture_output=True)
        os.chmod(d, 0o755)
        sock = f"{d}/ledger.sock"
        out = configure(r2, f"export socket {sock} key {d}/r2.vkey")
        assert "export refused" in out and "public" in out, out
        out = configure(r2, f"export socket {sock} key {d}/r9.key")
        assert "export refused" in out and "'r9'" in out, out
        assert "export socket" not in r2.vtysh("show running-config")
        out = configure(r2, f"export socket {sock} key {d}/r2.key")
        assert "refused" not in out, out
        assert (f"export socket {sock} key {d}/r2.key"
                in r2.vtysh("show running-config"))
        configure(r2, "no export")


def isisd_pid(router):
    return router.daemons.pids()["isisd"]


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))


def connect(path):
    # blocking connect: it waits for isisd's accept when the backlog is
    # full (a non-blocking one fails with EAGAIN)
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    s.settimeout(5)
    return s


def test_report_socket_caps_and_times_out_connections(lab):
    r2 = lab["r2"]
    path = f"{r2.rundir}/cfn-report.sock"
    pid = isisd_pid(r2)
    base = open_fds(pid)
    conns = [connect(path) for _ in range(60)]
    try:
        # the ones over the cap get one error line and are closed
        refused = 0
        for s in conns[40:]:
            if b"too many connections" in s.recv(100):
                refused += 1
        assert refused == 20, refused
        assert open_fds(pid) <= base + 32 + 2
        # isisd answers the operator meanwhile
        assert SVC in r2.vtysh_json("show isis compute services json")
        # idle connections are closed by isisd
        conns[0].settimeout(30)
        assert conns[0].recv(100) == b""
    finally:
        for s in conns:
            s.close()
    r = report(r2, SVC, "available", "30")
    assert r.returncode == 0, r.stdout + r.stderr


def test_report_socket_backs_off_at_descriptor_limit(lab):
    r2 = lab["r2"]
    path = f"{r2.rundir}/cfn-report.sock"
    pid = isisd_pid(r2)
    old = resource.prlimit(pid, resource.RLIMIT_NOFILE)
    conns = []
    try:
        resource.prlimit(pid, resource.RLIMIT_NOFILE,
                         (open_fds(pid) + 3, old[1]))
        for _ in range(10):
            conns.append(connect(path))
        log = f"{r2.rundir}/isisd.log"

        def backed_off():
            with open(log, errors="replace") as f:
                text = f.read()
            return (None if "accept: Too many open files; pausing" in text
                    else "no back-off logged")
        lab.wait_for("accept back-off", backed_off, timeout=20)
    finally:
        for s in conns:
            s.close()
        resource.prlimit(pid, resource.RLIMIT_NOFILE, old)
    # once descriptors are free again, reports are served
    deadline = time.monotonic() + 20
    while True:
        r = report(r2, SVC, "available", "30")
        if r.returncode == 0 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert r.returncode == 0, r.stdout + r.stderr
    assert SVC in r2.vtysh_json("show isis compute services json")


def field_names(value, out):
    """Every field name below a map level, recursively."""
    if isinstance(value, dict):
        for k, v in value.items():
            out.add(k)
            field_names(v, out)
    elif isinstance(value, list):
        for v in value:
            field_names(v, out)
    return out


def test_json_shapes_follow_one_convention(lab):
    """Every show isis compute command: one JSON object; collections keyed
    by their natural key (prefix, router, area) with objects (or lists of
    objects) below, every field in FRR's camelCase, the same name for the
    same value in every command, and the area named in every item."""
    import re

    r2 = lab["r2"]
    wait_entry(lab, "r2", SVC, capacityTotal=100)
    camel = re.compile(r"^[a-z][a-zA-Z0-9]*$")
    shows = {c: r2.vtysh_json(f"show isis compute {c} json")
             for c in ("version", "services", "database", "routes",
                       "statistics", "export")}
    for cmd, top in shows.items():
        assert isinstance(top, dict), (cmd, top)
    keyed = {"services": shows["services"], "routes": shows["routes"],
             "statistics": shows["statistics"],
             "database": shows["database"]}
    for cmd, top in keyed.items():
        for key, item in top.items():
            items = item if isinstance(item, list) else [item]
            for it in items:
                bad = {f for f in field_names(it, set())
                       if not camel.match(f)}
                assert not bad, (cmd, key, bad)
    for cmd in ("version", "export"):
        bad = {f for f in field_names(shows[cmd], set())
               if not camel.match(f)}
        assert not bad, (cmd, bad)
    svc = shows["services"][SVC]
    mine = [e for e in shows["database"]["r2"] if e["prefix"] == SVC][0]
    for name in ("capacityTotal", "capacityAvailable"):
        assert svc[name] == mine[name], (name, svc, mine)
    assert svc["area"] == mine["area"] == "1"
    for route in shows["routes"].values():
        assert route["area"] == "1"
