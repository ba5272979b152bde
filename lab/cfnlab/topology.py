# SPDX-License-Identifier: GPL-2.0-or-later
"""Topology files: routers, links and their documentation-range addresses.

A topology (YAML or a dict) looks like:

    name: line3
    routers:
      r1: {}
      r2: {}
      r3: {bgp: false}
    links:
      - [r1, r2]
      - [r2, r3, {metric: 20}]

Loopbacks come from 192.0.2.0/24 and 2001:db8:0:ff::/64, point-to-point
links from 198.51.100.0/24 (/31) and 2001:db8:1::/48 (/127 per link), all
documentation ranges, unless given explicitly.  Nothing else is accepted.
"""

import ipaddress

import yaml

DOC_RANGES = [
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
]


class TopologyError(ValueError):
    pass


def check_doc_address(what, addr):
    net = ipaddress.ip_interface(addr).network
    if not any(net.version == d.version and net.subnet_of(d) for d in DOC_RANGES):
        raise TopologyError(
            f"{what}: {addr} is outside the documentation ranges "
            "192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32"
        )


class Router:
    def __init__(self, name, index, spec):
        if not name.replace("-", "").isalnum() or len(name) > 10:
            raise TopologyError(f"router name {name!r}: use up to 10 letters/digits")
        self.name = name
        self.index = index
        self.spec = spec or {}
        self.loopback4 = self.spec.get("loopback", f"192.0.2.{index}/32")
        self.loopback6 = self.spec.get("loopback6", f"2001:db8:0:ff::{index}/128")
        self.plain = bool(self.spec.get("plain", False))  # no CFN module
        self.bgp = self.spec.get("bgp", True)
        self.interfaces = []  # (ifname, Link, side)
        for a in (self.loopback4, self.loopback6):
            check_doc_address(f"router {name} loopback", a)
        for i, svc in enumerate(self.spec.get("services") or []):
            for key in ("prefix", "capacity", "available"):
                if key not in svc:
                    raise TopologyError(f"router {name} services[{i}]: missing {key}")
            check_doc_address(f"router {name} services[{i}]", svc["prefix"])

    @property
    def router_id(self):
        return str(ipaddress.ip_interface(self.loopback4).ip)

    @property
    def net(self):
        return f"49.0001.0000.0000.{self.index:04d}.00"


class Link:
    def __init__(self, index, a, b, spec):
        self.index = index
        self.a, self.b = a, b
        self.spec = spec or {}
        self.metric = int(self.spec.get("metric", 10))
        base4 = ipaddress.ip_address("198.51.100.0") + 2 * index
        base6 = ipaddress.ip_address("2001:db8:1::") + (index << 16)
        if index >= 128:
            raise TopologyError("too many links for 198.51.100.0/24 (/31 each)")
        self.addr4 = {a.name: f"{base4}/31", b.name: f"{base4 + 1}/31"}
        self.addr6 = {a.name: f"{base6}/127", b.name: f"{base6 + 1}/127"}
        self.ifname = {a.name: f"eth-{b.name}", b.name: f"eth-{a.name}"}

    def other(self, router):
        return self.b if router is self.a else self.a


class Topology:
    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise TopologyError("a topology is a mapping with routers and links")
        self.name = str(spec.get("name", "lab"))
        self.spec = spec
        self.routers = {}
        for i, (name, rspec) in enumerate((spec.get("routers") or {}).items(), 1):
            if name in self.routers:
                raise TopologyError(f"duplicate router {name}")
            self.routers[name] = Router(name, i, rspec)
        if not self.routers:
            raise TopologyError("a topology needs at least one router")
        self.links = []
        for i, l in enumerate(spec.get("links") or []):
            if not isinstance(l, list) or len(l) not in (2, 3):
                raise TopologyError(f"links[{i}]: expected [a, b] or [a, b, {{options}}]")
            for end in l[:2]:
                if end not in self.routers:
                    raise TopologyError(f"links[{i}]: unknown router {end!r}")
            a, b = self.routers[l[0]], self.routers[l[1]]
            link = Link(i, a, b, l[2] if len(l) == 3 else None)
            for r in (a, b):
                if any(ifn == link.ifname[r.name] for ifn, _, _ in r.interfaces):
                    raise TopologyError(f"links[{i}]: parallel link {a.name}-{b.name} not supported")
                r.interfaces.append((link.ifname[r.name], link, r))
            self.links.append(link)


def load_topology(source):
    """Loads a topology from a dict or a YAML file path."""
    if isinstance(source, dict):
        return Topology(source)
    with open(source) as f:
        return Topology(yaml.safe_load(f))
