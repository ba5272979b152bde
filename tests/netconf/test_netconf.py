# SPDX-License-Identifier: GPL-2.0-or-later
"""cfn-netconfd against a real lab router, with ncclient: provisioning from
an empty compute-routing, seen in vtysh and in routing at another router;
state over <get>; edits that fail change nothing; authentication; locks."""

import re
import time

import pytest
from ncclient.operations.rpc import RPCError

from cfnlab import Lab

SVC = "203.0.113.10/32"
SVC6 = "2001:db8:cf::/64"
NC = "urn:ietf:params:xml:ns:netconf:base:1.0"
ISIS = "http://frrouting.org/yang/isisd"
CFN = "http://frrouting.org/yang/cfn"
INSTANCE = f"/frr-isisd:isis/instance[area-tag='1'][vrf='default']"
# XPath filters use XML prefixes, declared with the filter (RFC 6241 8.9)
NSMAP = {"frr-isisd": ISIS, "frr-cfn": CFN}

# r1 is provisioned over NETCONF (no compute-routing in its config file);
# r2 computes and steers.
TOPO = {
    "name": "netconf",
    "routers": {"r1": {"bgp": False}, "r2": {"bgp": False, "compute": True}},
    "links": [["r1", "r2"]],
}


def config(body, instance_extra=""):
    """An edit-config <config> for instance 1's compute-routing."""
    return (f'<config xmlns="{NC}" xmlns:nc="{NC}"><isis xmlns="{ISIS}"><instance>'
            f"<area-tag>1</area-tag><vrf>default</vrf>{instance_extra}"
            f'<compute-routing xmlns="{CFN}">{body}</compute-routing>'
            "</instance></isis></config>")


def service(prefix, capacity, available, extra="", op=None):
    attr = f' nc:operation="{op}"' if op else ""
    return (f"<service{attr}><prefix>{prefix}</prefix><capacity>{capacity}</capacity>"
            f"<available>{available}</available>{extra}</service>")


def compute_block(router):
    """The compute-routing lines of router isis 1 in show running-config,
    or None without compute-routing."""
    running = router.vtysh("show running-config")
    m = re.search(r"^router isis 1\n(.*?)^exit\n", running, re.S | re.M)
    assert m, running
    m = re.search(r"^ compute-routing\n(.*?)^ exit\n", m.group(1), re.S | re.M)
    return None if not m else m.group(1).splitlines()


@pytest.fixture(scope="module")
def lab():
    lab = Lab(TOPO)
    try:
        lab.start()
        lab.wait_isis_adjacencies()
        yield lab
    finally:
        lab.stop()


@pytest.fixture
def r1(lab):
    """r1 without compute-routing before and after each test."""
    lab["r1"].vtysh("configure terminal", "router isis 1", "no compute-routing")
    yield lab["r1"]
    lab["r1"].vtysh("configure terminal", "router isis 1", "no compute-routing")


@pytest.fixture
def server(r1, netconf_factory):
    return netconf_factory(r1)


def r2_knows(lab, prefix):
    db = lab["r2"].vtysh_json("show isis compute database json")
    return any(e["prefix"] == prefix for e in db.get("r1", []))


