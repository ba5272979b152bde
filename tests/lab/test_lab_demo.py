# SPDX-License-Identifier: GPL-2.0-or-later
"""The demo runs headless to completion: who serves each client at each
step, the decisions in the ledger, the audit, and the pictures (PNG and
SVG, non-empty) including `cfn-ledger plot`'s decision timeline."""

import os
import subprocess

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CFN_LAB = os.path.join(SRC, "lab", "cfn-lab")


def test_demo_headless(tmp_path, lab_runtime):
    out = tmp_path / "pictures"
    env = dict(os.environ)
    env.pop("DISPLAY", None)
    r = subprocess.run(["/usr/bin/python3", CFN_LAB, "demo", "--out", str(out),
                        "--runtime", lab_runtime],
                       capture_output=True, text=True, timeout=900, env=env)
    log = r.stdout + r.stderr
    assert r.returncode == 0, log[-4000:]
    # Who served, step by step (each line printed once it held).
    for step in ("client1 (at a1) -> edge1", "client2 (at a2) -> edge2",
                 "client1 (at a1) -> cloud", "client2 (at a2) -> cloud"):
        assert step in log, step
    assert "audit OK" in log
    # The ledger endorsed by the edge operators' and the regulator's
    # witnesses: the quorum met, the audit with the policy says so.
    assert "endorsement: quorum 2 of 3 met at size" in log, log[-4000:]
    assert "cfn-ledger verify: " not in log  # no refusal
    audit = log.split("$ cfn-ledger audit: ", 1)[1].split("\n=== ", 1)[0]
    assert "audit OK" in audit and "quorum OK" in audit, audit
    # The tokens ending: the order settled, the regulator's audit over
    # tlog-tiles OK.
    assert "tokens: regulator (regulator) audited" in log
    assert "1 settled orders" in log
    n = int(log.split(" decisions in the ledger")[0].rsplit("\n", 1)[1])
    assert n >= 8, n  # every module router decided at least once
    assert "namespaces left: none" in log
    assert f", {lab_runtime}): 8 routers up" in log
    assert f"The demo's pictures are in {out}" in log
    for name in ("served", "metric", "decisions"):
        for ext, magic in (("png", b"\x89PNG"), ("svg", b"<?xml")):
            p = out / f"{name}.{ext}"
            data = p.read_bytes()
            assert data.startswith(magic) and len(data) > 2000, p
    # Every site the clients used is in the served picture's data.
    header = (out / "served.dat").read_text().splitlines()[0].split()
    assert {"edge1", "edge2", "cloud"} <= set(header), header


def test_cfn_ledger_plot_refuses_without_decisions(tmp_path, cfn_prefix):
    tool = os.path.join(cfn_prefix, "bin", "cfn-ledger")
    r = subprocess.run([tool, "--dir", str(tmp_path), "plot"], capture_output=True,
                       text=True, timeout=30)
    assert r.returncode == 2 and "needs --out" in r.stderr, r
    r = subprocess.run([tool, "--dir", str(tmp_path / "none"), "plot", "--out",
                        str(tmp_path / "x")], capture_output=True, text=True, timeout=30)
    assert r.returncode == 1 and "cfn-ledger plot:" in r.stderr, r
    assert not (tmp_path / "x.png").exists()
