#!/usr/bin/env python3
"""Independent reference summary of a wide response CSV, computed by the pandas peer.

    python3 scripts/pandas_reference.py IN.csv [--peer PATH] [--reading current|desired]
                                        [-- PEER-OPTIONS...] > reference.json

The peer (`bench/pandas_peer.py` of the shared workspace; default `../shared/bench/pandas_peer.py`
relative to the repository root, i.e. the parent of this `scripts/` directory) reads a wide CSV
whose statement cells are integers or empty. DESIGN.md section 3 says `na` (not applicable) and
`dk` (don't know) are excluded from every score exactly like a statement left unanswered, so
this wrapper writes a cleaned copy of IN.csv to a temporary file -- every statement cell whose
text is `na` or `dk` in any letter case (surrounding blanks ignored) becomes empty; nothing
else changes -- runs the peer on it and passes the peer's JSON through on stdout.

The peer keeps only `current` rows (and rows with an empty `reading`) itself; by default
`desired` rows are left in the copy untouched. With `--reading desired` the copy keeps only the
`desired` rows, relabelled `current`, so the peer summarises the desired reading instead (the
peer has no paired current -> desired "aspiration" summary; that one has no pandas reference). Any other non-integer text in a statement cell is left as it is, so
the peer fails loudly on it rather than this script hiding it. Arguments after `--` go to the
peer unchanged (e.g. `-- --coverage 0.5`). The number of tokens blanked is reported on stderr.
"""
import argparse
import csv
import os
import subprocess
import sys
import tempfile

META = {"respondent", "group", "reading"}
TOKENS = {"na", "dk"}


def clean(src, dst, reading="current"):
    """Copy the CSV at `src` to the open file `dst`, blanking na/dk in statement columns.

    With reading == "desired", keep only desired rows and relabel them current."""
    blanked = {"na": 0, "dk": 0}
    with open(src, newline="", encoding="utf-8") as fh:
        rd = csv.reader(fh)
        w = csv.writer(dst, lineterminator="\n")
        header = next(rd)
        w.writerow(header)
        stmt_cols = [j for j, name in enumerate(header) if name.strip() not in META]
        rcol = [j for j, name in enumerate(header) if name.strip() == "reading"]
        if reading == "desired" and not rcol:
            raise SystemExit("pandas_reference: --reading desired needs a `reading` column")
        for row in rd:
            if reading == "desired":
                j = rcol[0]
                if j >= len(row) or row[j].strip() != "desired":
                    continue
                row[j] = "current"
            for j in stmt_cols:
                if j < len(row):
                    t = row[j].strip().lower()
                    if t in TOKENS:
                        blanked[t] += 1
                        row[j] = ""
            w.writerow(row)
    return blanked


def main():
    argv = sys.argv[1:]
    extra = []
    if "--" in argv:
        k = argv.index("--")
        argv, extra = argv[:k], argv[k + 1:]
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("csv", help="wide response CSV (may contain na/dk tokens and desired rows)")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap.add_argument("--peer", default=os.path.join(root, "..", "shared", "bench", "pandas_peer.py"),
                    help="path of pandas_peer.py (default: ../shared/bench/pandas_peer.py "
                         "relative to the repository root)")
    ap.add_argument("--reading", choices=["current", "desired"], default="current",
                    help="which reading to summarise (default current)")
    a = ap.parse_args(argv)
    peer = os.path.normpath(a.peer)
    if not os.path.isfile(peer):
        sys.exit(f"pandas_reference: peer not found at {peer} (use --peer PATH)")

    with tempfile.NamedTemporaryFile("w", suffix=".csv", newline="", encoding="utf-8",
                                     delete=False) as tmp:
        try:
            blanked = clean(a.csv, tmp, a.reading)
        except Exception:
            os.unlink(tmp.name)
            raise
    try:
        print(f"pandas_reference: blanked {blanked['na']} na and {blanked['dk']} dk cells; "
              f"reading {a.reading}; peer {peer}", file=sys.stderr)
        r = subprocess.run([sys.executable, peer, tmp.name] + extra, stdout=subprocess.PIPE)
        if r.returncode != 0:
            sys.exit(f"pandas_reference: peer failed with exit code {r.returncode}")
        sys.stdout.buffer.write(r.stdout)
        if not r.stdout.endswith(b"\n"):
            sys.stdout.buffer.write(b"\n")
    finally:
        os.unlink(tmp.name)


if __name__ == "__main__":
    main()
