"""What an entry page read while it rendered, kept in the build cache so that the next build can
tell, without rendering it again, that its Markdown would be the same.

Rendering the Markdown of 100,000 entry pages costs about a millisecond each; a rebuild after one
edit (or on the next day) would spend most of its time rendering pages only to find them
unchanged.  A page's Markdown depends on nothing but (incremental.py tells the same for the
preview, in memory):

- its template, title and the values of its context (the tools' fingerprint covers the
  templates' code and the settings);
- what its template looked up in the catalogue (a lecture page shows its lecturers' names),
  recorded while it ran (`incremental._RecordingCatalog`);
- what it made of the build date: a `_RecordingDate` stands for the date and notes each
  comparison with its answer (`a lecture's date < today`: True), or that the page used the date
  itself (printed it, counted days from it; then the trace holds on that day only).  On the next
  day a page whose comparisons all answer as before is the same: a past lecture stays past.

A trace keeps the lookups and digests of the rest, not the values; `holds` computes them again for
the new build and compares.  Values are digested through their JSON, each entry once (digests.py:
the entries of files that did not change bring their digests from the kept reads), each container
once per process.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from typing import Any

from pydantic import BaseModel

from generator.digests import digest, digest_once, entry_digest
from generator.engine.incremental import _MISSING, Lookup, _RecordingCatalog, look_up
from generator.plan.pages import Page
from generator.render.environment import render_page

# {"inputs": digest, "lookups": [[how, name, key] …], "found": digest,
#  "date": None | [[op, iso, answer] …] | {"whole": iso} (the page used the date itself: that day only)}
Trace = dict[str, Any]

_SKIPPED = ("catalog", "today", "settings")  # read through recorders, or part of the tools' fingerprint


def render_traced(page: Page) -> tuple[str, Trace | None]:
    """The page's Markdown, and what it read (None if that cannot be written down)."""
    catalog, today = page.context.get("catalog"), page.context.get("today")
    recording = _RecordingCatalog(catalog)
    traced_date = _RecordingDate.of(today) if isinstance(today, date) else today
    markdown = render_page(dataclasses.replace(page, context={**page.context, "catalog": recording,
                                                                 "today": traced_date}))
    try:
        seen = {json.dumps([l.how, l.name, _plain(l.key)]): None for l in recording.lookups}  # each once, in order
        lookups = [json.loads(lookup) for lookup in seen]
    except (TypeError, ValueError):
        return markdown, None
    uses: Any = None
    if isinstance(traced_date, _RecordingDate):  # the day itself when it was used whole: that day only
        uses = {"whole": traced_date.isoformat()} if traced_date.uses == "whole" else traced_date.uses
    # What the lookups found, digested as `holds` will: in the catalogue itself, not the recorded copies.
    return markdown, {"inputs": _inputs(page), "lookups": lookups, "found": _found(catalog, lookups), "date": uses}


def holds(trace: Trace, page: Page) -> bool:
    """Whether `page` would render as it did when `trace` was recorded."""
    if trace.get("inputs") != _inputs(page):
        return False
    today, uses = page.context.get("today"), trace.get("date")
    if not isinstance(today, date):
        return not uses
    if isinstance(uses, dict):  # the page used the date itself
        if uses.get("whole") != today.isoformat():
            return False
    else:
        for op, other, answer in uses or []:
            if _compare(op, today, date.fromisoformat(other)) != answer:
                return False
    return _found(page.context.get("catalog"), trace["lookups"]) == trace["found"]


def lookups_now(trace: Trace, catalog: Any) -> list[Lookup]:
    """The lookups of `trace` with what they find in `catalog` now (for incremental.RenderCache)."""
    return [Lookup(how, name, _key(key), look_up(catalog, how, name, _key(key))) for how, name, key in trace["lookups"]]


def _found(catalog: Any, lookups: list[list[Any]]) -> str:
    """The digest of what the `lookups` find in the catalogue now."""
    return digest(*(_digest(look_up(catalog, how, name, _key(key))) for how, name, key in lookups))


