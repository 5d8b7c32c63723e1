#!/usr/bin/env python3
"""Benchmark the crate's `assess` command against the pandas, polars and DuckDB peers.

In one run, for each size in --rows:

1. generates the wide response CSV with `pandas_peer.py --generate N FILE` into --dir
   (reused when it is there with its size marker `FILE.rows`, written after a complete
   generation and holding the row count and the file's byte size);
2. times the crate's command and the three peers on that file with one `hyperfine` run
   (`--warmup 1 --runs R --export-json`, and `-N` unless a command needs a shell);
3. runs each command once more under `/usr/bin/time -f %M` for its peak resident memory,
   keeping what it prints;
4. checks agreement with those outputs: every pair of peers with
   `../shared/bench/compare_peers.py`, and the crate's tidy CSV against every peer's JSON
   with `scripts/compare_tidy.py`;

then prints (stdout, Markdown; also written to DIR/report.md) a table of median wall time,
peak memory and each peer's time as a multiple of the crate's, and whether the targets are
met: the crate at least 5x faster than the fastest peer and 25x faster than pandas at
1,000,000 rows, and the crate's peak memory below every peer's at every size measured.
Hyperfine's own progress goes to stderr.

Exit status: 0 when everything agrees; 1 on a disagreement (or, with --fail-on-targets, a
target not met); 2 when the benchmark cannot run (a command fails, a module is missing...).
An unmet target alone does not fail the run unless --fail-on-targets is given.

Usage (from the repository root, after building the crate in release mode):

    python3 scripts/peers.py                          # 1M and 10M rows, 5 runs each
    python3 scripts/peers.py --runs 5 --large-runs 3 --dir /tmp/lw-peers   # the README's table
    python3 scripts/peers.py --rows 1000000 --runs 7 --dir /tmp/lw-peers
    python3 scripts/peers.py --rows 20000 \\
        --crate-cmd 'target/release/examples/assess --responses {file} --format csv --min-group 1'
    python3 scripts/peers.py --rows 1000000 \\
        --crate-cmd 'target/release/examples/assess --responses {file} --format csv --min-group 1' \\
        --python-cmd '/work/venv-lw/bin/python -m living_well {file}'

With --python-cmd, the Python package (python/, `living_well`) is a fifth tool in the same
hyperfine run: its command, Python start-up included, must print the tidy CSV, which must
equal the crate's byte for byte and agree with every peer; its target is to be faster than
the fastest peer.

The script itself needs only the standard library (Python >= 3.11). The peers need numpy,
pandas, scipy, polars and duckdb in the interpreter given by --python (default: the venv
below when it exists, else python3). To create that venv:

    python3 -m venv /work/venv-peers
    /work/venv-peers/bin/pip install pandas polars duckdb pyarrow scipy

It also needs `hyperfine` and GNU time (`/usr/bin/time`); when missing they are installed
with `apt-get update && apt-get install -y hyperfine time` (root only; --no-install to
refuse). Polars and DuckDB use every core by default, the crate its own threads: all run
as shipped. Disk: about 80 MB per million rows, plus the peers' outputs. Generating 10M
rows with pandas takes several minutes and several GB of memory.
"""
import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
BENCH = (REPO.parent / "shared" / "bench").resolve()
DEFAULT_VENV_PYTHON = Path("/work/venv-peers/bin/python")
PEERS = ["pandas", "polars", "duckdb"]
PEER_MODULES = {"pandas": ["numpy", "pandas", "scipy"], "polars": ["polars", "scipy"],
                "duckdb": ["duckdb", "scipy"]}
CRATE = "crate"
PYTHON = "python"  # the living_well package, with --python-cmd
# The peers have no disclosure control: compare the statistics themselves (--min-group 1).
DEFAULT_CRATE_CMD = "target/release/living-well assess --responses {file} --format csv --min-group 1"
TARGET_ROWS = 1_000_000
LARGE_ROWS = 5_000_000  # --large-runs applies from here
TARGET_FASTEST = 5.0   # crate at least this many times faster than the fastest peer
TARGET_PANDAS = 25.0   # ... and than pandas
TARGET_PYTHON = 1.0    # the Python package, start-up included, faster than the fastest peer


class Fatal(Exception):
    """The benchmark cannot go on (exit 2)."""


def log(msg):
    print(f"[peers] {msg}", file=sys.stderr, flush=True)


