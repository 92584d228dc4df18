"""Checks across entries: references, coordinates, a lecture's times and format, clashes."""

from __future__ import annotations

import functools
import itertools
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel

from generator.catalog.files import FileCache, Partial, Source, Unknown
from generator.catalog.privacy import PrivateValues, id_card_in, mobile_in, numbers
from generator.catalog.tables import Catalog, lecture_order
from generator.errors import Problem, field_label, suggest
from generator.model import vocab
from generator.model.entries import KINDS, Entry, Lecture, Lecturer, Place
from generator.model.fields import BAOJI_LAT, BAOJI_LNG
from generator.model.kinds import ID_SPACES, KIND_LABELS
from generator.source.text import Loc

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

    def __init__(self, catalog: Catalog, broken: list[Partial], known: KnownIds, problems: list[Problem],
                 files: FileCache | None = None):
        self.c = catalog
        self.broken = broken
        self.spaces = {space: known.space(space) for space in {s for refs in REFERENCES.values() for _, s in refs}}
        self.problems = problems
        self.files = files  # what read the entries, and keeps what a check made of them: see `privacy`

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
        # The checks of one kind's entries, valid or broken (a `Partial` answers like its model).
        checks: dict[str, list[Callable[..., None]]] = {"lecturer": [self.county], "lecture": [self.lecture],
                  **{kind: [self.location] for kind in ("venue", "base", "station")}}
        steps = {model: [*(functools.partial(self.refs, field_name=f, space=s) for f, s in REFERENCES.get(kind, ())),
                         *checks.get(kind, ())] for kind, model in KINDS.items()}
        # An entry looked at before (the preview reads the catalogue again after each edit, and the
        # entries of files not edited are the very same objects) has the same problems while the ids
        # it may refer to are the same: it is not looked at again (see `privacy`).
        tables: dict[str, Mapping[str, Entry]] = {"lecturers": c.lecturers, "venues": c.venues, "bases": c.bases, "stations": c.stations, "lectures": c.lectures}
        self.problems.extend(self._kept_findings("entries", self.spaces, tables,
                                                 lambda entry: self._found(entry, steps[type(entry)])))
        for partial in self.broken:
            self._steps(partial, steps[partial.model])
        self.clashes()
        self.aliases()
        self.privacy()

    def _kept_findings(self, name: str, under: object, tables: Mapping[str, Mapping[str, Entry]],
                       find: Callable[[Entry], list[Problem]]) -> list[Problem]:
        """The problems `find` finds in the entries of `tables` (the catalogue's, by name), kept for
        the next check as `name` while what they depend on is the same (`under`): an entry the last
        check looked at is not looked at again (`_findings`); and when the catalogue knows which
        entries replaced those of the last check's (`Catalog.replaced_since`), only those are, and
        the last findings are brought up to date in place (100,000 entries are not even gone through)."""
        last = self.files.checked.get(name) if self.files is not None else None
        seen: Findings = {}
        flagged: dict[int, list[Problem]] = {}
        replaced = None
        if last is not None and last[0] == under:
            seen, flagged, replaced = last[2], last[3], self.c.replaced_since(last[1]())
        if replaced is not None:
            for table in tables:
                gone, new = replaced.get(table, ((), ()))
                for entry in gone:
                    seen.pop(id(entry), None)
                    flagged.pop(id(entry), None)
                _findings(new, {}, find, seen, flagged)
        else:
            seen, flagged = _findings(itertools.chain.from_iterable(t.values() for t in tables.values()), seen, find)
        if self.files is not None:
            self.files.checked[name] = (under, weakref.ref(self.c), seen, flagged)
        return [problem for found in flagged.values() for problem in found]

    def _found(self, entry: Entry, steps: list[Callable[..., None]]) -> list[Problem]:
        """The problems `steps` find in `entry`, apart from the others."""
        first = len(self.problems)
        self._steps(entry, steps)
        found = self.problems[first:]
        del self.problems[first:]
        return found

    @staticmethod
    def _steps(entry: Entry | Partial, steps: list[Callable[..., None]]) -> None:
        for step in steps:
            try:
                step(entry)
            except Unknown:  # a broken field: its own problem is reported already
                pass

    def privacy(self) -> None:
        """No private value, identity-card number or lecturer's mobile number in a public field.

        With the `files` that read the entries: while the private values are the same, an entry
        looked at before (the preview reads the catalogue again after each edit, and the entries of
        files not edited are the very same objects) has the same problems, and one of a file the
        last build that succeeded read with the very same bytes has none (`FileCache.clean_entries`):
        neither is looked at again."""
        c = self.c
        private = private_values(c)
        clean = self.files.clean_entries(private.digest()) if self.files is not None else {}
        tables: dict[str, Mapping[str, Entry]] = {"districts": c.districts, "topics": c.topics, "series": c.series, "lecturers": c.lecturers,
                  "venues": c.venues, "bases": c.bases, "stations": c.stations, "lectures": c.lectures}
        self.problems.extend(self._kept_findings(
            "privacy", private, tables, lambda entry: [] if clean.get(id(entry)) is entry else self._private_in(entry, private)))

    def _private_in(self, entry: Entry, private: PrivateValues) -> list[Problem]:
        texts = list(_strings(entry, skip="private"))
        if not private.may_be_in("\n".join(text for _, text in texts)):  # one look per entry, mostly
            return []
        source = self.c.sources[(_space(type(entry)), entry.id)]
        return [source.doc.problem((source.index, *loc), field_label(loc), *found) for loc, text in texts
                if (found := privacy_problem(text, private, lecturer=isinstance(entry, Lecturer)))]

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

    def aliases(self) -> None:
        """A parent's word leads to one topic: an alias is no other topic's name or alias."""
        owner = {topic.name: (topic, "名称") for topic in self.c.topics.values()}
        for topic in self.c.topics.values():
            for index, alias in enumerate(topic.aliases):
                other, what = owner.setdefault(alias, (topic, "家长常用说法"))
                if other is not topic:
                    source = self._source(topic)
                    self.problems.append(source.doc.problem(
                        (source.index, "aliases", index), f"aliases[{index}]", f"“{alias}”已是主题“{other.name}”（{other.id}）的{what}",
                        "同一个说法只能指向一个主题：请删除这一项，或改成只属于这个主题的说法"))

    def clashes(self) -> None:
        """A place holding two lectures at once, or a lecturer in two places at once.

        Each place's and each lecturer's lectures are swept once in order of time (`_overlaps`),
        so many lectures at one place and time cost n log n, not a comparison of every pair; a
        clash is reported at the later lecture, the first few of each place or lecturer line by
        line and the rest counted in one more line."""
        sound = [p for p in self.broken if p.model is Lecture and _has_all(p, _CLASH_FIELDS) and _live(p)]
        for place, found in self._clashes_of("venue", self.c.lectures_by_place, sound, lambda l: [l.venue] if l.venue else [],
                                             lambda l: l.format != "online"):
            self._report(found, "venue", f"地点“{place}”",
                         lambda a: (f"与讲座“{a.id}”（{_when(a)}）在同一地点时间重叠", "请调整时间或地点"))
        for person, found in self._clashes_of("lecturers", self.c.lectures_by_lecturer, sound, lambda l: l.lecturers):
            self._report(found, "lecturers", f"讲师“{person}”", functools.partial(_lecturer_clash, person))

    def _clashes_of(self, name: str, groups: Mapping[str, list[Lecture]], sound: list[Partial],
                    keys: Callable[[Partial], Iterable[str]], keep: Callable[[Lecture | Partial], bool] | None = None,
                    ) -> Iterator[tuple[str, list[_Clash]]]:
        """(key, clashes) in order of key, among the lectures of each of `groups` (the catalogue's
        lectures of each place or lecturer, which the site's pages use too) that take place and `keep`
        says (if given), with the broken lectures sound enough to clash.  A group that is the very list of the
        last check (the catalogue's tables keep the lists an edit did not touch) has its clashes of then."""
        last = self.files.checked.get(name, {}) if self.files is not None else {}
        extra: dict[str, list[Partial]] = {}
        for partial in sound:
            if keep is None or keep(partial):
                for key in keys(partial):
                    extra.setdefault(key, []).append(partial)
        now: dict[str, tuple[list[Lecture], list[_Clash]]] = {}
        for key in sorted(groups.keys() | extra.keys()):
            group, kept = groups.get(key, []), last.get(key)
            if kept is not None and kept[0] is group and key not in extra:
                found = kept[1]
            else:
                live: list[Lecture | Partial] = [l for l in group if _live(l) and (keep is None or keep(l))]
                if key in extra:
                    live = sorted([*live, *extra[key]], key=lecture_order)
                found = list(_overlaps(live))
            if key not in extra:
                now[key] = (group, found)
            if found:
                yield key, found
        if self.files is not None:
            self.files.checked[name] = now

    def _report(self, found: Iterable[_Clash], field_name: str, whose: str, say: Callable[[Lecture | Partial], tuple[str, str]]) -> None:
        clashes = list(found)
        for earlier, later in clashes[:MAX_CLASHES_SHOWN]:
            self.problems.append(self._at(later, field_name, *say(earlier)))
        rest = clashes[MAX_CLASHES_SHOWN:]
        if rest:
            self.problems.append(self._at(rest[0][1], field_name, f"……{whose}另有 {len(rest)} 处时间冲突（从这一场起，未逐一列出）",
                                          "请先改正上面列出的冲突，再运行 lvyin validate 查看其余的"))


