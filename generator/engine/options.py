"""The options of one build, as one typed object that the command line hands the MkDocs plugin in code.

`lvyin build` and `lvyin serve` make a `BuildOptions` from their arguments and run MkDocs
`given(options)`; the plugin reads them (`given_options()`), in this process or in the parts it
forks.  A plain `mkdocs build` hands none: the plugin then takes what mkdocs.yml says.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from generator.plan.build_date import build_date


@dataclass(frozen=True)
class BuildOptions:
    catalog: Path  # the catalogue folder, absolute
    today: date  # the build date (plan/build_date.py)
    site_dir: Path | None = None  # where `lvyin build` puts the site (None: MkDocs' site_dir)
    workers: int | None = None  # parts built side by side; None: one per core (workers.cores())
    check_links: bool = True
    search_index: bool = True
    cache_dir: Path | None = None  # the build cache `lvyin serve` starts from (None: none)


_given: BuildOptions | None = None


@contextlib.contextmanager
def given(options: BuildOptions) -> Iterator[BuildOptions]:
    """`options` for the MkDocs builds run meanwhile (and the parts they fork)."""
    global _given
    before, _given = _given, options
    try:
        yield options
    finally:
        _given = before


def of_mkdocs_yml(config_file: str | None, catalog: str, today: object, check_links: bool,
                  search_index: bool) -> BuildOptions:
    """The options of a plain `mkdocs build`: the lvyin plugin's settings in mkdocs.yml (`config_file`)."""
    folder = (Path(config_file or ".").resolve().parent / catalog).resolve()
    return BuildOptions(folder, build_date(str(today) if today else None, folder), check_links=check_links,
                        search_index=search_index)


def given_options() -> BuildOptions | None:
    return _given
