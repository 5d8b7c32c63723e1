#!/usr/bin/env python3
"""Make `sample.csv`: a synthetic Living Well self-assessment cohort (wide layout).

Run from anywhere; it writes next to itself and is deterministic (fixed seed, numpy only):

    python3 examples/data/make_sample.py            # writes examples/data/sample.csv
    python3 examples/data/make_sample.py OUT.csv    # writes elsewhere

WHY. The crate needs one small, realistic cohort that a new user can score in one command,
that the docs and reports can show, and that tests can compare against an independent
(pandas) reference. Nobody's real answers may be used (mental-health survey data is
sensitive), so the cohort is invented -- but it is invented to tell the story of the source
report: local systems recognise "the dominance of mechanistic responses" and want to move
towards relational ones. Every rating below is made up by the model described here.

LAYOUT (DESIGN.md section 8, wide): header `respondent,group,reading,<27 statement ids>` in the
canonical order (forces purpose, power, practice; perspectives people, practitioners;
orientations relational, mechanistic; statements 1..k per cell). One row per respondent and
reading; a respondent's `desired` row, when there is one, directly follows its `current` row.
Cells hold an integer rating 1..=5, or are empty (not rated), or hold `na` (not applicable) /
`dk` (don't know); a few of those tokens are written in upper case, because readers must treat
them case-insensitively.

COHORT. 320 respondents `r0001`..`r0320`, their groups assigned by a seeded shuffle:
lived experience 110, clinician 90, manager 40, voluntary sector 80 (every group well above
the disclosure threshold of 5). Every respondent has a `current` row; about 85% also have a
`desired` row.

RATING MODEL. For respondent i and statement j, with s_j = +1 for a relational statement and
-1 for a mechanistic one, a latent value on the 1..5 scale is

    current:  3 + level_i + item_j + s_j * (-0.55 + force_f + lean_i) + group_g(cell_j) + e_ij
    desired:  3 + level_i + item_j + s_j * ( 1.15 + want_g + pull_i)                   + e'_ij

rounded to the nearest integer and clipped to 1..=5, where
  - level_i ~ N(0, 0.30): the respondent's general tendency to agree (shared by both readings);
  - item_j ~ N(0, 0.15): a fixed per-statement offset (some statements are easier to endorse);
  - -0.55: the mechanistic dominance of the current system (relational low, mechanistic high);
  - force_f: purpose +0.15 (vision statements are easiest to own), power -0.20 (power is
    held most mechanistically), practice 0;
  - lean_i ~ N(0, 0.35): the respondent's own relational/mechanistic lean today;
  - group_g(cell): how each group sees the system today, added to the latent value
      lived experience: people perspective more mechanistic (people-relational -0.35,
                        people-mechanistic +0.35);
      clinician:        people perspective a little more relational (+0.15 / -0.10),
                        practitioner perspective more constrained (practitioners-mechanistic +0.30);
      manager:          rates practitioner autonomy higher (practitioners-relational +0.40,
                        practitioners-mechanistic -0.30);
      voluntary sector: power held more mechanistically (power-relational -0.30,
                        power-mechanistic +0.20);
  - 1.15 + want_g + pull_i: the desired reading leans clearly relational; want_g is +0.20 for
    lived experience, 0 otherwise; pull_i ~ N(0, 0.25);
  - e_ij ~ N(0, 0.80) item noise (independently for each reading).

MISSING ANSWERS (both readings):
  - ~3.8% of cells empty at random (not rated);
  - a few respondents (about 10) skip one whole cell of their current reading, so that cell's
    pole score is missing for them (and a few more lose a pole through the coverage rule);
  - ~2% `na`, uniformly;
  - `dk` at ~1.4% in general but ~4.5% when lived-experience respondents rate
    practitioner-perspective statements (they often cannot say how practitioners work), so
    about 2% overall;
  - about 5% of the na/dk tokens are written `NA` / `DK`.
"""
import csv
import os
import sys

import numpy as np

SEED = 20241126

FORCES = ["purpose", "power", "practice"]
PERSPECTIVES = ["people", "practitioners"]
ORIENTATIONS = ["relational", "mechanistic"]
# statements per cell, in (people-relational, people-mechanistic, practitioners-relational,
# practitioners-mechanistic) order: the canonical definition's 27 statements.
COUNTS = {"purpose": [1, 1, 1, 2], "power": [2, 3, 3, 3], "practice": [3, 3, 2, 3]}

GROUPS = [("lived experience", 110), ("clinician", 90), ("manager", 40), ("voluntary sector", 80)]
DESIRED_SHARE = 0.85

