"""An example value for every field, shared by `lvyin new` and the field guide (/guide/fields/)."""

from __future__ import annotations

from dataclasses import dataclass, field

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


def field_example(kind: str, name: str, existing: Existing) -> str:
    if f"{kind}.{name}" in EXAMPLES:
        return EXAMPLES[f"{kind}.{name}"]
    if name in REFERENCES:
        space, many = REFERENCES[name]
        ids = existing.ids.get(space) or [{"district": "weibin", "topic": "reading", "lecturer": "wang-fang",
                                           "place": "city-library", "series": "family-reading"}[space]]
        return f"[{ids[0]}]" if many else ids[0]
    return EXAMPLES.get(name, "")
