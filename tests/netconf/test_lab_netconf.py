# SPDX-License-Identifier: GPL-2.0-or-later
"""`netconf: true` on a lab router: the lab starts cfn-netconfd for it and
stops it with the lab."""

import os

from ncclient import manager

TOPO = {"name": "ncl", "routers": {"r1": {"bgp": False, "netconf": True}, "r2": {"bgp": False}},
        "links": [["r1", "r2"]]}


def test_lab_starts_and_stops_cfn_netconfd(lab_factory):
    lab = lab_factory(TOPO)
    assert list(lab.netconf) == ["r1"]
    srv = lab.netconf["r1"]
    pid = srv.pid
    assert pid and pid in lab.state["pids"]
    with open(os.path.join(srv.dir, "listen")) as f:
        assert f.read() == f"127.0.0.1:{srv.port}\n"
    with manager.connect(host="127.0.0.1", port=srv.port, username=srv.user,
                         key_filename=srv.client_key, hostkey_verify=False,
                         allow_agent=False, look_for_keys=False, timeout=30) as m:
        assert "<area-tag>1</area-tag>" in m.get_config("running").data_xml
    lab.stop()
    assert not os.path.exists(f"/proc/{pid}/status") or "zombie" in open(f"/proc/{pid}/status").read().lower()
