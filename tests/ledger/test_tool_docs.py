# SPDX-License-Identifier: GPL-2.0-or-later
"""Every tool has --version, a complete --help (every option its parser
knows) and an installed man page that covers every option of --help."""
import os
import re
import subprocess

import pytest

PREFIX = os.environ.get("CFN_PREFIX", "")
SRC = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

TOOLS = {
    "cfn-spf": ("bin", "spf/cfn_spf.c", "man1"),
    "cfn-report": ("bin", "tools/cfn_report.c", "man1"),
    "cfn-ledger": ("bin", "ledger", "man1"),
    "cfn-ledgerd": ("sbin", "ledger/ledgerd.c", "man8"),
}


def parser_options(src):
    """Long options the source parses: getopt tables and strcmp()s."""
    paths = [os.path.join(SRC, src)]
    if os.path.isdir(paths[0]):
        paths = [os.path.join(paths[0], f) for f in os.listdir(paths[0])
                 if f.startswith(("cli_", "cfn_ledger")) and f.endswith(".c")]
    opts = set()
    for p in paths:
        text = open(p).read()
        opts |= set(re.findall(r'\{"([a-z][a-z-]+)", (?:no|required)_argument',
                               text))
        opts |= set(o[2:] for o in re.findall(r'"(--[a-z][a-z-]+)"', text))
    return opts


@pytest.mark.parametrize("tool", sorted(TOOLS))
def test_version_help_and_man_page(tool):
    where, src, sec = TOOLS[tool]
    exe = os.path.join(PREFIX, where, tool)
    v = subprocess.run([exe, "--version"], capture_output=True, text=True)
    assert v.returncode == 0 and re.fullmatch(rf"{tool} \S+\n", v.stdout)
    h = subprocess.run([exe, "--help"], capture_output=True, text=True)
    assert h.returncode == 0 and h.stdout.startswith("usage")
    helped = set(re.findall(r"--([a-z][a-z-]+)", h.stdout))
    missing = parser_options(src) - helped
    assert not missing, f"{tool} --help lacks {sorted(missing)}"
    page = os.path.join(PREFIX, "share", "man", sec,
                        f"{tool}.{sec[-1]}")
    assert os.path.exists(page), f"{page} not installed"
    text = open(page).read().replace("\\-", "-")
    undocumented = [o for o in helped if f"--{o}" not in text]
    assert not undocumented, f"{page} lacks {undocumented}"
    r = subprocess.run(["man", "-l", "--warnings=w", page],
                       capture_output=True, text=True,
                       env=dict(os.environ, MANWIDTH="80"))
    assert r.returncode == 0 and not r.stderr, r.stderr
