# SPDX-License-Identifier: GPL-2.0-or-later
"""cfn-lab's commands on named labs: up, down, status, exec, vtysh, logs,
clean.  A lab outlives the `up` that made it; every other command finds
it by name through its state file (/run/cfn-lab/NAME/state.json)."""

import json
import os
import signal
import sys

from .frr import vtysh_path
from .lab import LAB_ROOT, Lab, LabError, _alive, check_lab_name, read_state
from .nodens import enter_args
from .topology import TopologyError, load_topology


class CliError(Exception):
    """A one-line error for the user; exit status 1 (2 for usage)."""

    def __init__(self, msg, status=1):
        super().__init__(msg)
        self.status = status


def load_checked(path):
    """The topology of a file, or a CliError naming file, line and key."""
    try:
        return load_topology(path)
    except TopologyError as e:
        raise CliError(str(e), status=2) from None


def _raise_on_sigterm():
    def handler(*_):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, handler)


def cmd_up(args):
    topo = load_checked(args.topology)
    name = args.name or topo.name
    try:
        check_lab_name(name)
    except LabError as e:
        raise CliError(f"{e} (choose one with --name)", status=2) from None
    if args.runtime == "podman":
        from . import podman
        why = podman.why_unavailable()
        if why:
            raise CliError(f"--runtime podman: {why}")
    st = Lab.labs().get(name)
    if st and Lab.is_live(st):
        raise CliError(f"lab {name} is already running (cfn-lab down {name}, "
                       "or another --name)")
    # SIGTERM tears down what is built so far, like Ctrl-C; after SIGKILL
    # `cfn-lab clean` (or the next `up`) removes the leftovers.
    _raise_on_sigterm()
    lab = Lab(args.topology, lab_id=name, runtime=args.runtime)
    with lab:
        print(f"lab {name}: starting {len(lab.routers)} routers, "
              f"{len(lab.hosts)} hosts", flush=True)
        lab.wait_isis_adjacencies(timeout=args.timeout)
        lab.detach()
    print_summary(name)
    return 0


def print_summary(name):
    st = _state(name)
    print(f"lab {name} is up ({st['topology']}). Try:")
    nodes = st["nodes"]
    r = next((n for n, v in nodes.items() if v["kind"] == "router"), None)
    h = next((n for n, v in nodes.items() if v["kind"] == "host"), None)
    if r:
        print(f"  cfn-lab vtysh {name} {r} -c 'show isis neighbor'")
        print(f"  cfn-lab exec {name} {r} -- ip route")
        print(f"  cfn-lab logs {name} {r} isisd")
    if h:
        print(f"  cfn-lab exec {name} {h} -- ping -c 3 192.0.2.1")
    print(f"  cfn-lab status {name}")
    print(f"  cfn-lab down {name}")


def _state(name):
    d = os.path.join(LAB_ROOT, name)
    try:
        return read_state(d)
    except (OSError, ValueError):
        running = ", ".join(Lab.labs()) or "none"
        raise CliError(f"no lab named {name!r} (labs: {running})") from None


def _one_lab(name):
    if name:
        return name
    labs = list(Lab.labs())
    if len(labs) == 1:
        return labs[0]
    raise CliError(f"which lab? ({', '.join(labs) or 'none running'})", status=2)


def cmd_down(args):
    name = _one_lab(args.name)
    if not Lab.down(name):
        raise CliError(f"no lab named {name!r}")
    print(f"lab {name} removed")
    return 0


def _pid_running(piddir, daemon):
    try:
        with open(os.path.join(piddir, f"{daemon}.pid")) as f:
            pid = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if _alive(pid) else None


def lab_status(name, st):
    nodes = []
    for n, v in (st or {}).get("nodes", {}).items():
        daemons = {}
        if v["kind"] == "router" and os.path.isdir(v["rundir"]):
            for f in sorted(os.listdir(v["rundir"])):
                if f.endswith(".conf"):
                    d = f[:-5]
                    pid = _pid_running(v["rundir"], d)
                    daemons[d] = {"pid": pid, "running": pid is not None}
        nodes.append({"name": n, "kind": v["kind"], "netns": v["netns"],
                      "running": bool(v.get("pin")) and _alive(v["pin"]),
                      "daemons": daemons})
    st = st or {}
    return {"name": name, "topology": st.get("topology"), "source": st.get("source"),
            "runtime": st.get("runtime", "netns"), "phase": st.get("phase"),
            "live": Lab.is_live(st) if st else False,
            "detached": bool(st.get("detached")), "owner": st.get("owner"),
            "nodes": nodes}