FORCE_SHIFT = {"purpose": 0.15, "power": -0.20, "practice": 0.0}
# (group, force or None for any, perspective or None, orientation) -> shift of the latent value
GROUP_SHIFT = [
    ("lived experience", None, "people", "relational", -0.35),
    ("lived experience", None, "people", "mechanistic", +0.35),
    ("clinician", None, "people", "relational", +0.15),
    ("clinician", None, "people", "mechanistic", -0.10),
    ("clinician", None, "practitioners", "mechanistic", +0.30),
    ("manager", None, "practitioners", "relational", +0.40),
    ("manager", None, "practitioners", "mechanistic", -0.30),
    ("voluntary sector", "power", None, "relational", -0.30),
    ("voluntary sector", "power", None, "mechanistic", +0.20),
]
DESIRED_WANT = {"lived experience": 0.20}

P_EMPTY = 0.038
P_NA = 0.02
P_DK = 0.014
P_DK_LIVED_PRACTITIONERS = 0.045
P_UPPER = 0.05
N_CELL_SKIPPERS = 10


def statements():
    """(id, force, perspective, orientation) in canonical order."""
    out = []
    for f in FORCES:
        i = 0
        for p in PERSPECTIVES:
            for o in ORIENTATIONS:
                out += [(f"{f}.{p}.{o}.{n}", f, p, o) for n in range(1, COUNTS[f][i] + 1)]
                i += 1
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "sample.csv")
    rng = np.random.default_rng(SEED)

    stmts = statements()
    ids = [s[0] for s in stmts]
    k = len(stmts)
    assert k == 27
    sign = np.array([1.0 if o == "relational" else -1.0 for _, _, _, o in stmts])
    force = np.array([FORCE_SHIFT[f] for _, f, _, _ in stmts])

    group = np.array([g for g, size in GROUPS for _ in range(size)])
    group = group[rng.permutation(len(group))]
    n = len(group)

    gshift = np.zeros((n, k))
    for g, f, p, o, d in GROUP_SHIFT:
        cols = np.array([(f is None or sf == f) and (p is None or sp == p) and so == o
                         for _, sf, sp, so in stmts])
        gshift[np.ix_(group == g, cols)] += d
    want = np.array([DESIRED_WANT.get(g, 0.0) for g in group])[:, None]

    level = rng.normal(0, 0.30, (n, 1))
    item = rng.normal(0, 0.15, (1, k))
    lean = rng.normal(0, 0.35, (n, 1))
    pull = rng.normal(0, 0.25, (n, 1))

    cur = 3 + level + item + sign * (-0.55 + force + lean) + gshift + rng.normal(0, 0.8, (n, k))
    des = 3 + level + item + sign * (1.15 + want + pull) + rng.normal(0, 0.8, (n, k))
    cur = np.clip(np.rint(cur), 1, 5).astype(int)
    des = np.clip(np.rint(des), 1, 5).astype(int)
    has_desired = rng.random(n) < DESIRED_SHARE

    lived_pract = np.array([p == "practitioners" for _, _, p, _ in stmts])[None, :] & (
        group == "lived experience")[:, None]
    p_dk = np.where(lived_pract, P_DK_LIVED_PRACTITIONERS, P_DK)

    def cells_text(r):
        """Turn a ratings matrix into text cells with empties and na/dk tokens."""
        txt = r.astype(str).astype(object)
        u = rng.random(r.shape)
        txt[u < P_EMPTY] = ""
        na = (u >= P_EMPTY) & (u < P_EMPTY + P_NA)
        dk = (u >= P_EMPTY + P_NA) & (u < P_EMPTY + P_NA + p_dk)
        upper = rng.random(r.shape) < P_UPPER
        txt[na & ~upper] = "na"
        txt[na & upper] = "NA"
        txt[dk & ~upper] = "dk"
        txt[dk & upper] = "DK"
        return txt

    cur_txt = cells_text(cur)
    des_txt = cells_text(des)

    # a few respondents skip one whole cell of their current reading
    cell_cols = {}
    for j, (_, f, p, o) in enumerate(stmts):
        cell_cols.setdefault((f, p, o), []).append(j)
    cell_keys = list(cell_cols)
    for i in rng.choice(n, N_CELL_SKIPPERS, replace=False):
        cur_txt[i, cell_cols[cell_keys[rng.integers(len(cell_keys))]]] = ""

    with open(path, "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["respondent", "group", "reading"] + ids)
        for i in range(n):
            rid = f"r{i + 1:04d}"
            w.writerow([rid, group[i], "current"] + list(cur_txt[i]))
            if has_desired[i]:
                w.writerow([rid, group[i], "desired"] + list(des_txt[i]))


if __name__ == "__main__":
    main()
