"""A persistent response cache keyed by the exact request, so a rerun never pays for a request twice.

SQLite in WAL mode. Reads happen on the caller's thread; writes go through one writer thread that
commits in groups (everything queued while the previous commit ran goes into the next one), with
`synchronous=FULL` so a committed response survives a kill or a power cut. A response is only lost if
the process dies between receiving it and the commit that follows (milliseconds), exactly like a
request still in flight.
"""

from __future__ import annotations

import hashlib
import json
import queue
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any, Self

_SCHEMA = """
CREATE TABLE IF NOT EXISTS responses (
    key TEXT PRIMARY KEY,
    request TEXT NOT NULL,
    response TEXT NOT NULL,
    created REAL NOT NULL
)
"""


def request_key(body: dict[str, Any], salt: int | str | None = None) -> str:
    """sha256 of the canonical JSON of the request body (model, messages, sampling params, extra body).

    `salt` distinguishes otherwise identical requests (the i-th of n single-sample requests). The
    endpoint URL and the API key are not part of the key: the same request to the same model name
    on another host is the same request.
    """
    payload = {"body": body, "salt": salt}
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ResponseCache:
    def __init__(self, folder: str | Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.path = self.folder / "responses.sqlite"
        self._read = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._read.execute("PRAGMA journal_mode=WAL")
        self._read.execute(_SCHEMA)
        self._queue: queue.Queue = queue.Queue()
        self._error: BaseException | None = None
        self._pending = 0
        self._lock = threading.Condition()
        self.commits = 0
        self.writes = 0
        self._writer = threading.Thread(target=self._write_loop, name="distill-cache-writer", daemon=True)
        self._writer.start()

    # -- reads --------------------------------------------------------------------------------
    def get(self, key: str) -> dict[str, Any] | None:
        row = self._read.execute("SELECT response FROM responses WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else None

    def __len__(self) -> int:
        return self._read.execute("SELECT COUNT(*) FROM responses").fetchone()[0]

    # -- writes -------------------------------------------------------------------------------
    def put(self, key: str, request: dict[str, Any], response: dict[str, Any]) -> None:
        if self._error:
            raise RuntimeError(f"response cache {self.path} failed: {self._error}") from self._error
        item = (
            key,
            json.dumps(request, ensure_ascii=False, sort_keys=True),
            json.dumps(response, ensure_ascii=False),
            time.time(),
        )
        with self._lock:
            self._pending += 1
        self._queue.put(item)

    def _write_loop(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        while True:
            item = self._queue.get()
            if item is None:
                break
            batch = [item]
            stop = False
            while True:
                try:
                    nxt = self._queue.get_nowait()
                except queue.Empty:
                    break
                if nxt is None:
                    stop = True
                    break
                batch.append(nxt)
            try:
                conn.execute("BEGIN")
                conn.executemany("INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?)", batch)
                conn.execute("COMMIT")
                self.commits += 1
                self.writes += len(batch)
            except BaseException as e:  # noqa: BLE001 - surfaced on the next put/flush
                self._error = e
            with self._lock:
                self._pending -= len(batch)
                self._lock.notify_all()
            if stop:
                break
        conn.close()

    def flush(self, timeout: float = 60.0) -> None:
        """Block until every put so far is committed."""
        with self._lock:
            self._lock.wait_for(lambda: self._pending == 0, timeout=timeout)
        if self._error:
            raise RuntimeError(f"response cache {self.path} failed: {self._error}") from self._error

    def close(self) -> None:
        self.flush()
        self._queue.put(None)
        self._writer.join(timeout=10)
        self._read.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
