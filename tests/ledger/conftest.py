# SPDX-License-Identifier: GPL-2.0-or-later
"""Fixtures of the ledger tests; the helpers live in ledger_helpers.py so
tests import them by a name no other test directory uses."""

from ledger_helpers import *  # noqa: F401,F403
