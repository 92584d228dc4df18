"""A synthetic but realistic catalogue of any size, for benchmarks and scale tests.

`synthesize(lectures=N, seed=S, out=DIR)` writes `DIR/catalog/` in the editors'
format: Baoji's 12 districts and 高新区, the topics, ~2,000 guidance stations
and parent schools, ~1,000 lecturers, ~500 venues and practice bases, and N
lectures spread over as many school years as a real archive of that size would
span (10,000–20,000 lectures a year).  Lecture pages carry 1,000–1,500 Chinese
characters, like real ones.

Everything `lvyin validate` checks holds by construction: ids are unique,
coordinates lie inside Baoji, online and hybrid lectures have a link, and no
place or lecturer is booked twice at once, because every lecture takes one of a
few non-overlapping time slots of its day and a (place, day, slot) or
(lecturer, day, slot) is handed out once.  The output depends only on the
arguments: the same seed gives byte-identical files.
"""

from __future__ import annotations

import math
import random
import shutil
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from generator.bench.words import (
    CLOSINGS,
    DISTRICTS,
    GIVEN,
    LECTURER_ROLES,
    LOGISTICS,
    MIDDLES,
    OPENINGS,
    PLACE_WORDS,
    SPEAKERS,
    STATION_STREETS,
    SURNAMES,
    TOPIC_POINTS,
    TOPICS,
    demo_aliases,
)
from generator.model.fields import BAOJI_LAT, BAOJI_LNG

# The archive ends with the school year 2026/27; a benchmark's "today" sits inside it.
LAST_DAY = date(2027, 8, 31)
TODAY = date(2027, 3, 1)
LECTURES_PER_YEAR = 20_000
# Lectures per catalogue file: a month of a big archive is split so no file nears the reader's limits.
PER_FILE = 150
# A share of lectures belongs to series of a fixed size, so a lecture page lists the same number of siblings at any N.
SERIES_SHARE = 0.12
SERIES_SIZE = 8

# Non-overlapping slots of a day: two lectures in different slots never clash.
SLOTS = [("08:30", "10:00"), ("10:15", "11:45"), ("14:00", "15:30"), ("15:45", "17:15"), ("19:00", "20:30")]


@dataclass
class _Out:
    """Files under construction: path → lines."""

    files: dict[str, list[str]] = field(default_factory=dict)

    def add(self, path: str, text: str) -> None:
        self.files.setdefault(path, []).append(text)


def _plain(text: str) -> str:
    """A YAML scalar for `text`: plain when that reads back unchanged, else double-quoted."""
    unsafe = (not text or text[0] in "-?:,[]{}#&*!|>'\"%@` " or text[-1] == " " or ": " in text or " #" in text
              or text.endswith(":") or "\n" in text or text[0].isdigit())
    if not unsafe:
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _block(text: str, indent: str = "    ") -> str:
    return "|\n" + "\n".join(indent + line if line else "" for line in text.split("\n"))


