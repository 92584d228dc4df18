"""The JSON Schemas editors' VS Code uses: fresh, valid, right about the shipped catalogue and about slips."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml
from conftest import BASE_FILES, DEMO_CATALOG

from generator.cli.main import main as lvyin
from generator.model import schema

SCHEMAS = DEMO_CATALOG / "schemas"


class _Yaml12(yaml.SafeLoader):
    """What VS Code's YAML extension sees: the YAML 1.2 core schema (no sexagesimal times, no dates)."""


_Yaml12.yaml_implicit_resolvers = {}
for tag, pattern, first in [
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", list("~nN") + [""]),
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float", r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+0123456789.")),
]:
    _Yaml12.add_implicit_resolver(tag, re.compile(pattern), first)


def _int12(loader, node):
    text = loader.construct_scalar(node)
    return int(text[2:], 8) if text.startswith("0o") else int(text, 16) if text.startswith("0x") else int(text, 10)


_Yaml12.add_constructor("tag:yaml.org,2002:int", _int12)
_Yaml12.add_constructor("tag:yaml.org,2002:float", lambda loader, node: float(loader.construct_scalar(node)))


def editor_view(text: str):
    return yaml.load(text, Loader=_Yaml12)


def test_the_editor_view_is_yaml_1_2():
    assert editor_view("a: 14:30\nb: 2026-12-05\nc: 0917\nd: no\ne: 34.5\nf: true\n") == {
        "a": "14:30", "b": "2026-12-05", "c": 917, "d": "no", "e": 34.5, "f": True}


def test_committed_schemas_equal_freshly_generated_ones(tmp_path):
    assert lvyin(["schema", "--out", str(tmp_path)]) == 0
    fresh = {p.name: p.read_text(encoding="utf-8") for p in tmp_path.iterdir()}
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMAS.glob("*.schema.json")}
    assert fresh == committed, "catalog/schemas/ is stale: run `lvyin schema` and commit the result"
    assert set(fresh) == {f"{kind}.schema.json" for kind in schema.KINDS} | {"site.schema.json", "redirects.schema.json"}


@pytest.mark.parametrize("name", sorted(schema.all_schemas()))
def test_schemas_are_valid_draft_7_with_chinese_titles(name):
    document = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(document)
    assert re.search(r"[\u4e00-\u9fff]", document["title"])
    for definition in document.get("definitions", {document["title"]: document}).values():
        for field, prop in definition.get("properties", {}).items():
            assert re.search(r"[\u4e00-\u9fff]", prop.get("title", "")), (name, field)
            assert re.search(r"[\u4e00-\u9fff]", prop.get("description", "")), (name, field)


def _catalogue_files():
    return sorted(p for p in DEMO_CATALOG.rglob("*.yaml") if "schemas" not in p.parts)


@pytest.mark.parametrize("path", _catalogue_files(), ids=lambda p: str(p.relative_to(DEMO_CATALOG)))
def test_every_shipped_file_names_its_schema_and_validates_against_it(path):
    relative = path.relative_to(DEMO_CATALOG)
    text = path.read_text(encoding="utf-8")
    first = text.splitlines()[0]
    assert first == schema.header_line(relative)
    target = (path.parent / first.split("$schema=", 1)[1]).resolve()
    assert target.is_file()
    validator = jsonschema.Draft7Validator(json.loads(target.read_text(encoding="utf-8")))
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(editor_view(text))]
    assert errors == []


def _errors(kind: str, entry: str) -> list[str]:
    validator = jsonschema.Draft7Validator(schema.all_schemas()[f"{kind}.schema.json"])
    return sorted(".".join(map(str, e.absolute_path)) for e in validator.iter_errors(editor_view(textwrap.dedent(entry))))


GOOD_LECTURE = """
    - id: reading-1205
      title: 亲子共读的三个方法
      date: 2026-12-05
      start: 14:30
      end: 16:00
      venue: city-library
      organizer: 市妇联
      capacity: 60
    """


@pytest.mark.parametrize("slip, field", [
    ("start: 14:30", "start: 25:00"),
    ("date: 2026-12-05", "date: 2026年12月5日"),
    ("venue: city-library", "venue: 市图书馆"),
    ("capacity: 60", "capacity: 六十"),
    ("organizer: 市妇联", "organiser: 市妇联"),
    ("organizer: 市妇联", "organizer: 市妇联\n      format: offine"),
    ("organizer: 市妇联", "organizer: 市妇联\n      replay: www.example.cn"),
    ("organizer: 市妇联", "organizer: 市妇联\n      audiences: [小学]"),
])
def test_the_schema_flags_what_the_validator_refuses(slip, field):
    assert _errors("lecture", GOOD_LECTURE) == []
    assert _errors("lecture", GOOD_LECTURE.replace(slip, field)) != []


def test_the_schema_accepts_what_editors_type_for_text_and_numbers():
    # Unquoted phone numbers are numbers to the editor, text to lvyin: no red squiggle.
    entry = BASE_FILES["stations/weibin.yaml"] + """
          phone: 09173212345
          location: {lat: 34.36, lng: 107.2373}
        """
    assert _errors("station", entry) == []
    swapped = entry.replace("{lat: 34.36, lng: 107.2373}", "{lat: 107.2373, lng: 34.36}")
    assert _errors("station", swapped) == ["0.location"]


def test_header_lines_point_at_the_schema_from_each_folder():
    assert schema.header_line("districts.yaml") == "# yaml-language-server: $schema=schemas/district.schema.json"
    assert schema.header_line("site.yaml") == "# yaml-language-server: $schema=schemas/site.schema.json"
    assert schema.header_line(Path("lectures/2026-12.yaml")) == "# yaml-language-server: $schema=../schemas/lecture.schema.json"
    assert schema.header_line("notes.yaml") is None