def _inputs(page: Page) -> str:
    parts = [page.template, page.title, page.url]
    for name, value in page.context.items():
        if name not in _SKIPPED:
            parts += [name, _digest(value)]
    return digest(*parts)


def _digest(value: Any) -> str:
    """A digest of `value` (entries by their JSON, containers by their items), each object once."""
    if isinstance(value, BaseModel):
        return entry_digest(value)
    if isinstance(value, (dict, list, tuple)) or dataclasses.is_dataclass(value):
        return digest_once(value, _digest_of)  # the catalogue and the pages' contexts do not change while a build runs
    if value is _MISSING:
        return "missing"
    return f"{type(value).__name__} {value!r}"  # a flag, a name, a date: itself (the digests around it are length-prefixed)


def _digest_of(value: Any) -> str:
    if isinstance(value, dict):
        return digest("dict", *(part for key, item in value.items() for part in (repr(key), _digest(item))))
    if isinstance(value, (list, tuple)):
        return digest(type(value).__name__, *(_digest(item) for item in value))
    return digest(type(value).__name__, *(_digest(getattr(value, f.name)) for f in dataclasses.fields(value)))


def _plain(key: Any) -> Any:
    """A lookup's key as JSON can keep it: a string, or arguments of strings (else TypeError)."""
    if isinstance(key, tuple):
        return ["args", *[_plain(k) for k in key]]
    if key is None or isinstance(key, str):
        return key
    raise TypeError(key)


def _key(key: Any) -> Any:
    if isinstance(key, list) and key and key[0] == "args":
        return [_key(k) for k in key[1:]]
    return key


_OPS = {"lt": date.__lt__, "le": date.__le__, "gt": date.__gt__, "ge": date.__ge__, "eq": date.__eq__,
        "ne": date.__ne__}


def _compare(op: str, today: date, other: date) -> bool:
    return bool(_OPS[op](today, other))  # date's own comparison: no attribute of `today` is read


class _RecordingDate(date):
    """The build date, noting each comparison a template makes with it (and its answer), or that
    the template used the date itself (any other use: printing it, its parts, arithmetic)."""

    uses: list[list[Any]] | str

    @classmethod
    def of(cls, day: date) -> _RecordingDate:
        made = cls(day.year, day.month, day.day)
        made.uses = []
        return made

    def _compared(self, op: str, other: object) -> Any:
        if not isinstance(other, date):
            return NotImplemented
        answer = _compare(op, self, other)
        if self.uses != "whole":
            assert isinstance(self.uses, list)
            self.uses.append([op, other.isoformat(), answer])
        return answer

    def __lt__(self, other: object) -> Any:
        return self._compared("lt", other)

    def __le__(self, other: object) -> Any:
        return self._compared("le", other)

    def __gt__(self, other: object) -> Any:
        return self._compared("gt", other)

    def __ge__(self, other: object) -> Any:
        return self._compared("ge", other)

    def __eq__(self, other: object) -> Any:
        return self._compared("eq", other)

    def __ne__(self, other: object) -> Any:
        return self._compared("ne", other)

    __hash__ = date.__hash__

    def __getattribute__(self, name: str) -> Any:
        if name not in ("uses", "_compared", "__class__") and not name.startswith("__"):
            object.__setattr__(self, "uses", "whole")
        return super().__getattribute__(name)

    def __str__(self) -> str:
        object.__setattr__(self, "uses", "whole")
        return super().__str__()

    def __format__(self, spec: str) -> str:
        object.__setattr__(self, "uses", "whole")
        return super().__format__(spec)

    def __sub__(self, other: Any) -> Any:
        object.__setattr__(self, "uses", "whole")
        return date(self.year, self.month, self.day) - other

    def __rsub__(self, other: Any) -> Any:
        object.__setattr__(self, "uses", "whole")
        return other - date(self.year, self.month, self.day)

    def __add__(self, other: Any) -> Any:
        object.__setattr__(self, "uses", "whole")
        return date(self.year, self.month, self.day) + other

    __radd__ = __add__
