"""fsspec's SFTP file system with files that carry their `path` and `size`, as fsspec's buffered files do.

Why: datatrove's dedup stages read a signature file's name from `file.path` and its length from `file.size`;
fsspec's SFTP backend hands out paramiko's own file objects, which have neither, so exact and MinHash dedup
failed on sftp:// run folders; and their reads share one SFTP session, which hung when datatrove's exact dedup
read six signature files from a thread pool. Its `makedirs` also raced when two workers created one folder. Imported only for sftp:// paths (it needs paramiko, the `sftp` extra).
"""

from __future__ import annotations

from fsspec.implementations.sftp import SFTPFileSystem


class SFTPFileSystemWithPaths(SFTPFileSystem):
    """SFTPFileSystem whose opened files have `.path` (the path inside the file system) and, when read, `.size`."""

    def _open(self, path, mode="rb", block_size=None, **kwargs):
        if "r" not in mode:
            f = super()._open(path, mode, block_size, **kwargs)
        else:  # a channel of its own: datatrove reads many signature files at once from a thread pool
            channel = self.client.open_sftp()
            f = channel.open(path, mode, bufsize=block_size if block_size else -1)
            f.size = f.stat().st_size
            close = f.close

            def close_with_channel() -> None:
                close()
                channel.close()

            f.close = close_with_channel
        f.path = path
        return f

    def makedirs(self, path, exist_ok=False, mode=511):
        """fsspec's makedirs, safe when several workers create the same folder at once (the loser's mkdir
        fails with a bare "Failure" on most servers, after the folder exists)."""
        try:
            super().makedirs(path, exist_ok=exist_ok, mode=mode)
        except OSError:
            if not (exist_ok and self.isdir(path)):
                raise
