"""The editors' guide: every field documented, and every shown error message the validator's own words."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT

from generator.cli.main import main as lvyin
from generator.model.entries import KINDS, Location, Private
from generator.model.settings import SiteSettings
from generator.outputs.site_files import outputs
from generator.plan.site import load_site

GUIDE = ROOT / "content" / "guide"


def _examples() -> list[tuple[str, str, str, list[str]]]:
    """(title, encoding, YAML, expected messages) for each worked example of errors.md."""
    text = (GUIDE / "errors.md").read_text(encoding="utf-8")
    out = []
    for section in text.split("\n## ")[1:]:
        title = section.split("\n", 1)[0]
        blocks = [m.group(0) for m in re.finditer(r"(?m)(?:^    .*\n)+", section)]
        assert len(blocks) == 2, title
        source = "".join(line[4:] + "\n" for line in blocks[0].splitlines())
        messages = [line[4:] for line in blocks[1].splitlines()]
        encoding = "gbk" if "<!-- example-encoding: gbk -->" in section else "utf-8"
        out.append((title, encoding, source, messages))
    return out


EXAMPLES = _examples()


def test_the_errors_page_has_the_common_errors():
    assert len(EXAMPLES) >= 15
    shown = " ".join(m for *_, messages in EXAMPLES for m in messages)
    for words in ["时间", "不是真实存在的日期", "全角冒号", "引号", "注释", "Tab", "您是不是想写", "缺少必填字段",
                  "重复", "重叠", "纬度和经度可能写反了", "online_url", "GBK"]:
        assert words in shown, words


@pytest.mark.parametrize("title, encoding, source, messages", EXAMPLES, ids=[e[0] for e in EXAMPLES])
def test_each_worked_example_gives_exactly_the_message_shown(title, encoding, source, messages, make_catalog, tmp_path, capsys, monkeypatch):
    path = messages[-1].split(":", 1)[0]
    # The example's file is named by the message about it (the last one when an error leads to another).
    named = re.search(r"文件 `(catalog/[^`]+)`", (GUIDE / "errors.md").read_text(encoding="utf-8").split("\n## " + title + "\n", 1)[1])[1]
    assert named == path or any(m.startswith(named) for m in messages)
    catalog = make_catalog()
    (catalog / named.removeprefix("catalog/")).write_bytes(source.encode(encoding))
    monkeypatch.chdir(tmp_path)
    assert lvyin(["validate", "--catalog", "catalog"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[:-1] == messages
    assert err[-1] == f"共发现 {len(messages)} 处错误，请修改后重试。"


def _rows(html: str) -> dict[str, list[str]]:
    soup = BeautifulSoup(html, "html.parser")
    return {row["id"]: [cell.get_text(" ", strip=True) for cell in row.find_all("td")] for row in soup.select("tr[id]")}


@pytest.fixture(scope="module")
def fields_page(tmp_path_factory) -> str:
    from conftest import DEMO_CATALOG, DEMO_TODAY

    files = dict(outputs(load_site(DEMO_CATALOG, DEMO_TODAY)))
    return files["guide/fields.md"]


def test_the_field_reference_lists_every_field_of_every_file(fields_page):
    rows = _rows(fields_page)
    models = {**KINDS, "location": Location, "private": Private, "site": SiteSettings}
    for key, model in models.items():
        for name, info in model.model_fields.items():
            row = rows.pop(f"{key}-{name}", None)
            assert row, f"{key}.{name} is missing from the field reference"
            assert row[0] == name and row[1] == info.title and row[2].startswith("必填" if info.is_required() else ("可不填", "通常要填"))
            assert re.search(r"[\u4e00-\u9fff]", row[3]), f"{key}.{name} has no Chinese explanation"
    assert rows == {}  # and nothing that is not a field


def test_the_field_reference_spells_out_choices_and_examples(fields_page):
    rows = _rows(fields_page)
    assert rows["lecture-start"][2:] == ["必填", "时:分，例如 14:30", "14:30"]
    assert "hybrid（线上线下同步）" in rows["lecture-format"][3] and rows["lecture-format"][2] == "可不填（默认 offline）"
    assert rows["lecture-venue"][2] == "通常要填"
    assert "library（图书馆）" in rows["venue-kind"][3]


def test_the_rename_message_in_the_guide_is_the_real_one(make_catalog):
    from generator.catalog.load import load_catalog
    from generator.catalog.published import check_published

    problems = check_published({"lectures": ["reading-1205"]}, load_catalog(make_catalog({"lectures/2026-12.yaml": "[]"})),
                               "catalog/redirects.yaml")
    assert len(problems) == 1
    assert f"    {problems[0]}\n" in (GUIDE / "index.md").read_text(encoding="utf-8")


def test_the_guide_is_in_the_built_site_and_its_navigation(demo_site):
    pages = {"guide/index.html": "如何提交和修改数据", "guide/fields/index.html": "字段说明", "guide/errors/index.html": "常见错误和改法"}
    home = BeautifulSoup((demo_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    nav = " ".join(a.get_text(" ", strip=True) for a in home.select("nav a"))
    for path, heading in pages.items():
        soup = BeautifulSoup((demo_site / path).read_text(encoding="utf-8"), "html.parser")
        assert soup.find("h1").get_text(strip=True) == heading
        assert not soup.select("[data-pagefind-body]"), "editors' pages stay out of the parents' search"
    assert "编辑指南" in nav and "字段说明" in nav and "常见错误" in nav
    errors = BeautifulSoup((demo_site / "guide/errors/index.html").read_text(encoding="utf-8"), "html.parser")
    assert any("不是真实存在的日期" in pre.get_text() for pre in errors.find_all("pre"))
