"""Cache statistics in lib/cache/recorder.ts's format, so the console's cache page shows
Python's hits, misses and latency per namespace next to TypeScript's: each call adds to
in-memory counters of its namespace and UTC minute, and a thread writes them about every
CACHE_STATS_FLUSH_MS in one pipeline (HINCRBY into ``cstats:{ns}:<minute>`` hashes kept 8 days,
the minute in the namespace's ``minutes`` index, the namespace in the registry, this instance's
breaker state). Labels are namespace names only: never a key or a user id."""
import json
import math
import threading
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

import redis

from .cache_keys import CacheKeys, global_cache_keys
from .connection import close, pipe
from .keys import minute_of

STATS_TTL_SECONDS = 8 * 24 * 3600
# lib/cache/histogram.ts: buckets 20 % wider each, from 10 µs; bucket i holds (upper(i-1), upper(i)]
_BASE_US, _FACTOR, BUCKETS = 10.0, 1.2, 80
STATS_WRITE_TIMEOUT_S = 2.0  # the recorder's own bound (lib/cache/recorder.ts), not the per-call one


def bucket_of(us: float) -> int:
    if not us > _BASE_US:
        return 0
    return min(BUCKETS - 1, math.ceil(math.log(us / _BASE_US) / math.log(_FACTOR)))


def _js_round(x: float) -> int:
    return int(math.floor(x + 0.5))


Command = Tuple[Any, ...]


class StatsRecorder:
    def __init__(self, make_client: Callable[[], Any], prefix: str, flush_ms: int,
                 extra: Callable[[], List[Tuple[str, str, str]]] = lambda: [],
                 can_flush: Callable[[], bool] = lambda: True) -> None:
        """``make_client``: the recorder's own client (requeue.connection.retimed), made at the first
        write (a Cluster connects as its client is made), closed by ``stop``."""
        self._make_client = make_client
        self._client: Any = None
        self._prefix, self._flush_s = prefix, flush_ms / 1000
        self._extra, self._can_flush = extra, can_flush
        self._buckets: Dict[Tuple[str, int], Dict[str, float]] = {}
        self._known: set = set()
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: Optional[threading.Thread] = None

    def after_fork(self) -> None:
        """In a forked child: the parent's counts are the parent's to write, its thread did not
        come along, and its locks may have been held at the fork."""
        self._lock, self._write_lock, self._stop = threading.Lock(), threading.Lock(), threading.Event()
        self._buckets = {}
        running, self._thread = self._thread is not None, None
        if running:
            self.start()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="requeue-cache-stats", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self._flush_s):
            self.flush()

    def add(self, namespace: str, counter: str, n: float = 1) -> None:
        key = (namespace, minute_of(time.time() * 1000))
        with self._lock:
            counts = self._buckets.setdefault(key, {})
            counts[counter] = counts.get(counter, 0) + n

    def pending(self, namespace: str, counter: str) -> float:
        """Not yet written: a counter's sum over minutes ("latency": calls in the histogram)."""
        with self._lock:
            return sum(n for (ns, _), counts in self._buckets.items() if ns == namespace
                       for f, n in counts.items() if f == counter or (counter == "latency" and f[0] == "h"))

    def latency(self, namespace: str, ms: float) -> None:
        """One call's latency against Redis."""
        self.add(namespace, "h%d" % bucket_of(ms * 1000))

    def flush(self) -> None:
        """Writes what has accumulated; what could not be written is merged back and retried."""
        with self._write_lock:
            if not self._can_flush():
                return
            with self._lock:
                pending, self._buckets = self._buckets, {}
            if not pending:
                return
            commands: List[Command] = []
            for (namespace, minute), counts in pending.items():
                commands += self._commands(namespace, minute, counts)
            names = global_cache_keys(self._prefix)
            fresh = sorted({ns for ns, _ in pending} - self._known)
            if fresh:
                commands.append(("SADD", names["namespaces"], *fresh))
            for key, field, value in self._extra():
                commands.append(("HSET", key, field, value))
            try:
                # on a Cluster each node gets its share: a namespace's keys are one slot, the
                # registry and breakers keys live in others (lib/cache/recorder.ts does the same)
                if self._client is None:
                    self._client = self._make_client()
                results = pipe(self._client, commands, "")
                failed = next((r for r in results if isinstance(r, Exception)), None)
                if failed is not None:
                    raise failed
                self._known.update(fresh)
            except (redis.exceptions.RedisError, redis.exceptions.RedisClusterException, OSError):
                self._merge_back(pending)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        self.flush()
        if self._client is not None:
            close(self._client)
            self._client = None

    def _commands(self, namespace: str, minute: int, counts: Dict[str, float]) -> List[Command]:
        keys = CacheKeys(namespace, self._prefix)
        key, index = keys.stats(minute), keys.stats_minutes
        cmds: List[Command] = [("HINCRBY", key, f, _js_round(n)) for f, n in counts.items()]
        cmds.append(("EXPIRE", key, STATS_TTL_SECONDS))
        cmds.append(("ZADD", index, minute, str(minute)))
        cmds.append(("ZREMRANGEBYSCORE", index, "-inf", "(%d" % (minute - STATS_TTL_SECONDS // 60)))
        cmds.append(("EXPIRE", index, STATS_TTL_SECONDS))
        return cmds

    def _merge_back(self, pending: Dict[Tuple[str, int], Dict[str, float]]) -> None:
        oldest = minute_of(time.time() * 1000) - 10  # give up on what could not be written for 10 minutes
        with self._lock:
            for key, counts in pending.items():
                if key[1] < oldest:
                    continue
                into = self._buckets.setdefault(key, {})
                for f, n in counts.items():
                    into[f] = into.get(f, 0) + n


def breaker_report(snapshot: Dict[str, Any]) -> str:
    """This instance's line in the breakers hash, as lib/cache/cache.ts writes it."""
    return json.dumps({"state": snapshot["state"], "opens": snapshot["opens"], "at": int(time.time() * 1000)},
                      separators=(",", ":"))
