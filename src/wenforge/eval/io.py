"""JSONL reading with evidence: every line is either a row or an error naming file:line and the reason."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


class InputError(ValueError):
    """A file that cannot be read at all (missing, empty, binary)."""


@dataclass
class Line:
    lineno: int
    row: dict | None
    error: str | None = None


def check_text_file(path: Path) -> None:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, expected a JSONL file")
    with open(path, "rb") as f:
        head = f.read(8192)
    if not head.strip():
        raise InputError(f"{path}: empty file (expected one JSON object per line)")
    if b"\x00" in head:
        raise InputError(f"{path}: looks binary (NUL bytes); expected UTF-8 JSONL")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start < len(head) - 4:  # not a character cut at the buffer end
            raise InputError(f"{path}: not UTF-8 text (byte {e.start}); expected UTF-8 JSONL") from None


def read_jsonl(path: str | Path) -> Iterator[Line]:
    """Yield every non-blank line: a dict row, or an error reason (bad JSON, not an object, bad UTF-8)."""
    path = Path(path)
    check_text_file(path)
    with open(path, "rb") as f:
        for i, raw in enumerate(f, 1):
            if not raw.strip():
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                yield Line(i, None, f"{path}:{i}: not UTF-8")
                continue
            try:
                obj = json.loads(text)
            except json.JSONDecodeError as e:
                yield Line(i, None, f"{path}:{i}: invalid JSON ({e.msg} at column {e.colno})")
                continue
            if not isinstance(obj, dict):
                yield Line(i, None, f"{path}:{i}: expected a JSON object, got {type(obj).__name__}")
                continue
            yield Line(i, obj)


def count_lines(path: Path) -> int:
    with open(path, "rb") as f:
        return sum(1 for raw in f if raw.strip())
