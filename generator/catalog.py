"""The whole catalogue: read every file, validate every entry, link them.

`load_catalog(root)` either returns a `Catalog` whose cross-references are all
sound, or raises `CatalogInvalid` with every problem of every file at once.
"""

from __future__ import annotations

import difflib
import itertools
import multiprocessing
import os
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError

from . import vocab
from .model import BAOJI_LAT, BAOJI_LNG, KINDS, Base, District, Entry, Lecture, Lecturer, Place, Series, Station, Topic, Venue
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
        return _group(self.lectures_in_order, lambda l: l.audiences)

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
    """(kind, path) for every catalogue file; unknown files are problems."""
    found: list[tuple[str, Path]] = []
    for stem, kind in SINGLE_FILES.items():
        path = _yaml_file(root, stem)
        if path:
            found.append((kind, path))
        elif stem in REQUIRED_FILES:
            problems.append(Problem(_display(root / f"{stem}.yaml"), 1, 1, "", "缺少这个文件", f"请在 {root} 下创建 {stem}.yaml"))
    for folder, kind in FOLDERS.items():
        for path in sorted((root / folder).glob("*")):
            if path.suffix in (".yaml", ".yml") and path.is_file():
                found.append((kind, path))
    known = set(SINGLE_FILES) | set(FOLDERS) | {"site", "redirects"}  # site.yaml: settings.py; redirects.yaml: published.py
    for path in sorted(root.iterdir()) if root.is_dir() else []:
        name = path.stem if path.is_file() else path.name
        if path.name.startswith(".") or name in known or path.name in ("README.md", "schemas"):
            continue
        if path.is_dir() or path.suffix in (".yaml", ".yml"):
            problems.append(Problem(_display(path), 1, 1, "", f"不认识的{'目录' if path.is_dir() else '文件'}“{path.name}”",
                                    suggest(name, known) or f"目录只能包含：{'、'.join(sorted(known))}"))
    return found


def _yaml_file(root: Path, stem: str) -> Path | None:
    for suffix in (".yaml", ".yml"):
        if (root / f"{stem}{suffix}").is_file():
            return root / f"{stem}{suffix}"
    return None


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


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


def _entries(kind: str, doc: Document, problems: list[Problem]) -> Iterable[tuple[Entry, Source]]:
    model = KINDS[kind]
    if not isinstance(doc.data, list):
        shape = "文件是空的" if doc.data is None else "文件的最外层应为列表"
        problems.append(doc.problem((), "", shape, f"每个{KIND_LABELS[kind]}以“- id: …”开头，一项接一项往下写"))
        return
    for index, item in enumerate(doc.data):
        source = Source(doc, index)
        if not isinstance(item, dict):
            problems.append(source.problem("", f"第 {index + 1} 项应为一个{KIND_LABELS[kind]}（多行“字段: 值”）",
                                           "检查这一项的缩进和“- ”后面的内容"))
            continue
        try:
            yield model.model_validate(item), source
        except ValidationError as error:
            problems.extend(validation_problems(error, doc, (index,), model, item))


# ---------------------------------------------------------------- checking


