# SPDX-License-Identifier: GPL-2.0-or-later
"""cfn-report against a stand-in for the module's report socket.

The stand-in records what the tool sends and answers what the test says,
so the tool's wire behaviour, output and exit codes are checked exactly.
"""
import os
import socket
import subprocess
import threading

import pytest


def tool():
    for base, rel in (("CFN_PREFIX", "bin/cfn-report"),
                      ("CFN_BUILD", "tools/cfn-report")):
        if os.environ.get(base):
            path = os.path.join(os.environ[base], rel)
            assert os.access(path, os.X_OK), f"{path} missing: build/install it"
            return path
    pytest.fail("set CFN_PREFIX (installed tree) or CFN_BUILD (build dir)")


class FakeModule:
    """One-connection-at-a-time UNIX socket server with a canned reply."""

    def __init__(self, path, reply):
        self.path = path
        self.reply = reply
        self.received = []
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(path)
        self.sock.listen(4)
        self.sock.settimeout(10)
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                data = b""
                while not data.endswith(b"\n"):
                    chunk = conn.recv(1024)
                    if not chunk:
                        break
                    data += chunk
                self.received.append(data)
                if self.reply is not None:
                    conn.sendall(self.reply)
                else:
                    conn.recv(1)  # say nothing until the client gives up

    def close(self):
        self.sock.close()


@pytest.fixture
def sockpath(tmp_path):
    return str(tmp_path / "report.sock")


def run(*args, env=None):
    return subprocess.run([tool(), *args], capture_output=True, text=True,
                          timeout=30, env=env)


def test_ok_reply(sockpath):
    srv = FakeModule(sockpath, b"ok\n")
    try:
        r = run("--socket", sockpath, "service", "203.0.113.10/32",
                "available", "40", "total", "100", "price", "2.5")
    finally:
        srv.close()
    assert r.returncode == 0, r.stderr
    assert r.stdout == "ok\n"
    assert srv.received == [
        b"service 203.0.113.10/32 available 40 total 100 price 2.5\n"]


def test_error_reply_is_printed_and_fails(sockpath):
    srv = FakeModule(sockpath, b"error: service 203.0.113.10/32 not configured\n")
    try:
        r = run("--socket", sockpath, "service", "203.0.113.10/32",
                "available", "40")
    finally:
        srv.close()
    assert r.returncode == 1
    # every refusal on stderr, nothing on stdout
    assert r.stdout == ""
    assert r.stderr == ("cfn-report: error: service 203.0.113.10/32 "
                        "not configured\n")


def test_invalid_request_refused_locally(sockpath):
    srv = FakeModule(sockpath, b"ok\n")
    try:
        r = run("--socket", sockpath, "service", "203.0.113.10/32",
                "available", "40", "cpu", "101")
    finally:
        srv.close()
    assert r.returncode == 1
    assert r.stderr == "cfn-report: error: cpu 101 out of range 0-100\n"
    assert srv.received == []


def test_socket_from_environment(sockpath):
    srv = FakeModule(sockpath, b"ok\n")
    env = dict(os.environ, CFN_REPORT_SOCKET=sockpath)
    try:
        r = run("service", "2001:db8:cf::/48", "available", "1", env=env)
    finally:
        srv.close()
    assert r.returncode == 0, r.stderr
    assert srv.received == [b"service 2001:db8:cf::/48 available 1\n"]


def test_no_server(sockpath):
    r = run("--socket", sockpath, "service", "203.0.113.10/32",
            "available", "40")
    assert r.returncode == 2
    assert "cannot connect to" in r.stderr


def test_silent_server_times_out(sockpath):
    srv = FakeModule(sockpath, None)
    try:
        r = run("--socket", sockpath, "--timeout", "0.3", "service",
                "203.0.113.10/32", "available", "40")
    finally:
        srv.close()
    assert r.returncode == 2
    assert r.stderr == "cfn-report: no reply within 300 ms\n"


def test_garbled_reply(sockpath):
    srv = FakeModule(sockpath, b"maybe\n")
    try:
        r = run("--socket", sockpath, "service", "203.0.113.10/32",
                "available", "40")
    finally:
        srv.close()
    assert r.returncode == 2
    assert r.stderr == "cfn-report: unexpected reply 'maybe'\n"


def test_full_listen_queue_times_out(sockpath):
    """A router that stopped accepting (its listen queue full) does not
    hang the tool: --timeout bounds connect() too."""
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(sockpath)
    srv.listen(0)
    fill = []
    try:
        for _ in range(8):  # until the queue is full
            c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            c.setblocking(False)
            try:
                c.connect(sockpath)
            except BlockingIOError:
                c.close()
                break
            fill.append(c)
        r = subprocess.run([tool(), "--socket", sockpath, "--timeout", "0.5",
                            "service", "203.0.113.10/32", "available", "40"],
                           capture_output=True, text=True, timeout=60)
    finally:
        for c in fill:
            c.close()
        srv.close()
    assert r.returncode == 2
    assert "listen queue full until the timeout" in r.stderr


def test_version_and_help():
    r = subprocess.run([tool(), "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.startswith("cfn-report ")
    r = subprocess.run([tool(), "--help"], capture_output=True, text=True)
    assert r.returncode == 0
    for word in ("--socket", "--timeout", "--version", "available", "price",
                 "Exit:"):
        assert word in r.stdout, word
