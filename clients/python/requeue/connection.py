"""The one place the package makes a Redis client, chosen by the same variables as
lib/redis/connection.ts: REDIS_CLUSTER_NODES (a Cluster), else REDIS_SENTINELS with
REDIS_SENTINEL_NAME (the master Sentinel names; user, password and db from REDIS_URL), else
REDIS_URL. rediss:// URLs use TLS with REDIS_TLS_CA_FILE / REDIS_TLS_INSECURE.

Every command has a bound: JOB_ADD_TIMEOUT_MS is the socket timeout (an add must not wait on a
paused Redis; the consumer's calls are short scripts, retried when one times out), and
REDIS_CONNECT_TIMEOUT_MS bounds a connect. With the bound set to 0, commands wait without end,
as in TypeScript.

Scripts on a Cluster: redis-py 4.3 refuses EVALSHA in a Cluster pipeline, so ``pipe`` (below)
runs a pipeline's calls one by one there; every key of a queue shares its ``{queue}`` hash tag,
so each call still goes to that one slot's master."""
import ssl
from typing import Any, Dict, List, Sequence, Tuple
from urllib.parse import unquote, urlsplit

import redis
from redis.cluster import ClusterNode, RedisCluster
from redis.sentinel import Sentinel, SentinelManagedSSLConnection

from .config import Settings


def _url_parts(url: str) -> Dict[str, Any]:
    u = urlsplit(url)
    path = u.path.lstrip("/")
    return {
        "username": unquote(u.username) if u.username else None,
        "password": unquote(u.password) if u.password else None,
        "db": int(path) if path.isdigit() else 0,
        "tls": u.scheme == "rediss",
    }


def _tls(s: Settings) -> Dict[str, Any]:
    return {"ssl_ca_certs": s.tls_ca_file, "ssl_cert_reqs": ssl.CERT_NONE if s.tls_insecure else ssl.CERT_REQUIRED}


def connect(s: Settings) -> Any:
    """A new client for these settings: redis.Redis (single server or Sentinel's master) or
    redis.cluster.RedisCluster, with decoded (str) replies. Lazy: nothing connects until used."""
    parts = _url_parts(s.redis_url)
    common: Dict[str, Any] = {
        "decode_responses": True,
        "username": parts["username"],
        "password": parts["password"],
        "socket_timeout": s.add_timeout_ms / 1000 if s.add_timeout_ms > 0 else None,
        "socket_connect_timeout": s.connect_timeout_ms / 1000,
    }
    if s.cluster_nodes:
        tls = dict(_tls(s), ssl=True) if parts["tls"] else {}
        return RedisCluster(startup_nodes=[ClusterNode(h, p) for h, p in s.cluster_nodes], **common, **tls)
    if s.sentinels:
        sentinel = Sentinel(s.sentinels, sentinel_kwargs={"socket_connect_timeout": common["socket_connect_timeout"],
                                                          "socket_timeout": s.connect_timeout_ms / 1000})
        tls = dict(_tls(s), connection_class=SentinelManagedSSLConnection) if parts["tls"] else {}
        return sentinel.master_for(s.sentinel_name, db=parts["db"], **common, **tls)
    return redis.Redis.from_url(s.redis_url, **common, **(_tls(s) if parts["tls"] else {}))


def is_cluster(client: Any) -> bool:
    return isinstance(client, RedisCluster)


def pipe(client: Any, commands: Sequence[Tuple[Any, ...]], key: str) -> List[Any]:
    """Runs ``client.execute_command(*c)`` for each command in one round trip (a pipeline), the
    replies in order with errors as values. On a Cluster: one by one, keyless commands (WAIT)
    sent to the master of ``key``'s slot."""
    if not is_cluster(client):
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

