"""The editors' field reference (`/guide/fields/`), generated from the models so it never drifts.

The hand-written parts of the editors' guide live in `content/guide/`; this page
lists every field of every catalogue file with its Chinese name, whether it is
required, what it means, its choices and an example, from the same models and
examples that `lvyin validate`, `lvyin schema` and `lvyin new` use.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from generator.model.entries import KINDS, Location, Private
from generator.model.examples import EXPECTED, Existing, field_example
from generator.model.kinds import FOLDERS, KIND_LABELS, SINGLE_FILES
from generator.model.schema import KIND_NOTES, choice_labels
from generator.model.settings import SiteSettings
from generator.plan.pages import Page

FIELDS_PAGE = "guide/fields.md"


@dataclass(frozen=True)
class FieldDoc:
    name: str
    title: str
    required: str
    description: str
    choices: str
    example: str


@dataclass(frozen=True)
class Section:
    key: str
    label: str
    where: str
    note: str
    fields: list[FieldDoc]


def _choices(annotation: Any) -> list[str]:
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Literal:
        return list(args)
    for arg in args:  # list[Literal[…]], Literal[…] | None
        found = _choices(arg)
        if found:
            return found
    return []


def field_docs(model: type[BaseModel], kind: str = "", existing: Existing | None = None) -> list[FieldDoc]:
    existing = existing or Existing()
    out = []
    for name, info in model.model_fields.items():
        if info.is_required():
            required = "必填"
        elif f"{kind}.{name}" in EXPECTED:
            required = "通常要填"
        elif info.default not in (None,) and info.default_factory is None:
            required = f"可不填（默认 {info.default}）"
        else:
            required = "可不填"
        choices = _choices(info.annotation)
        labels = choice_labels(choices)
        listed = "、".join(f"{c}（{labels[c]}）" if c in labels else str(c) for c in choices)
        example = field_example(kind, name, existing) if kind else ""
        out.append(FieldDoc(name, info.title or "", required, info.description or "", listed, example.strip().replace("\n", " ")))
    return out


def sections() -> list[Section]:
    where = {kind: f"catalog/{stem}.yaml" for stem, kind in SINGLE_FILES.items()}
    where.update({kind: f"catalog/{folder}/*.yaml" for folder, kind in FOLDERS.items()})
    out = [Section(kind, KIND_LABELS[kind], where[kind], KIND_NOTES[kind], field_docs(KINDS[kind], kind)) for kind in KINDS]
    out.append(Section("location", "坐标 location", "场馆、实践基地、指导站点的 location 下",
                       "写成一行 {lat: 34.3619, lng: 107.2373}，或分行写 lat、lng。", field_docs(Location)))
    out.append(Section("private", "讲师的内部信息 private", "讲师的 private 下",
                       "只供讲师团管理员使用，网站、订阅、搜索和导出中一律不出现。", field_docs(Private)))
    out.append(Section("site", "网站设置", "catalog/site.yaml", "若干“字段: 值”（不是列表）；每个字段都可省略。", field_docs(SiteSettings)))
    return out


def guide_page() -> Page:
    return Page(FIELDS_PAGE, "guide_fields.md.j2", "字段说明", {"sections": sections()})
