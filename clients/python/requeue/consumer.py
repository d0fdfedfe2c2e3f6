"""The consumer: a loop that leases jobs (lease-11.lua) for free handler threads and a prefetch
beyond them (the same meaning as the TypeScript consumer's ``prefetch``: jobs leased ahead,
marked ``pf`` until their handler starts, so a crash before that refunds their attempt), runs them,
and sends the outcomes of every handler that finished since the last turn in one round trip
(complete-5.lua and fail-10.lua pipelined). A second thread renews the leases of running jobs
every lease/3 with the consumer's heartbeat (extend-3.lua). SIGTERM/SIGINT stop leasing, hand
back jobs whose handler has not started (release-3.lua), and wait for running handlers.

Threads, not asyncio: handlers are ordinary (blocking) functions. A handler past its timeout
(JOB_TIMEOUT_SECONDS) is recorded as failed with JobTimeoutError; Python cannot stop a thread,
so its thread runs on and whatever it returns is ignored (its slot stays busy until it ends).

While Redis is unreachable the loop waits and retries (up to 2 s apart); outcomes not yet sent
stay in an outbox and go with the next round trip (the scripts refuse an outcome twice: -3)."""
import json
import logging
import os
import random
import signal
import socket
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Optional, Tuple

import redis

from .errors import CorruptJobError, JobTimeoutError
from .outcome import Failure, failure_of
from .reports import ReportBuffer
from .scripts import SCRIPTS

if TYPE_CHECKING:
    from .queue import Queue

PROMOTE_LIMIT = 1000
MAX_LEASE = 200  # most jobs leased in one call (lib/queue/pump.ts)
CHECK_IN = 0.25  # holding jobs not started: ask Redis at least this often, so a pause is seen
PROMOTE_EVERY_MS = 1000
RETRY_MAX_WAIT = 2.0
log = logging.getLogger("requeue")


@dataclass
class Job:
    """What a handler receives."""

    id: str
    queue: str
    data: Any
    metadata: Dict[str, Any]
    attempt: int
    max_attempts: int
    created_at: int
    backoff_base_ms: int = 0
    backoff_max_ms: int = 0
    reports: Optional[ReportBuffer] = field(default=None, repr=False)

    def progress(self, value: Any) -> None:
        """A number from 0 to 100 or a JSON object (JOB_PROGRESS_MAX_BYTES); sent with the next round trip."""
        if self.reports is not None:
            self.reports.progress(self.id, self.attempt, value)

    def log(self, text: Any) -> None:
        """A log line (redacted, cut to JOB_LOG_MAX_LINE_BYTES); the job keeps the newest JOB_LOG_MAX_LINES."""
        if self.reports is not None:
            self.reports.log(self.id, self.attempt, text)


@dataclass
class _Running:
    job: Job
    future: "Optional[Future[Any]]" = None
    started: Optional[float] = None  # time.monotonic() when the handler began
    corrupt: Optional[str] = None
    prefetched: bool = False  # leased beyond the free slots: Redis learns when its handler starts


def _now_ms() -> int:
    return int(time.time() * 1000)


