"""The keys of one queue, as lib/redis/keys.ts names them (docs/storage.md): all share the
``{queue}`` hash tag."""
import re
import time
from typing import List

from .errors import QueueError

_QUEUE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}\Z")


def is_valid_queue_name(name: str) -> bool:
    return bool(_QUEUE_NAME.match(name))


def minute_of(ms: float) -> int:
    return int(ms // 60_000)


class QueueKeys:
    def __init__(self, queue: str, prefix: str) -> None:
        if not is_valid_queue_name(queue):
            raise QueueError("INVALID_OPTION", "invalid queue name %s" % _quote(queue))
        self.base = "%s:{%s}" % (prefix, queue)
        b = self.base
        self.ready, self.active, self.retry = b + ":ready", b + ":active", b + ":retry"
        self.completed, self.done, self.consumers = b + ":completed", b + ":done", b + ":consumers"
        self.dead, self.groups, self.totals = b + ":dead", b + ":groups", b + ":totals"
        self.seq, self.paused = b + ":seq", b + ":paused"

    def job(self, job_id: str) -> str:
        return "%s:job:%s" % (self.base, job_id)

    def stats_now(self) -> str:
        return "%s:stats:%d" % (self.base, minute_of(time.time() * 1000))

    # KEYS lists in each script header's order (lib/queue/context.ts)
    def dead_keys(self) -> List[str]:
        return [self.active, self.ready, self.retry, self.dead, self.groups, self.totals, self.stats_now(),
                self.job(""), self.base + ":group:", self.base + ":groupinfo:"]

    def lease_keys(self) -> List[str]:
        return self.dead_keys() + [self.paused]

    def add_keys(self) -> List[str]:
        return [self.ready, self.retry, self.completed, self.stats_now(), self.seq, self.job("")]

    def complete_keys(self) -> List[str]:
        return [self.active, self.completed, self.stats_now(), self.job(""), self.done]

    def extend_keys(self) -> List[str]:
        return [self.active, self.job(""), self.consumers]

    def release_keys(self) -> List[str]:
        return [self.active, self.ready, self.job("")]


def _quote(s: str) -> str:
    import json

    return json.dumps(s, ensure_ascii=False)
