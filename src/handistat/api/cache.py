"""A bounded cache of finished `/v1` responses, keyed by ETag (issue 13 item 6).

Bounded in bytes, not entries: 512 entries of up to 8 MB let the process grow by gigabytes.
The oldest entries leave first; a body larger than a quarter of the budget is never kept.
Requests run in worker threads, so every access holds the lock.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Generic, TypeVar

Cached = tuple[bytes, str, dict[str, str]]
V = TypeVar("V")


class ResponseCache:
    """Least recently used responses whose bodies add up to at most `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.entry_limit = max_bytes // 4
        self._entries: OrderedDict[str, Cached] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    @property
    def size_bytes(self) -> int:
        return self._bytes

    def get(self, key: str) -> Cached | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: str, value: Cached) -> None:
        size = len(value[0])
        if size > self.entry_limit:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._bytes -= len(old[0])
            self._entries[key] = value
            self._bytes += size
            while self._bytes > self.max_bytes:
                _, dropped = self._entries.popitem(last=False)
                self._bytes -= len(dropped[0])


class Recent(Generic[V]):
    """What a request resolved to a moment ago (its ETag and view), so that a repeat within
    `seconds` is answered from `ResponseCache` on the event loop, without a worker thread
    or the release catalogue (R-PERF-4). At most `limit` keys; when full it starts over."""

    def __init__(self, seconds: float, limit: int = 4096) -> None:
        self.seconds = seconds
        self.limit = limit
        self._entries: dict[str, tuple[float, V]] = {}

    def get(self, key: str) -> V | None:
        found = self._entries.get(key)
        if found is None or time.monotonic() - found[0] > self.seconds:
            return None
        return found[1]

    def put(self, key: str, value: V) -> None:
        if len(self._entries) >= self.limit:
            self._entries = {}  # a new dict: readers in other threads keep the old one
        self._entries[key] = (time.monotonic(), value)
