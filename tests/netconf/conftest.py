# SPDX-License-Identifier: GPL-2.0-or-later
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from netconf_server import NetconfServer  # noqa: E402


@pytest.fixture
def netconf_factory(tmp_path):
    """cfn-netconfd servers for lab routers, stopped at the end."""
    servers = []

    def make(router, name="nc"):
        srv = NetconfServer(router, str(tmp_path / name))
        servers.append(srv)
        return srv.start()

    try:
        yield make
    finally:
        for srv in servers:
            srv.stop()
