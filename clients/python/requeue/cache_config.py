"""The cache's settings: the CACHE_* variables of lib/config.ts, with the same defaults and the
same messages for bad values, plus the connection variables the queue reads (REDIS_URL,
REDIS_SENTINELS, REDIS_CLUSTER_NODES, TLS, ...: requeue/config.py CONNECTION_VARS)."""
from dataclasses import dataclass
from typing import Callable, Dict, List, Mapping, Optional, Tuple

from .config import _SPEC, CONNECTION_VARS, Spec, _bool, _int, _js_quote, connection_fields, parse_env

DEFAULT_SECRET_FIELDS = "password,passwd,token,secret,apiKey,api_key,accessToken,refreshToken,privateKey"


def _list() -> Tuple[str, Callable[[str], object]]:
    return "a comma-separated list", lambda v: [s.strip() for s in v.split(",") if s.strip()]


_CACHE_SPEC: Spec = {
    **{name: _SPEC[name] for name in CONNECTION_VARS},
    "CACHE_ENABLED": ("true", _bool(), _js_quote),
    "CACHE_DEFAULT_TTL": ("300", _int(1), _js_quote),
    "CACHE_USER_TTL": ("900", _int(1), _js_quote),
    "CACHE_JOB_STATUS_TTL": ("5", _int(1), _js_quote),
    "CACHE_DOCUMENT_TTL": ("3600", _int(1), _js_quote),
    "CACHE_VECTOR_SEARCH_TTL": ("1800", _int(1), _js_quote),
    "CACHE_GRAPH_TTL": ("600", _int(1), _js_quote),
    "CACHE_TIMEOUT_MS": ("50", _int(1), _js_quote),
    "CACHE_COMPRESS_THRESHOLD_BYTES": ("8192", _int(0), _js_quote),
    "CACHE_SECRET_FIELDS": (DEFAULT_SECRET_FIELDS, _list(), _js_quote),
    "CACHE_STALE_GRACE_SECONDS": ("0", _int(0), _js_quote),
    "CACHE_LOCK_MS": ("2000", _int(1), _js_quote),
    "CACHE_LOCK_WAIT_MS": ("200", _int(0), _js_quote),
    "CACHE_BREAKER_FAILURES": ("5", _int(1), _js_quote),
    "CACHE_BREAKER_RESET_MS": ("10000", _int(1), _js_quote),
    "CACHE_STATS_FLUSH_MS": ("1000", _int(10), _js_quote),
}


@dataclass(frozen=True)
class NamespaceSettings:
    """lib/cache/runtime.ts NamespaceSettings (no near cache in Python)."""

    ttl: int
    grace: int = 0
    lock: bool = False
    user_scoped: bool = False


@dataclass(frozen=True)
class CacheSettings:
    redis_url: str
    prefix: str
    enabled: bool
    timeout_ms: int
    compress_threshold: int
    secret_fields: Tuple[str, ...]
    grace: int
    lock_ms: int
    lock_wait_ms: int
    breaker_failures: int
    breaker_reset_ms: int
    stats_flush_ms: int
    # the built-in namespaces (lib/cache/cache.ts builtinNamespaces) and their TTLs
    namespaces: Dict[str, NamespaceSettings]
    default_ttl: int
    # where Redis is (requeue/connection.py), as for the queue
    sentinels: Optional[List[Tuple[str, int]]] = None
    sentinel_name: str = "mymaster"
    cluster_nodes: Optional[List[Tuple[str, int]]] = None
    connect_timeout_ms: int = 5000
    tls_ca_file: Optional[str] = None
    tls_insecure: bool = False


def load_cache_settings(env: Optional[Mapping[str, str]] = None) -> CacheSettings:
    """Parses the environment; raises ConfigError listing every bad variable."""
    v = parse_env(_CACHE_SPEC, env)
    grace = int(v["CACHE_STALE_GRACE_SECONDS"])  # type: ignore[arg-type]

    def ns(var: str, user_scoped: bool = False) -> NamespaceSettings:
        return NamespaceSettings(ttl=int(v[var]), grace=grace, user_scoped=user_scoped)  # type: ignore[arg-type]

    return CacheSettings(
        **connection_fields(v),
        enabled=bool(v["CACHE_ENABLED"]),
        timeout_ms=int(v["CACHE_TIMEOUT_MS"]),  # type: ignore[arg-type]
        compress_threshold=int(v["CACHE_COMPRESS_THRESHOLD_BYTES"]),  # type: ignore[arg-type]
        secret_fields=tuple(v["CACHE_SECRET_FIELDS"]),  # type: ignore[arg-type]
        grace=grace,
        lock_ms=int(v["CACHE_LOCK_MS"]),  # type: ignore[arg-type]
        lock_wait_ms=int(v["CACHE_LOCK_WAIT_MS"]),  # type: ignore[arg-type]
        breaker_failures=int(v["CACHE_BREAKER_FAILURES"]),  # type: ignore[arg-type]
        breaker_reset_ms=int(v["CACHE_BREAKER_RESET_MS"]),  # type: ignore[arg-type]
        stats_flush_ms=int(v["CACHE_STATS_FLUSH_MS"]),  # type: ignore[arg-type]
        namespaces={
            "default": ns("CACHE_DEFAULT_TTL"),
            "user": ns("CACHE_USER_TTL", user_scoped=True),
            "job_status": ns("CACHE_JOB_STATUS_TTL"),
            "document": ns("CACHE_DOCUMENT_TTL"),
            "vector_search": ns("CACHE_VECTOR_SEARCH_TTL"),
            "graph": ns("CACHE_GRAPH_TTL"),
        },
        default_ttl=int(v["CACHE_DEFAULT_TTL"]),  # type: ignore[arg-type]
    )
