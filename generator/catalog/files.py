"""The files of catalog/ and the entries each holds, read (in two processes when big) or taken from a cache
(in memory, or kept on disk by earlier builds: kept_reads.py)."""

from __future__ import annotations

import itertools
import multiprocessing
from collections.abc import Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from generator import workers as lifeline
from generator.catalog.kept_reads import KeptReads
from generator.digests import entry_digest, know_entry_digests
from generator.errors import Problem, suggest
from generator.model.entries import KINDS, Entry, well_formed
from generator.model.fields import meant_id
from generator.model.kinds import FOLDERS, KIND_LABELS, REQUIRED_FILES, SINGLE_FILES
from generator.model.messages import validation_problems
from generator.source.folders import display as _display
from generator.source.folders import listing
from generator.source.reader import Document, read_bytes, read_file
from generator.source.text import MAX_BYTES, ReadError

if TYPE_CHECKING:
    from generator.catalog.tables import Catalog


@dataclass(frozen=True)
class Source:
    """Where an entry was written: for messages that point back at it."""

    doc: Document
    index: int

    def problem(self, field_name: str, message: str, hint: str = "", *, key: bool = False) -> Problem:
        loc = (self.index, *([field_name] if field_name else []))
        return self.doc.problem(loc, field_name, message, hint, key=key)


def catalog_files(root: Path, problems: list[Problem]) -> list[tuple[str, Path]]:
    """(kind, path) for every catalogue file; unknown files, links and special files are problems."""
    found: list[tuple[str, Path]] = []
    entries = {path.name: path for path in listing(root, root, problems)}
    for stem, kind in SINGLE_FILES.items():
        path = _yaml_file(entries, stem)
        if path:
            found.append((kind, path))
        elif stem in REQUIRED_FILES:
            problems.append(Problem(_display(root / f"{stem}.yaml"), 1, 1, "", "缺少这个文件", f"请在 {root} 下创建 {stem}.yaml"))
    for folder, kind in FOLDERS.items():
        if folder in entries and entries[folder].is_dir():
            for path in listing(entries[folder], root, problems):
                if path.suffix in (".yaml", ".yml") and path.is_file():
                    found.append((kind, path))
    known = set(SINGLE_FILES) | set(FOLDERS) | {"site", "redirects"}  # site.yaml: model/settings.py; redirects.yaml: catalog/redirects.py
    for path in entries.values():
        name = path.stem if path.is_file() else path.name
        if path.name.startswith(".") or name in known or path.name in ("README.md", "schemas"):
            continue
        if path.is_dir() or path.suffix in (".yaml", ".yml"):
            problems.append(Problem(_display(path), 1, 1, "", f"不认识的{'目录' if path.is_dir() else '文件'}“{path.name}”",
                                    suggest(name, known) or f"目录只能包含：{'、'.join(sorted(known))}"))
    return found


def _yaml_file(entries: dict[str, Path], stem: str) -> Path | None:
    return next((entries[name] for name in (f"{stem}.yaml", f"{stem}.yml") if name in entries and entries[name].is_file()), None)


def _entries(kind: str, doc: Document, problems: list[Problem]) -> Iterable[tuple[Entry, Source] | Partial | None]:
    """Each entry of `doc`, validated; a `Partial` for an entry with problems of its own, and None for
    an item (or a file) that is not an entry at all."""
    model = KINDS[kind]
    if not isinstance(doc.data, list):
        shape = "文件是空的" if doc.data is None else "文件的最外层应为列表"
        hint = f"每个{KIND_LABELS[kind]}以“- id: …”开头，一项接一项往下写"
        if doc.data is None and kind not in {SINGLE_FILES[stem] for stem in REQUIRED_FILES}:
            hint += "；不用这个文件就删除它"
        problems.append(doc.problem((), "", shape, hint))
        if doc.data is not None:
            yield None
        return
    for index, item in enumerate(doc.data):
        source = Source(doc, index)
        if not isinstance(item, dict):
            problems.append(source.problem("", f"第 {index + 1} 项应为一个{KIND_LABELS[kind]}（多行“字段: 值”）",
                                           "检查这一项的缩进和“- ”后面的内容"))
            yield None
            continue
        try:
            yield model.model_validate(item), source
        except ValidationError as error:
            problems.extend(validation_problems(error, doc, (index,), model, item))
            values, items = well_formed(model, item)
            raw_id = item.get("id")
            meant = values.get("id") or (meant_id(raw_id) if isinstance(raw_id, str) else "")
            yield Partial(model, source, values, items, meant)


