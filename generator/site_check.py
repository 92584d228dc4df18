"""Checks of a built site: every internal link resolves, nothing loads from another host."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

_ATTR = re.compile(r"""<(\w+)\b[^>]*?\s(href|src)=["']([^"']*)["']""", re.IGNORECASE)
# Elements whose href/src the browser fetches by itself (a plain <a> only on a click).
_LOADED = {"script", "link", "img", "iframe", "source", "video", "audio", "embed", "object", "track"}
_SKIP_SCHEMES = ("mailto:", "tel:", "webcal:", "javascript:", "data:")


def check_site(site_dir: Path) -> list[str]:
    problems: list[str] = []
    for page in sorted(site_dir.rglob("*.html")):
        if "pagefind" in page.relative_to(site_dir).parts:
            continue
        html = page.read_text(encoding="utf-8")
        for tag, attr, value in _ATTR.findall(html):
            problem = _check_reference(site_dir, page, tag.lower(), value)
            if problem:
                problems.append(f"{page.relative_to(site_dir)}: {problem}")
    return problems


def _check_reference(site_dir: Path, page: Path, tag: str, value: str) -> str | None:
    value = value.strip().replace("&amp;", "&")
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") or value.startswith("//"):
        if tag in _LOADED:
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
