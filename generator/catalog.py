"""The whole catalogue: read every file, validate every entry, link them.

`load_catalog(root)` either returns a `Catalog` whose cross-references are all
sound, or raises `CatalogInvalid` with every problem of every file at once.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import multiprocessing
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Iterator

from pydantic import ValidationError

from . import lifeline, vocab
from .model import (BAOJI_LAT, BAOJI_LNG, EMPTY, KINDS, Base, District, Entry, Lecture, Lecturer, Place, Series, Station, Topic, Venue,
                    meant_id, well_formed)
from .folders import display as _display
from .folders import listing, refusal
from .privacy import PrivateValues, id_card_in, mobile_in, numbers
from .problems import CatalogInvalid, Problem, field_label, shown
from .reader import Document, ReadError, read_file

# Where each kind lives: a single file or a folder of files.
SINGLE_FILES = {"districts": "district", "topics": "topic", "series": "series"}
FOLDERS = {"lecturers": "lecturer", "venues": "venue", "bases": "base", "stations": "station", "lectures": "lecture"}
REQUIRED_FILES = ("districts", "topics")
# Kinds that share one id space (a lecture's `venue` may name any of them).
ID_SPACES = {"venue": "place", "base": "place", "station": "place"}
KIND_LABELS = {
    "district": "县区", "topic": "主题", "series": "系列", "lecturer": "讲师",
    "venue": "场馆", "base": "实践基地", "station": "指导站点", "lecture": "讲座", "place": "地点",
}


@dataclass(frozen=True)
class Source:
    """Where an entry was written: for messages that point back at it."""

    doc: Document
    index: int

    def problem(self, field_name: str, message: str, hint: str = "", *, key: bool = False) -> Problem:
        loc = (self.index, *([field_name] if field_name else []))
        return self.doc.problem(loc, field_name, message, hint, key=key)


@dataclass
class Catalog:
    districts: dict[str, District]
    topics: dict[str, Topic]
    series: dict[str, Series]
    lecturers: dict[str, Lecturer]
    venues: dict[str, Venue]
    bases: dict[str, Base]
    stations: dict[str, Station]
    lectures: dict[str, Lecture]
    sources: dict[tuple[str, str], Source] = field(default_factory=dict, repr=False)
    redirects: list[Any] = field(default_factory=list, repr=False)  # published.Redirect: renamed ids

    # Backlinks are derived on first use, after the checks have passed.
    @cached_property
    def places(self) -> dict[str, Place]:
        return {**self.venues, **self.bases, **self.stations}

    @cached_property
    def lectures_in_order(self) -> list[Lecture]:
        return sorted(self.lectures.values(), key=lecture_order)

    @cached_property
    def lectures_by_lecturer(self) -> dict[str, list[Lecture]]:
        return _group(self.lectures_in_order, lambda l: l.lecturers)

    @cached_property
    def lectures_by_place(self) -> dict[str, list[Lecture]]:
        return _group(self.lectures_in_order, lambda l: [l.venue] if l.venue else [])

    @cached_property
    def lectures_by_topic(self) -> dict[str, list[Lecture]]:
        return _group(self.lectures_in_order, lambda l: l.topics)

    @cached_property
    def lectures_by_series(self) -> dict[str, list[Lecture]]:
        return _group(self.lectures_in_order, lambda l: [l.series] if l.series else [])

    @cached_property
    def lectures_by_audience(self) -> dict[str, list[Lecture]]:
        return _group(self.lectures_in_order, lambda l: vocab.audiences_served(l.audiences))

    @cached_property
    def lectures_by_district(self) -> dict[str, list[Lecture]]:
        return _group(self.lectures_in_order, lambda l: [self.places[l.venue].district] if l.venue else [])

    @cached_property
    def lecturers_by_topic(self) -> dict[str, list[Lecturer]]:
        return _group(sorted(self.lecturers.values(), key=lambda p: p.id), lambda p: p.topics)

    @cached_property
    def lecturers_by_district(self) -> dict[str, list[Lecturer]]:
        return _group(sorted(self.lecturers.values(), key=lambda p: p.id), lambda p: [p.district] if p.district else [])

    @cached_property
    def places_by_district(self) -> dict[str, list[Place]]:
        return _group(sorted(self.places.values(), key=lambda p: p.id), lambda p: [p.district])

    def place_kind(self, place_id: str) -> str:
        if place_id in self.venues:
            return "venue"
        return "base" if place_id in self.bases else "station"


def lecture_order(lecture: Lecture) -> tuple:
    return (lecture.date, lecture.start, lecture.id)


def _group(items: Iterable[Any], keys) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = defaultdict(list)
    for item in items:
        for key in keys(item):
            out[key].append(item)
    return out


def suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"您是不是想写“{close[0]}”？" if close else ""


# ---------------------------------------------------------------- reading


def _catalog_files(root: Path, problems: list[Problem]) -> list[tuple[str, Path]]:
    """(kind, path) for every catalogue file; unknown files, links and special files are problems."""
    found: list[tuple[str, Path]] = []
    entries = {path.name: path for path in listing(root, root, problems)}
    for stem, kind in SINGLE_FILES.items():
        path = _yaml_file(entries, stem)
        if path:
            found.append((kind, path))
        elif stem in REQUIRED_FILES:
            problems.append(Problem(_display(root / f"{stem}.yaml"), 1, 1, "", "缺少这个文件", f"请在 {root} 下创建 {stem}.yaml"))
    for folder, kind in FOLDERS.items():
        if folder in entries and entries[folder].is_dir():
            for path in listing(entries[folder], root, problems):
                if path.suffix in (".yaml", ".yml") and path.is_file():
                    found.append((kind, path))
    known = set(SINGLE_FILES) | set(FOLDERS) | {"site", "redirects"}  # site.yaml: settings.py; redirects.yaml: published.py
    for path in entries.values():
        name = path.stem if path.is_file() else path.name
        if path.name.startswith(".") or name in known or path.name in ("README.md", "schemas"):
            continue
        if path.is_dir() or path.suffix in (".yaml", ".yml"):
            problems.append(Problem(_display(path), 1, 1, "", f"不认识的{'目录' if path.is_dir() else '文件'}“{path.name}”",
                                    suggest(name, known) or f"目录只能包含：{'、'.join(sorted(known))}"))
    return found


def _yaml_file(entries: dict[str, Path], stem: str) -> Path | None:
    return next((entries[name] for name in (f"{stem}.yaml", f"{stem}.yml") if name in entries and entries[name].is_file()), None)


def _expected_words(ctx: dict[str, Any] | None) -> list[str]:
    return re.findall(r"'([^']*)'", (ctx or {}).get("expected", ""))


_VOCABULARIES = (vocab.AUDIENCES, vocab.VENUE_KINDS, vocab.BASE_KINDS, vocab.STATION_KINDS,
                 vocab.ADMISSIONS, vocab.FORMATS, vocab.STATUSES, vocab.LEVELS, vocab.CRS)


def _labels(words: list[str]) -> dict[str, str]:
    """The Chinese labels of the vocabulary these allowed words come from."""
    return next((v for v in _VOCABULARIES if set(v) == set(words)), {})


def validation_problems(error: ValidationError, doc: Document, base: tuple, model: type, data: dict) -> list[Problem]:
    """pydantic's errors as Chinese problems at the right line of `doc` (`base`: where `data` is)."""
    problems = []
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