class Unknown(AttributeError):
    """A field of a `Partial` that is broken or missing: a check that needs it cannot run."""


@dataclass(frozen=True)
class Partial:
    """An entry that failed validation, as far as it is sound (`model.well_formed`).

    It answers the checks across entries like a valid entry would, field by field: reading a field
    that is broken or missing raises `Unknown`, and the check that needed it is skipped, so that
    its problems are all reported at once and none of them follows from another."""

    model: type[Entry]
    source: Source
    values: dict[str, Any]
    items: dict[str, list[tuple[int, Any]]]  # the sound items of lists with broken ones
    meant: str  # its id, or the id a malformed one is taken to mean; "" if it cannot be told

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("values", {})
        if name not in values:
            raise Unknown(name)
        return values[name]


class FileCache:
    """Each catalogue file's entries, read again only when the file changed.

    In memory, by the file's modification time, size and inode (`lvyin serve`): an edit to one
    file re-reads that file; the entries of the others are the very same objects as before, which
    lets the preview re-render only what changed (engine/preview.py).  With `kept` (kept_reads.py),
    a file not in memory whose bytes an earlier build read without problems is taken from there,
    with its entries' digests (digests.py), which the reading found for keeping.
    """

    def __init__(self, kept: KeptReads | None = None) -> None:
        self._files: dict[Path, tuple[tuple[str, int, int, int], _FileEntries]] = {}
        self.checked: dict[str, Any] = {}  # what the whole-catalogue checks made of these entries (checks.py)
        self.kept = kept
        self.taken: dict[str, _FileEntries] = {}  # the reads the last `read_all` took from `kept`, by name
        self.private = ""  # the digest of the private values the last check found these entries under
        self.catalog: Catalog | None = None  # the last made of these entries: the next derives its tables from it

    def read(self, kind: str, path: Path) -> _FileEntries:
        return self.read_all([(kind, path)])[0]

    def read_all(self, files: list[tuple[str, Path]]) -> list[_FileEntries]:
        """Each file's entries, in the order of `files`: those read by no one yet by `_read_all`."""
        keys = [_stat_key(kind, path) for kind, path in files]
        reads: list[_FileEntries | None] = []
        for (_, path), key in zip(files, keys):
            cached = self._files.get(path)
            reads.append(cached[1] if cached is not None and cached[0] == key else None)
        names: dict[int, str] = {}
        self.taken = {}
        if self.kept is not None:
            for i in [i for i, read in enumerate(reads) if read is None]:
                names[i], taken = _from_kept(self.kept, *files[i])
                if taken is not None:
                    reads[i] = self.taken[names[i]] = taken
        missing = [i for i, read in enumerate(reads) if read is None]
        for i, read in zip(missing, _read_all([files[i] for i in missing], digested=self.kept is not None)):
            reads[i] = read
            if self.kept is not None and names.get(i) and read.sound:
                read.travel_light(files[i][1])
                self.kept.keep(names[i], read)
        done = [read for read in reads if read is not None]
        assert len(done) == len(files)
        for i in {*names, *missing}:
            if done[i].digests:  # found when read to be kept, here or by the forked reader
                know_entry_digests([entry for entry, _ in done[i].entries], done[i].digests)
        for (_, path), key, read in zip(files, keys, done):
            if key is not None:
                self._files[path] = (key, read)
        return done

    def clean_entries(self, private: str) -> dict[int, Entry]:
        """The entries (by id) of the reads taken from `kept` in which the last build that succeeded
        found no private value, while the private values digested to `private` as they do now."""
        self.private = private
        names = self.kept.clean_under(private) if self.kept is not None else set()
        return {id(entry): entry for name, read in self.taken.items() if name in names for entry, _ in read.entries}

    def keep_only(self, paths: set[Path]) -> None:
        for gone in set(self._files) - paths:
            del self._files[gone]


def _stat_key(kind: str, path: Path) -> tuple[str, int, int, int] | None:
    """What tells that a file changed on disk (of a link, the link's own: it is refused when read)."""
    try:
        found = path.lstat()
    except OSError:
        return None
    return kind, found.st_mtime_ns, found.st_size, found.st_ino


