"""fsspec's SFTP file system with files that behave like fsspec's buffered files, for datatrove.

Why: fsspec's SFTP backend hands out paramiko's own file objects. datatrove's dedup stages read a signature
file's name from `file.path` and its length from `file.size`, which those lack, so exact and MinHash dedup
failed on sftp:// run folders; and they share one SFTP session, on which datatrove's exact dedup, reading six
signature files at once from a thread pool, hung. Here a file opened for reading is an fsspec
`AbstractBufferedFile` (path, size, seek, read-ahead) whose block reads take turns on the session; writes
stay paramiko's (one writer per file). `makedirs` also raced when two workers created the same folders.
Imported only for sftp:// paths (it needs paramiko, the `sftp` extra).
"""

from __future__ import annotations

import threading

from fsspec.implementations.sftp import SFTPFileSystem
from fsspec.spec import AbstractBufferedFile

READ_BLOCK = 4 * 1024 * 1024  # bytes per read request: a signature shard in a few round trips, little memory


class _ReadFile(AbstractBufferedFile):
    """A file on the server read in blocks, one request at a time per file system."""

    def _fetch_range(self, start: int, end: int) -> bytes:
        with self.fs.session_lock, self.fs.ftp.open(self.path, "rb") as f:
            f.seek(start)
            return f.read(end - start)


class SFTPFileSystemWithPaths(SFTPFileSystem):
    """SFTPFileSystem whose files read like fsspec's (`path`, `size`, thread-safe block reads)."""

    def __init__(self, host, **ssh_kwargs):
        super().__init__(host, **ssh_kwargs)
        self.session_lock = threading.Lock()  # serialises read requests (an unpickled copy makes its own)

    def _open(self, path, mode="rb", block_size=None, **kwargs):
        if "r" in mode and "+" not in mode:
            return _ReadFile(self, path, mode="rb", block_size=block_size or READ_BLOCK)
        f = super()._open(path, mode, block_size, **kwargs)
        f.path = path
        return f

    def makedirs(self, path, exist_ok=False, mode=511):
        """fsspec's makedirs (each missing folder of the path, top down), safe when several workers create the
        same folders at once: a mkdir that fails (a bare "Failure" on most servers) is fine when the folder is
        there after all, another worker having made it."""
        if self.exists(path) and not exist_ok:
            raise FileExistsError(f"File exists: {path}")
        prefix = "/" if path.startswith("/") else ""
        for part in filter(None, path.split("/")):
            prefix = f"{prefix}/{part}" if prefix not in ("", "/") else f"{prefix}{part}"
            if self.exists(prefix):
                continue
            try:
                self.ftp.mkdir(prefix, mode)
            except OSError:
                if not self.isdir(prefix):
                    raise
