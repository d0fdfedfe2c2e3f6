"""Validation before anything is written, and configuration, without a Redis (the client
connects on first use): the same errors and messages as lib/queue/producer.ts and lib/config.ts."""
import unittest

from requeue import ConfigError, Queue, QueueError, load_settings

ENV = {"REDIS_URL": "redis://127.0.0.1:1", "JOB_MAX_PAYLOAD_BYTES": "100"}


def queue() -> Queue:
    return Queue("unit", settings=load_settings(ENV))


class Producer(unittest.TestCase):
    def refused(self, code: str, message: str, data: object = None, **options: object) -> None:
        with self.assertRaises(QueueError) as ctx:
            queue().encode(data, **options)  # type: ignore[arg-type]
        self.assertEqual(ctx.exception.code, code)
        self.assertEqual(str(ctx.exception), message)

    def test_encodes_like_the_typescript_producer(self) -> None:
        args = queue().encode({"ü": 1}, job_id="a", delay_ms=1500, max_attempts=2, metadata={"by": "py"})
        self.assertEqual(args, ["a", '{"ü":1}', '{"by":"py"}', 2, 60000, 3600000, 1500])
        # times in ms, as in TypeScript: delayMs -> delay_ms, backoff.baseMs -> base_ms
        self.assertEqual(queue().encode([1], backoff={"type": "fixed", "base_ms": 2000})[4:6], [2000, 2000])
        self.assertEqual(queue().encode([1], backoff={"base_ms": 2000.4, "max_ms": 9000})[4:6], [2000, 9000])
        self.assertEqual(queue().encode([1], backoff={"base_ms": 5000, "max_ms": 10})[4:6], [5000, 5000])

    def test_refuses_bad_payloads(self) -> None:
        self.assertRaises(QueueError, queue().encode, {1, 2})
        self.refused("PAYLOAD_TOO_LARGE", "payload is 102 bytes, over the limit of 100", "x" * 100)
        with self.assertRaises(QueueError) as ctx:
            queue().encode(float("nan"))
        self.assertEqual(ctx.exception.code, "PAYLOAD_NOT_JSON")

    def test_refuses_bad_options(self) -> None:
        self.refused("INVALID_OPTION", 'jobId must not be all digits (got "42"): those are generated ids', 1, job_id="42")
        self.refused("INVALID_OPTION", "jobId must be a string of 1 to 256 characters", 1, job_id="")
        self.refused("INVALID_OPTION", "maxAttempts must be an integer >= 1", 1, max_attempts=0)
        self.refused("INVALID_OPTION", "delayMs must be a number >= 0", 1, delay_ms=-1)
        self.refused("INVALID_OPTION", "backoff.baseMs must be a number >= 0", 1, backoff={"max_ms": 5})
        self.refused("INVALID_OPTION", "metadata must be a plain object", 1, metadata=[1])


class Configuration(unittest.TestCase):
    def test_defaults(self) -> None:
        s = load_settings({})
        self.assertEqual((s.prefix, s.max_attempts, s.backoff_base_ms, s.lease_ms), ("rq", 3, 60000, 30000))

    def test_bad_values_are_named_like_lib_config(self) -> None:
        with self.assertRaises(ConfigError) as ctx:
            load_settings({"MAX_RETRY_ATTEMPTS": "three", "REDIS_URL": "http://u:pw@h", "JOB_LEASE_SECONDS": "0"})
        self.assertEqual(
            ctx.exception.problems,
            [
                'REDIS_URL must be a URL starting with redis:// or rediss://, got "http://u:***@h"',
                'MAX_RETRY_ATTEMPTS must be an integer between 0 and 1000, got "three"',
                'JOB_LEASE_SECONDS must be a number >= 1, got "0"',
            ],
        )

    def test_connection_and_add_settings_like_lib_config(self) -> None:
        s = load_settings({"REDIS_SENTINELS": "10.0.0.1:26379,sentinel-b:26380", "JOB_ADD_REPLICAS": "2"})
        self.assertEqual(s.sentinels, [("10.0.0.1", 26379), ("sentinel-b", 26380)])
        self.assertEqual((s.sentinel_name, s.cluster_nodes, s.add_replicas, s.add_replicas_timeout_ms,
                          s.add_timeout_ms, s.connect_timeout_ms), ("mymaster", None, 2, 1000, 5000, 5000))
        with self.assertRaises(ConfigError) as ctx:
            load_settings({"REDIS_SENTINELS": "a:1", "REDIS_CLUSTER_NODES": "b", "JOB_ADD_TIMEOUT_MS": "-1"})
        self.assertEqual(
            ctx.exception.problems,
            [
                'REDIS_CLUSTER_NODES must be a comma-separated list of host:port, e.g. '
                '"10.0.0.1:26379,10.0.0.2:26379", got "b"',
                'JOB_ADD_TIMEOUT_MS must be an integer between 0 and 600000, got "-1"',
            ],
        )
        with self.assertRaises(ConfigError) as ctx:
            load_settings({"REDIS_SENTINELS": "a:1", "REDIS_CLUSTER_NODES": "b:2"})
        self.assertEqual(ctx.exception.problems,
                         ["REDIS_SENTINELS and REDIS_CLUSTER_NODES must not both be set: choose Sentinel or Cluster"])


if __name__ == "__main__":
    unittest.main()


class Reports(unittest.TestCase):
    def test_progress_is_validated_in_the_handler_like_lib_queue_reports(self) -> None:
        from requeue.reports import ReportBuffer

        buf = ReportBuffer(2, 64, 64)
        for value, message in [
            (101, "progress must be a number from 0 to 100, got 101"),
            ("half", "progress must be a number from 0 to 100 or a plain object"),
            ({"x": "y" * 80}, "progress is 88 bytes as JSON, over the limit of 64"),
        ]:
            with self.assertRaises(QueueError) as ctx:
                buf.progress("j", 1, value)
            self.assertEqual(str(ctx.exception), message)

    def test_lines_are_bounded_redacted_and_cut(self) -> None:
        import json

        from requeue.reports import ReportBuffer

        buf = ReportBuffer(2, 64, 64)
        for text in ["one", "two token=abcdef123", "é" * 100]:
            buf.log("j", 3, text)
        args = buf.take()
        self.assertEqual(args[:5], ["j", 3, "", 1, 2])
        lines = [json.loads(a) for a in args[5:]]
        self.assertEqual(lines[0]["text"], "two token=[REDACTED]")
        self.assertEqual(lines[1]["text"], "é" * 30 + "…")
        self.assertEqual(buf.take(), [])
