"""A queue: the producer (add, add_batch: add-6.lua, validated like lib/queue/producer.ts) and
the entry to the consumer (process)."""
import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional

import redis

from .config import Settings, load_settings
from .errors import QueueError
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


def check_options(job_id: Optional[str], delay: Optional[float], max_attempts: Optional[int],
                  metadata: Optional[Mapping[str, Any]], backoff_base: Optional[float]) -> None:
    if job_id is not None:
        if not isinstance(job_id, str) or not 1 <= len(job_id) <= 256:
            raise _bad("jobId must be a string of 1 to 256 characters")
        if _LONE_SURROGATE.search(job_id):
            raise _bad("jobId must be well-formed text (it has a lone UTF-16 surrogate)")
        if _ALL_DIGITS.match(job_id):
            raise _bad('jobId must not be all digits (got "%s"): those are generated ids' % job_id)
    if delay is not None and not (_is_number(delay) and delay >= 0):
        raise _bad("delay must be a number >= 0")
    if max_attempts is not None and not (isinstance(max_attempts, int) and not isinstance(max_attempts, bool)
                                         and max_attempts >= 1):
        raise _bad("maxAttempts must be an integer >= 1")
    if backoff_base is not None and not (_is_number(backoff_base) and backoff_base >= 0):
        raise _bad("backoff.baseMs must be a number >= 0")
    if metadata is not None and not isinstance(metadata, Mapping):
        raise _bad("metadata must be a plain object")


class Queue:
    """A Requeue queue by name. Settings come from the environment (the same variables as the
    TypeScript side) unless given; the client from REDIS_URL unless given."""

    def __init__(self, name: str, client: Optional["redis.Redis[Any]"] = None,
                 settings: Optional[Settings] = None) -> None:
        self.settings = settings or load_settings()
        self.keys = QueueKeys(name, self.settings.prefix)
        self.name = name
        self.client = client or redis.Redis.from_url(self.settings.redis_url, decode_responses=True)
        self._registered = False

    def encode(self, data: Any, job_id: Optional[str] = None, delay: Optional[float] = None,
               max_attempts: Optional[int] = None, metadata: Optional[Mapping[str, Any]] = None,
               backoff: Optional[Mapping[str, Any]] = None) -> List[Any]:
        """The 7 ARGV entries of add-6.lua for one job. ``delay`` and backoff times are seconds."""
        backoff = dict(backoff or {})
        check_options(job_id, delay, max_attempts, metadata, backoff.get("base"))
        s = self.settings
        payload = to_json(data, "payload")
        check_size(payload, s.max_payload_bytes, "payload")
        meta = to_json(dict(metadata), "metadata") if metadata else ""
        check_size(meta, s.max_payload_bytes, "metadata")
        base_ms = max(0, js_round(float(backoff["base"]) * 1000)) if "base" in backoff else s.backoff_base_ms
        if backoff.get("type") == "fixed":
            max_ms = base_ms
        else:
            cap = js_round(float(backoff["max"]) * 1000) if "max" in backoff else s.backoff_max_ms
            max_ms = max(base_ms, cap)
        return [job_id or "", payload, meta, max_attempts if max_attempts is not None else s.max_attempts,
                base_ms, max_ms, js_round((delay or 0) * 1000)]

    def add(self, data: Any, job_id: Optional[str] = None, delay: Optional[float] = None,
            max_attempts: Optional[int] = None, metadata: Optional[Mapping[str, Any]] = None,
            backoff: Optional[Mapping[str, Any]] = None) -> AddResult:
        """Adds one job; validated before anything is written."""
        return self.add_batch([{"data": data, "job_id": job_id, "delay": delay, "max_attempts": max_attempts,
                                "metadata": metadata, "backoff": backoff}])[0]

    def add_batch(self, jobs: Iterable[Dict[str, Any]]) -> List[AddResult]:
        """Adds jobs given as dicts (``data`` and add()'s keyword names): all are validated
        first, then one round trip (chunks of 500 pipelined). Results are in input order."""
        encoded = [self.encode(j.get("data"), **{k: v for k, v in j.items() if k != "data"}) for j in jobs]
        if not encoded:
            return []
        calls = [("add", self.keys.add_keys(), [a for job in encoded[i:i + CHUNK] for a in job])
                 for i in range(0, len(encoded), CHUNK)]
        results: List[AddResult] = []
        for reply in SCRIPTS.pipe(self.client, calls):
            if isinstance(reply, Exception):
                raise QueueError("SCRIPT_FAILED", "add to queue %s: %s" % (self.name, reply))
            for i in range(0, len(reply), 2):
                results.append(AddResult(str(reply[i]), int(reply[i + 1]) == 1))
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
