"""pandas glue: DataFrames into the columns the native module reads, and back.

Nothing here checks, scores or tallies: it takes each column out of pandas once, as a whole
(a float64 array's bytes, or a list), and the crate does the rest.
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

_SPECIAL = ("respondent", "group", "reading", "statement", "rating")


def _objects(column: pd.Series) -> list[Any]:
    """The column's cells as Python objects, every missing one (NaN, NA, None) as None."""
    values = column.astype(object)
    return values.where(column.notna(), None).tolist()


def _answers(column: pd.Series) -> bytes | list[Any]:
    """A numeric column as the bytes of a float64 array (NaN: missing); else a list."""
    dtype = column.dtype
    if isinstance(dtype, np.dtype) and dtype.kind in "iuf":
        # numpy storage: no missing-value mask to apply, so no copy for float64.
        return np.ascontiguousarray(column.to_numpy(), dtype=np.float64).tobytes()
    if is_numeric_dtype(dtype) and not is_bool_dtype(dtype):
        return column.to_numpy(dtype=np.float64, na_value=np.nan).tobytes()
    return _objects(column)


def prepare(frame: Any, columns: Mapping[Any, str] | None, ids: list[str]) -> dict[str, Any]:
    """What `_native` reads of a DataFrame (see python/src/frame.rs)."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame, got {type(frame).__name__}")
    mapping = dict(columns or {})
    names = [str(c) for c in frame.columns]
    mapped = [str(mapping.get(c, mapping.get(n, n))) for c, n in zip(frame.columns, names)]
    long = any(m in ("statement", "rating") for m in mapped)
    position: dict[str, int] = {}
    for i, m in enumerate(mapped):
        if m in _SPECIAL:
            position.setdefault(m, i)
    col = frame.iloc

    def special(role: str) -> pd.Series | None:
        i = position.get(role)
        return None if i is None else col[:, i]

    respondent = special("respondent")
    group = special("group")
    reading = special("reading")
    prepared: dict[str, Any] = {
        "names": list(zip(names, mapped)),
        "rows": len(frame),
        "respondent": [] if respondent is None else _objects(respondent),
        "group": None if group is None else _objects(group),
        "reading": None if reading is None else _objects(reading),
    }
    if long:
        statement = special("statement")
        rating = special("rating")
        prepared["statement"] = None if statement is None else _objects(statement)
        prepared["rating"] = None if rating is None else _answers(rating)
    else:

        def statements() -> Iterator[bytes | list[Any]]:
            for i, m in enumerate(mapped):
                if m not in _SPECIAL:
                    yield _answers(col[:, i])

        prepared["statements"] = statements()
    return prepared


def _floats(buffer: Any) -> np.ndarray:
    return np.frombuffer(buffer, dtype=np.float64)


def tidy_frame(columns: dict[str, Any]) -> pd.DataFrame:
    """The tidy table from the columns `_native` parsed out of the crate's tidy CSV."""
    values, missing = columns["n"]
    n = pd.arrays.IntegerArray(
        np.frombuffer(values, dtype=np.int64).copy(), np.asarray(missing, dtype=bool)
    )
    out = {
        "group": columns["group"],
        "reading": columns["reading"],
        "quantity": columns["quantity"],
        "force": columns["force"],
        "perspective": columns["perspective"],
        "orientation": columns["orientation"],
        "n": n,
    }
    for name in ("estimate", "sd", "se", "ci95_low", "ci95_high"):
        out[name] = _floats(columns[name])
    out["withheld"] = np.asarray(columns["withheld"], dtype=bool)
    return pd.DataFrame(out)


def profiles_frame(native: tuple[Any, ...]) -> pd.DataFrame:
    """The profiles frame from what `_native.profiles` returns."""
    respondents, groups, readings, values, names = native
    reading = np.array(["current", "desired"], dtype=object)[
        np.frombuffer(readings, dtype=np.uint8)
    ]
    keys = pd.DataFrame(
        {
            "respondent": respondents,
            "group": groups,
            "reading": reading.tolist(),
        }
    )
    scores = pd.DataFrame(_floats(values).reshape(-1, len(names)), columns=names)
    return pd.concat([keys, scores], axis=1)