def _empty(model: type, loc: tuple) -> tuple[str, str]:
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


def _data_loc(loc: tuple, data: Any) -> tuple:
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


def _field_model(model: type, loc: tuple) -> type | None:
    for part in loc:
        if isinstance(part, int):
            continue
        info = model.model_fields.get(part)
        if not info:
            return None
        annotation = info.annotation
        inner = [a for a in getattr(annotation, "__args__", ()) if isinstance(a, type) and hasattr(a, "model_fields")]
        model = inner[0] if inner else annotation
    return model if hasattr(model, "model_fields") else None


def _field_names(model: type, loc: tuple) -> list[str]:
    target = _field_model(model, loc)
    return list(target.model_fields) if target else []


def _field_title(model: type, loc: tuple) -> str:
    target = _field_model(model, loc[:-1])
    info = target.model_fields.get(loc[-1]) if target else None
    return (info.title or "") if info else ""


def _entries(kind: str, doc: Document, problems: list[Problem]) -> Iterable[tuple[Entry, Source] | Partial | None]:
    """Each entry of `doc`, validated; a `Partial` for an entry with problems of its own, and None for
    an item (or a file) that is not an entry at all."""
    model = KINDS[kind]
    if not isinstance(doc.data, list):
        shape = "文件是空的" if doc.data is None else "文件的最外层应为列表"
        hint = f"每个{KIND_LABELS[kind]}以“- id: …”开头，一项接一项往下写"
        if doc.data is None and kind not in {SINGLE_FILES[stem] for stem in REQUIRED_FILES}:
            hint += "；不用这个文件就删除它"
        problems.append(doc.problem((), "", shape, hint))
        if doc.data is not None:
            yield None
        return
    for index, item in enumerate(doc.data):
        source = Source(doc, index)
        if not isinstance(item, dict):
            problems.append(source.problem("", f"第 {index + 1} 项应为一个{KIND_LABELS[kind]}（多行“字段: 值”）",
                                           "检查这一项的缩进和“- ”后面的内容"))
            yield None
            continue
        try:
            yield model.model_validate(item), source
        except ValidationError as error:
            problems.extend(validation_problems(error, doc, (index,), model, item))
            values, items = well_formed(model, item)
            raw_id = item.get("id")
            meant = values.get("id") or (meant_id(raw_id) if isinstance(raw_id, str) else "")
            yield Partial(model, source, values, items, meant)


