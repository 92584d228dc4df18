"""Every generated file of the site, for any engine: the pages rendered and the other files made."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from generator.outputs.dashboard import stats_assets
from generator.outputs.feeds import make_feeds
from generator.outputs.files import AnyAsset, Asset, SiteCollision
from generator.outputs.nearby import nearby_assets
from generator.outputs.opendata import make_open_data
from generator.outputs.printing import make_print_sheets
from generator.outputs.published import published_files
from generator.outputs.search_maps import search_maps
from generator.plan.pages import Page
from generator.plan.site import Site
from generator.render.environment import render_page


def stats_files(site: Site) -> list[Asset]:
    return stats_assets(site.catalog, site.today)  # /stats/ CSV and SVG


# Makers of non-page files (feeds, open data …): each takes the site and returns assets.
ASSET_MAKERS: list[Callable[[Site], Sequence[AnyAsset]]] = [nearby_assets, stats_files]


ASSET_MAKERS += [make_feeds, make_open_data, make_print_sheets]  # /feeds/, /api/, /print/stations/


ASSET_MAKERS.append(published_files)  # /ids.json and pages at renamed ids' old addresses


ASSET_MAKERS.append(search_maps)  # /search/fold.json and /search/pinyin.json, fetched when a query needs them


def outputs(site: Site, wanted: Callable[[Page], bool] | None = None, with_assets: bool = True,
            render: Callable[[Page], str] = render_page) -> Iterator[tuple[str, str | bytes]]:
    """Every generated file; or only the `wanted` pages, and no assets without `with_assets`
    (a part of a parallel build, see engine/parallel_build.py).  `render` may be a `RenderCache`'s
    (`lvyin serve`, see engine/incremental.py)."""
    pages = site.pages
    assets = [asset for make in ASSET_MAKERS for asset in make(site)] if with_assets else []
    paths = [p.path for p in pages] + [a.path for a in assets]
    if len(set(paths)) < len(paths):
        seen: dict[str, str] = {}
        for path, what in zip(paths, [p.title for p in pages] + paths[len(pages):], strict=True):
            if path in seen:
                raise SiteCollision(f"两个生成的文件要写到同一路径 {path}：{seen[path]} 与 {what}")
            seen[path] = what
    for page in pages:
        if wanted is None or wanted(page):
            yield page.path, render(page)
    for asset in assets:
        yield asset.path, asset.content
