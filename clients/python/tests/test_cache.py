"""The cache client against a real redis-server this module starts: reads and writes in
lib/cache's format, tags, flush, user scoping, secrets, the decorator, single-flight, the
cross-process lock, stale-while-revalidate, statistics, and Redis down or silent."""
import gzip
import json
import os
import threading
import time
import unittest
import uuid
from typing import Any, Dict, List

from requeue import Cache, CacheError, load_cache_settings
from requeue.keys import minute_of

from .redis_server import RedisServer, SilentServer, free_port

server = RedisServer()


def setUpModule() -> None:
    server.start()


def tearDownModule() -> None:
    server.stop()


def until(check: Any, what: str, timeout_s: float = 30) -> None:
    deadline = time.monotonic() + timeout_s
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for " + what)
        time.sleep(0.01)


class CacheTest(unittest.TestCase):
    def setUp(self) -> None:
        self.prefix = "py" + uuid.uuid4().hex[:8]
        self.caches: List[Cache] = []

    def tearDown(self) -> None:
        for c in self.caches:
            c.close()

    def cache(self, namespace: str = "document", url: str = "", **env: str) -> Cache:
        settings = load_cache_settings({"REDIS_URL": url or server.url, "REDIS_KEY_PREFIX": self.prefix,
                                        "CACHE_TIMEOUT_MS": "5000", "CACHE_STATS_FLUSH_MS": "600000", **env})
        c = Cache(namespace, settings=settings)
        self.caches.append(c)
        return c

    def counting(self, value: Any) -> Any:
        calls: List[int] = []

        def loader() -> Any:
            calls.append(1)
            return value

        loader.calls = calls  # type: ignore[attr-defined]
        return loader

    def test_miss_then_hit_in_the_typescript_format(self) -> None:
        c = self.cache()
        load = self.counting({"title": "ünïcödé", "pages": [1, 2]})
        self.assertEqual(c.get_or_set("summary:1", load), {"title": "ünïcödé", "pages": [1, 2]})
        self.assertEqual(c.get_or_set("summary:1", load), {"title": "ünïcödé", "pages": [1, 2]})
        self.assertEqual(len(load.calls), 1)
        raw = c.rt.client.get(c.entry_key("summary:1"))
        head, _, body = raw.partition(b"\n")
        self.assertRegex(head.decode(), r"^j\d+\|0\|$")
        self.assertEqual(json.loads(body), {"title": "ünïcödé", "pages": [1, 2]})
        ttl = c.rt.client.pttl(c.entry_key("summary:1"))
        self.assertTrue(0 < ttl <= 3600 * 1000)  # document's CACHE_DOCUMENT_TTL
        self.assertEqual(c.entry_key("summary:1"), "%s:cache:{c:document}:k:summary:1" % self.prefix)

    def test_large_values_are_gzipped_with_the_z_marker(self) -> None:
        c = self.cache(CACHE_COMPRESS_THRESHOLD_BYTES="100")
        value = {"text": "x" * 500}
        self.assertTrue(c.set("big", value))
        raw = c.rt.client.get(c.entry_key("big"))
        self.assertEqual(raw[:1], b"z")
        self.assertEqual(json.loads(gzip.decompress(raw.partition(b"\n")[2])), value)
        self.assertEqual(c.get("big"), value)

    def test_tag_invalidation_says_so_when_the_namespace_registry_cannot_be_read(self) -> None:
        c = self.cache()
        registry = self.prefix + ":cache:namespaces"
        c.rt.client.set(registry, "not a set")  # SMEMBERS fails: other processes' namespaces unknown
        self.assertFalse(c.invalidate_tag("document:1").ok)
        c.rt.client.delete(registry)
        self.assertTrue(c.invalidate_tag("document:1").ok)

    def test_tag_invalidation_and_flush(self) -> None:
        c, other = self.cache(), self.cache("graph")
        a, b = self.counting("a"), self.counting("b")
        c.get_or_set("a", a, tags=["document:1"])
        c.get_or_set("b", b, tags=["document:2"])
        other.get_or_set("g", self.counting("g"))
        result = c.invalidate_tag("document:1")
        self.assertTrue(result.ok)
        self.assertGreaterEqual(result.namespaces, 2)
        c.get_or_set("a", a, tags=["document:1"])
        c.get_or_set("b", b, tags=["document:2"])
        self.assertEqual((len(a.calls), len(b.calls)), (2, 1))
        # a read that does not name the entry's tag still checks it (second MGET)
        c.invalidate_tag("document:2")
        self.assertIsNone(c.get("b"))
        c.flush_namespace()
        self.assertIsNone(c.get("a"))
        self.assertEqual(other.get("g"), "g")

    def test_user_scoping(self) -> None:
        users = self.cache("user")
        with self.assertRaises(CacheError) as ctx:
            users.get_or_set("profile", lambda: 1)
        self.assertEqual((ctx.exception.code, str(ctx.exception)),
                         ("CACHE_INVALID_ARGUMENT", "namespace user is user-scoped: pass { user }"))
        users.get_or_set("profile", lambda: "alice's", user="alice@example.com")
        users.get_or_set("profile", lambda: "bob's", user="bob")
        self.assertEqual(users.get("profile", user="bob"), "bob's")
        self.assertIn(":u:alice%40example.com:profile", users.entry_key("profile", user="alice@example.com"))
        self.assertTrue(users.invalidate_user("alice@example.com").ok)
        self.assertIsNone(users.get("profile", user="alice@example.com"))
        self.assertEqual(users.get("profile", user="bob"), "bob's")

    def test_delete(self) -> None:
        c = self.cache()
        c.set("k", 1)
        self.assertTrue(c.delete("k"))
        self.assertFalse(c.delete("k"))
        self.assertEqual(c.get("k", default="none"), "none")

    def test_secrets_are_refused_like_typescript(self) -> None:
        c = self.cache()
        with self.assertRaises(CacheError) as ctx:
            c.get_or_set("creds", lambda: {"user": "bob", "nested": [{"api_key": "abc"}], "Password": "x"})
        self.assertEqual(ctx.exception.code, "CACHE_SECRET_REFUSED")
        self.assertEqual(str(ctx.exception),
                         "refusing to cache a value of namespace document with secret-looking fields "
                         "(api_key, Password); remove them or pass { allowSecrets: true }")
        self.assertIsNone(c.rt.client.get(c.entry_key("creds")))
        self.assertTrue(c.set("creds", {"token": "t"}, allow_secrets=True))
        self.assertTrue(c.set("empty", {"token": "", "password": None}))

    def test_decorator(self) -> None:
        c = self.cache()
        calls: List[int] = []

        @c.cached(options=lambda doc_id, **_: {"tags": ["document:%s" % doc_id]})
        def summary(doc_id: int, lang: str = "en") -> Dict[str, Any]:
            calls.append(doc_id)
            return {"id": doc_id, "lang": lang}

        self.assertEqual(summary(42), {"id": 42, "lang": "en"})
        self.assertEqual(summary(42), {"id": 42, "lang": "en"})
        self.assertEqual(summary(42, lang="fr"), {"id": 42, "lang": "fr"})
        self.assertEqual(calls, [42, 42])
        self.assertIsNotNone(c.rt.client.get(c.entry_key("summary:[42]")))
        self.assertIsNotNone(c.rt.client.get(c.entry_key('summary:[42,{"lang":"fr"}]')))
        c.invalidate_tag("document:42")
        summary(42)
        self.assertEqual(calls, [42, 42, 42])

    def test_one_loader_per_key_per_process(self) -> None:
        c = self.cache()
        release = threading.Event()
        calls: List[int] = []

        def slow() -> str:
            calls.append(1)
            release.wait(30)
            return "once"

        results: List[str] = []
        threads = [threading.Thread(target=lambda: results.append(c.get_or_set("hot", slow))) for _ in range(6)]
        for t in threads:
            t.start()
        until(lambda: c.rt.recorder.pending("document", "coalesced") == 5, "5 callers to join the load")
        release.set()
        for t in threads:
            t.join()
        self.assertEqual((results, len(calls)), (["once"] * 6, 1))

    def test_cross_process_lock(self) -> None:
        # two instances = two processes: separate clients, in-flight maps and lock tokens
        a = self.cache(CACHE_LOCK_WAIT_MS="30000")
        b = self.cache(CACHE_LOCK_WAIT_MS="30000")
        b_loads: List[int] = []

        def a_loader() -> str:
            # B has missed, found the lock taken, and polled at least once: it is waiting for A
            until(lambda: b.rt.recorder.pending("document", "latency") >= 2, "B to wait for the lock")
            return "from A"

        got: Dict[str, str] = {}
        ta = threading.Thread(target=lambda: got.update(a=a.get_or_set("k", a_loader, lock=True)))
        ta.start()
        until(lambda: a.rt.client.exists(a.keys.lock(a.entry_key("k"))) == 1, "A to take the lock")
        got["b"] = b.get_or_set("k", lambda: b_loads.append(1) or "from B", lock=True)
        ta.join()
        self.assertEqual((got, b_loads), ({"a": "from A", "b": "from A"}, []))
        self.assertEqual(a.rt.client.exists(a.keys.lock(a.entry_key("k"))), 0)  # the write released it

    def test_stale_while_revalidate(self) -> None:
        c = self.cache()
        c.set("s", "old", ttl=0.001, grace=60)
        time.sleep(0.01)  # past its 1 ms TTL, well within its grace
        self.assertEqual(c.get_or_set("s", lambda: "new", grace=60), "old")
        until(lambda: c.get("s") == "new", "the background refresh")
        self.assertEqual(c.rt.recorder.pending("document", "staleHits"), 1)

    def test_statistics_in_the_recorder_format(self) -> None:
        c = self.cache()
        c.get_or_set("x", lambda: 1)
        c.get_or_set("x", lambda: 1)
        c.flush_stats()
        r = c.rt.client
        minute = minute_of(time.time() * 1000)
        stats: Dict[str, int] = {}
        for m in (minute - 1, minute):  # the minute may have turned between the calls
            for k, v in r.hgetall("%s:cstats:{document}:%d" % (self.prefix, m)).items():
                stats[k.decode()] = stats.get(k.decode(), 0) + int(v)
        self.assertEqual((stats["hits"], stats["misses"], stats["loads"], stats["sets"]), (1, 1, 1, 1))
        self.assertIn("loaderUs", stats)
        self.assertEqual(sum(n for f, n in stats.items() if f.startswith("h") and f[1:].isdigit()), 2)
        self.assertTrue(r.zrange("%s:cstats:{document}:minutes" % self.prefix, 0, -1))
        self.assertIn(b"document", r.smembers("%s:cache:namespaces" % self.prefix))
        report = json.loads(r.hget("%s:cache:breakers" % self.prefix, c.rt.instance_id))
        self.assertEqual((report["state"], report["opens"]), ("closed", 0))

    def test_redis_down_opens_the_breaker_callers_get_the_loader(self) -> None:
        c = self.cache(url="redis://127.0.0.1:%d" % free_port(), CACHE_BREAKER_FAILURES="2",
                       CACHE_BREAKER_RESET_MS="600000")
        with self.assertRaises(CacheError) as ctx:
            c.delete("k")
        self.assertEqual(ctx.exception.code, "CACHE_UNAVAILABLE")
        self.assertEqual(c.get_or_set("k", lambda: "loaded"), "loaded")
        self.assertEqual(c.breaker()["state"], "open")
        self.assertEqual(c.get_or_set("k", lambda: "again"), "again")
        with self.assertRaises(CacheError) as ctx:
            c.flush()
        self.assertEqual(ctx.exception.code, "CACHE_CIRCUIT_OPEN")
        self.assertEqual((c.rt.recorder.pending("document", "errors"), c.rt.recorder.pending("document", "bypasses")),
                         (2, 2))

    def test_a_silent_redis_times_out_per_call(self) -> None:
        silent = SilentServer()
        try:
            c = self.cache(url=silent.url, CACHE_TIMEOUT_MS="100")
            self.assertEqual(c.get_or_set("k", lambda: "loaded"), "loaded")
            self.assertEqual(c.rt.recorder.pending("document", "timeouts"), 1)
            self.assertIsNone(c.get("k"))
            self.assertEqual(c.rt.recorder.pending("document", "timeouts"), 2)
        finally:
            silent.close()

    @unittest.skipUnless(hasattr(os, "fork"), "needs fork")
    def test_a_forked_child_is_another_process(self) -> None:
        c = self.cache()
        c.get_or_set("f", lambda: "parent's")
        parent_id, parent_misses = c.rt.instance_id, c.rt.recorder.pending("document", "misses")
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: report what it sees, then leave without running the parent's cleanup
            try:
                os.close(read)
                seen = {"misses": c.rt.recorder.pending("document", "misses"), "same_id": c.rt.instance_id == parent_id,
                        "value": c.get_or_set("f", lambda: "child's")}
                c.flush_stats()
                seen["thread"] = bool(c.rt.recorder._thread and c.rt.recorder._thread.is_alive())
                os.write(write, json.dumps(seen).encode())
            finally:
                os._exit(0)
        os.close(write)
        with os.fdopen(read) as f:
            seen = json.loads(f.read())
        os.waitpid(pid, 0)
        self.assertEqual(seen, {"misses": 0, "same_id": False, "value": "parent's", "thread": True})
        self.assertEqual(c.rt.recorder.pending("document", "misses"), parent_misses)  # the parent's own, unwritten
        # only the child has written statistics yet: its own instance in the breaker reports
        reports = c.rt.client.hkeys("%s:cache:breakers" % self.prefix)
        self.assertEqual(len(reports), 1)
        self.assertNotEqual(reports[0].decode(), parent_id)

    def test_disabled_cache_only_loads(self) -> None:
        c = self.cache(CACHE_ENABLED="false")
        self.assertEqual(c.get_or_set("k", lambda: 1), 1)
        self.assertFalse(c.set("k", 1))
        self.assertEqual(c.rt.client.keys("%s:cache:*" % self.prefix), [])


if __name__ == "__main__":
    unittest.main()
