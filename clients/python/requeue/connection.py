"""The one place the package makes a Redis client, chosen by the same variables as
lib/redis/connection.ts: REDIS_CLUSTER_NODES (a Cluster), else REDIS_SENTINELS with
REDIS_SENTINEL_NAME (the master Sentinel names; user, password and db from REDIS_URL), else
REDIS_URL. rediss:// URLs use TLS with REDIS_TLS_CA_FILE / REDIS_TLS_INSECURE.

The queue and the cache both connect here, from the same variables (the cache with bytes
replies and its own bound). Every command has a bound: for the queue JOB_ADD_TIMEOUT_MS is the
socket timeout (an add must not wait on a paused Redis; the consumer's calls are short scripts,
retried when one times out) and REDIS_CONNECT_TIMEOUT_MS bounds a connect; with the bound set to
0, commands wait without end, as in TypeScript. The cache's client is bounded by
CACHE_TIMEOUT_MS throughout, connecting included.

Scripts on a Cluster: redis-py 4.3 refuses EVALSHA in a Cluster pipeline, so ``pipe`` (below)
runs such a pipeline's calls one by one there; every key of a queue shares its ``{queue}`` hash
tag (of a cache namespace, ``{c:<namespace>}``), so each call still goes to that one slot's
master. Plain commands go in a Cluster pipeline, which sends each node its share."""
import ssl
from typing import Any, Dict, List, Optional, Protocol, Sequence, Tuple
from urllib.parse import unquote, urlsplit

import redis
from redis.cluster import ClusterNode, RedisCluster
from redis.sentinel import Sentinel, SentinelManagedSSLConnection


class Target(Protocol):
    """The variables that choose a server: Settings (the queue) and CacheSettings (the cache) both
    carry them, parsed by the same spec (requeue/config.py)."""

    redis_url: str
    sentinels: Optional[List[Tuple[str, int]]]
    sentinel_name: str
    cluster_nodes: Optional[List[Tuple[str, int]]]
    connect_timeout_ms: int
    tls_ca_file: Optional[str]
    tls_insecure: bool


def _url_parts(url: str) -> Dict[str, Any]:
    u = urlsplit(url)
    path = u.path.lstrip("/")
    return {
        "username": unquote(u.username) if u.username else None,
        "password": unquote(u.password) if u.password else None,
        "db": int(path) if path.isdigit() else 0,
        "tls": u.scheme == "rediss",
    }


def _tls(s: Target) -> Dict[str, Any]:
    return {"ssl_ca_certs": s.tls_ca_file, "ssl_cert_reqs": ssl.CERT_NONE if s.tls_insecure else ssl.CERT_REQUIRED}


def connect(s: Target, *, decode: bool = True, timeout_ms: Optional[int] = None, fail_fast: bool = False) -> Any:
    """A new client for these settings: redis.Redis (single server or Sentinel's master) or
    redis.cluster.RedisCluster. Lazy: nothing connects until used. ``decode``: str replies (the
    queue) or bytes (the cache: entries may be gzip). ``timeout_ms`` bounds each command (0: none;
    by default the queue's JOB_ADD_TIMEOUT_MS); connecting and asking the Sentinels take
    REDIS_CONNECT_TIMEOUT_MS, or with ``fail_fast`` the same ``timeout_ms`` (the cache's
    CACHE_TIMEOUT_MS: a cache call must never wait longer)."""
    parts = _url_parts(s.redis_url)
    op_ms = int(getattr(s, "add_timeout_ms", 0)) if timeout_ms is None else timeout_ms
    connect_s = timeout_ms / 1000 if fail_fast and timeout_ms > 0 else s.connect_timeout_ms / 1000
    common: Dict[str, Any] = {
        "decode_responses": decode,
        "username": parts["username"],
        "password": parts["password"],
        "socket_timeout": op_ms / 1000 if op_ms > 0 else None,
        "socket_connect_timeout": connect_s,
    }
    if s.cluster_nodes:
        tls = dict(_tls(s), ssl=True) if parts["tls"] else {}
        # fail fast: one attempt per command (a MOVED or ASK is still followed within it)
        retries = {"cluster_error_retry_attempts": 1} if fail_fast else {}
        return RedisCluster(startup_nodes=[ClusterNode(h, p) for h, p in s.cluster_nodes], **common, **tls,
                            **retries)
    if s.sentinels:
        sentinel = Sentinel(s.sentinels, sentinel_kwargs={"socket_connect_timeout": connect_s,
                                                          "socket_timeout": connect_s})
        tls = dict(_tls(s), connection_class=SentinelManagedSSLConnection) if parts["tls"] else {}
        return sentinel.master_for(s.sentinel_name, db=parts["db"], **common, **tls)
    return redis.Redis.from_url(s.redis_url, **common, **(_tls(s) if parts["tls"] else {}))


def retimed(client: Any, timeout_s: float) -> Any:
    """Another client to the same server(s) as ``client`` (a Sentinel's master stays followed),
    every socket operation bounded by ``timeout_s``: the cache's statistics writer, which may take
    longer than a cache call. Its own small pool, so it never waits behind the callers."""
    bound = {"socket_timeout": timeout_s, "socket_connect_timeout": timeout_s}
    if is_cluster(client):
        # the options connect() gave, less the callback bound to the other client
        kwargs = {k: v for k, v in client.get_connection_kwargs().items() if k != "redis_connect_func"}
        kwargs.update(bound)
        nodes = [ClusterNode(n.host, n.port) for n in client.get_nodes()]
        return RedisCluster(startup_nodes=nodes, **kwargs)
    pool = client.connection_pool
    kwargs = dict(pool.connection_kwargs, **bound)
    return redis.Redis(connection_pool=redis.ConnectionPool(connection_class=pool.connection_class,
                                                            max_connections=2, **kwargs))


def close(client: Any) -> None:
    """Closes every connection of a client this package made (a Cluster: one pool per node)."""
    if is_cluster(client):
        client.close()
    else:
        client.connection_pool.disconnect()


def is_cluster(client: Any) -> bool:
    return isinstance(client, RedisCluster)


def pipe(client: Any, commands: Sequence[Tuple[Any, ...]], key: str) -> List[Any]:
    """Runs ``client.execute_command(*c)`` for each command in one round trip (a pipeline), the
    replies in order with errors as values. On a Cluster, scripts and WAIT one by one, keyless
    commands (WAIT) sent to the master of ``key``'s slot."""
    one_by_one = is_cluster(client) and any(str(c[0]).upper() in ("EVALSHA", "EVAL", "WAIT") for c in commands)
    if not one_by_one:
        p = client.pipeline(transaction=False)
        for c in commands:
            p.execute_command(*c)
        return list(p.execute(raise_on_error=False))
    out: List[Any] = []
    for c in commands:
        try:
            if str(c[0]).upper() == "WAIT":
                out.append(client.execute_command(*c, target_nodes=client.get_node_from_key(key)))
            else:
                out.append(client.execute_command(*c))
        except redis.exceptions.ResponseError as err:
            out.append(err)
    return out