def _from_kept(kept: KeptReads, kind: str, path: Path) -> tuple[str, _FileEntries | None]:
    """The name `path`'s entries are kept under (its bytes'), and those entries if they are there."""
    display = _display(path)
    try:
        data = read_bytes(path, display, None, MAX_BYTES)
    except ReadError:
        return "", None  # read as any file is, to tell why
    name = kept.name(kind, data)
    found = kept.take(name)
    if not isinstance(found, _FileEntries) or len(found.digests) != len(found.entries):
        return name, None
    for doc in found.documents():  # where they are now, for messages that point at them
        doc.path = display
        doc.travel_light(path)
    return name, found


@dataclass(frozen=True)
class _FileEntries:
    problems: list[Problem]
    entries: list[tuple[Entry, Source]]
    broken: list[Partial] = field(default_factory=list)  # entries with problems of their own
    unsure: bool = False  # the file, or an item of it, could not be read far enough to tell its ids
    digests: tuple[str, ...] = ()  # of each entry (digests.py), when read to be kept

    @property
    def sound(self) -> bool:
        return not (self.problems or self.broken or self.unsure)

    def by_id(self, space: str) -> tuple[dict[str, Entry], dict[tuple[str, str], Source]] | None:
        """Its entries by id, and where each was written by (`space`, id): made once, for the
        catalogue to take them whole; None if one is broken or an id is in it twice (then they
        are taken one by one, and the duplicate reported)."""
        made = self.__dict__.get("_by_id")
        if made is None or made[0] != space:
            entries = {entry.id: entry for entry, _ in self.entries}
            usable = not self.broken and len(entries) == len(self.entries)
            made = (space, (entries, {(space, entry.id): source for entry, source in self.entries}) if usable else None)
            object.__setattr__(self, "_by_id", made)  # frozen, but for this
        return made[1]

    def documents(self) -> list[Document]:
        return list({id(source.doc): source.doc for _, source in self.entries}.values())

    def travel_light(self, path: Path) -> None:
        """Without the documents' data and positions (`Document.travel_light`)."""
        for source in [source for _, source in self.entries] + [partial.source for partial in self.broken]:
            source.doc.travel_light(path)


# A catalogue of more bytes than this is read by two processes side by side (at 100,000 lectures,
# 13 s instead of 18); a smaller one by one, which is sooner than starting another.
READ_IN_TWO_FROM = 4 << 20


def _read_all(files: list[tuple[str, Path]], digested: bool = False) -> list[_FileEntries]:
    """Every file's entries, in the order of `files`, `digested` or not: the second half (by size)
    read by a forked process when the catalogue is big and there are two cores, the first half
    meanwhile here."""
    sizes = [path.stat().st_size for _, path in files]
    if sum(sizes) < READ_IN_TWO_FROM or lifeline.cores() < 2:
        return [_read_entries(kind, path, digested) for kind, path in files]
    half = next(i for i, total in enumerate(itertools.accumulate(sizes), 1) if 2 * total >= sum(sizes))
    mine, theirs = files[:half], files[half:]
    receiving, sending = multiprocessing.Pipe(duplex=False)
    reader = lifeline.fork_process(_read_for_parent, (theirs, sending, digested), "read")  # it dies with a killed build
    reader.start()
    sending.close()
    try:
        read = [_read_entries(kind, path, digested) for kind, path in mine]
        try:
            theirs_read: list[_FileEntries] = receiving.recv()
            return read + theirs_read
        except EOFError:  # the reader died (out of memory?): read its half here
            return read + [_read_entries(kind, path, digested) for kind, path in theirs]
    finally:
        reader.kill()
        reader.join()
        receiving.close()


def _read_for_parent(files: list[tuple[str, Path]], sending: Connection, digested: bool) -> None:
    read = [_read_entries(kind, path, digested) for kind, path in files]
    for (_, path), entries in zip(files, read):
        entries.travel_light(path)  # a fifth of the bytes to send, and a tenth of the time to take them in
    sending.send(read)
    sending.close()


def _read_entries(kind: str, path: Path, digested: bool = False) -> _FileEntries:
    try:
        doc = read_file(path, _display(path))
    except ReadError as error:
        return _FileEntries(error.problems, [], unsure=True)
    problems = list(doc.problems)
    entries, broken, unsure = [], [], False
    for read in _entries(kind, doc, problems):
        if isinstance(read, Partial):
            broken.append(read)
            unsure = unsure or not read.meant
        elif read is None:
            unsure = True
        else:
            entries.append(read)
    digests = tuple(entry_digest(entry) for entry, _ in entries) if digested else ()
    return _FileEntries(problems, entries, broken, unsure, digests)