# What the checks found in each entry, by its id: (the entry, its problems).
Findings = dict[int, tuple[Entry, list[Problem]]]


def _findings(entries: Iterable[Entry], seen: Findings, find: Callable[[Entry], list[Problem]],
              now: Findings | None = None, flagged: dict[int, list[Problem]] | None = None,
              ) -> tuple[Findings, dict[int, list[Problem]]]:
    """Each entry's findings (into `now`, by id): those `seen` holds for the very same entry (an
    entry of an unchanged file is), else `find(entry)`; and the problems of those that have some
    (into `flagged`, by id)."""
    now = {} if now is None else now
    flagged = {} if flagged is None else flagged
    for entry in entries:
        known = seen.get(id(entry))
        if known is None or known[0] is not entry:  # kept alive with its id: never another's
            known = (entry, find(entry))
        now[id(entry)] = known
        if known[1]:
            flagged[id(entry)] = known[1]
    return now, flagged


def _live(lecture: Lecture | Partial) -> bool:
    return lecture.status in ("scheduled", "done")


# Clashes listed one by one for each place or lecturer; the rest are counted.
MAX_CLASHES_SHOWN = 5


# (earlier, later): two lectures at one place or of one lecturer whose times overlap; either may be broken (`Partial`).
_Clash = tuple[Lecture | Partial, Lecture | Partial]