class Unknown(AttributeError):
    """A field of a `Partial` that is broken or missing: a check that needs it cannot run."""


@dataclass(frozen=True)
class Partial:
    """An entry that failed validation, as far as it is sound (`model.well_formed`).

    It answers the checks across entries like a valid entry would, field by field: reading a field
    that is broken or missing raises `Unknown`, and the check that needed it is skipped, so that
    its problems are all reported at once and none of them follows from another."""

    model: type[Entry]
    source: Source
    values: dict[str, Any]
    items: dict[str, list[tuple[int, Any]]]  # the sound items of lists with broken ones
    meant: str  # its id, or the id a malformed one is taken to mean; "" if it cannot be told

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("values", {})
        if name not in values:
            raise Unknown(name)
        return values[name]


# ---------------------------------------------------------------- checking

# Fields that name other entries: kind → (field, id space of the entries it names).
REFERENCES: dict[str, tuple[tuple[str, str], ...]] = {
    "lecturer": (("district", "district"), ("topics", "topic")),
    "venue": (("district", "district"),),
    "base": (("district", "district"),),
    "station": (("district", "district"),),
    "lecture": (("lecturers", "lecturer"), ("topics", "topic"), ("venue", "place"), ("series", "series")),
}


@dataclass
class KnownIds:
    """Every id the catalogue's files give, per kind: of valid entries, of broken ones, and what a
    malformed id is taken to mean.  A reference to an id not among them is an error, unless some
    entry of its kind could not be read far enough to tell its id (`unsure`)."""

    ids: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in KINDS})
    unsure: set[str] = field(default_factory=set)

    def sure_ids(self, kind: str) -> set[str] | None:
        """The ids of `kind`, or None when some could not be told."""
        return None if kind in self.unsure else self.ids[kind]

    def space(self, space: str) -> tuple[set[str], bool]:
        """The ids of an id space (`place`: venues, bases and stations), and whether they are all known."""
        kinds = [kind for kind in KINDS if ID_SPACES.get(kind, kind) == space]
        return set().union(*(self.ids[kind] for kind in kinds)), not self.unsure.intersection(kinds)


