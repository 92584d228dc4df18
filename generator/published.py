"""Published ids never die: a link shared in a WeChat group must keep working.

Every build writes `ids.json`: the ids published under each section (`/lectures/<id>/` …).
The next build (or `lvyin validate --published …`) compares the catalogue with
it: an id that disappeared is an error, unless `catalog/redirects.yaml` maps
the old id to its new one (`旧编号: 新编号`); the build then keeps a small page
at the old address that sends the reader on (a meta refresh and a link, no
script).
"""

from __future__ import annotations

import json
import os
import posixpath
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from markupsafe import escape
from pydantic import TypeAdapter, ValidationError

from .model import Id
from .pages import Asset
from .problems import Problem
from .reader import ReadError, read_file

IDS_FILE = "ids.json"
REDIRECTS_FILE = "redirects.yaml"
# Section (URL folder) → catalogue table (attribute of Catalog) and the label of its entries.
SECTIONS = {
    "lectures": "讲座", "lecturers": "讲师", "venues": "场馆", "bases": "实践基地", "stations": "指导站点",
    "districts": "县区", "topics": "主题", "series": "系列",
}
PLACE_SECTIONS = ("venues", "bases", "stations")  # one id space
RENAME_HINT = "如果确实要改名，请在 catalog/redirects.yaml 中写 旧编号: 新编号"


class PublishedError(Exception):
    """The list of published ids could not be read."""


@dataclass(frozen=True)
class Redirect:
    section: str
    old: str
    target: str  # the section of the new id
    new: str

    @property
    def path(self) -> str:
        return f"{self.section}/{self.old}/index.html"


def _space(section: str) -> tuple[str, ...]:
    return PLACE_SECTIONS if section in PLACE_SECTIONS else (section,)


def catalog_ids(catalog) -> dict[str, set[str]]:
    return {section: set(getattr(catalog, section)) for section in SECTIONS}


def published_ids(catalog) -> dict[str, list[str]]:
    """What a build publishes: every entry's id and every redirected old id, per section."""
    ids = catalog_ids(catalog)
    for redirect in getattr(catalog, "redirects", ()):
        ids[redirect.section].add(redirect.old)
    return {section: sorted(found) for section, found in ids.items()}


def read_redirects(root: Path, known, problems: list[Problem]) -> list[Redirect]:
    """`redirects.yaml` (optional): old id → new id, checked against the ids the catalogue gives
    (`catalog.KnownIds`: of broken entries too, so that a broken entry makes no redirect look wrong)."""
    path = next((root / f"redirects{suffix}" for suffix in (".yaml", ".yml") if os.path.lexists(root / f"redirects{suffix}")), None)
    if path is None:
        return []
    from .catalog import FOLDERS, SINGLE_FILES, _display, suggest

    try:
        doc = read_file(path, _display(path), root)
    except ReadError as error:
        problems.extend(error.problems)
        return []
    problems.extend(doc.problems)
    if doc.data is None:
        return []
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), "", "redirects.yaml 应为若干“旧编号: 新编号”", "每行写一个改名，例如 old-id: new-id"))
        return []
    kinds = {**SINGLE_FILES, **FOLDERS}  # section → kind
    ids = {section: known.ids[kinds[section]] for section in SECTIONS}
    certain = not known.unsure  # else a new id not found may be that of an entry that could not be read
    redirects = []
    for old, new in doc.data.items():
        bad = False
        for value, loc, key in ((old, (old,), True), (new, (old,), False)):
            try:
                TypeAdapter(Id).validate_python(value)
            except ValidationError as error:
                ctx = error.errors()[0].get("ctx") or {}
                problems.append(doc.problem(loc, str(old), ctx.get("message", "编号不正确"), ctx.get("hint", ""), key=key))
                bad = True
        if bad:
            continue
        seen = {old}
        while isinstance(new, str) and new not in set().union(*ids.values()) and new in doc.data and new not in seen:
            seen.add(new)  # renamed twice: a → b, then b → c sends a straight to c
            new = doc.data[new]
        targets = [s for s in SECTIONS if new in ids[s]]
        if not targets and not certain:
            continue
        if not targets:
            everything = set().union(*ids.values())
            problems.append(doc.problem((old,), str(old), f"找不到新编号“{new}”",
                                        suggest(new, everything) or "新编号必须是目录中现有的条目"))
            continue
        target = targets[0]
        sections = _space(target)
        if any(old in ids[s] for s in sections):
            problems.append(doc.problem((old,), str(old), f"旧编号“{old}”仍在使用，不能再跳转",
                                        "改名后旧编号就不再出现在目录中；如果这一行是多余的，请删除它", key=True))
            continue
        redirects.extend(Redirect(section, old, target, new) for section in sections)
    return redirects


