"""The catalogue kinds: where each lives in catalog/, its id space, its Chinese label, its URL section."""

from __future__ import annotations

# Where each kind lives: a single file or a folder of files.
SINGLE_FILES = {"districts": "district", "topics": "topic", "series": "series"}


FOLDERS = {"lecturers": "lecturer", "venues": "venue", "bases": "base", "stations": "station", "lectures": "lecture"}


REQUIRED_FILES = ("districts", "topics")


# Kinds that share one id space (a lecture's `venue` may name any of them).
ID_SPACES = {"venue": "place", "base": "place", "station": "place"}


KIND_LABELS = {
    "district": "县区", "topic": "主题", "series": "系列", "lecturer": "讲师",
    "venue": "场馆", "base": "实践基地", "station": "指导站点", "lecture": "讲座", "place": "地点",
}


# Section (URL folder) → catalogue table (attribute of Catalog) and the label of its entries.
SECTIONS = {
    "lectures": "讲座", "lecturers": "讲师", "venues": "场馆", "bases": "实践基地", "stations": "指导站点",
    "districts": "县区", "topics": "主题", "series": "系列",
}


PLACE_SECTIONS = ("venues", "bases", "stations")  # one id space
