# SPDX-License-Identifier: GPL-2.0-or-later
"""The podman runtime: each lab node is a podman container of the project
image, wired with veth pairs moved into the containers' network
namespaces by PID (as containerlab does).

The image (`cfn-lab image build`) is a Debian 12 root made by mmdebstrap
from Debian's registry (nothing is pulled from a container registry),
holding the runtime libraries of the project's FRR build, iproute2,
python3, and the FRR build and the project's prefix at the same absolute
paths as on the host (the lab's own programs are bound read-only from the
source tree), so that a node runs exactly the command lines of the netns
runtime.  It is imported with `podman import`
and tagged with a hash of its content: a second build with nothing
changed is a no-op.

Measured on these machines (Debian 12, podman 4.3): crun fails ("cgroups
in hybrid mode not supported"), runc works; podman's default rlimits are
refused, so containers get nofile and nproc limits at or below ours.

A container holds the node's network, mount, UTS and IPC namespaces; the
lab names its network namespace (`ip netns attach`) so the rest of the lab
code works unchanged, and runs the node's programs in the container's
namespaces with nsenter, keeping them in the host's PID namespace so they
are stopped by PID like the netns runtime's.
"""

import hashlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

from .frr import prefix as cfn_prefix

IMAGE = "localhost/cfn-lab"
SRC = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Debian packages in the image: what the FRR build and the tools link
# against (libc6 ... libyang2), and what the lab runs in a node.
PACKAGES = ["iproute2", "iputils-ping", "procps", "python3", "util-linux",
            "libc-ares2", "libcap2", "libcrypt1", "libjson-c5", "libpcre2-8-0",
            "libreadline8", "libssl3", "libtinfo6", "libyang2",
            # the ledger, witnesses and NETCONF server (HTTP, TLS, SSH)
            "libcurl4", "libmicrohttpd12", "libnetconf2-2", "libssh-4"]
MIRROR = "http://deb.debian.org/debian"
LAB_SRC = os.path.join(SRC, "lab")


class PodmanUnavailable(RuntimeError):
    pass


def podman(*args, check=True, timeout=300):
    r = subprocess.run(["podman"] + list(args), capture_output=True, text=True,
                       timeout=timeout)
    if check and r.returncode != 0:
        raise RuntimeError(f"podman {' '.join(args[:3])}: {r.stderr.strip()[-800:]}")
    return r


def why_unavailable():
    """None when containers can run here, else why not (one line)."""
    for tool, pkg in (("podman", "podman"), ("runc", "runc"), ("mmdebstrap", "mmdebstrap")):
        if not shutil.which(tool):
            return f"{tool} is not installed (Debian package {pkg}; ./run build installs it)"
    if os.geteuid() != 0:
        return "the podman runtime needs root (veths moved into containers)"
    if not _cgroup_mounted():
        return ("no cgroup filesystem is mounted here (runc cannot create "
                "a container without one)")
    return None


def _cgroup_mounted():
    """runc needs a cgroup (v1 or v2) mount; a chroot-like sandbox may have
    none, and podman then fails only at 'runc create'."""
    try:
        with open("/proc/self/mountinfo") as f:
            return any(" - cgroup" in line for line in f)
    except OSError:
        return False


def ulimits():
    """--ulimit values at or below our own hard limits (podman's defaults
    are refused here)."""
    out = []
    for name, res, want in (("nofile", resource.RLIMIT_NOFILE, 1024),
                            ("nproc", resource.RLIMIT_NPROC, 4096)):
        hard = resource.getrlimit(res)[1]
        v = want if hard == resource.RLIM_INFINITY else min(want, hard)
        out += ["--ulimit", f"{name}={v}:{v}"]
    return out


def _content_dirs():
    frr = os.environ.get("CFN_FRR_DIR")
    if not frr:
        raise PodmanUnavailable("CFN_FRR_DIR is not set: run inside `eval $(./run env)`")
    return [os.path.join(frr, "prefix"), cfn_prefix()]


def content_hash():
    """A hash of everything that goes into the image."""
    h = hashlib.sha256()
    h.update(("\n".join(PACKAGES) + MIRROR).encode())
    for top in _content_dirs():
        for root, dirs, files in os.walk(top):
            dirs.sort()
            for f in sorted(files):
                p = os.path.join(root, f)
                h.update(p.encode() + b"\0")
                if os.path.islink(p):
                    h.update(os.readlink(p).encode())
                elif os.path.isfile(p) and "__pycache__" not in p:
                    with open(p, "rb") as fh:
                        h.update(hashlib.sha256(fh.read()).digest())
    return h.hexdigest()[:16]


