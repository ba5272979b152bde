# SPDX-License-Identifier: GPL-2.0-or-later
"""cfn-lab as an operator drives it: named labs that outlive `up`, side
by side; exec, vtysh, logs and status on them; each node in its own mount
and UTS namespaces; and `down` (or `clean` after `up` was killed midway)
leaves no namespace, process, mount or file behind."""

import json
import os
import shutil
import signal
import subprocess
import time

import pytest


SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CFN_LAB = os.path.join(SRC, "lab", "cfn-lab")
LINE3 = os.path.join(SRC, "lab", "topologies", "line3.yaml")
CLOUD_EDGE = os.path.join(SRC, "lab", "topologies", "cloud-edge.yaml")
# A state directory of our own: labs other people run on this machine
# (and their sweeps) never see these labs, so each step here is ours.
LAB_ROOT = f"/run/cfn-lab-test-{os.getpid()}"
ENV = dict(os.environ, CFN_LAB_ROOT=LAB_ROOT)


def cfn_lab(*args, check=True, timeout=300):
    r = subprocess.run(["/usr/bin/python3", CFN_LAB] + list(args),
                       capture_output=True, text=True, timeout=timeout, env=ENV)
    if check:
        assert r.returncode == 0, f"cfn-lab {' '.join(args)}: {r.stdout}{r.stderr}"
    return r


def netns_of(name):
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    return [l.split()[0] for l in out.splitlines() if l.startswith(f"cfn-{name}-")]


def pids_in(netns_names):
    pids = set()
    for ns in netns_names:
        out = subprocess.run(["ip", "netns", "pids", ns], capture_output=True,
                             text=True).stdout
        pids |= {int(p) for p in out.split()}
    return pids


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def assert_nothing_left(name, pids):
    d = os.path.join(LAB_ROOT, name)
    assert not netns_of(name), netns_of(name)
    assert not os.path.exists(d), os.listdir(d)
    left = [p for p in pids if alive(p)]
    assert not left, [open(f"/proc/{p}/cmdline").read() for p in left]
    with open("/proc/self/mountinfo") as f:
        mounts = [l for l in f if d in l or f"/run/netns/cfn-{name}-" in l]
    assert not mounts, mounts
    # No process anywhere still names the lab's directory.
    for p in os.listdir("/proc"):
        if p.isdigit():
            try:
                with open(f"/proc/{p}/cmdline", "rb") as f:
                    assert d.encode() + b"/" not in f.read(), p
            except OSError:
                pass


@pytest.fixture
def names():
    """Unique lab names; whatever a test leaves is removed at the end."""
    made = []

    def make(base):
        n = f"{base}-{os.getpid() % 100000}"
        made.append(n)
        return n

    yield make
    for n in made:
        cfn_lab("down", n, check=False)
    try:
        os.rmdir(LAB_ROOT)
    except OSError:
        pass


def containers_of(name):
    if not shutil.which("podman"):
        return []
    out = subprocess.run(["podman", "ps", "-a", "--format", "{{.Names}}"],
                         capture_output=True, text=True).stdout
    return [n for n in out.split() if n.startswith(f"cfn-{name}-")]


