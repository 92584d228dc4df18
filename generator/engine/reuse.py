"""The units of `lvyin build` and their keys in the build cache (build_cache.py): which a part
can take from the cache, and what it keeps of those it made.

- An entry page (a district's, an age group's or a month's list; series, lecturer, place, lecture): its HTML depends only on its Markdown and the
  tools' fingerprint (it is outside the navigation; parallel_build.py builds entry pages in any
  slices to the same bytes), so its key is its path and Markdown; and what it read when it was
  rendered (traces.py) tells whether its Markdown would still be the same, without rendering it.
- The main part (every other page, by one MkDocs run): the Markdown of all its pages and the
  build time MkDocs puts in the sitemap (SOURCE_DATE_EPOCH).
- An asset maker's files: the maker, the build date and the digest of the catalogue and the
  articles (`inputs`).  When they must be made again, the maker starts from the results of pure
  functions it used last time (memo.py), kept under the maker's name alone; and a file it gives
  a key of its own (outputs/files.py `KeyedAsset`: one year of open data, one print sheet) is
  taken from the cache under that key if it is there.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from generator import memo
from generator.digests import digest
from generator.engine.build_cache import BuildCache, Record
from generator.engine.traces import holds, render_traced
from generator.outputs.files import AnyAsset, KeyedAsset
from generator.plan.pages import Page, page_url

Made = list[tuple[str, str | bytes]]  # (docs-tree path, content) of generated files


def entry_key(path: str, markdown: str | bytes) -> str:
    return digest("entry", path, markdown)


def main_key(made: Made, build_time: str) -> str:
    return digest("main", build_time, *(part for path, content in made for part in (path, content)))


def assets_key(maker: str, today: str, inputs: str) -> str:
    return digest("assets", maker, today, inputs)


def keyed_digest(asset: KeyedAsset) -> str:
    """The key of a keyed asset file (outputs/files.py) in the build cache."""
    return digest("asset", asset.path, asset.key)


def cached_entry_pages(cache: BuildCache, pages: list[Page]) -> tuple[list[Record], Made, dict[str, Any]]:
    """The records of the entry `pages` the cache has, the others' Markdown (for MkDocs), and what
    each page rendered here read (traces.py).  A page whose last trace still holds is not even
    rendered; one rendered to the Markdown of a record is that record."""
    found: list[Record] = []
    missing: Made = []
    traced: dict[str, Any] = {}
    for page in pages:
        key = cache.by_path.get(page.path)
        trace = cache.last[key]["meta"].get("trace") if key else None
        record = cache.get(key) if key and trace and holds(trace, page) else None
        if record is not None:
            found.append(record)
            continue
        markdown, traced[page.path] = render_traced(page)
        key = entry_key(page.path, markdown)
        record = cache.get(key)
        if record is None:
            missing.append((page.path, markdown))
        else:
            found.append(cache.remember(key, {"path": page.path, "trace": traced[page.path]}))
    return found, missing, traced


def keep_entry_pages(cache: BuildCache, made: Made, traced: dict[str, Any], folder: Path, copies: Path | None) -> None:
    """Keep the entry pages MkDocs made of `made`: every file of each page's folder, and its copy,
    with what the page read."""
    for path, content in made:
        cache.put(entry_key(path, content), _files_below(folder, page_url(path), copies, nested=False),
                  {"path": path, "trace": traced.get(path)})


def keep_folder(cache: BuildCache, key: str, folder: Path, copies: Path | None) -> None:
    """Keep everything a part wrote to `folder` (and the copies of its pages) under `key`."""
    cache.put(key, _files_below(folder, "", copies))


def keep_assets(cache: BuildCache, key: str, assets: Iterable[AnyAsset], today: str) -> Record:
    """Keep an asset maker's files (to be placed in the site from the cache): a keyed one is the
    file kept under its own key, made (and kept so) only if the cache lacks it (a `dated` one:
    nor has it of another day, to restamp)."""
    kept: list[list[Any]] = []
    keys: list[str] = []
    made: list[tuple[str, str, Path | bytes]] = []
    for asset in assets:
        if isinstance(asset, KeyedAsset):
            keys.append(keyed_digest(asset))
            record = (cache.get(keys[-1]) or _restamped(cache, asset, keys[-1], today)
                      or cache.put(keys[-1], [("site", asset.path, asset.content)]))
            kept += record["files"]
            if asset.dated:
                keys.append(_note_day(cache, asset, keys[-1], today))
        else:
            made.append(("site", asset.path, asset.content))
    return cache.put(key, made, {"keyed": keys}, kept=kept)


def _undated_key(asset: KeyedAsset) -> str:
    assert asset.dated is not None
    return digest("asset undated", asset.path, asset.dated.key())


def _restamped(cache: BuildCache, asset: KeyedAsset, key: str, today: str) -> Record | None:
    """A `dated` keyed file made of the one another day's build kept (`_note_day`), with this build's date."""
    if asset.dated is None:
        return None
    note = cache.get(_undated_key(asset), keep=False)
    meta = note.get("meta") if note else None
    if not isinstance(meta, dict) or meta.get("day") == today:
        return None
    then = cache.get(meta["key"], keep=False)
    content = asset.dated.restamp(cache.read(then), meta["day"]) if then else None
    return cache.put(key, [("site", asset.path, content)]) if content is not None else None


def _note_day(cache: BuildCache, asset: KeyedAsset, key: str, today: str) -> str:
    """Keep, under the key of all a `dated` file is made of but the date, which file that is now and of which day."""
    undated, note = _undated_key(asset), {"key": key, "day": today}
    if (cache.get(undated) or {}).get("meta") != note:
        cache.put(undated, [], note)
    return undated


def reuse_assets(cache: BuildCache, record: Record) -> None:
    """Keep the records of the keyed files of an asset maker's `record` (which this build reuses
    whole) for the next build, which may need some of them alone."""
    for key in (record.get("meta") or {}).get("keyed", []):
        cache.get(key)


def memo_key(maker: str) -> str:
    return digest("memo", maker)


def begin_memo(cache: BuildCache, maker: str) -> None:
    """Start an asset maker from the results of pure functions its last run used (memo.py)."""
    record = cache.get(memo_key(maker))
    memo.begin(cache.read(record) if record else None)


def keep_memo(cache: BuildCache, maker: str) -> None:
    """Keep the results of pure functions the maker used (if it used any), for its next run."""
    if memo.used():
        cache.put(memo_key(maker), [("memo", "table", memo.table())])


def _files_below(folder: Path, prefix: str, copies: Path | None, *, nested: bool = True) -> list[tuple[str, str, Path | bytes]]:
    """("site", path, file) of every file below `folder/prefix` (not `nested`: in that folder
    itself, which holds one page; pages of its own may be below it), and ("copies", path, file)
    of each one's search copy."""
    found: list[tuple[str, str, Path | bytes]] = []
    for root, folders, names in os.walk(folder / prefix):
        if not nested:
            folders.clear()
        for name in sorted(names):
            file = Path(root) / name
            path = file.relative_to(folder).as_posix()
            found.append(("site", path, file))
            if copies is not None and name.endswith(".html") and (copies / path).is_file():
                found.append(("copies", path, copies / path))
    return found
