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

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
import yaml.cyaml  # noqa: F401  (absent without libyaml; guarded by __with_libyaml__)
from yaml import events as ev

from generator import env
from generator.errors import Position, Problem
from generator.source.compose import EventParser, _Composer, _Stop
from generator.source.folders import refusal
from generator.source.privacy import redact
from generator.source.syntax import _syntax_problem, _too_deep
from generator.source.text import MAX_BYTES, Loc, ReadError, _character_problems, _directive_problems, _Source, _too_big, decode


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


def _use_libyaml() -> bool:
    return yaml.__with_libyaml__ and not env.pure_yaml()


class _PureParser(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser):
    def __init__(self, text: str):
        yaml.reader.Reader.__init__(self, text)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)

    # PyYAML lets `chr()` fail on an escape past U+10FFFF ("\U00110000") with a bare
    # ValueError; raise the ScannerError libyaml raises for the same escape instead.
    def check_event(self, *choices: type[ev.Event]) -> bool:
        checked: bool = self._scanning(yaml.parser.Parser.check_event, *choices)
        return checked

    def peek_event(self) -> ev.Event:
        return self._scanning(yaml.parser.Parser.peek_event)

    def get_event(self) -> ev.Event:
        return self._scanning(yaml.parser.Parser.get_event)

    def _scanning(self, method: Callable[..., Any], *args: type[ev.Event]) -> Any:
        try:
            return method(self, *args)
        except ValueError:
            raise yaml.scanner.ScannerError("while parsing a quoted scalar", None,
                                            "found invalid Unicode character escape code", self.get_mark()) from None


def _parser(text: str) -> EventParser:
    return yaml.cyaml.CParser(text) if _use_libyaml() else _PureParser(text)


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


