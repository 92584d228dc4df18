"""A generated file of the site that is not a page, and the error when two land on one path."""

from __future__ import annotations

from dataclasses import dataclass

from generator.errors import LvyinError


@dataclass(frozen=True)
class Asset:
    """A generated file that is not a page (a calendar feed, open data …), ready as bytes."""

    path: str
    content: bytes


class SiteCollision(LvyinError):
    """Two generated files, or a generated and a hand-written one, for one path of the site."""

    @classmethod
    def at(cls, path: str) -> SiteCollision:
        return cls(f"两个文件要写到网站的同一路径 /{path}：请改名或删除与自动生成的文件同名的手写文件")
