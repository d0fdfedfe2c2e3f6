"""The shared test vectors (test/vectors/*.json, written from the TypeScript code by
test/vectors.test.ts): the Python ports must give the same answers."""
import json
import unittest
from pathlib import Path

from requeue.fingerprint import fingerprint_of, fingerprint_parts
from requeue.outcome import retry_delay
from requeue.redact import redact
from requeue.cache_codec import decode_body, encode, parse_header
from requeue.cache_keys import CacheKeys, call_key, encode_tag, entry_key

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


def outcome(fn):
    """As test/cache-vectors.ts records it: the value, or the error's code (else its class)."""
    try:
        return {"value": fn()}
    except Exception as err:  # noqa: BLE001
        return {"error": getattr(err, "code", type(err).__name__), "message": str(err)}


def without_none(d):
    return {k: v for k, v in d.items() if v is not None}


class CacheVectors(unittest.TestCase):
    def test_entry_keys(self) -> None:
        v = load("cache-keys.json")
        for e in v["entries"]:
            with self.subTest(namespace=e["namespace"], key=e["key"][:40], user=e.get("user")):
                keys = CacheKeys(e["namespace"], v["prefix"])
                got = outcome(lambda: entry_key(keys, e["key"], e.get("user"), bool(e.get("userScoped"))))
                want = {k: e[k] for k in ("value", "error", "message") if k in e}
                self.assertEqual(got, want)
                if "value" in got:
                    self.assertEqual(keys.lock(got["value"]), e["lock"])

    def test_tags(self) -> None:
        for t in load("cache-keys.json")["tags"]:
            with self.subTest(tag=t["tag"][:40]):
                got = outcome(lambda: encode_tag(t["tag"]))
                self.assertEqual(got, {k: t[k] for k in ("value", "error", "message") if k in t})
                if "value" in got:
                    self.assertEqual(CacheKeys("document", "rq").tag(got["value"]), t["key"])

    def test_call_keys(self) -> None:
        for c in load("cache-keys.json")["calls"]:
            with self.subTest(name=c["name"]):
                self.assertEqual(call_key(c["name"], c["args"]), c["key"])

    def test_entry_encoding(self) -> None:
        import gzip

        for e in load("cache-entries.json")["encoded"]:
            with self.subTest(value=str(e["value"])[:40], threshold=e["threshold"]):
                got = encode(e["value"], e["freshUntil"], e["threshold"])
                self.assertEqual((got.head, got.compressed), (e["head"], e["compressed"]))
                text = gzip.decompress(got.payload).decode() if got.compressed else got.payload.decode()
                self.assertEqual(json.loads(text), e["value"])
                if not e["compressed"]:
                    self.assertEqual((text, got.bytes), (e["text"], e["bytes"]))

    def test_entry_decoding(self) -> None:
        import base64

        for d in load("cache-entries.json")["decoded"]:
            raw = base64.b64decode(d["raw"])
            with self.subTest(raw=raw[:40]):

                def read():
                    h = parse_header(raw)
                    return {"format": h.format, "freshUntil": h.fresh_until, "generation": h.generation,
                            "tags": [list(t) for t in h.tags], "value": decode_body(raw, h)}

                self.assertEqual(outcome(read), without_none({k: d.get(k) for k in ("value", "error", "message")}))


if __name__ == "__main__":
    unittest.main()
