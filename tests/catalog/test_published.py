"""Published ids never die: ids.json, the check against it, and redirect pages for renamed ids."""

from __future__ import annotations

import functools
import http.server
import json
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import BASE_FILES, build_site

from generator.cli.main import main as lvyin

# The base catalogue's lecture, its id renamed.
RENAMED = {"lectures/2026-12.yaml": BASE_FILES["lectures/2026-12.yaml"].replace("id: reading-1205", "id: reading-1205-new")}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = lvyin(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_renamed_id_fails_the_next_build_until_redirected(make_catalog, tmp_path, capsys):
    catalog = make_catalog()
    site = tmp_path / "site"
    assert build_site(catalog, site) == 0
    ids = json.loads((site / "ids.json").read_text(encoding="utf-8"))
    assert ids["lectures"] == ["reading-1205"]
    assert ids["venues"] == ["city-library"] and ids["stations"] == ["qingjiang"] and ids["lecturers"] == ["wang-fang"]
    assert set(ids) == {"lectures", "lecturers", "venues", "bases", "stations", "districts", "topics", "series"}
    capsys.readouterr()

    # Renamed without a redirect: the build refuses, says how to fix, and leaves the site alone.
    make_catalog(RENAMED)
    before = snapshot(site)
    assert build_site(catalog, site) == 1
    err = capsys.readouterr().err
    assert "catalog/redirects.yaml:1:1: 错误: 讲座“reading-1205”已经发布过（网址 /lectures/reading-1205/），但目录中没有这个编号了" in err.replace(str(catalog.parent) + "/", "")
    assert "如果确实要改名，请在 catalog/redirects.yaml 中写 旧编号: 新编号" in err
    assert snapshot(site) == before

    # With the rename recorded, the old address leads to the new page.
    make_catalog({**RENAMED, "redirects.yaml": "reading-1205: reading-1205-new\n"})
    assert build_site(catalog, site) == 0
    ids = json.loads((site / "ids.json").read_text(encoding="utf-8"))
    assert ids["lectures"] == ["reading-1205", "reading-1205-new"]
    old = site / "lectures" / "reading-1205" / "index.html"
    soup = BeautifulSoup(old.read_text(encoding="utf-8"), "html.parser")
    refresh = soup.find("meta", attrs={"http-equiv": "refresh"})["content"]
    assert refresh == "0; url=../reading-1205-new/"
    link = soup.find("a")["href"]
    assert link == "../reading-1205-new/"
    assert (old.parent / link / "index.html").resolve().is_file()
    assert "亲子共读的三个方法" in (old.parent / link / "index.html").read_text(encoding="utf-8")
    assert not soup.find("script")
    assert soup.find("link", rel="canonical")["href"] == "https://jtjy.example.cn/lectures/reading-1205-new/"
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/lectures/reading-1205/" not in sitemap

    # Dropping the redirect later kills the old address again: refused.
    (catalog / "redirects.yaml").unlink()
    assert build_site(catalog, site) == 1
    assert "讲座“reading-1205”已经发布过" in capsys.readouterr().err


@pytest.fixture
def published(make_catalog, tmp_path):
    """ids.json of the small catalogue, as the last build wrote it."""
    from generator.catalog.load import load_catalog
    from generator.catalog.published import published_ids

    path = tmp_path / "ids.json"
    path.write_text(json.dumps(published_ids(load_catalog(make_catalog()))), encoding="utf-8")
    return path


def test_validate_against_a_file_a_catalogue_folder_or_a_url(make_catalog, published, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    base = tmp_path / "base"
    import shutil

    shutil.copytree(make_catalog(), base / "catalog")
    catalog = make_catalog(RENAMED)
    expected = "catalog/redirects.yaml:1:1: 错误: 讲座“reading-1205”已经发布过（网址 /lectures/reading-1205/），但目录中没有这个编号了"

    code, _, err = run(capsys, "validate", "--published", str(published))
    assert code == 1 and err.startswith(expected)
    code, _, err = run(capsys, "validate", "--published", str(base / "catalog"))
    assert code == 1 and err.startswith(expected)
    assert run(capsys, "validate")[0] == 0  # without --published nothing is compared

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        code, _, err = run(capsys, "validate", "--published", f"http://127.0.0.1:{server.server_port}/")
        assert code == 1 and err.startswith(expected)
        code, _, err = run(capsys, "validate", "--published", f"http://127.0.0.1:{server.server_port}/missing/ids.json")
        assert code == 1 and err.startswith("错误: 无法读取已发布的编号列表") and "Traceback" not in err
    finally:
        server.shutdown()

    (tmp_path / "bad.json").write_text('{"lectures": "reading-1205"}', encoding="utf-8")
    code, _, err = run(capsys, "validate", "--published", str(tmp_path / "bad.json"))
    assert code == 1 and "不是有效的编号列表" in err

    (catalog / "redirects.yaml").write_text("reading-1205: reading-1205-new\n", encoding="utf-8")
    assert run(capsys, "validate", "--published", str(published))[0] == 0


@pytest.mark.parametrize("redirects, message", [
    ("reading-1205: reading-1206\n", "catalog/redirects.yaml:1:15: 错误: reading-1205: 找不到新编号“reading-1206” — 您是不是想写“reading-1205-new”？"),
    ("qingjiang: city-library\n", "catalog/redirects.yaml:1:1: 错误: qingjiang: 旧编号“qingjiang”仍在使用，不能再跳转"),
    ("Reading-1205: reading-1205-new\n", "catalog/redirects.yaml:1:1: 错误: Reading-1205: “Reading-1205”不是有效的编号"),
    ("- reading-1205\n", "catalog/redirects.yaml:1:1: 错误: redirects.yaml 应为若干“旧编号: 新编号”"),
])
def test_redirect_mistakes_are_named_at_their_line(make_catalog, tmp_path, capsys, monkeypatch, redirects, message):
    monkeypatch.chdir(tmp_path)
    catalog = make_catalog({**RENAMED, "redirects.yaml": redirects})
    code, _, err = run(capsys, "validate", "--catalog", str(catalog))
    assert code == 1
    assert err.splitlines()[0].startswith(message), err


def test_a_renamed_place_keeps_its_old_address_in_every_place_section(make_catalog, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from generator.outputs.site_files import outputs
    from generator.plan.site import load_site

    catalog = make_catalog({"redirects.yaml": "old-library: city-library\n"})
    files = dict(outputs(load_site(catalog, "2026-11-28")))
    for section in ("venues", "bases", "stations"):
        page = files[f"{section}/old-library/index.html"].decode("utf-8")
        expected = "../../venues/city-library/" if section != "venues" else "../city-library/"
        assert f'url={expected}"' in page and f'href="{expected}"' in page
    ids = json.loads(files["ids.json"])
    assert "old-library" in ids["stations"] and "old-library" in ids["venues"]


def test_a_twice_renamed_id_leads_straight_to_the_current_page(make_catalog, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from generator.outputs.site_files import outputs
    from generator.plan.site import load_site

    catalog = make_catalog({**RENAMED, "redirects.yaml": "reading-first: reading-1205\nreading-1205: reading-1205-new\n"})
    files = dict(outputs(load_site(catalog, "2026-11-28")))
    for old in ("reading-first", "reading-1205"):
        assert 'url=../reading-1205-new/"' in files[f"lectures/{old}/index.html"].decode("utf-8")
    assert json.loads(files["ids.json"])["lectures"] == ["reading-1205", "reading-1205-new", "reading-first"]
