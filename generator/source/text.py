"""Bytes → text (encodings, sizes), positions in the text, and the characters refused before parsing."""

from __future__ import annotations

import bisect
import re
from typing import Any

import yaml
import yaml.cyaml  # noqa: F401  (absent without libyaml; guarded by __with_libyaml__)
from yaml.error import Mark

from generator.errors import LvyinError, Problem, shown

Loc = tuple[Any, ...]


# A year of lectures is a few hundred KB; pure-Python PyYAML reads 1 MB in about 2 s.
MAX_BYTES = 1024 * 1024


MAX_CHARACTER_PROBLEMS = 20


class ReadError(LvyinError):
    """A file that cannot be read or parsed, with every problem found in it."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))

    def report(self) -> str:
        return str(self)


_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


_BYTE_BREAK = re.compile(rb"\r\n|\r|\n")


_CJK = re.compile(r"[\u4e00-\u9fff]")


def decode(raw: bytes, path: str) -> str:
    """Bytes → text; a file that is not UTF-8 gets an error at its first bad byte.

    UTF-8 with or without BOM is the format.  UTF-16 and UTF-32 files *with* a BOM
    (what Windows Notepad calls "Unicode") are read too: the BOM says exactly how
    to decode them, so nothing is guessed.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    elif raw.startswith(_UTF32_BOMS + _UTF16_BOMS):
        codec = "UTF-32" if raw.startswith(_UTF32_BOMS) else "UTF-16"
        try:
            return raw.decode(codec)
        except UnicodeDecodeError:
            raise ReadError([Problem(path, 1, 1, "", f"文件以 {codec} 标记开头，但内容无法按 {codec} 读取",
                                     "请用编辑器另存为 UTF-8 编码")]) from None
    nul = raw.count(b"\x00")
    if nul and nul * 10 >= len(raw):  # UTF-16 without a BOM: ASCII characters carry a zero byte
        raise ReadError([_not_utf8(path, 1, 1, "UTF-16")])
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        breaks = list(_BYTE_BREAK.finditer(before))
        line_start = breaks[-1].end() if breaks else 0
        column = len(before[line_start:].decode("utf-8", "replace")) + 1
        raise ReadError([_not_utf8(path, len(breaks) + 1, column, _guess_legacy_encoding(raw))]) from None


def _guess_legacy_encoding(raw: bytes) -> str:
    """"GBK" when the bytes read as Chinese in GBK/GB18030 (what Chinese Windows saves), else ""."""
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return ""
    return "GBK" if _CJK.search(text) else ""


def _not_utf8(path: str, line: int, column: int, looks: str) -> Problem:
    looks = f"（看起来是 {looks}）" if looks else ""
    return Problem(path, line, column, "", f"文件不是 UTF-8 编码{looks}，请另存为 UTF-8",
                   "在记事本或 VS Code 中选择“另存为”，编码选 UTF-8")


def _too_big(path: str, size: int) -> ReadError:
    return ReadError([Problem(path, 1, 1, "", f"文件太大（{size / 1048576:.1f} MB），一个目录文件最多 {MAX_BYTES // 1048576} MB",
                              "请拆分成几个文件，例如讲座按月份写成 lectures/2026-12.yaml、lectures/2027-01.yaml")])


_BREAK = re.compile(r"\r\n|\r|\n")  # YAML's line breaks, once U+0085/2028/2029 are refused


class _Source:
    """The text with its line starts, to turn marks into offsets and back."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [m.end() for m in _BREAK.finditer(text)]

    def offset(self, line: int, column: int) -> int:
        """0-based line and column (as in a PyYAML mark) → index into the text."""
        if line >= len(self.starts):
            return len(self.text)
        offset = self.starts[line] + column
        return offset if offset < len(self.text) else len(self.text)

    def where(self, offset: int) -> tuple[int, int]:
        """Index into the text → 0-based line and column."""
        line = bisect.bisect_right(self.starts, offset) - 1
        return line, offset - self.starts[line]

    def clamp(self, mark: Mark) -> tuple[int, int]:
        """A mark as (line, column) inside the text: libyaml marks the end of a file
        without a final line break on a line after it, PyYAML at its last character."""
        return self.where(self.offset(mark.line, mark.column))

    def line(self, number: int) -> str:
        """The 0-based line `number` without its line break ("" past the end)."""
        if not 0 <= number < len(self.starts):
            return ""
        end = self.starts[number + 1] if number + 1 < len(self.starts) else len(self.text)
        return self.text[self.starts[number] : end].rstrip("\r\n")

    def char(self, line: int, column: int) -> str:
        offset = self.offset(line, column)
        return self.text[offset] if offset < len(self.text) else ""


# Everything YAML allows, minus what the two parsers treat differently or an editor
# cannot see: tabs, a BOM inside the text, and the Unicode line separators (U+0085,
# U+2028, U+2029) that YAML counts as line breaks but editors do not.
_UNWANTED = re.compile("[^\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")


def _character_problems(source: _Source, path: str) -> list[Problem]:
    """The first unwanted character of each line (on at most MAX_CHARACTER_PROBLEMS lines)."""
    problems: list[Problem] = []
    last_line = -1
    for found in _UNWANTED.finditer(source.text):
        line, column = source.where(found.start())
        if line == last_line:
            continue
        last_line = line
        message, hint = _character_message(found.group(), source.line(line)[:column])
        problems.append(Problem(path, line + 1, column + 1, "", message, hint))
        if len(problems) >= MAX_CHARACTER_PROBLEMS:
            break
    return problems


def _character_message(char: str, before: str) -> tuple[str, str]:
    code = f"U+{ord(char):04X}"
    if char == "\t" and not before.strip(" \t"):
        return "用了 Tab 键缩进", "YAML 只能用空格缩进，请把 Tab 换成空格（VS Code 可用命令“将缩进转换为空格”）"
    if char == "\t":
        return "这里有一个 Tab 字符", "请把 Tab 换成空格"
    if char == "\ufeff":
        return f"这里有一个看不见的 BOM 字符（{code}），常见于把几个文件拼在一起", "请删除它：把光标放在这里，按一次 Delete 键"
    if char in "\x85\u2028\u2029":
        return f"这里有一个特殊的换行符（{code}），编辑器里看不出来", "请删除它后重新按回车换行"
    return f"这里有一个看不见的控制字符（{code}）", "请删除它（常见于从网页、Word 或微信复制的文字）"


def _directive_problems(source: _Source, path: str) -> list[Problem]:
    """A line starting with `%`: a `%YAML`/`%TAG` directive (libyaml and PyYAML accept
    different ones, editors need none) or a stray key press, which they read differently."""
    for number, start in enumerate(source.starts):
        if source.text.startswith("%", start):
            return [Problem(path, number + 1, 1, "", f"行首的“%”在 YAML 中有特殊含义（{shown(source.line(number))}）",
                            "如果是 %YAML 之类的指令，请删除这一行；如果是多打的，请删除“%”；如果是文字，请给整个值加引号")]
    return []
