# SPDX-License-Identifier: GPL-2.0-or-later
"""cfn-lab export containerlab FILE.yaml: the same lab as a containerlab
topology, for users who run containerlab elsewhere.

Every router and host becomes a `linux` node of the project image
(`cfn-lab image build`), links become containerlab links between the same
interface names, and each node's FRR configuration (generated exactly as
the netns lab generates it) is written beside the topology and bound into
/etc/frr; the addresses are set by the node's `exec` commands."""

import os
import sys

import yaml

from .frr import bgpd_conf, isisd_conf, moduledir, prefix, staticd_conf
from .nodens import PRIVATE_RUN

# Where the anycast server is bound into a host node.
SERVER_IN_NODE = "/usr/local/lib/cfn-lab/server.py"
SERVER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                      "anycast", "server.py")

FRR_DAEMONS = "zebra isisd bgpd staticd"


def _router_files(r, topo):
    files = {"zebra.conf": f"hostname {r.name}\n",
             "isisd.conf": isisd_conf(r, topo, PRIVATE_RUN)}
    if r.bgp:
        files["bgpd.conf"] = bgpd_conf(r, topo)
    if r.needs_staticd:
        files["staticd.conf"] = staticd_conf(r)
    return files


def _router_exec(r, topo):
    cmds = ["sysctl -w net.ipv4.ip_forward=1",
            "sysctl -w net.ipv6.conf.all.forwarding=1",
            "sysctl -w net.ipv4.conf.all.rp_filter=0",
            f"ip addr add {r.loopback4} dev lo",
            f"ip addr add {r.loopback6} dev lo"]
    for ifname, link, _ in r.interfaces:
        cmds += [f"ip addr add {link.addr4[r.name]} dev {ifname}",
                 f"ip addr add {link.addr6[r.name]} dev {ifname} nodad"]
    for h in r.hosts:
        cmds += [f"ip addr add {h.router_addr4} dev {h.router_ifname}",
                 f"ip addr add {h.router_addr6} dev {h.router_ifname} nodad"]
    daemons = ["zebra", "isisd"] + (["bgpd"] if r.bgp else []) + (
        ["staticd"] if r.needs_staticd else [])
    for d in daemons:
        mod = {"isisd": " -M cfnd_isis", "bgpd": " -M cfnd_bgp"}.get(d, "")
        if r.plain:
            mod = ""
        # The image holds the FRR build and the project's prefix at their
        # paths on the machine that built it (podman.py).
        cmds.append(f"{prefix()}/sbin/{d} -d -f /etc/frr/{d}.conf --vty_socket "
                    f"{PRIVATE_RUN} -z {PRIVATE_RUN}/zserv.api -i {PRIVATE_RUN}/{d}.pid"
                    f" --moduledir {moduledir()}{mod}")
    return cmds


def _host_exec(h):
    cmds = [f"ip addr add {h.addr4} dev {h.ifname}",
            f"ip addr add {h.addr6} dev {h.ifname} nodad",
            f"ip route replace default via {h.gateway4}",
            f"ip -6 route replace default via {h.gateway6}"]
    for a in h.anycast_addrs:
        cmds.append(f"ip addr add {a}/{128 if ':' in a else 32} dev lo")
    if h.serves:
        addrs = " ".join(f"--addr {a}" for a in h.anycast_addrs)
        cmds.append(f"sh -c '/usr/bin/python3 {SERVER_IN_NODE} {addrs} "
                    f"--port {h.port} --name {h.site} >/tmp/server.log 2>&1 &'")
    return cmds


def containerlab(topo, conf_dir, image):
    """The containerlab topology (a dict) and {path: text} of the
    configuration files it binds (paths relative to conf_dir's parent)."""
    nodes, files, links = {}, {}, []
    for name, r in topo.routers.items():
        binds = []
        for fname, text in _router_files(r, topo).items():
            rel = os.path.join(conf_dir, name, fname)
            files[rel] = text
            binds.append(f"{rel}:/etc/frr/{fname}")
        nodes[name] = {"kind": "linux", "image": image, "binds": binds,
                       "exec": _router_exec(r, topo),
                       "labels": {"cfn-role": "router"}}
    server = os.path.join(conf_dir, "anycast", "server.py")
    for name, h in topo.hosts.items():
        nodes[name] = {"kind": "linux", "image": image, "exec": _host_exec(h),
                       "labels": {"cfn-role": "host", "cfn-router": h.router.name}}
        if h.serves:
            with open(SERVER) as f:
                files[server] = f.read()
            nodes[name]["binds"] = [f"{server}:{SERVER_IN_NODE}:ro"]
    for link in topo.links:
        a, b = link.a.name, link.b.name
        links.append({"endpoints": [f"{a}:{link.ifname[a]}", f"{b}:{link.ifname[b]}"]})
    for name, h in topo.hosts.items():
        links.append({"endpoints": [f"{h.router.name}:{h.router_ifname}",
                                    f"{name}:{h.ifname}"]})
    clab = {"name": topo.name,
            "topology": {"kinds": {"linux": {"image": image}},
                         "nodes": nodes, "links": links}}
    return clab, files


def main(args):
    from .cli import load_checked
    topo = load_checked(args.topology)
    out = args.output or f"{topo.name}.clab.yml"
    base = os.path.dirname(os.path.abspath(out))
    conf_dir = f"{topo.name}-configs"
    clab, files = containerlab(topo, conf_dir, args.image)
    for rel, text in files.items():
        path = os.path.join(base, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text)
    text = ("# containerlab topology exported by cfn-lab from "
            f"{os.path.basename(args.topology)}\n"
            + yaml.safe_dump(clab, sort_keys=False, default_flow_style=False))
    with open(out, "w") as f:
        f.write(text)
    print(f"wrote {out} ({len(clab['topology']['nodes'])} nodes, "
          f"{len(clab['topology']['links'])} links) and {base}/{conf_dir}/",
          file=sys.stderr)
    return 0
