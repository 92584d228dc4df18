"""Checks of a built site: every internal link resolves, nothing loads from another host."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

_TAG = re.compile(r"<(\w+)\b([^>]*)>")
_ATTR = re.compile(r"""\s(href|src|rel)=["']([^"']*)["']""", re.IGNORECASE)
# Elements whose href/src the browser fetches by itself (a plain <a> only on a click).
_LOADED = {"script", "img", "iframe", "source", "video", "audio", "embed", "object", "track"}
# <link> relations that make the browser fetch (canonical, alternate … do not).
_LOADED_LINKS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload", "prefetch", "manifest"}
_SKIP_SCHEMES = ("mailto:", "tel:", "webcal:", "javascript:", "data:")


def check_site(site_dir: Path) -> list[str]:
    problems: list[str] = []
    for page in sorted(site_dir.rglob("*.html")):
        if "pagefind" in page.relative_to(site_dir).parts:
            continue
        html = page.read_text(encoding="utf-8")
        for tag, attributes in _TAG.findall(html):
            attrs = {name.lower(): value for name, value in _ATTR.findall(attributes)}
            value = attrs.get("href", attrs.get("src"))
            if value is None:
                continue
            tag = tag.lower()
            loaded = tag in _LOADED or (tag == "link" and bool(_LOADED_LINKS & set(attrs.get("rel", "").lower().split())))
            problem = _check_reference(site_dir, page, loaded, tag, value)
            if problem:
                problems.append(f"{page.relative_to(site_dir)}: {problem}")
    return problems


def _check_reference(site_dir: Path, page: Path, loaded: bool, tag: str, value: str) -> str | None:
    value = value.strip().replace("&amp;", "&")
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") or value.startswith("//"):
        if loaded:
            return f"从其他网站加载资源 <{tag}> {value}（本站不得向其他主机发请求）"
        return None
    if value.lower().startswith(_SKIP_SCHEMES) or not parts.path:
        return None
    base = site_dir if parts.path.startswith("/") else page.parent  # the 404 page links from the root
    target = (base / unquote(parts.path).lstrip("/")).resolve()
    if not str(target).startswith(str(site_dir.resolve())):
        return f"链接指向站点之外：{value}"
    if target.is_dir():
        target = target / "index.html"
    if not target.exists():
        return f"链接指向不存在的页面：{value}"
    return None
