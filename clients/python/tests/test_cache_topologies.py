"""The cache on a Cluster and through a Sentinel, against real servers these tests start
(tests/servers.py), configured by the same variables as the queue: lib/cache's keys and slots
(a namespace is one slot, so each read is one MGET there), tag invalidation across namespaces on
different masters, flush, statistics, scripts a server forgot, a Sentinel failover followed, and
a value cached by Python read and invalidated by lib/cache in TypeScript on the Cluster
(tests/ts_cache.ts)."""
import json
import os
import shutil
import subprocess
import unittest
import uuid
from pathlib import Path
from typing import Any, Dict, List

from redis.cluster import ClusterNode, RedisCluster

from requeue import Cache, CacheError, load_cache_settings
from requeue.connection import is_cluster

from .servers import HAVE_REDIS, SentinelSet, Server, free_port, start_cluster, until

REPO = Path(__file__).resolve().parents[3]
TSX = REPO / "node_modules" / ".bin" / "tsx"


class Loads:
    """A loader that counts its calls."""

    def __init__(self, value: Any) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> Any:
        self.calls += 1
        return self.value


class Topology(unittest.TestCase):
    env: Dict[str, str] = {}

    def setUp(self) -> None:
        self.prefix = "pt" + uuid.uuid4().hex[:8]
        self.caches: List[Cache] = []

    def tearDown(self) -> None:
        for c in self.caches:
            c.close()

    def cache(self, namespace: str = "document") -> Cache:
        settings = load_cache_settings(dict(self.env, REDIS_KEY_PREFIX=self.prefix, CACHE_TIMEOUT_MS="5000",
                                            CACHE_STATS_FLUSH_MS="600000", CACHE_BREAKER_FAILURES="1000"))
        c = Cache(namespace, settings=settings)
        self.caches.append(c)
        return c

    def check_operations(self, c: Cache, other: Cache) -> None:
        """get_or_set, a tag across two namespaces, a tag the reader did not name, flush."""
        doc, graph = Loads({"title": "ünï", "n": 1}), Loads({"nodes": [1, 2]})
        self.assertEqual(c.get_or_set("a", doc, tags=["shared"]), doc.value)
        self.assertEqual(c.get_or_set("a", doc, tags=["shared"]), doc.value)
        self.assertEqual(other.get_or_set("a", graph, tags=["shared"]), graph.value)
        self.assertEqual(other.get_or_set("a", graph, tags=["shared"]), graph.value)
        self.assertEqual((doc.calls, graph.calls), (1, 1))
        self.assertEqual(c.invalidate_tag("shared"), (True, len(c.list_namespaces())))
        c.get_or_set("a", doc, tags=["shared"])
        other.get_or_set("a", graph, tags=["shared"])
        self.assertEqual((doc.calls, graph.calls), (2, 2))  # both namespaces' entries dropped

        self.assertTrue(c.set("b", [1], tags=["x", "y"]))
        self.assertEqual(c.get("b"), [1])  # its tags checked by a second MGET
        c.invalidate_tag("y", namespaces=[c.name])
        self.assertIsNone(c.get("b"))

        c.flush_namespace()
        self.assertIsNone(c.get("a"))
        self.assertEqual(other.get("a"), graph.value)  # another namespace keeps its entries

    def check_stats(self, c: Cache, read: Any) -> None:
        """What get_or_set counted is written in lib/cache/recorder.ts's format (a write that
        failed, e.g. during a failover, is kept and sent again: flushed until it is there)."""
        c.get_or_set("s", lambda: 1)
        c.get_or_set("s", lambda: 2)
        until(lambda: (c.flush_stats(), self.counted(read, c.name).get("sets", 0) >= 1)[1], 30,
              "the statistics written")
        counts = self.counted(read, c.name)
        self.assertGreaterEqual(counts["hits"], 1)
        self.assertGreaterEqual(counts["misses"], 1)
        self.assertIn(c.name, read("smembers", "%s:cache:namespaces" % self.prefix))
        report = json.loads(read("hget", "%s:cache:breakers" % self.prefix, c.rt.instance_id))
        self.assertEqual(report["state"], "closed")

    def counted(self, read: Any, namespace: str) -> Dict[str, int]:
        """A namespace's counters summed over the minutes of its index."""
        total: Dict[str, int] = {}
        for minute in read("zrange", "%s:cstats:{%s}:minutes" % (self.prefix, namespace), 0, -1):
            for field, n in read("hgetall", "%s:cstats:{%s}:%s" % (self.prefix, namespace, minute)).items():
                total[field] = total.get(field, 0) + int(n)
        return total


