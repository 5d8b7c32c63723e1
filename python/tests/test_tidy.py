"""The tidy table equals the crate's own tidy CSV (its `assess` example), cell for cell."""
import json
import subprocess

import pandas as pd
import pytest

import living_well as lw
from conftest import SAMPLE, assert_tidy_equal, frames_identical, parse_tidy, read_sample, rust_tidy_csv


@pytest.mark.parametrize("min_group", [5, 1, 100])
def test_sample_frame_equals_rust_tidy_csv(assess, min_group):
    reference = rust_tidy_csv(assess, SAMPLE, min_group)
    summary = lw.cohort(read_sample()).summarise(min_group)
    assert summary.to_csv() == reference
    assert_tidy_equal(summary.to_frame(), parse_tidy(reference))


def test_sample_summary_has_every_kind_of_row(assess):
    tidy = lw.cohort(read_sample()).summary(min_group=5)
    assert set(tidy["reading"]) == {"current", "desired", "aspiration"}
    assert set(tidy["quantity"]) == {
        "pole", "balance", "force_balance", "perspective_gap", "relational_index", "rwg", "alpha",
    }
    assert set(tidy["group"]) >= {"(all)", "clinician"}
    assert tidy["n"].dtype == "Int64"
    ri = tidy[(tidy.group == "(all)") & (tidy.reading == "current") & (tidy.quantity == "relational_index")]
    assert len(ri) == 1 and ri["force"].isna().all()
    # n: the respondents whose current relational index exists (every pole scored).
    p = lw.profiles(read_sample())
    current = p[p.reading == "current"]
    assert ri["n"].iloc[0] == current["relational_index"].notna().sum() < 320
    assert abs(ri["estimate"].iloc[0] - current["relational_index"].mean()) < 1e-12


def test_peer_file_equals_rust_tidy_csv(assess, peer_file):
    reference = rust_tidy_csv(assess, peer_file)
    frame = pd.read_csv(peer_file, keep_default_na=False, na_values=[""])
    assert frame["purpose.people.relational.1"].dtype == "Int64" or frame[
        "purpose.people.relational.1"
    ].dtype.kind == "f"
    tidy = lw.cohort(frame).summary()
    assert_tidy_equal(tidy, parse_tidy(reference))
    # The crate's reader on the same file: the same table.
    assert frames_identical(lw.read_csv(peer_file).summary(), tidy)


def test_pandas_default_read_is_the_same_for_numeric_columns(peer_file):
    # The peer's file has no `NA` text: pandas' defaults lose nothing there.
    assert lw.cohort(pd.read_csv(peer_file)) == lw.read_csv(peer_file)


def test_dtypes_do_not_matter():
    text = read_sample()
    as_text = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    whole = lw.read_csv(SAMPLE)
    assert lw.cohort(text) == whole
    assert lw.cohort(as_text) == whole
    # Categorical groups, nullable integers where a column has only ratings.
    mixed = text.copy()
    mixed["group"] = mixed["group"].astype("category")
    for c in mixed.columns[3:]:
        try:
            mixed[c] = pd.to_numeric(mixed[c]).astype("Int64")
        except ValueError:
            pass
    assert lw.cohort(mixed) == whole


def test_long_layout_equals_wide():
    wide = read_sample()
    long = wide.melt(id_vars=["respondent", "group", "reading"], var_name="statement", value_name="rating")
    long = long[long["rating"].notna()]
    assert lw.cohort(long) == lw.read_csv(SAMPLE)
    # As the CSV reader needs it: one response's rows together.
    ordered = long.sort_values(["respondent", "reading"], kind="stable")
    path_rows = ordered.to_csv(index=False)
    import io

    assert lw.read_csv(io.StringIO(path_rows)) == lw.cohort(long)


def test_column_mapping():
    wide = read_sample()
    renamed = wide.rename(columns={"respondent": "id", "purpose.people.relational.1": "Q1"})
    mapping = {"id": "respondent", "Q1": "purpose.people.relational.1"}
    assert lw.cohort(renamed, columns=mapping) == lw.read_csv(SAMPLE)


def test_reports_equal_the_crates(assess, tmp_path):
    cohort = lw.cohort(read_sample())
    summary = cohort.summarise(5)
    assert summary.min_group == 5
    svg = tmp_path / "map.svg"

    def run(*args):
        return subprocess.run([str(assess), "--responses", str(SAMPLE), *args],
                              check=True, capture_output=True, text=True).stdout

    assert summary.to_text() == run("--svg", str(svg))
    assert summary.to_svg() == svg.read_text()
    assert summary.to_markdown() == run("--format", "markdown")
    assert summary.to_json() == run("--format", "json")
    assert json.loads(summary.to_json())["schema"].startswith("living-well-report/")
    # The HTML page: self-contained, the same disclosure, statement texts when given.
    assert lw.HAS_HTML is True
    page = summary.to_html()
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert "<script" not in page and "<svg" in page
    named = cohort.summarise(5, definition=lw.Definition()).to_html()
    assert lw.Definition().texts()["purpose.people.mechanistic.1"] in named
