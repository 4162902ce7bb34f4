"""A real SFTP server on 127.0.0.1 for the remote-storage tests: paramiko's server side over a local folder.

It speaks the SSH and SFTP protocols on a TCP port, so the code under test goes through fsspec's SFTP file
system, paramiko's client and the network stack exactly as against a remote host; only the disk is local.
Password authentication only; one thread per connection. Run as a script (`python sftp_server.py ROOT`) it
prints its port and serves until its standard input closes: the tests run it in its own process, so the
processes the code under test forks never copy the server's threads and locks.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import paramiko
from paramiko.sftp import SFTP_FAILURE, SFTP_NO_SUCH_FILE, SFTP_OK

USER, PASSWORD = "wenforge", "test-only-password"


def _errno(e: OSError) -> int:
    return paramiko.SFTPServer.convert_errno(e.errno)


class _Handle(paramiko.SFTPHandle):
    def stat(self):
        try:
            return paramiko.SFTPAttributes.from_stat(os.fstat(self.readfile.fileno()))
        except OSError as e:
            return _errno(e)

    def chattr(self, attr):
        return SFTP_OK


class _Files(paramiko.SFTPServerInterface):
    """SFTP requests mapped onto the folder `root` ("/" on the server)."""

    root = Path("/nonexistent")

    def _local(self, path: str) -> Path:
        return self.root / self.canonicalize(path).lstrip("/")

    def canonicalize(self, path: str) -> str:
        return os.path.normpath("/" + path).replace("//", "/")

    def list_folder(self, path):
        try:
            local = self._local(path)
            out = []
            for name in os.listdir(local):
                attr = paramiko.SFTPAttributes.from_stat(os.stat(local / name))
                attr.filename = name
                out.append(attr)
            return out
        except OSError as e:
            return _errno(e)

    def stat(self, path):
        try:
            return paramiko.SFTPAttributes.from_stat(os.stat(self._local(path)))
        except OSError as e:
            return _errno(e)

    lstat = stat

    def open(self, path, flags, attr):
        local = self._local(path)
        try:
            fd = os.open(local, flags | getattr(os, "O_BINARY", 0), 0o644)
        except OSError as e:
            return _errno(e)
        if flags & os.O_WRONLY:
            mode = "ab" if flags & os.O_APPEND else "wb"
        elif flags & os.O_RDWR:
            mode = "a+b" if flags & os.O_APPEND else "r+b"
        else:
            mode = "rb"
        f = os.fdopen(fd, mode)
        handle = _Handle(flags)
        handle.filename = str(local)
        handle.readfile = f
        handle.writefile = f
        return handle

    def remove(self, path):
        try:
            os.remove(self._local(path))
        except OSError as e:
            return _errno(e)
        return SFTP_OK

    def rename(self, oldpath, newpath):
        new = self._local(newpath)
        if new.exists():
            return SFTP_FAILURE  # SFTP v3 rename does not replace (as OpenSSH)
        try:
            os.rename(self._local(oldpath), new)
        except OSError as e:
            return _errno(e)
        return SFTP_OK

    def posix_rename(self, oldpath, newpath):
        try:
            os.replace(self._local(oldpath), self._local(newpath))
        except OSError as e:
            return _errno(e)
        return SFTP_OK

    def mkdir(self, path, attr):
        try:
            os.mkdir(self._local(path))
        except OSError as e:
            return _errno(e)
        return SFTP_OK

    def rmdir(self, path):
        try:
            os.rmdir(self._local(path))
        except OSError as e:
            return _errno(e)
        return SFTP_OK

    def chattr(self, path, attr):
        return SFTP_OK if self._local(path).exists() else SFTP_NO_SUCH_FILE


class _Auth(paramiko.ServerInterface):
    def check_auth_password(self, username, password):
        ok = username == USER and password == PASSWORD
        return paramiko.AUTH_SUCCESSFUL if ok else paramiko.AUTH_FAILED

    def get_allowed_auths(self, username):
        return "password"

    def check_channel_request(self, kind, chanid):
        return paramiko.OPEN_SUCCEEDED if kind == "session" else paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED


@dataclass
class Server:
    root: Path
    port: int

    def url(self, path: str = "") -> str:
        """sftp:// URL of `path` under the served folder (user in the URL, password in the environment)."""
        return f"sftp://{USER}@127.0.0.1:{self.port}/{path.lstrip('/')}"

    @property
    def env(self) -> dict[str, str]:
        """The environment that gives fsspec the password (FSSPEC_SFTP_PASSWORD)."""
        return {"FSSPEC_SFTP_PASSWORD": PASSWORD}


@contextlib.contextmanager
def serve(root: Path) -> Iterator[Server]:
    """An SFTP server over `root` on a free port of 127.0.0.1 until the block ends."""
    key = paramiko.RSAKey.generate(2048)
    files = type("Files", (_Files,), {"root": Path(root)})
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    sock.settimeout(0.2)
    stop = threading.Event()
    transports: list[paramiko.Transport] = []

    def accept() -> None:
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except (TimeoutError, OSError):
                continue
            t = paramiko.Transport(conn)
            t.add_server_key(key)
            t.set_subsystem_handler("sftp", paramiko.SFTPServer, files)
            t.start_server(server=_Auth())
            transports.append(t)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield Server(Path(root), sock.getsockname()[1])
    finally:
        stop.set()
        thread.join(2)
        for t in transports:
            t.close()
        sock.close()


@contextlib.contextmanager
def serve_in_process(root: Path) -> Iterator[Server]:
    """`serve` in a child process (this file run as a script) until the block ends."""
    proc = subprocess.Popen([sys.executable, __file__, str(root)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            text=True)
    try:
        port = int(proc.stdout.readline())
        yield Server(Path(root), port)
    finally:
        proc.stdin.close()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


if __name__ == "__main__":
    with serve(Path(sys.argv[1])) as server:
        print(server.port, flush=True)
        sys.stdin.read()
