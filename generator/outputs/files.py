"""A generated file of the site that is not a page, and the error when two land on one path."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Asset:
    """A generated file that is not a page (a calendar feed, open data …), ready as bytes."""

    path: str
    content: bytes


class SiteCollision(Exception):
    pass
