# SPDX-License-Identifier: GPL-2.0-or-later
"""Fixtures of the token tests (token_helpers.py)."""

from token_helpers import *  # noqa: F401,F403
