"""Turning the core's columns into pandas DataFrames (internal)."""

from __future__ import annotations

import json
from typing import Any, Sequence

import numpy as np
import pandas as pd


def columns_to_frame(run_id: int, columns: Sequence[tuple], what: str) -> pd.DataFrame:
    """``columns`` as the core's read_result gives them: (name, type,
    values, valid) with type "int" (values: int64 bytes), "time" (int64
    unix seconds and a byte per row, 0 where unknown) or "text" (a list of
    str). Integer and time columns are built from the bytes in one step,
    without a Python object per row."""
    data: dict[str, Any] = {}
    for name, kind, values, valid in columns:
        if kind == "int":
            data[name] = np.frombuffer(values, dtype="<i8").copy()
        elif kind == "time":
            stamps = np.frombuffer(values, dtype="<i8").astype("datetime64[s]")
            stamps[np.frombuffer(valid, dtype=np.uint8) == 0] = np.datetime64("NaT")
            data[name] = pd.DatetimeIndex(stamps).tz_localize("UTC")
        else:
            data[name] = pd.array(values, dtype=object)
    frame = pd.DataFrame(data)
    frame.attrs["run_id"] = run_id
    frame.attrs["what"] = what
    return frame


def jsonl_to_frame(text: str) -> pd.DataFrame:
    """One JSON object a line -> a DataFrame (an empty text: no rows)."""
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    frame = pd.DataFrame(rows)
    if "time" in frame.columns:
        frame["time"] = pd.to_datetime(frame["time"], utc=True, errors="coerce")
    return frame
