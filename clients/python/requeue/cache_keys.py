"""Cache key building, as lib/redis/keys.ts (cacheKeys, the stats keys) and lib/cache/wrap.ts
(entryKeyOf, callKey) build them: one value, one Redis key, in either language. All keys of a
namespace share the hash tag ``{c:<namespace>}`` (docs/storage.md)."""
import hashlib
import json
import math
import re
from typing import Any, List
from urllib.parse import quote

from .errors import CacheError

MAX_KEY_LENGTH = 200  # UTF-16 code units, as JavaScript counts a string's length
_NAMESPACE = re.compile(r"^[A-Za-z0-9_.-]{1,64}\Z")
_SURROGATE = re.compile("[\ud800-\udfff]")


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _joined(text: str) -> str:
    """Surrogate pairs held as two code points become the one character JavaScript sees."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def is_well_formed(text: str) -> bool:
    """JavaScript's String.prototype.isWellFormed: no lone UTF-16 surrogate."""
    return not _SURROGATE.search(text) or not _SURROGATE.search(_joined(text))


def encode_uri_component(text: str) -> str:
    return quote(_joined(text), safe="-_.!~*'()")


def check_namespace(name: Any) -> str:
    if not isinstance(name, str) or not _NAMESPACE.match(name):
        raise CacheError("CACHE_INVALID_NAMESPACE", "invalid namespace name %s" % js_stringify(name, False))
    return name


def entry_key_of(key: Any) -> str:
    """A caller's key as it appears in Redis: itself, or ``#<sha256>`` when longer than 200
    characters (hashed from UTF-8) or not well-formed (hashed from its UTF-16 code units, so two
    different lone surrogates stay two entries)."""
    if not isinstance(key, str) or key == "":
        raise TypeError("a cache key must be a non-empty string")
    if not is_well_formed(key):
        return "#" + hashlib.sha256(key.encode("utf-16-le", "surrogatepass")).hexdigest()
    key = _joined(key)
    if utf16_length(key) <= MAX_KEY_LENGTH:
        return key
    return "#" + hashlib.sha256(key.encode("utf-8")).hexdigest()


def encode_tag(tag: Any) -> str:
    """Tags appear in keys and in the entry header: percent-encoded (encodeURIComponent)."""
    if not isinstance(tag, str) or tag == "" or utf16_length(tag) > 256 or not is_well_formed(tag):
        raise CacheError("CACHE_INVALID_ARGUMENT", "a tag must be a well-formed string of 1-256 characters")
    return encode_uri_component(tag)


def normalize_tags(tags: List[str]) -> List[str]:
    """Tags as stored: encoded, deduplicated, in their first order."""
    return list(dict.fromkeys(encode_tag(t) for t in tags))


class CacheKeys:
    """The keys of one namespace (lib/redis/keys.ts cacheKeys)."""

    def __init__(self, namespace: str, prefix: str) -> None:
        self.namespace = namespace
        self.base = "%s:cache:{c:%s}" % (prefix, namespace)
        self.generation = self.base + ":gen"
        self.meta = self.base + ":meta"
        self.stats_minutes = "%s:cstats:{%s}:minutes" % (prefix, namespace)
        self._stats = "%s:cstats:{%s}:" % (prefix, namespace)

    def entry(self, key: str) -> str:
        return self.base + ":k:" + key

    def user_entry(self, user: str, key: str) -> str:
        return "%s:u:%s:%s" % (self.base, user, key)

    def tag(self, encoded_tag: str) -> str:
        return self.base + ":t:" + encoded_tag

    def lock(self, entry_key: str) -> str:
        return self.base + ":l:" + entry_key[len(self.base) + 1:]

    def stats(self, minute: int) -> str:
        return self._stats + str(minute)


def global_cache_keys(prefix: str) -> "dict[str, str]":
    """The registry of namespaces and the per-instance breaker reports."""
    return {"namespaces": prefix + ":cache:namespaces", "breakers": prefix + ":cache:breakers"}


def entry_key(keys: CacheKeys, key: str, user: Any = None, user_scoped: bool = False) -> str:
    """The full Redis key of an entry (lib/cache/namespace.ts entryKey)."""
    if user_scoped and user is None:
        raise CacheError("CACHE_INVALID_ARGUMENT", "namespace %s is user-scoped: pass { user }" % keys.namespace)
    k = entry_key_of(key)
    if user is None:
        return keys.entry(k)
    if not isinstance(user, str) or user == "" or not is_well_formed(user):
        raise CacheError("CACHE_INVALID_ARGUMENT", "user must be a non-empty, well-formed string")
    return keys.user_entry(encode_uri_component(user), k)


# --- callKey: JSON.stringify of the arguments, object keys sorted --------------------------


def js_number(x: float) -> str:
    """A number as JavaScript's Number#toString writes it (1.0 → "1", 1e-7 → "1e-7")."""
    if isinstance(x, int):
        return str(x)
    if not math.isfinite(x):
        return "null"
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    r = repr(abs(x))
    mantissa, _, exp = r.partition("e")
    whole, _, frac = mantissa.partition(".")
    combined = whole + frac
    digits = combined.lstrip("0")
    n = len(whole) + int(exp or 0) - (len(combined) - len(digits))
    digits = digits.rstrip("0")
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    e = n - 1
    return "%s%s%se%s%d" % (sign, digits[0], "." + digits[1:] if k > 1 else "", "+" if e >= 0 else "-", abs(e))


def escape_lone_surrogates(json_text: str) -> str:
    """JSON.stringify writes a lone surrogate as an escape (json.dumps leaves it raw)."""
    if not _SURROGATE.search(json_text):
        return json_text
    return _SURROGATE.sub(lambda m: "\\u%04x" % ord(m.group(0)), _joined(json_text))


def _js_string(s: str) -> str:
    return escape_lone_surrogates(json.dumps(s, ensure_ascii=False))


def _utf16_order(k: str) -> bytes:
    return k.encode("utf-16-be", "surrogatepass")


def js_stringify(value: Any, sort_keys: bool = True) -> str:
    """JSON.stringify's text for JSON-like values; with ``sort_keys`` as lib/cache/wrap.ts's
    stableStringify (object keys in JavaScript's order: UTF-16 code units)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return js_number(value)
    if isinstance(value, str):
        return _js_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(js_stringify(v, sort_keys) for v in value) + "]"
    if isinstance(value, dict):
        items = [(str(k), v) for k, v in value.items()]
        if sort_keys:
            items.sort(key=lambda kv: _utf16_order(kv[0]))
        return "{" + ",".join(_js_string(k) + ":" + js_stringify(v, sort_keys) for k, v in items) + "}"
    raise TypeError("%s is not JSON" % type(value).__name__)


def call_key(name: str, args: List[Any]) -> str:
    """The key of one call of a cached function: ``<name>:<stable JSON of the arguments>``."""
    return "%s:%s" % (name, js_stringify(list(args)))