# ----------------------------------------------------------------------------- environment

def ensure_tools(no_install):
    need = []
    if shutil.which("hyperfine") is None:
        need.append("hyperfine")
    if not os.access("/usr/bin/time", os.X_OK):
        need.append("time")
    if not need:
        return
    if no_install or os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise Fatal(f"missing {', '.join(need)}: install with "
                    f"`apt-get update && apt-get install -y {' '.join(need)}`")
    log(f"installing {', '.join(need)} with apt-get")
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *need]):
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                           env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        if r.returncode != 0:
            raise Fatal(f"`{' '.join(cmd)}` failed:\n{r.stderr.strip()}")
    if shutil.which("hyperfine") is None or not os.access("/usr/bin/time", os.X_OK):
        raise Fatal("hyperfine or /usr/bin/time still missing after apt-get install")


def check_python(python):
    """The peers' interpreter must import every module they use."""
    if shutil.which(python) is None and not Path(python).is_file():
        raise Fatal(f"--python {python}: no such interpreter")
    modules = sorted({m for ms in PEER_MODULES.values() for m in ms})
    probe = ("import importlib.util, sys\n"
             f"print(' '.join(m for m in {modules!r} if importlib.util.find_spec(m) is None))")
    r = subprocess.run([python, "-c", probe], capture_output=True, text=True)
    if r.returncode != 0:
        raise Fatal(f"--python {python} does not run: {r.stderr.strip()}")
    missing = r.stdout.split()
    if missing:
        who = [p for p, ms in PEER_MODULES.items() if set(ms) & set(missing)]
        raise Fatal(
            f"--python {python} lacks module(s) {', '.join(missing)} (needed by the "
            f"{', '.join(who)} peer(s)). Create the peers' venv with\n"
            "    python3 -m venv /work/venv-peers\n"
            "    /work/venv-peers/bin/pip install pandas polars duckdb pyarrow scipy\n"
            "and pass --python /work/venv-peers/bin/python (the default when it exists).")


# ----------------------------------------------------------------------------- data

def data_file(directory, rows, python):
    """The wide CSV of `rows` respondents in `directory`, generated unless its marker is right."""
    path = directory / f"responses_{rows}.csv"
    marker = path.with_name(path.name + ".rows")
    if path.is_file() and marker.is_file():
        try:
            m = json.loads(marker.read_text())
            if m.get("rows") == rows and m.get("bytes") == path.stat().st_size:
                log(f"{rows} rows: reusing {path}")
                return path
        except (ValueError, AttributeError):
            pass
    log(f"{rows} rows: generating {path} with pandas_peer.py --generate")
    marker.unlink(missing_ok=True)
    tmp = path.with_name(path.name + ".partial")
    r = subprocess.run([python, str(BENCH / "pandas_peer.py"), "--generate", str(rows), str(tmp)],
                       stderr=subprocess.PIPE, text=True)
    if r.returncode != 0 or not tmp.is_file():
        raise Fatal(f"generating {rows} rows failed:\n{r.stderr.strip()}")
    tmp.replace(path)
    marker.write_text(json.dumps({"rows": rows, "bytes": path.stat().st_size,
                                  "generator": "pandas_peer.py --generate"}) + "\n")
    return path


# ----------------------------------------------------------------------------- commands

def commands(file, crate_template, python, python_template=None):
    """{tool: command line as a string} on `file`; the crate's command runs from REPO."""
    if "{file}" not in crate_template:
        raise Fatal("--crate-cmd must contain {file}")
    cmds = {CRATE: crate_template.replace("{file}", shlex.quote(str(file)))}
    if python_template is not None:
        if "{file}" not in python_template:
            raise Fatal("--python-cmd must contain {file}")
        cmds[PYTHON] = python_template.replace("{file}", shlex.quote(str(file)))
    for p in PEERS:
        cmds[p] = shlex.join([python, str(BENCH / f"{p}_peer.py"), str(file)])
    return cmds


def needs_shell(cmd):
    """Whether `cmd` uses shell syntax (operators, expansions), so that hyperfine -N can't run it."""
    if "$" in cmd or "`" in cmd:
        return True
    lex = shlex.shlex(cmd, posix=True, punctuation_chars=True)
    lex.whitespace_split = True
    try:
        return any(t and set(t) <= set("();<>|&") for t in lex)
    except ValueError:  # unbalanced quotes: let the shell complain
        return True


