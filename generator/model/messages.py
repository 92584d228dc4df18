"""pydantic's validation errors as Chinese problems at the line and column of the value."""

from __future__ import annotations

import re
from typing import Any, TypeGuard

from pydantic import BaseModel, ValidationError

from generator.errors import Problem, field_label, shown, suggest
from generator.model import vocab
from generator.model.fields import EMPTY
from generator.source.reader import Document
from generator.source.text import Loc


def _expected_words(ctx: dict[str, Any] | None) -> list[str]:
    return re.findall(r"'([^']*)'", (ctx or {}).get("expected", ""))


_VOCABULARIES = (vocab.AUDIENCES, vocab.VENUE_KINDS, vocab.BASE_KINDS, vocab.STATION_KINDS,
                 vocab.ADMISSIONS, vocab.FORMATS, vocab.STATUSES, vocab.LEVELS, vocab.CRS)


def _labels(words: list[str]) -> dict[str, str]:
    """The Chinese labels of the vocabulary these allowed words come from."""
    return next((v for v in _VOCABULARIES if set(v) == set(words)), {})


def validation_problems(error: ValidationError, doc: Document, base: Loc, model: type[BaseModel], data: dict[str, Any]) -> list[Problem]:
    """pydantic's errors as Chinese problems at the right line of `doc` (`base`: where `data` is)."""
    problems: list[Problem] = []
    for err in error.errors():
        ctx = err.get("ctx") or {}
        loc = _data_loc((*err["loc"], *([ctx["item"]] if "item" in ctx else [])), data)
        label = field_label(loc)
        full = (*base, *loc)
        kind, given = err["type"], err.get("input")
        key = False
        if kind == "lvyin":
            message, hint = ctx["message"], ctx.get("hint", "")
        elif kind == EMPTY:
            message, hint = _empty(model, loc)
        elif kind == "missing":
            title = _field_title(model, loc)
            message, hint = f"缺少必填字段“{loc[-1]}”（{title}）", f"请添加一行“{loc[-1]}: …”"
            full = full[:-1]
        elif kind == "extra_forbidden":
            key = True
            known = _field_names(model, loc[:-1])
            message = f"没有“{loc[-1]}”这个字段"
            hint = suggest(str(loc[-1]), known) or f"可用的字段：{'、'.join(known)}"
        elif kind == "literal_error":
            words = _expected_words(ctx)
            message = f"“{shown(given)}”不是可选的值"
            labels = _labels(words)
            choices = "、".join(f"{w}（{labels[w]}）" if w in labels else w for w in words)
            hint = " ".join(filter(None, [suggest(str(given), words) if isinstance(given, str) else "", f"可选值：{choices}"]))
        elif kind in ("list_type",):
            message, hint = "这里应为列表", "每项单独一行、以“- ”开头，或写成 [甲, 乙]"
        elif kind in ("model_type", "model_attributes_type", "dict_type"):
            message, hint = "这里应包含若干子字段", "请按说明写成多行“子字段: 值”，例如 location 下写 lat、lng"
        else:  # pragma: no cover - every field type above raises one of the known kinds
            message, hint = f"值不正确（{err['msg']}）", ""
        problems.append(doc.problem(full, label, message, hint, key=key))
    return problems


def _empty(model: type[BaseModel], loc: Loc) -> tuple[str, str]:
    """The message for an empty value: a required field must be filled; an optional one may go."""
    if not loc or isinstance(loc[-1], int):
        return "列表中的这一项是空的", "请填写这一项，或把它删掉"
    target = _field_model(model, loc[:-1])
    info = target.model_fields.get(loc[-1]) if target else None
    if info is None or not info.is_required():
        return "不能为空", "请填写内容，或删除这一行"
    title = f"（{info.title}）" if info.title else ""
    about = f"{info.title or '内容'}" + (f"（{info.description}）" if info.description else "")
    return f"不能为空：“{loc[-1]}”{title}是必填字段", f"请在冒号后面填写{about}"


def _data_loc(loc: Loc, data: Any) -> Loc:
    """Drop pydantic's union and validator tags so that `loc` is a path into the data."""
    out: list[Any] = []
    node = data
    for part in loc:
        if isinstance(part, int) or (isinstance(node, dict) and part in node) or re.fullmatch(r"[a-z_]+", str(part)):
            out.append(part)
            node = node[part] if isinstance(node, (dict, list)) and _has(node, part) else None
    return tuple(out)


def _has(node: Any, part: Any) -> bool:
    return part in node if isinstance(node, dict) else isinstance(part, int) and part < len(node)


def _is_model(annotation: Any) -> TypeGuard[type[BaseModel]]:
    return isinstance(annotation, type) and hasattr(annotation, "model_fields")


def _field_model(model: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model of the value at `loc` in `model` (through `X | None` and `list[X]`); None if not a model."""
    found: type[BaseModel] | None = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = found.model_fields.get(part) if found else None
        if not info:
            return None
        annotation = info.annotation
        inner = [a for a in getattr(annotation, "__args__", ()) if _is_model(a)]
        found = inner[0] if inner else annotation if _is_model(annotation) else None
    return found


def _field_names(model: type[BaseModel], loc: Loc) -> list[str]:
    target = _field_model(model, loc)
    return list(target.model_fields) if target else []


def _field_title(model: type[BaseModel], loc: Loc) -> str:
    target = _field_model(model, loc[:-1])
    info = target.model_fields.get(loc[-1]) if target else None
    return (info.title or "") if info else ""
