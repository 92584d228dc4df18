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
