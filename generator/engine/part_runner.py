"""The parts of `lvyin build` run side by side: each in a forked process, at most one per core at
a time, each once the parts it comes after are done (parallel_build.py says what the parts are).

A part leaves what it cost, and the build cache records it used, in the scratch folder for the
parent; one that fails leaves its error (a user's: MkDocs' or the editors' data) or its traceback
(a bug), which the parent raises.
"""

from __future__ import annotations

import json
import multiprocessing.connection
import os
import resource
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Protocol, TypeVar, cast

from generator import workers as lifeline
from generator.engine import progress
from generator.engine.build_cache import BuildCache
from generator.errors import BuildFailed, LvyinError


class PartFailed(BuildFailed):
    """A part's build failed; the message is MkDocs' (its warnings were logged as they came)."""


class PartCrashed(Exception):
    """A part died of a bug, not of the user's data: the message is the part's traceback."""


class Runnable(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def after(self) -> frozenset[str]: ...  # the names of the parts that must be done before it starts


P = TypeVar("P", bound=Runnable)


def run_parts(first: list[P], then: Callable[[], list[P]], make: Callable[[P], None], workers: int | None,
              scratch: Path, done: Callable[[P], None], cache: BuildCache | None) -> None:
    """Run each part in a forked process, `workers` at a time, each as soon as the parts it comes
    `after` are done, in the order given otherwise: the `first` parts, and once they started, the
    parts `then` gives (which the parent works out meanwhile); hand each that succeeds to `done`;
    raise the first failure.  Where processes cannot be forked, one after the other here."""
    finished: set[str] = set()
    if not lifeline.can_fork():
        waiting = first + then()
        while waiting:
            part = _next_ready(waiting, finished)
            if part is None:
                raise RuntimeError(f"parts wait for parts that never come: {[p.name for p in waiting]}")
            _make_and_cost(make, part, scratch)
            done(part)
            finished.add(part.name)
            progress.stage(f"正在生成网站：已完成 {len(finished)}/{len(finished) + len(waiting)} 部分")
        return
    workers = workers or lifeline.cores()
    waiting, total = list(first), len(first)
    running: dict[int, tuple[multiprocessing.Process, P]] = {}
    later: Callable[[], list[P]] | None = then

    def start_ready() -> None:
        while len(running) < workers and (part := _next_ready(waiting, finished)) is not None:
            process = lifeline.fork_process(_child, (make, part, scratch, cache), part.name)
            process.start()
            running[process.sentinel] = (process, part)

    try:
        with lifeline.frozen_for_children():
            while waiting or running or later:
                start_ready()
                if later is not None:  # the parent's own work, while the first parts run
                    more, later = later(), None
                    waiting += more
                    total += len(more)
                    continue
                if not running:
                    raise RuntimeError(f"parts wait for parts that never come: {[p.name for p in waiting]}")
                for sentinel in multiprocessing.connection.wait(list(running)):
                    process, part = running.pop(cast(int, sentinel))
                    process.join()
                    if process.exitcode != 0:
                        _raise_failure(part, process.exitcode, scratch)
                    if not any(part.name in other.after for other in waiting):
                        start_ready()  # its core works on while the parent takes the part in (which no waiting part needs)
                    done(part)
                    finished.add(part.name)
                    progress.stage(f"正在生成网站：已完成 {len(finished)}/{total} 部分")
    finally:
        for process, _ in running.values():
            process.kill()
            process.join()


def _next_ready(waiting: list[P], finished: set[str]) -> P | None:
    """The first waiting part whose parts before it are done, taken from `waiting`."""
    for i, part in enumerate(waiting):
        if part.after <= finished:
            return waiting.pop(i)
    return None


def _raise_failure(part: Runnable, exitcode: int | None, scratch: Path) -> None:
    error, crash = scratch / f"{part.name}.error", scratch / f"{part.name}.crash"
    if crash.is_file():
        raise PartCrashed(crash.read_text(encoding="utf-8"))
    raise PartFailed(error.read_text(encoding="utf-8") if error.is_file() else f"{part.name} 异常退出（{exitcode}）")


def _child(make: Callable[[P], None], part: P, scratch: Path, cache: BuildCache | None) -> None:
    """Make one part; leave its cost (or its error), and the cache records it used, in `scratch` for the parent."""
    progress.detach()  # the parent's progress line belongs to the parent
    try:
        if cache is not None:
            cache.begin_part()
        _make_and_cost(make, part, scratch)
        if cache is not None:
            cache.take_journal(scratch / f"{part.name}.cache")
    except BaseException as error:  # noqa: BLE001 — reported to the parent, which raises it
        from mkdocs.exceptions import MkDocsException

        if isinstance(error, (MkDocsException, LvyinError)):
            (scratch / f"{part.name}.error").write_text(str(error), encoding="utf-8")
        else:  # a bug: its traceback, for the parent to show as one
            (scratch / f"{part.name}.crash").write_text(f"{part.name}:\n{traceback.format_exc()}", encoding="utf-8")
        os._exit(1)


def _make_and_cost(make: Callable[[P], None], part: P, scratch: Path) -> None:
    """Make one part; leave what it cost in `scratch`: when it started (`time.perf_counter`, one clock
    for every process), its wall time, and when forked its own process's CPU and that of the processes
    it started, and its peak RSS."""
    start = time.perf_counter()
    make(part)
    usage, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cost = {"name": part.name, "started": start, "wall": time.perf_counter() - start,  # CPU: the part's and its processes' (Pagefind …)
            "cpu": usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime, "rss_mb": usage.ru_maxrss / 1024}
    (scratch / f"{part.name}.cost").write_text(json.dumps(cost), encoding="utf-8")
