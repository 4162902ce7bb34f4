"""Reading rows with evidence, shared by every command that reads JSONL or Parquet rows.

What: `check_text_file` refuses a file that cannot be JSONL at all (missing, a folder, empty, binary, not
UTF-8) with an `InputError` naming it; `parse_line` turns one line into a dict row or a reason; `read_jsonl`
yields every non-blank line as a `Line` (a row, or an error naming file:line and the reason), streaming;
`read_parquet` streams a Parquet file's rows as `Line`s in bounded batches; `read_rows` reads either by suffix;
`data_files` lists the row files of a file, a folder or a run folder's `data/`; `data_rows` reads rows that
must be whole (training and benchmark sets); `count_rows` gives a progress total in one cheap pass.

Why: eval, mix, style, distill, train and clean each hand-wrote these readers with small differences in what
they refused, how they named bad lines and how many Parquet rows they held at once. One implementation keeps
those checks and messages the same everywhere. Light on purpose (stdlib, orjson, pyarrow on demand).
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO

import orjson

from wenforge.core import storage

_BOM = b"\xef\xbb\xbf"
# In BOM-less UTF-16 of JSONL, ASCII (braces, quotes, keys) puts a NUL on every other byte: at least this share.
UTF16_NUL_SHARE = 0.2


# Parquet rows held at once: a few MB of 2-5 KB documents, so memory does not grow with the file.
PARQUET_BATCH_ROWS = 1024
ROW_SUFFIXES = (".jsonl", ".parquet")


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


def _as_path(path: str | Path) -> str | Path:
    """A remote URL as given (Path would fold its `//`), anything else as a Path."""
    return path if storage.is_url(path) else Path(path)


def open_binary(path: str | Path) -> IO[bytes]:
    """The file's bytes, decompressed when it ends in .gz or .zst (datatrove's writers compress their shards);
    local, or remote through fsspec."""
    path = str(path)
    if storage.is_url(path):
        import fsspec

        return fsspec.open(storage.check_url(path), "rb", compression="infer").open()
    if path.endswith(".gz"):
        return gzip.open(path, "rb")
    if path.endswith(".zst"):
        import zstandard

        return io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(open(path, "rb"), closefd=True))
    return open(path, "rb")


def check_text_file(path: str | Path, *, allow_empty: bool = False) -> None:
    """Raise `InputError` unless `path` looks like UTF-8 text (checks its first 8 KiB, decompressed)."""
    path = _as_path(path)
    if not storage.exists(path):
        raise InputError(f"{path}: no such file")
    if storage.isdir(path):
        raise InputError(f"{path}: is a folder, expected a JSONL file")
    try:
        with open_binary(path) as f:
            head = f.read(8192)
    except (OSError, EOFError) as e:  # a corrupt .gz or .zst stream
        raise InputError(f"{path}: cannot be decompressed ({e})") from None
    if not head.strip():
        if allow_empty:
            return
        raise InputError(f"{path}: empty file (expected one JSON object per line)")
    if b"\x00" in head:
        if _looks_utf16(head):
            name = PurePosixPath(str(path))
            raise InputError(f"{path}: UTF-16 text; wenforge reads UTF-8 JSONL "
                             f"(convert it: iconv -f UTF-16 -t UTF-8 {name.name} > {name.stem}.utf8{name.suffix})")
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
    .gz and .zst files are read decompressed. Streams: memory does not grow with the file."""
    path = _as_path(path)
    check_text_file(path, allow_empty=allow_empty)
    with open_binary(path) as f:
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


def read_parquet(path: str | Path, columns: list[str] | None = None) -> Iterator[Line]:
    """Every row of a Parquet file as a `Line` (row number from 1), `PARQUET_BATCH_ROWS` at a time; a file
    pyarrow cannot open raises `InputError` naming it."""
    import pyarrow.parquet as pq

    path = _as_path(path)
    if not storage.isfile(path):
        raise InputError(f"{path}: no such file")
    try:
        pf = pq.ParquetFile(storage.open_file(path) if storage.is_url(path) else path)
    except Exception as e:  # noqa: BLE001 - pyarrow raises several types (ArrowInvalid, OSError, ...) for bad files
        raise InputError(f"{path}: not a readable Parquet file ({e})") from None
    n = 0
    for batch in pf.iter_batches(batch_size=PARQUET_BATCH_ROWS, columns=columns):
        for row in batch.to_pylist():
            n += 1
            yield Line(n, row)


def read_rows(path: str | Path, *, allow_empty: bool = False) -> Iterator[Line]:
    """Every row of a JSONL or Parquet file (by suffix) as a `Line`: a row, or the reason its line is bad."""
    if str(path).endswith(".parquet"):
        return read_parquet(path)
    return read_jsonl(path, allow_empty=allow_empty)


def data_files(source: str | Path, suffixes: tuple[str, ...] = ROW_SUFFIXES) -> list[Path] | list[str]:
    """The row files of `source`: the file itself, or the files with `suffixes` in a folder (a run folder's
    `data/` when it has one), sorted; `InputError` when there are none. A remote URL gives URLs."""
    if storage.is_url(source):
        return _remote_data_files(str(source), suffixes)
    p = Path(source)
    if p.is_file():
        return [p]
    if not p.is_dir():
        raise InputError(f"{p}: no such data file or folder")
    base = p / "data" if (p / "data").is_dir() else p
    files = sorted(f for f in base.iterdir() if f.is_file() and f.suffix in suffixes)
    if not files:
        raise InputError(f"{p}: no {'/'.join(suffixes)} files in it (or in its data/)")
    return files


def _remote_data_files(url: str, suffixes: tuple[str, ...]) -> list[str]:
    """`data_files` of a remote URL."""
    if storage.isfile(url):
        return [url]
    if not storage.isdir(url):
        raise InputError(f"{storage.shown(url)}: no such data file or folder")
    base = storage.join(url, "data") if storage.isdir(storage.join(url, "data")) else url
    files = [f for f in storage.listing(base, "*") if str(f).endswith(suffixes)]
    if not files:
        raise InputError(f"{url}: no {'/'.join(suffixes)} files in it (or in its data/)")
    return files


def data_rows(source: str | Path, *, allow_empty: bool = False) -> Iterator[dict]:
    """Every row of a data file or folder that must be whole (training and benchmark sets, a run's own records):
    a bad line raises `InputError` naming file:line instead of becoming an error record."""
    for path in data_files(source, (".jsonl", ".parquet", ".gz", ".zst")):
        for line in read_rows(path, allow_empty=allow_empty):
            if line.row is None:
                raise InputError(line.error)
            yield line.row


def count_rows(path: str | Path) -> int:
    """Rows of a JSONL file (non-blank lines, decompressed) or of a Parquet file (its metadata): a progress total."""
    if str(path).endswith(".parquet"):
        import pyarrow.parquet as pq

        return pq.ParquetFile(storage.open_file(path) if storage.is_url(path) else path).metadata.num_rows
    with open_binary(path) as f:
        return sum(1 for raw in f if raw.strip())
