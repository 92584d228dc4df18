"""YAML syntax errors of either parser, recognised by what went wrong, as one Chinese message."""

from __future__ import annotations

import re

import yaml
import yaml.cyaml  # noqa: F401  (absent without libyaml; guarded by __with_libyaml__)

from generator.errors import Problem, shown
from generator.source.text import _Source


def _too_deep(path: str, line: int, column: int) -> Problem:
    return Problem(path, line, column, "", "嵌套层次过深", "目录文件最多只需要三四层缩进或括号，请检查缩进和括号是否配对")


_TAG_TYPED = re.compile(r"!\S*")


# A field name typed with a full-width colon: ASCII words, or a few Chinese characters.
_FULLWIDTH_KEY = re.compile(r"\s*(?:-\s+)?([A-Za-z_][A-Za-z0-9_]*|[\u4e00-\u9fff]{1,8})\s*：")


_KEY = re.compile(r"\s*(?:-\s+)?([^\s:#'\"\[\]{},-][^:#]*?):(?:\s|$)")


_MARKER = re.compile(r"(?:---|\.\.\.)(?:\s|$)")


_FIX_INDENT = "同一层的字段必须左对齐；列表中的每一项以“- ”开头；字段写成“字段名: 值”（冒号后有空格）"


def _syntax_problem(exc: yaml.MarkedYAMLError, text: str, path: str) -> Problem:
    """Turn PyYAML's (or libyaml's) English error into one Chinese message.

    The two parsers word the same mistake differently ("mapping values are not
    allowed here" / "... in this context") and sometimes mark different places,
    so each case is recognised by a phrase both share and placed where both
    agree: the start of what was being read, or a character found in the text.
    """
    source = _Source(text)
    problem, context = (exc.problem or "").lower(), (exc.context or "").lower()
    if exc.problem_mark is None and exc.context_mark is None:  # pragma: no cover - both always mark
        return Problem(path, 1, 1, "", "YAML 格式不正确", "请检查缩进、冒号和引号")
    line_no, column = source.clamp(exc.problem_mark or exc.context_mark)
    start_line, start_column = source.clamp(exc.context_mark or exc.problem_mark)
    line, char = source.line(line_no), source.char(line_no, column)
    key = _key_of(line)

    def at(where: tuple[int, int], message: str, hint: str, name: str = "") -> Problem:
        return Problem(path, where[0] + 1, where[1] + 1, name, message, hint)

    # A key typed with "：" runs into the next line, so the error can show one line late.
    above = line_no if ": " in line[:column] else line_no - 1
    fullwidth = _fullwidth_near(source, path, min(start_line, above), line_no)
    if fullwidth:
        return fullwidth
    if "nesting depth" in problem:
        return _too_deep(path, line_no + 1, column + 1)
    if "mapping values" in problem:
        if ": " in line[:column]:
            return at((line_no, column), "值里含有“: ”（冒号加空格）",
                      f"请把这个值用引号括起来，例如 {key or '字段名'}: \"{shown(_value_of(line))}\"", key)
        return at((line_no, column), "缩进或格式不正确", _FIX_INDENT + "；也请检查上一行是否漏写了冒号")
    if "sequence entries" in problem or "mapping keys" in problem:
        return at((line_no, column), f"“{char}”不能写在这里",
                  f"列表的每一项要另起一行，以“- ”开头；如果“{char}”是文字的一部分，请给整个值加引号", key)
    if "could not find expected ':'" in problem:
        return at((start_line, start_column), "这一行缺少冒号",
                  "请写成“字段名: 值”（半角冒号后加空格）；如果这一行接着上一行的文字，请检查缩进",
                  _key_of(source.line(start_line)))
    if "end of stream" in problem and "quoted" in context:
        return at((start_line, start_column), "引号没有配对", "请补上结尾的引号", _key_of(source.line(start_line)))
    if _MARKER.match(line) and column == 0:
        return at((line_no, 0), f"“{line[:3]}”是文档分隔线，不能写在这里", "一个文件只能有一个文档，请删除这一行")
    if "node content" in problem and "flow" in context and char == ",":
        return at((line_no, column), "列表中多了一个逗号", "请删除多余的逗号；各项之间只写一个英文逗号", key)
    if "a tag" in context or "tag handle" in problem:
        return _tag_problem(path, source, start_line, start_column, key)
    special = _special_start(problem, context, char, (line_no, column), (start_line, start_column))
    if special:
        return _needs_quotes(path, source, *special)
    if "escape" in problem or "hexdecimal" in problem or "hexadecimal" in problem:
        return _escape_problem(path, source, line_no, max(line.rfind("\\", 0, column + 1), 0), key)
    if "document" in problem:
        return at((line_no, column), "文件在这里之前已经结束（上面有“---”或“...”分隔行）",
                  "一个文件只能有一个文档，请删除多余的“---”或“...”行")
    if "unexpected ':'" in problem:
        return _bare_colon_problem(path, source, line_no, column)
    if ("',' or ']'" in problem or "',' or '}'" in problem) and char == "?":
        return _flow_question_problem(path, source, line_no, column)
    if "',' or ']'" in problem or "',' or '}'" in problem:  # an unclosed or malformed [ ] or { }
        bracket = source.char(start_line, start_column)
        return at((start_line, start_column), f"“{bracket}”没有配对，或其中的写法不对",
                  f"列表写成 [甲, 乙]（英文逗号分隔，括号配对）；如果“{bracket}”是文字的一部分，请给整个值加引号",
                  _key_of(source.line(start_line)))
    if source.offset(line_no, column) >= len(text):
        return _unexpected_end(path, source)
    return _structure_problem(path, source, line_no, column, key)


