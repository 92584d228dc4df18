"""The value types of catalogue fields: what an editor may type, and the Chinese message when it is wrong."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from datetime import date, time
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BeforeValidator
from pydantic_core import PydanticCustomError

from generator.errors import shown
from generator.model import vocab

# Baoji's bounding box, generously: the city spans roughly 33.6–35.1°N, 106.3–108.1°E.
BAOJI_LAT = (33.5, 35.2)


BAOJI_LNG = (106.2, 108.2)


def fail(message: str, hint: str = "", *, item: int | None = None) -> PydanticCustomError:
    """A problem with a value, in Chinese; `item`: the index of the list item it is about."""
    context: dict[str, Any] = {"message": message, "hint": hint}
    if item is not None:
        context["item"] = item
    return PydanticCustomError("lvyin", "{message}", context)


# Full-width digits and signs typed with a Chinese input method mean the same numbers.
_HALF_WIDTH = str.maketrans("０１２３４５６７８９：－．", "0123456789:-.")


# An empty value: what to do about it depends on whether the field is required, which
# `catalog.validation_problems` knows (deleting a required field only leads to "缺少必填字段").
EMPTY = "lvyin_empty"


# Bounds that keep every value usable where the build puts it: an id in a URL and a file name,
# a name in a calendar's title line, a description on a page.
MAX_ID = 64


MAX_LINE = 200


MAX_URL = 2000


MAX_PROSE = 5000


MAX_ITEMS = 30


YEARS = (2000, 2100)


# Characters no text may hold: control characters (tab, carriage return, NUL, …), the Unicode
# line and paragraph separators, and the direction overrides that make text read other than it
# is stored.  A line break is allowed only where several lines are meant (`Prose`).
_CONTROL_NAMES = {"\t": "制表符（Tab）", "\r": "回车符"}


_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _blank(value: Any) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise PydanticCustomError(EMPTY, "{message}", {"message": "不能为空", "hint": "请填写内容"})
    if not isinstance(value, str):
        raise fail("应为一段文字", "请直接写文字；列表或多层结构不能用在这里")
    return value.strip()


def _after(value: str, at: int) -> str:
    """Where character `at` of `value` is, as a message says it."""
    return f"在“{shown(value[:at])}”之后" if at else "在开头"


def _text(raw: Any, *, lines: bool = False, limit: int = MAX_LINE) -> str:
    value = _blank(raw)
    if not lines and "\n" in value:
        raise fail(f"只能写一行，这里有换行（{_after(value, value.index(chr(10)))}）",
                    "请把内容写在同一行；用“|”或“>”写成多行的，请改成一行")
    hidden = _CONTROL.search(value)
    if hidden:
        name = _CONTROL_NAMES.get(hidden.group(), "看不见的控制字符")
        raise fail(f"含有{name}（U+{ord(hidden.group()):04X}，{_after(value, hidden.start())}）",
                    "请删除它（常见于从网页、Word 或微信复制的文字），或重新输入这段文字")
    if len(value) > limit:
        raise fail(f"太长了（{len(value)} 个字），最多 {limit} 个字", "请写得简短些；详细内容可以写在 description 中")
    return value


def _prose(value: Any) -> str:
    return _text(value, lines=True, limit=MAX_PROSE)


_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


# Characters an editor cannot see: zero-width and directional marks, BOM, soft hyphen, odd spaces.
_INVISIBLE = re.compile(r"[\u00a0\u00ad\u180e\u2000-\u200f\u202a-\u202f\u205f-\u2064\u2066-\u206f\u3000\ufeff]")


# Ids that are pages of their own in every section (/lectures/index.md is the section's list).
RESERVED_IDS = {"index"}


def meant_id(value: str) -> str:
    """The id an ill-formed one was most likely meant to be ("" if none): what its message suggests,
    and what other entries may already name."""
    return re.sub(r"[^a-z0-9]+", "-", _INVISIBLE.sub("", value).lower()).strip("-")


def _id(raw: Any) -> str:
    value = _blank(raw)
    hidden = _INVISIBLE.search(value)
    if hidden:
        raise fail(f"编号中含有看不见的字符（U+{ord(hidden.group()):04X}，{_after(value, hidden.start())}）",
                    "请删除这个编号，用英文输入法重新输入")
    if not _ID.fullmatch(value):
        hint = "编号只能用小写英文字母、数字和连字符“-”，例如 weibin-library"
        if re.search(r"[，、；]", value):
            hint = "多个编号要写成列表，用英文逗号分隔，例如 [reading, safety]；" + hint
        else:
            suggestion = meant_id(value)
            if suggestion and suggestion != value:
                hint += f"；您是不是想写“{shown(suggestion)}”"
        raise fail(f"“{shown(value)}”不是有效的编号", hint)
    if len(value) > MAX_ID:
        raise fail(f"编号太长了（{len(value)} 个字符），最多 {MAX_ID} 个", "编号会成为网址和文件名的一部分，请用简短的拼音或英文")
    if value in RESERVED_IDS:
        raise fail(f"“{value}”是网站保留的名字，不能作编号", "请换一个编号，例如在前面加上县区或单位的拼音")
    return value


_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


_LOOSE_DATE = re.compile(r"(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*日?|(\d{4})(\d{2})(\d{2})", re.ASCII)


_SLASH_DATE = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})", re.ASCII)


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _date(raw: Any) -> date:
    value = _blank(raw)
    found = _DATE.fullmatch(value.translate(_HALF_WIDTH))
    if found:
        day = _real_date(int(found[1]), int(found[2]), int(found[3]))
        if day is None:
            raise fail(f"“{shown(value)}”不是真实存在的日期", "请核对月份和日期（例如 2 月没有 30 日）")
        if not YEARS[0] <= day.year <= YEARS[1]:
            raise fail(f"日期“{shown(value)}”的年份不在 {YEARS[0]}–{YEARS[1]} 年之间", "请核对年份，例如 2026-12-05")
        return day
    raise fail(f"日期“{shown(value)}”的写法不对", _date_hint(value.translate(_HALF_WIDTH)))


def _date_hint(value: str) -> str:
    """How to write the date the editor meant, when it can be told."""
    loose = _LOOSE_DATE.fullmatch(value)
    if loose:
        year, month, day = (int(part) for part in (loose.groups()[:3] if loose[1] else loose.groups()[3:]))
        if _real_date(year, month, day) is None:
            return "这一天不存在，请核对月份和日期，并写成 年-月-日"
        return f"请写成 年-月-日，例如 {year:04d}-{month:02d}-{day:02d}"
    slash = _SLASH_DATE.fullmatch(value)
    if slash:  # 12/05/2026: month first as Excel shows it, or day first
        first, second, year = int(slash[1]), int(slash[2]), int(slash[3])
        meant = [d for d in (_real_date(year, first, second), _real_date(year, second, first)) if d]
        meant = sorted(set(meant))
        if len(meant) == 1:
            return f"请写成 年-月-日，例如 {meant[0].isoformat()}"
        if meant:
            return "请写成 年-月-日：" + "；".join(f"{d.month} 月 {d.day} 日写作 {d.isoformat()}" for d in meant)
    return "请写成 年-月-日，例如 2026-12-05"


_TIME = re.compile(r"(\d{1,2}):(\d{2})", re.ASCII)


_LOOSE_TIME = re.compile(r"(\d{1,2})\s*(?:[.点时]\s*(\d{1,2})\s*分?|:(\d{2}):\d{2}|[点时]整?)", re.ASCII)


def _time(raw: Any) -> time:
    value = _blank(raw)
    found = _TIME.fullmatch(value.translate(_HALF_WIDTH))
    if not found:
        loose = _LOOSE_TIME.fullmatch(value.translate(_HALF_WIDTH))
        example = f"{int(loose[1])}:{int(loose[2] or loose[3] or 0):02d}" if loose else "14:30"
        raise fail(f"时间“{shown(value)}”的写法不对", f"请写成 时:分（24 小时制，英文冒号），例如 {example}")
    hour, minute = int(found[1]), int(found[2])
    if hour > 23 or minute > 59:
        raise fail(f"“{shown(value)}”不是有效的时间", "小时为 0–23，分钟为 00–59，例如 19:30")
    return time(hour, minute)


# Spaces, control characters, and what would end the attribute or tag a link is written in
# (quotes, angle brackets, backslash, backtick); a URL holds them only percent-encoded (RFC 3986).
NOT_IN_URL = r"\s\x00-\x1f\x7f\"<>\\`"


_NOT_IN_URL = re.compile(f"[{NOT_IN_URL}]")


_COUNT = re.compile(r"[0-9]{1,6}")


_COORDINATE = re.compile(r"-?[0-9]{1,3}(\.[0-9]{1,10})?")


def _url(schemes: tuple[str, ...]) -> Callable[[Any], str]:
    def check(raw: Any) -> str:
        value = _text(raw, limit=MAX_URL)
        if not any(value.lower().startswith(s) for s in schemes) or _NOT_IN_URL.search(value):
            allowed = "、".join(s.rstrip("/:") for s in schemes)
            raise fail(f"“{shown(value)}”不是允许的链接", f"链接必须以 {allowed} 开头，且不能含空格、引号或尖括号")
        return value
    return check


def _count(raw: Any) -> int:
    value = _blank(raw)
    if not _COUNT.fullmatch(value.translate(_HALF_WIDTH)):
        raise fail(f"“{shown(value)}”不是一个人数", "请只写一个整数，例如 60")
    return int(value.translate(_HALF_WIDTH))


def _coordinate(raw: Any) -> float:
    value = _blank(raw)
    number = value.translate(_HALF_WIDTH)
    if not _COORDINATE.fullmatch(number):
        hint = "请写十进制度数，例如 34.3619"
        if re.search(r"[°′″'\"度分秒]", value):
            hint = "请把度分秒换算成十进制度数，例如 34.3619（地图取点工具直接给出这种写法）"
        raise fail(f"“{shown(value)}”不是有效的坐标数字", hint)
    result = float(number)
    if not math.isfinite(result):  # pragma: no cover - the pattern already excludes nan and inf
        raise fail("坐标不是有限的数字")
    return result


_AGES = re.compile(r"([0-9]{1,2})-([0-9]{1,2})")


_LOOSE_AGES = re.compile(r"([0-9]{1,2})\s*(?:周?岁)?\s*(?:-|~|～|—|–|至|到)\s*([0-9]{1,2})\s*(?:周?岁)?")


def _ages(raw: Any) -> str:
    value = _blank(raw)
    typed = value.translate(_HALF_WIDTH)
    found = _AGES.fullmatch(typed)
    if found and int(found[1]) <= int(found[2]):
        return typed
    loose = found or _LOOSE_AGES.fullmatch(typed)
    example = f"{min(int(loose[1]), int(loose[2]))}-{max(int(loose[1]), int(loose[2]))}" if loose else "6-15"
    raise fail(f"年龄范围“{shown(value)}”的写法不对", f"请写成 最小-最大 周岁，例如 {example}")


def _distinct(items: list[Any]) -> list[Any]:
    """A list of at most MAX_ITEMS items, none of them twice."""
    if len(items) > MAX_ITEMS:
        raise fail(f"列表太长（{len(items)} 项），最多 {MAX_ITEMS} 项", "请只保留最相关的几项", item=MAX_ITEMS)
    seen: dict[Any, int] = {}
    for index, item in enumerate(items):
        if item in seen:
            raise fail(f"“{shown(str(item))}”重复了（第 {seen[item] + 1} 项已经写过）", "请删除重复的这一项", item=index)
        seen[item] = index
    return items


_IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")


def _image_path(raw: Any) -> str:
    """A picture's path inside the repository's folders: relative, and never climbing out with `..`."""
    value = _text(raw)
    parts = value.split("/")
    if value.startswith("/") or "\\" in value or ":" in value or any(part in ("", ".", "..") for part in parts):
        raise fail(f"“{shown(value)}”不是仓库里的图片路径",
                    "请写 content/ 下图片的相对路径，例如 assets/lecturers/wang-fang.jpg；"
                    "不能以“/”开头，不能含“..”“\\”，也不能是网址")
    if not value.lower().endswith(_IMAGE_SUFFIXES):
        raise fail(f"“{shown(value)}”不是图片文件", "照片请用 .jpg、.jpeg、.png 或 .webp 图片")
    return value


Text = Annotated[str, BeforeValidator(_text)]  # one line: a title, a name, an address


Prose = Annotated[str, BeforeValidator(_prose)]  # several lines allowed: limited Markdown, notes


ImagePath = Annotated[str, BeforeValidator(_image_path)]


Id = Annotated[str, BeforeValidator(_id)]


Day = Annotated[date, BeforeValidator(_date)]


Clock = Annotated[time, BeforeValidator(_time)]


WebUrl = Annotated[str, BeforeValidator(_url(("https://", "http://")))]


ContactUrl = Annotated[str, BeforeValidator(_url(("https://", "http://", "tel:", "mailto:")))]


Count = Annotated[int, BeforeValidator(_count)]


Coordinate = Annotated[float, BeforeValidator(_coordinate)]


Ages = Annotated[str, BeforeValidator(_ages)]


Audience = Literal[tuple(vocab.AUDIENCES)]  # type: ignore[valid-type]


# Lists: at most MAX_ITEMS items, none twice.
Ids = Annotated[list[Id], AfterValidator(_distinct)]


# Audiences are then kept in reading order (学前, 小学, 初中, 高中 …) whatever order the editor wrote them in.
Audiences = Annotated[list[Audience], AfterValidator(_distinct), AfterValidator(vocab.in_reading_order)]  # type: ignore[valid-type]


Lines = Annotated[list[Text], AfterValidator(_distinct)]
