"""`catalog/redirects.yaml`: old id → new id, checked against the catalogue."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import TypeAdapter, ValidationError

from generator.errors import Problem
from generator.model.fields import Id
from generator.model.kinds import PLACE_SECTIONS, SECTIONS
from generator.source.reader import read_file
from generator.source.text import ReadError

if TYPE_CHECKING:  # they import this module
    from generator.catalog.checks import KnownIds
    from generator.catalog.tables import Catalog

REDIRECTS_FILE = "redirects.yaml"


RENAME_HINT = "如果确实要改名，请在 catalog/redirects.yaml 中写 旧编号: 新编号"


@dataclass(frozen=True)
class Redirect:
    section: str
    old: str
    target: str  # the section of the new id
    new: str

    @property
    def path(self) -> str:
        return f"{self.section}/{self.old}/index.html"


def _space(section: str) -> tuple[str, ...]:
    places = tuple(PLACE_SECTIONS.values())
    return places if section in places else (section,)


def catalog_ids(catalog: Catalog) -> dict[str, set[str]]:
    return {section: set(getattr(catalog, section)) for section in SECTIONS}


def read_redirects(root: Path, known: KnownIds, problems: list[Problem]) -> list[Redirect]:
    """`redirects.yaml` (optional): old id → new id, checked against the ids the catalogue gives
    (`catalog.KnownIds`: of broken entries too, so that a broken entry makes no redirect look wrong)."""
    path = next((root / f"redirects{suffix}" for suffix in (".yaml", ".yml") if os.path.lexists(root / f"redirects{suffix}")), None)
    if path is None:
        return []
    from generator.errors import suggest
    from generator.model.kinds import FOLDERS, SINGLE_FILES
    from generator.source.folders import display as _display

    try:
        doc = read_file(path, _display(path), root)
    except ReadError as error:
        problems.extend(error.problems)
        return []
    problems.extend(doc.problems)
    if doc.data is None:
        return []
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), "", "redirects.yaml 应为若干“旧编号: 新编号”", "每行写一个改名，例如 old-id: new-id"))
        return []
    kinds = {**SINGLE_FILES, **FOLDERS}  # section → kind
    ids = {section: known.ids[kinds[section]] for section in SECTIONS}
    certain = not known.unsure  # else a new id not found may be that of an entry that could not be read
    redirects: list[Redirect] = []
    for old, new in doc.data.items():
        bad = False
        for value, loc, key in ((old, (old,), True), (new, (old,), False)):
            try:
                TypeAdapter(Id).validate_python(value)
            except ValidationError as error:
                ctx = error.errors()[0].get("ctx") or {}
                problems.append(doc.problem(loc, str(old), ctx.get("message", "编号不正确"), ctx.get("hint", ""), key=key))
                bad = True
        if bad:
            continue
        seen = {old}
        while isinstance(new, str) and new not in set().union(*ids.values()) and new in doc.data and new not in seen:
            seen.add(new)  # renamed twice: a → b, then b → c sends a straight to c
            new = doc.data[new]
        targets = [s for s in SECTIONS if new in ids[s]]
        if not targets and not certain:
            continue
        if not targets:
            everything = set().union(*ids.values())
            problems.append(doc.problem((old,), str(old), f"找不到新编号“{new}”",
                                        suggest(new, everything) or "新编号必须是目录中现有的条目"))
            continue
        target = targets[0]
        sections = _space(target)
        if any(old in ids[s] for s in sections):
            problems.append(doc.problem((old,), str(old), f"旧编号“{old}”仍在使用，不能再跳转",
                                        "改名后旧编号就不再出现在目录中；如果这一行是多余的，请删除它", key=True))
            continue
        redirects.extend(Redirect(section, old, target, new) for section in sections)
    return redirects