def _entry(fields: list[tuple[str, object]]) -> str:
    """One list item: `- key: value` lines; values are str, list[str] (flow ids), dict (nested) or block text."""
    lines = []
    for i, (key, value) in enumerate(fields):
        prefix = "- " if i == 0 else "  "
        if value is None:
            continue
        if isinstance(value, list) and value and isinstance(value[0], tuple):  # list of text lines
            lines.append(f"{prefix}{key}:")
            lines.extend(f"    - {_plain(item[0])}" for item in value)
        elif isinstance(value, list):
            lines.append(f"{prefix}{key}: [{', '.join(value)}]")
        elif isinstance(value, dict):
            lines.append(f"{prefix}{key}:")
            lines.extend(f"    {k}: {v}" for k, v in value.items())
        elif isinstance(value, _Block):
            lines.append(f"{prefix}{key}: {_block(value.text)}")
        else:
            lines.append(f"{prefix}{key}: {value}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class _Block:
    text: str


def _q(text: str) -> str:
    return _plain(text)


def _location(rng: random.Random, lat: float, lng: float, spread: float) -> dict[str, str]:
    # Keep well inside Baoji's box whatever the draw.
    la = min(max(lat + rng.uniform(-spread, spread), BAOJI_LAT[0] + 0.2), BAOJI_LAT[1] - 0.2)
    ln = min(max(lng + rng.uniform(-spread, spread), BAOJI_LNG[0] + 0.2), BAOJI_LNG[1] - 0.2)
    return {"lat": f"{la:.4f}", "lng": f"{ln:.4f}", "crs": "gcj02"}


def _weighted_districts(rng: random.Random, count: int) -> list[int]:
    """District indexes for `count` items in proportion to the weights, in a shuffled but fixed order."""
    total = sum(d[6] for d in DISTRICTS)
    result: list[int] = []
    for i, d in enumerate(DISTRICTS):
        result += [i] * round(count * d[6] / total)
    while len(result) < count:
        result.append(len(result) % len(DISTRICTS))
    result = result[:count]
    rng.shuffle(result)
    return result


def synthesize(out: Path | str, lectures: int, seed: int = 1, *, stations: int = 2000, lecturers: int = 1000,
               venues: int = 300, bases: int = 200) -> Path:
    """Write `out/catalog/` and return its path; an existing `out/catalog/` is replaced."""
    if lectures < 0:
        raise ValueError("lectures must be >= 0")
    rng = random.Random(seed)
    files = _Out()
    _districts_and_topics(files)
    places = _places(rng, files, stations, venues, bases)
    people = _lecturers(rng, files, lecturers)
    _lectures(rng, files, lectures, places, people)
    files.add("site.yaml", "name: 宝鸡市家庭教育公益大讲堂\nurl: https://jtjy.example.cn/\n"
                           "organizer: 宝鸡市妇女联合会　宝鸡市教育局\ndemo: true\n")
    root = Path(out) / "catalog"
    if root.exists():
        shutil.rmtree(root)
    for rel, parts in files.files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(parts), encoding="utf-8", newline="\n")
    return root


def _districts_and_topics(files: _Out) -> None:
    files.add("districts.yaml", "# 宝鸡市县区（合成的基准测试数据）\n\n")
    for d in DISTRICTS:
        files.add("districts.yaml", _entry([("id", d[0]), ("name", d[1]), ("kind", d[2]), ("description", _q(d[3]))]) + "\n")
    files.add("topics.yaml", "# 讲座主题\n\n")
    aliases = demo_aliases()
    for t in TOPICS:
        words = [(a,) for a in aliases.get(t[0], [])] or None
        files.add("topics.yaml", _entry([("id", t[0]), ("name", t[1]), ("description", _q(t[2])), ("aliases", words)]) + "\n")


@dataclass
class _Place:
    id: str
    name: str
    district: int
    kind: str  # venue | base | station


