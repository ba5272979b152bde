# SPDX-License-Identifier: GPL-2.0-or-later
"""Talks to one daemon's vty socket directly, the way vtysh does, for
commands vtysh does not know (those of test-only modules)."""

import socket


def daemon_command(sock_path, *commands, timeout=10):
    """Runs commands in order on a daemon's vty (starting in enable mode)
    and returns [(status, output)] for each; status 0 is CMD_SUCCESS."""
    results = []
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(timeout)
        s.connect(sock_path)
        for line in ("enable",) + commands:
            s.sendall(line.encode() + b"\0")
            buf = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    raise ConnectionError(f"{sock_path}: closed during {line!r}")
                buf += chunk
                # A reply ends with three NULs and the status octet.
                i = buf.find(b"\0\0\0")
                if i >= 0 and len(buf) >= i + 4:
                    results.append((buf[i + 3], buf[:i].decode(errors="replace")))
                    break
    return results[1:]
