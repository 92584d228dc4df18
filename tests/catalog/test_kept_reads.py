"""Catalogue files an earlier build read without problems are taken from the kept reads, and only
those (kept_reads.py): a reading through them finds the same catalogue and the same problems, at
the same lines, as a first reading."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from conftest import DEMO_CATALOG
from pydantic import BaseModel

from generator.catalog import files
from generator.catalog.files import FileCache
from generator.catalog.kept_reads import KeptReads
from generator.catalog.load import check_catalog
from generator.digests import digest, entry_digest

EDITED = "lectures/2026-12.yaml"
READ_ENTRIES = files._read_entries


@pytest.fixture
def catalog(tmp_path) -> Path:
    return Path(shutil.copytree(DEMO_CATALOG, tmp_path / "catalog"))


def _read(catalog: Path, kept: Path, monkeypatch, salt: str = "tools") -> tuple[list[str], list[str], list[str]]:
    """Check the catalogue as a new build does: (the files read, its entries, its problems)."""
    read: list[str] = []
    monkeypatch.setattr(files, "_read_entries", lambda kind, path, digested=False: (
        read.append(path.relative_to(catalog).as_posix()), READ_ENTRIES(kind, path, digested))[1])
    found, _, problems = check_catalog(catalog, FileCache(KeptReads(kept, salt)))
    entries = [entry.model_dump_json() for table in (found.districts, found.topics, found.series, found.lecturers,
                                                     found.venues, found.bases, found.stations, found.lectures)
               for entry in table.values()]
    return read, entries, [str(problem) for problem in problems]


def _first_reading(catalog: Path) -> tuple[list[str], list[str]]:
    found, _, problems = check_catalog(catalog)
    return ([entry.model_dump_json() for table in (found.districts, found.topics, found.series, found.lecturers,
                                                   found.venues, found.bases, found.stations, found.lectures)
             for entry in table.values()], [str(problem) for problem in problems])


def _edit(catalog: Path, name: str, old: str, new: str) -> None:
    text = (catalog / name).read_text(encoding="utf-8")
    assert text.count(old) == 1
    (catalog / name).write_text(text.replace(old, new), encoding="utf-8")


def test_after_one_edit_only_the_edited_file_is_read_again(catalog, tmp_path, monkeypatch):
    kept = tmp_path / "reads"
    read, *_ = _read(catalog, kept, monkeypatch)
    assert EDITED in read and len(read) > 10
    _edit(catalog, EDITED, "title: 放下手机，拿起球拍", "title: 放下手机，拿起羽毛球拍")
    read, entries, problems = _read(catalog, kept, monkeypatch)
    assert read == [EDITED]
    assert (entries, problems) == _first_reading(catalog)
    assert any("羽毛球拍" in entry for entry in entries)


def test_the_entries_of_unchanged_files_bring_their_digests(catalog, tmp_path, monkeypatch):
    """A rebuild's traces compare entries by their digests (engine/traces.py): those of the files
    that did not change come from the kept reads, and are what their JSON digests to."""
    kept = tmp_path / "reads"
    check_catalog(catalog, FileCache(KeptReads(kept, "tools")))
    _edit(catalog, EDITED, "title: 放下手机，拿起球拍", "title: 放下手机，拿起羽毛球拍")
    dumped: list[BaseModel] = []
    dump = BaseModel.model_dump_json
    monkeypatch.setattr(BaseModel, "model_dump_json", lambda self, **kw: (dumped.append(self), dump(self, **kw))[1])
    found, _, _ = check_catalog(catalog, FileCache(KeptReads(kept, "tools")))
    entries = [entry for table in (found.districts, found.topics, found.series, found.lecturers, found.venues,
                                   found.bases, found.stations, found.lectures) for entry in table.values()]
    digested = [entry_digest(entry) for entry in entries]
    monkeypatch.setattr(BaseModel, "model_dump_json", dump)
    edited = yaml.safe_load((catalog / EDITED).read_text(encoding="utf-8"))
    assert sorted(entry.id for entry in dumped) == sorted(item["id"] for item in edited)
    assert len(entries) > 2 * len(edited)
    assert digested == [digest(type(entry).__name__, entry.model_dump_json()) for entry in entries]
    assert any("羽毛球拍" in lecture.title for lecture in found.lectures.values())


def test_other_tools_read_every_file_again(catalog, tmp_path, monkeypatch):
    kept = tmp_path / "reads"
    first, *_ = _read(catalog, kept, monkeypatch)
    again, *_ = _read(catalog, kept, monkeypatch, salt="another version of the generator")
    assert again == first


@pytest.mark.parametrize("damage", [lambda data: data[: len(data) // 2], lambda data: b"not a pickle",
                                    lambda data: b"\x80\x05K\x01."])  # the pickle of 1: not a file's entries
def test_a_kept_read_cut_short_damaged_or_of_something_else_is_read_again(catalog, tmp_path, monkeypatch, damage):
    kept = tmp_path / "reads"
    first, *_ = _read(catalog, kept, monkeypatch)
    for path in kept.iterdir():
        path.write_bytes(damage(path.read_bytes()))
    read, entries, problems = _read(catalog, kept, monkeypatch)
    assert read == first and (entries, problems) == _first_reading(catalog)


def test_a_problem_across_files_points_at_its_line_in_a_kept_file(catalog, tmp_path, monkeypatch):
    """The duplicate's message names where the id was first used, in a file taken from the kept
    reads (without its positions, which are read again for the message)."""
    kept = tmp_path / "reads"
    _read(catalog, kept, monkeypatch)
    first = (catalog / "lectures" / "2026-11.yaml").read_text(encoding="utf-8")
    taken = next(line.split(":", 1)[1].strip() for line in first.splitlines() if line.startswith("- id:"))
    _edit(catalog, EDITED, "- id: 2026-12-01-phone-down-ball-up", f"- id: {taken}")
    read, _, problems = _read(catalog, kept, monkeypatch)
    assert read == [EDITED]
    line = next(n for n, text in enumerate(first.splitlines(), 1) if text == f"- id: {taken}")
    assert any(f"2026-11.yaml:{line}" in problem for problem in problems), problems
    assert problems == _first_reading(catalog)[1]


def test_a_file_with_problems_is_not_kept_and_unused_reads_are_pruned(catalog, tmp_path, monkeypatch):
    kept = tmp_path / "reads"
    _edit(catalog, EDITED, "- id: 2026-12-01-phone-down-ball-up\n  title: 放下手机，拿起球拍", "- id: 2026-12-01-phone-down-ball-up")
    _, _, problems = _read(catalog, kept, monkeypatch)
    reads = KeptReads(kept, "tools")
    name = reads.name("lecture", (catalog / EDITED).read_bytes())
    assert problems and not (kept / name).exists() and len(list(kept.iterdir())) > 10
    _edit(catalog, EDITED, "- id: 2026-12-01-phone-down-ball-up", "- id: 2026-12-01-phone-down-ball-up\n  title: 放下手机，拿起球拍")
    (kept / "left-by-an-older-catalogue").write_bytes(b"")
    check_catalog(catalog, FileCache(reads))
    reads.prune()
    assert sorted(path.name for path in kept.iterdir()) == sorted(reads.used)
    assert reads.name("lecture", (catalog / EDITED).read_bytes()) in reads.used
    assert not (kept / "left-by-an-older-catalogue").exists()


def _build_check(catalog: Path, kept: Path, looked: list[str]) -> list[str]:
    """Check the catalogue as a new build does (its problems, as a first reading finds them), and
    note what it read as clean when it found nothing, as a build that succeeded does; `looked`:
    the entries this check looked through for private values."""
    first = [problem.message for problem in check_catalog(catalog)[2]]
    looked.clear()
    cache = FileCache(KeptReads(kept, "tools"))
    problems = [problem.message for problem in check_catalog(catalog, cache)[2]]
    assert problems == first
    if not problems:
        assert cache.kept is not None
        cache.kept.prune(cache.private)
    return problems


def test_a_build_looks_for_private_values_again_only_where_no_build_found_none_under_the_same_values(
        catalog, tmp_path, monkeypatch):
    """A file the last build that succeeded read with the same bytes, while the private values were
    the same, has no private value in it; any other is looked through, and a changed private value
    is looked for in every file (the lecture's file below is unchanged when it is found there)."""
    from generator.catalog import checks

    kept, looked = tmp_path / "reads", []
    private_in = checks._Checker._private_in
    monkeypatch.setattr(checks._Checker, "_private_in",
                        lambda self, entry, private: looked.append(entry.id) or private_in(self, entry, private))
    assert _build_check(catalog, kept, looked) == [] and len(looked) > 50
    edited = {lecture["id"] for lecture in yaml.safe_load((catalog / EDITED).read_text(encoding="utf-8"))}
    _edit(catalog, EDITED, "organizer: 市公安局", "organizer: 市公安局 13912345678")  # nobody's private number
    assert _build_check(catalog, kept, looked) == [] and set(looked) == edited
    _edit(catalog, "lecturers/city.yaml", '"13891712345"', '"13912345678"')  # now it is 张慧敏's
    problems = _build_check(catalog, kept, looked)
    assert any("张慧敏" in problem or "zhang-huimin" in problem for problem in problems), problems
    assert edited <= set(looked)
    assert _build_check(catalog, kept, looked) == problems  # the build that failed noted nothing
    _edit(catalog, "lecturers/city.yaml", '"13912345678"', '"13891712345"')
    assert _build_check(catalog, kept, looked) == []
