"""`/ids.json` and a page at every renamed id's old address that sends the reader on."""

from __future__ import annotations

import json
import posixpath
from typing import TYPE_CHECKING

from markupsafe import escape

from generator.catalog.published import IDS_FILE, published_ids
from generator.catalog.redirects import Redirect
from generator.outputs.files import Asset

if TYPE_CHECKING:
    from generator.plan.site import Site


def redirect_page(redirect: Redirect, absolute: str) -> bytes:
    href = posixpath.relpath(f"{redirect.target}/{redirect.new}/", f"{redirect.section}/{redirect.old}/") + "/"
    href, absolute = escape(href), escape(absolute)
    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        f'<link rel="canonical" href="{absolute}">\n<meta name="robots" content="noindex">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>页面已迁移</title>\n</head>\n'
        f'<body data-pagefind-ignore="all">\n<p>这个页面已经迁移到新的网址：<a href="{href}">{absolute}</a></p>\n</body>\n</html>\n'
    ).encode()


def published_files(site: Site) -> list[Asset]:
    """`ids.json` and a redirect page at every renamed id's old address."""
    ids = json.dumps(published_ids(site.catalog), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    assets = [Asset(IDS_FILE, ids.encode("utf-8"))]
    for redirect in getattr(site.catalog, "redirects", ()):
        target = site.settings.absolute(f"{redirect.target}/{redirect.new}/")
        assets.append(Asset(redirect.path, redirect_page(redirect, target)))
    return assets
