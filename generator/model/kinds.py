"""The catalogue kinds, in one table: where each lives in catalog/, its id space, its Chinese
label, its URL section.  Every step reads it; the other names here are views of it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    name: str  # as code and the YAML files' schemas name it: "venue"
    file: str  # in catalog/: a folder of files (`venues/*.yaml`) or one file (`districts.yaml`)
    folder: bool
    required: bool  # the catalogue cannot do without it
    id_space: str  # kinds sharing one id space: a lecture's `venue` may name a venue, base or station
    label: str  # what one entry is called in Chinese (messages, the editors' guide, schemas)
    section: str  # the URL folder of its pages: /venues/<id>/


TABLE = (
    Kind("district", "districts", False, True, "district", "县区", "districts"),
    Kind("topic", "topics", False, True, "topic", "主题", "topics"),
    Kind("series", "series", False, False, "series", "系列", "series"),
    Kind("lecturer", "lecturers", True, False, "lecturer", "讲师", "lecturers"),
    Kind("venue", "venues", True, False, "place", "开放场馆", "venues"),
    Kind("base", "bases", True, False, "place", "实践基地", "bases"),
    Kind("station", "stations", True, False, "place", "指导站点", "stations"),
    Kind("lecture", "lectures", True, False, "lecture", "讲座", "lectures"),
)
BY_NAME = {kind.name: kind for kind in TABLE}

SINGLE_FILES = {k.file: k.name for k in TABLE if not k.folder}  # districts.yaml → district
FOLDERS = {k.file: k.name for k in TABLE if k.folder}  # venues/ → venue
REQUIRED_FILES = tuple(k.file for k in TABLE if k.required)
ID_SPACES = {k.name: k.id_space for k in TABLE if k.id_space != k.name}  # venue → place
KIND_LABELS = {k.name: k.label for k in TABLE} | {"place": "地点"}  # "place": the shared id space
SECTIONS = {k.section: k.label for k in TABLE}  # URL section → label of its entries
PLACE_KINDS = tuple(k.name for k in TABLE if k.id_space == "place")
PLACE_SECTIONS = {k.name: k.section for k in TABLE if k.id_space == "place"}  # venue → venues
PLACE_LABELS = {k.name: k.label for k in TABLE if k.id_space == "place"}  # venue → 开放场馆
