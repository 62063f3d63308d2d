"""A small per-client rate limit for the public verification page.

A sliding window per client address, kept in the process's memory: enough to stop one phone
or script from hammering ``/v/...`` (each hit reads the database and recomputes a hash). Each
gunicorn worker counts on its own, so with N workers a client may reach N times the limit;
the login throttle (fieldapp.auth) keeps its counts in the database because it must be exact,
this one need not be.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from flask import current_app

DEFAULT_PER_MINUTE = 30
WINDOW_SECONDS = 60.0
MAX_CLIENTS = 10_000  # memory bound: beyond it, clients idle for a window are forgotten
EXTENSION_KEY = "actas_verification_limiter"


class SlidingWindowLimiter:
    def __init__(self, window_seconds: float = WINDOW_SECONDS, max_clients: int = MAX_CLIENTS) -> None:
        self.window = window_seconds
        self.max_clients = max_clients
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, client: str, limit: int, now: float | None = None) -> bool:
        """Counts one request of ``client``; False (and not counted) when it is over ``limit``
        requests in the last window."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.get(client)
            if hits is None:
                if len(self._hits) >= self.max_clients:
                    self._forget_idle(now)
                hits = self._hits[client] = deque()
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= limit:
                return False
            hits.append(now)
            return True

    def retry_after(self, client: str, now: float | None = None) -> int:
        """Seconds until ``client`` may ask again (at least 1)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.get(client)
            oldest = hits[0] if hits else now
        return max(1, int(oldest + self.window - now + 0.999))

    def _forget_idle(self, now: float) -> None:
        idle = [c for c, hits in self._hits.items() if not hits or hits[-1] <= now - self.window]
        for client in idle:
            del self._hits[client]
        if len(self._hits) >= self.max_clients:  # all busy: forget the oldest half
            by_last = sorted(self._hits, key=lambda c: self._hits[c][-1])
            for client in by_last[: len(by_last) // 2]:
                del self._hits[client]


def verification_limiter() -> SlidingWindowLimiter:
    """The app's limiter, made on first use (no work at import time)."""
    limiter = current_app.extensions.get(EXTENSION_KEY)
    if limiter is None:
        limiter = current_app.extensions.setdefault(EXTENSION_KEY, SlidingWindowLimiter())
    return limiter  # type: ignore[no-any-return]


def verifications_per_minute() -> int:
    return int(current_app.config.get("ACTA_VERIFICATIONS_PER_MINUTE", DEFAULT_PER_MINUTE))
