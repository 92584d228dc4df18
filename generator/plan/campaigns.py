"""The plan's two yearly campaigns, each a page listing its lectures.

A campaign is recognised in the catalogue by its series: every series whose id
starts with the campaign's prefix (`visit-homes-2026`, `visit-homes-2027` …)
belongs to it, so editors add next year's lectures by adding a series, with no
change here.  A lecture of such a series counts only when it falls in the
campaign's months (May for the publicity week, September–October for the home
visits): a session moved out of the window is not part of the campaign.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.catalog.tables import Catalog, lecture_order
from generator.model.entries import Lecture, Series


@dataclass(frozen=True)
class Campaign:
    id: str  # page URL /campaigns/<id>/
    title: str
    series_prefix: str
    months: tuple[int, ...]
    when: str  # as said to parents
    summary: str  # plain words, from the city's plan


CAMPAIGNS = (
    Campaign(
        id="family-education-week", title="全国家庭教育宣传周", series_prefix="family-education-week-", months=(5,),
        when="每年 5 月（围绕 5 月 15 日国际家庭日）",
        summary="《宝鸡市建设全国学校家庭社会协同育人实验区实施方案》要求学校开展全国家庭教育宣传周活动。"
                "宣传周期间，市妇联、市教育局把《家庭教育促进法》宣传、家风家训、亲子阅读和心理健康讲座送进场馆、社区和乡村。",
    ),
    Campaign(
        id="visit-homes", title="万名教师访万家", series_prefix="visit-homes-", months=(9, 10),
        when="每年 9—10 月",
        summary="实施方案要求每年 9—10 月集中开展“万名教师访万家”活动，深化家校了解与沟通。"
                "老师上门家访的同时，市县两级讲师团在学校、社区和场馆举办配套的家庭教育专题讲座。",
    ),
)


def series(catalog: Catalog, campaign: Campaign) -> list[Series]:
    return sorted((s for s in catalog.series.values() if s.id.startswith(campaign.series_prefix)), key=lambda s: s.id)


def lectures(catalog: Catalog, campaign: Campaign) -> list[Lecture]:
    """The campaign's lectures in date order: in one of its series and within its months."""
    found = [l for s in series(catalog, campaign) for l in catalog.lectures_by_series.get(s.id, [])
             if l.date.month in campaign.months]
    return sorted(found, key=lecture_order)
