# SPDX-License-Identifier: GPL-2.0-or-later
"""A 25-router lab cut from a real ISP topology (GEANT 2012, Internet
Topology Zoo) converges to exactly the choices cfn-spf computes on the
same graph, and when the busiest site reports full, the routers cfn-spf
says must move do, and no other.  (The 100-router version with its
figures is bench/bench-lab-scale.)"""

import os

from cfnlab import scale

GEANT = os.path.join(scale.SHARED_TOPOLOGIES, "Geant2012.json")


def test_zoo_lab_converges_and_steers_like_cfn_spf():
    spec = scale.zoo_topology(GEANT, 25, name="geant25")
    assert len(spec["routers"]) == 25
    fig = scale.run(spec, timeout=300, rest_s=1.0, log=lambda *_: None)
    assert fig["moved"] > 0, "the load report moved nobody: the test proves nothing"
    assert fig["moved"] < 25
