"""What every namespace of one cache instance shares (lib/cache/runtime.ts): the Redis client
and its scripts, the circuit breaker, the statistics recorder, this process's loads in flight.
``guarded`` is the one door to Redis: breaker check, the per-call deadline, error accounting."""
import atexit
import itertools
import os
import threading
import uuid
import weakref
from concurrent.futures import Future
from typing import Any, Callable, Dict, NamedTuple, Optional, Set, TypeVar

import redis

from .cache_breaker import CircuitBreaker
from .cache_config import CacheSettings, NamespaceSettings, load_cache_settings
from .cache_keys import global_cache_keys
from .cache_stats import STATS_WRITE_TIMEOUT_S, StatsRecorder, breaker_report
from .connection import close, connect, retimed
from .errors import CacheError

T = TypeVar("T")


class Guarded(NamedTuple):
    ok: bool
    value: Any = None
    reason: str = ""  # "bypass" (breaker open) or "error" (failure or timeout)
    error: Optional[BaseException] = None


def unavailable(g: Guarded) -> CacheError:
    """The error a plain call (delete, flush) raises when Redis could not be asked."""
    if g.reason == "bypass":
        return CacheError("CACHE_CIRCUIT_OPEN", "the cache circuit breaker is open: Redis is skipped for now")
    err = CacheError("CACHE_UNAVAILABLE", "the cache call failed or timed out")
    err.__cause__ = g.error
    return err


def cache_client(settings: CacheSettings) -> Any:
    """The cache's own client, from the queue's factory (a single server, Sentinel's master or a
    Cluster, from the same variables): every socket operation bounded by CACHE_TIMEOUT_MS
    (connecting too), no retries, replies as bytes (entries may be gzip)."""
    return connect(settings, decode=False, timeout_ms=settings.timeout_ms, fail_fast=True)


class CacheRuntime:
    def __init__(self, client: Optional["redis.Redis[Any]"] = None, settings: Optional[CacheSettings] = None,
                 stats: bool = True) -> None:
        self.settings = settings or load_cache_settings()
        s = self.settings
        self.owns_client = client is None
        self._client = client
        self._client_lock = threading.Lock()
        self.prefix, self.enabled = s.prefix, s.enabled
        self.instance_id = uuid.uuid4().hex[:12]
        self.breaker = CircuitBreaker(s.breaker_failures, s.breaker_reset_ms)
        breakers_key = global_cache_keys(s.prefix)["breakers"]
        self.recorder = StatsRecorder(
            lambda: retimed(self.client, STATS_WRITE_TIMEOUT_S), s.prefix, s.stats_flush_ms,
            extra=lambda: [(breakers_key, self.instance_id, breaker_report(self.breaker.snapshot()))],
            can_flush=lambda: self.breaker.state != "open",
        )
        self.namespaces: Dict[str, NamespaceSettings] = dict(s.namespaces)
        self.inflight: Dict[str, "Future[Any]"] = {}
        self.inflight_lock = threading.Lock()
        self.refreshing: Set[str] = set()
        self.registered: Set[str] = set()
        self._tokens = itertools.count(1)
        self._closed = False
        if stats:
            self.recorder.start()
        atexit.register(self._at_exit)
        _runtimes.add(self)

    @property
    def client(self) -> Any:
        """Made at first use, inside ``guarded``: a Cluster client connects as it is made, and a
        cache whose Redis is down must still construct (and answer from its loaders)."""
        if self._client is None:
            with self._client_lock:
                if self._client is None:
                    self._client = cache_client(self.settings)
        return self._client

    def token(self) -> str:
        return "%s:%d" % (self.instance_id, next(self._tokens))

    def guarded(self, namespace: str, call: Callable[[], T]) -> Guarded:
        """Runs one Redis call under the breaker and the deadline. Never raises for Redis: an
        open breaker is a bypass, an error or timeout is counted and reported to the breaker."""
        if not self.breaker.allow():
            self.recorder.add(namespace, "bypasses")
            return Guarded(False, reason="bypass")
        try:
            value = call()
        except (redis.exceptions.RedisError, redis.exceptions.RedisClusterException, OSError) as error:
            self.breaker.failure()
            self.recorder.add(namespace, "errors")
            if isinstance(error, redis.exceptions.TimeoutError):
                self.recorder.add(namespace, "timeouts")
            return Guarded(False, reason="error", error=error)
        self.breaker.success()
        return Guarded(True, value)

    def single_flight(self, entry: str, run: Callable[[], T], joined: Callable[["Future[Any]"], T]) -> T:
        """One load of an entry at a time in this process: later callers wait for its result."""
        with self.inflight_lock:
            flight = self.inflight.get(entry)
            mine = flight is None
            if flight is None:
                flight = self.inflight[entry] = Future()
        if not mine:
            return joined(flight)
        try:
            value = run()
            flight.set_result(value)
            return value
        except BaseException as error:
            flight.set_exception(error)
            raise
        finally:
            with self.inflight_lock:
                if self.inflight.get(entry) is flight:
                    del self.inflight[entry]

    def close(self) -> None:
        """A last statistics write, then the client closes (if the runtime made it)."""
        if self._closed:
            return
        self._closed = True
        atexit.unregister(self._at_exit)
        self.recorder.stop()
        if self.owns_client and self._client is not None:
            close(self._client)

    def after_fork(self) -> None:
        """A forked child (a prefork server's worker) is another process: its own instance id,
        no loads in flight, its own statistics thread (redis-py reconnects by itself)."""
        self.instance_id = uuid.uuid4().hex[:12]
        self.inflight_lock = threading.Lock()
        self.inflight = {}
        self.refreshing = set()
        self.breaker._lock = threading.Lock()
        self._client_lock = threading.Lock()
        self.recorder.after_fork()

    def _at_exit(self) -> None:
        try:
            self.close()
        except Exception:  # noqa: BLE001 - nothing to report to at exit
            pass


_runtimes: "weakref.WeakSet[CacheRuntime]" = weakref.WeakSet()


def _after_fork_in_child() -> None:
    global _default_lock
    _default_lock = threading.Lock()
    for rt in list(_runtimes):
        if not rt._closed:
            rt.after_fork()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)

_default: Optional[CacheRuntime] = None
_default_lock = threading.Lock()


def default_runtime() -> CacheRuntime:
    """The process's cache runtime from the environment: one client, breaker and recorder."""
    global _default
    with _default_lock:
        if _default is None or _default._closed:
            _default = CacheRuntime()
        return _default