def _overlaps(lectures: Sequence[Lecture | Partial]) -> Iterator[_Clash]:
    """(earlier, later) for every lecture of `lectures` (in order of time) that starts before an
    earlier one of its day has ended; `earlier` is the one of them that ends last."""
    latest: Lecture | Partial | None = None
    for lecture in lectures:
        if latest is None or lecture.date != latest.date:
            latest = lecture
            continue
        if lecture.start < latest.end:
            yield latest, lecture
        if lecture.end > latest.end:
            latest = lecture


def _lecturer_clash(person: str, earlier: Lecture | Partial) -> tuple[str, str]:
    return f"讲师“{person}”同一时间有两场讲座（另见讲座“{earlier.id}”，{_when(earlier)}）", "请核对时间或主讲人"


def _when(lecture: Lecture | Partial) -> str:
    return f"{lecture.date} {lecture.start:%H:%M}–{lecture.end:%H:%M}"


# What the clash check reads of a lecture: a broken lecture takes part when all of these are sound.
_CLASH_FIELDS = ("id", "date", "start", "end", "status", "format", "venue", "lecturers")


def _has_all(partial: Partial, names: tuple[str, ...]) -> bool:
    return all(name in partial.values for name in names)


def _strings(model: BaseModel, skip: str = "") -> Iterator[tuple[Loc, str]]:
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
