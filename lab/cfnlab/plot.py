# SPDX-License-Identifier: GPL-2.0-or-later
"""The demo's pictures, drawn by gnuplot (Debian's gnuplot-nox), each as
PNG and SVG: requests answered per site over time with the story's events
marked, each router's chosen site over time (cfn-ledger plot, from the
ledger's decisions), and the metric function against utilization."""

import os
import shutil
import subprocess
from collections import defaultdict

from .frr import prefix as cfn_prefix

TERMINALS = (("png", "pngcairo size 1100,560 font ',10'"),
             ("svg", "svg size 1100,560 dynamic font ',10'"))

# Metric model defaults (doc/metric.md): base, scale, max_metric,
# max_util_pct; the lab configures no other parameters.
METRIC_DEFAULTS = {"base": 10, "scale": 100, "max_metric": 1000000, "max_util_pct": 95}


def gnuplot():
    g = shutil.which("gnuplot")
    if not g:
        raise RuntimeError("gnuplot is missing (Debian package gnuplot-nox; "
                           "./run build installs it)")
    return g


def render(out_dir, name, body):
    """Runs the gnuplot commands `body` once per terminal; returns the
    files written."""
    files = []
    for ext, term in TERMINALS:
        path = os.path.join(out_dir, f"{name}.{ext}")
        script = f"set terminal {term}\nset output '{path}'\n{body}\nunset output\n"
        with open(os.path.join(out_dir, f"{name}.gp"), "w") as f:
            f.write(script)
        r = subprocess.run([gnuplot(), os.path.join(out_dir, f"{name}.gp")],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0 or not os.path.getsize(path):
            raise RuntimeError(f"gnuplot {name}.{ext}: {r.stderr.strip()}")
        files.append(path)
    return files


def event_marks(events, t0):
    """gnuplot commands marking each event with a dashed line and label."""
    cmds = []
    for i, (t, label) in enumerate(events):
        x = t - t0
        cmds.append(f"set arrow from {x:.2f}, graph 0 to {x:.2f}, graph 1 "
                    "nohead dt 2 lc rgb '#777777'")
        short = label.split(":")[0]
        cmds.append(f"set label '{short}' at {x:.2f}, graph {0.97 - 0.06 * (i % 3):.2f} "
                    "left offset 0.3,0 font ',9' tc rgb '#444444'")
    return "\n".join(cmds)


def served_picture(out_dir, served, events, bin_s=0.25):
    """Requests answered per site per second, all clients together."""
    t0 = events[0][0] if events else min(r["t"] for rs in served.values() for r in rs)
    counts = defaultdict(lambda: defaultdict(int))
    for results in served.values():
        for r in results:
            b = int((r["t"] - t0) // bin_s)
            counts[r.get("site") or "lost"][b] += 1
    if not counts:
        raise RuntimeError("no request was sent")
    last = max(b for c in counts.values() for b in c)
    if events:  # to the last event, and one empty bin to close the steps
        last = max(last, int((events[-1][0] - t0) // bin_s))
    last += 1
    sites = sorted(s for s in counts if s != "lost") + (["lost"] if "lost" in counts else [])
    data = os.path.join(out_dir, "served.dat")
    with open(data, "w") as f:
        f.write("# t " + " ".join(sites) + "\n")
        for b in range(0, last + 1):
            f.write(f"{b * bin_s:.1f} " + " ".join(str(counts[s][b]) for s in sites) + "\n")
    plots = ", ".join(
        f"'{data}' using 1:{i + 2} with steps lw 2 title '{s}'"
        for i, s in enumerate(sites))
    body = f"""set title 'Requests answered per site (per {bin_s:g} s, all clients)'
set xlabel 'seconds'
set ylabel 'requests'
set yrange [0:*]
set xrange [0:{last * bin_s:.2f}]
set offsets 0, 0, 2, 0
set key outside right
set grid
{event_marks(events, t0)}
plot {plots}"""
    return render(out_dir, "served", body)


def metric_value(u, p=METRIC_DEFAULTS):
    """doc/metric.md's default function; None where not eligible."""
    if u * 100 > p["max_util_pct"]:
        return None
    if u >= 1:
        return p["max_metric"]
    return min(p["max_metric"], round(p["base"] + p["scale"] * u / (1 - u)))


def metric_picture(out_dir, points):
    """The metric function for the lab's parameters, with the metrics the
    sites' modules reported during the story on it."""
    curve = os.path.join(out_dir, "metric-curve.dat")
    with open(curve, "w") as f:
        for i in range(0, 951):
            u = i / 1000
            f.write(f"{100 * u:.1f} {metric_value(u)}\n")
    seen = os.path.join(out_dir, "metric-seen.dat")
    with open(seen, "w") as f:
        for u, m in sorted(set(points)):
            if m < 4294967295:
                f.write(f"{100 * u:.1f} {m}\n")
    p = METRIC_DEFAULTS
    title = (f"Compute metric against utilization (base {p['base']}, scale "
             f"{p['scale']}, not eligible above {p['max_util_pct']}%)")
    body = f"""set title '{title}'
set xlabel 'utilization (%)'
set ylabel 'advertised compute metric'
set logscale y
set xrange [0:100]
set grid
set key left top
set arrow from {p["max_util_pct"]}, graph 0 to {p["max_util_pct"]}, graph 1 nohead dt 2 lc rgb 'red'
set label 'not eligible above' at {p["max_util_pct"] - 0.5}, graph 0.5 right tc rgb 'red'
plot '{curve}' using 1:2 with lines lw 2 title 'base + scale * u/(1-u)', \\
     '{seen}' using 1:2 with points pt 7 ps 1.5 title 'reported by the sites in the demo'"""
    return render(out_dir, "metric", body)


def ledger_picture(out_dir, ledger_dir, service=None, events=None):
    """The decision timeline of a ledger, drawn by `cfn-ledger plot`, with
    the story's events marked."""
    args = [os.path.join(cfn_prefix(), "bin", "cfn-ledger"), "--dir", ledger_dir,
            "plot", "--out", os.path.join(out_dir, "decisions")]
    if service:
        args += ["--service", service]
    if events:
        path = os.path.join(out_dir, "events.txt")
        with open(path, "w") as f:
            for t, label in events:
                f.write(f"{t:.3f} {label.split(':')[0]}\n")
        args += ["--events", path]
    r = subprocess.run(args, capture_output=True, text=True, timeout=120)
    if r.returncode != 0:
        raise RuntimeError(f"cfn-ledger plot: {r.stderr.strip()}")
    return [os.path.join(out_dir, f"decisions.{e}") for e in ("png", "svg")]


def demo_pictures(out_dir, served, events, metric_points):
    os.makedirs(out_dir, exist_ok=True)
    files = served_picture(out_dir, served, events)
    files += metric_picture(out_dir, metric_points)
    return files
