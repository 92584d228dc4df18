"""JSON Schemas of the catalogue files, for editors' autocompletion (`lvyin schema`).

Generated from the pydantic models, so they never say something the validator
does not.  They describe what an editor *types*, as a YAML 1.2 editor (VS Code's
Red Hat YAML extension) sees it: `14:30` and `2026-12-05` are strings there, so
times and dates are strings with patterns, not pydantic's parsed types.  Each
catalogue file names its schema on its first line (`header_line`).

`lvyin validate` stays the judge: a schema may be stricter than the validator
about spelling (it wants the canonical forms), never looser.
"""

from __future__ import annotations

import json
import typing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from generator.model import vocab
from generator.model.entries import KINDS
from generator.model.fields import (
    BAOJI_LAT,
    BAOJI_LNG,
    MAX_ID,
    MAX_ITEMS,
    MAX_LINE,
    MAX_PROSE,
    NOT_IN_URL,
    Ages,
    Clock,
    ContactUrl,
    Coordinate,
    Count,
    Day,
    Id,
    ImagePath,
    Prose,
    Text,
    WebUrl,
    _distinct,
)
from generator.model.kinds import FOLDERS, KIND_LABELS, SINGLE_FILES
from generator.model.settings import Flag, SiteSettings

if TYPE_CHECKING:  # pydantic names this parameter's type for type checkers only
    from pydantic.json_schema import CoreSchemaOrField

SCHEMA_DIR = "schemas"
DRAFT = "http://json-schema.org/draft-07/schema#"
HEADER_PREFIX = "# yaml-language-server: $schema="
KIND_NOTES = {
    "district": "县区列表（catalog/districts.yaml）。",
    "topic": "主题列表（catalog/topics.yaml）。",
    "series": "系列课程列表（catalog/series.yaml）。",
    "lecturer": "讲师团成员列表（catalog/lecturers/ 下的文件）。private 下的内容永不发布。",
    "venue": "开放场馆列表（catalog/venues/ 下的文件）。场馆、实践基地和指导站点共用一套编号。",
    "base": "实践基地列表（catalog/bases/ 下的文件）。场馆、实践基地和指导站点共用一套编号。",
    "station": "家庭教育指导服务站点列表（catalog/stations/ 下的文件）。场馆、实践基地和指导站点共用一套编号。",
    "lecture": "讲座列表（catalog/lectures/ 下的文件，可按月份分文件）。",
}
LIST_NOTE = "文件最外层是一个列表：每一项以“- id: …”开头，一项接一项往下写。"

# What an editor may type for each value type of `model` (YAML 1.2 core schema types).
_EDITOR_TYPES: list[tuple[Any, dict[str, Any]]] = [
    (Text, {"type": ["string", "number", "boolean"], "maxLength": MAX_LINE, "pattern": r"^[^\n\r]*$"}),
    (Prose, {"type": ["string", "number", "boolean"], "maxLength": MAX_PROSE}),
    (Id, {"type": ["string", "integer"], "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$", "minimum": 0, "maxLength": MAX_ID}),
    (Day, {"type": "string", "pattern": r"^(20[0-9]{2}|2100)-[0-9]{2}-[0-9]{2}$", "format": "date"}),
    (Clock, {"type": "string", "pattern": r"^([01]?[0-9]|2[0-3]):[0-5][0-9]$"}),
    (WebUrl, {"type": "string", "pattern": rf"^https?://[^{NOT_IN_URL}]+$"}),
    (ContactUrl, {"type": "string", "pattern": rf"^(https?://|tel:|mailto:)[^{NOT_IN_URL}]+$"}),
    (Count, {"type": ["integer", "string"], "minimum": 0, "maximum": 999999, "pattern": r"^[0-9]{1,6}$"}),
    (Coordinate, {"type": ["number", "string"], "pattern": r"^-?[0-9]{1,3}(\.[0-9]{1,10})?$"}),
    (Ages, {"type": "string", "pattern": r"^[0-9]{1,2}-[0-9]{1,2}$"}),
    (ImagePath, {"type": "string",
                       "pattern": r"^(?!/)(?!(.*/)?\.\.?(/|$))[^\\:]+\.([Jj][Pp][Ee]?[Gg]|[Pp][Nn][Gg]|[Ww][Ee][Bb][Pp])$"}),
    (Flag, {"type": ["boolean", "string"], "enum": [True, False, "true", "false", "yes", "no", "on", "off", "是", "否"]}),
]


def _validator_function(alias: Any) -> Any:
    return next(meta.func for meta in typing.get_args(alias)[1:] if hasattr(meta, "func"))


_BY_FUNCTION = {_validator_function(alias): schema for alias, schema in _EDITOR_TYPES}
_VOCABULARIES = (vocab.AUDIENCES, vocab.VENUE_KINDS, vocab.BASE_KINDS, vocab.STATION_KINDS, vocab.ADMISSIONS,
                 vocab.FORMATS, vocab.STATUSES, vocab.LEVELS, vocab.CRS)


def choice_labels(values: list[Any]) -> dict[str, str]:
    """The Chinese labels of a closed list of values, when the vocabulary has them."""
    for words in _VOCABULARIES:
        if set(words) == set(values):
            return dict(words)
    return {}


