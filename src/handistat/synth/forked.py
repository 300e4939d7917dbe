"""Per-municipality work of the generator spread over forked processes (issue 15.3).

The GENBRUG loads and their truth are written municipality by municipality, each from its
own RNG, so they can be done in any order and in any process: the results are taken back
in the order of the items, and the files are the same bytes whatever the number of
processes. Forked children see the caller's memory as it was (the population is not copied
or pickled); only the items and the results cross a pipe.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

_Item = TypeVar("_Item")
_Result = TypeVar("_Result")

_task: Callable[[Any], Any] | None = None


def available_processes() -> int:
    """The CPUs this process may run on (the generator's default number of processes)."""
    return max(1, len(os.sched_getaffinity(0)))


def _install(task: Callable[[Any], Any]) -> None:
    global _task
    _task = task


def _run(item: Any) -> Any:
    assert _task is not None
    return _task(item)


def fork_map(
    task: Callable[[_Item], _Result], items: Sequence[_Item], processes: int
) -> Iterator[_Result]:
    """``task`` of each item, in the items' order, in up to ``processes`` forked processes.

    ``task`` may be a closure (a forked child inherits it, nothing pickles it); items and
    results must pickle. One process, one item or no ``fork`` on this platform: runs here.
    """
    if processes <= 1 or len(items) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(task, items)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(min(processes, len(items)), _install, (task,)) as pool:
        yield from pool.imap(_run, items, chunksize=1)
