# SPDX-License-Identifier: GPL-2.0-or-later
"""The lab's cfn-netconfd (cfnlab.netconf) with what the tests add: a
second, unauthorized key, and ncclient sessions."""

import os

from ncclient import manager

from cfnlab.netconf import NetconfServer as LabNetconfServer, keygen


class NetconfServer(LabNetconfServer):
    def start(self, timeout=20):
        super().start(timeout)
        self.other_key = keygen(os.path.join(self.dir, "other_key"))
        return self

    def connect(self, key=None, user=None, **kw):
        """An ncclient session (raises on refused authentication)."""
        return manager.connect(
            host="127.0.0.1", port=self.port, username=user or self.user,
            key_filename=key if key is not None else self.client_key,
            hostkey_verify=False, allow_agent=False, look_for_keys=False,
            timeout=30, **kw)
