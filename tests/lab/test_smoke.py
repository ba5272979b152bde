# SPDX-License-Identifier: GPL-2.0-or-later
"""Smoke lab: three routers in a line running real zebra, isisd and bgpd
with the CFN modules loaded."""

import os
import subprocess

TOPO = os.path.join(os.path.dirname(__file__), "../../lab/topologies/line3.yaml")


def test_line3_isis_modules_and_vtysh(lab_factory):
    lab = lab_factory(TOPO)
    lab.wait_isis_adjacencies(timeout=60)

    # The far loopback is in r1's kernel FIB, through r2.
    def far_route():
        rt = lab["r1"].fib_route("192.0.2.3/32")
        if not rt:
            return "192.0.2.3/32 not in r1's FIB"
        if rt.get("protocol") != "isis" or rt.get("dev") != "eth-r2":
            return f"unexpected route {rt}"
        return None

    lab.wait_for("r1 FIB has r3's loopback", far_route, timeout=60)
    rt6 = lab["r1"].fib_route("2001:db8:0:ff::3/128")
    assert rt6 and rt6["protocol"] == "isis", rt6

    for name, r in lab.routers.items():
        mods = r.vtysh("show modules")
        # 'show modules' answers per daemon; ours must be in isisd's and
        # bgpd's sections.
        sections = mods.split("Module information for ")
        isisd = next(s for s in sections if s.startswith("isisd"))
        bgpd = next(s for s in sections if s.startswith("bgpd"))
        assert "cfnd_isis" in isisd, f"{name}: {mods}"
        assert "cfnd_bgp" in bgpd, f"{name}: {mods}"

        v = r.vtysh_json("show isis compute version json")
        assert v["module"] == "cfnd_isis"
        assert v["frrVersion"] == v["frrRunningVersion"]
        assert v["patchSeries"] and v["patchSeries"] in v["frrVersion"]
        b = r.vtysh_json("show bgp compute version json")
        assert b["module"] == "cfnd_bgp"


def test_module_refuses_foreign_frr_build(lab_factory, tmp_path, cfn_prefix):
    """A module built against another FRR build (different patch-series
    hash) refuses to load with a clear message instead of crashing."""
    lib = os.path.join(cfn_prefix, "lib/frr/modules/cfnd_isis.so")
    data = open(lib, "rb").read()
    # Rewrite the patch-series hash compiled into the module's FRR_VERSION
    # string to another one of the same length, as a module built against
    # another FRR build would carry.
    marker = b"-cfn-"
    i = data.index(marker) + len(marker)
    h = data[i:i + 12]
    other = bytes(b"0123456789abcdef"[(b"0123456789abcdef".index(c) + 1) % 16] for c in h)
    moddir = tmp_path / "modules"
    moddir.mkdir()
    (moddir / "cfnd_isis.so").write_bytes(data.replace(marker + h, marker + other))

    isisd = os.path.join(cfn_prefix, "sbin/isisd")
    r = subprocess.run(
        [isisd, "--moduledir", str(moddir), "-M", "cfnd_isis", "-P", "0",
         "--vty_socket", str(tmp_path), "-i", str(tmp_path / "isisd.pid"),
         "-z", str(tmp_path / "nonexistent.api"), "-f", "/dev/null",
         "--log", "stdout"],
        capture_output=True, text=True, timeout=30,
    )
    out = r.stdout + r.stderr
    # exit(1) with the reason, not a crash (FRR patch 0007)
    assert r.returncode == 1, out
    assert "refusing to load" in out and "patch-series hash mismatch" in out, out
    assert h.decode() in out and other.decode() in out, out
