# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared helpers for the cfn-spf tests: where the tools and FRR are."""
import glob
import os

import pytest


def _tool(name, build_rel):
    prefix = os.environ.get("CFN_PREFIX")
    if prefix:
        return os.path.join(prefix, "bin", name)
    build = os.environ.get("CFN_BUILD")
    if build:
        return os.path.join(build, build_rel)
    return None


@pytest.fixture(scope="session")
def cfn_spf():
    path = _tool("cfn-spf", "spf/cfn-spf")
    if not path or not os.access(path, os.X_OK):
        pytest.fail("cfn-spf not found: set CFN_PREFIX (installed) or "
                    "CFN_BUILD (build dir); looked at %r" % path)
    return path


@pytest.fixture(scope="session")
def frr_src():
    """FRR's built source tree with tests/isisd/test_isis_spf: CFN_FRR_DIR
    first, then any FRR 8.4.4 build in the cache (the SPF code is the same
    in every build; only our module hook patches differ)."""
    cands = []
    if os.environ.get("CFN_FRR_DIR"):
        cands.append(os.path.join(os.environ["CFN_FRR_DIR"], "src"))
    cache = os.environ.get("CFN_CACHE", os.path.expanduser("~/.cache/cfn"))
    cands += sorted(glob.glob(os.path.join(cache, "frr-8.4.4-*/src")))
    for src in cands:
        if os.access(os.path.join(src, "tests/isisd/test_isis_spf"),
                     os.X_OK):
            return src
    pytest.fail("no built FRR tree with tests/isisd/test_isis_spf "
                "(CFN_FRR_DIR or the FRR build cache); looked in %r" % cands)


@pytest.fixture(scope="session")
def src_dir():
    return os.environ.get(
        "CFN_SRC",
        os.path.dirname(os.path.dirname(os.path.dirname(
            os.path.abspath(__file__)))))
