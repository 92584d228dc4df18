"""Problems found in the catalogue, reported to editors in Chinese.

A `Problem` always knows where it is (`path:line:column`), which field it is
about, what is wrong and how to fix it.  Problems are collected, never raised
one at a time: `CatalogInvalid` carries all of them at once.

Every error a user can fix (in the catalogue, on the command line, on the machine) is a
`LvyinError`: the command line and the MkDocs plugin each catch the family once and print its
`report()`, in Chinese and without a traceback.  Any other exception is a bug of lvyin: it keeps
its traceback, followed by `BUG_NOTE`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Position:
    """A place in a source file, 1-based like an editor shows it."""

    line: int
    column: int


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    column: int
    field: str
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        field = f"{self.field}: " if self.field else ""
        hint = f" — {self.hint}" if self.hint else ""
        return f"{where}: 错误: {field}{self.message}{hint}"

    @property
    def sort_key(self) -> tuple[str, int, int]:
        return (self.path, self.line, self.column)


BUG_NOTE = "这是 lvyin 的程序错误，不是您的数据有问题：请把上面的信息报告给维护者。"


class LvyinError(Exception):
    """An error the user can fix; its message is Chinese and says how."""

    def report(self) -> str:
        return f"错误: {self}"


class BuildFailed(LvyinError):
    """The site could not be made (a part of the build, the link check, the search index); the
    site made before stays as it was."""


class CatalogInvalid(LvyinError):
    """The catalogue has problems; nothing may be built from it."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=lambda p: (p.sort_key, p.message))
        super().__init__(self.report())

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        lines.append(f"共发现 {len(self.problems)} 处错误，请修改后重试。")
        return "\n".join(lines)


def shown(value: str, limit: int = 40) -> str:
    """A value as quoted in a message: on one line, and cut when long."""
    value = str(value).replace("\r", "").replace("\n", " ")
    return value if len(value) <= limit else value[:limit] + "…"


def field_label(loc: tuple[object, ...]) -> str:
    """`('lecturers', 1, 'name')` → `lecturers[1].name`, as the editor sees the path."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def suggest(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"您是不是想写“{close[0]}”？" if close else ""
