#!/usr/bin/env python3
"""Compare the crate's tidy CSV output with a pandas reference summary (JSON).

    python3 scripts/compare_tidy.py REFERENCE.json TIDY.csv [--reading current] [--tol 1e-9]
    python3 scripts/compare_tidy.py --self-test

REFERENCE.json is what `scripts/pandas_reference.py` (the pandas peer) prints:
`{group: {key: {"n", "mean", "sd", "se", "ci95": [low, high]}}}`, group `all` for everyone, keys
`pole/F/P/O`, `balance/F/P`, `force_balance/F`, `perspective_gap/F`, `relational_index`. The peer
omits `mean` when n = 0 and `sd`/`se`/`ci95` when n < 2.

TIDY.csv is the crate's tidy output (DESIGN.md section 8) with exactly the columns
`group,reading,quantity,force,perspective,orientation,n,estimate,sd,se,ci95_low,ci95_high,withheld`.
Only its rows of the chosen reading (`--reading`, default `current`) and of the five quantities
the peer computes (`pole`, `balance`, `force_balance`, `perspective_gap`, `relational_index`) take
part; other rows (`rwg`, `alpha`, other readings) are counted and ignored. Group `(all)` is the
reference's `all`; other labels must match exactly.

Per (group, quantity, force, perspective, orientation):
  - present on one side only: FAIL;
  - a duplicate tidy row: FAIL;
  - `withheld=true`: every number must be empty (else FAIL, a disclosure leak); the row is
    reported as withheld and not compared with the reference;
  - otherwise `n` must be equal, and estimate (= mean), sd, se, ci95_low, ci95_high must agree:
    an empty tidy field means "undefined" and matches a value the peer omits; a value on one
    side and none on the other is a FAIL; a `NaN`/`inf` in the tidy CSV is a FAIL (DESIGN.md
    section 6: say "too small", never print NaN).

TOLERANCE. Two numbers a, b agree when |a - b| <= max(tol, tol * max(|a|, |b|)), tol = 1e-9 by
default: relative or absolute, whichever is looser. Both implementations compute the same
formulas in IEEE doubles but in different orders (numpy's pairwise summation vs. a streaming,
mergeable accumulator; scipy's vs. statrs' Student-t quantile), so they differ by rounding only,
a few ulps of the magnitudes summed. A purely relative test would be unfair near zero: a balance
mean, a perspective gap or a CI bound can be ~0 (e.g. 1e-17 vs -3e-17), where two correct
results have an unbounded relative error. A purely absolute test would be too loose for small
quantities and too strict for large ones. Note that every quantity here lives in [-1, 1] (sd,
se smaller), so with the default the absolute 1e-9 always governs; the relative part matters
only if a definition's scores ever grow beyond 1 or `--tol` is changed.
1e-9 is far above accumulated rounding (~1e-13 for a million respondents) and far below any
real scoring difference (one rating step in a 3-statement cell moves a pole score by 1/12, hence
a million-respondent mean of the relational index by ~1.4e-8), so it separates "same
computation" from "different computation".

Prints FAIL / WITHHELD lines, then `N passed, N failed` as the last line; exits 1 on any
failure (2 on unusable input).
"""
import argparse
import csv
import json
import math
import os
import sys
import tempfile

COLUMNS = ["group", "reading", "quantity", "force", "perspective", "orientation", "n",
           "estimate", "sd", "se", "ci95_low", "ci95_high", "withheld"]
QUANTITIES = {"pole": 3, "balance": 2, "force_balance": 1, "perspective_gap": 1,
              "relational_index": 0}
NUMBERS = ["estimate", "sd", "se", "ci95_low", "ci95_high"]
ALL_TIDY, ALL_REF = "(all)", "all"


class BadInput(Exception):
    pass


def ref_key(key):
    """'balance/power/people' -> ('balance', 'power', 'people', '')."""
    parts = key.split("/")
    q = parts[0]
    if q not in QUANTITIES or len(parts) != 1 + QUANTITIES[q]:
        raise BadInput(f"reference: unknown quantity key {key!r}")
    return tuple(parts + [""] * (4 - len(parts)))


def load_reference(path):
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    out = {}
    for group, quantities in data.items():
        g = ALL_TIDY if group == ALL_REF else group
        for key, s in quantities.items():
            ci = s.get("ci95") or [None, None]
            out[(g,) + ref_key(key)] = {
                "n": s["n"], "estimate": s.get("mean"), "sd": s.get("sd"), "se": s.get("se"),
                "ci95_low": ci[0], "ci95_high": ci[1]}
    return out