def check_published(previous: dict[str, list[str]], catalog, where: str) -> list[Problem]:
    """Ids of the previous build that the catalogue (with its redirects) no longer publishes."""
    now = published_ids(catalog)
    problems = []
    for section, label in SECTIONS.items():
        for gone in sorted(set(previous.get(section, ())) - set(now[section])):
            problems.append(Problem(
                where, 1, 1, "", f"{label}“{gone}”已经发布过（网址 /{section}/{gone}/），但目录中没有这个编号了",
                "已发布的网址可能已分享到微信群或印成二维码，不能失效：" + RENAME_HINT
                + "；讲座取消请保留这一项并写 status: cancelled；误删请恢复这一项"))
    return problems


def load_published(spec: str) -> dict[str, list[str]]:
    """The ids a previous build published: from its `ids.json` (a URL, a file or a site folder),
    or computed from a catalogue folder (for example the target branch of a pull request)."""
    if spec.startswith(("http://", "https://")):
        url = spec if spec.endswith(".json") else spec.rstrip("/") + "/" + IDS_FILE
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return _parse(response.read(), url)
        except (urllib.error.URLError, OSError) as error:
            raise PublishedError(f"无法读取已发布的编号列表 {url}：{error}") from None
    path = Path(spec)
    if path.is_dir() and (path / IDS_FILE).is_file():
        path = path / IDS_FILE
    elif path.is_dir() and any((path / f"districts{s}").is_file() for s in (".yaml", ".yml")):
        from .catalog import load_catalog
        from .problems import CatalogInvalid

        try:
            return published_ids(load_catalog(path))
        except CatalogInvalid as error:
            raise PublishedError(f"作为对照的目录 {spec} 本身有错误：\n{error.report()}") from None
    if not path.is_file():
        raise PublishedError(f"找不到已发布的编号列表 {spec}（应为上次生成的网站中的 {IDS_FILE}、网站地址或目录文件夹）")
    return _parse(path.read_bytes(), spec)


def _parse(raw: bytes, where: str) -> dict[str, list[str]]:
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = None
    if not isinstance(data, dict) or not all(isinstance(v, list) and all(isinstance(i, str) for i in v) for v in data.values()):
        raise PublishedError(f"{where} 不是有效的编号列表（应为 {IDS_FILE}：每个栏目一个编号列表）")
    return data


def redirect_page(redirect: Redirect, absolute: str) -> bytes:
    href = posixpath.relpath(f"{redirect.target}/{redirect.new}/", f"{redirect.section}/{redirect.old}/") + "/"
    href, absolute = escape(href), escape(absolute)
    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="refresh" content="0; url={href}">\n'
        f'<link rel="canonical" href="{absolute}">\n<meta name="robots" content="noindex">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>页面已迁移</title>\n</head>\n'
        f'<body data-pagefind-ignore="all">\n<p>这个页面已经迁移到新的网址：<a href="{href}">{absolute}</a></p>\n</body>\n</html>\n'
    ).encode("utf-8")


def published_files(site) -> list[Asset]:
    """`ids.json` and a redirect page at every renamed id's old address."""
    ids = json.dumps(published_ids(site.catalog), ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    assets = [Asset(IDS_FILE, ids.encode("utf-8"))]
    for redirect in getattr(site.catalog, "redirects", ()):
        target = site.settings.absolute(f"{redirect.target}/{redirect.new}/")
        assets.append(Asset(redirect.path, redirect_page(redirect, target)))
    return assets
