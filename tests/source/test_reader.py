"""The hostile-input corpus: what the strict reader makes of what editors really type.

Each case is a file under tests/hostile/ (see its README) or one built by GENERATED
below, paired with the problem an editor must see (line, column, a piece of the
Chinese message) or the exact value that must be kept.  Every case runs under
libyaml and under pure-Python PyYAML, which must agree; PyYAML's type resolver is
made to explode for the whole module, so no case can pass by calling it.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from datetime import date
from datetime import time as clock
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT

from generator.catalog.load import load_catalog
from generator.errors import CatalogInvalid, Position, Problem
from generator.source.compose import MAX_NODES
from generator.source.reader import read_file, read_text
from generator.source.text import MAX_BYTES, ReadError

HOSTILE = ROOT / "tests" / "hostile"
SLOW = 5.0  # seconds any case may take, with either parser, on a machine that reads the largest file faster
LARGEST_TIMES = 3  # no case may cost more than this many reads of the largest file an editor may write

# ---------------------------------------------------------------- generated cases


def _five_megabytes() -> bytes:
    """A plausible catalogue file, just grown to 5 MB."""
    entry = "- id: lecture-{i}\n  title: 第{i}讲 家庭教育与亲子沟通\n  date: 2026-12-05\n  start: 14:30\n  end: 16:00\n"
    data = "".join(entry.format(i=i) for i in range(50_000)).encode()
    return data[: 5 * 1024 * 1024]


def _largest_allowed() -> bytes:
    """A plausible lecture file just under both bounds (MAX_BYTES and MAX_NODES): what an editor may write."""
    entry = "- id: lecture-{i}\n  title: 第{i}讲 家庭教育与亲子沟通\n  date: 2026-12-05\n  start: 14:30\n  end: 16:00\n"
    entries = (MAX_NODES - 1) // 11  # a mapping, five keys and five values each
    data = "".join(entry.format(i=i) for i in range(entries)).encode()
    assert len(data) < MAX_BYTES
    return data


GENERATED: dict[str, Callable[[], bytes]] = {
    "generated/deep-flow.yaml": lambda: b"[" * 10_000,
    "generated/deep-flow-closed.yaml": lambda: b"[" * 10_000 + b"]" * 10_000,
    "generated/deep-flow-mapping.yaml": lambda: b"{a: " * 5_000 + b"b" + b"}" * 5_000,
    "generated/deep-block.yaml": lambda: "".join(" " * i + "a:\n" for i in range(100)).encode(),
    "generated/deep-dashes.yaml": lambda: b"- " * 5_000 + b"x\n",
    "generated/five-megabytes.yaml": _five_megabytes,
    "generated/too-many-values.yaml": lambda: b"- a\n" * 120_000,
    "generated/long-comment.yaml": lambda: ("- id: x\n  title: 第一讲 #" + "家" * 300_000 + "\n").encode(),
    # YAML 1.1 reads 59:59:… as a base-60 number with a quadratic regular expression.
    "generated/long-sexagesimal.yaml": lambda: ("start: " + "59:" * 300_000 + "59\n").encode(),
    "catalog/bases/huge-number.yaml": lambda: (
        "- id: big-farm\n  name: 基地\n  kind: labor\n  district: jintai\n  address: 金台区\n"
        "  capacity: 1" + "0" * 100_000 + "\n").encode(),
}

# ---------------------------------------------------------------- expectations

# (case, line, column or None, a piece of the printed problem): each file gives exactly one problem.
READ_PROBLEMS: list[tuple[str, int, int | None, str]] = [
    # duplicate keys name both lines; the YAML features editors never need are refused
    ("read/duplicate-key.yaml", 4, 3, "title: 字段重复：第 2 行已经写过“title” — 删除第 2 行或第 4 行中的一个"),
    ("read/duplicate-key-nested.yaml", 5, 5, "location.lat: 字段重复：第 3 行已经写过“lat”"),
    ("read/anchor.yaml", 2, 14, "organizer: 不支持锚点（&org）"),
    ("read/alias.yaml", 2, 14, "organizer: 不支持引用（*org）"),
    ("read/merge-key.yaml", 2, 3, "不支持合并键（<<）"),
    ("read/tag-int.yaml", 2, 13, "capacity: 不支持类型标签（!!int）"),
    ("read/tag-bare.yaml", 2, 10, "不支持类型标签（!） — 删除以 ! 开头的标签；如果它是文字的一部分，请给整个值加引号"),
    ("read/tag-python.yaml", 2, 10, "不支持类型标签（!!python/object/apply:os.system）"),
    ("read/billion-laughs.yaml", 1, 4, "不支持锚点（&a）"),
    ("read/two-documents.yaml", 3, 1, "一个文件只能有一个 YAML 文档"),
    ("read/document-end-marker.yaml", 3, 1, "文件在这里之前已经结束"),
    ("read/directive.yaml", 1, 1, "行首的“%”在 YAML 中有特殊含义（%YAML 1.3）"),
    ("read/percent-line.yaml", 3, 1, "行首的“%”在 YAML 中有特殊含义（%- id: taibai）"),
    ("read/complex-key.yaml", 2, 5, "字段名必须是一个词"),
    ("read/flow-mapping-key.yaml", 2, 3, "字段名必须是一个词"),
    # typing slips
    ("read/fullwidth-colon.yaml", 2, 5, "标题: 用了全角冒号“：” — 请改成半角冒号加空格，例如“标题: ”"),
    ("read/fullwidth-colon-last-line.yaml", 3, 12, "organizer: 用了全角冒号“：”"),
    ("read/fullwidth-colon-joined.yaml", 3, 14, "organizer: 用了全角冒号“：”"),
    ("read/fullwidth-colon-in-text-above-error.yaml", 4, 12, "title: 值里含有“: ”（冒号加空格）"),
    ("read/colon-in-value.yaml", 2, 12, "title: 值里含有“: ”（冒号加空格） — 请把这个值用引号括起来，例如 title: \"AI: 入门\""),
    ("read/cut-by-comment.yaml", 2, 14, "title: “第三讲”后面的“#家庭教育与亲子沟通”被当作注释忽略了"),
    ("read/tab-indent.yaml", 2, 1, "用了 Tab 键缩进"),
    ("read/tab-in-text.yaml", 2, 12, "这里有一个 Tab 字符"),
    ("read/unclosed-quote.yaml", 2, 10, "title: 引号没有配对"),
    ("read/windows-path.yaml", 2, 13, "photo: 双引号里的“\\”有特殊含义 — 请改用单引号括起整个值，例如 'D:\\照片\\wang.jpg'"),
    ("read/quote-then-text.yaml", 2, 14, "title: 引号后面还有文字"),
    ("read/bracket-then-text.yaml", 2, 15, "title: 以“[”开头的值会被当作列表"),
    ("read/star-start.yaml", 2, 16, "description: 以“*”开头的值必须加引号"),
    ("read/at-start.yaml", 2, 14, "organizer: 以“@”开头的值必须加引号 — “@”在 YAML 中有特殊含义，请给整个值加引号，例如 organizer: \"@市妇联\""),
    ("read/unclosed-bracket.yaml", 2, 11, "topics: “[”没有配对"),
    ("read/extra-comma.yaml", 2, 20, "topics: 列表中多了一个逗号"),
    ("read/bad-indent.yaml", 3, 2, "缩进或格式不正确"),
    ("read/missing-colon.yaml", 2, 3, "这一行缺少冒号"),
    ("read/dash-in-value.yaml", 2, 10, "title: “-”不能写在这里"),
    ("read/list-item-joined.yaml", 3, 5, "topics: 这一行的“- ”被接到了上一行的值后面"),
    # what libyaml accepts and PyYAML refuses (or the reverse) is refused with one message
    ("read/flow-question-mark.yaml", 2, 24, "programs: 方括号或花括号里的文字不能含有“?”"),
    ("read/flow-bare-colon.yaml", 2, 24, "lecturers: 冒号后面缺少内容"),
    ("read/escape-control.yaml", 2, 13, "title: 双引号里的“\\”有特殊含义"),
    ("read/block-header-comment.yaml", 2, 16, "description: 以“|”开头的值必须加引号"),
    # encodings and invisible characters
    ("bytes/gbk.bin", 2, 10, "错误: 文件不是 UTF-8 编码（看起来是 GBK），请另存为 UTF-8 — "),
    ("bytes/gbk-late.bin", 4, 14, "错误: 文件不是 UTF-8 编码（看起来是 GBK），请另存为 UTF-8 — "),
    ("bytes/latin1.bin", 2, 12, "错误: 文件不是 UTF-8 编码，请另存为 UTF-8 — "),
    ("bytes/utf16-no-bom.bin", 1, 1, "文件不是 UTF-8 编码（看起来是 UTF-16）"),
    ("bytes/utf8-bom-crlf.bin", 3, 18, "organizer: “市妇联”后面的“#宝鸡”被当作注释忽略了"),
    ("bytes/utf16-le-bom.bin", 3, 18, "organizer: “市妇联”后面的“#宝鸡”被当作注释忽略了"),
    ("bytes/crlf-duplicate.bin", 4, 3, "字段重复：第 2 行已经写过“title”"),
    ("bytes/cr-only.bin", 3, 3, "字段重复：第 2 行已经写过“title”"),
    ("bytes/control-char.bin", 2, 12, "看不见的控制字符（U+0007）"),
    ("bytes/nul-byte.bin", 2, 14, "看不见的控制字符（U+0000）"),
    ("bytes/bom-inside.bin", 3, 1, "看不见的 BOM 字符（U+FEFF）"),
    ("bytes/line-separator.bin", 2, 14, "特殊的换行符（U+2028）"),
    ("bytes/lone-surrogate-escape.bin", 2, 11, "title: 双引号里的“\\”有特殊含义"),
    # limits: each answered quickly, with a message
    ("generated/deep-flow.yaml", 1, 42, "嵌套层次过深"),
    ("generated/deep-flow-closed.yaml", 1, 42, "嵌套层次过深"),
    ("generated/deep-flow-mapping.yaml", 1, 165, "嵌套层次过深"),
    ("generated/deep-block.yaml", 42, 42, "嵌套层次过深"),
    ("generated/deep-dashes.yaml", 1, 83, "嵌套层次过深"),
    ("generated/five-megabytes.yaml", 1, 1, "文件太大（5.0 MB），一个目录文件最多 1 MB"),
    ("generated/too-many-values.yaml", 100_000, 3, "文件中的内容太多（超过 100000 项）"),
    ("generated/long-comment.yaml", 2, 14, "title: “第一讲”后面的“#家家家"),
]

# (case, path into the data, value): files that read without any problem.
READ_VALUES: list[tuple[str, tuple, Any]] = [
    ("read/plain-scalars.yaml", ("start",), "14:30"),  # not 870
    ("read/plain-scalars.yaml", ("early",), "9:05"),  # not 545
    ("read/plain-scalars.yaml", ("end",), "16:00"),  # not 960
    ("read/plain-scalars.yaml", ("answer",), "no"),  # not False
    ("read/plain-scalars.yaml", ("switch",), "off"),
    ("read/plain-scalars.yaml", ("consent",), "yes"),
    ("read/plain-scalars.yaml", ("light",), "on"),
    ("read/plain-scalars.yaml", ("postcode",), "0917"),  # not 917 (nor octal)
    ("read/plain-scalars.yaml", ("phone",), "0712345670"),
    ("read/plain-scalars.yaml", ("version",), "3.10"),  # not 3.1
    ("read/plain-scalars.yaml", ("amount",), "1e3"),  # not 1000.0
    ("read/plain-scalars.yaml", ("agent",), "007"),
    ("read/plain-scalars.yaml", ("sexagesimal",), "190:20:30"),
    ("read/plain-scalars.yaml", ("empty",), None),
    ("read/plain-scalars.yaml", ("tilde",), None),
    ("read/plain-scalars.yaml", ("quoted-null",), "null"),
    ("bytes/utf16-be-bom.bin", (0, "title"), "亲子共读"),
    ("read/legit-text.yaml", (0, "programs", 0), "项目：插花"),  # a full-width colon inside text is text
    ("read/legit-text.yaml", (0, "programs", 1), "要不要带工具?"),
    ("read/legit-text.yaml", (0, "programs", 2), "路径 D:\\照片"),
    ("read/legit-text.yaml", (0, "title"), "亲子共读"),  # written as \u4eb2\u5b50
    ("read/legit-text.yaml", (0, "description"), "第一行 # 不是注释\n第二行\n"),
    ("generated/long-sexagesimal.yaml", ("start",), "59:" * 300_000 + "59"),
]

# (case, line, column, piece of the printed problem): files loaded in a small catalogue.
CATALOG_PROBLEMS: list[tuple[str, int, int | None, str]] = [
    ("catalog/lectures/time-25.yaml", 5, 8, "end: “25:00”不是有效的时间 — 小时为 0–23，分钟为 00–59"),
    ("catalog/lectures/time-dot.yaml", 4, 10, "start: 时间“14.30”的写法不对 — 请写成 时:分（24 小时制，英文冒号），例如 14:30"),
    ("catalog/lectures/date-feb-30.yaml", 3, 9, "date: “2026-02-30”不是真实存在的日期"),
    ("catalog/lectures/date-slashes.yaml", 3, 9, "date: 日期“2026/12/5”的写法不对 — 请写成 年-月-日，例如 2026-12-05"),
    ("catalog/lectures/date-chinese.yaml", 3, 9, "date: 日期“2026年12月5日”的写法不对 — 请写成 年-月-日，例如 2026-12-05"),
    ("catalog/lectures/date-month-first.yaml", 3, 9, "12 月 5 日写作 2026-12-05"),
    ("catalog/lectures/date-day-first.yaml", 3, 9, "请写成 年-月-日，例如 2026-05-13"),
    ("catalog/lectures/empty-title.yaml", 2, 9, "title: 不能为空：“title”（标题）是必填字段 — 请在冒号后面填写标题"),
    # an empty file of lectures may be filled or deleted; the reader only says it is empty (data None)
    ("catalog/lectures/empty.yaml", 1, 1, "文件是空的 — 每个讲座以“- id: …”开头，一项接一项往下写；不用这个文件就删除它"),
    ("catalog/lectures/only-comments.yaml", 1, 1, "文件是空的"),
    ("catalog/lectures/topics-mapping.yaml", 9, 5, "topics: 这里应为列表"),
    ("catalog/lectures/file-is-mapping.yaml", 1, 1, "文件的最外层应为列表"),
    ("catalog/lectures/numeric-key.yaml", 8, 3, "没有“1”这个字段"),
    ("catalog/lectures/ids-chinese-comma.yaml", 8, 12, "多个编号要写成列表，用英文逗号分隔"),
    ("catalog/lectures/cut-by-comment.yaml", 2, 14, "title: “第三讲”后面的“#家庭教育”被当作注释忽略了"),
    ("catalog/lectures/zero-width-id.yaml", 1, 7, "id: 编号中含有看不见的字符（U+200B，在“reading”之后）"),
    ("catalog/venues/lat-nan.yaml", 7, 19, "location.lat: “.nan”不是有效的坐标数字"),
    ("catalog/venues/lat-inf.yaml", 9, 10, "location.lng: “inf”不是有效的坐标数字"),
    ("catalog/venues/lat-huge.yaml", 8, 10, "location.lat: “1e400”不是有效的坐标数字"),
    ("catalog/bases/capacity-huge.yaml", 6, 13, "capacity: “99999999999999999999999999999999999999”不是一个人数"),
    ("catalog/bases/capacity-huge.yaml", 7, 9, "ages: 年龄范围“6～15”的写法不对 — 请写成 最小-最大 周岁，例如 6-15"),
    ("catalog/bases/huge-number.yaml", 6, 13, "capacity: “1000000000000000000000000000000000000000…”不是一个人数"),
]

# (case, (table, entry id, field), value): files that load without any problem.
CATALOG_VALUES: list[tuple[str, tuple[str, str, str], Any]] = [
    ("catalog/lectures/times.yaml", ("lectures", "times-1212", "start"), clock(14, 30)),
    ("catalog/lectures/times.yaml", ("lectures", "times-1212", "end"), clock(16, 0)),
    ("catalog/lectures/times.yaml", ("lectures", "times-1212", "date"), date(2026, 12, 12)),
    ("catalog/lectures/times.yaml", ("lectures", "times-1213", "start"), clock(9, 5)),
    ("catalog/lectures/times.yaml", ("lectures", "times-1213", "end"), clock(10, 30)),  # typed １０：３０
    ("catalog/stations/yes-no-and-zeros.yaml", ("stations", "no", "id"), "no"),
    ("catalog/stations/yes-no-and-zeros.yaml", ("stations", "no", "name"), "no"),
    ("catalog/stations/yes-no-and-zeros.yaml", ("stations", "no", "street"), "off"),
    ("catalog/stations/yes-no-and-zeros.yaml", ("stations", "no", "address"), "yes"),
    ("catalog/stations/yes-no-and-zeros.yaml", ("stations", "no", "host"), "on"),
    ("catalog/stations/yes-no-and-zeros.yaml", ("stations", "no", "phone"), "0917"),
    ("catalog/stations/yes-no-and-zeros.yaml", ("stations", "no", "hours"), "3.10"),
    ("catalog/stations/yes-no-and-zeros.yaml", ("stations", "no", "description"), "1e3"),
    ("catalog/stations/yes-no-and-zeros.yaml", ("stations", "zero-phone", "name"), "007"),
    ("catalog/stations/yes-no-and-zeros.yaml", ("stations", "zero-phone", "phone"), "0712345670"),
]

WITHIN = {"read/billion-laughs.yaml": 0.5}  # seconds, where tighter than the budget

# ---------------------------------------------------------------- fixtures


@pytest.fixture(params=["libyaml", "pure"])
def parser(request, monkeypatch) -> str:
    """Run the test with libyaml's parser, then with pure-Python PyYAML's."""
    if request.param == "libyaml" and not yaml.__with_libyaml__:
        pytest.skip("PyYAML is installed without libyaml")
    monkeypatch.setenv("LVYIN_PURE_YAML", "1" if request.param == "pure" else "0")
    return request.param


@pytest.fixture(autouse=True)
def no_type_guessing(monkeypatch):
    """The reader must never ask PyYAML what a scalar "is" (14:30 → 870, and slow)."""

    def refuse(*args, **kwargs):
        raise AssertionError("the reader called PyYAML's type resolver")

    monkeypatch.setattr(yaml.resolver.BaseResolver, "resolve", refuse)


_LARGEST_READ: dict[str, float] = {}


@pytest.fixture
def budget(parser, tmp_path_factory) -> float:
    """Seconds a case may take: SLOW, or on a slower machine a few reads of the largest allowed file.

    Reading is bounded when no hostile file costs much more than the largest file an editor may
    write, read by the same parser on the same machine; a quadratic case costs thousands of times more.
    """
    if parser not in _LARGEST_READ:
        path = tmp_path_factory.mktemp("largest") / "lectures.yaml"
        path.write_bytes(_largest_allowed())
        started = time.perf_counter()
        doc = read_file(path, "largest.yaml")
        _LARGEST_READ[parser] = time.perf_counter() - started
        assert doc.problems == [] and len(doc.data) == (MAX_NODES - 1) // 11
    return max(SLOW, LARGEST_TIMES * _LARGEST_READ[parser])


def case_bytes(case: str) -> bytes:
    return GENERATED[case]() if case in GENERATED else (HOSTILE / case).read_bytes()


def read_case(case: str, tmp_path: Path) -> tuple[Any, list[Problem], float]:
    """(data or None, every problem, seconds) for one case given to the reader."""
    path = tmp_path / Path(case).name
    path.write_bytes(case_bytes(case))
    started = time.perf_counter()
    try:
        doc = read_file(path, case)
        data, problems = doc.data, doc.problems
    except ReadError as error:
        data, problems = None, error.problems
    return data, problems, time.perf_counter() - started


def load_case(case: str, make_catalog) -> tuple[Any, list[Problem], float]:
    """(catalogue or None, the case file's problems, seconds) for a case loaded in a small catalogue."""
    root = make_catalog()
    target = root / Path(case).relative_to("catalog")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(case_bytes(case))
    started = time.perf_counter()
    try:
        catalog, problems = load_catalog(root), []
    except CatalogInvalid as error:
        catalog = None
        problems = [p for p in error.problems if p.path.replace("\\", "/").endswith("/" + target.relative_to(root).as_posix())]
        others = [p for p in error.problems if p not in problems]
        assert not others, f"the case made other files fail: {others}"
    return catalog, problems, time.perf_counter() - started


def assert_editor_can_act(problem: Problem, path: str) -> None:
    """The house format: `path:line:col: 错误: <field>: <what> — <how to fix>`, in Chinese."""
    printed = str(problem)
    assert re.match(rf"{re.escape(path)}:\d+:\d+: 错误: ", printed), printed
    assert problem.hint and re.search(r"[\u4e00-\u9fff]", problem.message + problem.hint), printed
    assert len(printed) < 400, f"message too long for a terminal: {printed[:100]}…"


def matching(problems: list[Problem], line: int, column: int | None, says: str) -> list[Problem]:
    return [p for p in problems if p.line == line and column in (None, p.column) and says in str(p)]


# ---------------------------------------------------------------- the corpus


@pytest.mark.parametrize("case, line, column, says", READ_PROBLEMS, ids=[row[0] for row in READ_PROBLEMS])
def test_reader_names_the_problem(case, line, column, says, parser, budget, tmp_path):
    data, problems, seconds = read_case(case, tmp_path)
    assert len(problems) == 1 and matching(problems, line, column, says), [str(p) for p in problems]
    assert_editor_can_act(problems[0], case)
    assert seconds < WITHIN.get(case, budget)


@pytest.mark.parametrize("case, loc, value", READ_VALUES, ids=[f"{row[0]}:{row[1]}" for row in READ_VALUES])
def test_reader_keeps_what_was_typed(case, loc, value, parser, budget, tmp_path):
    data, problems, seconds = read_case(case, tmp_path)
    assert problems == []
    for part in loc:
        data = data[part]
    assert data == value
    assert seconds < budget


@pytest.mark.parametrize("case, title_line", [("bytes/utf8-bom-crlf.bin", 2), ("bytes/utf16-le-bom.bin", 2),
                                               ("bytes/crlf-duplicate.bin", 4), ("bytes/cr-only.bin", 3)])
def test_bom_and_line_ends_leave_no_trace(case, title_line, parser, tmp_path):
    """Windows files read like any other: no BOM or CR in values, positions as the editor counts lines."""
    path = tmp_path / "case.yaml"
    path.write_bytes(case_bytes(case))
    doc = read_file(path, case)  # these files have a non-fatal problem each, checked above
    assert doc.data[0]["id"] == "reading-1212"
    assert "\r" not in repr(doc.data) and "\ufeff" not in repr(doc.data)
    assert (doc.values[(0, "id")], doc.values[(0, "title")]) == (Position(1, 7), Position(title_line, 10))


@pytest.mark.parametrize("case, line, column, says", CATALOG_PROBLEMS, ids=[f"{r[0]}:{r[1]}" for r in CATALOG_PROBLEMS])
def test_catalogue_names_the_problem(case, line, column, says, parser, budget, make_catalog):
    _, problems, seconds = load_case(case, make_catalog)
    expected = sum(1 for row in CATALOG_PROBLEMS if row[0] == case)
    assert len(problems) == expected and matching(problems, line, column, says), [str(p) for p in problems]
    for problem in problems:
        assert_editor_can_act(problem, problem.path)
    assert seconds < budget


@pytest.mark.parametrize("case, where, value", CATALOG_VALUES, ids=[f"{r[0]}:{r[1][1]}.{r[1][2]}" for r in CATALOG_VALUES])
def test_catalogue_keeps_what_was_typed(case, where, value, parser, make_catalog):
    catalog, problems, _ = load_case(case, make_catalog)
    assert problems == [] and catalog is not None
    table, entry, field_name = where
    assert getattr(getattr(catalog, table)[entry], field_name) == value


# ---------------------------------------------------------------- libyaml and PyYAML agree

READ_CASES = sorted({row[0] for row in READ_PROBLEMS + READ_VALUES})
CATALOG_CASES = sorted({row[0] for row in CATALOG_PROBLEMS + CATALOG_VALUES})


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML is installed without libyaml")
@pytest.mark.parametrize("case", READ_CASES + CATALOG_CASES)
def test_both_parsers_give_the_same_answer(case, monkeypatch, tmp_path, make_catalog):
    answers = []
    for pure in ("0", "1"):
        monkeypatch.setenv("LVYIN_PURE_YAML", pure)
        if case.startswith("catalog/"):
            catalog, problems, _ = load_case(case, make_catalog)
            answers.append(([str(p) for p in problems], catalog is None))
        else:
            data, problems, _ = read_case(case, tmp_path)
            answers.append(([str(p) for p in problems], data))
    assert answers[0] == answers[1]


_PIECES = ["- ", "id", ": ", "标题", "亲子", "\n", "\n  ", "\n    ", "#", " #", "\"", "'", "[", "]", "{", "}", ", ",
           "：", "14:30", "no", "*", "&", "!", "|", ">", "@", "`", "%", "\\", "?", "...", "---", "~", "\\u", "\r\n", "\t"]


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML is installed without libyaml")
def test_random_junk_never_escapes_as_a_traceback(monkeypatch):
    """Seeded junk: always a Document or a ReadError, and both parsers accept and refuse alike.

    (Where one input holds several syntax errors, the two parsers may notice a
    different one first; the corpus above pins the messages of real mistakes.)
    """
    rng = random.Random(20261205)
    for _ in range(400):
        text = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 25)))
        answers = []
        for pure in ("0", "1"):
            monkeypatch.setenv("LVYIN_PURE_YAML", pure)
            try:
                answers.append(("read", read_text(text, "junk.yaml").data))
            except ReadError as error:
                assert error.problems, text
                answers.append(("refused", None))
        assert answers[0] == answers[1], repr(text)


# ---------------------------------------------------------------- the corpus itself


def test_every_corpus_file_has_an_expectation():
    stored = {p.relative_to(HOSTILE).as_posix() for p in HOSTILE.rglob("*") if p.is_file()}
    stored = {name for name in stored if not name.startswith("cases/")}  # whole pull requests: tests/cli/test_hostile_cases.py
    stored -= {"README.md", ".gitattributes"}
    covered = set(READ_CASES) | set(CATALOG_CASES)
    assert stored - covered == set(), "add a row to a table in tests/source/test_reader.py"
    assert {c for c in covered if c not in GENERATED} <= stored, "a row names a file that does not exist"
    assert set(GENERATED) <= covered


def test_corpus_is_large_enough():
    rows = READ_PROBLEMS + READ_VALUES + CATALOG_PROBLEMS + CATALOG_VALUES
    assert len(rows) >= 45


def test_size_limit_is_checked_before_reading(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(ReadError) as info:
        read_file(path, "big.yaml")
    assert "文件太大" in str(info.value)
