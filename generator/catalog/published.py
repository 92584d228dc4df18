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
import urllib.error
import urllib.request
from pathlib import Path

from generator.catalog.load import load_catalog
from generator.catalog.redirects import RENAME_HINT, catalog_ids
from generator.catalog.tables import Catalog
from generator.errors import CatalogInvalid, LvyinError, Problem
from generator.model.kinds import SECTIONS

IDS_FILE = "ids.json"


class PublishedError(LvyinError):
    """The list of published ids could not be read."""


def published_ids(catalog: Catalog) -> dict[str, list[str]]:
    """What a build publishes: every entry's id and every redirected old id, per section."""
    ids = catalog_ids(catalog)
    for redirect in getattr(catalog, "redirects", ()):
        ids[redirect.section].add(redirect.old)
    return {section: sorted(found) for section, found in ids.items()}


def check_published(previous: dict[str, list[str]], catalog: Catalog, where: str) -> list[Problem]:
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


