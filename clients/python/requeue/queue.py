"""A queue: the producer (add, add_batch: add-6.lua, validated like lib/queue/producer.ts) and
the entry to the consumer (process)."""
import json
import re
import time
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional

import redis

from .config import Settings, load_settings
from .connection import connect
from .errors import AddTimeoutError, NotReplicatedError, QueueError
from .keys import QueueKeys
from .outcome import js_round
from .scripts import SCRIPTS

CHUNK = 500
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")
_ALL_DIGITS = re.compile(r"^\d+\Z", re.ASCII)


@dataclass(frozen=True)
class AddResult:
    id: str
    added: bool  # False: a job with this id existed, nothing changed


def to_json(value: Any, what: str) -> str:
    """JSON as JSON.stringify writes it (compact, UTF-8 text); NaN and other non-JSON refused."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError) as err:
        raise QueueError("PAYLOAD_NOT_JSON", "%s is not JSON-serialisable: %s" % (what, err)) from None


def check_size(text: str, max_bytes: int, what: str) -> None:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise QueueError("PAYLOAD_TOO_LARGE", "%s is %d bytes, over the limit of %d" % (what, size, max_bytes))


def _bad(msg: str) -> QueueError:
    return QueueError("INVALID_OPTION", msg)


def _is_number(v: Any) -> bool:
    import math

    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def check_options(job_id: Optional[str], delay_ms: Optional[float], max_attempts: Optional[int],
                  metadata: Optional[Mapping[str, Any]], backoff: Optional[Mapping[str, Any]]) -> None:
    if job_id is not None:
        if not isinstance(job_id, str) or not 1 <= len(job_id) <= 256:
            raise _bad("jobId must be a string of 1 to 256 characters")
        if _LONE_SURROGATE.search(job_id):
            raise _bad("jobId must be well-formed text (it has a lone UTF-16 surrogate)")
        if _ALL_DIGITS.match(job_id):
            raise _bad('jobId must not be all digits (got "%s"): those are generated ids' % job_id)
    if delay_ms is not None and not (_is_number(delay_ms) and delay_ms >= 0):
        raise _bad("delayMs must be a number >= 0")
    if max_attempts is not None and not (isinstance(max_attempts, int) and not isinstance(max_attempts, bool)
                                         and max_attempts >= 1):
        raise _bad("maxAttempts must be an integer >= 1")
    if backoff is not None and not (_is_number(backoff.get("base_ms")) and backoff["base_ms"] >= 0):
        raise _bad("backoff.baseMs must be a number >= 0")
    if metadata is not None and not isinstance(metadata, Mapping):
        raise _bad("metadata must be a plain object")


class Queue:
    """A Requeue queue by name. Settings come from the environment (the same variables as the
    TypeScript side) unless given; the client from REDIS_URL, REDIS_SENTINELS or
    REDIS_CLUSTER_NODES (requeue.connection) unless given."""

    def __init__(self, name: str, client: Optional["redis.Redis[Any]"] = None,
                 settings: Optional[Settings] = None) -> None:
        self.settings = settings or load_settings()
        self.keys = QueueKeys(name, self.settings.prefix)
        self.name = name
        self.client = client or connect(self.settings)
        self._registered = False

    def encode(self, data: Any, job_id: Optional[str] = None, delay_ms: Optional[float] = None,
               max_attempts: Optional[int] = None, metadata: Optional[Mapping[str, Any]] = None,
               backoff: Optional[Mapping[str, Any]] = None) -> List[Any]:
        """The 7 ARGV entries of add-6.lua for one job (lib/queue/producer.ts encodeJob).
        Times are milliseconds, as in TypeScript: ``delay_ms``, backoff ``base_ms`` / ``max_ms``."""
        check_options(job_id, delay_ms, max_attempts, metadata, backoff)
        s = self.settings
        payload = to_json(data, "payload")
        check_size(payload, s.max_payload_bytes, "payload")
        meta = to_json(dict(metadata), "metadata") if metadata else ""
        check_size(meta, s.max_payload_bytes, "metadata")
        # lib/queue/retry.ts backoffFields: "fixed" waits base_ms every time; else capped at max_ms
        base_ms = max(0, js_round(backoff["base_ms"])) if backoff else s.backoff_base_ms
        if backoff and backoff.get("type") == "fixed":
            max_ms = base_ms
        else:
            cap = backoff.get("max_ms") if backoff else None
            max_ms = max(base_ms, js_round(cap) if cap is not None else s.backoff_max_ms)
        return [job_id or "", payload, meta, max_attempts if max_attempts is not None else s.max_attempts,
                base_ms, max_ms, js_round(delay_ms or 0)]

    def add(self, data: Any, job_id: Optional[str] = None, delay_ms: Optional[float] = None,
            max_attempts: Optional[int] = None, metadata: Optional[Mapping[str, Any]] = None,
            backoff: Optional[Mapping[str, Any]] = None) -> AddResult:
        """Adds one job; validated before anything is written."""
        return self.add_batch([{"data": data, "job_id": job_id, "delay_ms": delay_ms, "max_attempts": max_attempts,
                                "metadata": metadata, "backoff": backoff}])[0]

    def add_batch(self, jobs: Iterable[Dict[str, Any]]) -> List[AddResult]:
        """Adds jobs given as dicts (``data`` and add()'s keyword names): all are validated
        first, then one round trip (chunks of 500 pipelined, and with JOB_ADD_REPLICAS > 0 a
        WAIT after them). Bounded by JOB_ADD_TIMEOUT_MS like the TypeScript add: AddTimeoutError
        after that long without an answer (the jobs may or may not be stored: add them again
        with the same job ids). Results are in input order."""
        encoded = [self.encode(j.get("data"), **{k: v for k, v in j.items() if k != "data"}) for j in jobs]
        if not encoded:
            return []
        calls = [("add", self.keys.add_keys(), [a for job in encoded[i:i + CHUNK] for a in job])
                 for i in range(0, len(encoded), CHUNK)]
        s = self.settings
        wait = (s.add_replicas, s.add_replicas_timeout_ms) if s.add_replicas > 0 else None
        replies = bounded(lambda: SCRIPTS.pipe(self.client, calls, wait=wait), s.add_timeout_ms,
                          lambda: AddTimeoutError(self.name, s.add_timeout_ms, len(encoded)))
        acked = replies.pop() if wait is not None else None
        results: List[AddResult] = []
        for reply in replies:
            if isinstance(reply, Exception):
                raise QueueError("SCRIPT_FAILED", "add to queue %s: %s" % (self.name, reply))
            for i in range(0, len(reply), 2):
                results.append(AddResult(str(reply[i]), int(reply[i + 1]) == 1))
        if wait is not None:
            if isinstance(acked, Exception):
                raise QueueError("SCRIPT_FAILED", "WAIT after add to %s: %s" % (self.name, acked))
            if int(acked) < s.add_replicas:
                raise NotReplicatedError(results, int(acked), s.add_replicas)
        self.register()
        return results

    def register(self) -> None:
        """Adds the queue to the registry the console lists (after the add, so a refused add
        leaves no trace); once per Queue object, like the TypeScript Queue."""
        if not self._registered:
            self.client.sadd("%s:queues" % self.settings.prefix, self.name)
            self._registered = True

    def process(self, handler: Callable[[Any], Any], concurrency: int = 1, **options: Any) -> None:
        """Runs ``handler(job)`` for each job until SIGTERM/SIGINT or stop(); see consumer.Consumer."""
        from .consumer import Consumer

        self.register()
        Consumer(self, handler, concurrency=concurrency, **options).run()


def bounded(work: Callable[[], Any], timeout_ms: int, timed_out: Callable[[], Exception]) -> Any:
    """``work()`` within ``timeout_ms`` (0: no bound). Redis unreachable: tried again until the
    bound; no answer in time (the client's socket timeout is the bound, requeue.connection):
    ``timed_out()`` is raised. Like lib/queue/producer.ts boundAdd, a timed-out command may still
    be applied later, which is why the error tells to add again with the same ids."""
    if timeout_ms <= 0:
        return work()
    deadline = time.monotonic() + timeout_ms / 1000
    while True:
        try:
            return work()
        except redis.exceptions.TimeoutError:
            raise timed_out() from None
        except redis.exceptions.ConnectionError:
            left = deadline - time.monotonic()
            if left <= 0:
                raise timed_out() from None
            time.sleep(min(0.1, left))