def _places(rng: random.Random, files: _Out, stations: int, venues: int, bases: int) -> list[_Place]:
    places: list[_Place] = []
    venue_kinds = [("library", "图书馆", "library"), ("museum", "博物馆", "museums"), ("science", "科普教育基地", "education-bases"),
                   ("legal", "法治教育基地", "education-bases"), ("patriotic", "爱国主义教育基地", "education-bases"),
                   ("culture", "文化馆", "culture-sports"), ("sports", "体育馆", "culture-sports")]
    for n, di in enumerate(_weighted_districts(rng, venues)):
        d = DISTRICTS[di]
        kind, label, file = venue_kinds[n % len(venue_kinds)]
        word = rng.choice(PLACE_WORDS)
        name = f"{d[1]}{label}" if n < len(DISTRICTS) * len(venue_kinds) and rng.random() < 0.3 else f"{d[1]}{word}{label}"
        pid = f"{d[0]}-{kind}-{n + 1:04d}"
        places.append(_Place(pid, name, di, "venue"))
        admission = rng.choice(["free", "free", "free", "discount"])
        files.add(f"venues/{file}.yaml", _entry([
            ("id", pid), ("name", _q(name)), ("kind", kind), ("district", d[0]),
            ("address", _q(f"{d[1]}{word}路 {rng.randint(1, 300)} 号")), ("location", _location(rng, d[4], d[5], 0.05)),
            ("hours", _q("周二至周日 9:00—17:30（周一闭馆）")), ("admission", admission),
            ("admission_note", _q("凭身份证预约入馆，未成年人须由家长陪同") if admission == "free" else _q("学生凭学生证半价")),
            ("phone", f'"0917-{rng.randint(1000000, 9999999)}"'), ("audiences", ["preschool", "primary", "junior", "all"]),
            ("description", _q(f"{d[1]}的{label}，面向中小学生和家庭开放，设有报告厅和亲子活动区，常年承接家庭教育公益讲座。")),
        ]) + "\n")
    base_kinds = [("labor", "劳动教育实践基地", "labor"), ("study", "研学基地", "study"), ("volunteer", "志愿服务基地", "other"),
                  ("career", "职业体验基地", "other")]
    for n, di in enumerate(_weighted_districts(rng, bases)):
        d = DISTRICTS[di]
        kind, label, file = base_kinds[n % len(base_kinds)]
        word = rng.choice(PLACE_WORDS)
        pid = f"{d[0]}-{kind}-base-{n + 1:04d}"
        name = f"{d[1]}{word}{label}"
        places.append(_Place(pid, name, di, "base"))
        files.add(f"bases/{file}.yaml", _entry([
            ("id", pid), ("name", _q(name)), ("kind", kind), ("district", d[0]),
            ("address", _q(f"{d[1]}{word}镇{rng.choice(PLACE_WORDS)}村")), ("location", _location(rng, d[4], d[5], 0.08)),
            ("operator", _q(f"{d[1]}{word}专业合作社")), ("ages", '"6-15"'), ("capacity", str(rng.choice([40, 60, 80, 120]))),
            ("booking", _q("学校或家庭提前一周电话预约，注明人数和年龄")),
            ("programs", [("春季播种与育苗",), ("夏季田间管理",), ("秋收采摘与分拣",), ("亲子农家饭制作",)]),
            ("phone", f'"0917-{rng.randint(1000000, 9999999)}"'),
            ("description", _q(f"依托{d[1]}{word}的产业资源建设的{label}，由当地师傅带领孩子参与力所能及的劳动和研学项目。")),
        ]) + "\n")
    for n, di in enumerate(_weighted_districts(rng, stations)):
        d = DISTRICTS[di]
        word, street_word = rng.choice(PLACE_WORDS), rng.choice(PLACE_WORDS)
        street = street_word + rng.choice(STATION_STREETS)
        roll = rng.random()
        if roll < 0.45:
            kind, host = "community", f"{word}社区居委会"
            name = f"{d[1]}{street}{word}社区家庭教育指导服务站"
        elif roll < 0.8:
            kind, host = "village", f"{word}村委会"
            name = f"{d[1]}{street}{word}村家庭教育指导服务站"
        else:
            school = f"{d[1]}{word}{rng.choice(['小学', '初级中学', '中心小学', '幼儿园'])}"
            kind, host, name = "school", school, f"{school}家长学校"
        pid = f"{d[0]}-{kind}-{n + 1:04d}"
        places.append(_Place(pid, name, di, "station"))
        files.add(f"stations/{d[0]}.yaml", _entry([
            ("id", pid), ("name", _q(name)), ("kind", kind), ("district", d[0]), ("street", _q(street)),
            ("address", _q(f"{d[1]}{street}{word}{'社区服务中心二楼' if kind == 'community' else '村委会院内' if kind == 'village' else '校内'}")),
            ("location", _location(rng, d[4], d[5], 0.1)), ("host", _q(host)),
            ("phone", f'"0917-{rng.randint(1000000, 9999999)}"'), ("hours", _q("周一至周五 8:30—12:00，14:30—18:00")),
            ("description", _q(f"服务{word}一带的家庭，每年至少组织 4 次普惠性家庭教育指导活动。")),
        ]) + "\n")
    return places


@dataclass
class _Person:
    id: str
    name: str
    district: int | None  # None: city level
    topics: list[int]
    org: str


