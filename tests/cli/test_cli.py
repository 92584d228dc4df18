"""The `lvyin` command line as an editor or a deployment uses it."""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from pathlib import Path

from conftest import ROOT, build_site

from generator.cli.main import main as lvyin


def snapshot(site: Path) -> dict[str, str]:
    return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(site.rglob("*")) if p.is_file()}


def test_validate_lists_every_error_in_chinese_and_exits_1(make_catalog):
    root = make_catalog({"lectures/2026-12.yaml": """
        - id: reading-1205
          title: 亲子共读
          date: 2026-12-5
          start: 25:00
          end: 16:00
          venu: city-library
          organizer: 市妇联
        """})
    run = subprocess.run([sys.executable, "-m", "generator", "validate", "--catalog", str(root)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert "Traceback" not in run.stderr
    assert any(l.endswith("lectures/2026-12.yaml:3:9: 错误: date: 日期“2026-12-5”的写法不对 — 请写成 年-月-日，例如 2026-12-05") for l in lines), lines
    assert any("lectures/2026-12.yaml:4:10: 错误: start: “25:00”不是有效的时间" in l for l in lines), lines
    assert any("lectures/2026-12.yaml:6:3: 错误: venu: 没有“venu”这个字段 — 您是不是想写“venue”" in l for l in lines), lines
    assert lines[-1] == "共发现 3 处错误，请修改后重试。"


def test_validate_passes_on_a_good_catalogue(make_catalog, capsys):
    assert lvyin(["validate", "--catalog", str(make_catalog())]) == 0
    assert "目录数据检查通过：讲座 1 场" in capsys.readouterr().out


def test_failed_build_leaves_the_previous_site_untouched(make_catalog, tmp_path, capsys):
    catalog = make_catalog()
    site = tmp_path / "site"
    assert build_site(catalog, site) == 0
    before = snapshot(site)
    (catalog / "lectures" / "2026-12.yaml").write_text("- id: broken\n  title: [\n", encoding="utf-8")
    assert build_site(catalog, site) == 1
    assert snapshot(site) == before
    assert "错误" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []  # no half-built folders left


def test_a_rebuild_replaces_the_site_and_the_old_one_goes_away(make_catalog, tmp_path):
    catalog = make_catalog()
    site = tmp_path / "site"
    assert build_site(catalog, site) == 0
    stopped = tmp_path / ".site.old-stopped" / "site"  # a deletion an earlier build did not finish
    stopped.mkdir(parents=True)
    (stopped / "index.html").write_text("更早的网站", encoding="utf-8")
    lectures = catalog / "lectures" / "2026-12.yaml"
    lectures.write_text(lectures.read_text(encoding="utf-8").replace("亲子共读的三个方法", "亲子共读的四个方法"), encoding="utf-8")

    assert build_site(catalog, site) == 0
    assert "亲子共读的四个方法" in (site / "lectures" / "reading-1205" / "index.html").read_text(encoding="utf-8")

    def left_over() -> list[str]:
        return [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")]

    deadline = time.monotonic() + 60
    while left_over() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert left_over() == []


def test_two_builds_of_the_same_input_are_byte_identical(make_catalog, tmp_path):
    catalog = make_catalog()
    assert build_site(catalog, tmp_path / "a") == 0
    assert build_site(catalog, tmp_path / "b") == 0
    a, b = snapshot(tmp_path / "a"), snapshot(tmp_path / "b")
    assert a == b
    # The search index is part of it (Pagefind's filter index, put in a stable order).
    assert sum(1 for k in a if k.startswith("pagefind/filter/")) >= 3 and len(a) > 50


def test_generate_writes_the_same_markdown_for_another_engine(make_catalog, tmp_path, capsys):
    out = tmp_path / "docs"
    assert lvyin(["generate", "--catalog", str(make_catalog()), "--out", str(out), "--content", str(ROOT / "content"), "--today", "2026-11-28"]) == 0
    lecture = (out / "lectures" / "reading-1205.md").read_text(encoding="utf-8")
    assert lecture.startswith('---\ntitle: "亲子共读的三个方法"\n')
    assert "<h1>亲子共读的三个方法</h1>" in lecture
    assert (out / "index.md").is_file() and (out / "calendar" / "2026-12.md").is_file()
    assert (out / "about.md").read_text(encoding="utf-8") == (ROOT / "content" / "about.md").read_text(encoding="utf-8")


def test_a_hand_written_page_may_not_hide_a_generated_one(make_catalog, tmp_path, capsys):
    content = tmp_path / "content"
    (content / "lectures").mkdir(parents=True)
    (content / "lectures" / "reading-1205.md").write_text("# 手写\n", encoding="utf-8")
    assert lvyin(["generate", "--catalog", str(make_catalog()), "--out", str(tmp_path / "docs"), "--content", str(content)]) == 1
    assert "与自动生成的文件 /lectures/reading-1205.md 冲突" in capsys.readouterr().err
    assert not (tmp_path / "docs").exists()


def test_missing_catalogue_folder_is_a_clear_error(tmp_path, capsys):
    assert lvyin(["validate", "--catalog", str(tmp_path / "nope")]) == 1
    assert "找不到目录文件夹" in capsys.readouterr().err
