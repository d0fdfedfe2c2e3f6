"""The circuit breaker in front of Redis, with lib/cache/breaker.ts's states and rules:

closed ──(N consecutive failures)──▶ open ──(reset time passed)──▶ half-open
  ▲                                   ▲                              │ one trial call
  └────────────── trial succeeds ─────┼──────────── trial fails ─────┘

While open, calls skip Redis entirely (callers get the loader's value at once). Thread-safe."""
import threading
import time
from typing import Callable, Dict, Optional, Union


def now_ms() -> float:
    return time.time() * 1000


class CircuitBreaker:
    def __init__(self, threshold: int, reset_ms: int, now: Callable[[], float] = now_ms) -> None:
        self._threshold, self._reset_ms, self._now = threshold, reset_ms, now
        self._state = "closed"
        self._failures = 0
        self._opened_at: Optional[float] = None
        self._trial_running = False
        self._opens = 0
        self._lock = threading.Lock()

    def _current(self) -> str:
        if self._state == "open" and self._opened_at is not None and self._now() - self._opened_at >= self._reset_ms:
            self._state = "half-open"
        return self._state

    @property
    def state(self) -> str:
        with self._lock:
            return self._current()

    def allow(self) -> bool:
        """May this call use Redis? In half-open, only one trial call at a time may."""
        with self._lock:
            state = self._current()
            if state == "closed":
                return True
            if state == "open" or self._trial_running:
                return False
            self._trial_running = True
            return True

    def success(self) -> None:
        with self._lock:
            self._failures = 0
            self._trial_running = False
            self._state = "closed"

    def failure(self) -> None:
        with self._lock:
            self._failures += 1
            self._trial_running = False
            if self._state == "half-open" or (self._state == "closed" and self._failures >= self._threshold):
                self._opened_at = self._now()
                self._opens += 1
                self._state = "open"

    def snapshot(self) -> Dict[str, Union[str, int, float, None]]:
        """As lib/cache/breaker.ts's snapshot (camelCase keys, the shape the console reads)."""
        with self._lock:
            return {"state": self._current(), "consecutiveFailures": self._failures,
                    "openedAt": self._opened_at, "opens": self._opens}