class _Checker:
    """Cross-entry checks; every problem is collected."""

    def __init__(self, catalog: Catalog, problems: list[Problem]):
        self.c = catalog
        self.problems = problems

    def ref(self, entry: Entry, field_name: str, target: str | None, table: dict[str, Any], kind: str, index: int | None = None) -> None:
        if target is None or target in table:
            return
        source = self.c.sources[(_space(type(entry)), entry.id)]
        label = field_name if index is None else f"{field_name}[{index}]"
        loc = (source.index, field_name) if index is None else (source.index, field_name, index)
        self.problems.append(source.doc.problem(loc, label, f"找不到编号为“{target}”的{KIND_LABELS[kind]}",
                                                suggest(target, table) or f"请先在目录中添加这个{KIND_LABELS[kind]}，或改正编号"))

    def run(self) -> None:
        c = self.c
        for person in c.lecturers.values():
            self.ref(person, "district", person.district, c.districts, "district")
            for i, topic in enumerate(person.topics):
                self.ref(person, "topics", topic, c.topics, "topic", i)
            if person.level == "county" and not person.district:
                self.problems.append(self._at(person, "level", "县区讲师团成员必须填写所属县区", "请添加“district: 县区编号”"))
        for place in c.places.values():
            self.ref(place, "district", place.district, c.districts, "district")
            if place.location:
                self.location(place)
        for lecture in c.lectures.values():
            for i, person in enumerate(lecture.lecturers):
                self.ref(lecture, "lecturers", person, c.lecturers, "lecturer", i)
            for i, topic in enumerate(lecture.topics):
                self.ref(lecture, "topics", topic, c.topics, "topic", i)
            self.ref(lecture, "venue", lecture.venue, c.places, "place")
            self.ref(lecture, "series", lecture.series, c.series, "series")
            self.lecture(lecture)
        self.clashes()

    def _at(self, entry: Entry, field_name: str, message: str, hint: str) -> Problem:
        return self.c.sources[(_space(type(entry)), entry.id)].problem(field_name, message, hint)

    def location(self, place: Place) -> None:
        lat, lng = place.location.lat, place.location.lng
        inside = BAOJI_LAT[0] <= lat <= BAOJI_LAT[1] and BAOJI_LNG[0] <= lng <= BAOJI_LNG[1]
        if inside:
            return
        swapped = BAOJI_LAT[0] <= lng <= BAOJI_LAT[1] and BAOJI_LNG[0] <= lat <= BAOJI_LNG[1]
        message = f"坐标（纬度 {lat}，经度 {lng}）不在宝鸡市范围内"
        hint = "纬度和经度可能写反了：lat 是纬度（约 34），lng 是经度（约 107）" if swapped else "请在高德或腾讯地图上重新取点，纬度约 33.6–35.1，经度约 106.3–108.1"
        self.problems.append(self._at(place, "location", message, hint))

    def lecture(self, lecture: Lecture) -> None:
        if lecture.end <= lecture.start:
            self.problems.append(self._at(lecture, "end", f"结束时间 {lecture.end:%H:%M} 不晚于开始时间 {lecture.start:%H:%M}", "请核对开始和结束时间"))
        if lecture.format in ("online", "hybrid") and not lecture.online_url:
            self.problems.append(self._at(lecture, "format", f"{vocab.FORMATS[lecture.format]}讲座需要填写 online_url", "请添加“online_url: https://…”（直播或会议链接）"))
        if lecture.format in ("offline", "hybrid") and not lecture.venue:
            self.problems.append(self._at(lecture, "format", f"{vocab.FORMATS[lecture.format]}讲座需要填写地点 venue", "请添加“venue: 地点编号”，纯线上讲座请写 format: online"))

    def clashes(self) -> None:
        """A place holding two lectures at once, or a lecturer in two places at once.

        Each place's and each lecturer's lectures are swept once in order of time (`_overlaps`),
        so many lectures at one place and time cost n log n, not a comparison of every pair; a
        clash is reported at the later lecture, the first few of each place or lecturer line by
        line and the rest counted in one more line."""
        live = [l for l in self.c.lectures_in_order if l.status in ("scheduled", "done")]
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
    reader = multiprocessing.get_context("fork").Process(target=_read_for_parent, args=(theirs, sending), name="read")
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
        for _, source in entries.entries:
            source.doc.travel_light(path)  # a fifth of the bytes to send, and a tenth of the time to take them in
    sending.send(read)
    sending.close()


def _read_entries(kind: str, path: Path) -> _FileEntries:
    try:
        doc = read_file(path, _display(path))
    except ReadError as error:
        return _FileEntries(error.problems, [])
    problems = list(doc.problems)
    entries = list(_entries(kind, doc, problems))
    return _FileEntries(problems, entries)


def load_catalog(root: Path | str, cache: FileCache | None = None) -> Catalog:
    root = Path(root)
    problems: list[Problem] = []
    if not root.is_dir():
        raise CatalogInvalid([Problem(str(root), 1, 1, "", "找不到目录文件夹", "请用 --catalog 指定 catalog 文件夹")])
    tables: dict[str, dict[str, Entry]] = {kind: {} for kind in KINDS}
    sources: dict[tuple[str, str], Source] = {}
    files = _catalog_files(root, problems)
    if cache is not None:
        cache.keep_only({path for _, path in files})
    reads = [cache.read(kind, path) for kind, path in files] if cache is not None else _read_all(files)
    for (kind, _), read in zip(files, reads):
        problems.extend(read.problems)
        for entry, source in read.entries:
            space = ID_SPACES.get(kind, kind)
            if (space, entry.id) in sources:
                first = sources[(space, entry.id)]
                where = f"{first.doc.path}:{first.doc.position((first.index, 'id')).line}"
                problems.append(source.problem("id", f"编号“{entry.id}”重复，{where} 已经用过", "每个编号只能用一次，请换一个"))
                continue
            sources[(space, entry.id)] = source
            tables[kind][entry.id] = entry
    catalog = Catalog(
        districts=tables["district"], topics=tables["topic"], series=tables["series"],
        lecturers=tables["lecturer"], venues=tables["venue"], bases=tables["base"],
        stations=tables["station"], lectures=tables["lecture"], sources=sources,
    )
    _Checker(catalog, problems).run()
    from .published import read_redirects  # late: published builds on this module

    catalog.redirects = read_redirects(root, catalog, problems)
    if problems:
        raise CatalogInvalid(problems)
    return catalog
