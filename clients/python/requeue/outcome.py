"""What a handler's outcome becomes in Redis, like lib/queue/outcome.ts: a failure is the attempt
error (redacted name, message cut to ERROR_MESSAGE_MAX_LENGTH, redacted Python stack frames
written "at function (file:line:column)", innermost first like V8's), its fingerprint, and the
retry decision (reason, backoff delay with jitter from the job's own base and cap)."""
import json
import math
import os
import random as _random
import time
import traceback
from dataclasses import dataclass
from typing import Callable, List, Optional, Union

from .errors import CorruptJobError, UnrecoverableError
from .fingerprint import FingerprintParts, fingerprint_of, fingerprint_parts
from .redact import REDACT_INPUT_MAX, clip, redact

MAX_STACK_FRAMES = 15
STACK_LINE_MAX = 300
NAME_MAX = 200
CUT_MARGIN = 192
MESSAGE_MAX_LIMIT = REDACT_INPUT_MAX - CUT_MARGIN
JITTER = 0.2


def js_round(x: float) -> int:
    return int(math.floor(x + 0.5))


def exponential_delay(attempt: int, base_ms: int, max_ms: int) -> int:
    exp = min(max(attempt, 1) - 1, 52)
    return int(min(max_ms, base_ms * 2**exp))


def retry_delay(attempt: int, base_ms: int, max_ms: int, jitter: float = JITTER,
                random: Callable[[], float] = _random.random) -> int:
    """The delay after failed attempt ``attempt``: exponential, capped, jittered down by up to 20 %."""
    return max(0, js_round(exponential_delay(attempt, base_ms, max_ms) * (1 - jitter * random())))


def retry_plan(err: BaseException, attempt: int, base_ms: int, max_ms: int,
               random: Callable[[], float] = _random.random) -> "tuple[str, int]":
    if isinstance(err, CorruptJobError):
        return "corrupt", -1
    if isinstance(err, UnrecoverableError) or type(err).__name__ == "UnrecoverableError":
        return "unrecoverable", -1
    return "failed", retry_delay(attempt, base_ms, max_ms, JITTER, random)


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))


def _machinery(filename: str) -> bool:
    """A frame of the consumer itself or of the thread pool that called the handler."""
    return os.path.dirname(os.path.abspath(filename)) == _PACKAGE_DIR or "concurrent" + os.sep + "futures" in filename


def frames_of(err: BaseException) -> Optional[str]:
    """Up to MAX_STACK_FRAMES frames of the traceback, innermost first, each cut with the margin;
    the frames that called the handler (this package, the thread pool) are left out."""
    tb = list(traceback.extract_tb(err.__traceback__)) if err.__traceback__ else []
    while len(tb) > 1 and _machinery(tb[0].filename):
        tb.pop(0)
    lines: List[str] = []
    for f in reversed(tb):
        col = getattr(f, "colno", None) or 0
        lines.append(clip("at %s (%s:%d:%d)" % (f.name, f.filename, f.lineno or 0, col), STACK_LINE_MAX + CUT_MARGIN))
        if len(lines) == MAX_STACK_FRAMES:
            break
    return "\n".join(lines) if lines else None


@dataclass
class Failure:
    id: str
    attempt: int
    record: str
    delay: int
    reason: str
    name: str
    fp: str
    group: FingerprintParts

    def args(self) -> List[Union[str, int]]:
        """The 9 ARGV entries of fail-10.lua."""
        return [self.id, self.attempt, self.record, self.delay, self.reason, self.fp, self.name,
                self.group.message, self.group.top_frame]


def _safe_str(err: BaseException) -> str:
    try:
        return str(err)
    except Exception:  # a __str__ that raises: record the failure anyway
        return "(unprintable)"


def failure_of(job_id: str, attempt: int, base_ms: int, max_ms: int, err: BaseException, consumer: str,
               message_max: int, random: Callable[[], float] = _random.random) -> Failure:
    limit = max(1, min(message_max, MESSAGE_MAX_LIMIT))
    name = redact(clip(type(err).__name__ or "Error", NAME_MAX))
    message = redact(clip(_safe_str(err), limit + CUT_MARGIN))
    raw = frames_of(err)
    stack = "\n".join(clip(l, STACK_LINE_MAX) for l in redact(raw).split("\n")) if raw else None
    parts = fingerprint_parts(name, message, "\n    " + stack if stack else None)
    reason, delay = retry_plan(err, attempt, base_ms, max_ms, random)
    record = {"attempt": attempt, "name": name,
              "message": clip(message, limit - 1) + "…" if len(message) > limit else message}
    if stack is not None:
        record["stack"] = stack
    record["at"] = int(time.time() * 1000)
    record["consumer"] = consumer
    return Failure(job_id, attempt, json.dumps(record, ensure_ascii=False, separators=(",", ":")), delay, reason,
                   name, fingerprint_of(parts), parts)