class _Checker:
    """Checks across fields and entries, on valid entries and on what is sound of broken ones;
    every problem is collected."""

    def __init__(self, catalog: Catalog, broken: list[Partial], known: KnownIds, problems: list[Problem]):
        self.c = catalog
        self.broken = broken
        self.spaces = {space: known.space(space) for space in {s for refs in REFERENCES.values() for _, s in refs}}
        self.problems = problems

    def _source(self, entry: Entry | Partial) -> Source:
        if isinstance(entry, Partial):
            return entry.source
        return self.c.sources[(_space(type(entry)), entry.id)]

    def ref(self, entry: Entry | Partial, field_name: str, target: str | None, space: str, index: int | None = None) -> None:
        ids, certain = self.spaces[space]
        if target is None or target in ids or not certain:
            return
        source = self._source(entry)
        label = field_name if index is None else f"{field_name}[{index}]"
        loc = (source.index, field_name) if index is None else (source.index, field_name, index)
        self.problems.append(source.doc.problem(loc, label, f"找不到编号为“{target}”的{KIND_LABELS[space]}",
                                                suggest(target, ids) or f"请先在目录中添加这个{KIND_LABELS[space]}，或改正编号"))

    def refs(self, entry: Entry | Partial, field_name: str, space: str) -> None:
        if isinstance(entry, Partial) and field_name in entry.items:
            named: Iterable[tuple[int | None, Any]] = entry.items[field_name]
        else:
            value = getattr(entry, field_name)
            named = enumerate(value) if isinstance(value, list) else [(None, value)]
        for index, target in named:
            self.ref(entry, field_name, target, space, index)

    def run(self) -> None:
        c = self.c
        checks = {"lecturer": [self.county], "lecture": [self.lecture],
                  **{kind: [self.location] for kind in ("venue", "base", "station")}}
        tables = {"lecturer": c.lecturers, "venue": c.venues, "base": c.bases, "station": c.stations, "lecture": c.lectures}
        for kind, model in KINDS.items():
            entries = [*tables.get(kind, {}).values(), *(p for p in self.broken if p.model is model)]
            steps = [*(functools.partial(self.refs, field_name=f, space=s) for f, s in REFERENCES.get(kind, ())),
                     *checks.get(kind, ())]
            for entry in entries:
                for step in steps:
                    try:
                        step(entry)
                    except Unknown:  # a broken field: its own problem is reported already
                        pass
        self.clashes()
        self.privacy()

    def privacy(self) -> None:
        """No private value, identity-card number or lecturer's mobile number in a public field."""
        c = self.c
        private = private_values(c)
        for table in (c.districts, c.topics, c.series, c.lecturers, c.venues, c.bases, c.stations, c.lectures):
            for entry in table.values():
                source = c.sources[(_space(type(entry)), entry.id)]
                texts = list(_strings(entry, skip="private"))
                if not private.may_be_in("\n".join(text for _, text in texts)):  # one look per entry, mostly
                    continue
                for loc, text in texts:
                    found = privacy_problem(text, private, lecturer=isinstance(entry, Lecturer))
                    if found:
                        self.problems.append(source.doc.problem((source.index, *loc), field_label(loc), *found))

    def _at(self, entry: Entry | Partial, field_name: str, message: str, hint: str) -> Problem:
        return self._source(entry).problem(field_name, message, hint)

    def county(self, person: Lecturer) -> None:
        if person.level == "county" and not person.district:
            self.problems.append(self._at(person, "level", "县区讲师团成员必须填写所属县区", "请添加“district: 县区编号”"))

    def location(self, place: Place) -> None:
        if not place.location:
            return
        lat, lng = place.location.lat, place.location.lng
        inside = BAOJI_LAT[0] <= lat <= BAOJI_LAT[1] and BAOJI_LNG[0] <= lng <= BAOJI_LNG[1]
        if inside:
            return
        swapped = BAOJI_LAT[0] <= lng <= BAOJI_LAT[1] and BAOJI_LNG[0] <= lat <= BAOJI_LNG[1]
        message = f"坐标（纬度 {lat}，经度 {lng}）不在宝鸡市范围内"
        hint = "纬度和经度可能写反了：lat 是纬度（约 34），lng 是经度（约 107）" if swapped else "请在高德或腾讯地图上重新取点，纬度约 33.6–35.1，经度约 106.3–108.1"
        self.problems.append(self._at(place, "location", message, hint))

    def lecture(self, lecture: Lecture) -> None:
        for check in (self._times, self._online, self._offline):
            try:
                check(lecture)
            except Unknown:
                pass

    def _times(self, lecture: Lecture) -> None:
        if lecture.end <= lecture.start:
            self.problems.append(self._at(lecture, "end", f"结束时间 {lecture.end:%H:%M} 不晚于开始时间 {lecture.start:%H:%M}", "请核对开始和结束时间"))

    def _online(self, lecture: Lecture) -> None:
        if lecture.format in ("online", "hybrid") and not lecture.online_url:
            self.problems.append(self._at(lecture, "format", f"{vocab.FORMATS[lecture.format]}讲座需要填写 online_url", "请添加“online_url: https://…”（直播或会议链接）"))

    def _offline(self, lecture: Lecture) -> None:
        if lecture.format in ("offline", "hybrid") and not lecture.venue:
            self.problems.append(self._at(lecture, "format", f"{vocab.FORMATS[lecture.format]}讲座需要填写地点 venue", "请添加“venue: 地点编号”，纯线上讲座请写 format: online"))

    def clashes(self) -> None:
        """A place holding two lectures at once, or a lecturer in two places at once.

        Each place's and each lecturer's lectures are swept once in order of time (`_overlaps`),
        so many lectures at one place and time cost n log n, not a comparison of every pair; a
        clash is reported at the later lecture, the first few of each place or lecturer line by
        line and the rest counted in one more line."""
        live = [l for l in self.c.lectures_in_order if l.status in ("scheduled", "done")]
        sound = [p for p in self.broken if p.model is Lecture and _has_all(p, _CLASH_FIELDS)]
        if sound:
            live = sorted(live + [p for p in sound if p.status in ("scheduled", "done")], key=lecture_order)
        at_place = _group(live, lambda l: [l.venue] if l.venue and l.format != "online" else [])
        for place, lectures in sorted(at_place.items()):
            self._report(_overlaps(lectures), "venue", f"地点“{place}”",
                         lambda a: (f"与讲座“{a.id}”（{_when(a)}）在同一地点时间重叠", "请调整时间或地点"))
        for person, lectures in sorted(_group(live, lambda l: l.lecturers).items()):
            self._report(_overlaps(lectures), "lecturers", f"讲师“{person}”",
                         lambda a: (f"讲师“{person}”同一时间有两场讲座（另见讲座“{a.id}”，{_when(a)}）", "请核对时间或主讲人"))

    def _report(self, clashes: Iterable[tuple[Lecture, Lecture]], field_name: str, whose: str, say) -> None:
        clashes = list(clashes)
        for earlier, later in clashes[:MAX_CLASHES_SHOWN]:
            self.problems.append(self._at(later, field_name, *say(earlier)))
        rest = clashes[MAX_CLASHES_SHOWN:]
        if rest:
            self.problems.append(self._at(rest[0][1], field_name, f"……{whose}另有 {len(rest)} 处时间冲突（从这一场起，未逐一列出）",
                                          "请先改正上面列出的冲突，再运行 lvyin validate 查看其余的"))


