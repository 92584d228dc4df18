"""A strict YAML reader that keeps every value as the editor typed it.

PyYAML's usual loaders guess types ("14:30" becomes 870, "0917" becomes 917,
"no" becomes False) and forget where values came from.  This reader walks the
parser's *events* itself: every scalar stays text (the models decide what a
field means), every key and value keeps its `line:column`, and the YAML
features editors never need and that hide mistakes (anchors, aliases, merge
keys, tags, directives, several documents, duplicate keys) are errors.

The implicit type resolver is never called, so its quadratic regular
expressions cannot be triggered.  Events come from libyaml when it is
installed (LVYIN_PURE_YAML=1 selects pure-Python PyYAML instead).  The two
parsers disagree on a few inputs (tabs, directives, some escapes, very deep
nesting) and word their errors differently, so the text is checked before
parsing, a few things libyaml accepts are refused after it, and every syntax
error is recognised by what went wrong rather than by its English wording:
editors get the same Chinese message at the same place either way.

Reading is bounded: a file over `MAX_BYTES`, with more than `MAX_NODES` values
or more than `MAX_DEPTH` levels of nesting is refused with a message, so no
input makes a build hang or end in a traceback.
"""

from __future__ import annotations

import bisect
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml.cyaml  # noqa: F401  (absent without libyaml; guarded by __with_libyaml__)
from yaml import events as ev

from .folders import refusal
from .privacy import redact
from .problems import Position, Problem, field_label, shown

Loc = tuple[Any, ...]

# A year of lectures is a few hundred KB; pure-Python PyYAML reads 1 MB in about 2 s.
MAX_BYTES = 1024 * 1024
MAX_NODES = 100_000
MAX_DEPTH = 40
NULL_WORDS = {"", "~", "null", "Null", "NULL"}
MAX_CHARACTER_PROBLEMS = 20


@dataclass
class Document:
    """One YAML file: plain data (dicts, lists, str, None) plus positions."""

    path: str
    data: Any
    values: dict[Loc, Position] = field(default_factory=dict)
    keys: dict[Loc, Position] = field(default_factory=dict)
    # Problems that do not stop the file being read (its entries are still checked).
    problems: list[Problem] = field(default_factory=list)
    # Set when data and positions were left behind (see `travel_light`): the file to read them from.
    reread: Path | None = None

    def travel_light(self, path: Path) -> None:
        """Drop the data and the positions, which are most of a document, before it goes to another
        process; `position` reads them from `path` again if a message needs one."""
        self.data, self.values, self.keys, self.reread = None, {}, {}, path

    def position(self, loc: Loc, *, key: bool = False) -> Position:
        """Where `loc` is; falls back to the nearest enclosing value."""
        if self.reread is not None:
            again = read_file(self.reread, self.path)
            self.data, self.values, self.keys, self.reread = again.data, again.values, again.keys, None
        loc = tuple(loc)
        while loc:
            table = self.keys if key else self.values
            if loc in table:
                return table[loc]
            if loc in self.values:
                return self.values[loc]
            loc = loc[:-1]
        return self.values.get((), Position(1, 1))

    def problem(self, loc: Loc, field: str, message: str, hint: str = "", *, key: bool = False) -> Problem:
        pos = self.position(loc, key=key)
        return Problem(self.path, pos.line, pos.column, field, message, hint)


class ReadError(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def _use_libyaml() -> bool:
    return yaml.__with_libyaml__ and os.environ.get("LVYIN_PURE_YAML") != "1"


class _PureParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    def __init__(self, text: str):
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)

    # PyYAML lets `chr()` fail on an escape past U+10FFFF ("\U00110000") with a bare
    # ValueError; raise the ScannerError libyaml raises for the same escape instead.
    def check_event(self, *choices):
        return self._scanning(yaml.parser.Parser.check_event, *choices)

    def peek_event(self):
        return self._scanning(yaml.parser.Parser.peek_event)

    def get_event(self):
        return self._scanning(yaml.parser.Parser.get_event)

    def _scanning(self, method, *args):
        try:
            return method(self, *args)
        except ValueError:
            raise yaml.scanner.ScannerError("while parsing a quoted scalar", None,
                                            "found invalid Unicode character escape code", self.get_mark()) from None


def _parser(text: str):
    return yaml.cyaml.CParser(text) if _use_libyaml() else _PureParser(text)



def _label(loc: Loc) -> str:
    """The field path as messages name it: relative to its entry when the file is a list."""
    return field_label(loc[1:] if loc and isinstance(loc[0], int) else loc)


# ---------------------------------------------------------------- bytes → text

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


# ---------------------------------------------------------------- positions

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

    def clamp(self, mark) -> tuple[int, int]:
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


