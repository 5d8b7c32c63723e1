"""Every error kind, raised with the crate's message, as the exception of its stage.

A DataFrame's errors are the CSV reader's for the same content, with `row N` (from 1) for
`line N + 1`: each frame case is also written as CSV and read with the crate's reader.
"""
import io
import re

import pandas as pd
import pytest

import living_well as lw

P = "purpose.people.relational.1"
M = "purpose.people.mechanistic.1"


def frame_error(frame, **kw):
    with pytest.raises(lw.FrameError) as e:
        lw.cohort(frame, **kw)
    return e.value


def csv_error(frame):
    text = frame.to_csv(index=False)
    with pytest.raises(lw.CsvError) as e:
        lw.read_csv(io.StringIO(text))
    return e.value


def as_rows(message):
    """A CSV message with its line numbers as a frame's row numbers."""
    return re.sub(r"\bline (\d+)", lambda m: f"row {int(m[1]) - 1}", message)


WIDE_CASES = [
    # (frame, kind, message, row, column, cause)
    (pd.DataFrame({"respondent": ["a", "b"], P: ["3", "7"]}), "response",
     "row 2, column `purpose.people.relational.1`: respondent `b`: rating 7 of statement "
     "`purpose.people.relational.1` is outside the scale 1..=5", 2, P, lw.ResponseError),
    (pd.DataFrame({"respondent": ["a", "b"], P: ["3", "x"]}), "invalid_answer",
     "row 2, column `purpose.people.relational.1`: respondent `b`: `x` is not an answer on the "
     "scale 1..=5 (accepted: an integer 1 to 5; Not at all, A little, Somewhat, Mostly, Completely; "
     "na, N/A, Not applicable; dk, Don't know)", 2, P, None),
    (pd.DataFrame({"respondent": ["a", ""], P: ["3", "2"]}), "invalid_respondent",
     "row 2, column `respondent`: invalid respondent id ``", 2, "respondent", None),
    (pd.DataFrame({"respondent": ["a", "b"], "reading": ["now", "current"], P: ["3", "2"]}),
     "invalid_reading", "row 1, column `reading`: `now` is not a reading (current or desired)",
     1, "reading", None),
    (pd.DataFrame({"respondent": ["a", "b"], "group": ["x", "y\x01"], P: ["3", "2"]}),
     "invalid_group", "row 2, column `group`: invalid group label `y\\u{1}`", 2, "group", None),
    (pd.DataFrame({"respondent": ["a", "b"], "Q7": ["3", "2"]}), "unknown_column",
     "unknown column `Q7` (not a statement of the definition)", None, "Q7", None),
    (pd.DataFrame({P: ["3", "2"]}), "missing_column",
     "the header has no `respondent` column", None, None, None),
    (pd.DataFrame({"respondent": ["a", "a"], P: ["3", "2"]}), "cohort",
     "the responses do not form a cohort: respondent `a` has two current responses (row 1 and row 2)",
     None, None, lw.CohortError),
    (pd.DataFrame({"respondent": ["a", "a"], "group": ["x", "y"], "reading": ["current", "desired"],
                   P: ["3", "2"]}), "cohort",
     "the responses do not form a cohort: respondent `a` is in group `x` at row 1 but in group `y` at row 2",
     None, None, lw.CohortError),
    (pd.DataFrame({"respondent": ["a", "b"], "group": ["(all)", "y"], P: ["3", "2"]}), "cohort",
     "the responses do not form a cohort: group label `(all)` is reserved: reports name the whole cohort so",
     None, None, lw.ResponseError),
]


@pytest.mark.parametrize("frame,kind,message,row,column,cause", WIDE_CASES)
def test_wide_frame_errors_are_the_csv_readers(frame, kind, message, row, column, cause):
    e = frame_error(frame)
    assert (e.kind, str(e), e.row, e.column) == (kind, message, row, column)
    assert isinstance(e, lw.LivingWellError)
    assert e.index == (None if row is None else frame.index[row - 1])
    if cause is None:
        assert e.__cause__ is None
    else:
        assert type(e.__cause__) is cause
        assert message.endswith(str(e.__cause__))
    c = csv_error(frame)
    assert c.kind == kind
    assert as_rows(str(c)).split(": ", 1)[-1] == str(e).split(": ", 1)[-1]
    if row is not None:
        assert (as_rows(str(c)), c.line, c.column) == (message, row + 1, column)


def test_numeric_cells():
    e = frame_error(pd.DataFrame({"respondent": ["a", "b"], P: [3, 2.5]}))
    assert str(e) == ("row 2, column `purpose.people.relational.1`: respondent `b`: `2.5` is not an "
                      "answer on the scale 1..=5 (accepted: an integer 1 to 5; Not at all, A little, "
                      "Somewhat, Mostly, Completely; na, N/A, Not applicable; dk, Don't know)")
    e = frame_error(pd.DataFrame({"respondent": ["a", "b"], P: [3, 0]}))
    assert e.kind == "response" and e.__cause__.kind == "out_of_range"
    e = frame_error(pd.DataFrame({"respondent": ["a", "b"], P: [3, True]}, dtype=object))
    assert e.kind == "invalid_answer" and "`True`" in str(e)
    # The index label of the row, for df.loc.
    e = frame_error(pd.DataFrame({"respondent": ["a", "b"], P: [3, 9]}, index=["x", "y"]))
    assert e.index == "y"


