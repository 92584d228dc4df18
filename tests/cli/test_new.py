"""`lvyin new`: a template an editor fills in, which then validates."""

from __future__ import annotations

import re

import pytest

from generator.catalog.load import load_catalog
from generator.cli.main import main as lvyin
from generator.cli.scaffold import suggest_id
from generator.model.entries import KINDS

SERIES = """
    - id: family-reading
      title: 亲子阅读系列课
      organizer: 市妇联
      description: 四次课。
    """
FOLDER = {"lecture": "lectures", "lecturer": "lecturers", "venue": "venues", "base": "bases", "station": "stations"}
NAMES = {"lecture": "家长如何陪孩子读书", "lecturer": "李明", "venue": "宝鸡青铜器博物院", "base": "眉县猕猴桃研学基地",
         "station": "新建路社区家庭教育指导服务站"}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = lvyin(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def fill_placeholders(text: str) -> str:
    """What an editor does: write the shown example into every empty field."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        empty = re.fullmatch(r"(- |  )([a-z_]+):", line)
        if empty:
            example = re.search(r"示例：(.*)$", lines[i - 1])
            assert example, f"no example above the empty field: {line!r}"
            lines[i] = f"{line} {example[1]}"
    return "\n".join(lines)


def uncomment_optional(text: str) -> str:
    """Use every optional field too, with the example the template shows."""
    return re.sub(r"(?m)^  # (?=[a-z_]+:|  [a-z_]+:)", "  ", text)


@pytest.fixture
def catalog(make_catalog, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return make_catalog({"series.yaml": SERIES})


@pytest.mark.parametrize("kind", sorted(FOLDER))
def test_printed_template_explains_every_field_and_validates_once_filled(kind, catalog, capsys):
    code, printed, _ = run(capsys, "new", kind, "--name", NAMES[kind], "--catalog", str(catalog))
    assert code == 0
    for field in KINDS[kind].model_fields:
        at = re.search(rf"(?m)^(?:- |  |  # )({field}):", printed)
        assert at, f"{field} missing from the template"
        comment = printed[: at.start()].rstrip("\n").rsplit("\n", 1)[-1]
        assert re.match(r" *# .*[\u4e00-\u9fff]", comment), f"{field} has no Chinese comment: {comment!r}"

    target = catalog / FOLDER[kind] / "new.yaml"
    code, out, _ = run(capsys, "new", kind, "--name", NAMES[kind], "--catalog", str(catalog), "--append", str(target))
    assert code == 0 and "第 2 行起" in out
    written = target.read_text(encoding="utf-8")
    assert written == f"# yaml-language-server: $schema=../schemas/{kind}.schema.json\n" + printed

    # As written, the empty required fields are reported at their own lines.
    code, _, err = run(capsys, "validate", "--catalog", str(catalog))
    assert code == 1
    empty_lines = [i + 1 for i, line in enumerate(written.split("\n")) if re.fullmatch(r"(- |  )[a-z_]+:", line)]
    assert empty_lines
    reported = {int(m) for m in re.findall(rf"{FOLDER[kind]}/new\.yaml:(\d+):", err)}
    # Every message points at a placeholder, but an empty `venue:` is allowed (online lectures have
    # none): an offline lecture is asked for it at its `format` line, at once (the entry's other
    # problems do not hold that check back).
    if kind == "lecture":
        lines = written.split("\n")
        empty_lines.remove(lines.index("  venue:") + 1)
        empty_lines.append(lines.index("  format: offline") + 1)
        assert "线下讲座需要填写地点 venue" in err
    assert reported == set(empty_lines), err

    target.write_text(fill_placeholders(written), encoding="utf-8")
    code, _, err = run(capsys, "validate", "--catalog", str(catalog))
    assert code == 0, err
    entry_id = re.search(r"(?m)^- id: (.+)$", written)[1]
    assert entry_id in getattr(load_catalog(catalog), FOLDER[kind] if kind != "lecturer" else "lecturers")

    target.write_text(uncomment_optional(fill_placeholders(written)), encoding="utf-8")
    code, _, err = run(capsys, "validate", "--catalog", str(catalog))
    assert code == 0, err


def test_the_suggested_id_is_pinyin_and_unique(catalog, capsys):
    assert suggest_id("亲子共读的三个方法", []) == "qin-zi-gong-du-de-san-ge-fang-fa"
    assert suggest_id("绿荫计划 AI 入门", []) == "lv-yin-ji-hua-ai-ru-men"
    assert suggest_id("王芳", ["wang-fang", "wang-fang-2"]) == "wang-fang-3"
    code, printed, _ = run(capsys, "new", "lecturer", "--name", "王芳", "--catalog", str(catalog))
    assert "- id: wang-fang-2\n" in printed  # wang-fang is taken in the small catalogue
    # Places share one id space: a station may not take a venue's id.
    assert suggest_id("city library", load_catalog(catalog).places) == "city-library-2"


def test_appending_to_an_existing_file_keeps_it_and_starts_after_a_blank_line(catalog, capsys):
    target = catalog / "lectures" / "2026-12.yaml"
    before = target.read_text(encoding="utf-8")
    code, out, _ = run(capsys, "new", "lecture", "--catalog", str(catalog), "--append", str(target))
    after = target.read_text(encoding="utf-8")
    assert code == 0 and after.startswith(before + "\n# ---- 新讲座")
    assert f"第 {before.count(chr(10)) + 2} 行起" in out


def test_appending_to_a_file_of_another_kind_is_refused(catalog, capsys):
    target = catalog / "venues" / "libraries.yaml"
    before = target.read_bytes()
    code, _, err = run(capsys, "new", "lecture", "--catalog", str(catalog), "--append", str(target))
    assert code == 1 and "不是讲座文件" in err and "lectures/" in err
    assert target.read_bytes() == before
