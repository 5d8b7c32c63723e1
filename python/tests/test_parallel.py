"""Large wide frames are tallied (and scored) by several threads, one part of the rows each:
the result, and the first error, are those of one pass."""
import io

import numpy as np
import pandas as pd
import pytest

import living_well as lw
from conftest import read_sample

P = "purpose.people.relational.1"


@pytest.fixture(scope="module")
def big():
    # 110 copies of the sample with distinct respondents: 70,400 rows, past the 65,536
    # from which frames are cut into parts.
    sample = read_sample()
    return pd.concat(
        [sample.assign(respondent=sample["respondent"] + f"-{k}") for k in range(110)],
        ignore_index=True,
    )


def test_parts_give_one_pass(big):
    assert len(big) > 1 << 16
    text = big.to_csv(index=False)
    assert lw.cohort(big) == lw.read_csv(io.StringIO(text))


def test_profiles_keep_row_order(big):
    p = lw.profiles(big)
    assert p["respondent"].tolist() == big["respondent"].tolist()
    head = lw.profiles(big.head(640))
    assert np.array_equal(p.iloc[:640, 3:].to_numpy(), head.iloc[:, 3:].to_numpy(), equal_nan=True)


def test_first_error_in_row_order_across_parts(big):
    bad = big.copy()
    bad.loc[len(bad) - 5, P] = "9"
    bad.loc[100, P] = "x"
    with pytest.raises(lw.FrameError) as e:
        lw.cohort(bad)
    assert (e.value.row, e.value.kind) == (101, "invalid_answer")
    with pytest.raises(lw.FrameError) as e:
        lw.profiles(bad)
    assert (e.value.row, e.value.kind) == (101, "invalid_answer")


def test_duplicates_across_parts(big):
    dup = big.copy()
    dup.loc[len(dup) - 1, "respondent"] = dup.loc[0, "respondent"]
    dup.loc[len(dup) - 1, "reading"] = dup.loc[0, "reading"]
    dup.loc[len(dup) - 1, "group"] = dup.loc[0, "group"]
    with pytest.raises(lw.FrameError) as e:
        lw.cohort(dup)
    assert str(e.value).endswith(f"has two current responses (row 1 and row {len(dup)})")
