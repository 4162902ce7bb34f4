"""Reading every supported input into datatrove Documents, without losing a single record.

datatrove's own readers skip malformed lines and text-less rows with a log line; wenforge needs every
input record to end up kept or excluded with a reason. So this reader turns each bad record into an
*error document* (empty text, ``_error`` in metadata) that the ``read`` gate step excludes with its reason
and its file and line. Raw pages (HTML/TXT files, WARC records) are yielded as bytes in ``_raw`` for the
decode step, so encoding detection is one step for every source.
"""

from __future__ import annotations

import glob
import io
import os
from collections.abc import Iterator
from pathlib import Path

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.readers.base import BaseReader
from loguru import logger

from wenforge.core import reasons as R
from wenforge.core import storage
from wenforge.core.rows import count_rows, open_binary, parse_line, read_parquet

JSONL_EXT = (".jsonl", ".jsonl.gz", ".jsonl.zst", ".ndjson", ".json", ".json.gz", ".json.zst")
PARQUET_EXT = (".parquet",)
HTML_EXT = (".html", ".htm", ".xhtml")
TXT_EXT = (".txt",)
WARC_EXT = (".warc", ".warc.gz")
ALL_EXT = JSONL_EXT + PARQUET_EXT + HTML_EXT + TXT_EXT + WARC_EXT
_SNIFF = 8192


class InputError(ValueError):
    """An input path problem that stops the run before it starts (nothing to read)."""


def detect_format(path: str) -> str:
    """jsonl, parquet, html, txt or warc from the file name."""
    name = path.lower()
    for fmt, exts in (("jsonl", JSONL_EXT), ("parquet", PARQUET_EXT), ("html", HTML_EXT), ("txt", TXT_EXT), ("warc", WARC_EXT)):
        if name.endswith(exts):
            return fmt
    return "unknown"


def _expand_remote(url: str, *, recursive: bool, fmt: str) -> list[str]:
    """`expand_inputs` of one remote URL: a file, a folder or a glob; URLs back."""
    try:
        storage.check_url(url)
    except storage.StorageError as e:
        raise InputError(str(e)) from None
    if any(ch in url.split("://", 1)[1] for ch in "*?["):
        cut = min(url.index(ch) for ch in "*?[" if ch in url)
        base = url[: url.rindex("/", 0, cut)]
        return storage.listing(base, url[len(base) + 1:])
    if storage.isdir(url):
        found = [str(f) for f in storage.listing(url, "**/*" if recursive else "*")]
        return [f for f in found if fmt != "auto" or f.lower().endswith(ALL_EXT)]
    if storage.isfile(url):
        return [url]
    raise InputError(f"input path not found: {url}")


def expand_inputs(paths: list[str], *, recursive: bool = True, fmt: str = "auto") -> list[str]:
    """Files named by paths, folders and globs (local, or remote fsspec URLs), sorted; raise InputError naming
    what matched nothing."""
    files: list[str] = []
    for p in paths:
        if storage.is_url(p):
            matched = _expand_remote(p, recursive=recursive, fmt=fmt)
        elif any(ch in p for ch in "*?["):
            matched = sorted(glob.glob(p, recursive=recursive))
        elif os.path.isdir(p):
            pattern = "**/*" if recursive else "*"
            matched = sorted(str(f) for f in Path(p).glob(pattern) if f.is_file())
            matched = [f for f in matched if fmt != "auto" or f.lower().endswith(ALL_EXT)]
        elif os.path.isfile(p):
            matched = [p]
        else:
            raise InputError(f"input path not found: {p}")
        if not matched:
            raise InputError(f"no input files in {p} (looked for {', '.join(ALL_EXT)})")
        files.extend(matched)
    return sorted(dict.fromkeys(f if storage.is_url(f) else os.path.abspath(f) for f in files))


def _error_doc(code: str, source: str, line: int | None, detail: str, snippet: bytes | str = b"") -> Document:
    if isinstance(snippet, bytes):
        snippet = snippet[:200].decode("utf-8", "replace")
    where = f"{source}:{line}" if line is not None else source
    logger.warning(f"{where}: {code}: {detail}")
    meta = {"_error": code, "error_detail": detail, "source": source, "snippet": snippet[:200]}
    if line is not None:
        meta["line"] = line
    return Document(text="", id=where, metadata=meta)


def looks_binary(head: bytes) -> bool:
    """NUL bytes or mostly control bytes in the first block: not a text file."""
    if not head:
        return False
    if b"\x00" in head:
        return True
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    return ctrl / len(head) > 0.1


