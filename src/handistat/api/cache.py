"""A bounded cache of finished `/v1` responses, keyed by ETag (issue 13 item 6).

Bounded in bytes, not entries: 512 entries of up to 8 MB let the process grow by gigabytes.
The oldest entries leave first; a body larger than a quarter of the budget is never kept.
Requests run in worker threads, so every access holds the lock.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

Cached = tuple[bytes, str, dict[str, str]]


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
