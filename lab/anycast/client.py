#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Anycast test client: sends COUNT requests to ADDR:PORT and counts which
site answers each one.

  client.py --addr 203.0.113.10 --port 8080 --count 20 --interval 0.05
            --timeout 0.5 [--tcp] [--json]

--count 0 sends until SIGTERM or SIGINT, then prints the summary.

Each request uses a fresh socket (a fresh source port), so a late answer to
one request is never counted for the next.  Prints one line per request
and then the summary, e.g. {"answers": {"edge1": 12}, "lost": 0, "sent": 12};
with --json every line is a JSON object and the summary is the last line.
Stdlib only: it runs with /usr/bin/python3 inside a host namespace.
"""

import argparse
import json
import signal
import socket
import sys
import time


def request_udp(fam, addr, port, timeout):
    with socket.socket(fam, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        # connect(): only datagrams from the anycast address are accepted
        s.connect((addr, port))
        s.send(b"who?\n")
        return s.recv(512)


def request_tcp(fam, addr, port, timeout):
    with socket.create_connection((addr, port), timeout=timeout) as s:
        data = b""
        while not data.endswith(b"\n"):
            chunk = s.recv(512)
            if not chunk:
                break
            data += chunk
        return data


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--addr", required=True)
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--count", type=int, default=10)
    p.add_argument("--interval", type=float, default=0.1)
    p.add_argument("--timeout", type=float, default=0.5)
    p.add_argument("--tcp", action="store_true")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    fam = socket.AF_INET6 if ":" in args.addr else socket.AF_INET
    do = request_tcp if args.tcp else request_udp

    stop = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *a: stop.append(1))

    answers, lost, seq = {}, 0, 0
    while not stop and (args.count == 0 or seq < args.count):
        t0 = time.monotonic()
        wall = time.time()
        try:
            site = do(fam, args.addr, args.port, args.timeout).decode(
                errors="replace").strip() or "?"
            err = None
        except OSError as e:
            # timeout, refused (ICMP unreachable), no route: all "lost"
            site, err = None, f"{type(e).__name__}: {e}"
        rtt = (time.monotonic() - t0) * 1000
        if site is None:
            lost += 1
        else:
            answers[site] = answers.get(site, 0) + 1
        if args.json:
            print(json.dumps({"seq": seq, "t": round(wall, 6), "site": site,
                              "rtt_ms": round(rtt, 3), "error": err}))
        else:
            print(f"{seq:4d} {site or 'LOST':12s} {rtt:8.2f} ms {err or ''}")
        sys.stdout.flush()
        seq += 1
        if not stop and (args.count == 0 or seq < args.count):
            time.sleep(max(0.0, args.interval - (time.monotonic() - t0)))
    print(json.dumps({"answers": answers, "lost": lost, "sent": seq}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
