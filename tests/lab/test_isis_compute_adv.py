# SPDX-License-Identifier: GPL-2.0-or-later
"""Compute capacity advertised in IS-IS GENINFO TLVs, flooded through a
router without our module, parsed into every router's compute database."""

import os
import re

import pytest

from cfnlab.vty import daemon_command

SVC_A = "203.0.113.10/32"
SVC_B = "2001:db8:cafe::/48"
INJECT = os.path.join(os.environ.get("CFN_BUILD", ""),
                      "tests/modules/.libs/cfnd_isis_inject.so")

# A diamond r1-r2-r4 / r1-r3-r4, and r6 reachable only through p5, which
# runs isisd without our module.  r1 and r4 are sites.
TOPO = {
    "name": "diamond",
    "routers": {
        "r1": {"bgp": False, "services": [
            {"prefix": SVC_A, "capacity": 100, "available": 80, "price": 2}]},
        "r2": {"bgp": False, "compute": True},
        "r3": {"bgp": False, "compute": True},
        "r4": {"bgp": False, "services": [
            {"prefix": SVC_A, "capacity": 100, "available": 30},
            {"prefix": SVC_B, "capacity": 16, "available": 16, "site": "edge-4"}],
            "modules": {"isisd": [INJECT]}},
        "p5": {"bgp": False, "plain": True},
        "r6": {"bgp": False, "compute": True},
    },
    "links": [["r1", "r2"], ["r1", "r3"], ["r2", "r4"], ["r3", "r4"],
              ["r4", "p5"], ["p5", "r6"]],
}
MODULE_ROUTERS = ["r1", "r2", "r3", "r4", "r6"]


def entries(router, origin):
    db = router.vtysh_json("show isis compute database json")
    return {e["prefix"]: e for e in db.get(origin, [])}


def wait_entries(lab, origin, want, routers=MODULE_ROUTERS, timeout=30):
    """Every router's database holds exactly `want` (prefix -> fields
    subset) for `origin`."""
    for name in routers:
        def probe(name=name):
            got = entries(lab[name], origin)
            if set(got) != set(want):
                return f"{name} has {sorted(got)} from {origin}, want {sorted(want)}"
            for p, fields in want.items():
                for k, v in fields.items():
                    if got[p].get(k) != v:
                        return f"{name}: {origin} {p} {k}={got[p].get(k)!r}, want {v!r}"
            return None
        lab.wait_for(f"{name} compute database", probe, timeout=timeout)


def adjacencies(router):
    out = router.vtysh_json("show isis neighbor json")
    return sorted((c.get("adj"), c.get("state")) for a in out.get("areas", [])
                  for c in a.get("circuits", []) if "adj" in c)


def lsp_seq(router, lsp_id):
    db = router.vtysh("show isis database")
    m = re.search(rf"^{re.escape(lsp_id)}\s+\*?\s+\d+\s+(0x[0-9a-f]+)", db, re.M)
    return int(m.group(1), 16) if m else None


@pytest.fixture
def diamond(lab_factory):
    lab = lab_factory(TOPO)
    lab.wait_isis_adjacencies()
    return lab


def test_entries_reach_every_router_through_a_plain_router(diamond):
    lab = diamond
    own = entries(lab["r4"], "r4")
    assert set(own) == {SVC_A, SVC_B}
    # The site computes the metric; more load means a higher metric.
    r1_own = entries(lab["r1"], "r1")
    assert r1_own[SVC_A]["metric"] < own[SVC_A]["metric"]
    assert own[SVC_B]["siteId"] == "edge-4"
    wait_entries(lab, "r4", {
        SVC_A: {"metric": own[SVC_A]["metric"], "capacityAvailable": 30,
                "capacityTotal": 100},
        SVC_B: {"metric": own[SVC_B]["metric"], "siteId": "edge-4"},
    })
    wait_entries(lab, "r1", {SVC_A: {"metric": r1_own[SVC_A]["metric"], "price": 2}})

    # p5 has no module and no compute database, but it carries r4's
    # GENINFO TLV byte for byte (it floods the PDU it received).
    detail_r4 = lab["r4"].vtysh("show isis database detail r4.00-00")
    detail_p5 = lab["p5"].vtysh("show isis database detail r4.00-00")
    tlv = re.findall(r"Unknown TLV 251, \d+ bytes: ([0-9a-f]+)", detail_r4)
    assert tlv, detail_r4
    assert re.findall(r"Unknown TLV 251, \d+ bytes: ([0-9a-f]+)", detail_p5) == tlv
    out = lab["p5"].vtysh("show isis compute database json", check=False)
    assert "Unknown command" in out or "not" in out.lower(), out