def image_tag():
    return f"{IMAGE}:{content_hash()}"


def image_exists(tag):
    return podman("image", "exists", tag, check=False).returncode == 0


def build_image(force=False, log=sys.stderr):
    """Builds (or finds) the image for the current content; returns its tag."""
    why = why_unavailable()
    if why:
        raise PodmanUnavailable(why)
    tag = image_tag()
    if image_exists(tag) and not force:
        print(f"image {tag} is up to date", file=log)
        return tag
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="cfn-image-") as tmp:
        tar = os.path.join(tmp, "root.tar")
        hooks = []
        for d in _content_dirs():
            # The same absolute paths inside (symlinks and rpaths hold).
            hooks += ["--customize-hook",
                      f'mkdir -p "$1{d}" && cp -a "{d}/." "$1{d}/"']
        hooks += ["--customize-hook", 'mkdir -p "$1/run/frr"',
                  "--customize-hook", 'rm -rf "$1/var/cache/apt/archives/"*.deb']
        args = ["mmdebstrap", "--mode=root", "--variant=minbase", "--quiet",
                "--include=" + ",".join(PACKAGES)] + hooks + ["bookworm", tar, MIRROR]
        print(f"mmdebstrap: a Debian 12 root with {', '.join(PACKAGES)}", file=log)
        r = subprocess.run(args, capture_output=True, text=True, timeout=1800)
        if r.returncode != 0:
            raise RuntimeError(f"mmdebstrap failed: {r.stderr.strip()[-1500:]}")
        podman("import", tar, tag, timeout=600)
    podman("tag", tag, f"{IMAGE}:latest")
    print(f"image {tag} built in {time.monotonic() - t0:.0f}s", file=log)
    remove_old_images(tag)
    return tag


def remove_old_images(keep):
    """Older builds of the image, unless a container still uses one."""
    out = podman("images", "--format", "{{.Repository}}:{{.Tag}}", IMAGE,
                 check=False).stdout.split()
    for t in out:
        if t not in (keep, f"{IMAGE}:latest") and t.startswith(IMAGE + ":"):
            podman("rmi", t, check=False)


def cmd_image(args):
    try:
        build_image(force=args.force, log=sys.stdout)
    except PodmanUnavailable as e:
        print(f"cfn-lab: {e}", file=sys.stderr)
        return 1
    return 0


def container_name(lab_id, node):
    return f"cfn-{lab_id}-{node}"


class ContainerNamespaces:
    """A node as a podman container: same interface as nodens.NodeNamespaces
    (start, stop, pid), and it names the container's network namespace
    like the netns runtime names its own."""

    def __init__(self, name, netns, rundir, lab_dir, image):
        self.name = name
        self.netns = netns
        self.rundir = rundir
        self.lab_dir = lab_dir
        self.image = image
        self.container = netns  # cfn-<lab>-<node>
        self._pid = None

    @property
    def pid(self):
        if self._pid and os.path.exists(f"/proc/{self._pid}"):
            return self._pid
        return None

    def start(self, timeout=60):
        os.makedirs(self.rundir, exist_ok=True)
        podman("run", "-d", "--name", self.container, "--runtime", "runc",
               "--network", "none", *ulimits(), "--privileged",
               "--hostname", self.name, "--label", "cfn-lab=1",
               # The lab directory at its own path (sockets, configs, the
               # ledger's socket), and the node's own on /run/frr.
               "-v", f"{self.lab_dir}:{self.lab_dir}",
               "-v", f"{self.rundir}:/run/frr",
               # The lab's programs (anycast server and client), read-only.
               "-v", f"{LAB_SRC}:{LAB_SRC}:ro",
               self.image, "/bin/sleep", "infinity", timeout=timeout)
        pid = int(podman("inspect", "-f", "{{.State.Pid}}", self.container).stdout)
        if pid <= 0:
            raise RuntimeError(f"{self.name}: container has no PID")
        self._pid = pid
        # The network namespace by name: `ip -n`, `ip link ... netns`.
        subprocess.run(["ip", "netns", "attach", self.netns, str(pid)],
                       check=True, capture_output=True)
        return pid

    def stop(self):
        podman("rm", "-f", "-t", "0", self.container, check=False, timeout=120)
        self._pid = None


def remove_containers(names):
    for n in names:
        podman("rm", "-f", "-t", "0", n, check=False, timeout=120)
