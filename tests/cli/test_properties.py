"""Property-based: whatever an editor does to a valid catalogue file, lvyin answers sanely.

Mutations an editor's hand (or a paste) makes: a line deleted, duplicated or given
another value; neighbouring characters swapped; a tab, colon, quote, full-width
colon or invisible character inserted.  For every mutated catalogue: no
traceback; either every problem points at a real line of a real file, or the
catalogue is accepted and the whole site plans and renders.
"""

from __future__ import annotations

import json
import re
import tempfile
import textwrap
from datetime import date
from pathlib import Path

import yaml
from conftest import BASE_FILES, build_site, write_catalog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from generator.cli.main import main as lvyin
from generator.errors import CatalogInvalid
from generator.outputs.site_files import outputs
from generator.plan.site import load_site

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


# ---------------------------------------------------------------- validate passing means the build succeeds

# Values that have broken builds, or could: calendar separators, line breaks, control and direction
# characters, markup, very long text, characters outside the Basic Multilingual Plane.
HOSTILE_TEXT = ["亲子;共读,方法\\n", "a\rb", "第一行\n第二行", "\t", "\x00", "\u2028", "\u202eexe.txt", "\u2066市妇联",
                "<script>alert(1)</script>", "END:VCALENDAR", "家" * 200, "家" * 201, "𠀀🙂", "　全角空格　", "'\"&", "\\", "#"]
DATES = ["0999-12-05", "1999-12-31", "2000-01-01", "2026-12-06", "2026-02-29", "2100-12-31", "2101-01-01", "9999-12-05"]
BUILD_SETTINGS = settings(max_examples=15, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

# Text an editor could type or paste (any printable character, the Cf formatting ones included) or, for
# one field of each catalogue, anything at all: then validate refuses or the build must cope.
plain_texts = st.text(st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40)
wild_texts = st.sampled_from(HOSTILE_TEXT) | st.text(st.characters(codec="utf-8"), min_size=1, max_size=40)
plain_ids = st.from_regex(r"[a-z][a-z0-9]{0,20}(-[a-z0-9]{1,20}){0,2}", fullmatch=True)
wild_ids = st.sampled_from(["a" * 64, "a" * 65, "x-" * 40 + "y"]) | st.from_regex(r"[a-z0-9]{50,80}", fullmatch=True)
plain_dates = st.dates(date(2026, 9, 1), date(2027, 6, 30)).map(date.isoformat)
wild_dates = st.sampled_from(DATES) | st.dates().map(date.isoformat)
FIELDS = ["site name", "topic name", "lecturer name", "title", "organizer", "description", "registration", "id", "date"]
_ESCAPED = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _quoted(value: str) -> str:
    """A YAML scalar: single-quoted (nothing escaped), or double-quoted with escapes the reader judges."""
    return json.dumps(value, ensure_ascii=False) if _ESCAPED.search(value) else "'" + value.replace("'", "''") + "'"


@st.composite
def catalogues(draw) -> dict[str, str]:
    wild = draw(st.sampled_from(FIELDS))
    kinds = {"id": (plain_ids, wild_ids), "date": (plain_dates, wild_dates)}
    text = {name: draw(kinds.get(name, (plain_texts, wild_texts))[name == wild]) for name in FIELDS}
    lecture = {"id": text["id"], "title": text["title"], "date": text["date"], "organizer": text["organizer"],
               "description": text["description"], "registration": text["registration"]}
    return {
        "site.yaml": f"name: {_quoted(text['site name'])}\n",
        "topics.yaml": BASE_FILES["topics.yaml"].replace("name: 亲子阅读", f"name: {_quoted(text['topic name'])}"),
        "lecturers/city.yaml": BASE_FILES["lecturers/city.yaml"].replace("name: 王芳", f"name: {_quoted(text['lecturer name'])}"),
        "lectures/hostile.yaml": "- " + "\n  ".join(f"{key}: {_quoted(value)}" for key, value in lecture.items())
                                 + "\n  start: '9:00'\n  end: '10:30'\n  venue: city-library\n  lecturers: [wang-fang]\n"
                                   "  topics: [reading, safety]\n",
    }


@BUILD_SETTINGS
@given(catalogues())
def test_what_validate_accepts_builds_and_its_calendars_read_back(files):
    with tempfile.TemporaryDirectory() as folder:
        root = write_catalog(Path(folder) / "catalog", BASE_FILES)
        write_catalog(root, files)
        site = Path(folder) / "site"
        accepted = lvyin(["validate", "--catalog", str(root)]) == 0
        assert build_site(root, site) == (0 if accepted else 1)
        if not accepted:
            assert not site.exists()
            return
        calendars = [Calendar.from_ical(path.read_bytes()) for path in (site / "feeds").rglob("*.ics")]
        assert calendars and all(cal.walk("VTIMEZONE") for cal in calendars)
        title = yaml.safe_load(files["lectures/hostile.yaml"])[0]["title"].strip()
        summaries = {str(event["SUMMARY"]) for cal in calendars for event in cal.walk("VEVENT")}
        lecture_id = yaml.safe_load(files["lectures/hostile.yaml"])[0]["id"]
        if (site / "feeds" / "lectures" / f"{lecture_id}.ics").exists():
            assert title in summaries
