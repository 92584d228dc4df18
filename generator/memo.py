"""Results of pure functions, kept from one build for the next.

Much of what the feeds, the print sheets and the open data cost goes into a few pure functions
of plain values: a description's Markdown as HTML or as plain text, an address as a QR code, a
calendar event as iCalendar text.  A function marked `@remembered("name")` looks its argument up
first among the results of this process, then among those the last build kept (`begin`), and
computes it only when neither has it.

The build cache (engine/build_cache.py) keeps each asset maker's table between builds
(`begin` before the maker runs, `table` after it); its fingerprint covers the code, so a changed
function never meets an old result.  A table holds only what its build used, so it does not
grow with the catalogue's history.  Without a cache (the preview, tests) results live as long as
the process, which is what the preview wants between edits.

Arguments are keyed by their `repr`, so they must be plain values whose repr says all of them
(strings, numbers, dates, tuples of these); results are `str` or `bytes`.
"""

from __future__ import annotations

import functools
import marshal
from collections.abc import Callable
from typing import TypeVar

Result = TypeVar("Result", str, bytes)

_last: dict[str, str | bytes] = {}  # what the last build kept, not yet asked for in this one
_now: dict[str, str | bytes] = {}  # what this process computed or took from `_last`


def remembered(name: str) -> Callable[[Callable[..., Result]], Callable[..., Result]]:
    def wrap(function: Callable[..., Result]) -> Callable[..., Result]:
        @functools.wraps(function)
        def call(*args: object) -> Result:
            key = f"{name}\0{args!r}"
            if key not in _now:
                _now[key] = _last.pop(key) if key in _last else function(*args)
            return _now[key]  # type: ignore[return-value]  # what `function` returned for these args

        return call

    return wrap


def begin(table: bytes | None) -> None:
    """Start from the results a last build kept (`table`'s bytes), forgetting any others."""
    global _last
    _now.clear()
    _last = _load(table) if table else {}


def used() -> bool:
    return bool(_now)


def table() -> bytes:
    """The results this process used since `begin`, for the next build."""
    return marshal.dumps(_now)


def _load(table: bytes) -> dict[str, str | bytes]:
    try:
        loaded = marshal.loads(table)
    except (EOFError, ValueError, TypeError):
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {key: value for key, value in loaded.items() if isinstance(key, str) and isinstance(value, (str, bytes))}