# ---------------------------------------------------------------- checks before parsing

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


# ---------------------------------------------------------------- reading


def read_file(path: Path, display: str | None = None, within: Path | None = None) -> Document:
    """One YAML file; `within`: the folder it belongs to (a link out of it is named so)."""
    display = display or str(path)
    return read_text(decode(read_bytes(path, display, within, MAX_BYTES), display), display)


def read_bytes(path: Path, display: str, within: Path | None = None, limit: int | None = None) -> bytes:
    """The bytes of a file an editor wrote: never through a link, never from a pipe or device.

    `folders.refusal` looks first, without opening anything; the file is then opened without
    following a link and without waiting for a writer, and looked at again, in case it was
    swapped in between.
    """
    refused = refusal(path, display, within)
    if refused:
        raise ReadError([refused])
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        raise ReadError([refusal(path, display, within) or Problem(display, 1, 1, "", "无法读取这个文件", "请检查文件是否存在")]) from None
    with os.fdopen(handle, "rb") as file:
        status = os.fstat(file.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise ReadError([refusal(path, display, within) or Problem(display, 1, 1, "", "这不是普通文件，不能读取", "请删除它")])
        if limit is not None and status.st_size > limit:
            raise _too_big(display, status.st_size)
        return file.read()


def read_text(text: str, path: str) -> Document:
    """Parse one YAML document; raise `ReadError` with every problem found.

    No message quotes what is written in a `private` block (see `privacy.redact`).
    """
    try:
        doc = _read_text(text, path)
    except ReadError as error:
        raise ReadError(redact(error.problems, text)) from None
    doc.problems = redact(doc.problems, text)
    return doc


def _read_text(text: str, path: str) -> Document:
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_BYTES:
        raise _too_big(path, size)
    if text.startswith("\ufeff"):
        text = text[1:]
    source = _Source(text)
    problems = _character_problems(source, path) or _directive_problems(source, path)
    if problems:
        raise ReadError(problems)
    doc = Document(path=path, data=None)
    try:
        _compose(source, doc)
    except RecursionError:  # pragma: no cover - MAX_DEPTH keeps the composer shallow
        raise ReadError([_too_deep(path, 1, 1)]) from None
    return doc


def _compose(source: _Source, doc: Document, *, retried: bool = False) -> None:
    """Run the composer over `source`, turning every failure into a `ReadError`."""
    try:
        _Composer(_parser(source.text), doc, source).run()
    except _Stop as stop:
        raise ReadError(stop.problems) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if mark is not None and "maximum nesting depth" in (exc.problem or "") and not retried:
            # libyaml refuses a 1000th level while looking ahead, before the composer
            # reaches MAX_DEPTH.  Composing only the text before that point stops at
            # the node that is too deep, exactly where the pure parser stops.
            prefix = _Source(source.text[: source.offset(mark.line, mark.column)])
            _compose(prefix, Document(path=doc.path, data=None), retried=True)
            raise ReadError([_too_deep(doc.path, mark.line + 1, mark.column + 1)]) from None  # pragma: no cover
        raise ReadError([_syntax_problem(exc, source.text, doc.path)]) from None
    except yaml.YAMLError as exc:  # pragma: no cover - the character check runs first
        raise ReadError([Problem(doc.path, 1, 1, "", "文件中有无法识别的字符", f"请另存为 UTF-8 后再试（{exc}）")]) from None


def _too_deep(path: str, line: int, column: int) -> Problem:
    return Problem(path, line, column, "", "嵌套层次过深", "目录文件最多只需要三四层缩进或括号，请检查缩进和括号是否配对")


class _Stop(Exception):
    def __init__(self, problems: list[Problem]):
        self.problems = problems


# ---------------------------------------------------------------- events → data

_COMMENT_AFTER = re.compile(r" +(#[^\r\n]*)")
_ASCII_KEY_FULLWIDTH = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*：")
_ITEM = re.compile(r"\s*- ")
_TAG_TYPED = re.compile(r"!\S*")
_BARE_COLON = re.compile(r" *:(?=[,\]}])")
# A block scalar header as PyYAML reads it: `|` or `>`, indicators, then a space or the line end.
_BLOCK_HEADER = re.compile(r"[|>](?:[-+][1-9]?|[1-9][-+]?)?(?=[ \r\n]|$)")
# What a double-quoted value may hold once its escapes are decoded (tabs and line breaks are fine).
_UNWANTED_IN_VALUE = re.compile("[^\t\n\r\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
_ESCAPE = re.compile(r"\\(x[0-9A-Fa-f]{2}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_SHORT_ESCAPES = {"0": "\0", "a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "v": "\v", "N": "\x85", "L": "\u2028", "P": "\u2029"}


def _unescape(escape: str) -> str:
    """The character a double-quoted escape (without its backslash) stands for."""
    if len(escape) > 1:
        code = int(escape[1:], 16)
        return chr(code) if code <= 0x10FFFF else "\0"
    return _SHORT_ESCAPES.get(escape, escape)


class _Composer:
    """Builds plain data from parser events, recording positions."""

    def __init__(self, parser, doc: Document, source: _Source):
        self.parser = parser
        self.doc = doc
        self.source = source
        self.problems: list[Problem] = []
        self.nodes = 0
        self.flow = 0  # how many [ ] or { } the current node is inside

    def _fail(self, mark, message: str, hint: str = "", field: str = "") -> None:
        raise _Stop([Problem(self.doc.path, mark.line + 1, mark.column + 1, field, message, hint)])

    def run(self) -> None:
        p = self.parser
        p.get_event()  # StreamStart
        if p.check_event(ev.StreamEndEvent):
            return  # empty: whether it may be is for the reader of the file to say (data None)
        p.get_event()  # DocumentStart (directives were refused before parsing)
        self.doc.data = self._node((), 0)
        p.get_event()  # DocumentEnd
        if not p.check_event(ev.StreamEndEvent):
            self._fail(p.peek_event().start_mark, "一个文件只能有一个 YAML 文档",
                       "删除“---”分隔线及其后的第二部分，或把它移到另一个文件")
        self.doc.problems.extend(self.problems)

    def _check_node(self, event, loc: Loc) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            self._fail(event.start_mark, f"文件中的内容太多（超过 {MAX_NODES} 项）", "请拆分成几个文件")
        quote = "；如果它是文字的一部分，请给整个值加引号"
        if isinstance(event, ev.AliasEvent):
            self._fail(event.start_mark, f"不支持引用（*{shown(event.anchor)}）",
                       "请把内容直接写出来，不要使用 & 和 * 引用" + quote, _label(loc))
        if event.anchor is not None:
            self._fail(event.start_mark, f"不支持锚点（&{shown(event.anchor)}）",
                       "请把内容直接写出来，不要使用 & 和 * 引用" + quote, _label(loc))
        if event.tag is not None:  # named like the syntax errors of malformed tags, which only one parser raises
            line, column = event.start_mark.line, event.start_mark.column
            raise _Stop([_tag_problem(self.doc.path, self.source, line, column, _key_of(self.source.line(line)))])

    def _node(self, loc: Loc, depth: int) -> Any:
        event = self.parser.get_event()
        self._check_node(event, loc)
        if depth > MAX_DEPTH:
            raise _Stop([_too_deep(self.doc.path, event.start_mark.line + 1, event.start_mark.column + 1)])
        self.doc.values[loc] = Position(event.start_mark.line + 1, event.start_mark.column + 1)
        if isinstance(event, ev.ScalarEvent):
            return self._scalar(event, loc)
        self.flow += bool(event.flow_style)
        if isinstance(event, ev.SequenceStartEvent):
            items = []
            while not self.parser.check_event(ev.SequenceEndEvent):
                items.append(self._node(loc + (len(items),), depth + 1))
            self.parser.get_event()
            result: Any = items
        else:
            result = self._mapping(loc, depth)
        self.flow -= bool(event.flow_style)
        return result

    def _scalar(self, event, loc: Loc) -> str | None:
        self._check_text(event)
        if event.style in ("|", ">"):
            self._check_block_header(event)
        if not event.style:  # plain (None in PyYAML, "" in libyaml): typed without quotes
            self._check_cut_comment(event, loc)
            self._check_continuation(event, loc)
            if event.value in NULL_WORDS:
                return None
        return event.value

    def _check_text(self, event) -> None:
        """For keys and values alike: text libyaml and PyYAML would read differently."""
        if event.style == '"' and _UNWANTED_IN_VALUE.search(event.value):
            self._fail_escape(event)
        if self.flow and not event.style:
            self._check_flow_question_mark(event)

    def _fail_escape(self, event) -> None:
        """An escape such as "\\x07" or "\\ud800" wrote a character no page may hold.

        libyaml refuses surrogate escapes itself, with a syntax error at the
        backslash; the same message at the same backslash is given here.
        """
        start = self.source.offset(event.start_mark.line, event.start_mark.column)
        end = self.source.offset(event.end_mark.line, event.end_mark.column)
        line, column = event.start_mark.line, event.start_mark.column
        for found in _ESCAPE.finditer(self.source.text, start, end):
            if _UNWANTED_IN_VALUE.search(_unescape(found.group(1))):
                line, column = self.source.where(found.start())
                break
        # Named from the line, as the syntax error libyaml raises for the same escape is.
        raise _Stop([_escape_problem(self.doc.path, self.source, line, column, _key_of(self.source.line(line)))])

    def _check_flow_question_mark(self, event) -> None:
        """libyaml reads `[a?b]` as the text "a?b"; PyYAML ends the text at "?" and fails."""
        start = self.source.offset(event.start_mark.line, event.start_mark.column)
        end = self.source.offset(event.end_mark.line, event.end_mark.column)
        found = self.source.text.find("?", start + 1, end)
        if found >= 0:
            raise _Stop([_flow_question_problem(self.doc.path, self.source, *self.source.where(found))])

    def _check_flow_bare_colon(self, event) -> None:
        """libyaml refuses `[a:]` (a colon then a bracket or comma); PyYAML reads {a: null}."""
        end = self.source.offset(event.end_mark.line, event.end_mark.column)
        found = _BARE_COLON.match(self.source.text, end)
        if found:
            raise _Stop([_bare_colon_problem(self.doc.path, self.source, *self.source.where(found.end() - 1))])

    def _check_block_header(self, event) -> None:
        """libyaml takes `|#…` as a block scalar with a comment; PyYAML refuses it."""
        mark = event.start_mark
        if not _BLOCK_HEADER.match(self.source.text, self.source.offset(mark.line, mark.column)):
            raise _Stop([_needs_quotes(self.doc.path, self.source, mark.line, mark.column)])

    def _check_cut_comment(self, event, loc: Loc) -> None:
        """A plain value followed by ` #…` on its line lost that text to a comment."""
        end = event.end_mark
        found = _COMMENT_AFTER.match(self.source.text, self.source.offset(end.line, end.column))
        if not found or not event.value:
            return
        cut, value = shown(found.group(1)), shown(event.value)
        example = f"{loc[-1]}: \"{value} {cut}\"" if loc and isinstance(loc[-1], str) else f"\"{value} {cut}\""
        self.problems.append(Problem(
            self.doc.path, end.line + 1, found.start(1) - self.source.starts[end.line] + 1, _label(loc),
            f"“{value}”后面的“{cut}”被当作注释忽略了",
            f"如果“{cut}”是内容，请给整个值加引号，例如 {example}；如果是注释，请把它单独写在上一行",
        ))

    def _check_continuation(self, event, loc: Loc) -> None:
        """Lines that silently joined the value above them: `title：…` or a `- item`."""
        for number in range(event.start_mark.line + 1, event.end_mark.line + 1):
            line = self.source.line(number)
            found = _ASCII_KEY_FULLWIDTH.match(line)
            if found:
                self.problems.append(_fullwidth_problem(self.doc.path, number, line, found.group(1)))
            elif _ITEM.match(line):
                self.problems.append(Problem(
                    self.doc.path, number + 1, line.index("-") + 1, _label(loc),
                    "这一行的“- ”被接到了上一行的值后面，没有成为列表的一项",
                    "写列表时字段名后面不写值，例如 topics: 下一行起写“  - 第一项”；如果是文字，请给整个值加引号"))

    def _mapping(self, loc: Loc, depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {}
        first_seen: dict[str, Position] = {}
        while not self.parser.check_event(ev.MappingEndEvent):
            key_event = self.parser.get_event()
            self._check_node(key_event, loc)
            if not isinstance(key_event, ev.ScalarEvent):
                self._fail(key_event.start_mark, "字段名必须是一个词，不能是列表或多层结构",
                           "请写成“字段名: 值”的形式；如果值以“[”或“{”开头，请给它加引号", _label(loc))
            self._check_text(key_event)
            if self.flow and not key_event.style:
                self._check_flow_bare_colon(key_event)
            key = key_event.value
            key_pos = Position(key_event.start_mark.line + 1, key_event.start_mark.column + 1)
            if not key_event.style and key == "<<":
                self._fail(key_event.start_mark, "不支持合并键（<<）", "请把需要的字段逐个写出来", _label(loc))
            if not key.strip():
                self.problems.append(Problem(self.doc.path, key_pos.line, key_pos.column, _label(loc),
                                             "缺少字段名", "请写成“字段名: 值”的形式"))
            if key in first_seen:
                before = first_seen[key]
                self.problems.append(Problem(
                    self.doc.path, key_pos.line, key_pos.column, _label(loc + (key,)),
                    f"字段重复：第 {before.line} 行已经写过“{shown(key)}”",
                    f"删除第 {before.line} 行或第 {key_pos.line} 行中的一个"))
            first_seen.setdefault(key, key_pos)
            # The last of duplicate keys wins, as their recorded positions do.
            self.doc.keys[loc + (key,)] = key_pos
            out[key] = self._node(loc + (key,), depth + 1)
        self.parser.get_event()
        return out


# ---------------------------------------------------------------- syntax errors

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