# Clashes listed one by one for each place or lecturer; the rest are counted.
MAX_CLASHES_SHOWN = 5


def _overlaps(lectures: list[Lecture]) -> Iterable[tuple[Lecture, Lecture]]:
    """(earlier, later) for every lecture of `lectures` (in order of time) that starts before an
    earlier one of its day has ended; `earlier` is the one of them that ends last."""
    latest: Lecture | None = None
    for lecture in lectures:
        same_day = latest is not None and lecture.date == latest.date
        if same_day and lecture.start < latest.end:
            yield latest, lecture
        if not same_day or lecture.end > latest.end:
            latest = lecture


def _when(lecture: Lecture) -> str:
    return f"{lecture.date} {lecture.start:%H:%M}–{lecture.end:%H:%M}"


# What the clash check reads of a lecture: a broken lecture takes part when all of these are sound.
_CLASH_FIELDS = ("id", "date", "start", "end", "status", "format", "venue", "lecturers")


def _has_all(partial: Partial, names: tuple[str, ...]) -> bool:
    return all(name in partial.values for name in names)


def _strings(model: Any, skip: str = "") -> Iterator[tuple[tuple, str]]:
    """(field path, text) of every text of an entry or a private block, but the field `skip`."""
    fields = {**model.__dict__, **model.model_extra} if model.model_extra else model.__dict__
    for name, value in fields.items():
        if name == skip:
            continue
        if isinstance(value, str):
            yield (name,), value
        elif isinstance(value, list):
            yield from (((name, i), item) for i, item in enumerate(value) if isinstance(item, str))


