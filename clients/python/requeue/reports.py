"""Progress and log lines from running handlers (``job.progress()``, ``job.log()``), a port of
lib/queue/reports.ts: buffered (progress coalesced, the newest JOB_LOG_MAX_LINES lines kept),
redacted when sent, and written by report-1.lua in the consumer's next outcome round trip (or
after REPORT_FLUSH seconds), only while the job is still leased by this consumer."""
import json
import math
import threading
import time
from typing import Any, Dict, List, Tuple

from .errors import QueueError
from .outcome import CUT_MARGIN
from .redact import clip, redact

REPORT_FLUSH = 0.25


def _js(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def cut_to_bytes(text: str, max_bytes: int) -> str:
    """``text`` cut to at most ``max_bytes`` UTF-8 bytes, with "…" when cut (never half a character)."""
    raw = text.encode("utf-8", "surrogatepass")
    if len(raw) <= max_bytes:
        return text
    return raw[: max(0, max_bytes - 3)].decode("utf-8", "ignore") + "…"


def progress_json(value: Any, max_bytes: int) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not (math.isfinite(value) and 0 <= value <= 100):
            raise QueueError("INVALID_OPTION", "progress must be a number from 0 to 100, got %s" % value)
        return _js(value)
    if not isinstance(value, dict):
        raise QueueError("INVALID_OPTION", "progress must be a number from 0 to 100 or a plain object")
    try:
        text = _js(value)
    except (TypeError, ValueError) as err:
        raise QueueError("INVALID_OPTION", "progress is not JSON-serialisable: %s" % err) from None
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise QueueError("INVALID_OPTION", "progress is %d bytes as JSON, over the limit of %d" % (size, max_bytes))
    return text


def _redact_progress(text: str) -> str:
    out = redact(text)
    if out == text:
        return text
    try:
        json.loads(out)
        return out
    except ValueError:
        return _js(out)


class ReportBuffer:
    """Thread-safe: handlers add from their threads, the consumer loop takes."""

    def __init__(self, max_lines: int, line_max_bytes: int, progress_max_bytes: int) -> None:
        self.max_lines, self.line_max_bytes, self.progress_max_bytes = max_lines, line_max_bytes, progress_max_bytes
        self._pending: Dict[Tuple[str, int], Dict[str, Any]] = {}
        self._lock = threading.Lock()
        self.first_at = 0.0  # time.monotonic() of the oldest report waiting (0: none)

    def _entry(self, job_id: str, attempt: int) -> Dict[str, Any]:
        if not self.first_at:
            self.first_at = time.monotonic()
        return self._pending.setdefault((job_id, attempt), {"progress": None, "lines": [], "dropped": 0})

    def progress(self, job_id: str, attempt: int, value: Any) -> None:
        text = progress_json(value, self.progress_max_bytes)  # raised in the handler: it sees a bad value
        with self._lock:
            self._entry(job_id, attempt)["progress"] = text

    def log(self, job_id: str, attempt: int, text: Any) -> None:
        raw = clip(text if isinstance(text, str) else str(text), self.line_max_bytes + CUT_MARGIN)
        with self._lock:
            p = self._entry(job_id, attempt)
            p["lines"].append((int(time.time() * 1000), raw))
            if len(p["lines"]) > self.max_lines:
                p["lines"].pop(0)
                p["dropped"] += 1

    def due(self, stopping: bool = False) -> bool:
        return bool(self._pending) and (stopping or time.monotonic() - self.first_at >= REPORT_FLUSH)

    def take(self) -> List[Any]:
        """The ARGV tail of report-1.lua (after consumer id and lines kept); empties the buffer."""
        with self._lock:
            pending, self._pending, self.first_at = self._pending, {}, 0.0
        args: List[Any] = []
        for (job_id, attempt), p in pending.items():
            lines = [_js({"at": at, "attempt": attempt, "text": cut_to_bytes(redact(raw), self.line_max_bytes)})
                     for at, raw in p["lines"]]
            progress = "" if p["progress"] is None else _redact_progress(p["progress"])
            args += [job_id, attempt, progress, p["dropped"], len(lines), *lines]
        return args