class Consumer:
    def __init__(self, queue: "Queue", handler: Callable[[Job], Any], concurrency: int = 1,
                 consumer_id: Optional[str] = None, handle_signals: bool = True,
                 idle_wait: float = 0.2, prefetch: Optional[int] = None) -> None:
        if not isinstance(concurrency, int) or isinstance(concurrency, bool) or concurrency < 1:
            raise ValueError("concurrency must be an integer >= 1")
        if prefetch is not None and (not isinstance(prefetch, int) or isinstance(prefetch, bool) or prefetch < 0):
            raise ValueError("prefetch must be an integer >= 0")
        # lib/queue/consumer.ts's default: as many as the handlers, at most 100
        self.prefetch = min(100, concurrency) if prefetch is None else prefetch
        self.q = queue
        self.s = queue.settings
        self.handler = handler
        self.concurrency = concurrency
        self.id = consumer_id or "%s:%d:%s" % (socket.gethostname(), os.getpid(), os.urandom(3).hex())
        self.handle_signals = handle_signals
        self.idle_wait = idle_wait
        self.extend_every = max(0.05, (self.s.lease_ms // 3) / 1000)
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        self._running: Dict[Tuple[str, int], _Running] = {}
        self._busy = 0  # handler threads in use (a timed-out handler keeps its thread)
        self._queued = 0  # jobs handed to the pool whose handler has not started
        self._starts: List[str] = []  # prefetched jobs whose handler started: told with the next lease
        self._last_lease = 0.0
        self._last_promote = 0
        self._next_due = float("inf")
        # outcomes not yet acknowledged by Redis: complete-5 triples, failures
        self._out_done: List[Any] = []
        self._out_failed: List[Failure] = []
        self._out_reports: List[Any] = []
        # acknowledged outcomes, as lib/queue/consumer.ts counts them (rc < 0: the lease was lost)
        self.counters = {"completed": 0, "failed": 0, "dead": 0, "lost": 0}
        self.reports = ReportBuffer(self.s.log_max_lines, self.s.log_line_max_bytes, self.s.progress_max_bytes)

    def stop(self) -> None:
        """Stops leasing; run() returns once running handlers have finished."""
        self._stop.set()
        self._wake.set()

    # -- the loop ---------------------------------------------------------------------------
    def run(self) -> None:
        if self.handle_signals and threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: self.stop())
        pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="requeue-handler")
        extender = threading.Thread(target=self._extend_loop, name="requeue-extend", daemon=True)
        extender.start()
        failing = 0
        try:
            while not self._stop.is_set():
                self._wake.clear()
                try:
                    acted = self._settle()
                    leased = self._lease(pool)
                    failing = 0
                except redis.exceptions.RedisError as err:
                    failing += 1
                    log.warning("requeue consumer %s: Redis call failed (%s); retrying, %d outcome(s) waiting",
                                self.id, err, len(self._out_done) // 3 + len(self._out_failed))
                    self._stop.wait(min(RETRY_MAX_WAIT, 0.05 * 2**failing))
                    continue
                if not acted and leased == 0:
                    self._wake.wait(CHECK_IN if self._queued else self.idle_wait)
            self._shutdown(pool)
        finally:
            pool.shutdown(wait=False)
            self._stop.set()

    def _promote_limit(self, now: int) -> int:
        if now < self._next_due and now - self._last_promote < PROMOTE_EVERY_MS:
            return 0
        self._last_promote, self._next_due = now, float("inf")
        return PROMOTE_LIMIT

    def _lease(self, pool: ThreadPoolExecutor) -> int:
        """Leases to fill the free slots and the prefetch (the jobs beyond the free slots are
        marked prefetched by lease-11.lua), telling Redis of prefetched jobs that started. Sends
        nothing when there is no room, no start to tell and no check-in due. Returns jobs leased."""
        s = self.s
        with self._lock:
            held = self._busy + self._queued
            free = max(0, self.concurrency - held)
            count = max(0, min(MAX_LEASE, self.concurrency + self.prefetch - held))
            starts, self._starts = self._starts, []
        check_in = self._queued > 0 and time.monotonic() - self._last_lease >= CHECK_IN
        if count == 0 and not starts and not check_in:
            return 0
        self._last_lease = time.monotonic()
        try:
            reply = SCRIPTS.run(self.q.client, "lease", self.q.keys.lease_keys(),
                                [self.id, count, s.lease_ms, self._promote_limit(_now_ms()), s.dlq_retention_ms,
                                 s.dlq_max_entries, free, *starts])
        except Exception:
            with self._lock:
                self._starts = starts + self._starts  # told with the next lease call
            raise
        next_due = int(reply[0])
        if next_due >= 0:
            self._next_due = min(self._next_due, next_due)
        if int(reply[1]) == 1:  # paused: nothing leased; hand back what has not started
            self._release(self._take_unstarted())
        rows = reply[2:]
        for i in range(0, len(rows), 8):
            job_id, payload, meta, attempt, max_att, bb, bm, ct = rows[i:i + 8]
            job = Job(str(job_id), self.q.name, None, {}, int(attempt), int(max_att), int(ct), int(bb), int(bm),
                      self.reports)
            run = _Running(job, prefetched=i // 8 >= free)
            try:
                job.data = json.loads(payload)
                job.metadata = json.loads(meta) if meta else {}
            except ValueError as err:
                run.corrupt = "stored payload is not JSON: %s" % err
            with self._lock:
                self._running[(job.id, job.attempt)] = run
                if run.corrupt is None:
                    self._queued += 1
                    run.future = pool.submit(self._call, run)
        return len(rows) // 8

    def _call(self, run: _Running) -> Any:
        run.started = time.monotonic()
        with self._lock:
            self._queued -= 1
            self._busy += 1
            if run.prefetched:
                self._starts.append(run.job.id)  # from now on its attempt counts
        try:
            return self.handler(run.job)
        finally:
            with self._lock:
                self._busy -= 1
            self._wake.set()

    # -- outcomes ---------------------------------------------------------------------------
    def _settle(self, stopping: bool = False) -> bool:
        """Sends handlers' reports and the outcome of every finished (or timed-out, or corrupt)
        job: one round trip. Reports go first: a completion deletes the job hash."""
        completions: List[Any] = []
        failures: List[Failure] = []
        timeout = self.s.job_timeout_ms / 1000
        now = time.monotonic()
        with self._lock:
            items = list(self._running.items())
        for key, run in items:
            err: Optional[BaseException] = None
            if run.corrupt is not None:
                err = CorruptJobError(run.corrupt)
            elif run.future is not None and run.future.done():
                if run.future.cancelled():
                    continue
                err = run.future.exception()
                if err is None:
                    ms = int(round((now - (run.started or now)) * 1000))
                    completions += [run.job.id, run.job.attempt, ms]
            elif run.started is not None and timeout > 0 and now - run.started > timeout:
                err = JobTimeoutError(self.s.job_timeout_ms)
            else:
                continue
            if err is not None:
                j = run.job
                failures.append(failure_of(j.id, j.attempt, j.backoff_base_ms, j.backoff_max_ms, err, self.id,
                                           self.s.error_message_max))
            with self._lock:
                self._running.pop(key, None)
        now_ms = _now_ms()
        for f in failures:
            if f.delay >= 0:
                self._next_due = min(self._next_due, now_ms + f.delay)
        self._out_done += completions
        self._out_failed += failures
        if self._out_done or self._out_failed or self.reports.due(stopping):
            self._out_reports += self.reports.take()
        if not self._out_done and not self._out_failed and not self._out_reports:
            return False
        s, k = self.s, self.q.keys
        calls = []
        if self._out_reports:
            calls.append(("report", [k.job("")], [self.id, s.log_max_lines, *self._out_reports]))
        if self._out_done:
            calls.append(("complete", k.complete_keys(),
                          [self.id, s.completed_max_entries, "1" if s.completed_keep_payload else "0", *self._out_done]))
        if self._out_failed:
            calls.append(("fail", k.dead_keys(), [self.id, s.dlq_retention_ms, s.dlq_max_entries,
                                                  *[a for f in self._out_failed for a in f.args()]]))
        replies = SCRIPTS.pipe(self.q.client, calls)
        for reply in replies:
            if isinstance(reply, Exception):
                raise reply
        self._tally(replies[-2 if self._out_done and self._out_failed else -1] if self._out_done else None,
                    replies[-1] if self._out_failed else None)
        self._out_done, self._out_failed, self._out_reports = [], [], []
        return True

    def _tally(self, completed: Optional[List[Any]], failed: Optional[List[Any]]) -> None:
        for rc in completed or []:
            self.counters["completed" if int(rc) == 1 else "lost"] += 1
        for rc in failed or []:
            rc = int(rc)
            self.counters["lost" if rc < 0 else "dead" if rc == 2 else "failed"] += 1

    # -- leases -----------------------------------------------------------------------------
    def _extend_loop(self) -> None:
        beat = "%d %d %s" % (int(self.extend_every * 1000), os.getpid(), socket.gethostname())
        while not self._stop.wait(self.extend_every):
            with self._lock:
                refs = [a for (job_id, attempt), run in self._running.items() if run.corrupt is None
                        for a in (job_id, attempt)]
            try:
                SCRIPTS.run(self.q.client, "extend", self.q.keys.extend_keys(), [self.id, self.s.lease_ms, beat, *refs])
            except Exception:  # Redis away: the next beat retries; an expired lease is reclaimed
                pass

    # -- shutdown ---------------------------------------------------------------------------
    def _take_unstarted(self) -> List[Any]:
        """Jobs handed to the pool whose handler has not started, taken back: (id, attempt) pairs."""
        unstarted: List[Any] = []
        with self._lock:
            for key, run in list(self._running.items()):
                if run.future is not None and run.future.cancel():
                    self._queued -= 1
                    unstarted += [run.job.id, run.job.attempt]
                    del self._running[key]
        return unstarted

    def _release(self, unstarted: List[Any]) -> None:
        """Hands jobs back to ready, their attempt refunded (release-3.lua)."""
        if unstarted:
            SCRIPTS.run(self.q.client, "release", self.q.keys.release_keys(), [self.id, *unstarted])

    def _shutdown(self, pool: ThreadPoolExecutor) -> None:
        unstarted = self._take_unstarted()
        # Redis away at shutdown: give up after a lease; the leases run out and the reclaim
        # hands those jobs to another consumer (at least once).
        deadline = time.monotonic() + self.s.lease_ms / 1000
        while True:
            try:
                self._release(unstarted)
                unstarted = []
                self._settle(stopping=True)
            except redis.exceptions.RedisError as err:
                log.warning("requeue consumer %s: Redis call failed at shutdown (%s)", self.id, err)
                if time.monotonic() > deadline:
                    return
            with self._lock:
                if not (self._running or self._out_done or self._out_failed or self._out_reports or unstarted):
                    return
            self._wake.wait(self.idle_wait)
            self._wake.clear()
