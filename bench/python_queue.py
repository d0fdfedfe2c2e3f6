"""The Python side of bench/python-queue.ts: one consumer (clients/python) on a queue the
orchestrator has pre-filled. It connects and loads the scripts, says "ready", waits for "go" on
stdin, consumes until `n` outcomes are acknowledged (completed, or dead for the failing path),
then prints "done <process CPU seconds>" and stops.

  python_queue.py noop|failing <queue> <n> <concurrency> <prefetch>
"""
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "clients" / "python"))

from requeue import Consumer, Job, Queue  # noqa: E402
from requeue.scripts import SCRIPTS  # noqa: E402


class ValidationError(Exception):
    pass


class UpstreamError(Exception):
    pass


def _hex(i: int) -> str:
    return "%08x" % ((i * 2654435761) & 0xFFFFFFFF)


# Varied failures, as bench/varied-errors.ts throws them: classes, ids and numbers in messages,
# stacks of varied depth, so no cache on the failure path hits every time.
MAKERS = [
    lambda i: UpstreamError("GET https://api.example.com/orders/%s returned 503 after %d ms" % (_hex(i), 100 + i % 900)),
    lambda i: ValidationError('field "amount" of order %s-%d must be >= 0 (got -%d.%d)' % (_hex(i), i, i % 97, i % 10)),
    lambda i: TypeError("'NoneType' object has no attribute 'customer_%d'" % (i % 13)),
    lambda i: IndexError("page %d out of range 1..%d" % (i % 5000, i % 50)),
    lambda i: RuntimeError("QUOTA EXCEEDED for tenant %s: %d/1000 requests" % (_hex(i * 7), i % 1000)),
]
_count = [0]


def via(i: int, depth: int) -> None:
    if depth > 0:
        via(i, depth - 1)
    raise MAKERS[i % len(MAKERS)](i)


def fail(job: Job) -> None:
    _count[0] += 1
    via(_count[0], _count[0] % 7)


def main() -> None:
    mode, name, n, concurrency, prefetch = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    queue = Queue(name)
    for script in ("lease", "complete", "fail", "extend", "report"):  # loaded before the clock, as in TypeScript
        queue.client.script_load(SCRIPTS.lua(script))
    consumer = Consumer(queue, fail if mode == "failing" else (lambda job: None), concurrency=concurrency,
                        prefetch=prefetch, handle_signals=False)
    key = "dead" if mode == "failing" else "completed"
    print("ready", flush=True)
    sys.stdin.readline()
    cpu = time.process_time()
    runner = threading.Thread(target=consumer.run)
    runner.start()
    while consumer.counters[key] < n:
        time.sleep(0.002)
    used = time.process_time() - cpu
    print("done %f" % used, flush=True)
    consumer.stop()
    runner.join()


if __name__ == "__main__":
    main()
