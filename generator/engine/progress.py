"""A progress line for long builds: a spinner, the current step and the time so far.

Shown only when stderr is a terminal and not in CI (`CI` set), so logs stay
quiet.  Steps call `stage("…")`; without an active display that does nothing.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

from generator import env

_current = None


def wanted() -> bool:
    return sys.stderr.isatty() and not env.in_ci()


@contextlib.contextmanager
def display(text: str) -> Iterator[None]:
    global _current
    if not wanted() or _current is not None:
        yield
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(text, total=None)
        _current = (bar, task)
        try:
            yield
        finally:
            _current = None


def stage(text: str) -> None:
    if _current is not None:
        bar, task = _current
        bar.update(task, description=text)


def detach() -> None:
    """In a forked child: leave the parent's progress line alone."""
    global _current
    _current = None