def load_tidy(path, reading):
    """-> (rows by key, list of duplicate keys, count of ignored rows)."""
    rows, dups, ignored = {}, [], 0
    with open(path, newline="", encoding="utf-8") as fh:
        rd = csv.reader(fh)
        header = next(rd, None)
        if header != COLUMNS:
            raise BadInput(f"tidy: header must be exactly {','.join(COLUMNS)}; got {header}")
        for line, rec in enumerate(rd, start=2):
            if len(rec) != len(COLUMNS):
                raise BadInput(f"tidy line {line}: {len(rec)} fields, expected {len(COLUMNS)}")
            r = dict(zip(COLUMNS, rec))
            if r["reading"] != reading or r["quantity"] not in QUANTITIES:
                ignored += 1
                continue
            key = (r["group"], r["quantity"], r["force"], r["perspective"], r["orientation"])
            r["line"] = line
            if key in rows:
                dups.append((key, line))
            else:
                rows[key] = r
    return rows, dups, ignored


def label(key):
    g, q, f, p, o = key
    return f"[{g}] " + "/".join(x for x in (q, f, p, o) if x)


def close(a, b, tol):
    return abs(a - b) <= max(tol, tol * max(abs(a), abs(b)))


def parse_number(text):
    """'' -> None; else a finite float; raises ValueError on junk, NaN or infinity."""
    if text.strip() == "":
        return None
    x = float(text)
    if not math.isfinite(x):
        raise ValueError(f"non-finite number {text!r}")
    return x


def check_row(r, ref, tol):
    """Problems (list of str) of one non-withheld tidy row against its reference entry."""
    problems = []
    try:
        n = int(r["n"]) if r["n"].strip() != "" else None
    except ValueError:
        return [f"n is not an integer: {r['n']!r}"]
    if n != ref["n"]:
        problems.append(f"n: tidy {r['n'] or '(empty)'} != reference {ref['n']}")
    for f in NUMBERS:
        try:
            t = parse_number(r[f])
        except ValueError as e:
            problems.append(f"{f}: {e}")
            continue
        e = ref[f]
        if t is None and e is None:
            continue
        if t is None or e is None:
            problems.append(f"{f}: tidy {r[f] or '(empty)'} vs reference "
                            f"{'(omitted)' if e is None else repr(e)}")
        elif not close(t, e, tol):
            problems.append(f"{f}: tidy {t!r} != reference {e!r} (diff {t - e:.3g})")
    return problems


def compare(ref_path, tidy_path, reading="current", tol=1e-9, out=sys.stdout):
    """Run the comparison, print the report; return (passed, failed, withheld)."""
    ref = load_reference(ref_path)
    tidy, dups, ignored = load_tidy(tidy_path, reading)
    passed = failed = withheld = 0

    def fail(key, msg):
        print(f"FAIL {label(key)}: {msg}", file=out)

    for key, line in dups:
        failed += 1
        fail(key, f"duplicate tidy row at line {line}")
    for key in sorted(set(ref) | set(tidy)):
        if key not in tidy:
            failed += 1
            fail(key, f"in the reference, missing from the tidy CSV (reading {reading})")
            continue
        r = tidy[key]
        if r["withheld"] not in ("true", "false"):
            failed += 1
            fail(key, f"line {r['line']}: withheld must be true or false, got {r['withheld']!r}")
            continue
        if r["withheld"] == "true":
            leaked = [c for c in ["n"] + NUMBERS if r[c].strip() != ""]
            if leaked:
                failed += 1
                fail(key, f"line {r['line']}: withheld row prints {', '.join(leaked)}")
            else:
                withheld += 1
                print(f"WITHHELD {label(key)} (line {r['line']}; reference n = "
                      f"{ref[key]['n'] if key in ref else '-'}): not compared", file=out)
            if key not in ref:
                failed += 1
                fail(key, "in the tidy CSV, missing from the reference")
            continue
        if key not in ref:
            failed += 1
            fail(key, f"line {r['line']}: in the tidy CSV, missing from the reference")
            continue
        problems = check_row(r, ref[key], tol)
        if problems:
            failed += 1
            fail(key, f"line {r['line']}: " + "; ".join(problems))
        else:
            passed += 1
    print(f"{withheld} withheld (not compared); {ignored} tidy rows of other readings or "
          f"quantities ignored; tolerance {tol:g}", file=out)
    print(f"{passed} passed, {failed} failed", file=out)
    return passed, failed, withheld


# ---------------------------------------------------------------------------------------------
# self-test: the comparator on a tiny fabricated pair

