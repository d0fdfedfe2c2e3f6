"""A Python consumer for the chaos run's mixed mode (scripts/chaos.ts with CHAOS_MIX=python):
the same handler as the TypeScript consumer there (2 ms at most, "always" jobs fail, "flaky"
ones half the time, each successful run counted in Redis), on the clients/python package.
Started with /usr/bin/python3 and the chaos run's environment; SIGKILLed like the others."""
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "clients" / "python"))

import redis  # noqa: E402

from requeue import Job, Queue  # noqa: E402

QUEUE, PREFIX = "chaos", "chaos"


def main() -> None:
    queue = Queue(QUEUE)

    def count(job_id: str) -> None:
        # Redis may be down (the run kill -9s it): wait for it, as the TypeScript client's
        # offline queue does, rather than fail a job that succeeded
        while True:
            try:
                p = queue.client.pipeline(transaction=False)
                p.hincrby(PREFIX + ":ok-runs", job_id, 1)
                p.hincrby(PREFIX + ":ok-runs-by", "python", 1)
                p.execute()
                return
            except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError):
                time.sleep(0.1)

    def handle(job: Job) -> None:
        time.sleep(random.random() * 0.002)
        if job.data["kind"] == "always":
            raise RuntimeError("always fails (job %s)" % job.id)
        if job.data["kind"] == "flaky" and random.random() < 0.5:
            raise RuntimeError("flaky failure")
        count(job.id)

    queue.process(handle, concurrency=20)


if __name__ == "__main__":
    main()
