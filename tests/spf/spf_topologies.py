# SPDX-License-Identifier: GPL-2.0-or-later
"""Where the real-network topology files are (cfn-spf input format)."""
import glob
import os


def topology_files():
    """The real-network topology files, wherever this checkout has them."""
    src = os.environ.get("CFN_SRC", os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "..", ".."))
    for d in (os.environ.get("CFN_TOPOLOGIES", ""),
              os.path.join(src, "topologies"),
              os.path.join(src, "lab", "topologies"),
              # ../shared beside the checkout, as CI and run-fresh lay it
              os.path.join(src, "..", "shared", "topologies")):
        files = sorted(glob.glob(os.path.join(d, "*.json"))) if d else []
        if files:
            return files
    return ["<none>"]
