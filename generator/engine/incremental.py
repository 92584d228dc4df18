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


class _Rendered(NamedTuple):
    page: Page  # as planned then, or planned alike since (so that it holds the catalogue of now)
    lookups: list[Lookup]
    markdown: str | None  # None: known to be unchanged, not rendered here (`known`)


class RenderCache:
    """`render(page)` gives what `render_page(page)` would, rendering only when an input changed.

    A pass over the pages of a catalogue (`new_pass`) checks again only the lookups of the pages that
    read a table entry the last complete pass's catalogue held otherwise (`_Readers`); a page planned
    as then, the very same object where the plan keeps its pages (plan/kept_pages.py), needs no more."""

    def __init__(self, render: Callable[[Page], str] = render_page) -> None:
        self._render = render
        self._last: dict[str, _Rendered] = {}
        self._readers = _Readers()
        self._catalog: Any = None  # of this pass
        self._checked: Any = None  # of the last complete pass: every page's lookups held in it
        self._suspects: set[str] | None = None  # the pages whose lookups this pass checks; None: all
        self.rendered: list[str] = []  # paths rendered since `new_pass`

    def render(self, page: Page) -> str:
        last = self._last.get(page.path)
        if last is not None and last.markdown is not None and self._holds(last, page):
            return last.markdown
        catalog = page.context.get("catalog")
        recording = _RecordingCatalog(catalog)
        markdown = self._render(dataclasses.replace(page, context={**page.context, "catalog": recording}))
        self._keep(page, recording.lookups, markdown)
        self.rendered.append(page.path)
        return markdown

    def known(self, page: Page, lookups: list[Lookup]) -> None:
        """Know `page`, whose Markdown is known elsewhere, as it is now: `unchanged` while its
        inputs and `lookups` (the values its template read, as now) hold."""
        self._keep(page, lookups, None)

    def unchanged(self, page: Page) -> bool:
        """Whether `page` would render as when it was last rendered or `known`."""
        last = self._last.get(page.path)
        return last is not None and self._holds(last, page)

    def unchanged_paths(self, pages: Iterable[Page]) -> set[str]:
        """The paths of those `pages` that are the very pages of the last pass and read nothing this
        pass changed: `unchanged` for each, at once (there are 100,000 and more)."""
        last, suspects = self._last, self._suspects
        if suspects is None:
            return set()
        return {page.path for page in pages
                if (then := last.get(page.path)) is not None and then.page is page and page.path not in suspects}

    def _keep(self, page: Page, lookups: list[Lookup], markdown: str | None) -> None:
        last = self._last.get(page.path)
        self._readers.forget(page.path, last.lookups if last is not None else [])
        self._readers.add(page.path, lookups)
        self._last[page.path] = _Rendered(page, lookups, markdown)

    def _holds(self, last: _Rendered, page: Page) -> bool:
        if last.page is not page:
            if not _same_plan(last.page, page):
                return False
            self._last[page.path] = last._replace(page=page)  # not the last pass's page, nor its catalogue
        if self._suspects is not None and page.path not in self._suspects:
            return True
        catalog = page.context.get("catalog")
        return all(lookup.still_holds(catalog) for lookup in last.lookups)

    def new_pass(self, catalog: Any = None) -> None:
        """Start a pass over the pages of `catalog` (without it, every page's lookups are checked)
        and a new list of the pages rendered (again).  A pass ends with `forget_others`."""
        self.rendered = []
        complete = self._catalog is None or self._catalog is self._checked
        self._suspects = None
        if catalog is not None and self._checked is not None and complete:
            self._suspects = self._readers.of_changes(self._checked, catalog)
        self._catalog = catalog

    def forget_others(self, paths: Iterable[str]) -> None:
        """Keep only these pages: the others are gone from the site.  The pass is complete."""
        for gone in set(self._last) - set(paths):
            self._readers.forget(gone, self._last.pop(gone).lookups)
        self._checked = self._catalog


class _Readers:
    """Which pages read which entry of which table of the catalogue (a lookup of one item), and
    which read a whole table or call the catalogue: those are checked on every pass."""

    def __init__(self) -> None:
        self._of: dict[str, dict[Any, set[str]]] = {}  # table → key → paths
        self._always: set[str] = set()

    def add(self, path: str, lookups: list[Lookup]) -> None:
        for lookup in lookups:
            if lookup.how == "item":
                self._of.setdefault(lookup.name, {}).setdefault(lookup.key, set()).add(path)
            else:
                self._always.add(path)

    def forget(self, path: str, lookups: list[Lookup]) -> None:
        for lookup in lookups:
            if lookup.how == "item":
                self._of[lookup.name][lookup.key].discard(path)
        self._always.discard(path)

    def of_changes(self, then: Any, now: Any) -> set[str]:
        """The pages that read an entry which catalogue `now` holds otherwise than `then`."""
        suspects = set(self._always)
        for name, readers in self._of.items():
            before, after = getattr(then, name), getattr(now, name)
            if before is not after:
                for key in _changed_keys(before, after):
                    suspects |= readers.get(key, set())
        return suspects


def _changed_keys(then: dict[Any, Any], now: dict[Any, Any]) -> set[Any]:
    """The keys of two tables whose entries differ: not the same object (an entry of an unchanged
    file is, see catalog.FileCache), nor equal, or in one table only."""
    changed = then.keys() ^ now.keys()
    for key, entry in now.items():
        before = then.get(key, _MISSING)
        if before is not entry and before != entry:
            changed.add(key)
    return changed


def _same_plan(then: Page, page: Page) -> bool:
    """Whether `page` is planned as it was then: the same template, title and context (but the
    catalogue, which the template reads through a recording)."""
    before, now = then.context, page.context
    if then.template != page.template or then.title != page.title or len(before) != len(now):
        return False
    return all(key in now and (key == "catalog" or _same(value, now[key])) for key, value in before.items())


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