def test_provision_from_empty_and_withdraw(lab, r1, server, netconf_factory):
    with server.connect() as m:
        data = m.get_config("running").data_xml
        assert "<area-tag>1</area-tag>" in data and "compute-routing" not in data
        assert compute_block(r1) is None

        m.edit_config(target="running", config=config(
            service(SVC, 100, 60, "<site>edge-1</site>")
            + service(SVC6, 8, 8, "<price>2.5</price>")
            + "<metric-function><base>20</base><scale>200</scale></metric-function>"
            + "<damping><min-interval>500</min-interval><max-interval>8000</max-interval></damping>"
            + "<hysteresis><percent>15</percent></hysteresis>"
            + "<application-id>17222</application-id>"))

        # in vtysh, exactly as if typed there
        assert compute_block(r1) == [
            "  hysteresis percent 15",
            "  metric-function base 20 scale 200 max 1000000 max-utilization 95",
            "  damping threshold-percent 10 threshold-absolute 0 min-interval 500 "
            "max-interval 8000 flap-window 10000 flap-threshold 3 decay 10000",
            f"  service {SVC} capacity 100 available 60 site edge-1",
            f"  service {SVC6} capacity 8 available 8 price 2.500",
        ]
        # advertised, and steered at r2 towards r1
        lab.wait_for("r2 learns r1's services",
                     lambda: None if r2_knows(lab, SVC) and r2_knows(lab, SVC6) else "not yet",
                     timeout=60)

        def steered():
            routes = lab["r2"].vtysh_json("show isis compute routes json")
            r = routes.get(SVC)
            if not r or r["sites"] != ["r1"] or not r["installed"]:
                return f"r2 routes: {routes}"
            return None if lab["r2"].fib_route(SVC) else "no kernel route at r2"
        lab.wait_for("r2 steers to r1", steered, timeout=60)

        # state over <get>: r1's own database and decision
        state = m.get(filter=("xpath", (NSMAP, f"{INSTANCE}/frr-cfn:compute-routing/state"))).data_xml
        assert re.search(rf"<entry><router>r1</router><prefix>{re.escape(SVC)}</prefix>"
                         r"<metric>\d+</metric><eligible>true</eligible><capacity>100</capacity>"
                         r"<available>60</available>", state), state
        assert re.search(rf"<prefix>{re.escape(SVC6)}</prefix>.*?<price>2.5</price>", state), state
        assert f"<decision><prefix>{SVC}</prefix><site>r1</site>" in state, state
        assert "<local>true</local>" in state
        assert "<state>" not in m.get_config("running").data_xml
        # r2's decision, read over r2's own server: r1's site, via the link
        with netconf_factory(lab["r2"], "nc-r2").connect() as m2:
            decision = m2.get(filter=("subtree",
                f'<isis xmlns="{ISIS}"><instance><compute-routing xmlns="{CFN}"><state>'
                f"<decisions><decision><prefix>{SVC}</prefix></decision></decisions>"
                "</state></compute-routing></instance></isis>")).data_xml
        assert f"<prefix>{SVC}</prefix><site>r1</site>" in decision, decision
        assert "<local>false</local>" in decision and "<installed>true</installed>" in decision
        assert re.search(r"<nexthop><address>[0-9a-f.:]+</address><interface>eth-r1</interface>"
                         r"<neighbor>r1</neighbor></nexthop>", decision), decision
        assert SVC6 not in decision  # the filter selected one decision

        # withdraw one service, then compute-routing altogether
        m.edit_config(target="running", config=config(service(SVC, 1, 1, op="delete")))
        assert not any(SVC in line for line in compute_block(r1))
        lab.wait_for("r2 forgets the service",
                     lambda: None if not r2_knows(lab, SVC) else "still known", timeout=60)
        lab.wait_for("r2 removes the steered route",
                     lambda: None if not lab["r2"].fib_route(SVC) else "route left", timeout=60)
        m.edit_config(target="running", config=(
            f'<config xmlns="{NC}" xmlns:nc="{NC}"><isis xmlns="{ISIS}"><instance>'
            "<area-tag>1</area-tag><vrf>default</vrf>"
            f'<compute-routing xmlns="{CFN}" nc:operation="delete"/></instance></isis></config>'))
        assert compute_block(r1) is None
        lab.wait_for("r2 forgets r1's services",
                     lambda: None if not r2_knows(lab, SVC6) else "still known", timeout=60)


def test_vtysh_changes_show_in_get_config(r1, server):
    r1.vtysh("configure terminal", "router isis 1", "compute-routing",
             f"service {SVC} capacity 50 available 5 price 7", "application-id 4242")
    with server.connect() as m:
        data = m.get_config("running", filter=(
            "subtree", f'<isis xmlns="{ISIS}"><instance><compute-routing xmlns="{CFN}">'
            f"<service><prefix>{SVC}</prefix></service></compute-routing></instance></isis>")).data_xml
        assert (f"<service><prefix>{SVC}</prefix><capacity>50</capacity>"
                "<available>5</available><price>7.0</price></service>") in data, data
        assert "application-id" not in data  # not selected by the filter
        data = m.get_config("running", filter=(
            "xpath", (NSMAP, f"{INSTANCE}/frr-cfn:compute-routing/application-id"))).data_xml
        assert "<application-id>4242</application-id>" in data and "<service>" not in data


def test_operations(r1, server):
    with server.connect() as m:
        m.edit_config(target="running", config=config(service(SVC, 10, 10, "<site>a</site>")))
        # create on an existing entry: data-exists
        with pytest.raises(RPCError) as e:
            m.edit_config(target="running", config=config(service(SVC, 10, 10, op="create")))
        assert e.value.tag == "data-exists"
        # delete of something absent: data-missing; remove: fine
        with pytest.raises(RPCError) as e:
            m.edit_config(target="running", config=config(service(SVC6, 1, 1, op="delete")))
        assert e.value.tag == "data-missing"
        m.edit_config(target="running", config=config(service(SVC6, 1, 1, op="remove")))
        # merge changes one leaf, replace drops what it does not restate
        m.edit_config(target="running", config=config(
            f"<service><prefix>{SVC}</prefix><available>4</available></service>"))
        assert compute_block(r1) == [f"  service {SVC} capacity 10 available 4 site a"]
        m.edit_config(target="running", config=config(service(SVC, 20, 3, op="replace")))
        assert compute_block(r1) == [f"  service {SVC} capacity 20 available 3"]
        # test-only validates without applying
        m.edit_config(target="running", test_option="test-only",
                      config=config(service(SVC6, 5, 5)))
        assert compute_block(r1) == [f"  service {SVC} capacity 20 available 3"]
        # default-operation none with an explicit merge below
        m.edit_config(target="running", default_operation="none", config=config(
            f'<service nc:operation="merge"><prefix>{SVC}</prefix><available>2</available></service>'))
        assert compute_block(r1) == [f"  service {SVC} capacity 20 available 2"]
        # validate of running, and of an inline configuration
        m.validate(source="running")