def private_values(catalog: Catalog) -> PrivateValues:
    """Every value of the lecturers' private blocks, to look for in public text."""
    return PrivateValues((person.id, field_label(loc), value) for person in catalog.lecturers.values() if person.private
                         for loc, value in _strings(person.private))


def privacy_problem(text: str, private: PrivateValues, *, lecturer: bool) -> tuple[str, str] | None:
    """(message, hint) when `text` holds what must not be public; the value itself is never quoted."""
    found = numbers(text)
    owner = private.owner_in(text, found)
    if owner:
        return (f"含有讲师“{owner[0]}”的内部信息（private.{owner[1]}），不能公开",
                "请从这里删除；private 下的电话、邮箱、身份证号和备注只供管理员使用，永不发布")
    if id_card_in(found):
        return "含有身份证号，不能公开", "身份证号只能写在讲师的 private.id_number 下（不发布），请从这里删除"
    if lecturer and mobile_in(found):
        return ("讲师的公开信息里不能写手机号",
                "讲师本人的手机号请写在 private.phone 下（不发布）；需要公开联系方式时，请写单位的公开电话")
    return None


def _space(model: type[Entry]) -> str:
    kind = next(k for k, m in KINDS.items() if m is model)
    return ID_SPACES.get(kind, kind)


class FileCache:
    """Each catalogue file's entries, read again only when the file changed on disk.

    For `lvyin serve`: an edit to one file re-reads that file; the entries of the others are the
    very same objects as before, which lets the preview re-render only what changed (preview.py).
    """

    def __init__(self) -> None:
        self._files: dict[Path, tuple[tuple, _FileEntries]] = {}

    def read(self, kind: str, path: Path) -> _FileEntries:
        stat = path.stat()
        key = (kind, stat.st_mtime_ns, stat.st_size, stat.st_ino)
        cached = self._files.get(path)
        if cached is None or cached[0] != key:
            cached = self._files[path] = (key, _read_entries(kind, path))
        return cached[1]

    def keep_only(self, paths: set[Path]) -> None:
        for gone in set(self._files) - paths:
            del self._files[gone]


@dataclass(frozen=True)
class _FileEntries:
    problems: list[Problem]
    entries: list[tuple[Entry, Source]]
    broken: list[Partial] = field(default_factory=list)  # entries with problems of their own
    unsure: bool = False  # the file, or an item of it, could not be read far enough to tell its ids


# A catalogue of more bytes than this is read by two processes side by side (at 100,000 lectures,
# 13 s instead of 18); a smaller one by one, which is sooner than starting another.
READ_IN_TWO_FROM = 4 << 20


def _read_all(files: list[tuple[str, Path]]) -> list[_FileEntries]:
    """Every file's entries, in the order of `files`: the second half (by size) read by a forked
    process when the catalogue is big and there are two cores, the first half meanwhile here."""
    sizes = [path.stat().st_size for _, path in files]
    if sum(sizes) < READ_IN_TWO_FROM or len(os.sched_getaffinity(0)) < 2:
        return [_read_entries(kind, path) for kind, path in files]
    half = next(i for i, total in enumerate(itertools.accumulate(sizes), 1) if 2 * total >= sum(sizes))
    mine, theirs = files[:half], files[half:]
    receiving, sending = multiprocessing.Pipe(duplex=False)
    reader = lifeline.fork_process(_read_for_parent, (theirs, sending), "read")  # it dies with a killed build
    reader.start()
    sending.close()
    try:
        read = [_read_entries(kind, path) for kind, path in mine]
        try:
            return read + receiving.recv()
        except EOFError:  # the reader died (out of memory?): read its half here
            return read + [_read_entries(kind, path) for kind, path in theirs]
    finally:
        reader.kill()
        reader.join()
        receiving.close()


