"""Local paths and remote fsspec URLs (s3://, sftp://, hf://, gcs://, ...) behind one set of small functions.

What: `is_url` tells a remote URL from a local path; `check_url` refuses a URL whose file system is not installed
or that carries a password; `join` appends path parts to either; `datatrove_folder` is what datatrove's readers,
writers and dedup stages take for a path (so a run's outputs and its resume markers live wherever the user
points); `open_file`, `exists`, `isfile`, `isdir`, `size`, `listing` and `write_bytes` work on both. A local path
keeps going through the local file system unchanged.

Why: datatrove reads and writes every fsspec path; wenforge took local paths only, so a crawl in a bucket had
to be copied to local disk first and results copied back, with resume lost on the way. Credentials come from
the file system's own environment (AWS_* for s3fs, `FSSPEC_<PROTOCOL>_<KEY>` for any fsspec backend), never
from a URL: a URL is written into stats.json and logs.
"""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath
from typing import IO
from urllib.parse import urlsplit

LOCAL_PROTOCOLS = ("file", "local")
# the package that provides a protocol's fsspec file system, for the install hint of a missing one
BACKENDS = {"s3": "s3fs", "s3a": "s3fs", "gs": "gcsfs", "gcs": "gcsfs", "az": "adlfs", "abfs": "adlfs",
            "sftp": "paramiko", "ssh": "paramiko"}


class StorageError(ValueError):
    """A path that cannot be used: unknown or uninstalled file system, or a password inside a URL."""


def is_url(path: str | Path) -> bool:
    """Whether `path` is a remote fsspec URL (`protocol://...`), not a local path (`file://` counts as local)."""
    s = str(path)
    if isinstance(path, Path) or "://" not in s:
        return False
    return s.split("://", 1)[0].lower() not in LOCAL_PROTOCOLS


def check_url(url: str) -> str:
    """`url` back when its file system is installed and it holds no password; StorageError naming the fix else."""
    protocol = url.split("://", 1)[0].lower()
    if urlsplit(url).password:
        raise StorageError(f"{shown(url)}: a password in a URL would be written to stats.json and logs; give it "
                           f"in the environment instead (FSSPEC_{protocol.upper()}_PASSWORD, or AWS_SECRET_ACCESS_KEY "
                           f"for s3)")
    import fsspec

    try:
        fsspec.get_filesystem_class(protocol)
    except (ImportError, ValueError) as e:
        hint = f": pip install {BACKENDS[protocol]}" if protocol in BACKENDS else ""
        raise StorageError(f"{url}: no file system for {protocol}:// is installed{hint} ({e})") from None
    return url


def path_or_url(value: str) -> Path | str:
    """A command-line path: a remote URL kept as written (a Path would fold its `//`), else a Path; the `parser`
    of typer arguments that take either."""
    return value if is_url(value) else Path(value)


def with_suffix(path: str | Path, suffix: str) -> str | Path:
    """`path` with its last suffix replaced by `suffix` (a sibling file: OUT.jsonl -> OUT.html), URL or Path."""
    if not is_url(path):
        return Path(path).with_suffix(suffix)
    head, _, name = str(path).rpartition("/")
    return f"{head}/{PurePosixPath(name).with_suffix(suffix)}"


def shown(url: str) -> str:
    """`url` with any password replaced by `***`, for messages."""
    parts = urlsplit(url)
    if not parts.password:
        return url
    return url.replace(f":{parts.password}@", ":***@", 1)


def join(base: str | Path, *parts: str) -> str | Path:
    """`base` with `parts` appended: a URL string for a URL, a Path for a local path."""
    if is_url(base):
        return "/".join([str(base).rstrip("/"), *(p.strip("/") for p in parts)])
    return Path(base).joinpath(*parts)


def _fs(path: str):
    """(file system, path inside it) of a URL."""
    from fsspec.core import url_to_fs

    return url_to_fs(check_url(path))


def datatrove_folder(path: str | Path):
    """What a datatrove reader, writer or dedup stage takes for `path`: the local path as a string, or a
    DataFolder on the URL's file system (sftp:// on `core.sftp`'s files with paths)."""
    if not is_url(path):
        return str(path)
    from datatrove.io import DataFolder

    fs, inner = _fs(str(path))
    if "sftp" in fs.protocol:
        from wenforge.core.sftp import SFTPFileSystemWithPaths

        fs = SFTPFileSystemWithPaths(**fs.storage_options)
    return DataFolder(inner, fs=fs)


def open_file(path: str | Path, mode: str = "rb") -> IO:
    """`path` opened raw (no decompression), local or remote; text modes are UTF-8."""
    encoding = None if "b" in mode else "utf-8"
    if not is_url(path):
        return open(path, mode, encoding=encoding)
    fs, inner = _fs(str(path))
    if "w" in mode:
        fs.makedirs(fs._parent(inner), exist_ok=True)
    f = fs.open(inner, mode.replace("t", "").replace("b", "") + "b")
    if encoding:
        import io

        return io.TextIOWrapper(f, encoding=encoding)
    return f


def exists(path: str | Path) -> bool:
    """Whether `path` (file or folder) exists."""
    if not is_url(path):
        return os.path.exists(path)
    fs, inner = _fs(str(path))
    return fs.exists(inner)


def isfile(path: str | Path) -> bool:
    """Whether `path` is a file."""
    if not is_url(path):
        return os.path.isfile(path)
    fs, inner = _fs(str(path))
    return fs.isfile(inner)


def isdir(path: str | Path) -> bool:
    """Whether `path` is a folder (a prefix with objects under it, on object stores)."""
    if not is_url(path):
        return os.path.isdir(path)
    fs, inner = _fs(str(path))
    return fs.isdir(inner)


def size(path: str | Path) -> int:
    """Bytes in the file at `path`; OSError when it is missing."""
    if not is_url(path):
        return os.path.getsize(path)
    fs, inner = _fs(str(path))
    try:
        return int(fs.size(inner))
    except FileNotFoundError as e:
        raise OSError(f"{path}: no such file ({e})") from None


def listing(base: str | Path, pattern: str) -> list[str | Path]:
    """Files under `base` matching the glob `pattern` (relative, `**` allowed), sorted, as paths like `base`."""
    if not is_url(base):
        return sorted(p for p in Path(base).glob(pattern) if p.is_file())
    fs, inner = _fs(str(base))
    inner = inner.rstrip("/")
    found = [p for p in fs.glob(f"{inner}/{pattern}") if fs.isfile(p)]
    return sorted(join(base, p[len(inner):].lstrip("/")) for p in found)


def write_bytes(path: str | Path, data: bytes) -> None:
    """Write `data` to a remote `path` whole: uploaded under a temporary name, then moved into place."""
    fs, inner = _fs(str(path))
    fs.makedirs(fs._parent(inner), exist_ok=True)
    tmp = f"{inner}.{os.getpid()}.tmp"
    fs.pipe_file(tmp, data)
    if fs.exists(inner):
        fs.rm_file(inner)  # sftp's rename does not replace a file
    fs.mv(tmp, inner)
