"""The cache's parts that need no Redis: settings (the messages of lib/config.ts), the circuit
breaker's states (lib/cache/breaker.ts), secrets, numbers in call keys, the latency buckets."""
import unittest
from typing import List

from requeue import ConfigError, load_cache_settings
from requeue.cache_breaker import CircuitBreaker
from requeue.cache_codec import find_secret_fields, to_json
from requeue.cache_keys import js_number
from requeue.cache_stats import bucket_of
from requeue.errors import CacheError


class Settings(unittest.TestCase):
    def test_defaults_are_lib_config_ones(self) -> None:
        s = load_cache_settings({})
        self.assertEqual((s.timeout_ms, s.compress_threshold, s.lock_ms, s.lock_wait_ms, s.breaker_failures,
                          s.breaker_reset_ms, s.stats_flush_ms, s.enabled, s.prefix), (50, 8192, 2000, 200, 5, 10000,
                                                                                       1000, True, "rq"))
        self.assertEqual({n: (v.ttl, v.user_scoped) for n, v in s.namespaces.items()},
                         {"default": (300, False), "user": (900, True), "job_status": (5, False),
                          "document": (3600, False), "vector_search": (1800, False), "graph": (600, False)})
        self.assertIn("apiKey", s.secret_fields)

    def test_bad_values_named_like_typescript(self) -> None:
        with self.assertRaises(ConfigError) as ctx:
            load_cache_settings({"CACHE_TIMEOUT_MS": "fast", "CACHE_ENABLED": "maybe", "CACHE_STATS_FLUSH_MS": "5"})
        self.assertEqual(ctx.exception.problems, [
            'CACHE_ENABLED must be true or false, got "maybe"',
            'CACHE_TIMEOUT_MS must be an integer >= 1, got "fast"',
            'CACHE_STATS_FLUSH_MS must be an integer >= 10, got "5"',
        ])

    def test_secret_fields_list(self) -> None:
        self.assertEqual(load_cache_settings({"CACHE_SECRET_FIELDS": " pin , ,ssn"}).secret_fields, ("pin", "ssn"))


class Breaker(unittest.TestCase):
    def test_opens_half_opens_and_closes(self) -> None:
        now: List[float] = [0]
        b = CircuitBreaker(3, 1000, lambda: now[0])
        for _ in range(2):
            b.failure()
        self.assertEqual(b.state, "closed")
        b.failure()
        self.assertEqual((b.state, b.allow()), ("open", False))
        now[0] = 999
        self.assertEqual(b.state, "open")
        now[0] = 1000
        self.assertEqual(b.state, "half-open")
        self.assertTrue(b.allow())  # the one trial call
        self.assertFalse(b.allow())
        b.failure()  # the trial failed: open again
        self.assertEqual((b.state, b.snapshot()["opens"]), ("open", 2))
        now[0] = 2000
        self.assertTrue(b.allow())
        b.success()
        self.assertEqual(b.snapshot(), {"state": "closed", "consecutiveFailures": 0, "openedAt": 1000, "opens": 2})

    def test_a_success_resets_the_count(self) -> None:
        b = CircuitBreaker(2, 1000, lambda: 0)
        b.failure()
        b.success()
        b.failure()
        self.assertEqual(b.state, "closed")


class Values(unittest.TestCase):
    def test_secrets_found_at_any_depth_without_case_or_separators(self) -> None:
        value = {"a": {"API-KEY": "x", "list": [{"refresh_token": 1}]}, "passwd": "", "secret": None}
        self.assertEqual(find_secret_fields(value, ["apiKey", "refreshToken", "passwd", "secret"]),
                         ["API-KEY", "refresh_token"])
        deep: dict = {"token": "x"}
        for _ in range(9):
            deep = {"d": deep}
        self.assertEqual(find_secret_fields(deep, ["token"]), [])

    def test_not_json_is_refused(self) -> None:
        for bad in (float("nan"), {1, 2}, object()):
            with self.assertRaises(CacheError) as ctx:
                to_json(bad)
            self.assertEqual(ctx.exception.code, "CACHE_INVALID_ARGUMENT")

    def test_numbers_as_javascript_writes_them(self) -> None:
        cases = {1.0: "1", -2.0: "-2", 0.5: "0.5", 1e21: "1e+21", 1e20: "100000000000000000000", 1e-7: "1e-7",
                 1.5e-6: "0.0000015", 123.456: "123.456", -0.0: "0", 2.5e-8: "2.5e-8", 1.2345e25: "1.2345e+25",
                 float("inf"): "null", 7: "7"}
        for x, want in cases.items():
            self.assertEqual(js_number(x), want, x)

    def test_latency_buckets(self) -> None:
        self.assertEqual([bucket_of(us) for us in (0, 10, 10.01, 12, 12.01, 1e12)], [0, 0, 1, 1, 2, 79])


if __name__ == "__main__":
    unittest.main()