def cmd_status(args):
    labs = Lab.labs()
    if args.name:
        _state(args.name)
        labs = {args.name: labs.get(args.name)}
    out = [lab_status(n, st) for n, st in labs.items()]
    if args.json:
        print(json.dumps({"labs": out}, indent=1))
        return 0
    if not out:
        print("no labs")
    for lab in out:
        how = ("running" if lab["detached"] else
               f"owned by pid {lab['owner']}" if lab["live"] else
               "left behind (cfn-lab clean removes it)")
        print(f"lab {lab['name']} ({lab['topology']}, {lab['runtime']}): "
              f"{lab['phase']}, {how}")
        if not args.name:
            continue
        for n in lab["nodes"]:
            ds = " ".join(f"{d}{'' if v['running'] else '(down)'}"
                          for d, v in n["daemons"].items())
            print(f"  {n['kind']:6} {n['name']:10} "
                  f"{'up  ' if n['running'] else 'DOWN'} {ds}")
    return 0


def _node(lab, node):
    st = _state(lab)
    v = st.get("nodes", {}).get(node)
    if v is None:
        raise CliError(f"lab {lab} has no node {node!r} "
                       f"(nodes: {', '.join(st.get('nodes', {}))})")
    if not v.get("pin") or not _alive(v["pin"]):
        raise CliError(f"node {node} of lab {lab} is not running")
    return st, v


def cmd_exec(args):
    st, v = _node(args.name, args.node)
    cmd = args.command or [os.environ.get("SHELL", "/bin/sh")]
    if cmd and cmd[0] == "--":
        cmd = cmd[1:]
    if st.get("runtime") == "podman":
        # All of the container's namespaces, its PID namespace too (the
        # lab's own programs keep the host's, see podman.py).
        tty = ["-it"] if sys.stdin.isatty() else ["-i"]
        argv = ["podman", "exec"] + tty + [v["netns"]] + cmd
    else:
        argv = enter_args(v["pin"]) + cmd
    os.execvp(argv[0], argv)


def cmd_vtysh(args):
    st, v = _node(args.name, args.node)
    if v["kind"] != "router":
        raise CliError(f"{args.node} is a host: no vtysh (use cfn-lab exec)")
    argv = [vtysh_path(), "--vty_socket", v["rundir"]]
    for c in args.c or []:
        argv += ["-c", c]
    os.execvp(argv[0], argv)


def cmd_logs(args):
    st, v = _node(args.name, args.node)
    rd = v["rundir"]
    if args.daemon:
        names = [f"{args.daemon}.log"]
        if not os.path.exists(os.path.join(rd, names[0])):
            have = sorted(f[:-4] for f in os.listdir(rd) if f.endswith(".log"))
            raise CliError(f"{args.node} has no {args.daemon} log "
                           f"(logs: {', '.join(have) or 'none'})")
    else:
        names = sorted(f for f in os.listdir(rd) if f.endswith(".log"))
    for n in names:
        with open(os.path.join(rd, n), errors="replace") as f:
            lines = f.read().splitlines()
        if len(names) > 1:
            print(f"==> {args.node} {n[:-4]} <==")
        for line in lines[-args.lines:] if args.lines else lines:
            print(line)
    return 0


def cmd_clean(args):
    removed = Lab.sweep(include_live=args.all)
    print(f"removed {len(removed)} lab(s) {' '.join(removed)}".rstrip())
    return 0


def add_parsers(sub):
    """The subcommands above, on an argparse subparsers object."""
    p = sub.add_parser("up", help="bring a lab up and leave it running")
    p.add_argument("topology")
    p.add_argument("--name", help="lab name (default: the topology's name)")
    p.add_argument("--runtime", choices=("netns", "podman"), default="netns",
                   help="network namespaces (default) or podman containers")
    p.add_argument("--timeout", type=float, default=120,
                   help="seconds to wait for IS-IS adjacencies (default 120)")
    p.set_defaults(fn=cmd_up)
    p = sub.add_parser("down", help="tear a lab down")
    p.add_argument("name", nargs="?")
    p.set_defaults(fn=cmd_down)
    p = sub.add_parser("status", help="labs and their nodes")
    p.add_argument("name", nargs="?")
    p.add_argument("--json", action="store_true")
    p.set_defaults(fn=cmd_status)
    p = sub.add_parser("exec", help="run a command on a node")
    p.add_argument("name")
    p.add_argument("node")
    p.add_argument("command", nargs="*")
    p.set_defaults(fn=cmd_exec)
    p = sub.add_parser("vtysh", help="vtysh on a router")
    p.add_argument("name")
    p.add_argument("node")
    p.add_argument("-c", action="append", metavar="CMD")
    p.set_defaults(fn=cmd_vtysh)
    p = sub.add_parser("logs", help="a node's daemon logs")
    p.add_argument("name")
    p.add_argument("node")
    p.add_argument("daemon", nargs="?")
    p.add_argument("-n", "--lines", type=int, default=0,
                   help="only the last N lines of each log")
    p.set_defaults(fn=cmd_logs)
    p = sub.add_parser("clean", help="remove labs left behind")
    p.add_argument("--all", action="store_true",
                   help="also running labs")
    p.set_defaults(fn=cmd_clean)


def run(args):
    try:
        return args.fn(args)
    except CliError as e:
        print(f"cfn-lab: {e}", file=sys.stderr)
        return e.status
    except LabError as e:
        print(f"cfn-lab: {e}", file=sys.stderr)
        return 1