def check_crate_command(cmd):
    if needs_shell(cmd):
        return
    exe = shlex.split(cmd)[0]
    if "/" in exe:
        if not (REPO / exe).is_file():
            raise Fatal(f"crate command {exe!r} not found (relative to {REPO}); build it "
                        "(cargo build --release ...) or pass --crate-cmd")
    elif shutil.which(exe) is None:
        raise Fatal(f"crate command {exe!r} not on PATH; pass --crate-cmd")


def run_once(tool, cmd, out_path, mem_path, shell):
    """One run under /usr/bin/time -f %M, stdout to out_path; returns peak RSS in KiB."""
    argv = ["/usr/bin/time", "-f", "%M", "-o", str(mem_path)]
    argv += ["sh", "-c", cmd] if shell else shlex.split(cmd)
    with open(out_path, "wb") as out:
        r = subprocess.run(argv, stdout=out, stderr=subprocess.PIPE, cwd=REPO)
    if r.returncode != 0:
        err = r.stderr.decode(errors="replace").strip()
        raise Fatal(f"{tool} failed (exit {r.returncode}): {cmd}\n{err}")
    text = mem_path.read_text().strip().splitlines()
    try:
        return int(text[-1])
    except (IndexError, ValueError):
        raise Fatal(f"/usr/bin/time wrote no peak memory for {tool}: {text}") from None


def hyperfine(cmds, json_path, runs, shell):
    argv = ["hyperfine", "--warmup", "1", "--runs", str(runs), "--style", "basic",
            "--export-json", str(json_path)]
    if not shell:
        argv.append("-N")
    for tool, cmd in cmds.items():
        argv += ["--command-name", tool, cmd]
    # hyperfine's report to stderr: stdout is kept for the Markdown
    r = subprocess.run(argv, stdout=sys.stderr, cwd=REPO)
    if r.returncode != 0:
        raise Fatal(f"hyperfine failed (exit {r.returncode})")
    data = json.loads(json_path.read_text())
    times = {res["command"]: res["median"] for res in data["results"]}
    if set(times) != set(cmds):
        raise Fatal(f"unexpected commands in {json_path}: {sorted(times)}")
    return times


# ----------------------------------------------------------------------------- agreement

def last_line(text):
    lines = [x for x in text.strip().splitlines() if x.strip()]
    return lines[-1] if lines else "(no output)"


def agreement(outputs, tidy_tol):
    """[(what, ok, verdict line, full output)] for every pair of peers and crate vs peer
    (and, with --python-cmd, the Python package vs the crate and every peer)."""
    checks = []
    if PYTHON in outputs:
        same = outputs[PYTHON].read_bytes() == outputs[CRATE].read_bytes()
        checks.append(("python vs crate (tidy CSV byte for byte)", same,
                       "identical" if same else "the tidy CSVs differ", ""))
    for i, a in enumerate(PEERS):
        for b in PEERS[i + 1:]:
            r = subprocess.run([sys.executable, str(BENCH / "compare_peers.py"),
                                str(outputs[a]), str(outputs[b])], capture_output=True, text=True)
            text = r.stdout + r.stderr
            checks.append((f"{a} vs {b} (compare_peers.py)", r.returncode == 0,
                           last_line(text), text))
    for tool in [t for t in (CRATE, PYTHON) if t in outputs]:
        for p in PEERS:
            argv = [sys.executable, str(REPO / "scripts" / "compare_tidy.py"),
                    str(outputs[p]), str(outputs[tool])]
            if tidy_tol is not None:
                argv += ["--tol", repr(tidy_tol)]
            r = subprocess.run(argv, capture_output=True, text=True)
            text = r.stdout + r.stderr
            checks.append((f"{tool} vs {p} (compare_tidy.py)", r.returncode == 0,
                           last_line(r.stdout), text))
    return checks


# ----------------------------------------------------------------------------- report

def fmt_rows(n):
    return f"{n:,}"


def mib(kib):
    return kib / 1024


def speed_verdict(label, ratio, target):
    ok = ratio >= target
    return ok, (f"{label}: {ratio:.1f}x (target >= {target:g}x): "
                f"{'**met**' if ok else '**not met**'}, margin "
                f"{ratio / target:.2f}x of target ({(ratio / target - 1) * 100:+.0f}%)")


