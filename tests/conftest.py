# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared pytest set-up: where the built project is, and the lab harness."""

import os
import sys

import pytest

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(SRC, "lab"))


def pytest_configure(config):
    if not os.environ.get("CFN_PREFIX"):
        raise pytest.UsageError(
            "CFN_PREFIX is not set: run the tests with ./run test, or after "
            "eval \"$(./run env)\""
        )


@pytest.fixture
def cfn_prefix():
    return os.environ["CFN_PREFIX"]


@pytest.fixture
def lab_factory():
    """Starts labs from topology dicts/files; tears every one down at the
    end of the test whatever happened (failure, error, Ctrl-C)."""
    from cfnlab import Lab

    labs = []

    def make(topology):
        lab = Lab(topology)
        labs.append(lab)
        lab.start()
        return lab

    try:
        yield make
    finally:
        for lab in reversed(labs):
            lab.stop()


def _podman_unavailable():
    sys.path.insert(0, os.path.join(SRC, "lab"))
    from cfnlab import podman
    return podman.why_unavailable()


@pytest.fixture(params=["netns", "podman"])
def lab_runtime(request):
    """Both lab runtimes; podman is skipped only where it cannot run here,
    saying why."""
    if request.param == "podman":
        why = _podman_unavailable()
        if why:
            pytest.skip(f"podman runtime: {why}")
    return request.param
