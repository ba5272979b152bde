# SPDX-License-Identifier: GPL-2.0-or-later
"""The topology schema (doc/lab.md, "Topology file") and its checker.

Every key of a topology file is listed here with its type; anything else
is refused before a lab starts, with one line naming the file, the line
and the key:

    cloud-edge.yaml:27: routers.e1.services[0].available: 120 exceeds capacity 100

Extending the topology format means adding the key to one of the tables
below (and to doc/lab.md), nothing else.
"""

import ipaddress

from .yamlines import line_of


class TopologyError(ValueError):
    """A topology the lab refuses.  `where` is (container, key) of the
    offending value when known, so the loader can name its line."""

    def __init__(self, msg, where=None):
        super().__init__(msg)
        self.where = where


# Value checkers: each returns None when the value is good, else what is
# wrong with it.
def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def boolean(v):
    return None if isinstance(v, bool) else "expected true or false"


def string(v):
    return None if isinstance(v, str) and v else "expected a non-empty string"


def integer(lo, hi):
    def check(v):
        if not _is_int(v):
            return "expected an integer"
        if not lo <= v <= hi:
            return f"{v} is out of range {lo}..{hi}"
        return None
    return check


def number(lo, hi):
    def check(v):
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return "expected a number"
        if not lo <= v <= hi:
            return f"{v} is out of range {lo}..{hi}"
        return None
    return check


def prefix(v):
    if not isinstance(v, str):
        return "expected an IP prefix such as 203.0.113.10/32"
    try:
        ipaddress.ip_network(v, strict=False)
    except ValueError as e:
        return str(e)
    return None


def interface_addr(v):
    if not isinstance(v, str):
        return "expected an address with its length, e.g. 192.0.2.1/32"
    try:
        ipaddress.ip_interface(v)
    except ValueError as e:
        return str(e)
    return None


def list_of(item):
    return ("list", item)


def map_of(item):
    return ("map", item)


U32 = 4294967295

SERVICE_KEYS = {
    "prefix": prefix,
    "capacity": integer(1, U32),
    "available": integer(0, U32),
    "price": number(0, U32),
    "site": string,
}
SERVICE_REQUIRED = ("prefix", "capacity", "available")

BGP_NEIGHBOR_KEYS = {  # one of router, host or address
    "router": string,
    "host": string,
    "address": string,
    "asn": integer(1, U32),
    "compute": boolean,
}

ROUTER_KEYS = {
    "bgp": boolean,
    "plain": boolean,
    "compute": boolean,
    "services": list_of(SERVICE_KEYS),
    "loopback": interface_addr,
    "loopback6": interface_addr,
    "asn": integer(1, U32),
    "isis_extra": list_of(string),
    "bgp_extra": list_of(string),
    "compute_extra": list_of(string),
    "modules": map_of(list_of(string)),
    # BGP compute routing (cfnd_bgp, frr.py)
    "bgp_neighbors": list_of(BGP_NEIGHBOR_KEYS),
    "bgp_services": list_of(SERVICE_KEYS),
    "bgp_compute_extra": list_of(string),
    "bgp_export": boolean,  # with ledger: true, bgpd exports its decisions
    # a cfn-netconfd for this router (netconf.py)
    "netconf": boolean,
}

LINK_KEYS = {"metric": integer(1, 16777215)}

HOST_KEYS = {
    "router": string,
    "serves": list_of(prefix),
    "name": string,
    "port": integer(1, 65535),
}
HOST_REQUIRED = ("router",)

TOP_KEYS = {
    "name": string,
    "routers": map_of(ROUTER_KEYS),
    "links": None,  # checked by _links
    "hosts": map_of(HOST_KEYS),
    "ledger": boolean,
    # with ledger: true, a cfn-witness on each named router or host and a
    # witness_quorum-of-n policy for cfn-ledgerd (witnesses.py)
    "witnesses": list_of(string),
    "witness_quorum": integer(1, 32),
}


