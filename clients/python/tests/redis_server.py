"""A real redis-server for the Python tests that need one: on a free loopback port, no
persistence, its own temporary directory; stopped by ``stop()``."""
import shutil
import socket
import subprocess
import tempfile
import time
from typing import Optional

import redis


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class RedisServer:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = "redis://127.0.0.1:%d" % self.port
        self._dir = ""
        self._proc: Optional["subprocess.Popen[bytes]"] = None

    def start(self, timeout_s: float = 30) -> "RedisServer":
        self._dir = tempfile.mkdtemp(prefix="requeue-py-redis-")
        self._proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self._dir],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout_s
        probe = redis.Redis.from_url(self.url, socket_timeout=1)
        while True:
            try:
                probe.ping()
                break
            except redis.exceptions.ConnectionError:
                if self._proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server on port %d did not answer PING" % self.port)
                time.sleep(0.05)
        probe.close()
        return self

    def stop(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        if self._dir:
            shutil.rmtree(self._dir, ignore_errors=True)


class SilentServer:
    """A socket that accepts connections and never answers: every call to it times out."""

    def __init__(self) -> None:
        self._sock = socket.socket()
        self._sock.bind(("127.0.0.1", 0))
        self._sock.listen(16)
        self.url = "redis://127.0.0.1:%d" % self._sock.getsockname()[1]

    def close(self) -> None:
        self._sock.close()