def runs_text(runs):
    """`5`, or `5 (1,000,000 rows) / 3 (10,000,000 rows)` when the sizes differ."""
    counts = set(runs.values())
    if len(counts) == 1:
        return str(counts.pop())
    return " / ".join(f"{r} ({fmt_rows(n)} rows)" for n, r in runs.items())


def report(results, checks_by_size, runs, crate_cmd, python_cmd=None):
    out = ["# living-well vs peers", "",
           f"Median of {runs_text(runs)} hyperfine runs (after 1 warm-up); peak memory is the maximum "
           "resident set size of one more run (`/usr/bin/time -f %M`), MiB. "
           "Ratio = the tool's median time / the crate's.", "",
           f"Crate command: `{crate_cmd}`", "",
           *([f"Python package command: `{python_cmd}`", ""] if python_cmd else []),
           "| rows | tool | median wall time (s) | peak memory (MiB) | time / crate |",
           "|---:|---|---:|---:|---:|"]
    for rows, r in results.items():
        base = r["time"][CRATE]
        for tool in [t for t in (CRATE, PYTHON) if t in r["time"]] + PEERS:
            t = r["time"][tool]
            out.append(f"| {fmt_rows(rows)} | {tool} | {t:.4g} | {mib(r['mem'][tool]):.1f} | "
                       f"{t / base:.1f}x |")
    out += ["", "## Targets", ""]
    met_all = True
    at = [TARGET_ROWS] if TARGET_ROWS in results else list(results)
    if TARGET_ROWS not in results:
        out.append(f"_The speed targets are defined at {fmt_rows(TARGET_ROWS)} rows, which "
                   "was not measured: shown at the measured sizes, indicative only._")
        out.append("")
    for rows in at:
        r = results[rows]["time"]
        fastest = min(PEERS, key=lambda p: r[p])
        for label, ratio, target in (
                (f"{fmt_rows(rows)} rows, crate vs fastest peer ({fastest})",
                 r[fastest] / r[CRATE], TARGET_FASTEST),
                (f"{fmt_rows(rows)} rows, crate vs pandas", r["pandas"] / r[CRATE], TARGET_PANDAS)):
            ok, line = speed_verdict(label, ratio, target)
            met_all &= ok
            out.append(f"- {line}")
        if PYTHON in r:
            ok, line = speed_verdict(
                f"{fmt_rows(rows)} rows, Python package (start-up included) vs fastest peer "
                f"({fastest})", r[fastest] / r[PYTHON], TARGET_PYTHON)
            met_all &= ok
            out.append(f"- {line}")
    for rows, r in results.items():
        m = r["mem"]
        lowest = min(PEERS, key=lambda p: m[p])
        ok = m[CRATE] < m[lowest]
        met_all &= ok
        out.append(f"- {fmt_rows(rows)} rows, crate peak memory below every peer's: "
                   f"{mib(m[CRATE]):.1f} MiB vs lowest peer ({lowest}) {mib(m[lowest]):.1f} MiB: "
                   f"{'**met**' if ok else '**not met**'}, margin "
                   f"{mib(m[lowest] - m[CRATE]):+.1f} MiB ({m[lowest] / m[CRATE]:.2f}x)")
        if PYTHON in m:
            out.append(f"- {fmt_rows(rows)} rows, Python package peak memory: "
                       f"{mib(m[PYTHON]):.1f} MiB vs lowest peer ({lowest}) "
                       f"{mib(m[lowest]):.1f} MiB ({m[lowest] / m[PYTHON]:.2f}x); not a target")
    out += ["", "## Agreement", ""]
    agree_all = True
    for rows, checks in checks_by_size.items():
        for what, ok, verdict, _ in checks:
            agree_all &= ok
            out.append(f"- {fmt_rows(rows)} rows, {what}: {'ok' if ok else '**DISAGREE**'}: "
                       f"`{verdict}`")
    out += ["", f"Agreement: {'all agree' if agree_all else 'DISAGREEMENT'}; "
            f"targets: {'all met' if met_all else 'not all met'}."]
    return "\n".join(out) + "\n", agree_all, met_all


