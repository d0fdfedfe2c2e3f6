"""Connections and the producer's bounds against real servers these tests start (tests/servers.py):
a Sentinel-managed master with a replica (REDIS_SENTINELS, a failover followed), a Cluster
(REDIS_CLUSTER_NODES), replica WAIT (JOB_ADD_REPLICAS) and the add timeout (JOB_ADD_TIMEOUT_MS)
against a paused and a stopped server."""
import signal
import threading
import time
import unittest
from typing import Any, Dict, List

from requeue import AddTimeoutError, Consumer, NotReplicatedError, Queue, load_settings
from requeue.connection import is_cluster

from .servers import HAVE_REDIS, SentinelSet, Server, start_cluster, until


def settings(**env: str) -> Any:
    return load_settings(dict({"REDIS_KEY_PREFIX": "pyconn", "RETRY_BACKOFF_BASE_SECONDS": "0"}, **env))


def run_all(q: Queue, count: int, handler: Any = None, **options: Any) -> List[str]:
    """Consumes until ``count`` jobs completed or died; returns the ids the handler saw."""
    seen: List[str] = []

    def handle(job: Any) -> None:
        seen.append(job.id)
        if handler:
            handler(job)

    c = Consumer(q, handle, handle_signals=False, **options)
    t = threading.Thread(target=c.run)
    t.start()
    try:
        until(lambda: q.client.zcard(q.keys.completed) + q.client.zcard(q.keys.dead) >= count, 30,
              "%d jobs settled" % count)
    finally:
        c.stop()
        t.join(30)
    return seen


@unittest.skipUnless(HAVE_REDIS, "redis-server not installed")
class SentinelConnection(unittest.TestCase):
    def setUp(self) -> None:
        self.servers = SentinelSet()
        self.master, self.replica, self.sentinel = self.servers.master, self.servers.replica, self.servers.sentinel

    def tearDown(self) -> None:
        self.servers.stop()

    def test_produces_and_consumes_through_the_master_sentinel_names_and_follows_a_failover(self) -> None:
        env = {"REDIS_SENTINELS": "127.0.0.1:%d" % self.sentinel.port, "REDIS_URL": "redis://127.0.0.1:1"}
        q = Queue("sentinel-q", settings=settings(**env))
        self.assertTrue(q.add({"n": 1}, job_id="s-1").added)
        self.assertFalse(q.add({"n": 1}, job_id="s-1").added)
        self.assertEqual(self.master.client.hget(q.keys.job("s-1"), "payload"), '{"n":1}')
        self.assertEqual(run_all(q, 1), ["s-1"])

        self.servers.fail_over()
        until(lambda: q.add({"n": 2}, job_id="s-2").added, 30, "an add after the failover")
        self.assertEqual(self.replica.client.hget(q.keys.job("s-2"), "payload"), '{"n":2}')
        self.assertIn("s-2", run_all(q, 2))

    def test_waits_for_replicas_and_says_when_too_few_acknowledged(self) -> None:
        q = Queue("wait-q", settings=settings(REDIS_URL=self.master.url, JOB_ADD_REPLICAS="1"))
        self.assertTrue(q.add({"n": 1}, job_id="w-1").added)
        until(lambda: self.replica.client.exists(q.keys.job("w-1")), 5, "the job on the replica")
        two = Queue("wait-q", settings=settings(REDIS_URL=self.master.url, JOB_ADD_REPLICAS="2",
                                                 JOB_ADD_REPLICAS_TIMEOUT_MS="100"))
        with self.assertRaises(NotReplicatedError) as ctx:
            two.add_batch([{"data": 2, "job_id": "w-2"}, {"data": 3, "job_id": "w-3"}])
        self.assertEqual(ctx.exception.code, "NOT_REPLICATED")
        self.assertEqual(str(ctx.exception), "2 job(s) reached 1 of 2 replica(s) in time: written on the master, "
                                             "they may not survive a failover")
        self.assertEqual([r.id for r in ctx.exception.results], ["w-2", "w-3"])
        self.assertEqual(self.master.client.llen(q.keys.ready), 3)  # written on the master all the same


