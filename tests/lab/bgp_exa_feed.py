#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""ExaBGP API process for the BGP lab tests: forwards each line appended
to CMDS to ExaBGP (its stdout), and appends every JSON message ExaBGP
sends it (its stdin) to OUT, one per line.

    bgp_exa_feed.py CMDS OUT
"""
import os
import sys
import threading
import time


def forward_commands(path):
    pos = 0
    while True:
        if os.path.exists(path):
            with open(path) as f:
                f.seek(pos)
                data = f.read()
            # only whole lines: the test appends a line at a time
            end = data.rfind("\n") + 1
            for line in data[:end].splitlines():
                if line.strip():
                    sys.stdout.write(line + "\n")
                    sys.stdout.flush()
            pos += len(data[:end].encode())
        time.sleep(0.05)


def main():
    cmds, out = sys.argv[1], sys.argv[2]
    threading.Thread(target=forward_commands, args=(cmds,), daemon=True).start()
    with open(out, "a") as f:
        for line in sys.stdin:
            f.write(line)
            f.flush()


if __name__ == "__main__":
    main()
