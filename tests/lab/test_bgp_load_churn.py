# SPDX-License-Identifier: GPL-2.0-or-later
"""Load churn at one site: 100 load reports per second for a minute into a
real bgpd with cfnd_bgp.  Every report is a significant change, so without
damping each would be an UPDATE; with a 500 ms hold-down at most one
UPDATE per hold-down may leave.  bgpd's CPU time over the minute is printed
(for the note), not asserted."""

import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "../../lab"))

SVC = "203.0.113.10/32"
HOLD_MS = 500
RATE = 100
SECONDS = 60

TOPO = {
    "name": "bgpchurn",
    "routers": {
        "s1": {
            "asn": 65002,
            "bgp_neighbors": [{"router": "i2", "asn": 65001, "compute": True}],
            "bgp_services": [{"prefix": SVC, "capacity": 100, "available": 50,
                              "site": "s1"}],
            "bgp_compute_extra": [
                f"damping threshold-percent 10 min-interval {HOLD_MS}"],
        },
        "i2": {"asn": 65001,
               "bgp_neighbors": [{"router": "s1", "asn": 65002, "compute": True}]},
    },
    "links": [["s1", "i2"]],
}


class Vty:
    """One connection to a daemon's vty socket, kept open (a vtysh per
    report would measure vtysh, not bgpd)."""

    def __init__(self, path):
        self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.s.settimeout(10)
        self.s.connect(path)
        self.cmd("enable")

    def cmd(self, line):
        self.s.sendall(line.encode() + b"\0")
        buf = b""
        while True:
            chunk = self.s.recv(65536)
            assert chunk, f"vty closed during {line!r}"
            buf += chunk
            i = buf.find(b"\0\0\0")
            if i >= 0 and len(buf) >= i + 4:
                return buf[i + 3], buf[:i].decode(errors="replace")

    def close(self):
        self.s.close()


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def updates_sent(router):
    summary = router.vtysh_json("show bgp summary json")["ipv4Unicast"]["peers"]
    addr = next(iter(summary))
    nb = router.vtysh_json(f"show bgp neighbors {addr} json")[addr]
    return nb["messageStats"]["updatesSent"]


def test_load_churn_stays_within_damping_bound(lab_factory):
    lab = lab_factory(TOPO)
    s1, i2 = lab["s1"], lab["i2"]
    lab.wait_for("i2 has the service with metadata", lambda: None if any(
        p.get("edgeMetadata") for p in i2.vtysh_json(
            f"show bgp ipv4 unicast {SVC} json").get("paths", []))
        else "not yet", timeout=90)
    pid = s1.daemons.pids()["bgpd"]
    vty = Vty(os.path.join(s1.rundir, "bgpd.vty"))
    try:
        sent0, cpu0, orig0 = updates_sent(s1), cpu_seconds(pid), \
            s1.vtysh_json("show bgp compute services json")[SVC]["advertisements"]
        start = time.monotonic()
        n = 0
        while n < RATE * SECONDS:
            # alternate 20 and 80 free: metric 410 / 35, always significant
            status, out = vty.cmd(
                f"compute service {SVC} available {20 if n % 2 else 80}")
            assert status == 0, out
            n += 1
            delay = start + n / RATE - time.monotonic()
            if delay > 0:
                time.sleep(delay)
        elapsed = time.monotonic() - start
        cpu = cpu_seconds(pid) - cpu0
    finally:
        vty.close()
    # let the last pending update go out
    time.sleep(HOLD_MS / 1000 * 3)
    orig = s1.vtysh_json("show bgp compute services json")[SVC]["advertisements"] - orig0
    sent = updates_sent(s1) - sent0
    bound = int(elapsed * 1000 / HOLD_MS) + 2
    print(f"\nload churn: {n} reports in {elapsed:.1f} s; {orig} originations, "
          f"{sent} UPDATEs sent (damping bound {bound}); bgpd CPU "
          f"{cpu:.2f} s ({100 * cpu / elapsed:.1f} % of one core)")
    assert 0 < orig <= bound, (orig, bound)
    assert sent <= bound, (sent, bound)
    # the session survived and the last value got through
    last = [p["edgeMetadata"] for p in i2.vtysh_json(
        f"show bgp ipv4 unicast {SVC} json")["paths"] if p.get("edgeMetadata")]
    assert last and last[0]["available"] == 20, last
