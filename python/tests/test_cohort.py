"""Cohorts: JSON and pickle round trips, merging parts into the whole, the builder."""
import copy
import pickle
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

import living_well as lw
from conftest import SAMPLE, frames_identical, read_sample


@pytest.fixture(scope="module")
def sample():
    return read_sample()


@pytest.fixture(scope="module")
def whole(sample):
    return lw.cohort(sample)


def test_json_and_pickle_round_trips(whole):
    again = lw.Cohort.from_json(whole.to_json())
    assert again == whole
    assert frames_identical(again.summary(), whole.summary())
    assert pickle.loads(pickle.dumps(whole)) == whole
    assert copy.copy(whole) == whole and copy.deepcopy(whole) == whole
    assert whole.respondents == 320 and whole.is_exact
    assert whole.groups == sorted(whole.groups) and len(whole.groups) == 4
    assert whole.fingerprint == lw.Definition().fingerprint and whole.scale == (1, 5)


def test_merge_of_parts_is_the_whole(sample, whole):
    # Parts by respondent (both readings together), merged in two orders.
    ids = sample["respondent"].unique()
    rng = np.random.default_rng(12)
    part_of = dict(zip(ids, rng.integers(0, 3, len(ids))))
    parts = [lw.cohort(sample[sample["respondent"].map(part_of) == k]) for k in range(3)]
    merged = lw.merge(parts)
    assert merged == whole
    assert frames_identical(merged.summary(min_group=1), whole.summary(min_group=1))
    assert lw.merge(reversed([p.to_json() for p in parts])) == whole
    # merge() copies: the parts are unchanged.
    assert sum(p.respondents for p in parts) == whole.respondents
    # The empty cohort is the identity.
    empty = lw.Cohort()
    empty.merge(whole)
    assert empty == whole and lw.merge([]) == lw.Cohort()


def test_parts_by_site_merge_bit_for_bit(sample, whole):
    # Per-site aggregation: each group's cohort alone, then merged.
    parts = [lw.cohort(g) for _, g in sample.groupby("group")]
    assert lw.merge(parts) == whole


def test_builder_pairs_readings_across_frames(sample, whole):
    b = lw.CohortBuilder()
    current = sample[sample["reading"] == "current"]
    desired = sample[sample["reading"] == "desired"]
    b.add_frame(current)
    b.add_frame(desired)
    assert b.responses == len(sample)
    assert b.finish() == whole
    with pytest.raises(ValueError, match="finished"):
        b.finish()
    # Rows count across frames in errors.
    b = lw.CohortBuilder()
    b.add_frame(current)
    with pytest.raises(lw.FrameError) as e:
        b.add_frame(current.head(1))
        b.finish()
    assert str(e.value).endswith(f"(row 1 and row {len(current) + 1})")


def test_missing_data_rule(sample):
    pairwise = lw.cohort(sample).summary(min_group=1)
    listwise = lw.cohort(sample, missing_data="listwise").summary(min_group=1)
    alpha = lambda t: t[t.quantity == "alpha"]["estimate"].to_numpy()
    assert not np.array_equal(alpha(pairwise), alpha(listwise), equal_nan=True)
    other = pairwise[pairwise.quantity != "alpha"].reset_index(drop=True)
    assert frames_identical(other, listwise[listwise.quantity != "alpha"].reset_index(drop=True))
    with pytest.raises(lw.CohortError, match="missing-data rule"):
        lw.cohort(sample).merge(lw.cohort(sample, missing_data="listwise"))


def test_other_scale_and_coverage():
    frame = pd.DataFrame({"respondent": ["a", "b"], "purpose.people.relational.1": [0, 10],
                          "purpose.people.mechanistic.1": [10, 5]})
    scorer = lw.Scorer(scale=(0, 10))
    p = lw.profiles(frame, scorer=scorer)
    assert p["balance.purpose.people"].tolist() == [-1.0, 0.5]
    c = lw.cohort(frame, scorer=scorer)
    assert c.scale == (0, 10)
    t = c.summary(min_group=1)
    row = t[(t.group == "(all)") & (t.quantity == "balance") & (t.force == "purpose") & (t.perspective == "people")]
    assert row["estimate"].iloc[0] == -0.25 and row["n"].iloc[0] == 2


def test_gil_is_released(sample):
    # Two threads tally at once and get the same cohort; a third thread runs meanwhile.
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(1)
            stop.wait(0.001)

    t = threading.Thread(target=tick)
    t.start()
    big = pd.concat([sample.assign(respondent=sample["respondent"] + f"-{k}") for k in range(40)])
    with ThreadPoolExecutor(2) as pool:
        a, b = pool.map(lambda _: lw.cohort(big), range(2))
    stop.set()
    t.join()
    assert a == b and a.respondents == 320 * 40
    assert ticks
