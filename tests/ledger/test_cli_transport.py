# SPDX-License-Identifier: GPL-2.0-or-later
"""cfn-ledger append (JSON lines in, durable indexes out) and tail."""
import json
import os
import select
import signal
import subprocess
import time


def rec(seq, site="edge1"):
    return json.dumps({"origin": "r1", "seq": seq,
                       "time": "2026-11-25T10:00:00Z",
                       "service": "10.1.0.0/24", "sites": [site],
                       "cost": 10 + seq, "path": ["r1", "r2", site]})


def append(bins, ledgerd, keys, lines, timeout="20"):
    return subprocess.run([bins["ledger"], "append", "--socket",
                           ledgerd.sock, "--key", keys.make("r1"),
                           "--timeout", timeout],
                          input="".join(l + "\n" for l in lines),
                          capture_output=True, text=True)


def test_append_prints_durable_indexes(bins, keys, ledgerd):
    ledgerd.start(origins=["r1"])
    r = append(bins, ledgerd, keys, [rec(1), rec(2), rec(3)])
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["0", "1", "2"]
    # the same records again: acknowledged with their existing indexes
    r = append(bins, ledgerd, keys, [rec(2), rec(4), rec(1)])
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["1", "3", "0"]
    assert ledgerd.stop() == 0
    out = subprocess.run([bins["ledger"], "tail", "--json", "--once",
                          "--dir", ledgerd.dir], capture_output=True,
                         text=True, check=True).stdout
    got = [json.loads(l) for l in out.splitlines()]
    assert [(g["index"], g["seq"]) for g in got] == [(0, 1), (1, 2), (2, 3),
                                                     (3, 4)]
    # appended records carry the router's signature
    assert all(g["signer"] and g["sig"] for g in got)


def test_append_bad_line_and_unreachable(bins, keys, ledgerd):
    ledgerd.start(origins=["r1"])
    r = append(bins, ledgerd, keys, [rec(1), "{not json", rec(2)])
    assert r.returncode == 1
    assert "line 2" in r.stderr
    assert r.stdout.split() == ["0"]  # what was read before is answered
    assert ledgerd.stop() == 0
    r = append(bins, ledgerd, keys, [rec(5)], timeout="1")
    assert r.returncode == 1
    assert "not acknowledged" in r.stderr and "unreachable" in r.stderr
    assert r.stdout == ""


def read_lines(p, n, timeout=10):
    lines, buf = [], b""
    end = time.time() + timeout
    fd = p.stdout.fileno()
    while len(lines) < n and time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.2)
        if r:
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            buf += chunk
            *done, buf = buf.split(b"\n")
            lines += [d.decode() for d in done]
    return lines


def test_tail_follows(bins, keys, ledgerd, procs):
    ledgerd.start(origins=["r1"])
    assert append(bins, ledgerd, keys, [rec(1), rec(2)]).returncode == 0
    t_sock = subprocess.Popen([bins["ledger"], "tail", "--json", "--socket",
                               ledgerd.sock], stdout=subprocess.PIPE)
    procs.append(t_sock)
    t_dir = subprocess.Popen([bins["ledger"], "tail", "--dir",
                              ledgerd.dir, "--from", "1"],
                             stdout=subprocess.PIPE)
    procs.append(t_dir)
    first = read_lines(t_sock, 2)
    assert [json.loads(l)["seq"] for l in first] == [1, 2]
    assert append(bins, ledgerd, keys, [rec(3, "edge9")]).returncode == 0
    more = read_lines(t_sock, 1)
    assert json.loads(more[0])["sites"] == ["edge9"]
    assert json.loads(more[0])["index"] == 2
    human = read_lines(t_dir, 2)
    assert human[0].startswith("1 r1 seq=2 10.1.0.0/24 -> edge1")
    assert human[1].startswith("2 r1 seq=3 10.1.0.0/24 -> edge9")
    for p in (t_sock, t_dir):
        os.kill(p.pid, signal.SIGTERM)
        p.wait()


def test_append_timeout_holds_with_stdin_open(bins, keys, ledgerd):
    """stdin never closed and nothing on it: --timeout still ends it."""
    ledgerd.start(origins=["r1"])
    p = subprocess.Popen([bins["ledger"], "append", "--socket", ledgerd.sock,
                          "--key", keys.make("r1"), "--timeout", "1"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    p.stdin.write(rec(1) + "\n")
    p.stdin.flush()
    rc = p.wait(timeout=60)  # a hang fails here
    out, err = p.stdout.read(), p.stderr.read()
    p.stdin.close()
    assert rc == 1
    assert out.split() == ["0"]  # the line it read was still answered
    assert "timeout: no input for 1 s" in err


def test_append_mismatched_key_fails_at_once(bins, keys, ledgerd):
    ledgerd.start(origins=["r1", "r2"])
    r = subprocess.run([bins["ledger"], "append", "--socket", ledgerd.sock,
                        "--key", keys.make("r2"), "--timeout", "600"],
                       input=rec(1) + "\n", capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 1
    assert r.stderr == ("cfn-ledger append: line 1: origin r1 is not the "
                        "key's (r2): a router signs only its own records\n")


def test_append_key_refused_by_ledger_fails_at_once(bins, keys, ledgerd):
    """A key the ledger does not allow: one line, no retry loop."""
    ledgerd.start(origins=["r2"])
    keys.make("r1")
    r = subprocess.run([bins["ledger"], "append", "--socket", ledgerd.sock,
                        "--key", keys.make("r1"), "--timeout", "600"],
                       input=rec(1) + "\n", capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 1
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    assert "ledger error 5" in lines[0] and "is not allowed" in lines[0]


def test_seq_reuse_with_other_content_is_refused(bins, keys, ledgerd):
    """An identical resend is a duplicate; another record under a used
    seq is refused with a reason the exporter logs, and never logged."""
    ledgerd.start(origins=["r1"])
    assert append(bins, ledgerd, keys, [rec(1), rec(2)]).returncode == 0
    r = append(bins, ledgerd, keys, [rec(2)])
    assert r.returncode == 0 and r.stdout.split() == ["1"]  # duplicate
    r = append(bins, ledgerd, keys, [rec(2, site="edge7")])
    assert r.returncode == 1
    assert ("ledger rejected seq 2: record seq 2 refused: r1 seq 2 is "
            "already logged (entry 1) with other content") in r.stderr
    assert "record seq 2 rejected by the ledger" in r.stderr
    assert ledgerd.stop() == 0
    out = subprocess.run([bins["ledger"], "tail", "--json", "--once",
                          "--dir", ledgerd.dir], capture_output=True,
                         text=True, check=True).stdout
    got = [json.loads(l) for l in out.splitlines()]
    assert [(g["seq"], g["sites"]) for g in got] == [(1, ["edge1"]),
                                                     (2, ["edge1"])]
