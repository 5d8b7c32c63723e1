"""Profiles: one row per respondent and reading, NaN only where a quantity is missing."""
import math

import numpy as np
import pandas as pd

import living_well as lw
from conftest import read_sample

P, M = "purpose.people.relational.1", "purpose.people.mechanistic.1"


def test_hand_worked_profile():
    frame = pd.DataFrame({
        "respondent": ["r1", "r1", "r2"],
        "group": ["clinician", "clinician", None],
        "reading": ["current", "desired", "current"],
        P: [4, 5, "dk"],
        M: [2, 1, "2"],
    })
    p = lw.profiles(frame)
    assert p["respondent"].tolist() == ["r1", "r1", "r2"]
    assert p["reading"].tolist() == ["current", "desired", "current"]
    assert p["group"].iloc[0] == "clinician" and pd.isna(p["group"].iloc[2])
    # S = (r - 1) / 4: 0.75 and 0.25; desired 1.0 and 0.0.
    assert p[f"pole.purpose.people.relational"].tolist()[:2] == [0.75, 1.0]
    assert p["balance.purpose.people"].tolist()[:2] == [0.5, 1.0]
    # dk is not a rating: r2's relational pole and balance are missing, never 0.
    assert math.isnan(p["pole.purpose.people.relational"].iloc[2])
    assert p["pole.purpose.people.mechanistic"].iloc[2] == 0.25
    assert math.isnan(p["balance.purpose.people"].iloc[2])
    # Nothing else rated: the force balance and the relational index are missing.
    assert p["force_balance.purpose"].isna().all() and p["relational_index"].isna().all()
    assert list(p.columns[3:]) == [
        *(f"pole.{f}.{q}.{o}" for f in ("purpose", "power", "practice")
          for q in ("people", "practitioners") for o in ("relational", "mechanistic")),
        *(f"balance.{f}.{q}" for f in ("purpose", "power", "practice") for q in ("people", "practitioners")),
        "force_balance.purpose", "force_balance.power", "force_balance.practice",
        "perspective_gap.purpose", "perspective_gap.power", "perspective_gap.practice",
        "relational_index",
    ]


def test_profiles_agree_with_the_cohort_summary():
    sample = read_sample()
    p = lw.profiles(sample)
    assert len(p) == len(sample)
    tidy = lw.cohort(sample).summary(min_group=1)
    allq = tidy[(tidy.group == "(all)") & tidy.reading.isin(["current", "desired"])
                & ~tidy.quantity.isin(["rwg", "alpha"])]
    for row in allq.itertuples():
        name = row.quantity if row.quantity == "relational_index" else ".".join(
            x for x in (row.quantity, row.force, row.perspective, row.orientation) if isinstance(x, str))
        values = p.loc[p.reading == row.reading, name]
        assert row.n == values.notna().sum(), name
        assert abs(row.estimate - values.mean()) < 1e-12, name
        assert abs(row.sd - values.std(ddof=1)) < 1e-12, name


def test_long_profiles_come_in_first_row_order():
    wide = read_sample()
    long = wide.melt(id_vars=["respondent", "group", "reading"], var_name="statement", value_name="rating")
    p_long = lw.profiles(long)
    p_wide = lw.profiles(wide)
    # melt is ordered by statement: responses appear in the wide frame's order.
    key = ["respondent", "reading"]
    assert p_long[key].equals(p_wide[key])
    assert np.array_equal(p_long.iloc[:, 3:].to_numpy(), p_wide.iloc[:, 3:].to_numpy(), equal_nan=True)
