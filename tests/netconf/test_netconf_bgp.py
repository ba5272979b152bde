# SPDX-License-Identifier: GPL-2.0-or-later
"""cfn-netconfd on a router running bgpd with cfnd_bgp: a BGP service and a
neighbor's compute-metadata provisioned over NETCONF show in bgpd's running
configuration and the service reaches the neighbor; get-config reads bgpd;
an invalid edit, or one bgpd refuses halfway, changes nothing."""

import pytest
from ncclient import manager
from ncclient.operations.rpc import RPCError

SVC = "203.0.113.10/32"
NBR = "198.51.100.1"  # k2's end of the link (as in test_bgp_compute_config)
NC = "urn:ietf:params:xml:ns:netconf:base:1.0"
RT = "http://frrouting.org/yang/routing"
BGP = "http://frrouting.org/yang/bgp"
CFN = "http://frrouting.org/yang/cfn"
INSTANCE = ("/frr-routing:routing/control-plane-protocols/control-plane-protocol"
            "[type='frr-bgp:bgp'][name='main'][vrf='default']/frr-bgp:bgp")

# k1 is provisioned over NETCONF; its neighbor k2 receives the service.
TOPO = {
    "name": "ncbgp",
    "routers": {
        "k1": {"asn": 65002, "netconf": True,
               "bgp_neighbors": [{"router": "k2", "asn": 65001}]},
        "k2": {"asn": 65001,
               "bgp_neighbors": [{"router": "k1", "asn": 65002, "compute": True}]},
    },
    "links": [["k1", "k2"]],
}


def config(compute="", neighbor=""):
    """An edit-config <config> for k1's BGP instance."""
    nbr = ""
    if neighbor:
        nbr = (f"<neighbors><neighbor><remote-address>{NBR}</remote-address>"
               f"<afi-safis><afi-safi><afi-safi-name xmlns:frr-rt=\"{RT}\">"
               f"frr-rt:ipv4-unicast</afi-safi-name><ipv4-unicast>{neighbor}"
               f"</ipv4-unicast></afi-safi></afi-safis></neighbor></neighbors>")
    cr = f'<compute-routing xmlns="{CFN}">{compute}</compute-routing>' if compute else ""
    return (f'<config xmlns="{NC}"><routing xmlns="{RT}"><control-plane-protocols>'
            f'<control-plane-protocol><type xmlns:frr-bgp="{BGP}">frr-bgp:bgp</type>'
            f'<name>main</name><vrf>default</vrf><bgp xmlns="{BGP}">{nbr}{cr}</bgp>'
            f'</control-plane-protocol></control-plane-protocols></routing></config>')


def service(prefix, capacity, available, extra=""):
    return (f"<service><prefix>{prefix}</prefix><capacity>{capacity}</capacity>"
            f"<available>{available}</available>{extra}</service>")


METADATA = f'<compute-metadata xmlns="{CFN}">true</compute-metadata>'


def connect(lab):
    srv = lab.netconf["k1"]
    return manager.connect(host="127.0.0.1", port=srv.port, username=srv.user,
                           key_filename=srv.client_key, hostkey_verify=False,
                           allow_agent=False, look_for_keys=False, timeout=30)


def k2_paths(k2):
    return k2.vtysh_json(f"show bgp ipv4 unicast {SVC} json").get("paths")


def test_provision_bgp_service_over_netconf(lab_factory):
    lab = lab_factory(TOPO)
    k1, k2 = lab["k1"], lab["k2"]
    assert "compute-routing" not in k1.vtysh("show running-config")
    with connect(lab) as m:
        running = m.get_config("running").data_xml
        assert "<local-as>65002</local-as>" in running, running
        assert f"<remote-address>{NBR}</remote-address>" in running, running

        m.edit_config(target="running", config=config(
            service(SVC, 100, 80, "<site>edge-1</site>")
            + "<as-scope>65002</as-scope><as-scope>65001</as-scope>",
            METADATA))
        text = k1.vtysh("show running-config")
        assert f"  service {SVC} capacity 100 available 80 site edge-1" in text, text
        assert "  as-scope 65002 65001" in text, text
        assert f"  neighbor {NBR} compute-metadata" in text, text
        # get-config reads it back from bgpd
        running = m.get_config("running").data_xml
        assert f"<prefix>{SVC}</prefix>" in running, running
        assert ">true</compute-metadata>" in running, running

    lab.wait_for("k2 receives the service from k1",
                 lambda: None if k2_paths(k2) else "missing", 60)
    meta = k2.vtysh_json("show bgp compute database json").get(SVC, [])
    assert any(e.get("site") == "edge-1" for e in meta), meta


INVALID = {
    # refused by the model: nothing reaches bgpd
    "ipv6-service": (config(service("2001:db8:cf::/64", 4, 4)),
                     "invalid-value", "compute-routing/service"),
    "too-many-ases": (config("".join(f"<as-scope>{65001 + i}</as-scope>"
                                     for i in range(17))),
                      "", "compute-routing"),
    # a neighbor bgpd does not have is not NETCONF's to create
    "unknown-neighbor": (config(neighbor=METADATA).replace(NBR, "192.0.2.99"),
                         "", "neighbors/neighbor"),
    # valid for YANG, refused by bgpd at the last command: the service
    # before it was applied, and must be rolled back
    "last-item-fails": (config(service("203.0.113.20/32", 10, 5)
                               + "<export><socket>/nonexistent/ledger.sock</socket>"
                                 "<key>/nonexistent/k1.key</key></export>"),
                        "operation-failed", "compute-routing/export"),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_bgp_edit_changes_nothing(lab_factory, case):
    lab = lab_factory(TOPO)
    k1 = lab["k1"]
    k1.vtysh("configure terminal", "router bgp 65002", "compute-routing",
             f"service {SVC} capacity 9 available 9")
    before = k1.vtysh("show running-config")
    body, tag, path = INVALID[case]
    with connect(lab) as m:
        with pytest.raises(RPCError) as e:
            m.edit_config(target="running", error_option="rollback-on-error",
                          config=body)
        if tag:
            assert e.value.tag == tag, (e.value.tag, e.value.message)
        assert path in (e.value.path or ""), (e.value.path, e.value.message)
        assert e.value.message
        assert SVC in m.get_config("running").data_xml
    assert k1.vtysh("show running-config") == before
