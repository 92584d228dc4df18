"""The whole catalogue: read every file, validate every entry, link them.

`load_catalog(root)` either returns a `Catalog` whose cross-references are all
sound, or raises `CatalogInvalid` with every problem of every file at once.

Read again through a `FileCache` (`lvyin serve`, after an edit), a catalogue whose edited files
hold the very ids they held, in order and all sound (an edit to some entries' fields), is the last
one's tables with those entries put in place of the old (`_Tables.after`): the new catalogue is
told which entries these are, and the checks look only at them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TypeVar, cast

from generator.catalog.checks import KnownIds, _Checker
from generator.catalog.files import FileCache, Partial, Source, _FileEntries, _read_all, catalog_files
from generator.catalog.redirects import read_redirects
from generator.catalog.tables import Catalog, Replaced
from generator.errors import CatalogInvalid, Problem
from generator.model.entries import KINDS, Base, District, Entry, Lecture, Lecturer, Series, Station, Topic, Venue
from generator.model.kinds import BY_NAME, ID_SPACES
from generator.source.folders import display as _display
from generator.source.folders import refusal


def load_catalog(root: Path | str, cache: FileCache | None = None) -> Catalog:
    """The catalogue at `root`, whose entries and cross-references are all sound; or `CatalogInvalid`."""
    catalog, known, problems = check_catalog(root, cache)
    if problems:
        raise CatalogInvalid(problems)
    return catalog


def check_catalog(root: Path | str, cache: FileCache | None = None) -> tuple[Catalog, KnownIds, list[Problem]]:
    """Every problem of the catalogue at `root`, with what could be read of it: its valid entries
    and the ids of all (articles check their topics against these when the catalogue has problems)."""
    root = Path(root)
    problems: list[Problem] = []
    linked = refusal(root, _display(root))
    if linked:
        raise CatalogInvalid([linked])
    if not root.is_dir():
        raise CatalogInvalid([Problem(str(root), 1, 1, "", "找不到目录文件夹", "请用 --catalog 指定 catalog 文件夹")])
    before = cache.catalog if cache is not None else None  # kept alive while the checks derive tables from it
    files = catalog_files(root, problems)
    if cache is not None:
        cache.keep_only({path for _, path in files})
    reads = cache.read_all(files) if cache is not None else _read_all(files)
    last: _Tables | None = cache.checked.get("tables") if cache is not None and before is not None else None
    edit = last.after(files, reads) if last is not None else None
    made, replaced = edit if edit is not None else (_Tables.of(files, reads), None)
    problems += made.problems
    tables = made.tables
    catalog = Catalog(
        districts=_of(District, tables["district"]), topics=_of(Topic, tables["topic"]), series=_of(Series, tables["series"]),
        lecturers=_of(Lecturer, tables["lecturer"]), venues=_of(Venue, tables["venue"]), bases=_of(Base, tables["base"]),
        stations=_of(Station, tables["station"]), lectures=_of(Lecture, tables["lecture"]), sources=made.sources,
        before=before, replaced=replaced,
    )
    if cache is not None:
        cache.catalog = catalog
        cache.checked["tables"] = made
    _Checker(catalog, made.broken, made.known, problems, cache).run()
    catalog.redirects = read_redirects(root, made.known, problems)
    return catalog, made.known, problems


@dataclass
class _Tables:
    """What the entries of the catalogue's files make before the checks across them: each kind's
    table (the first entry of each id), where each entry was written, the ids known, the broken
    entries, and the problems so far (each file's own, and ids given twice)."""

    files: list[tuple[str, Path]]
    reads: list[_FileEntries]
    tables: dict[str, dict[str, Entry]]
    sources: dict[tuple[str, str], Source]
    known: KnownIds
    broken: list[Partial]
    problems: list[Problem]
    twice: bool = False  # an id was given twice

    @classmethod
    def of(cls, files: list[tuple[str, Path]], reads: list[_FileEntries]) -> _Tables:
        made = cls(files, reads, {kind: {} for kind in KINDS}, {}, KnownIds(), [], [])
        tables, sources, known = made.tables, made.sources, made.known
        for (kind, _), read in zip(files, reads):
            made.problems.extend(read.problems)
            space = ID_SPACES.get(kind, kind)
            if read.unsure:
                known.unsure.add(kind)
            for partial in read.broken:
                known.ids[kind].add(partial.meant)
            made.broken.extend(read.broken)
            whole = read.by_id(space)
            if whole is not None and sources.keys().isdisjoint(whole[1]):  # no id another file has: taken whole
                tables[kind].update(whole[0])
                sources.update(whole[1])
                known.ids[kind].update(whole[0])
                continue
            in_order: Sequence[tuple[Entry | Partial, Source]] = read.entries
            if read.broken:  # a duplicate id is found in the order of the file, valid entries or not
                in_order = sorted([*read.entries, *((p, p.source) for p in read.broken if "id" in p.values)],
                                  key=lambda pair: pair[1].index)
            for entry, source in in_order:
                if (space, entry.id) in sources:
                    first = sources[(space, entry.id)]
                    where = f"{first.doc.path}:{first.doc.position((first.index, 'id')).line}"
                    made.problems.append(source.problem("id", f"编号“{entry.id}”重复，{where} 已经用过", "每个编号只能用一次，请换一个"))
                    made.twice = True
                    continue
                sources[(space, entry.id)] = source
                if isinstance(entry, Partial):
                    continue
                tables[kind][entry.id] = entry
                known.ids[kind].add(entry.id)
        known.ids = {kind: ids - {""} for kind, ids in known.ids.items()}
        return made

    def after(self, files: list[tuple[str, Path]], reads: list[_FileEntries]) -> tuple[_Tables, Replaced] | None:
        """These tables with the entries of the files read anew since put in place of the ones they
        held, and which those were (table name → (old entries, new)); None unless each such file
        holds the very ids it held, in order, all of them sound then and now, and no id was given
        twice (then nothing else of the tables can have changed)."""
        if self.twice or files != self.files:
            return None
        changed = [i for i, (then, now) in enumerate(zip(self.reads, reads)) if then is not now]
        for i in changed:
            then, now = self.reads[i], reads[i]
            if not (then.sound and now.sound) or [e.id for e, _ in then.entries] != [e.id for e, _ in now.entries]:
                return None
        tables = {kind: dict(table) for kind, table in self.tables.items()}
        sources = dict(self.sources)
        replaced: Replaced = {}
        for i in changed:
            kind = files[i][0]
            space = ID_SPACES.get(kind, kind)
            gone, new = replaced.setdefault(BY_NAME[kind].file, ([], []))
            for (old, _), (entry, source) in zip(self.reads[i].entries, reads[i].entries):
                tables[kind][entry.id] = entry
                sources[(space, entry.id)] = source
                gone.append(old)
                new.append(entry)
        return replace(self, reads=reads, tables=tables, sources=sources), replaced


E = TypeVar("E", bound=Entry)


def _of(model: type[E], table: dict[str, Entry]) -> dict[str, E]:
    """`table` as the table of `model`s it is: a kind's table holds only entries of its model (`KINDS`)."""
    return cast("dict[str, E]", table)
