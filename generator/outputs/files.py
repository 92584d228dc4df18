"""A generated file of the site that is not a page, and the error when two land on one path."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from generator.errors import LvyinError


@dataclass(frozen=True)
class Asset:
    """A generated file that is not a page (a calendar feed, open data …), ready as bytes."""

    path: str
    content: bytes


@dataclass(frozen=True)
class Dated:
    """How a keyed file shows the build date, where that is all the date changes in it (a print
    sheet's "as of" line): `key` digests everything else it is made of, and `restamp(content,
    day)` is the file of the build of `day` (ISO) with this build's date, or None."""

    key: Callable[[], str]
    restamp: Callable[[bytes, str], bytes | None]


class KeyedAsset:
    """A generated file made only when it is asked for (`content`), with a `key` that digests
    everything it is made of but the tools (code, templates, site.yaml: the build cache's
    fingerprint).  `lvyin build` places the file its cache kept under the same key instead of
    making it (engine/reuse.py): after one edit, one year of the open data, not every year; and
    on the next day, a `dated` file is the last one with the new date, not made again."""

    def __init__(self, path: str, key: Callable[[], str], make: Callable[[], bytes], dated: Dated | None = None) -> None:
        self.path, self._key, self._make, self.dated = path, key, make, dated

    @functools.cached_property
    def key(self) -> str:
        return self._key()

    @functools.cached_property
    def content(self) -> bytes:
        return self._make()


AnyAsset = Asset | KeyedAsset


class SiteCollision(LvyinError):
    """Two generated files, or a generated and a hand-written one, for one path of the site."""

    @classmethod
    def at(cls, path: str) -> SiteCollision:
        return cls(f"两个文件要写到网站的同一路径 /{path}：请改名或删除与自动生成的文件同名的手写文件")
