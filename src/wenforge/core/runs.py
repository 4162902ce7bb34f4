"""Writing command outputs safely (never onto an input, never half-written) and the one stats.json record.

What: `refuse_overwrite` raises `OutputError` when an output path is one of the inputs or lies inside an input
folder; `atomic_output` writes to a temporary file beside the target and renames it into place only when
the block finishes, so a killed or failed command leaves the previous file (or none) instead of a truncated one.

Why: `clean`, `style`, `detect` and `mix` opened their outputs before reading their inputs; `-o` equal to the
input emptied it, and a kill left a partial file that looked complete.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from wenforge.core import storage


class OutputError(ValueError):
    """An output path that would overwrite or sit inside an input."""


def refuse_overwrite(output: str | Path, *inputs: str | Path | None) -> None:
    """Raise `OutputError` if `output` is an input file, or inside an input folder (it would be read back);
    remote URLs are compared as written."""
    if storage.is_url(output) or any(storage.is_url(i) for i in inputs if i is not None):
        out_url = str(output).rstrip("/")
        for item in inputs:
            if item is not None and out_url == str(item).rstrip("/"):
                raise OutputError(f"{output}: the output is the input file; write to another path")
            if item is not None and out_url.startswith(str(item).rstrip("/") + "/"):
                raise OutputError(f"{output}: the output is inside the input folder {item}; it would be read as input")
        return
    out = Path(output).resolve()
    for item in inputs:
        if item is None:
            continue
        src = Path(item).resolve()
        if out == src:
            raise OutputError(f"{output}: the output is the input file; write to another path")
        if src.is_dir() and src in out.parents:
            raise OutputError(f"{output}: the output is inside the input folder {item}; it would be read as input")


@contextlib.contextmanager
def atomic_output(path: str | Path, mode: str = "wb") -> Iterator[IO]:
    """Open a temporary file beside `path`; rename it to `path` when the block ends without an exception.
    A remote URL is written to a local temporary file, then uploaded whole (`storage.write_bytes`)."""
    if storage.is_url(path):
        with tempfile.TemporaryDirectory(prefix="wenforge-upload-") as tmp:
            local = Path(tmp) / "out"
            with atomic_output(local, mode) as f:
                yield f
            storage.write_bytes(str(path), local.read_bytes())
        return
    path = Path(path)
    if path.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder; the output must be a file path", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    encoding = None if "b" in mode else "utf-8"
    f = open(tmp, mode, encoding=encoding)  # noqa: SIM115 - closed below, before the rename
    try:
        yield f
        f.flush()
        os.fsync(f.fileno())
        f.close()
        os.replace(tmp, path)
    except BaseException:
        f.close()
        tmp.unlink(missing_ok=True)
        raise


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def die_with_parent() -> None:
    """In a child process: ask Linux to send SIGTERM when the parent dies (SIGKILL of the command included), so
    a killed command leaves no worker running. No-op where prctl is missing."""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


# stats.json: one schema for every command that writes a run folder. The shared keys come first; a command adds
# its own details after them (the mixture's labels, the trainer's losses, the teacher client's retries).
STATS_SCHEMA = "wenforge.stats/1"


def versions(*packages: str) -> dict[str, str]:
    """Python's version and the installed versions of wenforge and `packages` (for the record of a run)."""
    import platform
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("wenforge", *packages):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def run_stats(command: str, *, read: int, kept: int, excluded: dict[str, int], seconds: float,
              config: dict[str, Any], packages: tuple[str, ...] = (), **details: Any) -> dict[str, Any]:
    """The stats.json record of a run: rows read, kept and excluded (with each reason's count and meaning),
    whether nothing was lost (read == kept + excluded), time, versions and the resolved config, then `details`."""
    from wenforge.core.reasons import describe

    n_excluded = sum(excluded.values())
    return {
        "schema": STATS_SCHEMA,
        "command": command,
        "rows": {"read": read, "kept": kept, "excluded": n_excluded},
        "conserved": read == kept + n_excluded,
        "excluded": dict(sorted(excluded.items())),
        "reasons": {code: describe(code) for code in sorted(excluded)},
        "seconds": round(seconds, 3),
        "versions": versions(*packages),
        "config": config,
        **details,
    }


def write_stats(run_dir: str | Path, stats: dict[str, Any]) -> Path | str:
    """Write `stats` (from `run_stats`) to RUN_DIR/stats.json atomically; refuses a record of another schema."""
    if stats.get("schema") != STATS_SCHEMA:
        raise ValueError(f"stats for {run_dir} were not built by run_stats (schema {stats.get('schema')!r})")
    import json

    path = storage.join(run_dir, "stats.json")
    with atomic_output(path, "w") as f:
        f.write(json.dumps(stats, ensure_ascii=False, indent=2, default=str))
    return path
