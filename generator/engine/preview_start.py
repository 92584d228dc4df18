"""`lvyin serve` starts from the build cache: its first site is made as `lvyin build` makes one.

Without the cache, the preview's first build is one MkDocs process over every page (42 s at
10,000 lectures; at 100,000 more memory than a laptop has).  With the build cache
(build_cache.py; by default beside the catalogue, where `lvyin build` keeps it), the first site is:

- the last build's site, when the input is the very same (`Reuse.place_site`): hard links only,
  with its link check and search index done;
- else made in parts on every core (parallel_build.py), each part taking what the cache has,
  and the cache keeps what they made (the next `lvyin build` or `lvyin serve` reuses it).

The preview (preview.py) then knows each entry page by its record, without having rendered it:
its key, the digest of its Markdown (reuse.entry_key), and what it read (traces.py), which the
render cache (incremental.py) then compares as for a page it rendered.  After an edit, an entry
page whose inputs and lookups hold is the page the site has; another is rendered, and shown to
MkDocs only if its Markdown is not the record's.  The other pages' Markdown is rendered
and dated before their HTML in the site, so that MkDocs' dirty build leaves them as they are.

The asset makers' kept results (memo.py) and the keyed files placed go to the preview's background
work (preview_background.py), which then makes after an edit only what changed.

The site's files are hard links to the cache's objects, as in `lvyin build`; MkDocs writes its
files in place, so what it is about to write again is unlinked first (`unshare`): the preview
never writes into the cache or, through it, into the published site.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files

from generator.engine.incremental import Lookup
from generator.engine.options import BuildOptions
from generator.engine.parallel_build import build_in_parts, open_reuse
from generator.engine.reuse import assets_key, entry_key, memo_key
from generator.engine.traces import Trace, lookups_now
from generator.outputs.site_files import ASSET_MAKERS
from generator.plan.pages import Page
from generator.plan.site import Site


@dataclass
class Started:
    """What the preview's first site was made of."""

    complete: bool  # the last build's whole site, its link check and search index included
    entries: dict[str, str] = field(default_factory=dict)  # entry page's path → its record's key
    traces: dict[str, Trace] = field(default_factory=dict)  # entry page's path → what it read (traces.py)
    assets: list[str] = field(default_factory=list)  # the paths of the asset makers' files
    tables: dict[str, bytes | Path] = field(default_factory=dict)  # maker → its results of pure functions (memo.py), a cache file
    keyed: set[str] = field(default_factory=set)  # the digests of the keyed asset files placed (reuse.keyed_digest)

    def lookups(self, page: Page) -> list[Lookup] | None:
        """What an entry page of the first site read, as the catalogue has it now (the render cache
        knows the page by these), or None if its record kept no trace; asked once per page."""
        trace = self.traces.pop(page.path, None)
        return lookups_now(trace, page.context.get("catalog")) if trace is not None else None

    def same(self, path: str, markdown: str) -> bool:
        """Whether `markdown` is that of the record of the entry page at `path`."""
        return self.entries[path] == entry_key(path, markdown)


def start_from_cache(config_file: str, site: Site, site_dir: Path, options: BuildOptions,
                     say=print) -> Started | None:
    """Make the preview's first site in `site_dir` (emptied first: a hard link is never written
    through) from the build cache; None (and why, through `say`) when there is no cache to use."""
    if options.cache_dir is None:
        return None
    reuse = open_reuse(options.cache_dir, Path(config_file), options.catalog)
    if isinstance(reuse, str):
        say(f"提示：{reuse}，预览这次不用缓存")
        return None
    try:
        shutil.rmtree(site_dir, ignore_errors=True)
        site_dir.mkdir(parents=True)
        complete = reuse.place_site(options, site_dir)
        if not complete:
            build_in_parts(config_file, site, site_dir, workers=options.workers, reuse=reuse)
            reuse.cache.save()
        records = reuse.cache.used
        metas = {key: record["meta"] for key, record in records.items()
                 if isinstance(record.get("meta"), dict) and "path" in record["meta"]}
        made = [records.get(assets_key(make.__name__, site.today.isoformat(), reuse.inputs), {"files": [], "meta": None})
                for make in ASSET_MAKERS]
        assets = [path for record in made for _, path, *_ in record["files"]]
        tables: dict[str, bytes | Path] = {}
        for make in ASSET_MAKERS:
            key = memo_key(make.__name__)  # the table made now, or the last build's if intact
            table = records.get(key) if key in reuse.cache.made else reuse.cache.get(key, keep=False)
            if table is not None:
                tables[make.__name__] = reuse.cache.object_path(table["files"][0][2])
        keyed = {key for record in made for key in (record.get("meta") or {}).get("keyed", [])}
        return Started(complete, {meta["path"]: key for key, meta in metas.items()},
                       {meta["path"]: meta["trace"] for meta in metas.values() if meta.get("trace")}, assets, tables, keyed)
    finally:
        reuse.cache.close()


def unshare(files: Files, config: MkDocsConfig) -> None:
    """Unlink each file of the site that MkDocs is about to write again (a page or static file
    newer than its HTML or copy, a theme template such as 404.html) if it is a hard link."""
    targets = [file.abs_dest_path for file in files if file.is_modified()]
    targets += [os.path.join(config.site_dir, name) for name in config.theme.static_templates]
    for target in targets:
        try:
            if os.stat(target).st_nlink > 1:
                os.unlink(target)
        except FileNotFoundError:
            pass