def _fabricate(dirname):
    ref = {
        "all": {
            "relational_index": {"n": 3, "mean": -0.25, "sd": 0.1, "se": 0.0577350269189626,
                                 "ci95": [-0.4984, -0.0016]},
            "balance/power/people": {"n": 1, "mean": 1e-17},
            "pole/power/people/relational": {"n": 0},
        },
        "manager": {
            "relational_index": {"n": 2, "mean": 0.5, "sd": 0.2, "se": 0.1414213562373095,
                                 "ci95": [-1.297, 2.297]},
        },
    }
    head = ",".join(COLUMNS)
    good = [
        head,
        "(all),current,relational_index,,,,3,-0.25,0.1,0.0577350269189626,-0.4984,-0.0016,false",
        # 1e-17 vs -3e-17: relative error huge, absolute tiny -> agree
        "(all),current,balance,power,people,,1,-3e-17,,,,,false",
        "(all),current,pole,power,people,relational,0,,,,,,false",
        # relative difference 5e-10 on a non-small value -> agree
        "manager,current,relational_index,,,,,,,,,,true",
        # rows the comparator must ignore
        "(all),desired,relational_index,,,,3,0.6,0.1,0.05,0.4,0.8,false",
        "(all),current,rwg,power,people,relational,,0.7,,,,,false",
    ]
    bad = [
        head,
        # estimate off by 1e-6 (FAIL 1) -- and ci95_low relative diff 5e-10 is fine
        "(all),current,relational_index,,,,3,-0.250001,0.1,0.0577350269189626,-0.4984000002492,-0.0016,false",
        # sd printed where the peer has none (n = 1) (FAIL 2)
        "(all),current,balance,power,people,,1,1e-17,0,,,,false",
        # n differs (FAIL 3)
        "(all),current,pole,power,people,relational,1,,,,,,false",
        # withheld row that still prints numbers (FAIL 4)
        "manager,current,relational_index,,,,2,0.5,,,,,true",
        # quantity absent from the reference (FAIL 5)
        "(all),current,force_balance,power,,,3,0.1,0.1,0.05,0.0,0.2,false",
        # duplicate row (FAIL 6)
        "(all),current,force_balance,power,,,3,0.1,0.1,0.05,0.0,0.2,false",
    ]
    # a second bad file: a NaN (FAIL 1), one matching row (pass), and the reference's pole and
    # manager rows missing from the tidy side (FAIL 2, 3)
    bad2 = [head,
            "(all),current,relational_index,,,,3,-0.25,NaN,0.0577350269189626,-0.4984,-0.0016,false",
            "(all),current,balance,power,people,,1,1e-17,,,,,false"]
    # the relative tolerance: ci95_low of "good" differs by 5e-10 relative -> still agrees
    good[1] = good[1].replace("-0.4984,", "-0.49840000024920,")
    paths = {}
    for name, body in (("ref.json", None), ("good.csv", good), ("bad.csv", bad), ("bad2.csv", bad2)):
        p = os.path.join(dirname, name)
        with open(p, "w", encoding="utf-8") as fh:
            if body is None:
                json.dump(ref, fh)
            else:
                fh.write("\n".join(body) + "\n")
        paths[name] = p
    return paths


def self_test():
    import io
    ok = True
    with tempfile.TemporaryDirectory() as d:
        p = _fabricate(d)
        cases = (
            ("good.csv", (3, 0, 1), ["WITHHELD [manager] relational_index"]),
            ("bad.csv", (0, 6, 0), ["relational_index: line 2: estimate:",
                                    "balance/power/people: line 3: sd: tidy 0 vs reference (omitted)",
                                    "pole/power/people/relational: line 4: n: tidy 1 != reference 0",
                                    "[manager] relational_index: line 5: withheld row prints",
                                    "force_balance/power: line 6: in the tidy CSV, missing from",
                                    "force_balance/power: duplicate tidy row at line 7"]),
            ("bad2.csv", (1, 3, 0), ["sd: non-finite number 'NaN'",
                                     "pole/power/people/relational: in the reference, missing",
                                     "[manager] relational_index: in the reference, missing"]),
        )
        for name, want, needles in cases:
            buf = io.StringIO()
            got = compare(p["ref.json"], p[name], out=buf)
            text = buf.getvalue()
            last = text.rstrip("\n").split("\n")[-1]
            missing = [x for x in needles if x not in text]
            good = got == want and last == f"{want[0]} passed, {want[1]} failed" and not missing
            for x in missing:
                print(f"self-test {name}: expected a line containing {x!r}")
            ok &= good
            print(f"self-test {name}: expected (passed, failed, withheld) = {want}, got {got}: "
                  f"{'ok' if good else 'WRONG'}")
            for line in text.rstrip("\n").split("\n"):
                print(f"    {line}")
    print("self-test passed" if ok else "self-test FAILED")
    return ok


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("reference", nargs="?", help="reference JSON from pandas_reference.py")
    ap.add_argument("tidy", nargs="?", help="the crate's tidy CSV")
    ap.add_argument("--reading", default="current",
                    help="tidy reading the reference summarises (default current)")
    ap.add_argument("--tol", type=float, default=1e-9, help="tolerance (default 1e-9)")
    ap.add_argument("--self-test", action="store_true", help="check the comparator itself")
    a = ap.parse_args()
    if a.self_test:
        sys.exit(0 if self_test() else 1)
    if not a.reference or not a.tidy:
        ap.error("REFERENCE.json and TIDY.csv are required (or --self-test)")
    try:
        _, failed, _ = compare(a.reference, a.tidy, a.reading, a.tol)
    except (BadInput, OSError, json.JSONDecodeError, KeyError) as e:
        print(f"compare_tidy: {e}", file=sys.stderr)
        print("0 passed, 1 failed")
        sys.exit(2)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