INVALID = {
    "out-of-range": (service(SVC, 0, 0), "invalid-value", "capacity"),
    "malformed-prefix": (service("203.0.113.300/32", 10, 1), "invalid-value", "prefix"),
    "unknown-leaf": (service(SVC, 10, 1, "<weight>3</weight>"), "unknown-element", ""),
    "violated-must": (service(SVC, 10, 11), "invalid-value", "available"),
    "must-across-leaves": ("<metric-function><base>500</base><max>400</max></metric-function>",
                           "invalid-value", "metric-function/max"),
    # valid for YANG, refused by isisd at the last command: the services
    # before it were applied, and must be rolled back
    "last-item-fails": (service(SVC, 10, 5) + service(SVC6, 4, 4)
                        + "<export><socket>/nonexistent/ledger.sock</socket>"
                          "<key>/nonexistent/r1.key</key></export>",
                        "operation-failed", "compute-routing/export"),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_edit_changes_nothing(r1, server, case):
    body, tag, path = INVALID[case]
    r1.vtysh("configure terminal", "router isis 1", "compute-routing",
             "service 203.0.113.99/32 capacity 9 available 9")
    before = r1.vtysh("show running-config")
    with server.connect() as m:
        with pytest.raises(RPCError) as e:
            m.edit_config(target="running", error_option="rollback-on-error",
                          config=config(body))
        assert e.value.tag == tag, (e.value.tag, e.value.message)
        assert (e.value.path or "").startswith(INSTANCE), e.value.path
        assert path in e.value.path, e.value.path
        assert e.value.message
        # the session survives the error
        assert "203.0.113.99/32" in m.get_config("running").data_xml
    assert r1.vtysh("show running-config") == before


def test_daemon_refusal_message_is_actionable(r1, server):
    with server.connect() as m:
        with pytest.raises(RPCError) as e:
            m.edit_config(target="running", config=config(
                service(SVC, 10, 5)
                + "<export><socket>/nonexistent/ledger.sock</socket>"
                  "<key>/nonexistent/r1.key</key></export>"))
    msg = e.value.message
    assert "isisd refused 'export socket /nonexistent/ledger.sock key /nonexistent/r1.key'" in msg
    assert "nothing was changed" in msg and "rolled back" in msg
    assert compute_block(r1) is None


def test_authentication(server):
    from ncclient.transport.errors import AuthenticationError, SSHError
    refused = (AuthenticationError, SSHError)
    with pytest.raises(refused):
        server.connect(key=server.other_key)          # wrong key
    with pytest.raises(refused):
        server.connect(key=[])                        # no key
    with pytest.raises(refused):
        server.connect(user="root")                   # wrong user, right key
    with server.connect() as m:                       # and the right one works
        assert m.connected


def test_lock_denies_other_sessions(r1, server):
    with server.connect() as a, server.connect() as b:
        a.lock("running")
        with pytest.raises(RPCError) as e:
            b.edit_config(target="running", config=config(service(SVC, 10, 10)))
        assert e.value.tag == "lock-denied"
        assert compute_block(r1) is None
        with pytest.raises(RPCError) as e:
            b.lock("running")
        assert e.value.tag == "lock-denied"
        a.edit_config(target="running", config=config(service(SVC, 10, 10)))
        a.unlock("running")
        b.edit_config(target="running", config=config(service(SVC, 10, 9)))
        assert compute_block(r1) == [f"  service {SVC} capacity 10 available 9"]


def test_kill_session_releases_its_lock(server):
    a = server.connect()
    with server.connect() as b:
        a.lock("running")
        with pytest.raises(RPCError) as e:
            b.lock("running")
        assert e.value.tag == "lock-denied"
        b.kill_session(a.session_id)
        deadline = time.monotonic() + 30
        while a.connected:  # the server drops the killed session
            assert time.monotonic() < deadline, "killed session still connected"
            time.sleep(0.1)
        b.lock("running")
        b.unlock("running")


def test_candidate_commit_and_discard(r1, server):
    with server.connect() as m, server.connect() as other:
        assert ":candidate" in " ".join(m.server_capabilities)
        m.edit_config(target="candidate", config=config(service(SVC, 10, 10)))
        # not in the daemons until commit; visible in the candidate
        assert compute_block(r1) is None
        assert SVC in m.get_config("candidate").data_xml
        assert SVC not in m.get_config("running").data_xml
        # the candidate is shared by sessions; its changes block a lock
        assert SVC in other.get_config("candidate").data_xml
        with pytest.raises(RPCError) as e:
            other.lock("candidate")
        assert e.value.tag == "lock-denied"
        m.validate(source="candidate")
        m.commit()
        assert compute_block(r1) == [f"  service {SVC} capacity 10 available 10"]
        # discard-changes brings the candidate back to running
        m.edit_config(target="candidate", config=config(service(SVC6, 4, 4)))
        m.discard_changes()
        assert SVC6 not in m.get_config("candidate").data_xml
        m.commit()  # nothing to commit
        assert compute_block(r1) == [f"  service {SVC} capacity 10 available 10"]


def test_candidate_commit_is_all_or_nothing(r1, server):
    with server.connect() as m:
        m.edit_config(target="candidate", config=config(
            service(SVC, 10, 5) + "<export><socket>/nonexistent/ledger.sock</socket>"
                                  "<key>/nonexistent/r1.key</key></export>"))
        before = r1.vtysh("show running-config")
        with pytest.raises(RPCError) as e:
            m.commit()
        assert e.value.tag == "operation-failed"
        assert e.value.path.endswith("frr-cfn:compute-routing/export"), e.value.path
        assert r1.vtysh("show running-config") == before
        # the candidate keeps the failed change for the operator to fix
        assert "/nonexistent/r1.key" in m.get_config("candidate").data_xml
        m.discard_changes()


def test_candidate_lock_released_with_its_session_discards(r1, server):
    with server.connect() as other:
        with server.connect() as m:
            m.lock("candidate")
            m.edit_config(target="candidate", config=config(service(SVC, 10, 10)))
            with pytest.raises(RPCError) as e:
                other.edit_config(target="candidate", config=config(service(SVC6, 1, 1)))
            assert e.value.tag == "lock-denied"
        # m closed without committing: its changes are gone, the lock free
        deadline = time.monotonic() + 30
        while SVC in other.get_config("candidate").data_xml:
            assert time.monotonic() < deadline, "candidate kept a closed session's changes"
            time.sleep(0.1)
        other.lock("candidate")
        other.unlock("candidate")


def test_set_available_rpc(r1, server):
    from ncclient.xml_ import to_ele
    with server.connect() as m:
        m.edit_config(target="running", config=config(service(SVC, 100, 100)))
        m.dispatch(to_ele(f'<set-available xmlns="{CFN}"><prefix>{SVC}</prefix>'
                          "<available>7</available></set-available>"))
        assert r1.vtysh_json("show isis compute services json")[SVC]["capacityAvailable"] == 7
        # a load report, not configuration
        assert compute_block(r1) == [f"  service {SVC} capacity 100 available 100"]
        with pytest.raises(RPCError) as e:
            m.dispatch(to_ele(f'<set-available xmlns="{CFN}"><prefix>{SVC6}</prefix>'
                              "<available>1</available></set-available>"))
        assert e.value.tag == "operation-failed"
        assert "not hosted here" in e.value.message, e.value.message
        with pytest.raises(RPCError) as e:  # more than the capacity
            m.dispatch(to_ele(f'<set-available xmlns="{CFN}"><prefix>{SVC}</prefix>'
                              "<available>101</available></set-available>"))
        assert r1.vtysh_json("show isis compute services json")[SVC]["capacityAvailable"] == 7


def test_debug_switches(r1, server):
    def debugs():
        return re.findall(r"^debug isis compute (\w+)$", r1.vtysh("show running-config"), re.M)
    debug = (f'<config xmlns="{NC}"><isis xmlns="{ISIS}"><compute-debug xmlns="{CFN}">'
             "{}</compute-debug></isis></config>")
    try:
        with server.connect() as m:
            assert "compute-debug" not in m.get_config("running").data_xml
            m.edit_config(target="running", config=debug.format("<routes>true</routes>"))
            assert debugs() == ["routes"]
            r1.vtysh("configure terminal", "debug isis compute database")
            data = m.get_config("running").data_xml
            assert (f'<compute-debug xmlns="{CFN}"><database>true</database>'
                    "<routes>true</routes></compute-debug>") in data, data
            m.edit_config(target="running", config=debug.format("<routes>false</routes>"))
            assert debugs() == ["database"]
    finally:
        r1.vtysh("configure terminal", "no debug isis compute all")
