# SPDX-License-Identifier: GPL-2.0-or-later
"""cfn-netconfd's command line: bad options are refused with a reason,
--daemon detaches and writes --pidfile, SIGTERM stops it and removes the
pidfile.  No router is needed: the daemons are reached only per request."""

import os
import signal
import subprocess
import time

from cfnlab.netconf import free_port, keygen


def netconfd(*args, **kw):
    return subprocess.run(["cfn-netconfd", *args], capture_output=True, text=True,
                          timeout=30, **kw)


def base_args(tmp_path, listen=None):
    host = keygen(str(tmp_path / "host_key"))
    client = keygen(str(tmp_path / "client_key"))
    auth = tmp_path / "authorized_keys"
    auth.write_text(open(client + ".pub").read())
    return ["--listen", listen or f"127.0.0.1:{free_port()}", "--host-key", host,
            "--authorized-keys", str(auth), "--user", "netconf",
            "--vty-dir", str(tmp_path)]


def test_missing_options_print_usage():
    r = netconfd("--listen", "127.0.0.1:1")
    assert r.returncode == 2
    assert "usage: cfn-netconfd --listen ADDR:PORT" in r.stderr


def test_bad_listen_and_unreadable_key_are_named(tmp_path):
    args = base_args(tmp_path)
    r = netconfd(*(args[:1] + ["203.0.113.1"] + args[2:]))
    assert r.returncode == 1 and "--listen 203.0.113.1 is not ADDR:PORT" in r.stderr
    i = args.index("--host-key")
    args[i + 1] = str(tmp_path / "missing")
    r = netconfd(*args)
    assert r.returncode == 1 and "cannot read" in r.stderr and "missing" in r.stderr


def test_daemon_pidfile_and_sigterm(tmp_path):
    pidfile = tmp_path / "netconfd.pid"
    args = base_args(tmp_path, listen=f"[::1]:{free_port()}")
    r = netconfd(*args, "--pidfile", str(pidfile), "--daemon",
                 "--log", str(tmp_path / "log"))
    assert r.returncode == 0, r.stderr
    deadline = time.monotonic() + 20
    while not pidfile.exists():
        assert time.monotonic() < deadline, "no pidfile"
        time.sleep(0.05)
    pid = int(pidfile.read_text())
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        assert b"cfn-netconfd" in f.read()
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    while os.path.exists(f"/proc/{pid}"):
        assert time.monotonic() < deadline, "still running after SIGTERM"
        time.sleep(0.05)
    assert not pidfile.exists()
