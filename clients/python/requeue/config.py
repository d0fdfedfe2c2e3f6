"""Settings from the same environment variables as lib/config.ts, with the same defaults and
the same messages for bad values (``NAME must be an integer >= 0, got "three"``). Only the
variables the queue client reads are parsed here."""
import json
import os
import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Optional, Tuple
from urllib.parse import urlsplit, urlunsplit

from .errors import ConfigError

_INT = re.compile(r"^-?\d+$")
_NUM = re.compile(r"^-?(\d+\.?\d*|\.\d+)$")
_PREFIX = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_MAX_SAFE = 2**53 - 1


def _range(kind: str, lo: float, hi: Optional[float]) -> str:
    return "%s %s" % (kind, ">= %s" % _fmt(lo) if hi is None else "between %s and %s" % (_fmt(lo), _fmt(hi)))


def _fmt(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else str(n)


def _int(lo: int, hi: Optional[int] = None) -> Tuple[str, Callable[[str], object]]:
    def parse(v: str) -> object:
        v = v.strip()
        if not _INT.match(v):
            raise ValueError
        n = int(v)
        if n < lo or n > (_MAX_SAFE if hi is None else hi):
            raise ValueError
        return n

    return _range("an integer", lo, hi), parse


def _num(lo: float, hi: Optional[float] = None) -> Tuple[str, Callable[[str], object]]:
    def parse(v: str) -> object:
        v = v.strip()
        if not _NUM.match(v):
            raise ValueError
        n = float(v)
        if n < lo or (hi is not None and n > hi):
            raise ValueError
        return n

    return _range("a number", lo, hi), parse


def _bool() -> Tuple[str, Callable[[str], object]]:
    def parse(v: str) -> object:
        v = v.strip().lower()
        if v not in ("true", "false", "1", "0", "yes", "no"):
            raise ValueError
        return v in ("true", "1", "yes")

    return "true or false", parse


def _url() -> Tuple[str, Callable[[str], object]]:
    def parse(v: str) -> object:
        v = v.strip()
        if urlsplit(v).scheme not in ("redis", "rediss"):
            raise ValueError
        return v

    return "a URL starting with redis:// or rediss://", parse


def _prefix() -> Tuple[str, Callable[[str], object]]:
    def parse(v: str) -> object:
        if not _PREFIX.match(v):
            raise ValueError
        return v

    return "letters, digits, '-' or '_' (1-32 characters)", parse


_HOSTS = re.compile(r"^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*\Z")


def _hosts() -> Tuple[str, Callable[[str], object]]:
    """"host:port,host:port" -> [(host, port)] (lib/config.ts hostList)."""
    def parse(v: str) -> object:
        v = v.strip()
        if len(v) > 10_000 or not _HOSTS.match(v):
            raise ValueError
        return [(hp.rsplit(":", 1)[0], int(hp.rsplit(":", 1)[1])) for hp in v.split(",")]

    return 'a comma-separated list of host:port, e.g. "10.0.0.1:26379,10.0.0.2:26379"', parse


def _str() -> Tuple[str, Callable[[str], object]]:
    return "a string", str


def redact_url(url: str) -> str:
    """A Redis URL as it may be shown: its password as ***."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        netloc = parts.netloc.rsplit("@", 1)
        user = netloc[0].split(":", 1)[0]
        return urlunsplit(parts._replace(netloc="%s:***@%s" % (user, netloc[1])))
    except ValueError:
        return url


def _js_quote(v: str) -> str:
    return json.dumps(v, ensure_ascii=False)


# name → (default (None: unset), (expected, parse), show)
_SPEC: "Spec" = {
    "REDIS_URL": ("redis://127.0.0.1:6379", _url(), lambda v: _js_quote(redact_url(v))),
    "REDIS_SENTINELS": (None, _hosts(), _js_quote),
    "REDIS_SENTINEL_NAME": ("mymaster", _str(), _js_quote),
    "REDIS_CLUSTER_NODES": (None, _hosts(), _js_quote),
    "REDIS_KEY_PREFIX": ("rq", _prefix(), _js_quote),
    "REDIS_CONNECT_TIMEOUT_MS": ("5000", _int(100), _js_quote),
    "REDIS_TLS_CA_FILE": (None, _str(), _js_quote),
    "REDIS_TLS_INSECURE": ("false", _bool(), _js_quote),
    "MAX_RETRY_ATTEMPTS": ("3", _int(0, 1000), _js_quote),
    "RETRY_BACKOFF_BASE_SECONDS": ("60", _num(0), _js_quote),
    "RETRY_BACKOFF_MAX_SECONDS": ("3600", _num(0), _js_quote),
    "DLQ_RETENTION_DAYS": ("7", _num(0), _js_quote),
    "DLQ_MAX_ENTRIES": ("0", _int(0), _js_quote),
    "JOB_MAX_PAYLOAD_BYTES": (str(512 * 1024), _int(1), _js_quote),
    "JOB_ADD_REPLICAS": ("0", _int(0, 16), _js_quote),
    "JOB_ADD_REPLICAS_TIMEOUT_MS": ("1000", _int(1, 60_000), _js_quote),
    "JOB_ADD_TIMEOUT_MS": ("5000", _int(0, 600_000), _js_quote),
    "JOB_LEASE_SECONDS": ("30", _num(1), _js_quote),
    "JOB_TIMEOUT_SECONDS": ("300", _num(0), _js_quote),
    "COMPLETED_MAX_ENTRIES": ("10000", _int(0), _js_quote),
    "COMPLETED_KEEP_PAYLOAD": ("false", _bool(), _js_quote),
    "ERROR_MESSAGE_MAX_LENGTH": ("2000", _int(100, 8000), _js_quote),
    "JOB_LOG_MAX_LINES": ("100", _int(0, 1000), _js_quote),
    "JOB_LOG_MAX_LINE_BYTES": ("1024", _int(64, 8000), _js_quote),
    "JOB_PROGRESS_MAX_BYTES": ("1024", _int(64, 8000), _js_quote),
}


def _round(x: float) -> int:
    """JavaScript's Math.round (halves go up), not Python's banker's rounding."""
    import math

    return int(math.floor(x + 0.5))


@dataclass(frozen=True)
class Settings:
    """What lib/queue/job.ts queueSettings derives, in ms where the variables say seconds."""

    redis_url: str
    prefix: str
    max_attempts: int
    backoff_base_ms: int
    backoff_max_ms: int
    max_payload_bytes: int
    lease_ms: int
    job_timeout_ms: int
    error_message_max: int
    dlq_retention_ms: int
    dlq_max_entries: int
    completed_max_entries: int
    completed_keep_payload: bool
    log_max_lines: int
    log_line_max_bytes: int
    progress_max_bytes: int
    # connections (requeue.connection) and the producer's bounds, with lib/config.ts's defaults
    sentinels: Optional[List[Tuple[str, int]]] = None
    sentinel_name: str = "mymaster"
    cluster_nodes: Optional[List[Tuple[str, int]]] = None
    connect_timeout_ms: int = 5000
    tls_ca_file: Optional[str] = None
    tls_insecure: bool = False
    add_replicas: int = 0
    add_replicas_timeout_ms: int = 1000
    add_timeout_ms: int = 5000


# what chooses and reaches a server (requeue/connection.py): the queue and the cache read them alike
CONNECTION_VARS = ("REDIS_URL", "REDIS_SENTINELS", "REDIS_SENTINEL_NAME", "REDIS_CLUSTER_NODES", "REDIS_KEY_PREFIX",
                   "REDIS_CONNECT_TIMEOUT_MS", "REDIS_TLS_CA_FILE", "REDIS_TLS_INSECURE")


def connection_fields(out: Mapping[str, object]) -> Dict[str, Any]:
    """The settings' connection fields from parsed CONNECTION_VARS."""
    return {
        "redis_url": str(out["REDIS_URL"]),
        "prefix": str(out["REDIS_KEY_PREFIX"]),
        "sentinels": out["REDIS_SENTINELS"],
        "sentinel_name": str(out["REDIS_SENTINEL_NAME"]),
        "cluster_nodes": out["REDIS_CLUSTER_NODES"],
        "connect_timeout_ms": int(out["REDIS_CONNECT_TIMEOUT_MS"]),  # type: ignore[call-overload]
        "tls_ca_file": out["REDIS_TLS_CA_FILE"],
        "tls_insecure": bool(out["REDIS_TLS_INSECURE"]),
    }


def load_settings(env: Optional[Mapping[str, str]] = None) -> Settings:
    """Parses the environment; raises ConfigError listing every bad variable."""
    out = parse_env(_SPEC, env)
    return Settings(
        max_attempts=max(1, int(out["MAX_RETRY_ATTEMPTS"])),  # type: ignore[arg-type]
        backoff_base_ms=_round(float(out["RETRY_BACKOFF_BASE_SECONDS"]) * 1000),  # type: ignore[arg-type]
        backoff_max_ms=_round(float(out["RETRY_BACKOFF_MAX_SECONDS"]) * 1000),  # type: ignore[arg-type]
        max_payload_bytes=int(out["JOB_MAX_PAYLOAD_BYTES"]),  # type: ignore[arg-type]
        lease_ms=_round(float(out["JOB_LEASE_SECONDS"]) * 1000),  # type: ignore[arg-type]
        job_timeout_ms=_round(float(out["JOB_TIMEOUT_SECONDS"]) * 1000),  # type: ignore[arg-type]
        error_message_max=int(out["ERROR_MESSAGE_MAX_LENGTH"]),  # type: ignore[arg-type]
        dlq_retention_ms=_round(float(out["DLQ_RETENTION_DAYS"]) * 86_400_000),  # type: ignore[arg-type]
        dlq_max_entries=int(out["DLQ_MAX_ENTRIES"]),  # type: ignore[arg-type]
        completed_max_entries=int(out["COMPLETED_MAX_ENTRIES"]),  # type: ignore[arg-type]
        completed_keep_payload=bool(out["COMPLETED_KEEP_PAYLOAD"]),
        log_max_lines=int(out["JOB_LOG_MAX_LINES"]),  # type: ignore[arg-type]
        log_line_max_bytes=int(out["JOB_LOG_MAX_LINE_BYTES"]),  # type: ignore[arg-type]
        progress_max_bytes=int(out["JOB_PROGRESS_MAX_BYTES"]),  # type: ignore[arg-type]
        **connection_fields(out),
        add_replicas=int(out["JOB_ADD_REPLICAS"]),  # type: ignore[arg-type]
        add_replicas_timeout_ms=int(out["JOB_ADD_REPLICAS_TIMEOUT_MS"]),  # type: ignore[arg-type]
        add_timeout_ms=int(out["JOB_ADD_TIMEOUT_MS"]),  # type: ignore[arg-type]
    )


Spec = Dict[str, Tuple[Optional[str], Tuple[str, Callable[[str], object]], Callable[[str], str]]]


def parse_env(spec: Spec, env: Optional[Mapping[str, str]] = None) -> Dict[str, object]:
    """Each variable of ``spec`` parsed (its default when unset or empty; None when it has no
    default); raises ConfigError listing every bad one. The queue's settings and the cache's
    (requeue/cache_config.py) both use it, so the connection variables read the same."""
    env = os.environ if env is None else env
    out: Dict[str, object] = {}
    problems: List[str] = []
    for name, (default, (expected, parse), show) in spec.items():
        raw = env.get(name)
        value = default if raw is None or raw == "" else raw
        if value is None:
            out[name] = None
            continue
        try:
            out[name] = parse(value)
        except ValueError:
            problems.append("%s must be %s, got %s" % (name, expected, show(value)))
    if out.get("REDIS_SENTINELS") and out.get("REDIS_CLUSTER_NODES"):
        problems.append("REDIS_SENTINELS and REDIS_CLUSTER_NODES must not both be set: choose Sentinel or Cluster")
    if problems:
        raise ConfigError(problems)
    return out
