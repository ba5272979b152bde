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

Hosts (client and server namespaces, each hanging off one router):

    hosts:
      edge1-srv: {router: e1, serves: ["203.0.113.10/32"], name: edge1}
      client1:   {router: a1}

`serves` lists the anycast prefixes the host answers on (its server binds
the prefix's address, see Host.anycast_addrs); `name` is what its server
answers with (default: the host name); `port` its server's port (8080).

Loopbacks come from 192.0.2.0/24 and 2001:db8:0:ff::/64, point-to-point
links from 198.51.100.0/24 (/31) and 2001:db8:1::/48 (/127 per link), host
links from 192.0.2.128/25 (/31) and 2001:db8:2::/48 (/127), all
documentation ranges, unless given explicitly.  Nothing else is accepted.
"""

import ipaddress

from . import yamlines
from .schema import TopologyError, check, locate

DOC_RANGES = [
    ipaddress.ip_network(n)
    for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32")
]


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
        self.hosts = []  # Host objects attached to this router
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

    def served(self, version=None):
        """Anycast prefixes its hosts serve (of one IP version if given)."""
        return [p for h in self.hosts for p in h.serves
                if version is None or ipaddress.ip_network(p).version == version]

    @property
    def needs_staticd(self):
        return bool(self.served())

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


HOST_NET4 = ipaddress.ip_network("192.0.2.128/25")
HOST_NET6 = ipaddress.ip_network("2001:db8:2::/48")
HOST_KEYS = {"router", "serves", "name", "port"}


def anycast_addr(prefix):
    """The address a server binds for a served prefix: the prefix itself
    for a host route, else its first address after the network's."""
    net = ipaddress.ip_network(prefix, strict=False)
    if net.prefixlen == net.max_prefixlen:
        return str(net.network_address)
    return str(net.network_address + 1)


class Host:
    """A client or server namespace joined to one router by a veth pair."""

    def __init__(self, name, index, spec, routers):
        if not isinstance(spec, dict):
            raise TopologyError(f"host {name}: expected a mapping with 'router'")
        if (not name.replace("-", "").isalnum() or len(name) > 10
                or name.startswith("-") or name.endswith("-")):
            raise TopologyError(f"host name {name!r}: use up to 10 letters/digits/-")
        unknown = set(spec) - HOST_KEYS
        if unknown:
            raise TopologyError(f"host {name}: unknown keys {sorted(unknown)}")
        if name in routers:
            raise TopologyError(f"host {name}: a router has the same name")
        rname = spec.get("router")
        if rname not in routers:
            raise TopologyError(f"host {name}: unknown router {rname!r}")
        if index >= HOST_NET4.num_addresses // 2:
            raise TopologyError(
                f"too many hosts for {HOST_NET4} (/31 each): at most "
                f"{HOST_NET4.num_addresses // 2}")
        self.name = name
        self.index = index
        self.spec = spec
        self.router = routers[rname]
        self.site = str(spec.get("name", name))
        self.port = int(spec.get("port", 8080))
        self.serves = []
        serves = spec.get("serves") or []
        if not isinstance(serves, list):
            raise TopologyError(f"host {name}: 'serves' is a list of prefixes")
        for p in serves:
            try:
                net = ipaddress.ip_network(p, strict=False)
            except ValueError as e:
                raise TopologyError(f"host {name} serves {p!r}: {e}") from None
            check_doc_address(f"host {name} serves", p)
            self.serves.append(str(net))
        base4 = HOST_NET4.network_address + 2 * index
        base6 = HOST_NET6.network_address + (index << 64)  # 2001:db8:2:<i>::/127
        # Router side first: the host's default gateway.
        self.router_addr4 = f"{base4}/31"
        self.addr4 = f"{base4 + 1}/31"
        self.router_addr6 = f"{base6}/127"
        self.addr6 = f"{base6 + 1}/127"
        self.ifname = "eth0"              # in the host
        self.router_ifname = f"eth-{name}"  # in the router

    @property
    def gateway4(self):
        return str(ipaddress.ip_interface(self.router_addr4).ip)

    @property
    def gateway6(self):
        return str(ipaddress.ip_interface(self.router_addr6).ip)

    @property
    def ip4(self):
        return str(ipaddress.ip_interface(self.addr4).ip)

    @property
    def ip6(self):
        return str(ipaddress.ip_interface(self.addr6).ip)

    @property
    def anycast_addrs(self):
        return [anycast_addr(p) for p in self.serves]

    def served(self, version):
        return [p for p in self.serves
                if ipaddress.ip_network(p).version == version]


class Topology:
    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise TopologyError("a topology is a mapping with routers and links")
        self.name = str(spec.get("name", "lab"))
        self.spec = spec
        self._at = (None, None)  # the (container, key) being built
        try:
            self._build(spec)
        except TopologyError as e:
            if e.where is None:  # name its line: the entry being built
                e.where = self._at
            raise

    def _build(self, spec):
        self.routers = {}
        for i, (name, rspec) in enumerate((spec.get("routers") or {}).items(), 1):
            self._at = (spec.get("routers"), name)
            if name in self.routers:
                raise TopologyError(f"duplicate router {name}")
            self.routers[name] = Router(name, i, rspec)
        if not self.routers:
            raise TopologyError("a topology needs at least one router")
        self.links = []
        for i, l in enumerate(spec.get("links") or []):
            self._at = (spec.get("links"), i)
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
        self.hosts = {}
        hosts = spec.get("hosts") or {}
        if not isinstance(hosts, dict):
            raise TopologyError("hosts: expected a mapping of host name to options")
        for i, (name, hspec) in enumerate(hosts.items()):
            self._at = (hosts, name)
            h = Host(name, i, hspec, self.routers)
            if any(ifn == h.router_ifname for ifn, _, _ in h.router.interfaces):
                raise TopologyError(f"host {name}: interface {h.router_ifname} "
                                    f"already used on router {h.router.name}")
            self.hosts[name] = h
            h.router.hosts.append(h)
        self._at = (spec, "hosts")
        self._check_host_ranges()

    def _check_host_ranges(self):
        """Router loopbacks are 192.0.2.<index>/32 by default; host links
        take 192.0.2.128/25.  Refuse an overlap rather than build a lab
        where two namespaces own one address."""
        if not self.hosts:
            return
        host_nets4 = [ipaddress.ip_interface(h.addr4).network for h in self.hosts.values()]
        host_nets6 = [ipaddress.ip_interface(h.addr6).network for h in self.hosts.values()]
        for r in self.routers.values():
            for lo, nets in ((r.loopback4, host_nets4), (r.loopback6, host_nets6)):
                lnet = ipaddress.ip_interface(lo).network
                for n in nets:
                    if lnet.version == n.version and lnet.overlaps(n):
                        raise TopologyError(
                            f"router {r.name} loopback {lo} collides with the host "
                            f"link range {HOST_NET4 if n.version == 4 else HOST_NET6} "
                            f"({n}); with hosts, keep loopbacks below 192.0.2.128 "
                            f"(at most 127 routers) or give them explicitly")
        for h in self.hosts.values():
            for p in h.serves:
                pn = ipaddress.ip_network(p)
                infra = [HOST_NET4, HOST_NET6] + [
                    ipaddress.ip_interface(a).network for r in self.routers.values()
                    for a in (r.loopback4, r.loopback6)]
                for n in infra:
                    if n.version == pn.version and n.overlaps(pn):
                        raise TopologyError(
                            f"host {h.name} serves {p}, which overlaps {n} "
                            "(router loopbacks or host links)")


def load_topology(source):
    """Loads a topology from a dict or a YAML file path, checked against
    the schema first (schema.py).  A TopologyError from a file says
    'FILE:LINE: key: reason'."""
    if isinstance(source, dict):
        check(source)
        return Topology(source)
    try:
        spec = yamlines.load(source)
    except (yamlines.YamlError, OSError) as e:
        raise TopologyError(str(e)) from None
    try:
        check(spec)
        return Topology(spec)
    except TopologyError as e:
        raise TopologyError(locate(e, source)) from None
