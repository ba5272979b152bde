#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Anycast test server: answers every UDP datagram and every TCP connection
on the given addresses with its site name ("SITE\\n"), so a client learns
which site the network delivered it to.

  server.py --addr 203.0.113.10 [--addr ...] --port 8080 --name edge1
            [--ready-file PATH]

The ready file is written once every socket is bound (the lab waits on it).
Stdlib only: it runs with /usr/bin/python3 inside a host namespace.
"""

import argparse
import os
import selectors
import signal
import socket
import sys


def bind(family, kind, addr, port):
    s = socket.socket(family, kind)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if family == socket.AF_INET6:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
    s.bind((addr, port))
    if kind == socket.SOCK_STREAM:
        s.listen(128)
    s.setblocking(False)
    return s


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--addr", action="append", required=True)
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--name", required=True)
    p.add_argument("--ready-file")
    args = p.parse_args()
    reply = (args.name + "\n").encode()

    sel = selectors.DefaultSelector()
    for addr in args.addr:
        fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
        sel.register(bind(fam, socket.SOCK_DGRAM, addr, args.port), selectors.EVENT_READ, "udp")
        sel.register(bind(fam, socket.SOCK_STREAM, addr, args.port), selectors.EVENT_READ, "tcp")
    if args.ready_file:
        tmp = args.ready_file + ".tmp"
        with open(tmp, "w") as f:
            f.write(f"{os.getpid()}\n")
        os.replace(tmp, args.ready_file)
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    print(f"{args.name}: serving {', '.join(args.addr)} port {args.port}", flush=True)

    while True:
        for key, _ in sel.select():
            s = key.fileobj
            try:
                if key.data == "udp":
                    _, peer = s.recvfrom(65535)
                    s.sendto(reply, peer)
                else:
                    conn, _ = s.accept()
                    with conn:
                        conn.settimeout(2)
                        conn.sendall(reply)
            except OSError:
                # A client that went away must not stop the server.
                continue


if __name__ == "__main__":
    main()