def test_capacity_change_reaches_every_router(diamond):
    lab = diamond
    before = entries(lab["r4"], "r4")[SVC_A]["metric"]
    seq = lsp_seq(lab["r4"], "r4.00-00")
    lab["r4"].vtysh(f"compute service {SVC_A} available 5")
    wait_entries(lab, "r4", {SVC_A: {"capacityAvailable": 5}, SVC_B: {}},
                 routers=["r4"])
    after = entries(lab["r4"], "r4")[SVC_A]
    assert after["capacityAvailable"] == 5 and after["metric"] > before
    wait_entries(lab, "r4", {SVC_A: {"metric": after["metric"], "capacityAvailable": 5},
                             SVC_B: {}})
    assert lsp_seq(lab["r4"], "r4.00-00") > seq

    # A report above the capacity is refused and changes nothing.
    out = lab["r4"].vtysh(f"compute service {SVC_A} available 500", check=False)
    assert "exceeds capacity" in out, out
    assert entries(lab["r4"], "r4")[SVC_A]["capacityAvailable"] == 5


def test_withdraw_and_restart(diamond):
    lab = diamond
    wait_entries(lab, "r4", {SVC_A: {}, SVC_B: {}})
    lab["r4"].vtysh("configure terminal", "router isis 1", "compute-routing",
                    f"no service {SVC_B}")
    wait_entries(lab, "r4", {SVC_A: {}})

    # Restart r4's isisd: its entries go (LSP purged or aged out at the
    # others only after its lifetime, so we check it comes back whole).
    lab["r4"].daemons.restart_daemon("isisd")
    lab.record_pids()
    lab.wait_isis_adjacencies()
    wait_entries(lab, "r4", {SVC_A: {}, SVC_B: {"siteId": "edge-4"}})


def svc(*fields):
    """A service-entry sub-TLV (type 1) from hex fields."""
    body = "".join(fields)
    return "01" + f"{len(body) // 2:02x}" + body


PREFIX_77 = "0106" + "0120" + "cb00714d"  # 203.0.113.77/32
METRIC_7 = "0204" + "00000007"
GOOD = svc(PREFIX_77, METRIC_7)

# Each bad entry is followed by GOOD in the same GENINFO value (flags 0,
# application id 0x4346).  keeps_good: whether GOOD can still be found
# (not when the bad entry's own length runs past the value).
MALFORMED = {
    "truncated": ("0105" + "0106" + "0120cb", True),  # field overruns entry
    "overflow": ("01ff" + PREFIX_77 + METRIC_7, False),  # entry overruns TLV
    "bad_afi": (svc("0106" + "0920" + "cb00714e", METRIC_7), True),
    "plen_over_32": (svc("0106" + "0121" + "cb00714e", METRIC_7), True),
    "plen_over_128": (svc("0113" + "0281" + "20010db8" + "00" * 13, METRIC_7), True),
    "unknown_subtlv": ("7703aabbcc", True),
    "unknown_field": (svc("6302abcd", "0106" + "0120" + "cb00714e", METRIC_7), True),
}


def geninfo(bad):
    return "004346" + bad + GOOD


def test_malformed_entries_are_skipped(diamond):
    """Each kind of malformed entry, one after the other on one lab."""
    lab = diamond
    wait_entries(lab, "r4", {SVC_A: {}, SVC_B: {}})
    lab.wait_for("r1 adjacencies", lambda: None if len(adjacencies(lab["r1"])) == 2 else "down")
    for kind in sorted(MALFORMED):
        check_malformed(lab, kind)


def check_malformed(lab, kind):
    sock = f"{lab['r4'].rundir}/isisd.vty"
    adj_before = adjacencies(lab["r1"])
    logged_before = {n: log_lines(lab[n]) for n in ("r1", "r6")}
    bad, keeps_good = MALFORMED[kind]
    res = daemon_command(sock, f"test isis inject-tlv 251 {geninfo(bad)}")
    assert res[0][0] == 0, res

    # The good entry after the bad one arrives; the bad one is skipped;
    # r4's real entries are untouched.
    want = {SVC_A: {}, SVC_B: {}}
    if keeps_good:
        want["203.0.113.77/32"] = {"metric": 7}
    if kind == "unknown_field":
        want["203.0.113.78/32"] = {"metric": 7}
    wait_entries(lab, "r4", want, routers=["r1", "r6"])
    # Force another LSP refresh with the same bad content: still one line.
    lab["r4"].vtysh(f"compute service {SVC_B} available 15")
    want[SVC_B] = {"capacityAvailable": 15}
    wait_entries(lab, "r4", want, routers=["r1", "r6"])
    lab["r4"].vtysh(f"compute service {SVC_B} available 16")
    want[SVC_B] = {"capacityAvailable": 16}
    wait_entries(lab, "r4", want, routers=["r1", "r6"])
    for name in ("r1", "r6"):
        lines = log_lines(lab[name])[len(logged_before[name]):]
        skipped = [l for l in lines if "(skipped)" in l]
        if kind.startswith("unknown"):
            assert not skipped, f"{name}: {kind} must not drop anything: {lines}"
            continue
        # logged once, not again at each refresh of the same bad TLV
        assert len(skipped) == 1, f"{name}: {kind}: {lines}"
    # Nothing was purged or reset: adjacencies stayed up.
    assert adjacencies(lab["r1"]) == adj_before
    daemon_command(sock, "test isis inject-tlv clear")
    wait_entries(lab, "r4", {SVC_A: {}, SVC_B: {}}, routers=["r1", "r6"])


def log_lines(router):
    with open(f"{router.rundir}/isisd.log") as f:
        return [l for l in f.read().splitlines() if "compute entry" in l]
