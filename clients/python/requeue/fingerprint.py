"""Error fingerprints, a port of lib/queue/fingerprint.ts: first 16 hex of
SHA-1(name \\n normalised message \\n top frame)."""
import hashlib
import re
from dataclasses import dataclass
from typing import Match, Optional

from ._jsre import S

NORMALIZE_INPUT_MAX = 4000
F = re.ASCII
FI = re.ASCII | re.IGNORECASE

_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b", FI)
_HEX0X = re.compile(r"\b0x[0-9a-f]{1,4000}\b", FI)
_HEX = re.compile(r"\b(?=[0-9a-f]{0,4000}\d)(?=[0-9a-f]{0,4000}[a-f])[0-9a-f]{8,4000}\b", FI)
_RUN = re.compile(r"[A-Za-z0-9_-]{16,4000}", F)
_NUM = re.compile(r"\d{1,4000}(\.\d{1,4000})?", F)
_SPACE = re.compile(S + "{1,4000}")
_FRAME_LINE = re.compile(S + r"{0,16}at" + S, F)
_AT = re.compile(r"^at" + S + "{1,16}", F)
_LINE_COL = re.compile(r":\d{1,10}:\d{1,10}\)?\Z", F)
_QUERY = re.compile(r"\?[^%s)]{0,1000}" % S[1:-1], F)
_TRIM = "\t\n\x0b\x0c\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"


@dataclass(frozen=True)
class FingerprintParts:
    name: str
    message: str
    top_frame: str


def _id_run(m: Match[str]) -> str:
    run = m.group(0)
    start, end = 0, len(run)
    while start < end and run[start] == "-":
        start += 1
    while end > start and run[end - 1] == "-":
        end -= 1
    if end - start < 16 or not re.search(r"\d", run, F):
        return run
    return run[:start] + "<id>" + run[end:]


def normalize_message(message: str) -> str:
    out = message[:NORMALIZE_INPUT_MAX]
    out = _UUID.sub("<uuid>", out)
    out = _HEX0X.sub("<hex>", out)
    out = _HEX.sub("<hex>", out)
    out = _RUN.sub(_id_run, out)
    out = _NUM.sub("<n>", out)
    out = _SPACE.sub(" ", out)
    return out.strip(_TRIM)[:500]


def top_frame(stack: Optional[str]) -> str:
    """The first "at …" line of a stack, without line and column numbers."""
    if not stack:
        return ""
    line = next((l for l in stack.split("\n")[:1000] if _FRAME_LINE.match(l)), None)
    if line is None:
        return ""
    out = line[:1000].strip(_TRIM)
    out = _AT.sub("", out, count=1)
    out = _LINE_COL.sub(lambda m: ")" if m.group(0).endswith(")") else "", out, count=1)
    out = _QUERY.sub("", out, count=1)
    return out[:300]


def fingerprint_parts(name: str, message: str, stack: Optional[str] = None) -> FingerprintParts:
    return FingerprintParts(name or "Error", normalize_message(message), top_frame(stack))


def fingerprint_of(parts: FingerprintParts) -> str:
    text = "%s\n%s\n%s" % (parts.name, parts.message, parts.top_frame)
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def fingerprint(name: str, message: str, stack: Optional[str] = None) -> str:
    return fingerprint_of(fingerprint_parts(name, message, stack))
