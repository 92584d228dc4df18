"""Property-based: whatever an editor does to a valid catalogue file, lvyin answers sanely.

Mutations an editor's hand (or a paste) makes: a line deleted, duplicated or given
another value; neighbouring characters swapped; a tab, colon, quote, full-width
colon or invisible character inserted.  For every mutated catalogue: no
traceback; either every problem points at a real line of a real file, or the
catalogue is accepted and the whole site plans and renders.
"""

from __future__ import annotations

import re
import tempfile
import textwrap
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.problems import CatalogInvalid
from generator.site import load_site, outputs

from conftest import BASE_FILES, write_catalog

FILES = {name: textwrap.dedent(text).lstrip("\n") for name, text in BASE_FILES.items()}
NAMES = sorted(FILES)
VALUES = ["14:30", "25:00", "9:05", "no", "on", "0917", "007", "1e3", "3.10", ".nan", "-.inf", "2026-02-30", "2026-12-05",
          "[a, b]", "{lat: 1}", "{}", "[]", '"', "'", '"quoted"', "- item", "&anchor x", "*anchor", "!!str x", "<<: *a",
          "", "~", "null", "AI: 入门", "文字 # 注释", "|", ">-", "%", "@", "`", "city-library", "wang-fang",
          "reading", "weibin", "\u200b", "标题：", "99999999999999999999999", "- - -", "? x"]
INSERTS = ["\t", ":", ": ", '"', "'", "#", " #", " ", "-", "- ", "：", "\u200b", "\n", "{", "[", "]", "}", "&", "*", "!",
           "|", ">", ",", "\r\n", "\ufeff", "\\", "%"]
SETTINGS = settings(max_examples=70, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def _lines(text: str) -> list[str]:
    return text.split("\n")


@st.composite
def line_edits(draw):
    name = draw(st.sampled_from(NAMES))
    lines = _lines(FILES[name])
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        op = draw(st.sampled_from(["delete", "duplicate", "retype", "rekey", "indent"]))
        if not lines:
            break
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "retype":
            head = re.match(r"(\s*(?:- )?[a-z_]+:\s?)", lines[i])
            value = draw(st.sampled_from(VALUES) | st.text(max_size=8))
            lines[i] = (head.group(1) if head else lines[i][: len(lines[i]) - len(lines[i].lstrip())]) + value
        elif op == "rekey":
            lines[i] = re.sub(r"[a-z_]+(?=:)", draw(st.sampled_from(["id", "name", "title", "organiser", "venue", "Id", "标题", "kind"])),
                              lines[i], count=1)
        else:
            lines[i] = draw(st.sampled_from(["", " ", "  ", "    ", "\t"])) + lines[i]
    return name, "\n".join(lines)


@st.composite
def character_edits(draw):
    name = draw(st.sampled_from(NAMES))
    text = FILES[name]
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text)))
        if draw(st.booleans()) and at + 1 < len(text):
            text = text[:at] + text[at + 1] + text[at] + text[at + 2 :]
        else:
            text = text[:at] + draw(st.sampled_from(INSERTS)) + text[at:]
    return name, text


def check(name: str, text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = write_catalog(Path(folder) / "catalog", BASE_FILES)
        (root / name).write_bytes(text.encode("utf-8"))
        try:
            site = load_site(root, "2026-11-28")
        except CatalogInvalid as error:
            assert error.problems
            for problem in error.problems:
                path = Path(problem.path)
                path = path if path.is_absolute() else Path.cwd() / path
                assert path.exists(), problem
                if path.is_file():
                    count = len(re.split(r"\r\n|\r|\n", path.read_bytes().decode("utf-8", "replace")))
                    assert 1 <= problem.line <= count, (str(problem), count)
                else:
                    assert problem.line == 1
                assert problem.column >= 1, problem
                assert problem.message and "Traceback" not in str(problem)
            return
        files = dict(outputs(site))  # accepted: the whole site plans and renders
        assert "index.md" in files and "lectures/index.md" in files


@SETTINGS
@given(line_edits())
def test_line_edits_never_crash_and_errors_point_at_real_lines(edit):
    check(*edit)


@SETTINGS
@given(character_edits())
def test_character_edits_never_crash_and_errors_point_at_real_lines(edit):
    check(*edit)


def test_the_unmutated_files_are_accepted():
    check(NAMES[0], FILES[NAMES[0]])