def _lecturers(rng: random.Random, files: _Out, count: int) -> list[_Person]:
    people: list[_Person] = []
    seen: set[str] = set()
    districts = _weighted_districts(rng, count)
    for n in range(count):
        sur = rng.choice(SURNAMES)
        given = [rng.choice(GIVEN) for _ in range(rng.choice([1, 2, 2]))]
        name = sur[0] + "".join(g[0] for g in given)
        base_id = f"{sur[1]}-{''.join(g[1] for g in given)}"
        pid = base_id if base_id not in seen else f"{base_id}-{n + 1}"
        seen.add(pid)
        city = n % 7 == 0
        di = None if city else districts[n]
        topics = sorted(rng.sample(range(len(TOPICS)), rng.randint(2, 4)))
        role, org = rng.choice(LECTURER_ROLES)
        org = org.format(district="宝鸡市" if di is None else DISTRICTS[di][1], word=rng.choice(PLACE_WORDS))
        people.append(_Person(pid, name, di, topics, org))
        names = "、".join(TOPICS[t][1] for t in topics)
        bio = (f"{org}{role}，{'市级' if di is None else DISTRICTS[di][1]}家庭教育讲师团成员，擅长{names}等主题。\n\n"
               f"近年来在城乡社区、学校和场馆开展家长课堂 {rng.randint(10, 200)} 余场，讲课**通俗、接地气**，善于用身边的案例回答家长的问题。")
        fields: list[tuple[str, object]] = [
            ("id", pid), ("name", name), ("title", _q(role)), ("organization", _q(org)), ("level", "city" if city else "county")]
        if di is not None:
            fields.append(("district", DISTRICTS[di][0]))
        fields += [("topics", [TOPICS[t][0] for t in topics]), ("bio", _Block(bio)),
                   ("private", {"phone": f'"1{rng.randint(3000000000, 9999999999)}"', "notes": "周末可安排县区巡讲"})]
        files.add(f"lecturers/{'city' if di is None else DISTRICTS[di][0]}.yaml", _entry(fields) + "\n")
    return people


