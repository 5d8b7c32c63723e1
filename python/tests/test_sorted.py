"""read_csv(sorted=True): a file sorted by respondent read in constant memory, with the
same cohort as without, and a typed error for one that is not sorted."""

import io

import pytest

import living_well as lw
from conftest import SAMPLE


def reversed_sample() -> str:
    header, *rows = SAMPLE.read_text().splitlines()
    return "\n".join([header, *reversed(rows)]) + "\n"


def test_a_sorted_file_reads_as_the_same_cohort():
    # The sample is sorted by respondent.
    assert lw.read_csv(SAMPLE, sorted=True) == lw.read_csv(SAMPLE)
    text = SAMPLE.read_text()
    assert lw.read_csv(io.StringIO(text), sorted=True) == lw.read_csv(SAMPLE)


def test_rows_out_of_order_are_refused_when_said_sorted(tmp_path):
    text = reversed_sample()
    # In any order, the same cohort.
    assert lw.read_csv(io.StringIO(text)) == lw.read_csv(SAMPLE)
    path = tmp_path / "reversed.csv"
    path.write_text(text)
    for source in (io.StringIO(text), path):
        with pytest.raises(lw.CsvError) as e:
            lw.read_csv(source, sorted=True)
        assert e.value.kind == "cohort"
        assert e.value.__cause__.kind == "out_of_order"
        assert "respondent `r0319` at line 4 comes after `r0320` at line 3" in str(e.value)
