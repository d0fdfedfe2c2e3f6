"""The shared test vectors (test/vectors/*.json, written from the TypeScript code by
test/vectors.test.ts): the Python ports must give the same answers."""
import json
import unittest
from pathlib import Path

from requeue.fingerprint import fingerprint_of, fingerprint_parts
from requeue.outcome import retry_delay
from requeue.redact import redact

VECTORS = Path(__file__).resolve().parents[3] / "test" / "vectors"


def load(name: str):
    return json.loads((VECTORS / name).read_text("utf-8"))


class SharedVectors(unittest.TestCase):
    def test_redaction(self) -> None:
        for v in load("redaction.json"):
            with self.subTest(input=v["input"][:80]):
                self.assertEqual(redact(v["input"]), v["output"])

    def test_fingerprints(self) -> None:
        for v in load("fingerprints.json"):
            with self.subTest(message=v["message"]):
                parts = fingerprint_parts(v["name"], v["message"], v["stack"])
                self.assertEqual(
                    {"name": parts.name, "message": parts.message, "topFrame": parts.top_frame}, v["parts"]
                )
                self.assertEqual(fingerprint_of(parts), v["fingerprint"])

    def test_backoff(self) -> None:
        for v in load("backoff.json"):
            with self.subTest(**{k: v[k] for k in ("attempt", "baseMs", "maxMs", "random")}):
                r = v["random"]
                self.assertEqual(retry_delay(v["attempt"], v["baseMs"], v["maxMs"], 0.2, lambda: r), v["delay"])
                self.assertEqual(retry_delay(v["attempt"], v["baseMs"], v["maxMs"], 0.2, lambda: 1), v["min"])
                self.assertEqual(retry_delay(v["attempt"], v["baseMs"], v["maxMs"], 0.2, lambda: 0), v["max"])


if __name__ == "__main__":
    unittest.main()
