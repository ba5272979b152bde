# SPDX-License-Identifier: GPL-2.0-or-later
"""Fixtures of the witness tests (witness_helpers.py)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from witness_helpers import *  # noqa: F401,F403,E402
