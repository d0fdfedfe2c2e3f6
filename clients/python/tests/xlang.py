"""A Python side for the cross-language tests (test/python.test.ts), configured by the same
environment variables as any Requeue process:

  xlang.py produce <queue>   jobs as JSON on stdin: [{"data":…, "job_id":…, …}]; prints the results
  xlang.py consume <queue>   runs until SIGTERM; each job is pushed, as JSON [id, data, metadata,
                             attempt], to the list <queue's base key>:xlang-seen (a test-only key);
                             a job whose data has "sleep": seconds sleeps that long first, then
                             says "woke <id>" (on stdout when "quiet": true, else in that list);
                             a job whose data has "fail": true reports progress and a log line,
                             then raises RuntimeError (message and log line hold a secret the
                             record must not keep), "unrecoverable": true raises
                             UnrecoverableError
"""
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from requeue import Job, Queue, UnrecoverableError  # noqa: E402


def convert(job: Job) -> None:
    raise RuntimeError("cannot convert document %s: password=hunter2 rejected" % job.id)


def main() -> int:
    command, name = sys.argv[1], sys.argv[2]
    queue = Queue(name)
    if command == "produce":
        results = queue.add_batch(json.load(sys.stdin))
        print(json.dumps([{"id": r.id, "added": r.added} for r in results]))
        return 0

    def handle(job: Job) -> str:
        queue.client.rpush(queue.keys.base + ":xlang-seen", json.dumps([job.id, job.data, job.metadata, job.attempt]))
        if isinstance(job.data, dict) and job.data.get("sleep"):
            time.sleep(float(job.data["sleep"]))
            if job.data.get("quiet"):
                print("woke", job.id, flush=True)
            else:
                queue.client.rpush(queue.keys.base + ":xlang-seen", json.dumps(["woke", job.id]))
        if isinstance(job.data, dict) and job.data.get("unrecoverable"):
            raise UnrecoverableError("bad input for %s" % job.id)
        if isinstance(job.data, dict) and job.data.get("fail"):
            job.progress({"stage": "convert", "attempt": job.attempt})
            job.log("converting with password=hunter2")
            convert(job)
        return "ok"

    print("consuming", flush=True)
    queue.process(handle, concurrency=int(sys.argv[3]) if len(sys.argv) > 3 else 2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