@unittest.skipUnless(HAVE_REDIS, "redis-server not installed")
class ClusterConnection(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.nodes = start_cluster()

    @classmethod
    def tearDownClass(cls) -> None:
        for n in cls.nodes:
            n.stop()

    def queue(self, name: str, **env: str) -> Queue:
        nodes = ",".join("127.0.0.1:%d" % n.port for n in self.nodes[:2])  # a subset: the rest is discovered
        q = Queue(name, settings=settings(REDIS_CLUSTER_NODES=nodes, **env))
        self.assertTrue(is_cluster(q.client))
        return q

    def test_queues_on_different_slots_produce_consume_and_dead_letter(self) -> None:
        owners = set()
        for name in ("alpha", "beta", "gamma", "delta"):
            q = self.queue(name)
            owners.add(q.client.get_node_from_key(q.keys.ready).name)
            results = q.add_batch([{"data": {"i": i, "fail": i == 0}, "job_id": "%s-%d" % (name, i),
                                    "max_attempts": 2} for i in range(5)])
            self.assertEqual([r.added for r in results], [True] * 5)

            def handler(job: Any) -> None:
                if job.data["fail"]:
                    raise RuntimeError("fails on purpose")

            seen = run_all(q, 5, handler, concurrency=3)
            self.assertEqual(sorted(set(seen)), ["%s-%d" % (name, i) for i in range(5)])
            self.assertEqual(seen.count("%s-0" % name), 2)  # retried once, then dead
            self.assertEqual((q.client.zcard(q.keys.completed), q.client.zcard(q.keys.dead)), (4, 1))
        self.assertGreater(len(owners), 1)  # the queues really lived on different masters

    def test_wait_goes_to_the_master_of_the_queues_slot(self) -> None:
        q = self.queue("waiting", JOB_ADD_REPLICAS="1", JOB_ADD_REPLICAS_TIMEOUT_MS="50")
        with self.assertRaises(NotReplicatedError) as ctx:  # no replicas in this cluster: 0 of 1
            q.add({"n": 1}, job_id="c-1")
        self.assertEqual((ctx.exception.replicas, ctx.exception.wanted), (0, 1))


@unittest.skipUnless(HAVE_REDIS, "redis-server not installed")
class AddTimeout(unittest.TestCase):
    def setUp(self) -> None:
        self.server = Server()

    def tearDown(self) -> None:
        self.server.stop()

    def test_a_paused_or_stopped_redis_fails_the_add_after_its_bound(self) -> None:
        q = Queue("bounded", settings=settings(REDIS_URL=self.server.url, JOB_ADD_TIMEOUT_MS="300"))
        self.assertTrue(q.add(1, job_id="b-1").added)
        self.server.signal(signal.SIGSTOP)
        try:
            with self.assertRaises(AddTimeoutError) as ctx:
                q.add(2, job_id="b-2")
            self.assertEqual(ctx.exception.code, "ADD_TIMEOUT")
            self.assertIn("add of 1 job(s) to queue bounded was not acknowledged within 300 ms", str(ctx.exception))
        finally:
            self.server.signal(signal.SIGCONT)
        # adding again with the same id leaves one job, whether or not the first was applied late
        q.add(2, job_id="b-2")
        until(lambda: self.server.client.llen(q.keys.ready) == 2, 5, "two jobs")
        self.server.proc.kill()
        self.server.proc.wait()
        with self.assertRaises(AddTimeoutError):
            q.add(3, job_id="b-3")


@unittest.skipUnless(HAVE_REDIS, "redis-server not installed")
class ScriptsForgotten(unittest.TestCase):
    def test_a_round_trip_refused_with_noscript_is_sent_again_once_loaded(self) -> None:
        server = Server()
        try:
            q = Queue("flushed", settings=settings(REDIS_URL=server.url))
            self.assertTrue(q.add(1, job_id="f-1").added)  # loads add.lua and remembers it
            server.client.script_flush()  # as a restarted server without persistence forgets them
            self.assertTrue(q.add(2, job_id="f-2").added)
            self.assertEqual(sorted(server.client.lrange(q.keys.ready, 0, -1)), ["f-1", "f-2"])
        finally:
            server.stop()


@unittest.skipUnless(HAVE_REDIS, "redis-server not installed")
class Prefetch(unittest.TestCase):
    def setUp(self) -> None:
        self.server = Server()
        self.q = Queue("prefetch", settings=settings(REDIS_URL=self.server.url))
        self.gate = threading.Event()
        self.started: List[str] = []
        self.running: List[Any] = []

    def tearDown(self) -> None:
        for c, t in self.running:  # each consumer ends before its server does
            c.stop()
            self.gate.set()
            t.join(30)
        self.server.stop()

    def consumer(self, **options: Any) -> Consumer:
        def handle(job: Any) -> None:
            self.started.append(job.id)
            self.gate.wait(20)

        c = Consumer(self.q, handle, handle_signals=False, **options)
        t = threading.Thread(target=c.run, daemon=True)
        t.start()
        self.running.append((c, t))
        return c

    def fields(self, job_id: str) -> Dict[str, str]:
        return self.server.client.hgetall(self.q.keys.job(job_id))

    def test_leases_ahead_marks_prefetched_jobs_and_hands_them_back_at_stop(self) -> None:
        self.q.add_batch([{"data": i, "job_id": "p-%d" % i} for i in range(6)])
        c = self.consumer(concurrency=1, prefetch=2)
        # the handler runs a moment after the lease: wait for both
        until(lambda: self.server.client.zcard(self.q.keys.active) == 3 and self.started == ["p-0"], 10,
              "1 running + 2 prefetched")
        time.sleep(0.3)  # it holds its room: no more is leased
        self.assertEqual(self.server.client.zcard(self.q.keys.active), 3)
        self.assertEqual(self.started, ["p-0"])
        self.assertNotIn("pf", self.fields("p-0"))
        self.assertEqual([self.fields("p-%d" % i).get("pf") for i in (1, 2)], ["1", "1"])
        c.stop()
        until(lambda: self.server.client.llen(self.q.keys.ready) == 5, 10, "the prefetched jobs handed back")
        self.gate.set()
        until(lambda: self.server.client.zcard(self.q.keys.completed) == 1 and
              self.server.client.zcard(self.q.keys.active) == 0, 10, "the stop")
        self.assertEqual(self.server.client.llen(self.q.keys.ready), 5)
        for i in (1, 2):  # handed back, their attempt refunded
            self.assertEqual(self.fields("p-%d" % i).get("attempts"), "0")

    def test_a_started_prefetched_job_loses_its_mark_and_a_pause_hands_back_the_rest(self) -> None:
        self.q.add_batch([{"data": i, "job_id": "p-%d" % i} for i in range(4)])
        c = self.consumer(concurrency=1, prefetch=2)
        # the first handler must be waiting on this gate before it opens (it is replaced below)
        until(lambda: self.server.client.zcard(self.q.keys.active) == 3 and self.started == ["p-0"], 10,
              "3 leased, the first started")
        self.gate.set()
        self.gate = threading.Event()  # the next handler blocks again
        until(lambda: len(self.started) >= 2 and "pf" not in self.fields(self.started[1]), 10,
              "the start of a prefetched job told to Redis")
        self.server.client.set(self.q.keys.paused, str(int(time.time() * 1000)))
        until(lambda: self.server.client.zcard(self.q.keys.active) == 1, 10, "unstarted jobs handed back on pause")
        self.assertEqual(self.server.client.zrange(self.q.keys.active, 0, -1), [self.started[-1]])
        self.server.client.delete(self.q.keys.paused)
        c.stop()
        self.gate.set()

    def test_prefetch_must_be_a_whole_number(self) -> None:
        with self.assertRaises(ValueError):
            Consumer(self.q, lambda job: None, prefetch=-1)


if __name__ == "__main__":
    unittest.main()
