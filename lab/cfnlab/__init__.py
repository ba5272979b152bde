# SPDX-License-Identifier: GPL-2.0-or-later
"""cfnlab: lab topologies of network namespaces running real FRR daemons
with the CFN modules loaded."""

from .lab import Lab, LabError, load_topology  # noqa: F401