def _read_for_parent(files: list[tuple[str, Path]], sending) -> None:
    read = [_read_entries(kind, path) for kind, path in files]
    for (_, path), entries in zip(files, read):
        for source in [source for _, source in entries.entries] + [partial.source for partial in entries.broken]:
            source.doc.travel_light(path)  # a fifth of the bytes to send, and a tenth of the time to take them in
    sending.send(read)
    sending.close()


def _read_entries(kind: str, path: Path) -> _FileEntries:
    try:
        doc = read_file(path, _display(path))
    except ReadError as error:
        return _FileEntries(error.problems, [], unsure=True)
    problems = list(doc.problems)
    entries, broken, unsure = [], [], False
    for read in _entries(kind, doc, problems):
        if isinstance(read, Partial):
            broken.append(read)
            unsure = unsure or not read.meant
        elif read is None:
            unsure = True
        else:
            entries.append(read)
    return _FileEntries(problems, entries, broken, unsure)


def load_catalog(root: Path | str, cache: FileCache | None = None) -> Catalog:
    """The catalogue at `root`, whose entries and cross-references are all sound; or `CatalogInvalid`."""
    catalog, known, problems = check_catalog(root, cache)
    if problems:
        raise CatalogInvalid(problems)
    return catalog


def check_catalog(root: Path | str, cache: FileCache | None = None) -> tuple[Catalog, KnownIds, list[Problem]]:
    """Every problem of the catalogue at `root`, with what could be read of it: its valid entries
    and the ids of all (articles check their topics against these when the catalogue has problems)."""
    root = Path(root)
    problems: list[Problem] = []
    linked = refusal(root, _display(root))
    if linked:
        raise CatalogInvalid([linked])
    if not root.is_dir():
        raise CatalogInvalid([Problem(str(root), 1, 1, "", "找不到目录文件夹", "请用 --catalog 指定 catalog 文件夹")])
    tables: dict[str, dict[str, Entry]] = {kind: {} for kind in KINDS}
    sources: dict[tuple[str, str], Source] = {}
    known = KnownIds()
    broken: list[Partial] = []
    files = _catalog_files(root, problems)
    if cache is not None:
        cache.keep_only({path for _, path in files})
    reads = [cache.read(kind, path) for kind, path in files] if cache is not None else _read_all(files)
    for (kind, _), read in zip(files, reads):
        problems.extend(read.problems)
        space = ID_SPACES.get(kind, kind)
        if read.unsure:
            known.unsure.add(kind)
        for partial in read.broken:
            known.ids[kind].add(partial.meant)
        broken.extend(read.broken)
        in_order = read.entries
        if read.broken:  # a duplicate id is found in the order of the file, valid entries or not
            in_order = sorted([*read.entries, *((p, p.source) for p in read.broken if "id" in p.values)],
                              key=lambda pair: pair[1].index)
        for entry, source in in_order:
            if (space, entry.id) in sources:
                first = sources[(space, entry.id)]
                where = f"{first.doc.path}:{first.doc.position((first.index, 'id')).line}"
                problems.append(source.problem("id", f"编号“{entry.id}”重复，{where} 已经用过", "每个编号只能用一次，请换一个"))
                continue
            sources[(space, entry.id)] = source
            if isinstance(entry, Partial):
                continue
            tables[kind][entry.id] = entry
            known.ids[kind].add(entry.id)
    known.ids = {kind: ids - {""} for kind, ids in known.ids.items()}
    catalog = Catalog(
        districts=tables["district"], topics=tables["topic"], series=tables["series"],
        lecturers=tables["lecturer"], venues=tables["venue"], bases=tables["base"],
        stations=tables["station"], lectures=tables["lecture"], sources=sources,
    )
    _Checker(catalog, broken, known, problems).run()
    from .published import read_redirects  # late: published builds on this module

    catalog.redirects = read_redirects(root, known, problems)
    return catalog, known, problems