def _fullwidth_problem(path: str, number: int, line: str, name: str) -> Problem:
    return Problem(path, number + 1, line.index("：") + 1, name,
                   "用了全角冒号“：”", f"请改成半角冒号加空格，例如“{name}: ”")


def _fullwidth_near(source: _Source, path: str, first: int, last: int) -> Problem | None:
    """A full-width colon after a field name, on the error's line, the line above it,
    or where the parser started reading what failed (nearest to the error first)."""
    for number in range(last, max(first, 0) - 1, -1):
        found = _FULLWIDTH_KEY.match(source.line(number))
        if found:
            return _fullwidth_problem(path, number, source.line(number), found.group(1))
    return None


def _key_of(line: str) -> str:
    found = _KEY.match(line)
    return found.group(1).strip() if found else ""


def _value_of(line: str) -> str:
    """The text after `key: ` (or `- `) on a line."""
    found = _KEY.match(line)
    rest = line[found.end() :] if found else line.lstrip(" -")
    return rest.strip()


def _special_start(problem: str, context: str, char: str, mark: tuple[int, int], start: tuple[int, int]) -> tuple[int, int] | None:
    """Where a value starts with a character YAML reserves (* & ! | > @ ` % ] }), if it does."""
    if any(f"{kind} {reader}" in context for kind in ("scanning", "parsing")
           for reader in ("an alias", "an anchor", "a block scalar")):
        return start
    if "cannot start any token" in problem:
        return mark
    if "node content" in problem and char and char in "]},":
        return mark
    return None


def _bare_colon_problem(path: str, source: _Source, line_no: int, column: int) -> Problem:
    return Problem(path, line_no + 1, column + 1, _key_of(source.line(line_no)), "冒号后面缺少内容",
                   "如果冒号是文字的一部分，请给这一项加引号，例如 [\"备注:\", 其他]；否则请删除这个冒号")


def _flow_question_problem(path: str, source: _Source, line_no: int, column: int) -> Problem:
    return Problem(path, line_no + 1, column + 1, _key_of(source.line(line_no)), "方括号或花括号里的文字不能含有“?”",
                   "请给含有“?”的这一项加引号，例如 [\"要不要报名?\", 其他]，或改用中文问号“？”")


def _tag_problem(path: str, source: _Source, line_no: int, column: int, name: str) -> Problem:
    """`!!int 60`, `! 重要通知`: YAML type tags, which both parsers read differently."""
    typed = _TAG_TYPED.match(source.text, source.offset(line_no, column))
    return Problem(path, line_no + 1, column + 1, name, f"不支持类型标签（{shown(typed.group() if typed else '!')}）",
                   "删除以 ! 开头的标签；如果它是文字的一部分，请给整个值加引号")


def _needs_quotes(path: str, source: _Source, line_no: int, column: int) -> Problem:
    line = source.line(line_no)
    char, key = source.char(line_no, column), _key_of(line)
    value = shown(line[column:].strip())
    example = f"{key}: \"{value}\"" if key else f"\"{value}\""
    return Problem(path, line_no + 1, column + 1, key, f"以“{char}”开头的值必须加引号",
                   f"“{char}”在 YAML 中有特殊含义，请给整个值加引号，例如 {example}")


def _escape_problem(path: str, source: _Source, line_no: int, column: int, name: str) -> Problem:
    """A backslash in double quotes that YAML read as an escape: Windows paths, mostly."""
    value = _value_of(source.line(line_no))
    quoted = len(value) > 1 and value[0] == value[-1] == '"' and "'" not in value
    example = f"'{value[1:-1]}'" if quoted else "'D:\\照片\\1.jpg'"
    return Problem(path, line_no + 1, column + 1, name, "双引号里的“\\”有特殊含义",
                   f"请改用单引号括起整个值，例如 {shown(example)}，或把“\\”改成“/”")


def _unexpected_end(path: str, source: _Source) -> Problem:
    """The file ended inside something: placed after its last character, where both parsers agree."""
    line_no, column = source.where(len(source.text.rstrip()))
    return Problem(path, line_no + 1, column + 1, "", "文件在这里意外结束", "请检查前面的“[”“{”和引号是否都已配对")


def _structure_problem(path: str, source: _Source, line_no: int, column: int, key: str) -> Problem:
    """Something unexpected where a new field or list item should start."""
    line = source.line(line_no)
    before, value = line[:column].rstrip(), _value_of(line)
    after_key = bool(key) or line.lstrip().startswith("- ")
    if after_key and before.endswith(("\"", "'")) and value.startswith(("\"", "'")):
        chinese = re.sub(r"([\"'])(.*?)\1", r"“\2”", value, count=1)
        return Problem(path, line_no + 1, column + 1, key, "引号后面还有文字（引号只能括住整个值）",
                       f"请改用中文引号，例如 {key or '字段名'}: {shown(chinese)}；或把整个值再用另一种引号括起来")
    if after_key and before.endswith(("]", "}")) and value.startswith(("[", "{")):
        return Problem(path, line_no + 1, column + 1, key, f"以“{value[0]}”开头的值会被当作列表",
                       f"如果这是一段文字，请给整个值加引号，例如 {key or '字段名'}: \"{shown(value)}\"")
    return Problem(path, line_no + 1, column + 1, "", "缩进或格式不正确", _FIX_INDENT)
