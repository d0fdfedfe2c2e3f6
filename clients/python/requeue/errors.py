"""The errors the client raises, with the codes of lib/queue/errors.ts."""
from typing import List, Optional


class RequeueError(Exception):
    """An error with a stable code (same codes as the TypeScript library)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class QueueError(RequeueError):
    """PAYLOAD_NOT_JSON, PAYLOAD_TOO_LARGE, INVALID_OPTION, SCRIPT_FAILED."""


class CacheError(RequeueError):
    """The codes of lib/cache/errors.ts: CACHE_SECRET_REFUSED, CACHE_INVALID_NAMESPACE,
    CACHE_INVALID_ARGUMENT, CACHE_UNAVAILABLE, CACHE_CIRCUIT_OPEN, CACHE_CORRUPT_VALUE."""


class ConfigError(RequeueError):
    """Bad environment variables: every problem, one per line, like lib/config.ts."""

    def __init__(self, problems: List[str]) -> None:
        super().__init__("CONFIG_INVALID", "Invalid configuration:\n  " + "\n  ".join(problems))
        self.problems = problems


class UnrecoverableError(Exception):
    """Raise from a handler when retrying cannot help: the job goes to the DLQ at once."""


class CorruptJobError(Exception):
    """The stored payload could not be parsed (not the handler's failure)."""


class JobTimeoutError(Exception):
    """The handler ran longer than its timeout; counts as a failed attempt."""

    def __init__(self, timeout_ms: int, message: Optional[str] = None) -> None:
        super().__init__(message or "handler timed out after %d ms" % timeout_ms)
        self.timeout_ms = timeout_ms
