"""Render again only the pages whose inputs changed: what makes `lvyin serve` quick.

A page's Markdown depends on nothing but its template, its title, the values
of its context, and what the template looks up in the catalogue (a lecture
page shows its lecturers' names).  `RenderCache` keeps, for every page, those
values and lookups from the last time it rendered the page; while they are
all the same, it hands back the same Markdown.  The values are compared item by
item (`_same`), each first by identity, which settles an entry read from an unchanged
file at once: the file cache (`catalog.FileCache`) keeps the very same object.  The lookups are recorded
while the template runs, so a template that starts to read something new is
tracked without anyone listing it here.

`tests/engine/test_incremental.py` edits the demo catalogue in every way an editor
can and checks that each page is the same, byte for byte, as a fresh render.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from typing import Any, NamedTuple

from generator.plan.pages import Page
from generator.render.environment import render_page

_MISSING = object()


class Lookup(NamedTuple):
    """One read of the catalogue by a template: `how` is "item" (`table[key]`, `table.get(key)`),
    "call" (a method, `key` its arguments) or "whole" (a whole table or value)."""

    how: str
    name: str
    key: Any
    value: Any

    def still_holds(self, catalog: Any) -> bool:
        current = look_up(catalog, self.how, self.name, self.key)
        return current is self.value or current == self.value  # `is` first: the same entry, unchanged


def look_up(catalog: Any, how: str, name: str, key: Any) -> Any:
    """What a `Lookup` of `how`, `name` and `key` finds in `catalog` now."""
    current = getattr(catalog, name)
    if how == "item":
        return current.get(key, _MISSING)
    if how == "call":
        return current(*key)
    return current


# A page's template, title and context, but the catalogue: the template reads that through a
# recording instead, and a plan kept from an edit ago must not keep that edit's catalogue alive.
_Plan = tuple[str, str, dict[str, Any]]


class _Rendered(NamedTuple):
    plan: _Plan  # the page as planned then
    lookups: list[Lookup]
    markdown: str | None  # None: known to be unchanged, not rendered here (`known`)


class RenderCache:
    """`render(page)` gives what `render_page(page)` would, rendering only when an input changed."""

    def __init__(self, render: Callable[[Page], str] = render_page) -> None:
        self._render = render
        self._last: dict[str, _Rendered] = {}
        self.rendered: list[str] = []  # paths rendered since `new_pass`

    def render(self, page: Page) -> str:
        last = self._last.get(page.path)
        if last is not None and last.markdown is not None and self._holds(last, page):
            return last.markdown
        catalog = page.context.get("catalog")
        recording = _RecordingCatalog(catalog)
        markdown = self._render(dataclasses.replace(page, context={**page.context, "catalog": recording}))
        self._last[page.path] = _Rendered(_plan(page), recording.lookups, markdown)
        self.rendered.append(page.path)
        return markdown

    def known(self, page: Page, lookups: list[Lookup]) -> None:
        """Know `page`, whose Markdown is known elsewhere, as it is now: `unchanged` while its
        inputs and `lookups` (the values its template read, as now) hold."""
        self._last[page.path] = _Rendered(_plan(page), lookups, None)

    def unchanged(self, page: Page) -> bool:
        """Whether `page` would render as when it was last rendered or `known`."""
        last = self._last.get(page.path)
        return last is not None and self._holds(last, page)

    @staticmethod
    def _holds(last: _Rendered, page: Page) -> bool:
        catalog = page.context.get("catalog")
        return _same_plan(last.plan, page) and all(lookup.still_holds(catalog) for lookup in last.lookups)

    def new_pass(self) -> None:
        """Start a new list of the pages rendered (again)."""
        self.rendered = []

    def forget_others(self, paths: Iterable[str]) -> None:
        """Keep only these pages: the others are gone from the site."""
        for gone in set(self._last) - set(paths):
            del self._last[gone]


def _plan(page: Page) -> _Plan:
    return page.template, page.title, {key: value for key, value in page.context.items() if key != "catalog"}


def _same_plan(then: _Plan, page: Page) -> bool:
    """Whether `page` is planned as it was then: the same template, title and context."""
    template, title, context = then
    now = page.context
    if template != page.template or title != page.title or len(context) != len(now) - ("catalog" in now):
        return False
    return all(key in now and _same(value, now[key]) for key, value in context.items())


def _same(then: Any, now: Any) -> bool:
    """Whether two values render alike: the same object (an entry of an unchanged file is, see
    catalog.FileCache), or of one type and alike item by item (lists, dicts, dataclasses), or
    equal (entries by the data they hold, dates, names)."""
    if then is now:
        return True
    kind = type(then)
    if kind is not type(now):
        return False
    if kind is list or kind is tuple:
        return len(then) == len(now) and all(map(_same, then, now))
    if kind is dict:
        return list(then) == list(now) and all(_same(value, now[key]) for key, value in then.items())
    if kind in _PLAIN or not dataclasses.is_dataclass(then):
        return bool(then == now)
    return all(_same(getattr(then, f.name), getattr(now, f.name)) for f in dataclasses.fields(then))


# Values compared by their own equality at once (a date, a name): the build date and the settings
# are new objects on each pass, on every page.
_PLAIN = frozenset({str, int, float, bool, type(None), date, datetime, time})


class _RecordingCatalog:
    """The catalogue as a template sees it, noting every lookup."""

    def __init__(self, catalog: Any) -> None:
        self._catalog = catalog
        self.lookups: list[Lookup] = []

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._catalog, name)
        if isinstance(value, dict):
            return _RecordingTable(name, value, self.lookups)
        if callable(value):
            def call(*args: Any) -> Any:
                result = value(*args)
                self.lookups.append(Lookup("call", name, args, result))
                return result
            return call
        self.lookups.append(Lookup("whole", name, None, value))
        return value


class _RecordingTable:
    """One table of the catalogue (`catalog.lecturers` …): single lookups are noted by key; anything
    else (iterating, counting) notes the whole table."""

    def __init__(self, name: str, table: dict, lookups: list[Lookup]) -> None:
        self._name, self._table, self._lookups = name, table, lookups

    def __getitem__(self, key: Any) -> Any:
        self._lookups.append(Lookup("item", self._name, key, self._table.get(key, _MISSING)))
        return self._table[key]

    def get(self, key: Any, default: Any = None) -> Any:
        self._lookups.append(Lookup("item", self._name, key, self._table.get(key, _MISSING)))
        return self._table.get(key, default)

    def _whole(self) -> dict:
        self._lookups.append(Lookup("whole", self._name, None, dict(self._table)))
        return self._table

    def __getattr__(self, name: str) -> Any:  # values(), items(), keys() …
        return getattr(self._whole(), name)

    def __iter__(self):
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())

    def __contains__(self, key: Any) -> bool:
        self._lookups.append(Lookup("item", self._name, key, self._table.get(key, _MISSING)))
        return key in self._table
