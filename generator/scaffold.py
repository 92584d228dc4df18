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
from dataclasses import dataclass, field
from pathlib import Path

from pydantic.fields import FieldInfo
from pypinyin import Style, lazy_pinyin

from .catalog import FOLDERS, ID_SPACES, _catalog_files
from .model import KINDS
from .reader import ReadError, read_file
from .schema import choice_labels, header_line, schema_name

NEW_KINDS = ("lecture", "lecturer", "venue", "base", "station")
NAME_FIELD = {"lecture": "title"}  # the field --name fills; "name" for the others

# Examples shown for fields (kind-specific first).  Ids of other entries come from the catalogue.
EXAMPLES: dict[str, str] = {
    "lecture.id": "2027-01-09-reading",
    "lecture.title": "亲子共读的三个方法",
    "lecturer.id": "li-ming",
    "venue.id": "city-library",
    "base.id": "chencang-farm-base",
    "station.id": "qingjiang",
    "district.id": "weibin",
    "district.name": "渭滨区",
    "district.description": "宝鸡市中心城区之一，市级文化场馆集中。",
    "topic.id": "reading",
    "topic.name": "亲子阅读",
    "topic.description": "和孩子一起读书、聊书的方法。",
    "series.id": "family-reading",
    "series.title": "亲子阅读系列课",
    "series.description": "四次课，从绘本到整本书阅读。",
    "lecturer.title": "高级教师",
    "lecturer.name": "王芳",
    "venue.name": "宝鸡市图书馆",
    "base.name": "陈仓区劳动教育实践基地",
    "station.name": "清姜路社区家庭教育指导服务站",
    "station.phone": "0917-3212345",
    "date": "2027-01-09",
    "start": "14:30",
    "end": "16:00",
    "organizer": "市妇联",
    "registration": "扫描海报上的二维码报名",
    "capacity": "100",
    "status_note": "因天气原因延期，新时间另行通知",
    "online_url": "https://live.example.cn/room/1205",
    "replay": "https://live.example.cn/replay/1205",
    "description": "一两段文字介绍内容；可用 **加粗** 和列表。",
    "bio": "一两段文字介绍讲师的经历和擅长的内容。",
    "organization": "宝鸡市实验小学",
    "photo": "assets/lecturers/wang-fang.jpg",
    "address": "渭滨区新建路 1 号",
    "location": "{lat: 34.3619, lng: 107.2373}",
    "hours": "周二至周日 9:00–17:00，周一闭馆",
    "admission_note": "凭身份证免费领票",
    "phone": '"0917-3212345"',
    "url": "https://www.example.cn/",
    "operator": "陈仓区教育局",
    "ages": "6-15",
    "booking": "学校提前一周电话预约",
    "programs": "[果园劳动, 农具认识, 节气课堂]",
    "street": "清姜街道",
    "host": "清姜路社区居委会",
    "audiences": "[primary, junior]",
    "private": '\n  phone: "13912345678"\n  email: liming@example.cn\n  id_number: "610302198001011234"\n  notes: 周末可安排县区巡讲',
}
# Reference fields: which catalogue table an example id comes from, and whether it is a list.
REFERENCES = {"district": ("district", False), "topics": ("topic", True), "lecturers": ("lecturer", True),
              "venue": ("place", False), "series": ("series", False)}
# Fields the model leaves optional but the editor normally fills (the catalogue check asks for them).
EXPECTED = {"lecture.venue", "lecture.lecturers", "lecture.topics", "lecture.audiences"}


@dataclass
class Existing:
    """What the catalogue on disk holds, read leniently (an editor's catalogue may be half-done)."""

    ids: dict[str, list[str]] = field(default_factory=dict)  # id space → ids in file order
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # kind → id → name


def read_existing(catalog: Path) -> Existing:
    out = Existing()
    if not catalog.is_dir():
        return out
    for kind, path in _catalog_files(catalog, []):
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


def _example(kind: str, name: str, existing: Existing) -> str:
    if f"{kind}.{name}" in EXAMPLES:
        return EXAMPLES[f"{kind}.{name}"]
    if name in REFERENCES:
        space, many = REFERENCES[name]
        ids = existing.ids.get(space) or [{"district": "weibin", "topic": "reading", "lecturer": "wang-fang",
                                           "place": "city-library", "series": "family-reading"}[space]]
        return f"[{ids[0]}]" if many else ids[0]
    return EXAMPLES.get(name, "")


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
        example = _example(kind, field_name, existing)
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
    from .catalog import KIND_LABELS

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
        raise ValueError(f"{path} 不是{_label(kind)}文件：{_label(kind)}要写在 {catalog}/{folder}/ 下的文件里")
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
