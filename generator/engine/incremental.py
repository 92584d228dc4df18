"""Render again only the pages whose inputs changed: what makes `lvyin serve` quick.

A page's Markdown depends on nothing but its template, its title, the values
of its context, and what the template looks up in the catalogue (a lecture
page shows its lecturers' names).  `RenderCache` keeps, for every page, those
values and lookups from the last time it rendered the page; while they are
all the same, it hands back the same Markdown.  The values are compared with
`==`, which is quick for an entry read from an unchanged file: the file cache
(`catalog.FileCache`) keeps the very same object.  The lookups are recorded
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

from pydantic import BaseModel

from generator.plan.pages import Page
from generator.render.environment import render_page

_LEAVES = (str, int, float, bool, type(None), date, datetime, time, BaseModel)
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


class _Rendered(NamedTuple):
    inputs: list[Any]
    lookups: list[Lookup]
    markdown: str | None  # None: known to be unchanged, not rendered here (`known`)


class RenderCache:
    """`render(page)` gives what `render_page(page)` would, rendering only when an input changed."""

    def __init__(self, render: Callable[[Page], str] = render_page) -> None:
        self._render = render
        self._last: dict[str, _Rendered] = {}
        self.rendered: list[str] = []  # paths rendered since `new_pass`

    def render(self, page: Page) -> str:
        inputs = _inputs(page)
        last = self._last.get(page.path)
        if last is not None and last.markdown is not None and self._holds(last, inputs, page):
            return last.markdown
        catalog = page.context.get("catalog")
        recording = _RecordingCatalog(catalog)
        markdown = self._render(dataclasses.replace(page, context={**page.context, "catalog": recording}))
        self._last[page.path] = _Rendered(inputs, recording.lookups, markdown)
        self.rendered.append(page.path)
        return markdown

    def known(self, page: Page, lookups: list[Lookup]) -> None:
        """Know `page`, whose Markdown is known elsewhere, as it is now: `unchanged` while its
        inputs and `lookups` (the values its template read, as now) hold."""
        self._last[page.path] = _Rendered(_inputs(page), lookups, None)

    def unchanged(self, page: Page) -> bool:
        """Whether `page` would render as when it was last rendered or `known`."""
        last = self._last.get(page.path)
        return last is not None and self._holds(last, _inputs(page), page)

    @staticmethod
    def _holds(last: _Rendered, inputs: list[Any], page: Page) -> bool:
        catalog = page.context.get("catalog")
        return last.inputs == inputs and all(lookup.still_holds(catalog) for lookup in last.lookups)

    def new_pass(self) -> None:
        """Start a new list of the pages rendered (again)."""
        self.rendered = []

    def forget_others(self, paths: Iterable[str]) -> None:
        """Keep only these pages: the others are gone from the site."""
        for gone in set(self._last) - set(paths):
            del self._last[gone]


def _inputs(page: Page) -> list[Any]:
    out: list[Any] = [page.template, page.title]
    for key, value in page.context.items():
        if key != "catalog":  # read through the recording instead
            out.append(key)
            _flatten(value, out)
    return out


def _flatten(value: Any, out: list[Any]) -> None:
    """The leaves of `value` with markers of its shape, so that two values flatten alike only if
    they are alike.  Entries (pydantic models) are leaves: equal when they hold the same data."""
    if isinstance(value, _LEAVES):
        out.append(value)
    elif isinstance(value, dict):
        out.append(("dict", len(value)))
        for key, item in value.items():
            out.append(key)
            _flatten(item, out)
    elif isinstance(value, (list, tuple)):
        out.append(("list", len(value)))
        for item in value:
            _flatten(item, out)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(type(value))
        for f in dataclasses.fields(value):
            _flatten(getattr(value, f.name), out)
    else:
        out.append(value)  # anything else by its own equality (a new object without one counts as changed)


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