def _decode_line(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        from wenforge.pipeline.steps.decode import decode_bytes

        return decode_bytes(raw).text


class CorpusReader(BaseReader):
    """Reads JSONL (plain/.gz/.zst), Parquet, HTML/TXT files and WARC; shards files across tasks."""

    name = "📖 wenforge reader"

    def __init__(
        self,
        files: list[str],
        *,
        fmt: str = "auto",
        text_field: str = "text",
        id_field: str = "id",
        max_file_bytes: int = 64 * 1024 * 1024,
        limit: int = -1,
    ):
        super().__init__(limit=limit, text_key=text_field, id_key=id_field)
        self.files = list(files)
        self.fmt = fmt
        self.max_file_bytes = max_file_bytes

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        if data:
            yield from data
        n = 0
        for path in self.files[rank::world_size]:
            for doc in self.read_file(path):
                self.stat_update("documents")
                if doc.metadata.get("_error"):
                    self.stat_update(f"error_{doc.metadata['_error']}")
                yield doc
                n += 1
                if self.limit != -1 and n >= self.limit:
                    return

    def read_file(self, path: str) -> Iterator[Document]:
        fmt = self.fmt if self.fmt != "auto" else detect_format(path)
        try:
            size = storage.size(path)
        except OSError as e:
            yield _error_doc(R.UNREADABLE_FILE, path, None, str(e))
            return
        if size == 0:
            yield _error_doc(R.EMPTY_FILE, path, None, "the file is empty")
            return
        try:
            if fmt == "jsonl":
                yield from self._read_jsonl(path)
            elif fmt == "parquet":
                yield from self._read_parquet(path)
            elif fmt in ("html", "txt"):
                yield from self._read_raw_file(path, fmt, size)
            elif fmt == "warc":
                yield from self._read_warc(path)
            else:
                yield _error_doc(R.UNKNOWN_FORMAT, path, None, "unknown file type (set input.format)")
        except (OSError, EOFError, ValueError) as e:
            # corrupt compressed stream, truncated parquet, ...: the rest of the file is unreadable
            yield _error_doc(R.UNREADABLE_FILE, path, None, f"{type(e).__name__}: {e}")

    # -- JSONL -------------------------------------------------------------------------------------
    def _read_jsonl(self, path: str) -> Iterator[Document]:
        with open_binary(path) as raw:
            f = io.BufferedReader(raw) if not isinstance(raw, io.BufferedReader) else raw
            head = f.peek(_SNIFF)[:_SNIFF]
            if not head:
                yield _error_doc(R.EMPTY_FILE, path, None, "no data after decompression")
                return
            if looks_binary(head):
                yield _error_doc(R.BINARY_FILE, path, None, "binary content, not JSON lines", head[:64])
                return
            for lineno, line in enumerate(f, start=1):
                if not line.strip():
                    continue
                row, reason = parse_line(line)
                if row is None:  # a line in a legacy encoding (GBK, Big5) inside a UTF-8 file: decode it alone
                    row, reason = parse_line(_decode_line(line))
                if row is None:
                    yield _error_doc(R.MALFORMED_JSON, path, lineno, reason, line)
                    continue
                yield self._row_doc(row, path, lineno)

    def _row_doc(self, row: dict, path: str, lineno: int) -> Document:
        text = row.pop(self.text_key, None)
        if not isinstance(text, str):
            detail = (
                f"no `{self.text_key}` field (keys: {', '.join(list(row)[:8])})"
                if text is None
                else f"`{self.text_key}` is {type(text).__name__}, not a string"
            )
            return _error_doc(R.MISSING_TEXT, path, lineno, detail)
        doc_id = row.pop(self.id_key, None)
        meta = row.pop("metadata", None)
        metadata = dict(meta) if isinstance(meta, dict) else {}
        metadata.update({k: v for k, v in row.items() if k != "media"})
        metadata["source"] = path
        metadata["line"] = lineno
        return Document(text=text, id=str(doc_id) if doc_id is not None else f"{path}:{lineno}", metadata=metadata)

    # -- Parquet -----------------------------------------------------------------------------------
    def _read_parquet(self, path: str) -> Iterator[Document]:
        import pyarrow.parquet as pq

        with storage.open_file(path) as f:
            names = pq.read_schema(f).names
        if self.text_key not in names:
            detail = f"no `{self.text_key}` column (columns: {', '.join(names[:8])})"
            for i in range(count_rows(path)):
                yield _error_doc(R.MISSING_TEXT, path, i + 1, detail)
            return
        for line in read_parquet(path):
            yield self._row_doc(line.row, path, line.lineno)

    # -- raw files ---------------------------------------------------------------------------------
    def _read_raw_file(self, path: str, fmt: str, size: int) -> Iterator[Document]:
        if size > self.max_file_bytes:
            yield _error_doc(R.TOO_LARGE, path, None, f"{size} bytes > limits.max_file_bytes={self.max_file_bytes}")
            return
        with storage.open_file(path) as f:
            raw = f.read()
        yield Document(
            text="",
            id=path if storage.is_url(path) else os.path.relpath(path),
            metadata={"_raw": raw, "source": path, "content_type": "text/html" if fmt == "html" else "text/plain"},
        )

    # -- WARC --------------------------------------------------------------------------------------
    def _read_warc(self, path: str) -> Iterator[Document]:
        from warcio.archiveiterator import ArchiveIterator

        with storage.open_file(path) as f:
            for i, record in enumerate(ArchiveIterator(f), start=1):
                if record.rec_type not in ("response", "resource"):
                    continue
                ctype = (record.http_headers.get_header("Content-Type") if record.http_headers else None) or (
                    record.rec_headers.get_header("Content-Type") or ""
                )
                if ctype and not any(t in ctype.lower() for t in ("html", "text")):
                    continue  # images, PDFs and other non-text payloads are not documents
                rid = record.rec_headers.get_header("WARC-Record-ID") or f"{path}#{i}"
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                raw = record.content_stream().read(self.max_file_bytes + 1)
                if len(raw) > self.max_file_bytes:
                    yield _error_doc(R.TOO_LARGE, path, i, f"record {rid} over limits.max_file_bytes")
                    continue
                charset = None
                if "charset=" in ctype.lower():
                    charset = ctype.lower().split("charset=")[-1].split(";")[0].strip() or None
                yield Document(
                    text="",
                    id=rid,
                    metadata={
                        "_raw": raw,
                        "_declared_charset": charset,
                        "source": path,
                        "line": i,
                        "url": url,
                        "content_type": "text/html" if "html" in ctype.lower() or not ctype else "text/plain",
                    },
                )
