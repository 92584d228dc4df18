"""The entry pages of the last plan, kept for the next one (`lvyin serve`).

After an edit the preview plans the site again, 100,000 lecture pages and more,
of which the edit changes a handful.  `KeptPages` remembers the entry pages of
each kind with what each was planned from (its entry and the few others it
shows: a lecture's place, district and series, a lecturer's lectures …).  While
those are equal, the next plan takes the page as it was instead of planning it
again: a quick comparison, since an entry of an unchanged file is the very same
object (catalog.FileCache), and so is a list of the catalogue's tables that an
edit did not touch (catalog.tables).  Where the plan names the keys an edit may
have changed (`changed`: the lectures edited since the catalogue of the last
plan), only those are compared: the others' pages are the last plan's.
A new build date or new settings plan every page anew.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.catalog.tables import Catalog
from generator.model.settings import SiteSettings
from generator.plan.pages import Page, PlanAnew


@dataclass(frozen=True)
class _Planned:
    """The pages of one kind, in the order of their keys, and what each was planned from."""

    keys: list[str]
    inputs: list[tuple[Any, ...]]
    pages: list[Page]
    at: dict[str, int]  # key → its place in `keys`


class KeptPages:
    def __init__(self) -> None:
        self._planned: dict[str, _Planned] = {}
        self._planned_for: tuple[date, SiteSettings] | None = None
        self._catalog: weakref.ref[Catalog] | None = None  # of the last plan, while it lives

    def planning(self, catalog: Catalog, today: date, settings: SiteSettings) -> PlanAnew:
        """For one plan of `catalog`: a planner whose pages are the last plan's where they were planned
        from the same inputs, pointed at `catalog` (their templates read that)."""
        last = self._planned if self._planned_for == (today, settings) else {}
        then = self._catalog() if self._catalog is not None else None
        after_last = then is not None and catalog.previous is then  # `Catalog.edited` is what changed since
        self._planned, self._planned_for, self._catalog = {}, (today, settings), weakref.ref(catalog)
        return _Keeping(catalog, last, self._planned, after_last)


class _Keeping(PlanAnew):
    def __init__(self, catalog: Catalog, last: dict[str, _Planned], planned: dict[str, _Planned], after_last: bool) -> None:
        self._catalog, self._last, self._planned, self._after_last = catalog, last, planned, after_last

    def each(self, kind: str, keys: list[str], inputs: Callable[[str], tuple[Any, ...]], plan: Callable[..., Page],
             changed: set[str] | None = None) -> list[Page]:
        last = self._last.get(kind)
        if last is not None and last.keys == keys and changed is not None and self._after_last:
            planned = _Planned(keys, last.inputs.copy(), last.pages.copy(), last.at)
            for key in changed & last.at.keys():
                at, now = last.at[key], inputs(key)
                if now != planned.inputs[at]:
                    planned.pages[at] = plan(*now)
                planned.inputs[at] = now
        else:
            planned = _planned_anew(keys, [inputs(key) for key in keys], plan, last)
        for page in planned.pages:
            page.context["catalog"] = self._catalog
        self._planned[kind] = planned
        return planned.pages


def _planned_anew(keys: list[str], inputs: list[tuple[Any, ...]], plan: Callable[..., Page], last: _Planned | None) -> _Planned:
    """The pages of `keys` from their `inputs`: the `last` plan's page of a key where its inputs were equal."""
    if last is None:
        return _Planned(keys, inputs, [plan(*now) for now in inputs], dict(zip(keys, range(len(keys)), strict=True)))
    pages = [last.pages[at] if (at := last.at.get(key)) is not None and last.inputs[at] == now else plan(*now)
             for key, now in zip(keys, inputs, strict=True)]
    return _Planned(keys, inputs, pages, last.at if last.keys == keys else dict(zip(keys, range(len(keys)), strict=True)))
