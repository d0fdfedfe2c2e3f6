"""The errors the client raises, with the codes of lib/queue/errors.ts."""
from typing import Any, List, Optional


class RequeueError(Exception):
    """An error with a stable code (same codes as the TypeScript library)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class QueueError(RequeueError):
    """PAYLOAD_NOT_JSON, PAYLOAD_TOO_LARGE, INVALID_OPTION, SCRIPT_FAILED, ADD_TIMEOUT, NOT_REPLICATED."""


class AddTimeoutError(QueueError):
    """Redis did not answer an add within JOB_ADD_TIMEOUT_MS (down, paused or too slow)."""

    def __init__(self, queue: str, timeout_ms: int, jobs: int) -> None:
        super().__init__(
            "ADD_TIMEOUT",
            "add of %d job(s) to queue %s was not acknowledged within %d ms (Redis down, paused or too slow): "
            "they may or may not be stored, and may still be stored when Redis answers; add them again with "
            "the same jobId (an existing id is not added twice)" % (jobs, queue, timeout_ms))
        self.queue, self.timeout_ms, self.jobs = queue, timeout_ms, jobs


class NotReplicatedError(QueueError):
    """JOB_ADD_REPLICAS > 0 and fewer replicas acknowledged the add within JOB_ADD_REPLICAS_TIMEOUT_MS."""

    def __init__(self, results: List[Any], replicas: int, wanted: int) -> None:
        super().__init__(
            "NOT_REPLICATED",
            "%d job(s) reached %d of %d replica(s) in time: written on the master, they may not survive a "
            "failover" % (len(results), replicas, wanted))
        self.results, self.replicas, self.wanted = results, replicas, wanted


class ScriptTreeError(RequeueError):
    """SCRIPT_TREE: the Lua scripts cannot be used as they are (requeue/scripts.py): a file missing or
    unreadable, an include repeated, or a script that expands to another SHA than TypeScript's."""

    def __init__(self, message: str) -> None:
        super().__init__("SCRIPT_TREE", message)


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
