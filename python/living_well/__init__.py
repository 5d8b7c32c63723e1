"""The Living Well UK framework for transforming local mental-health systems, from Python.

Scores self-assessments from pandas DataFrames (or CSV files) with the ``living-well`` Rust
crate: pole scores, balances, the relational index and perspective gaps per respondent;
cohort statistics with agreement (r_wg), reliability (Cronbach's alpha) and disclosure
control; and the crate's reports (tidy table, JSON, Markdown, text, SVG tension map).

>>> import pandas as pd, living_well as lw
>>> frame = pd.DataFrame({"respondent": ["r1", "r2"],
...                       "purpose.people.relational.1": [4, 2],
...                       "purpose.people.mechanistic.1": [2, None]})
>>> lw.profiles(frame)["balance.purpose.people"].tolist()
[0.5, nan]
>>> tidy = lw.cohort(frame).summary(min_group=1)
>>> list(tidy.columns) == list(lw.TIDY_COLUMNS)
True

Everything that checks, scores or tallies is the crate's code, run with the GIL released;
errors are :class:`LivingWellError` subclasses whose messages are the crate's.
"""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any, Iterable, Mapping

from . import _native
from ._native import (
    HAS_HTML,
    TIDY_COLUMNS,
    Cohort,
    CohortBuilder,
    CohortError,
    CsvError,
    Definition,
    DefinitionError,
    FrameError,
    LivingWellError,
    ResponseError,
    ScaleError,
    Scorer,
    ScoreError,
    Summary,
    __version__,
)

if TYPE_CHECKING:  # pandas is imported when a DataFrame is first met, not at start-up
    import pandas as pd

__all__ = [
    "HAS_HTML",
    "TIDY_COLUMNS",
    "Cohort",
    "CohortBuilder",
    "CohortError",
    "CsvError",
    "Definition",
    "DefinitionError",
    "FrameError",
    "LivingWellError",
    "ResponseError",
    "ScaleError",
    "Scorer",
    "ScoreError",
    "Summary",
    "cohort",
    "merge",
    "profiles",
    "read_csv",
    "__version__",
]


def _with_index(error: FrameError, frame: pd.DataFrame) -> FrameError:
    """Adds `index`, the DataFrame index label of the error's row, to a FrameError."""
    row = getattr(error, "row", None)
    error.index = frame.index[row - 1] if row is not None and 0 < row <= len(frame) else None
    return error


def profiles(
    frame: pd.DataFrame,
    *,
    scorer: Scorer | None = None,
    columns: Mapping[Any, str] | None = None,
) -> pd.DataFrame:
    """Scores every response of a DataFrame: one row per respondent and reading.

    ``frame`` is in the wide layout (``respondent``, optional ``group`` and ``reading``,
    one column per statement id) or the long one (``respondent``, ``group``, ``reading``,
    ``statement``, ``rating``), as the crate's CSV reader takes them; ``columns`` maps the
    frame's column names to those names or to statement ids. Answers are integers on the
    scale, ``"na"`` / ``"dk"`` (any case), or missing (NaN, None, NA, empty text).

    Returns ``respondent``, ``group``, ``reading`` (``current`` / ``desired``), then the 25
    quantities: ``pole.{force}.{perspective}.{orientation}``, ``balance.{force}.{perspective}``,
    ``force_balance.{force}``, ``perspective_gap.{force}``, ``relational_index``; NaN where a
    quantity is missing (never 0). Wide rows keep their order; long responses come in the
    order of their first rows.

    Raises :class:`FrameError` naming the row (from 1) and column of the first problem;
    its ``index`` attribute is that row's index label.
    """
    try:
        native = _native.profiles(frame, columns, scorer)
    except FrameError as e:
        raise _with_index(e, frame) from e.__cause__
    from . import _frame

    return _frame.profiles_frame(native)


def cohort(
    frame: pd.DataFrame,
    *,
    scorer: Scorer | None = None,
    missing_data: str = "pairwise",
    columns: Mapping[Any, str] | None = None,
) -> Cohort:
    """Tallies a DataFrame of responses (wide or long, as :func:`profiles` takes it) into a
    :class:`Cohort`. ``missing_data`` is the rule for Cronbach's alpha: ``"pairwise"``
    (default) or ``"listwise"``.

    Raises :class:`FrameError` for the first problem in the frame, and (kind ``cohort``,
    with a :class:`CohortError` as its cause) for a respondent twice in one reading or whose
    group changes between readings.
    """
    try:
        return _native.cohort(frame, columns, scorer, missing_data)
    except FrameError as e:
        raise _with_index(e, frame) from e.__cause__


def read_csv(
    source: Any,
    *,
    scorer: Scorer | None = None,
    missing_data: str = "pairwise",
    sorted: bool = False,
) -> Cohort:
    """Reads a CSV of responses (wide or long layout) into a :class:`Cohort` with the
    crate's own reader, without pandas: ``source`` is a path or a file-like object.
    ``sorted=True`` says the file is sorted by respondent (each respondent's rows
    together, ids ascending as text or in natural order): it is then read in constant
    memory, and a respondent out of order raises :class:`CsvError` caused by a
    :class:`CohortError` of kind ``"out_of_order"``. Raises :class:`CsvError` (``line``, ``column``) or
    :class:`OSError`."""
    return _native.read_csv(source, scorer, missing_data, sorted)


def merge(cohorts: Iterable[Cohort | str]) -> Cohort:
    """Merges cohorts (or their JSON wire forms) into a new one; an empty iterable gives an
    empty cohort of the canonical definition. For exact cohorts the result does not depend
    on the order. Raises :class:`CohortError` if two were scored differently."""
    merged: Cohort | None = None
    for part in cohorts:
        c = Cohort.from_json(part) if isinstance(part, str) else part
        if merged is None:
            merged = copy.copy(c) if c is part else c
        else:
            merged.merge(c)
    return merged if merged is not None else Cohort()
