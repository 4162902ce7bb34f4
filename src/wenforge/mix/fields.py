"""Where a mixture finds a row's label or risk field: a top-level column, else inside `taxonomy` or `metadata`
(a mapping, or a JSON string as Parquet rows carry it), else `metadata.taxonomy`."""

from __future__ import annotations

import json
from typing import Any


def field_of(row: dict, key: str) -> Any:
    """The row's value at `key` (flat or nested as above), None when it has none."""
    if row.get(key) is not None:
        return row[key]
    for nest in ("taxonomy", "metadata"):
        v = row.get(nest)
        if isinstance(v, str) and v.startswith("{"):
            try:
                v = json.loads(v)
            except json.JSONDecodeError:
                v = None
        if isinstance(v, dict):
            if v.get(key) is not None:
                return v[key]
            if isinstance(v.get("taxonomy"), dict) and v["taxonomy"].get(key) is not None:
                return v["taxonomy"][key]
    return None
