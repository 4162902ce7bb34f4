"""JSONL reading with evidence, shared by every command that reads JSONL rows.

What: `check_text_file` refuses a file that cannot be JSONL at all (missing, a folder, empty, binary, not
UTF-8) with an `InputError` naming it; `parse_line` turns one line into a dict row or a reason; `read_jsonl`
yields every non-blank line as a `Line` (a row, or an error naming file:line and the reason), streaming;
`count_lines` gives a progress total in one cheap pass.

Why: eval, mix, style, distill and clean each hand-wrote this reader with small differences in what they
refused and how they named bad lines. One implementation keeps those checks and messages the same
everywhere. Light on purpose (stdlib + orjson): the data side imports it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

_BOM = b"\xef\xbb\xbf"
# In BOM-less UTF-16 of JSONL, ASCII (braces, quotes, keys) puts a NUL on every other byte: at least this share.
UTF16_NUL_SHARE = 0.2


class InputError(ValueError):
    """A file that cannot be read at all (missing, empty, binary, not UTF-8)."""


@dataclass
class Line:
    lineno: int
    row: dict | None
    error: str | None = None  # "FILE:LINE: reason" when `row` is None
    reason: str | None = None  # the same reason without the FILE:LINE prefix
    raw: bytes = b""  # the line as read, kept only when `row` is None (for explain output)


def _looks_utf16(head: bytes) -> bool:
    """A UTF-16 byte-order mark, or BOM-less UTF-16: NULs (the high bytes of ASCII) on one byte parity only,
    and the bytes decode as UTF-16 text."""
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    head = head[: len(head) // 2 * 2]
    if len(head) < 16:
        return False
    even, odd = head[0::2].count(0) / (len(head) / 2), head[1::2].count(0) / (len(head) / 2)
    for zeros, others, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros >= UTF16_NUL_SHARE and others == 0:
            try:
                head.decode(codec)
            except UnicodeDecodeError:
                continue
            return True
    return False


def check_text_file(path: Path, *, allow_empty: bool = False) -> None:
    """Raise `InputError` unless `path` looks like UTF-8 text (checks its first 8 KiB)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, expected a JSONL file")
    with open(path, "rb") as f:
        head = f.read(8192)
    if not head.strip():
        if allow_empty:
            return
        raise InputError(f"{path}: empty file (expected one JSON object per line)")
    if b"\x00" in head:
        if _looks_utf16(head):
            raise InputError(f"{path}: UTF-16 text; wenforge reads UTF-8 JSONL "
                             f"(convert it: iconv -f UTF-16 -t UTF-8 {path.name} > {path.stem}.utf8{path.suffix})")
        raise InputError(f"{path}: looks binary (NUL bytes); expected UTF-8 JSONL")
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start < len(head) - 4:  # not a character cut at the buffer end
            raise InputError(f"{path}: not UTF-8 text (byte {e.start}); expected UTF-8 JSONL") from None


def parse_line(raw: bytes | str) -> tuple[dict | None, str | None]:
    """(row, None) for a line holding a JSON object, else (None, reason)."""
    if isinstance(raw, bytes):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            return None, "not UTF-8"
    try:
        obj = orjson.loads(raw)
    except orjson.JSONDecodeError as e:
        return None, f"invalid JSON ({e.msg} at column {e.colno})"
    if not isinstance(obj, dict):
        return None, f"expected a JSON object, got {type(obj).__name__}"
    return obj, None


def read_jsonl(path: str | Path, *, allow_empty: bool = False) -> Iterator[Line]:
    """Yield every non-blank line: a dict row, or an error reason (bad JSON, not an object, bad UTF-8).

    The file is checked first (`check_text_file`); a UTF-8 byte-order mark before the first line is ignored.
    Lines end at `\n` only: U+2028, U+2029 and U+0085 are legal inside JSON strings and stay in their row.
    Streams: memory does not grow with the file."""
    path = Path(path)
    check_text_file(path, allow_empty=allow_empty)
    with open(path, "rb") as f:
        for i, raw in enumerate(f, 1):
            if i == 1 and raw.startswith(_BOM):
                raw = raw[len(_BOM):]
            if not raw.strip():
                continue
            row, reason = parse_line(raw)
            if reason is None:
                yield Line(i, row)
            else:
                yield Line(i, None, f"{path}:{i}: {reason}", reason, raw)


def data_rows(path: str | Path) -> Iterator[dict]:
    """Every row of a data file that must be whole (training and benchmark sets): a bad line raises
    `InputError` naming file:line instead of becoming an error record."""
    for line in read_jsonl(path):
        if line.row is None:
            raise InputError(line.error)
        yield line.row


def count_lines(path: Path) -> int:
    """Non-blank lines of a file (a progress total)."""
    with open(path, "rb") as f:
        return sum(1 for raw in f if raw.strip())
