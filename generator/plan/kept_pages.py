"""The entry pages of the last plan, kept for the next one (`lvyin serve`).

After an edit the preview plans the site again, 100,000 lecture pages and more,
of which the edit changes a handful.  `KeptPages` remembers each entry page with
what it was planned from (its entry and the few others it shows: a lecture's
place, district and series, a lecturer's lectures …).  While those are the same
objects (an entry of an unchanged file is, see catalog.FileCache), or equal lists
of them, the next plan takes the page as it was instead of planning it again.
A new build date or new settings plan every page anew.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from generator.catalog.tables import Catalog
from generator.model.settings import SiteSettings
from generator.plan.pages import Page, Reuse


class KeptPages:
    def __init__(self) -> None:
        self._pages: dict[tuple[str, str], tuple[tuple[Any, ...], Page]] = {}
        self._planned_for: tuple[date, SiteSettings] | None = None

    def planning(self, catalog: Catalog, today: date, settings: SiteSettings) -> Reuse:
        """For one plan: `reuse(key, inputs, plan)` is the page kept under `key` if it was planned
        from the same `inputs`, pointed at `catalog` (its template reads that); or else `plan(*inputs)`."""
        last = self._pages if self._planned_for == (today, settings) else {}
        self._pages, self._planned_for = {}, (today, settings)
        pages = self._pages

        def reuse(key: tuple[str, str], inputs: tuple[Any, ...], plan: Callable[..., Page]) -> Page:
            kept = last.get(key)
            if kept is not None and _alike(kept[0], inputs):
                page = kept[1]
                page.context["catalog"] = catalog
            else:
                page = plan(*inputs)
            pages[key] = (inputs, page)
            return page

        return reuse


def _alike(then: tuple[Any, ...], now: tuple[Any, ...]) -> bool:
    """The same entries (the very objects), and lists of them equal (a list is made anew each time)."""
    return len(then) == len(now) and all(a is b or (type(a) is list and type(b) is list and a == b)
                                         for a, b in zip(then, now, strict=True))