@pytest.mark.parametrize("cell", ["99999999999", 99999999999, 99999999999.0, -(10**30)])
def test_integers_beyond_any_scale(cell):
    frame = pd.DataFrame({"respondent": ["a"], P: [cell]}, dtype=object)
    e = frame_error(frame)
    value = str(cell) if not isinstance(cell, float) else "99999999999"
    assert (e.kind, str(e)) == (
        "rating_out_of_range",
        f"row 1, column `{P}`: respondent `a`: `{value}` is out of range (the scale is 1..=5)")
    if not isinstance(cell, float):  # a float's CSV text is `99999999999.0`, not an integer
        assert as_rows(str(csv_error(frame))) == str(e)


def test_first_error_in_row_order_then_column_order():
    frame = pd.DataFrame({"respondent": ["a", "b", "c"], M: ["1", "9", "x"], P: ["1", "x", "1"]})
    e = frame_error(frame)
    assert (e.row, e.column, e.kind) == (2, M, "response")
    frame = pd.DataFrame({"respondent": ["a", " "], "reading": ["current", "later"], P: ["1", "2"]})
    assert (frame_error(frame).kind, frame_error(frame).row) == ("invalid_respondent", 2)


LONG = {"respondent": ["a", "a"], "group": ["x", "x"], "reading": ["current", "current"]}

LONG_CASES = [
    ({**LONG, "statement": [P, "nope"], "rating": [1, 2]}, "unknown_statement",
     "row 2, column `statement`: respondent `a`: unknown statement `nope`", None),
    ({**LONG, "statement": [P, P], "rating": [1, 2]}, "response",
     "row 2, column `rating`: respondent `a`: statement `purpose.people.relational.1` is answered twice "
     "(1, then 2)", lw.ResponseError),
    ({**LONG, "group": ["x", "y"], "statement": [P, M], "rating": [1, 2]}, "cohort",
     "the responses do not form a cohort: respondent `a` is in group `x` at row 1 but in group `y` at row 2",
     lw.CohortError),
    ({**LONG, "statement": [P, M], "rating": ["1", "six"]}, "invalid_answer",
     "row 2, column `rating`: respondent `a`: `six` is not an answer on the scale 1..=5 (accepted: an integer 1 to 5; Not at all, A little, Somewhat, Mostly, Completely; na, N/A, Not applicable; dk, Don't know)", None),
]


@pytest.mark.parametrize("columns,kind,message,cause", LONG_CASES)
def test_long_frame_errors(columns, kind, message, cause):
    frame = pd.DataFrame(columns)
    e = frame_error(frame)
    assert (e.kind, str(e)) == (kind, message)
    assert (cause is None and e.__cause__ is None) or type(e.__cause__) is cause
    assert as_rows(str(csv_error(frame))) == message


def test_long_frame_needs_the_csv_columns():
    e = frame_error(pd.DataFrame({"respondent": ["a"], "statement": [P], "rating": [1]}))
    assert (e.kind, str(e)) == ("missing_column", "the header has no `group` column")


def test_csv_only_errors():
    with pytest.raises(lw.CsvError) as e:
        lw.read_csv(io.StringIO(""))
    assert (e.value.kind, str(e.value), e.value.line) == (
        "missing_header", "the CSV is empty: a header row is required", None)
    with pytest.raises(lw.CsvError) as e:
        lw.read_csv(io.StringIO(f"respondent,{P}\na,1,2\n"))
    assert (e.value.kind, str(e.value), e.value.line) == (
        "field_count", "line 2: 3 fields, but the header has 2", 2)
    with pytest.raises(lw.CsvError) as e:
        lw.read_csv(io.StringIO(f"respondent,{P},{P}\n"))
    assert (e.value.kind, e.value.line, e.value.column) == ("duplicate_column", 1, 3)
    assert str(e.value) == "line 1, column 3: column `purpose.people.relational.1` appears twice"
    with pytest.raises(FileNotFoundError, match="nowhere.csv"):
        lw.read_csv("/nowhere.csv")


def test_scale_score_and_cohort_errors():
    with pytest.raises(lw.ScaleError) as e:
        lw.Scorer(scale=(3, 3))
    assert (e.value.kind, str(e.value)) == ("too_few_points", "scale 3..=3 has fewer than 2 points")
    assert isinstance(e.value, lw.ResponseError)
    with pytest.raises(lw.ScaleError, match=r"^scale `1-5` is not of the form MIN\.\.MAX"):
        lw.Scorer(scale="1-5")
    with pytest.raises(lw.ScoreError) as e:
        lw.Scorer(coverage=0)
    assert (e.value.kind, str(e.value)) == ("coverage", "coverage 0 is not in (0, 1]")
    with pytest.raises(lw.ScoreError) as e:
        lw.Scorer(threshold=2)
    assert (e.value.kind, str(e.value)) == ("threshold", "pole-reading threshold 2 is not in [0, 1]")
    with pytest.raises(lw.CohortError) as e:
        lw.Cohort().merge(lw.Cohort(lw.Scorer(scale=(0, 10))))
    assert (e.value.kind, str(e.value)) == ("incompatible", "cannot merge: the two differ in scale")
    with pytest.raises(lw.CohortError) as e:
        lw.Cohort.from_json("{")
    assert e.value.kind == "json" and str(e.value).startswith("cohort JSON is invalid at line 1, column 1:")
    doc = lw.Cohort().to_json().replace('"schema": 1', '"schema": 99', 1)
    with pytest.raises(lw.CohortError) as e:
        lw.Cohort.from_json(doc)
    assert (e.value.kind, str(e.value)) == (
        "unsupported_schema", "cohort schema 99 is not supported (this crate reads schema 1)")
    with pytest.raises(ValueError, match="missing_data"):
        lw.Cohort(missing_data="some")
