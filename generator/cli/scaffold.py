"""`lvyin new`: a filled-in template of a catalogue entry, every field explained in Chinese.

The template is made from the model, so it lists exactly the fields the
validator knows.  Required fields the editor must fill are left empty (the
validator names them at their line until they are filled), optional fields are
commented out with an example, and the id is suggested from the Chinese name
(pinyin), unique against the catalogue as it is on disk.
"""

from __future__ import annotations

import re
import typing
from pathlib import Path

from pydantic.fields import FieldInfo
from pypinyin import Style, lazy_pinyin

from generator.catalog.files import catalog_files
from generator.errors import LvyinError
from generator.model.entries import KINDS
from generator.model.examples import EXPECTED, Existing, field_example
from generator.model.kinds import FOLDERS, ID_SPACES, KIND_LABELS
from generator.model.schema import choice_labels, header_line, schema_name
from generator.source.reader import read_file
from generator.source.text import ReadError

NEW_KINDS = ("lecture", "lecturer", "venue", "base", "station")
NAME_FIELD = {"lecture": "title"}  # the field --name fills; "name" for the others


def read_existing(catalog: Path) -> Existing:
    out = Existing()
    if not catalog.is_dir():
        return out
    for kind, path in catalog_files(catalog, []):
        try:
            data = read_file(path).data
        except ReadError:
            continue
        for item in data if isinstance(data, list) else []:
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                out.ids.setdefault(ID_SPACES.get(kind, kind), []).append(item["id"])
                if isinstance(item.get("name"), str):
                    out.names.setdefault(kind, {})[item["id"]] = item["name"]
    return out


def suggest_id(name: str, taken: list[str] | set[str], limit: int = 48) -> str:
    """`亲子共读的三个方法` → `qin-zi-gong-du-de-san-ge-fang-fa`, made unique with -2, -3 …"""
    words = [w.lower() for w in lazy_pinyin(name, style=Style.NORMAL, v_to_u=False, errors="default")]
    text = re.sub(r"[^a-z0-9]+", "-", "-".join(words)).strip("-")
    if len(text) > limit:
        text = text[:limit].rsplit("-", 1)[0]
    text = text or "xin"
    taken = set(taken)
    candidate, number = text, 2
    while candidate in taken:
        candidate, number = f"{text}-{number}", number + 1
    return candidate


def _choices(info: FieldInfo) -> list[str]:
    annotation = info.annotation
    if typing.get_origin(annotation) is typing.Literal:
        return list(typing.get_args(annotation))
    return []


def _comment(kind: str, name: str, info: FieldInfo, required: bool, existing: Existing) -> str:
    text = f"# {info.title}（{'必填' if required else '可不填，需要时删去行首的“# ”'}）"
    if info.description:
        text += f"：{info.description}"
    choices = _choices(info)
    if choices and "可选值" not in (info.description or ""):
        labels = choice_labels(choices)
        text += "。可选值：" + "、".join(f"{c}（{labels[c]}）" if c in labels else str(c) for c in choices)
    if name == "district" and existing.names.get("district"):
        text += "。可选：" + "、".join(f"{i}（{n}）" for i, n in existing.names["district"].items())
    return text


def template(kind: str, existing: Existing, name: str | None = None) -> str:
    """The YAML text of one new entry of `kind` (a list item), with comments."""
    model = KINDS[kind]
    name_field = NAME_FIELD.get(kind, "name")
    space = ID_SPACES.get(kind, kind)
    lines = [f"# ---- 新{_label(kind)}：填写空着的字段（“必填”），需要的“可不填”字段删去行首的“# ”后填写 ----"]
    first = True
    for field_name, info in model.model_fields.items():
        required = info.is_required() or f"{kind}.{field_name}" in EXPECTED
        example = field_example(kind, field_name, existing)
        comment = _comment(kind, field_name, info, required, existing)
        if field_name == "id":
            value = suggest_id(name, existing.ids.get(space, [])) if name else ""
        elif field_name == name_field:
            value = _quoted(name) if name else ""
        elif not info.is_required() and info.default is not None and info.default_factory is None:
            value = str(info.default)
            comment = comment.replace("可不填，需要时删去行首的“# ”", f"可不填，默认 {value}")
        elif _choices(info) and info.is_required():
            value = str(_choices(info)[0])
        elif required:
            value = ""
        else:
            value = None  # optional: commented out with its example
        if value == "" and example:
            comment += f"。示例：{example.strip()}"
        lines.append(("" if first else "  ") + comment)
        prefix = "- " if first else "  "
        if value is None:
            body = f"{field_name}: {example}".rstrip()
            lines.extend(f"  # {line}".rstrip() for line in body.split("\n"))
        else:
            lines.append(f"{prefix}{field_name}: {value}".rstrip())
        first = False
    return "\n".join(lines) + "\n"


def _quoted(text: str) -> str:
    """A name as a YAML plain scalar when that is safe, else double-quoted."""
    if re.fullmatch(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^#:]*", text) and not text.endswith(" "):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _label(kind: str) -> str:
    return KIND_LABELS[kind]


def default_file(kind: str) -> str:
    folder = next(f for f, k in FOLDERS.items() if k == kind)
    return f"{folder}/new.yaml"


def append(path: Path, catalog: Path, kind: str, text: str) -> int:
    """Append `text` to `path` (created with its schema line when new); the 1-based line it starts at."""
    try:
        relative = path.resolve().relative_to(catalog.resolve())
    except ValueError:
        relative = None
    if relative is not None and schema_name(relative) != f"{kind}.schema.json":
        folder = next(f for f, k in FOLDERS.items() if k == kind)
        raise LvyinError(f"{path} 不是{_label(kind)}文件：{_label(kind)}要写在 {catalog}/{folder}/ 下的文件里")
    old = path.read_text(encoding="utf-8-sig") if path.is_file() else ""
    if not old.strip():
        header = header_line(relative) if relative is not None else None
        joined = header + "\n" if header else ""
    else:
        joined = old + ("\n" if old.endswith("\n") else "\n\n")
    start = joined.count("\n") + 1
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        newline = "\r\n" if "\r\n" in old else "\n"
        out.write((joined + text).replace("\r\n", "\n").replace("\n", newline))
    return start
