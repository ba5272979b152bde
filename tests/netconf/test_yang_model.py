# SPDX-License-Identifier: GPL-2.0-or-later
"""yang/frr-cfn.yang against FRR's installed YANG modules (yanglint): the
module compiles, the example documents in doc/yang/ are valid configuration,
and each document in tests/netconf/invalid/ is rejected for its own reason
(so a broken model cannot pass by rejecting everything)."""

import glob
import os
import subprocess

import pytest

SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODULE = os.path.join(SRC, "yang", "frr-cfn.yang")

# Why each invalid document is refused: a fragment of libyang's message.
REASONS = {
    "application-id-zero": 'value "0" is out of the allowed range',
    "available-above-capacity": "available exceeds capacity",
    "bgp-as-scope-too-many": 'Too many "as-scope" instances',
    "bgp-as-scope-zero": 'value "0" is out of the allowed range',
    "bgp-available-above-capacity": "available exceeds capacity",
    "bgp-compute-metadata-not-boolean": 'Invalid boolean value "yes"',
    "bgp-service-ipv6": "BGP compute-routing hosts IPv4 services only",
    "bgp-vrf-instance": "available in the default BGP instance only",
    "capacity-too-large": 'Value "4294967296" is out of type uint32',
    "capacity-zero": 'value "0" is out of the allowed range',
    "damping-decay-zero": "decay must be at least 1 ms",
    "damping-interval-too-long": 'value "3600001" is out of the allowed range',
    "damping-max-below-min": "max-interval must not be below min-interval",
    "export-twice": "export is router-wide",
    "export-without-key": 'Mandatory node "key"',
    "hysteresis-percent-too-large": 'value "1001" is out of the allowed range',
    "metric-base-not-below-max": "max must be above base",
    "metric-max-utilization-zero": 'value "0" is out of the allowed range',
    "prefix-default": 'union value "0.0.0.0/0"',
    "prefix-loopback": 'union value "127.0.0.1/32"',
    "prefix-malformed": 'union value "203.0.113.300/32"',
    "prefix-multicast": 'union value "224.0.0.5/32"',
    "prefix-v6-linklocal": 'union value "fe80::1/128"',
    "price-too-large": 'value "4294967.296" is out of the allowed range',
    "price-too-precise": "exceeds defined number (3) of fraction digits",
    "report-socket-relative": 'Unsatisfied pattern - "cfn.sock"',
    "report-socket-twice": "report-socket is router-wide",
    "site-too-long": "Unsatisfied length",
    "site-with-space": 'Unsatisfied pattern - "edge 1"',
    "unknown-leaf": 'Node "weight" not found',
}


def frr_yang_dir():
    d = os.path.join(os.environ.get("CFN_FRR_DIR", ""), "prefix", "share", "yang")
    if not os.path.isfile(os.path.join(d, "frr-isisd.yang")):
        pytest.fail(f"FRR's YANG modules are not installed in {d}")
    return d


def yanglint(*args):
    return subprocess.run(
        ["yanglint", "-p", frr_yang_dir(), "-p", os.path.join(SRC, "yang"), *args],
        capture_output=True, text=True)


def test_module_compiles_against_frr_isisd():
    r = yanglint(MODULE)
    assert r.returncode == 0, r.stderr
    # The augment lands where the issue says a service's path is.
    r = yanglint("-f", "tree", MODULE)
    assert r.returncode == 0, r.stderr
    assert "augment /frr-isisd:isis/frr-isisd:instance:" in r.stdout
    assert "+--rw service* [prefix]" in r.stdout


def test_bgp_augments_land_on_frr_bgp():
    # BGP's compute-routing and the neighbor knob augment FRR's own frr-bgp
    # model (not a private top-level container).
    r = yanglint("-f", "tree", MODULE)
    assert r.returncode == 0, r.stderr
    base = ("augment /frr-rt:routing/frr-rt:control-plane-protocols/"
            "frr-rt:control-plane-protocol/frr-bgp:bgp")
    assert base + ":\n    +--rw compute-routing!" in r.stdout
    assert (base + "/frr-bgp:neighbors/frr-bgp:neighbor/frr-bgp:afi-safis/"
            "frr-bgp:afi-safi/frr-bgp:ipv4-unicast:\n"
            "    +--rw compute-metadata?") in r.stdout


@pytest.mark.parametrize("doc", sorted(glob.glob(os.path.join(SRC, "doc", "yang", "*.xml"))),
                         ids=os.path.basename)
def test_example_documents_are_valid(doc):
    r = yanglint("-t", "config", MODULE, doc)
    assert r.returncode == 0, r.stderr


INVALID = sorted(glob.glob(os.path.join(SRC, "tests", "netconf", "invalid", "*.xml")))


def test_every_invalid_document_has_a_reason():
    assert sorted(os.path.basename(f)[:-4] for f in INVALID) == sorted(REASONS)


@pytest.mark.parametrize("doc", INVALID, ids=os.path.basename)
def test_invalid_documents_are_rejected(doc):
    r = yanglint("-t", "config", MODULE, doc)
    assert r.returncode != 0, f"{doc} was accepted"
    assert REASONS[os.path.basename(doc)[:-4]] in r.stderr, r.stderr
