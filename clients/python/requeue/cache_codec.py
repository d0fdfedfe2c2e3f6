"""How a cached value is stored, as lib/cache/codec.ts stores it: one Redis string, a header
line, then the payload.

    <format><freshUntilMs>|<generation>|<tag>=<version>,<tag>=<version>\\n<payload>

format is ``j`` (JSON text) or ``z`` (gzip of the JSON text, for values over the compression
threshold). The write script fills in the generation and tag versions current at write time; a
read fetches the current ones in the same MGET as the entry and compares."""
import gzip
import json
import math
from typing import Any, List, NamedTuple, Optional, Sequence, Set, Tuple

from .cache_keys import escape_lone_surrogates
from .errors import CacheError


class Header(NamedTuple):
    format: str  # "j" or "z"
    fresh_until: float  # ms since the epoch after which the entry is stale
    generation: str
    tags: List[Tuple[str, Optional[str]]]  # (encoded tag, version) as recorded at write time
    body_offset: int


class Encoded(NamedTuple):
    head: str  # the header's head; the write script appends generation and tags
    payload: bytes
    compressed: bool
    bytes: int


def to_json(value: Any) -> str:
    """The JSON text of a value (compact, UTF-8; NaN and other non-JSON refused)."""
    try:
        text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError, RecursionError) as err:
        raise CacheError("CACHE_INVALID_ARGUMENT", "the value is not JSON-serialisable: %s" % err) from None
    return escape_lone_surrogates(text)


def encode(value: Any, fresh_until_ms: float, compress_threshold: int) -> Encoded:
    fresh_until = int(math.floor(fresh_until_ms))
    data = to_json(value).encode("utf-8")
    if compress_threshold > 0 and len(data) > compress_threshold:
        # the fastest level: any gzip reads back in either language; mtime 0 keeps it reproducible
        payload = gzip.compress(data, compresslevel=1, mtime=0)
        return Encoded("z%d" % fresh_until, payload, True, len(payload))
    return Encoded("j%d" % fresh_until, data, False, len(data))


def _corrupt() -> CacheError:
    return CacheError("CACHE_CORRUPT_VALUE", "cached entry has an unknown format")


def _number(text: str) -> float:
    """JavaScript's Number() of the header's time (an older writer may have left a fraction)."""
    if text.isdigit():
        return int(text)
    try:
        return float(text) if text.strip() else 0
    except ValueError:
        return math.nan


def parse_header(raw: bytes) -> Header:
    nl = raw.find(b"\n")
    if nl < 0:
        raise _corrupt()
    parts = raw[:nl].decode("latin-1").split("|")
    head = parts[0]
    if head[:1] not in ("j", "z") or len(parts) < 3:
        raise _corrupt()
    tags: List[Tuple[str, Optional[str]]] = []
    if parts[2]:
        for pair in parts[2].split(","):
            tag_version = pair.split("=")
            tags.append((tag_version[0], tag_version[1] if len(tag_version) > 1 else None))
    return Header(head[0], _number(head[1:]), parts[1], tags, nl + 1)


def body_text(raw: bytes, h: Header) -> str:
    """The JSON text of an entry whose header was parsed (unzipped)."""
    body = raw[h.body_offset:]
    return (gzip.decompress(body) if h.format == "z" else body).decode("utf-8")


def decode_body(raw: bytes, h: Header) -> Any:
    return json.loads(body_text(raw, h))


def _normalize_field(name: str) -> str:
    return name.lower().replace("_", "").replace("-", "")


def find_secret_fields(value: Any, fields: Sequence[str], max_depth: int = 8) -> List[str]:
    """Field names that look like secrets, anywhere in the value (depth-bounded): compared
    without case, ``_`` or ``-``, so ``api_key``, ``apiKey`` and ``API-KEY`` all match. A field
    counts when its value is neither None nor ""."""
    wanted: Set[str] = {_normalize_field(f) for f in fields}
    found: List[str] = []

    def visit(v: Any, depth: int) -> None:
        if depth > max_depth:
            return
        if isinstance(v, (list, tuple)):
            for item in v[:1000]:
                visit(item, depth + 1)
        elif isinstance(v, dict):
            for k, child in v.items():
                k = str(k)
                if _normalize_field(k) in wanted and child is not None and child != "" and k not in found:
                    found.append(k)
                visit(child, depth + 1)

    visit(value, 0)
    return found


def secret_refused(namespace: str, found: Sequence[str]) -> CacheError:
    """The refusal, worded as lib/cache/namespace.ts words it (its option is allow_secrets=True here)."""
    return CacheError(
        "CACHE_SECRET_REFUSED",
        "refusing to cache a value of namespace %s with secret-looking fields (%s); "
        "remove them or pass { allowSecrets: true }" % (namespace, ", ".join(found)),
    )
