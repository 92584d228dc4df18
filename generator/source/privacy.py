"""Private values out of messages: the text of a file's `private` blocks, hidden in the problems about it."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from generator.errors import Problem

_PRIVATE_KEY = re.compile(r"( *)(?:- +)?private *:(.*)")


_KEY_VALUE = re.compile(r"[^:#'\"{}\[\],]+: +(.*)")


_FLOW_SPLIT = re.compile(r"[{}\[\],]| #")


_BARE_KEY = re.compile(r"[\w-]+ *:")


HIDDEN = "＊＊＊"


MIN_HIDDEN = 3  # shorter pieces are not worth hiding and would blot out ordinary words


QUOTED_LIMIT = 40  # problems.shown cuts quoted values here


def private_text(text: str) -> set[str]:
    """The pieces of text written in `private` blocks (values and comments), as typed.

    Found by indentation, not by parsing: a file that does not parse still has its messages.
    """
    pieces: set[str] = set()
    if "private" not in text:
        return pieces
    indent = None
    for line in text.splitlines():
        found = _PRIVATE_KEY.fullmatch(line)
        if found:
            indent = len(line) - len(line.lstrip(" -"))
            pieces.update(_pieces(found.group(2)))
            continue
        if indent is None:
            continue
        if line.strip() and len(line) - len(line.lstrip(" ")) <= indent:
            indent = None
            continue
        pieces.update(_pieces(line))
    return {piece for piece in pieces if len(piece) >= MIN_HIDDEN and not _BARE_KEY.fullmatch(piece)}


def _pieces(line: str) -> Iterator[str]:
    line = line.strip().removeprefix("- ").strip()
    yield line
    for part in _FLOW_SPLIT.split(line):
        value = _KEY_VALUE.fullmatch(part.strip())
        for piece in (part, value.group(1) if value else ""):
            piece = piece.strip().strip("\"'").strip()
            yield piece
            yield piece.lstrip("#").strip()
    comment = line.find(" #")
    if comment >= 0:
        yield line[comment:].strip()
        yield line[comment:].strip().lstrip("#").strip()


def redact(problems: list[Problem], text: str) -> list[Problem]:
    """`problems` without the text of `text`'s private blocks in their messages and hints."""
    pieces = private_text(text)
    if not pieces:
        return problems
    hidden = sorted(pieces | {p[:QUOTED_LIMIT] for p in pieces if len(p) > QUOTED_LIMIT}, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, hidden)))
    out = []
    for problem in problems:
        message, hint = pattern.sub(HIDDEN, problem.message), pattern.sub(HIDDEN, problem.hint)
        if (message, hint) != (problem.message, problem.hint):
            problem = dataclasses.replace(problem, message=message + "（private 下的内容不在这里显示）", hint=hint)
        out.append(problem)
    return out