def _lectures(rng: random.Random, files: _Out, count: int, places: list[_Place], people: list[_Person]) -> None:
    years = max(1, math.ceil(count / LECTURES_PER_YEAR))
    first = date(LAST_DAY.year - years, 9, 1)
    days = (LAST_DAY - first).days + 1
    by_district: dict[int, list[_Place]] = {}
    for p in places:
        by_district.setdefault(p.district, []).append(p)
    people_by_district: dict[int | None, list[_Person]] = {}
    for person in people:
        people_by_district.setdefault(person.district, []).append(person)
    busy: set[tuple[str, int, int]] = set()  # (place or lecturer id, day, slot)
    districts = _weighted_districts(rng, max(count, 1))
    series_lines: list[str] = []
    open_series: dict[int, tuple[str, int]] = {}  # district → (series id, lectures so far)
    series_count = 0
    months: dict[str, list[str]] = {}
    for n in range(count):
        di = districts[n]
        d = DISTRICTS[di]
        # Evenly over the span, with the day's slot drawn at random.
        day = min(days - 1, n * days // count + rng.randint(0, 2))
        slot = rng.randrange(len(SLOTS))
        fmt = rng.choices(["offline", "hybrid", "online"], [75, 15, 10])[0]
        topic_i = rng.randrange(len(TOPICS))
        topic = TOPICS[topic_i]
        # Find a free place and lecturer for this day and slot; move to another slot if needed.
        for attempt in range(40):
            s = (slot + attempt) % len(SLOTS)
            dd = min(days - 1, day + attempt // len(SLOTS))
            cand_place = None
            if fmt != "online":
                pool = by_district.get(di) or places
                cand_place = rng.choice(pool)
                if (cand_place.id, dd, s) in busy:
                    continue
            pool_people = people_by_district.get(di, []) if rng.random() < 0.7 else people_by_district.get(None, [])
            cand_person = rng.choice(pool_people or people)
            if (cand_person.id, dd, s) in busy:
                continue
            break
        else:  # pragma: no cover - only with absurdly few places or lecturers
            raise RuntimeError("could not find a free slot; give more places or lecturers")
        place, person, slot, day = cand_place, cand_person, s, dd
        busy.add((person.id, day, slot))
        if place:
            busy.add((place.id, day, slot))
        when = first + timedelta(days=day)
        past = when < TODAY
        lid = f"{when.isoformat()}-{topic[0]}-{n + 1}"
        stem = rng.choice(topic[4])
        title = stem if rng.random() < 0.6 else f"{stem}（{d[1]}{rng.choice(['专场', '站', '家长课堂'])}）"
        audiences = sorted(set(topic[3]) | ({"grandparents"} if rng.random() < 0.15 else set()))
        topics = [topic[0]] + ([TOPICS[t][0] for t in [rng.randrange(len(TOPICS))] if t != topic_i] if rng.random() < 0.3 else [])
        status = "done" if past else "scheduled"
        roll = rng.random()
        status_note = None
        if roll < 0.03:
            status, status_note = "cancelled", "因场地临时检修，本场讲座取消，给家长带来不便敬请谅解。"
        elif roll < 0.05:
            status, status_note = "postponed", "因天气原因延期，新的时间将在站点家长群通知。"
        series_id = None
        if rng.random() < SERIES_SHARE:
            current = open_series.get(di)
            if current is None or current[1] >= SERIES_SIZE:
                series_count += 1
                series_id = f"{d[0]}-{topic[0]}-series-{series_count}"
                year = when.year
                series_lines.append(_entry([
                    ("id", series_id), ("title", _q(f"{year} 年{d[1]}“{topic[1]}”家长课堂（第 {series_count} 期）")),
                    ("organizer", _q(f"{d[1]}妇联、{d[1]}教育局")),
                    ("description", _q(f"{d[1]}围绕{topic[1]}组织的系列家长课堂，由市县两级讲师团成员主讲。")),
                ]) + "\n")
                current = (series_id, 0)
            series_id = current[0]
            open_series[di] = (series_id, current[1] + 1)
        speaker = f"{person.name}老师"
        audience = "、".join(sorted({_AUD[a] for a in audiences}))
        fill = {"topic": topic[1], "month": f"在{_SEASONS[(when.month % 12) // 3]}", "speaker": speaker, "district": d[1],
                "place": place.name if place else "线上课堂", "audience": audience}
        points = rng.sample(TOPIC_POINTS[topic[0]], 3)
        description = "\n\n".join([
            rng.choice(OPENINGS).format(**fill),
            f"{topic[2]}本场讲座主要讲三点：",
            "\n".join(f"- {p}" for p in points),
            *[m.format(**fill) for m in rng.sample(MIDDLES, 2)],
            rng.choice(SPEAKERS).format(**fill, org=person.org, years=rng.randint(5, 25)),
            rng.choice(LOGISTICS) + rng.choice(CLOSINGS),
        ])
        org = rng.choice([f"{d[1]}妇联", f"{d[1]}教育局", "市妇联", "市教育局", f"{d[1]}关工委"])
        online = f"https://live.bjjtjy.example.cn/room/{lid}" if fmt != "offline" else None
        registration = (f"https://www.bjjtjy.example.cn/signup/{lid}" if rng.random() < 0.5
                        else rng.choice(["电话报名：0917-" + str(rng.randint(1000000, 9999999)), "由班主任在班级家长群统一报名", "现场参加，无需报名"]))
        fields: list[tuple[str, object]] = [
            ("id", lid), ("title", _q(title)), ("date", when.isoformat()), ("start", SLOTS[slot][0]), ("end", SLOTS[slot][1]),
            ("lecturers", [person.id]), ("venue", place.id if place else None), ("format", fmt), ("online_url", online),
            ("audiences", audiences), ("topics", topics), ("series", series_id), ("organizer", _q(org)),
            ("registration", _q(registration)), ("capacity", str(rng.choice([40, 60, 80, 100, 200]))), ("status", status),
            ("status_note", _q(status_note) if status_note else None),
            ("replay", f"https://live.bjjtjy.example.cn/replay/{lid}" if past and fmt != "offline" and status == "done" else None),
            ("description", _Block(description)),
        ]
        months.setdefault(when.strftime("%Y-%m"), []).append(_entry(fields) + "\n")
    files.add("series.yaml", "# 系列课程\n\n")
    if not series_lines:
        series_lines.append(_entry([("id", "demo-series"), ("title", "家庭教育系列讲座"), ("organizer", "市妇联"),
                                    ("description", "全市家庭教育公益大讲堂的系列讲座。")]) + "\n")
    for text in series_lines:
        files.add("series.yaml", text)
    for month, entries in sorted(months.items()):
        parts = [entries[i:i + PER_FILE] for i in range(0, len(entries), PER_FILE)]
        for k, part in enumerate(parts):
            name = f"lectures/{month}.yaml" if len(parts) == 1 else f"lectures/{month}-part{k + 1}.yaml"
            files.add(name, f"# {month[:4]} 年 {int(month[5:])} 月讲座（合成数据）\n\n" + "".join(part))


_SEASONS = ["冬季", "春季", "夏季", "秋季"]
_AUD = {"preschool": "学前", "primary": "小学", "junior": "初中", "senior": "高中", "all": "全学段",
        "grandparents": "祖辈", "left-behind": "留守儿童", "in-need": "困境儿童"}
