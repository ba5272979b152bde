# SPDX-License-Identifier: GPL-2.0-or-later
"""The trading flow in a lab with real FRR routers: an enterprise host
behind a1 orders compute for the anycast service; the order binds to the
site a1's exported decision chose (e1) and its provider; the host's
requests are served there; a load shift then moves the routing to e2,
which does not rebind the order; e1's provider signs the receipt and is
paid; a regulator host audits the whole log over C2SP tlog-tiles from its
own namespace, served from another namespace."""
import copy
import os
import sys

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lab"))
from test_isis_steering import SVC, TOPO as STEER_TOPO  # noqa: E402
from token_lab import trade_story  # noqa: E402

TOPO = copy.deepcopy(STEER_TOPO)
TOPO["name"] = "tokens"
TOPO["ledger"] = True
TOPO["hosts"] = {
    "client1": {"router": "a1"},
    "edge1-srv": {"router": "e1", "serves": [SVC], "name": "edge1"},
    "edge2-srv": {"router": "e2", "serves": [SVC], "name": "edge2"},
    "archive": {"router": "m1"},
    "regulator": {"router": "m2"},
}


@pytest.fixture
def lab(lab_factory):
    lab = lab_factory(TOPO)
    lab.wait_isis_adjacencies()
    return lab


def test_trade_in_the_lab_and_the_regulator_audits_over_tiles(lab, procs):
    said = []
    r = trade_story(lab, procs, SVC, "a1", "client1",
                    ("e1", "edge1", "edge1-srv"),
                    ("e2", "edge2", "edge2-srv"), "archive", "regulator",
                    say=said.append)
    led = r["ledger"]
    by_id = {x["order"]: x for x in led.orders()}
    o, o2 = by_id[r["order"]], by_id[r["moved_order"]]
    # bound by the decision at order time, never rebound
    assert (o["router"], o["site"], o["provider"], o["price"]) == \
        ("e1", "edge1", led.ids["prov1"], 2)
    assert (o["state"], o["paid"], o["refund"]) == ("settled", 16, 4)
    # the order after the load shift follows the new decision
    assert (o2["router"], o2["provider"], o2["state"]) == \
        ("e2", led.ids["prov2"], "open")
    p = led.op("receipt", "prov2", "--order", str(r["order"]), "--units",
               "10", check=False)
    assert not isinstance(p, int) and "order-closed" in p.stderr
    p = led.op("receipt", "prov1", "--order", str(r["moved_order"]),
               "--units", "1", check=False)
    assert not isinstance(p, int) and "not-bound-provider" in p.stderr
    assert led.balance("prov1")["earned"] == 16
    assert led.balance("ent")["balance"] == 100 - 20 + 4 - 1
    rep = r["report"]
    assert rep["ok"] and rep["checkpoint"]["verified"]
    assert rep["decisions"] >= 2 and rep["totals"]["supply"] == 100
    assert rep["totals"]["paid_to_providers"] == 16
    assert len(said) >= 6