# ----------------------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter,
                                 epilog="See the module docstring for details.")
    ap.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000],
                    metavar="N", help="sizes in respondents (default: 1000000 10000000)")
    ap.add_argument("--dir", type=Path,
                    default=Path(tempfile.gettempdir()) / "living-well-peers",
                    help="where test files, outputs and hyperfine JSON go (default: "
                         "%(default)s; files there are reused)")
    ap.add_argument("--crate-cmd", default=DEFAULT_CRATE_CMD,
                    help="the crate's command, {file} for the CSV; run from the repository "
                         "root, must print the tidy CSV (default: %(default)r)")
    ap.add_argument("--python-cmd", default=None,
                    help="the Python package's command, {file} for the CSV; run from the "
                         "repository root, must print the tidy CSV (default: not measured)")
    ap.add_argument("--python", default=str(DEFAULT_VENV_PYTHON) if DEFAULT_VENV_PYTHON.exists()
                    else "python3",
                    help="interpreter for the peers and the generator (default: %(default)s)")
    ap.add_argument("--runs", type=int, default=5, help="hyperfine runs (default: 5)")
    ap.add_argument("--large-runs", type=int, default=None, metavar="R",
                    help="hyperfine runs at 5,000,000 rows and more, where pandas takes a "
                         "minute a run (default: --runs)")
    ap.add_argument("--tidy-tol", type=float, default=None,
                    help="tolerance passed to compare_tidy.py --tol (default: its own, 1e-9)")
    ap.add_argument("--no-install", action="store_true",
                    help="do not apt-get install hyperfine / time when missing")
    ap.add_argument("--fail-on-targets", action="store_true",
                    help="exit 1 when a target is not met")
    a = ap.parse_args()
    if a.large_runs is None:
        a.large_runs = a.runs
    if min(a.runs, a.large_runs) < 2 or any(n < 1 for n in a.rows):
        ap.error("--runs and --large-runs must be >= 2 and every --rows >= 1")
    runs_for = {rows: a.large_runs if rows >= LARGE_ROWS else a.runs for rows in a.rows}
    rows_list = list(dict.fromkeys(a.rows))
    try:
        for f in ("pandas_peer.py", "polars_peer.py", "duckdb_peer.py", "compare_peers.py"):
            if not (BENCH / f).is_file():
                raise Fatal(f"peer file {BENCH / f} not found")
        ensure_tools(a.no_install)
        check_python(a.python)
        a.dir = a.dir.resolve()
        a.dir.mkdir(parents=True, exist_ok=True)
        check_crate_command(commands(a.dir / "FILE.csv", a.crate_cmd, a.python)[CRATE])
        results, checks_by_size = {}, {}
        for rows in rows_list:
            file = data_file(a.dir, rows, a.python)
            cmds = commands(file, a.crate_cmd, a.python, a.python_cmd)
            shell = any(needs_shell(c) for c in cmds.values())
            outputs, mem = {}, {}
            for tool, cmd in cmds.items():
                ext = "csv" if tool in (CRATE, PYTHON) else "json"
                outputs[tool] = a.dir / f"out_{rows}_{tool}.{ext}"
                log(f"{rows} rows: {tool}: one run under /usr/bin/time")
                mem[tool] = run_once(tool, cmd, outputs[tool],
                                     a.dir / f"mem_{rows}_{tool}.txt", shell)
            checks = agreement(outputs, a.tidy_tol)
            for i, (what, ok, verdict, text) in enumerate(checks):
                full = a.dir / f"agreement_{rows}_{i}.txt"
                full.write_text(f"{what}\n{text}")
                if not ok:
                    lines = text.strip().splitlines()
                    shown = lines[:5] + (["..."] if len(lines) > 6 else []) + lines[-1:]
                    log(f"{rows} rows: {what} DISAGREES ({full}):\n" + "\n".join(shown))
            checks_by_size[rows] = checks
            runs = runs_for[rows]
            log(f"{rows} rows: hyperfine, {runs} runs each{'' if shell else ' (-N)'}")
            times = hyperfine(cmds, a.dir / f"hyperfine_{rows}.json", runs, shell)
            results[rows] = {"time": times, "mem": mem}
        text, agree_all, met_all = report(results, checks_by_size, runs_for, a.crate_cmd,
                                          a.python_cmd)
    except Fatal as e:
        print(f"peers.py: error: {e}", file=sys.stderr)
        return 2
    (a.dir / "report.md").write_text(text)
    sys.stdout.write(text)
    log(f"files, outputs and report.md in {a.dir}")
    if not agree_all:
        return 1
    if a.fail_on_targets and not met_all:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
