# SPDX-License-Identifier: GPL-2.0-or-later
"""Run-time load reports (cfn-report) and the damping of re-advertisement,
counted in LSP sequence numbers of the site router."""

import os
import subprocess
import time

import pytest

SVC = "203.0.113.10/32"
TOPO = {
    "name": "load",
    "routers": {
        "r1": {"bgp": False, "compute": True},
        "r2": {"bgp": False, "services": [
            {"prefix": SVC, "capacity": 100, "available": 90}]},
    },
    "links": [["r1", "r2"]],
}


@pytest.fixture
def lab(lab_factory):
    lab = lab_factory(TOPO)
    lab.wait_isis_adjacencies()
    return lab


def report(lab, *words, check=True):
    cmd = [os.path.join(os.environ["CFN_PREFIX"], "bin/cfn-report"),
           "--socket", f"{lab['r2'].rundir}/cfn-report.sock", "service", *words]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
    if check:
        assert r.returncode == 0, r.stdout + r.stderr
    return r


def entry(router, origin="r2"):
    db = router.vtysh_json("show isis compute database json")
    return {e["prefix"]: e for e in db.get(origin, [])}.get(SVC)


def seqno(lab):
    db = lab["r2"].vtysh_json("show isis database detail json")
    # The LSP of r2 itself, fragment 0.
    for area in db.get("areas", []):
        for level in area.get("levels", []):
            for lsp in level.get("lsps", []):
                hdr = lsp.get("lsp", {})
                if hdr.get("id", "").startswith("r2.00-00"):
                    return int(lsp.get("sequence-number", hdr.get("sequence-number", "0")), 16)
    out = lab["r2"].vtysh("show isis database r2.00-00")
    for line in out.splitlines():
        if line.startswith("r2.00-00"):
            return int(line.split()[3], 16)
    raise AssertionError(f"no LSP r2.00-00:\n{out}")


def wait_entry(lab, router, **fields):
    def probe():
        e = entry(lab[router])
        bad = {k: (e or {}).get(k) for k, v in fields.items() if (e or {}).get(k) != v}
        return None if not bad else f"{router} sees {bad}, want {fields}"
    lab.wait_for(f"{router} entry", probe, timeout=30)
    return entry(lab[router])


def test_report_reaches_other_routers(lab):
    wait_entry(lab, "r1", capacityAvailable=90)
    report(lab, SVC, "available", "20", "cpu", "80", "score", "6")
    e = wait_entry(lab, "r1", capacityAvailable=20, cpuUtilization=80, score=6)
    assert e["metric"] == entry(lab["r2"])["metric"]

    # Refusals: a reason on stdout/stderr and a non-zero exit, nothing changed.
    r = report(lab, "203.0.113.99/32", "available", "1", check=False)
    assert r.returncode != 0 and "not hosted here" in r.stdout + r.stderr
    r = report(lab, SVC, "available", "500", check=False)
    assert r.returncode != 0 and "exceeds capacity" in r.stdout + r.stderr
    r = report(lab, SVC, "available", "-1", check=False)
    assert r.returncode != 0
    assert entry(lab["r2"])["capacityAvailable"] == 20


def test_small_changes_do_not_reoriginate(lab):
    lab["r2"].vtysh("configure terminal", "router isis 1", "compute-routing",
                    "damping threshold-percent 20 min-interval 200 flap-window 0")
    base = wait_entry(lab, "r1", capacityAvailable=90)
    time.sleep(1.5)
    seq = seqno(lab)
    # 90 -> 88 free: the metric moves by far less than 20 %.
    report(lab, SVC, "available", "88")
    time.sleep(2.5)
    assert seqno(lab) == seq, "a change under the threshold re-originated"
    assert entry(lab["r1"])["capacityAvailable"] == 90
    # 90 -> 10 free is significant: re-originated, and everyone sees it.
    report(lab, SVC, "available", "10")
    e = wait_entry(lab, "r1", capacityAvailable=10)
    assert e["metric"] > base["metric"]
    assert seqno(lab) > seq


def test_flapping_input_backs_off(lab):
    lab["r2"].vtysh("configure terminal", "router isis 1", "compute-routing",
                    "damping threshold-percent 5 min-interval 200 max-interval 3200 "
                    "flap-window 5000 flap-threshold 1 decay 60000")
    wait_entry(lab, "r1", capacityAvailable=90)
    time.sleep(1.5)
    seq = seqno(lab)
    reports = 0
    deadline = time.monotonic() + 6
    while time.monotonic() < deadline:
        report(lab, SVC, "available", "10" if reports % 2 == 0 else "90")
        reports += 1
        time.sleep(0.1)
    svc = lab["r2"].vtysh_json("show isis compute services json")[SVC]
    # Every report was a significant change; the hold-down doubled up to
    # its cap (0.2, 0.4, 0.8, 1.6, 3.2 s), so only a handful went out.
    assert reports >= 30, reports
    assert svc["offers"] >= reports
    assert svc["holdDownMs"] == 3200, svc
    assert 2 <= svc["advertisements"] <= 10, (svc, reports)
    assert seqno(lab) - seq <= svc["advertisements"]
