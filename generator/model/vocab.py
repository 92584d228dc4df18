"""The fixed vocabularies of the catalogue, with the Chinese a reader sees."""

from __future__ import annotations

import functools

AUDIENCES = {
    "preschool": "学前",
    "primary": "小学",
    "junior": "初中",
    "senior": "高中",
    "all": "全学段",
    "grandparents": "祖辈家长",
    "left-behind": "留守儿童家庭",
    "in-need": "困境儿童家庭",
}

# The school stages, in school order; the audiences above are in the order a reader scans them.
STAGES = ("preschool", "primary", "junior", "senior")


def in_reading_order(audiences: list[str]) -> list[str]:
    """`audiences` in the order of AUDIENCES (学前, 小学, 初中, 高中, then the others), without repeats."""
    chosen = set(audiences)
    return [a for a in AUDIENCES if a in chosen]


def audiences_served(audiences: list[str]) -> list[str]:
    """Every audience whose lists show an entry for `audiences`: 全学段 (`all`) is for each school stage too."""
    return list(_served(tuple(audiences)))


@functools.cache
def _served(audiences: tuple[str, ...]) -> tuple[str, ...]:  # asked for each of 100,000 lectures, of a few dozen kinds
    return tuple(in_reading_order([*audiences, *(STAGES if "all" in audiences else ())]))


DISTRICT_KINDS = {"区": "区", "县": "县", "功能区": "功能区"}

VENUE_KINDS = {
    "library": "图书馆",
    "museum": "博物馆",
    "science": "科普教育基地",
    "legal": "法治教育基地",
    "patriotic": "爱国主义教育基地",
    "culture": "文化馆",
    "sports": "体育场馆",
    "other": "其他场馆",
}

BASE_KINDS = {
    "labor": "劳动教育实践基地",
    "study": "研学基地",
    "volunteer": "志愿服务基地",
    "career": "职业体验基地",
    "other": "其他实践基地",
}

STATION_KINDS = {
    "community": "社区家庭教育指导服务站",
    "village": "村家庭教育指导服务站",
    "school": "家长学校",
}

ADMISSIONS = {"free": "免费开放", "discount": "优惠开放", "paid": "收费"}

FORMATS = {"offline": "线下", "online": "线上", "hybrid": "线上线下同步"}

STATUSES = {"scheduled": "按计划举办", "cancelled": "已取消", "postponed": "已延期", "done": "已举办"}

LEVELS = {"city": "市级讲师团", "county": "县区讲师团"}

CRS = {"wgs84": "WGS-84（GPS）", "gcj02": "GCJ-02（高德、腾讯）", "bd09": "BD-09（百度）"}

WEEKDAYS = "一二三四五六日"
