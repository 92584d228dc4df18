"""The entry pages of the last plan, kept for the next one (`lvyin serve`).

After an edit the preview plans the site again, 100,000 lecture pages and more,
of which the edit changes a handful.  `KeptPages` remembers each entry page with
what it was planned from (its entry and the few others it shows: a lecture's
place, district and series, a lecturer's lectures …).  While those are equal,
the next plan takes the page as it was instead of planning it again: a quick
comparison, since an entry of an unchanged file is the very same object
(catalog.FileCache), and so is a list of the catalogue's tables that an edit did
not touch (catalog.tables).
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
            if kept is not None and kept[0] == inputs:
                page = kept[1]
                page.context["catalog"] = catalog
            else:
                page = plan(*inputs)
            pages[key] = (inputs, page)
            return page

        return reuse

