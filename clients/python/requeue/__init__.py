"""Requeue for Python: produce and consume jobs of Requeue queues over redis-py, with the same
Redis keys and the same Lua scripts as the TypeScript library (docs/python.md)."""
from .config import ConfigError, Settings, load_settings
from .consumer import Consumer, Job
from .errors import CorruptJobError, JobTimeoutError, QueueError, RequeueError, UnrecoverableError
from .queue import AddResult, Queue
from .cache import Cache, InvalidationResult
from .cache_config import CacheSettings, load_cache_settings
from .errors import CacheError

__all__ = ["AddResult", "ConfigError", "Consumer", "CorruptJobError", "Job", "JobTimeoutError", "Queue",
           "QueueError", "RequeueError", "Settings", "UnrecoverableError", "load_settings"]
__all__ += ["Cache", "CacheError", "CacheSettings", "InvalidationResult", "load_cache_settings"]
