"""The units of `lvyin build` and their keys in the build cache (build_cache.py): which a part
can take from the cache, and what it keeps of those it made.

- An entry page (lecturer, place, lecture): its HTML depends only on its Markdown and the
  tools' fingerprint (it is outside the navigation; parallel_build.py builds entry pages in any
  slices to the same bytes), so its key is its path and Markdown.
- The main part (every other page, by one MkDocs run): the Markdown of all its pages and the
  build time MkDocs puts in the sitemap (SOURCE_DATE_EPOCH).
- An asset maker's files: the maker, the build date and the digest of the catalogue and the
  articles (`inputs`).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from generator.engine.build_cache import BuildCache, Record, digest
from generator.outputs.files import Asset
from generator.plan.pages import page_url

Made = list[tuple[str, str | bytes]]  # (docs-tree path, content) of generated files


def entry_key(path: str, markdown: str | bytes) -> str:
    return digest("entry", path, markdown)


def main_key(made: Made, build_time: str) -> str:
    return digest("main", build_time, *(part for path, content in made for part in (path, content)))


def assets_key(maker: str, today: str, inputs: str) -> str:
    return digest("assets", maker, today, inputs)


def cached_entry_pages(cache: BuildCache, made: Made) -> tuple[list[Record], Made]:
    """The records of the entry pages of `made` the cache has, and the others (for MkDocs)."""
    found, missing = [], []
    for path, content in made:
        record = cache.get(entry_key(path, content))
        if record is None:
            missing.append((path, content))
        else:
            found.append(record)
    return found, missing


def keep_entry_pages(cache: BuildCache, made: Made, folder: Path, copies: Path | None) -> None:
    """Keep the entry pages MkDocs made of `made`: every file of each page's folder, and its copy."""
    for path, content in made:
        url = page_url(path)
        cache.put(entry_key(path, content), _files_below(folder, url, copies))


def keep_folder(cache: BuildCache, key: str, folder: Path, copies: Path | None) -> None:
    """Keep everything a part wrote to `folder` (and the copies of its pages) under `key`."""
    cache.put(key, _files_below(folder, "", copies))


def keep_assets(cache: BuildCache, key: str, assets: Iterable[Asset]) -> None:
    cache.put(key, [("site", asset.path, asset.content) for asset in assets])


def _files_below(folder: Path, prefix: str, copies: Path | None) -> list[tuple[str, str, Path | bytes]]:
    """("site", path, file) of every file below `folder/prefix`, and ("copies", path, file) of
    each one's search copy."""
    found: list[tuple[str, str, Path | bytes]] = []
    for root, _, names in os.walk(folder / prefix):
        for name in sorted(names):
            file = Path(root) / name
            path = file.relative_to(folder).as_posix()
            found.append(("site", path, file))
            if copies is not None and name.endswith(".html") and (copies / path).is_file():
                found.append(("copies", path, copies / path))
    return found
