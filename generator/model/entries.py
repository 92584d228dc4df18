"""Typed models of catalogue entries.

Values arrive from `reader` as text; the field types here decide what the text
means and say in Chinese what is wrong when it means nothing.  Unknown fields
are forbidden so that a misspelt field is an error, not silently ignored.
Checks that need more than one field or more than one entry live in `catalog`.
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Iterator
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from generator.model import vocab
from generator.model.fields import Ages, Audiences, Clock, Coordinate, Count, Day, Id, Ids, ImagePath, Lines, Prose, Text, WebUrl


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Id = Field(title="编号", description="小写英文字母、数字和“-”，成为网址的一部分，发布后不能再改")


class Location(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    lat: Coordinate = Field(title="纬度", description="北纬，宝鸡约 33.6–35.1")
    lng: Coordinate = Field(title="经度", description="东经，宝鸡约 106.3–108.1")
    crs: Literal["wgs84", "gcj02", "bd09"] = Field("gcj02", title="坐标系", description="高德、腾讯地图取点为 gcj02（默认），百度为 bd09，GPS 为 wgs84")


class District(Entry):
    name: Text = Field(title="名称", description="例如 渭滨区")
    kind: Literal["区", "县", "功能区"] = Field(title="类型", description="区、县或功能区（如高新区）")
    description: Prose | None = Field(None, title="简介", description="一两句话介绍这个县区，显示在县区页面上")


class Topic(Entry):
    name: Text = Field(title="名称", description="例如 亲子阅读")
    description: Prose = Field(title="说明", description="一两句话说明这个主题讲什么")
    aliases: Lines = Field(default_factory=list, title="家长常用说法",
                           description="家长搜索时会用的说法，每项一行、以“- ”开头，例如 顶嘴、刷视频；不显示在页面上，只用于搜索")


class Series(Entry):
    title: Text = Field(title="系列名称", description="例如 “和风计划”心理健康家长课")
    organizer: Text = Field(title="主办单位", description="例如 市妇联")
    description: Prose = Field(title="简介", description="可用有限的 Markdown")


class Private(BaseModel):
    """Kept for the pool's administrators; never published."""

    model_config = ConfigDict(extra="allow", frozen=True)

    phone: Text | None = Field(None, title="手机", description="请加引号，例如 \"13912345678\"；不公开")
    email: Text | None = Field(None, title="邮箱", description="不公开")
    id_number: Text | None = Field(None, title="身份证号", description="请加引号；不公开")
    notes: Prose | None = Field(None, title="备注", description="管理员的内部备注，例如 可安排的时间；不公开")


class Lecturer(Entry):
    name: Text = Field(title="姓名", description="讲师的真实姓名，公开显示")
    title: Text = Field(title="职称/职务", description="例如 高级教师、心理咨询师")
    organization: Text = Field(title="工作单位", description="例如 宝鸡市实验小学")
    level: Literal["city", "county"] = Field(title="级别", description="city 市级讲师团，county 县区讲师团")
    district: Id | None = Field(None, title="所属县区", description="县区讲师团成员必填，填县区编号")
    topics: Ids = Field(default_factory=list, title="擅长主题", description="主题编号列表")
    bio: Prose | None = Field(None, title="简介", description="可用有限的 Markdown")
    photo: ImagePath | None = Field(None, title="照片", description="content/ 下图片的相对路径，例如 assets/lecturers/wang-fang.jpg")
    private: Private | None = Field(None, title="内部信息", description="电话、邮箱、身份证号、备注：只供管理员使用，永不发布")


class Place(Entry):
    name: Text = Field(title="名称", description="公开显示的全称")
    district: Id = Field(title="所在县区", description="县区编号，见 districts.yaml，例如 weibin")
    address: Text = Field(title="地址", description="街道门牌，例如 渭滨区新建路 1 号")
    location: Location | None = Field(None, title="坐标", description="写成 {lat: 纬度, lng: 经度}，在高德或腾讯地图上取点；不填则页面不显示地图位置")
    description: Prose | None = Field(None, title="简介", description="可用有限的 Markdown")


class Venue(Place):
    kind: Literal[tuple(vocab.VENUE_KINDS)] = Field(title="类别")  # type: ignore[valid-type]
    hours: Text | None = Field(None, title="开放时间", description="例如 周二至周日 9:00–17:00，周一闭馆")
    admission: Literal["free", "discount", "paid"] = Field(title="门票", description="free 免费，discount 优惠，paid 收费")
    admission_note: Text | None = Field(None, title="门票说明", description="例如 凭身份证免费领票")
    phone: Text | None = Field(None, title="咨询电话", description="单位公开电话")
    url: WebUrl | None = Field(None, title="网址", description="以 https:// 或 http:// 开头")
    audiences: Audiences = Field(default_factory=list, title="适合人群")