class _EditorSchema(GenerateJsonSchema):
    def function_before_schema(self, schema: core_schema.BeforeValidatorFunctionSchema) -> JsonSchemaValue:
        editor = _BY_FUNCTION.get(schema["function"]["function"])
        return dict(editor) if editor else super().function_before_schema(schema)

    def function_after_schema(self, schema: core_schema.AfterValidatorFunctionSchema) -> JsonSchemaValue:
        out = super().function_after_schema(schema)
        if schema["function"]["function"] is _distinct:  # the catalogue's lists
            out.update(maxItems=MAX_ITEMS, uniqueItems=True)
        return out

    def literal_schema(self, schema: core_schema.LiteralSchema) -> JsonSchemaValue:
        out = super().literal_schema(schema)
        labels = choice_labels(schema["expected"])
        if labels:
            out["enumDescriptions"] = [labels[v] for v in schema["expected"]]
        return out

    def field_title_should_be_set(self, schema: CoreSchemaOrField) -> bool:
        return True


def _finish_fields(node: Any) -> None:
    """Every property: its Chinese title, and its choices spelled out in the description."""
    if isinstance(node, dict):
        for prop in (node.get("properties") or {}).values():
            choices = prop.get("enum") or (prop.get("items") or {}).get("enum")
            labels = choice_labels(choices) if choices else {}
            if labels:
                listed = "、".join(f"{value}（{label}）" for value, label in labels.items())
                prop["description"] = (prop.get("description", "") + "。可选值：" if prop.get("description") else "可选值：") + listed
        for value in node.values():
            _finish_fields(value)
    elif isinstance(node, list):
        for value in node:
            _finish_fields(value)


def _model_schema(model_type: type[BaseModel]) -> dict[str, Any]:
    schema = model_type.model_json_schema(schema_generator=_EditorSchema, ref_template="#/definitions/{model}")
    definitions = schema.pop("$defs", {})
    location = definitions.get("Location")
    if location:  # the validator also refuses points outside Baoji; say so while typing
        location["properties"]["lat"].update(minimum=BAOJI_LAT[0], maximum=BAOJI_LAT[1])
        location["properties"]["lng"].update(minimum=BAOJI_LNG[0], maximum=BAOJI_LNG[1])
        location["title"], location["description"] = "坐标", "写成 {lat: 纬度, lng: 经度}，可加 crs 注明坐标系"
    if "Private" in definitions:
        definitions["Private"]["title"] = "内部信息"
    _finish_fields(schema)
    _finish_fields(definitions)
    return schema | ({"definitions": definitions} if definitions else {})


def kind_schema(kind: str) -> dict[str, Any]:
    """The schema of a file holding a list of entries of `kind`."""
    entry = _model_schema(KINDS[kind])
    definitions = entry.pop("definitions", {})
    entry["title"] = KIND_LABELS[kind]
    definitions[kind] = entry
    return {
        "$schema": DRAFT,
        "title": f"{KIND_LABELS[kind]}目录文件",
        "description": KIND_NOTES[kind] + LIST_NOTE,
        "type": "array",
        "items": {"$ref": f"#/definitions/{kind}"},
        "definitions": definitions,
    }


def settings_schema() -> dict[str, Any]:
    schema = _model_schema(SiteSettings)
    schema["title"] = "网站设置（catalog/site.yaml）"
    schema["description"] = "若干“字段: 值”；每个字段都可省略，省略时用默认值。"
    return {"$schema": DRAFT, **schema}


def redirects_schema() -> dict[str, Any]:
    return {
        "$schema": DRAFT,
        "title": "编号改名记录（catalog/redirects.yaml）",
        "description": "已经发布的编号改名后，每行写“旧编号: 新编号”，旧网址会自动跳转到新网址，分享出去的链接不会失效。",
        "type": ["object", "null"],
        "propertyNames": {"pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"},
        "additionalProperties": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$", "title": "新编号"},
    }


def all_schemas() -> dict[str, dict[str, Any]]:
    """File name → schema, for every catalogue file kind."""
    out = {f"{kind}.schema.json": kind_schema(kind) for kind in KINDS}
    out["site.schema.json"] = settings_schema()
    out["redirects.schema.json"] = redirects_schema()
    return out


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def write_schemas(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in all_schemas().items():
        path = out / name
        text = dumps(schema)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def schema_name(relative: Path | str) -> str | None:
    """The schema file of a catalogue file, from its path relative to the catalogue folder."""
    parts = Path(relative).parts
    stem = Path(relative).stem
    if len(parts) == 1:
        if stem in SINGLE_FILES:
            return f"{SINGLE_FILES[stem]}.schema.json"
        return f"{stem}.schema.json" if stem in ("site", "redirects") else None
    if len(parts) == 2 and parts[0] in FOLDERS:
        return f"{FOLDERS[parts[0]]}.schema.json"
    return None


def header_line(relative: Path | str) -> str | None:
    """`# yaml-language-server: $schema=…` for a catalogue file (path relative to the catalogue folder)."""
    name = schema_name(relative)
    if name is None:
        return None
    up = "../" * (len(Path(relative).parts) - 1)
    return f"{HEADER_PREFIX}{up}{SCHEMA_DIR}/{name}"
