"""Requeue for Python: produce and consume jobs of Requeue queues over redis-py, with the same
Redis keys and the same Lua scripts as the TypeScript library (docs/python.md)."""
# the cache (explicit re-exports, as a typed package needs them)
from .cache import Cache as Cache, InvalidationResult as InvalidationResult
from .cache_config import CacheSettings as CacheSettings, load_cache_settings as load_cache_settings
from .errors import CacheError as CacheError

from .config import ConfigError, Settings, load_settings
from .connection import connect
from .consumer import Consumer, Job
from .errors import (AddTimeoutError, CorruptJobError, JobTimeoutError, NotReplicatedError, QueueError, RequeueError,
                     ScriptTreeError, UnrecoverableError)
from .queue import AddResult, Queue

__all__ = ["AddResult", "AddTimeoutError", "ConfigError", "Consumer", "CorruptJobError", "Job", "JobTimeoutError",
           "NotReplicatedError", "Queue", "QueueError", "RequeueError", "ScriptTreeError", "Settings", "UnrecoverableError",
           "connect", "load_settings"]