@unittest.skipUnless(HAVE_REDIS, "redis-server not installed")
class ClusterCache(Topology):
    nodes: List[Server] = []

    @classmethod
    def setUpClass(cls) -> None:
        cls.nodes = start_cluster()
        cls.env = {"REDIS_CLUSTER_NODES": ",".join("127.0.0.1:%d" % n.port for n in cls.nodes)}
        cls.cluster = RedisCluster(startup_nodes=[ClusterNode("127.0.0.1", n.port) for n in cls.nodes],
                                   decode_responses=True)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.cluster.close()
        for n in cls.nodes:
            n.stop()

    def node_of(self, key: str) -> int:
        return int(self.cluster.get_node_from_key(key).port)

    def two_namespaces_on_two_masters(self) -> List[Cache]:
        first = self.cache("document")
        for name in ["graph", "user", "vector_search", "job_status"] + ["ns%d" % i for i in range(20)]:
            if self.node_of(first.keys.generation) != self.node_of("{c:%s}" % name):
                return [first, first.namespace(name)]
        raise AssertionError("every namespace on one master")

    def test_every_operation_on_a_cluster_with_lib_caches_keys_and_slots(self) -> None:
        c, other = self.two_namespaces_on_two_masters()
        self.assertTrue(is_cluster(c.rt.client))
        self.check_operations(c, other)
        # each namespace's keys are on the master of its {c:<namespace>} slot, as lib/cache puts them
        for ns in (c, other):
            master = next(n for n in self.nodes if n.port == self.node_of(ns.keys.generation))
            self.assertTrue(master.client.exists(ns.entry_key("a")))
            self.assertTrue(master.client.exists(ns.keys.tag("shared")))
        self.assertEqual(c.entry_key("a"), "%s:cache:{c:document}:k:a" % self.prefix)

    def test_scripts_a_master_forgot_are_sent_again(self) -> None:
        c = self.cache()
        self.assertTrue(c.set("before", 1))
        for n in self.nodes:
            n.client.script_flush()
        # redis-py logs the NOSCRIPT it met on a Cluster: the reload path did run
        with self.assertLogs("redis.cluster", "ERROR"):
            self.assertTrue(c.set("after", 2, tags=["t"]))
        self.assertTrue(c.invalidate_tag("t").ok)
        self.assertIsNone(c.get("after"))
        self.assertEqual(c.get("before"), 1)

    def test_statistics_per_namespace_on_their_own_slots(self) -> None:
        c, other = self.two_namespaces_on_two_masters()
        other.get_or_set("s", lambda: 1)
        read = lambda cmd, *args: getattr(self.cluster, cmd)(*args)  # noqa: E731
        self.check_stats(c, read)  # written with other's: one pipeline, each master its share
        self.assertEqual(self.counted(read, other.name)["misses"], 1)

    @unittest.skipUnless(TSX.exists() and shutil.which("node"), "node and the repository's tsx needed")
    def test_a_value_cached_by_python_is_read_and_invalidated_by_typescript(self) -> None:
        big = {"title": "ünïcödé €", "text": "x" * 10000}  # over the 8 KB compression threshold
        c = self.cache()
        self.assertEqual(c.get_or_set("py:1", lambda: {"n": 1.5}, tags=["doc:1"]), {"n": 1.5})
        self.assertEqual(c.get_or_set("py:big", lambda: big, tags=["doc:1"]), big)
        self.assertEqual(c.rt.client.get(c.entry_key("py:big"))[:1], b"z")  # gzip, as lib/cache writes it
        small, large, tagged, dropped = self.typescript([
            {"op": "get", "namespace": "document", "key": "py:1"},
            {"op": "get", "namespace": "document", "key": "py:big"},
            {"op": "get_or_set", "namespace": "document", "key": "py:1", "value": "ts", "tags": ["doc:1"]},
            {"op": "invalidate_tag", "tag": "doc:1"},
        ])
        self.assertEqual(small, {"value": {"n": 1.5}, "hit": True})
        self.assertEqual(large, {"value": big, "hit": True})
        self.assertEqual(tagged, {"value": {"n": 1.5}, "loaded": False})
        self.assertEqual(dropped, {"ok": True})
        self.assertIsNone(c.get("py:1"))
        self.assertIsNone(c.get("py:big"))

    def typescript(self, ops: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
        env = dict(os.environ, **self.env, REDIS_KEY_PREFIX=self.prefix, CACHE_TIMEOUT_MS="5000")
        r = subprocess.run([str(TSX), str(Path(__file__).with_name("ts_cache.ts"))], cwd=REPO, env=env,
                           input=json.dumps(ops), capture_output=True, text=True, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        return json.loads(r.stdout)  # type: ignore[no-any-return]


class ClusterDown(Topology):
    env = {"REDIS_CLUSTER_NODES": "127.0.0.1:%d" % free_port(cluster=True)}  # nothing listens there

    def test_a_cache_whose_cluster_is_down_constructs_and_answers_from_its_loaders(self) -> None:
        c = self.cache()  # a Cluster client connects as it is made: not here, at the first call
        load = Loads({"n": 1})
        with self.assertLogs("redis.cluster", "ERROR"):  # redis-py logs each refused connect
            self.assertEqual(c.get_or_set("k", load), {"n": 1})
            self.assertEqual(c.get_or_set("k", load), {"n": 1})
            with self.assertRaises(CacheError):
                c.flush_namespace()
        self.assertEqual(load.calls, 2)
        self.assertEqual(c.breaker()["consecutiveFailures"], 3)


@unittest.skipUnless(HAVE_REDIS, "redis-server not installed")
class SentinelCache(Topology):
    def setUp(self) -> None:
        super().setUp()
        self.servers = SentinelSet()
        # REDIS_URL points nowhere: the master is the one the Sentinel names
        self.env = {"REDIS_SENTINELS": "127.0.0.1:%d" % self.servers.sentinel.port,
                    "REDIS_URL": "redis://127.0.0.1:1"}

    def tearDown(self) -> None:
        super().tearDown()
        self.servers.stop()

    def test_every_operation_through_the_master_the_sentinel_names(self) -> None:
        c = self.cache()
        self.check_operations(c, c.namespace("graph"))
        self.assertTrue(self.servers.master.client.exists(c.entry_key("a")))
        self.check_stats(c, lambda cmd, *args: getattr(self.servers.master.client, cmd)(*args))

    def test_follows_a_failover(self) -> None:
        c = self.cache()
        load = Loads({"before": True})
        c.get_or_set("k", load, tags=["t"])
        new = self.servers.replica
        until(lambda: new.client.exists(c.entry_key("k")), 20, "the entry on the replica")
        self.servers.fail_over()
        # a write on a connection to the old master fails (it is a replica now): the cache
        # answers without Redis, and its next connection goes to the master the Sentinel names
        until(lambda: c.set("after", 2), 30, "a write on the new master")
        self.assertEqual(new.client.get(c.entry_key("after"))[:1], "j")
        self.assertEqual(c.get_or_set("k", load, tags=["t"]), {"before": True})
        self.assertEqual(load.calls, 1)
        self.assertTrue(c.invalidate_tag("t").ok)
        self.assertIsNone(c.get("k"))
        self.check_stats(c, lambda cmd, *args: getattr(new.client, cmd)(*args))


if __name__ == "__main__":
    unittest.main()