class _Checker:
    def fail(self, container, key, path, msg):
        raise TopologyError(f"{path}: {msg}", where=(container, key))

    def value(self, container, key, path, kind, v):
        """Checks v (container[key]) against kind: a checker function, a
        table of keys (a mapping), or ("list"|"map", kind)."""
        if kind is None:
            return
        if isinstance(kind, dict):
            self.table(container, key, path, kind, v)
        elif isinstance(kind, tuple):
            what, item = kind
            if what == "list":
                if not isinstance(v, list):
                    self.fail(container, key, path, "expected a list")
                for i, x in enumerate(v):
                    self.value(v, i, f"{path}[{i}]", item, x)
            else:
                if v is None:
                    return
                if not isinstance(v, dict):
                    self.fail(container, key, path, "expected a mapping")
                for k, x in v.items():
                    if not isinstance(k, str):
                        self.fail(v, k, f"{path}.{k}", "names must be strings")
                    self.value(v, k, f"{path}.{k}", item, x)
        else:
            msg = kind(v)
            if msg:
                self.fail(container, key, path, f"{msg} (got {v!r})")

    def table(self, container, key, path, keys, v):
        if v is None:
            return
        if not isinstance(v, dict):
            self.fail(container, key, path,
                      f"expected a mapping with keys {', '.join(sorted(keys))}")
        for k, x in v.items():
            if isinstance(k, str) and k.startswith("_"):
                continue  # set by the lab itself (e.g. _export)
            if k not in keys:
                self.fail(v, k, f"{path}.{k}" if path else str(k),
                          f"unknown keys [{k!r}] (known: {', '.join(sorted(keys))})")
            self.value(v, k, f"{path}.{k}" if path else str(k), keys[k], x)


def _links(c, top, routers):
    links = top.get("links")
    if links is None:
        return
    if not isinstance(links, list):
        c.fail(top, "links", "links", "expected a list of [a, b] or [a, b, {metric: N}]")
    for i, l in enumerate(links):
        path = f"links[{i}]"
        if not isinstance(l, list) or len(l) not in (2, 3):
            c.fail(links, i, path, f"expected [a, b] or [a, b, {{metric: N}}] (got {l!r})")
        for end in (0, 1):
            if l[end] not in routers:
                c.fail(l, end, f"{path}[{end}]", f"unknown router {l[end]!r}")
        if l[0] == l[1]:
            c.fail(links, i, path, f"a link from {l[0]} to itself")
        if len(l) == 3:
            c.table(l, 2, f"{path}[2]", LINK_KEYS, l[2])


def _services(c, routers):
    for rname, r in routers.items():
        for key in ("services", "bgp_services"):
            for i, s in enumerate((r or {}).get(key) or []):
                path = f"routers.{rname}.{key}[{i}]"
                for k in SERVICE_REQUIRED:
                    if k not in s:
                        c.fail(r[key], i, path, f"missing {k}")
                if s["available"] > s["capacity"]:
                    c.fail(s, "available", f"{path}.available",
                           f"{s['available']} exceeds capacity {s['capacity']}")
        for i, n in enumerate((r or {}).get("bgp_neighbors") or []):
            path = f"routers.{rname}.bgp_neighbors[{i}]"
            if "asn" not in n:
                c.fail(r["bgp_neighbors"], i, path, "missing asn")
            if sum(k in n for k in ("router", "host", "address")) != 1:
                c.fail(r["bgp_neighbors"], i, path,
                       "give exactly one of router, host, address")
            if "router" in n and n["router"] not in routers:
                c.fail(n, "router", f"{path}.router", f"unknown router {n['router']!r}")


def _hosts(c, top, routers):
    hosts = top.get("hosts") or {}
    for hname, h in hosts.items():
        if h is None:
            c.fail(hosts, hname, f"hosts.{hname}", "missing router")
        for k in HOST_REQUIRED:
            if k not in h:
                c.fail(hosts, hname, f"hosts.{hname}", f"missing {k}")
        if h["router"] not in routers:
            c.fail(h, "router", f"hosts.{hname}.router",
                   f"unknown router {h['router']!r}")


def check(top):
    """Raises TopologyError (with .where) on the first problem."""
    c = _Checker()
    if not isinstance(top, dict):
        raise TopologyError("a topology is a mapping with routers and links")
    c.table(None, None, "", TOP_KEYS, top)
    routers = top.get("routers") or {}
    if not routers:
        c.fail(top, "routers", "routers", "a topology needs at least one router")
    _links(c, top, routers)
    _services(c, routers)
    _hosts(c, top, routers)


def locate(err, source):
    """'FILE:LINE: message' for a TopologyError from a file."""
    line = None
    if err.where:
        line = line_of(*err.where) if err.where[0] is not None else None
    if source is None:
        return str(err)
    return f"{source}:{line}: {err}" if line else f"{source}: {err}"