class Base(Place):
    kind: Literal[tuple(vocab.BASE_KINDS)] = Field(title="类别")  # type: ignore[valid-type]
    operator: Text | None = Field(None, title="运营单位", description="管理这个基地的单位")
    ages: Ages | None = Field(None, title="适合年龄", description="例如 6-15")
    capacity: Count | None = Field(None, title="单次接待人数", description="一个整数，例如 60")
    booking: Text | None = Field(None, title="预约方式", description="学校或家庭怎样预约，例如 提前一周电话预约")
    programs: Lines = Field(default_factory=list, title="实践项目", description="文字列表，每项一行、以“- ”开头")
    phone: Text | None = Field(None, title="咨询电话", description="单位公开电话，例如 0917-3212345")


class Station(Place):
    kind: Literal[tuple(vocab.STATION_KINDS)] = Field(title="类别")  # type: ignore[valid-type]
    street: Text = Field(title="街道/镇", description="例如 清姜街道")
    host: Text = Field(title="依托单位", description="社区居委会、村委会或学校")
    phone: Text | None = Field(None, title="咨询电话", description="站点公开电话，例如 0917-3212345")
    hours: Text | None = Field(None, title="服务时间", description="例如 每周六 9:00–11:30")


class Lecture(Entry):
    title: Text = Field(title="标题", description="讲座题目，例如 亲子共读的三个方法")
    date: Day = Field(title="日期", description="年-月-日，例如 2026-12-05")
    start: Clock = Field(title="开始时间", description="时:分，例如 14:30")
    end: Clock = Field(title="结束时间", description="时:分，例如 16:00")
    lecturers: Ids = Field(default_factory=list, title="主讲人", description="讲师编号列表")
    venue: Id | None = Field(None, title="地点", description="场馆、基地或站点的编号；纯线上讲座可不填")
    format: Literal["offline", "online", "hybrid"] = Field("offline", title="形式")
    online_url: WebUrl | None = Field(None, title="线上观看链接", description="线上和线上线下同步讲座必填，以 https:// 开头")
    audiences: Audiences = Field(default_factory=list, title="适合人群")
    topics: Ids = Field(default_factory=list, title="主题", description="主题编号列表，见 topics.yaml，例如 [reading]")
    series: Id | None = Field(None, title="所属系列", description="系列编号，见 series.yaml；不属于系列可不填")
    organizer: Text = Field(title="责任单位", description="例如 市妇联")
    registration: Text | None = Field(None, title="报名方式", description="文字或链接")
    capacity: Count | None = Field(None, title="名额", description="一个整数，例如 100")
    status: Literal["scheduled", "cancelled", "postponed", "done"] = Field("scheduled", title="状态")
    status_note: Text | None = Field(None, title="状态说明", description="取消或延期的原因、新的时间")
    replay: WebUrl | None = Field(None, title="回放链接", description="讲座结束后的回放地址，以 https:// 开头")
    description: Prose | None = Field(None, title="内容介绍", description="可用有限的 Markdown")


# Catalogue kinds: (folder or file, model, id space).
KINDS: dict[str, type[Entry]] = {
    "district": District,
    "topic": Topic,
    "series": Series,
    "lecturer": Lecturer,
    "venue": Venue,
    "base": Base,
    "station": Station,
    "lecture": Lecture,
}


def well_formed(model: type[BaseModel], data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, list[tuple[int, Any]]]]:
    """What is still sound of `data`, an entry that failed validation against `model`, for the checks
    across entries: each field valid on its own (validated), the default of each optional field that is
    absent, and, of a list that is not valid as a whole, the items that are, with their positions."""
    values: dict[str, Any] = {}
    items: dict[str, list[tuple[int, Any]]] = {}
    unknown = [str(key) for key in data if key not in model.model_fields]
    for name, info in model.model_fields.items():
        if name not in data:
            # absent, unless a misspelt key is meant to be it (`venu:`): then it is not known either
            if not info.is_required() and not difflib.get_close_matches(name, unknown, n=1, cutoff=0.6):
                values[name] = info.get_default(call_default_factory=True)
            continue
        try:
            values[name] = _adapter(model, name).validate_python(data[name])
        except ValidationError:
            if isinstance(data[name], list) and get_origin(info.annotation) is list:
                items[name] = list(_sound_items(_adapter(model, name, item=True), data[name]))
    return values, items


@functools.cache
def _adapter(model: type[BaseModel], name: str, item: bool = False) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    if item:
        return TypeAdapter(get_args(info.annotation)[0])
    return TypeAdapter(info.rebuild_annotation())  # the field's type with its validators (`Annotated`)


def _sound_items(adapter: TypeAdapter[Any], items: list[Any]) -> Iterator[tuple[int, Any]]:
    for index, item in enumerate(items):
        try:
            yield index, adapter.validate_python(item)
        except ValidationError:
            pass