def test_up_exec_vtysh_logs_status_down(names, lab_runtime):
    a, b = names(f"t-a{lab_runtime[0]}"), names(f"t-b{lab_runtime[0]}")
    rt = ["--runtime", lab_runtime]
    r = cfn_lab("up", LINE3, "--name", a, *rt)
    assert f"lab {a} is up" in r.stdout
    cfn_lab("up", LINE3, "--name", b, *rt)  # the same topology, side by side
    if lab_runtime == "podman":
        assert sorted(containers_of(a)) == [f"cfn-{a}-r{i}" for i in (1, 2, 3)]
    again = cfn_lab("up", LINE3, "--name", a, *rt, check=False)
    assert again.returncode == 1 and "already running" in again.stderr

    st = json.loads(cfn_lab("status", a, "--json").stdout)["labs"][0]
    assert st["name"] == a and st["phase"] == "up" and st["detached"]
    assert st["runtime"] == lab_runtime
    assert {n["name"] for n in st["nodes"]} == {"r1", "r2", "r3"}
    for n in st["nodes"]:
        assert n["running"] and n["daemons"]["isisd"]["running"], n
        assert n["daemons"]["zebra"]["running"], n
    listed = json.loads(cfn_lab("status", "--json").stdout)["labs"]
    assert {a, b} <= {l["name"] for l in listed}

    # Own UTS namespace: the node's hostname; own mount namespace: its run
    # directory on /run/frr, invisible on the host and on the other nodes.
    assert cfn_lab("exec", a, "r2", "--", "hostname").stdout.strip() == "r2"
    assert os.uname().nodename != "r2"
    ls = cfn_lab("exec", a, "r2", "--", "ls", "/run/frr").stdout.split()
    assert "isisd.pid" in ls and "zserv.api" in ls
    with open(os.path.join(LAB_ROOT, a, "r2", "isisd.pid")) as f:
        r2_isisd = f.read().strip()
    in_r2 = cfn_lab("exec", a, "r2", "--", "cat", "/run/frr/isisd.pid").stdout.strip()
    in_r1 = cfn_lab("exec", a, "r1", "--", "cat", "/run/frr/isisd.pid").stdout.strip()
    assert in_r2 == r2_isisd and in_r1 != in_r2
    mnt = {cfn_lab("exec", a, n, "--", "readlink", "/proc/self/ns/mnt").stdout
           for n in ("r1", "r2")}
    assert len(mnt) == 2 and os.readlink("/proc/self/ns/mnt") + "\n" not in mnt
    host_mounts = open("/proc/self/mountinfo").read()
    assert os.path.join(LAB_ROOT, a) not in host_mounts

    # vtysh on a router of lab a, until IS-IS is up (both neighbours of r2)
    deadline = time.monotonic() + 60
    while True:
        out = cfn_lab("vtysh", a, "r2", "-c", "show isis neighbor json").stdout
        up = [c for ar in json.loads(out).get("areas", [])
              for c in ar.get("circuits", []) if c.get("state") == "Up"]
        if len(up) == 2 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert sorted(c["adj"] for c in up) == ["r1", "r3"], out
    route = cfn_lab("exec", a, "r1", "--", "ip", "-j", "route", "show",
                    "192.0.2.3/32").stdout
    assert json.loads(route), "r1 has no route to r3's loopback"

    logs = cfn_lab("logs", a, "r1", "isisd").stdout
    assert "cfnd_isis" in logs and "loaded" in logs
    bad = cfn_lab("logs", a, "r1", "ospfd", check=False)
    assert bad.returncode == 1 and "no ospfd log" in bad.stderr
    bad = cfn_lab("exec", a, "r9", "--", "true", check=False)
    assert bad.returncode == 1 and "has no node 'r9'" in bad.stderr

    pids = pids_in(netns_of(a)) | pids_in(netns_of(b))
    assert len(pids) >= 2 * 3 * 4  # zebra, isisd, bgpd, holder per router
    cfn_lab("down", a)
    assert netns_of(b), "down of one lab removed the other"
    cfn_lab("down", b)
    assert_nothing_left(a, pids)
    assert_nothing_left(b, pids)
    assert not containers_of(a) and not containers_of(b)
    gone = cfn_lab("down", a, check=False)
    assert gone.returncode == 1 and "no lab named" in gone.stderr


def test_up_killed_midway_then_clean(names, lab_runtime):
    n = names(f"t-kill{lab_runtime[0]}")
    d = os.path.join(LAB_ROOT, n)
    p = subprocess.Popen(["/usr/bin/python3", CFN_LAB, "up", CLOUD_EDGE, "--name", n,
                          "--runtime", lab_runtime],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    # Kill it once it has made some namespaces and started some daemons.
    deadline = time.monotonic() + 120
    pids = set()
    while time.monotonic() < deadline and p.poll() is None:
        try:
            with open(os.path.join(d, "state.json")) as f:
                st = json.load(f)
        except (OSError, ValueError):
            st = {}
        if len(st.get("pids", [])) >= 12:
            break
        time.sleep(0.05)
    assert p.poll() is None, "up finished before it could be killed"
    pids = pids_in(netns_of(n))
    p.send_signal(signal.SIGKILL)
    p.wait()
    pids |= pids_in(netns_of(n))
    assert netns_of(n) and pids, "nothing to clean up: the test proves nothing"

    status = cfn_lab("status", n).stdout
    assert "left behind" in status, status
    r = cfn_lab("clean")
    assert n in r.stdout
    assert_nothing_left(n, pids)
    assert not containers_of(n)


def test_sigterm_during_up_tears_down(names):
    n = names("t-term")
    d = os.path.join(LAB_ROOT, n)
    p = subprocess.Popen(["/usr/bin/python3", CFN_LAB, "up", CLOUD_EDGE, "--name", n],
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                         env=ENV)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and p.poll() is None:
        if len(netns_of(n)) >= 4:
            break
        time.sleep(0.05)
    assert p.poll() is None
    pids = pids_in(netns_of(n))
    p.send_signal(signal.SIGTERM)
    err = p.communicate(timeout=120)[1]
    assert p.returncode == 130, err
    assert "torn down" in err
    assert_nothing_left(n, pids)
    assert not os.path.exists(d)
