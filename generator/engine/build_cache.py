"""`lvyin build` reuses what did not change: every output kept, keyed by what made it.

A build is made of units of work: the HTML of one entry page (a district's, an age group's or a month's list;
series, lecturer, place, lecture) with
its copy for the search index; the main part (every other page, by MkDocs); the files of one
asset maker (feeds, print sheets, open data …); one part of the search index; the link check.
Each unit's *key* digests everything its output depends on:

- the tools' fingerprint (fingerprints.py): the version of every installed Python distribution
  (MkDocs, Material, Pagefind …), this generator's own code and templates, `mkdocs.yml`,
  `overrides/`, `content/` and `catalog/site.yaml`;
- the unit's own inputs: an entry page's Markdown (what the catalogue values it read made of
  it, build date included where the page shows it); the main part's Markdown and the build
  date; an asset maker's catalogue and build date; a search part's pages.

So a changed template or tool version invalidates everything it could touch, a changed date
only what shows the date, and an edited lecture its own page, the lists, the feeds and its
search part.  `tests/engine/test_build_cache.py` checks every kind of change against a clean
build, file by file.

The cache folder (`.lvyin-cache/` beside the site, ignored by git) holds:

- `objects/ab/cdef…`: file contents, named by their BLAKE2b digest.  The site hard-links to
  them (the published site and the cache share the bytes, not the names), copies where the
  two are on different file systems;
- `manifest.json`: the records of the last successful build, `{key: {"files": [[dest, path,
  digest, size, mtime_ns] …], "meta": …}}`, `dest` "site" or "copies" (the search index's
  copies), after a first line with the digest of the rest.  Only a whole build writes it (to a
  new file, then renamed over the old).  An entry page's record keeps what it read while it
  rendered (traces.py): the next build reuses it without rendering it again while that holds.
- `spare/`: the site the last build replaced, whose folders the next one takes whole (placing.py).

A record is trusted only if the manifest's digest holds and each of its objects is there with
the size and modification time it had when stored (as git trusts its index): a truncated,
missing or edited object (through the cache or through a hard link in the site) makes the
record a miss and its unit is made again.  A damaged manifest is ignored whole (a clean build).
The objects no record names are deleted after each build.  Two builds never share one cache at
once: the second builds without it.
"""

from __future__ import annotations

import fcntl
import functools
import os
import subprocess
import threading
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pydantic_core

from generator.digests import digest
from generator.engine import placing
from generator.engine.fingerprints import FORMAT, fingerprint
from generator.engine.site_check import site_files

FOLDER = ".lvyin-cache"
_MANIFEST = "manifest.json"
_OBJECTS = "objects"

Record = dict[str, Any]  # {"files": [[dest, path, digest, size, mtime_ns] …], "meta": any}


class BuildCache:
    """The cache of one build: the last build's records to reuse, this build's records to keep.

    Forked parts of the build look up and store through the same object (inherited); each part
    hands the records it used back to the parent (`take_journal`, `add_journal`), which writes
    the manifest once the whole build succeeded (`save`)."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = Path(folder)
        self.fingerprint = fingerprint
        self.objects = self.folder / _OBJECTS
        self.objects.mkdir(parents=True, exist_ok=True)
        self._lock = open(self.folder / "lock", "a+b")  # noqa: SIM115 — held for the whole build
        fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)  # BlockingIOError: another build has it
        self.last: dict[str, Record] = self._read_manifest()
        self.used: dict[str, Record] = {}  # this build's records (reused or new)
        self.made: set[str] = set()  # the keys of those new
        self.placed: dict[str, str] = {}  # key → the folder of the site its files went to, if not the root
        self._own: set[str] = set()  # in a forked part, the keys of the records it used (`begin_part`)
        self._inodes: dict[str, int] = {}  # object → its inode, as `get` found it (for placing.py)
        self.reused = 0
        self._listed: dict[str, set[str]] = {}  # a finished site's files, all but the search index's
        self._kept_early: dict[str, tuple[list[list[Any]], set[str]]] = {}  # keep_listed: the files, the records seen
        self._stored_now: set[str] = set()  # the objects this process wrote in this build
        self.spare_folder = self.folder / placing.SPARE  # where the site this build replaces goes (swap.py)
        self.spare = placing.SpareSite(str(self.spare_folder))

    def _read_manifest(self) -> dict[str, Record]:
        """The last build's records, if the manifest is whole: its first line is the digest of the rest."""
        try:
            check, _, body = (self.folder / _MANIFEST).read_bytes().partition(b"\n")
            if check.decode() != digest(body):
                return {}
            data = pydantic_core.from_json(body)
            if data.get("format") != FORMAT or data.get("fingerprint") != self.fingerprint:
                return {}
            return data["records"] if isinstance(data["records"], dict) else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return {}

    @functools.cached_property
    def by_path(self) -> dict[str, str]:
        """The key of the last build's record of each entry page, by the page's path."""
        return {record["meta"]["path"]: key for key, record in self.last.items()
                if isinstance(record.get("meta"), dict) and "path" in record["meta"]}

    def close(self) -> None:
        self._lock.close()

    # Looking up

    def get(self, key: str, keep: bool = True) -> Record | None:
        """The record of `key` if the last build made it and every one of its objects is intact (and
        unless not to `keep`, the record is this build's too)."""
        record = self.last.get(key)
        if record is None:
            return None
        for _, _, name, size, mtime in record["files"]:
            try:
                stat = os.stat(self._object_file(name))
            except OSError:
                return None
            if stat.st_size != size or stat.st_mtime_ns != mtime:
                return None
            self._inodes[name] = stat.st_ino
        if keep:
            self.used[key], self.reused = record, self.reused + 1
            self._own.add(key)
        return record

    def place(self, record: Record, site: Path, copies: Path | None = None, under: str = "") -> None:
        """Put a record's files into the site (and the search copies folder), as hard links;
        `site` is the site's folder `under` (its path in the site) if not its root."""
        self.place_all([record], site, copies, under)

    def place_all(self, records: Iterable[Record], site: Path, copies: Path | None = None, under: str = "") -> None:
        """`place` each of `records` (each folder made once, or taken whole from the spare site: placing.py)."""
        roots = {"site": str(site), "copies": str(copies) if copies else None}
        placing.place((file for record in records for file in record["files"]), roots,
                      self._object_file, self.spare.below(under), self._inode)

    def read(self, record: Record) -> bytes:
        """The content of a record's one file (one that is not part of the site, such as a table of memo.py)."""
        [(_, _, name, _, _)] = record["files"]
        return self.object_path(name).read_bytes()

    def remember(self, key: str, meta: Any) -> Record:
        """The record of `key` (used in this build) with new `meta`."""
        record = self.used[key] = {**self.used[key], "meta": meta}
        self._own.add(key)
        return record

    def keep_last(self) -> None:
        """Keep every record of the last build for the next (this one had the same input)."""
        self.used = {**self.last, **self.used}

    # Storing

    def put(self, key: str, files: Iterable[tuple[str, str, Path | bytes]], meta: Any = None,
            kept: Iterable[list[Any]] = ()) -> Record:
        """Keep what a unit made: `files` are (dest, path, the file made or its bytes); `kept`, files
        of records of this build (as they name them) that are the unit's too."""
        record: Record = {"files": [*kept, *(self._store(dest, path, content) for dest, path, content in files)],
                          "meta": meta}
        self.used[key] = record
        self.made.add(key)
        self._own.add(key)
        return record

    def _store(self, dest: str, path: str, content: Path | bytes) -> list[Any]:
        """Keep one file: as a hard link to the file made (so that the site's file is the object),
        or a copy where that cannot be.  A file made again with an object's bytes becomes a hard
        link to that object (so that `keep_site` knows it without reading it again)."""
        data = content if isinstance(content, bytes) else Path(content).read_bytes()
        name = digest(data)
        target = self.object_path(name)
        if not self._intact(name, target):
            self._write(name, target, content, data)
        elif not isinstance(content, bytes):
            _link_over(target, Path(content))
        stat = os.stat(target)
        return [dest, path, name, stat.st_size, stat.st_mtime_ns]

    def _write(self, name: str, target: Path, content: Path | bytes, data: bytes) -> None:
        """Write the object `name`, new or not known to hold its bytes.  Parts of one build (processes,
        threads) may write the same object at once: the first one there stays, so that every record
        names the size and time of the object the next build finds.  One there already with other
        bytes (damaged since a record named it) is replaced."""
        target.parent.mkdir(exist_ok=True)
        # Its own name in each process and thread: the search index's parts store alike files side by side.
        temporary = target.with_name(f".{name}.{os.getpid()}.{threading.get_ident()}")
        try:
            if isinstance(content, bytes):
                raise OSError
            os.link(content, temporary)
        except OSError:  # bytes, or another file system (the search copies in memory)
            temporary.write_bytes(data)
        try:
            os.link(temporary, target)
        except FileExistsError:
            if _holds(target, name):  # another part's, or a build's whose record is lost
                if not isinstance(content, bytes):
                    _link_over(target, Path(content))
            else:
                os.replace(temporary, target)
        except OSError:  # no hard links on this file system
            os.replace(temporary, target)
        temporary.unlink(missing_ok=True)
        self._stored_now.add(name)

    @functools.cached_property
    def objects_kept(self) -> dict[str, tuple[int, int]]:
        """The size and modification time of each object the last build's records name."""
        return {name: (size, mtime) for record in self.last.values() for _, _, name, size, mtime in record["files"]}

    def _intact(self, name: str, target: Path) -> bool:
        """Whether the object `name` is there as a record of the last build left it, or as this process stored it."""
        try:
            stat = os.stat(target)
        except OSError:
            return False
        return name in self._stored_now or self.objects_kept.get(name) == (stat.st_size, stat.st_mtime_ns)

    def keep_site(self, key: str, site: Path) -> None:
        """Keep a whole finished site under `key`: each file that is still what a record of this
        build put there (its size and modification time, shared by the hard links, say so) by that
        record's object, any other (the sitemap the parent extended, the index's list of parts) anew.
        What `keep_listed` kept while the index was made is not looked at again."""
        early = self._kept_early.pop(str(site), None)
        if early is None:
            listed = self._listed.get(str(site))  # by the link check, before the index was made: add that
            files = self._site_entries(site, site_files(site) if listed is None else listed | site_files(site, "pagefind"),
                                       self.used)
        else:
            kept, seen = early
            files = kept + self._site_entries(site, site_files(site, "pagefind"),
                                              {key: record for key, record in self.used.items() if key not in seen})
        files.sort(key=lambda file: file[1])
        self.used[key] = {"files": files, "meta": {"site": True}}

    def keep_listed(self, site: Path) -> None:
        """While the search index is made: keep the files of `site` the link check listed (all but
        the index's, which are final by then), so that `keep_site` adds only the index's."""
        listed = self._listed.get(str(site))
        if listed is not None:
            self._kept_early[str(site)] = (self._site_entries(site, listed, self.used), set(self.used))

    def _site_entries(self, site: Path, paths: Iterable[str], records: dict[str, Any]) -> list[list[Any]]:
        """The files at `paths` in `site` as a record lists them: by the object of the one of
        `records` that put each there, if it is still that, else stored anew."""
        expected = {}
        for record_key, record in records.items():
            folder = self.placed.get(record_key, "")
            for dest, path, name, size, mtime in record["files"]:
                if dest == "site":
                    expected[f"{folder}/{path}" if folder else path] = [name, size, mtime]
        files, root = [], str(site)
        for rel in paths:
            stat = os.stat(f"{root}/{rel}")
            known = expected.get(rel)
            if known and known[1:] == [stat.st_size, stat.st_mtime_ns]:
                files.append(["site", rel, *known])
            else:
                files.append(self._store("site", rel, site / rel))
        return files

    def changed_pages(self, site: Path, files: set[str]) -> tuple[set[str], set[str]] | None:
        """The pages of `site` (whose `files` these are) that are not byte for byte the last build's
        at the same path, and the files of the last build's site that `site` lacks (the index aside);
        None when that site is unknown."""
        site_key = self.last_site_key()
        if site_key is None:
            return None
        last = {path: name for _, path, name, _, _ in self.last[site_key]["files"]}
        now = self.listed(site, files)
        made = {path: name for key in self.made for dest, path, name, *_ in self.used[key]["files"]
                if dest == "site" and key not in self.placed}  # made again: by their bytes, most the same
        changed = {path for path in now - last.keys() if path.endswith(".html")}
        changed |= {path for path, name in made.items() if path.endswith(".html") and path in now and last.get(path) != name}
        return changed, {path for path in last.keys() - now if not path.startswith("pagefind")}

    def listed(self, site: Path, files: set[str]) -> set[str]:
        """Note that `site` has `files` (but for the index, which is made later): `keep_site` does
        not list them again."""
        self._listed[str(site)] = {path for path in files if not path.startswith("pagefind")}
        return self._listed[str(site)]

    def last_site_key(self) -> str | None:
        """The key the last build kept its whole site under."""
        return next((key for key, record in self.last.items()
                     if isinstance(record.get("meta"), dict) and record["meta"].get("site")), None)

    def object_path(self, name: str) -> Path:
        return Path(self._object_file(name))

    def _inode(self, name: str) -> int:
        found = self._inodes.get(name)
        return os.stat(self._object_file(name)).st_ino if found is None else found

    def _object_file(self, name: str) -> str:  # as a string: checked and placed 100,000 times a build
        return f"{self.objects}/{name[:2]}/{name[2:]}"

    # Between processes, and at the end

    def begin_part(self) -> None:
        """In a forked part: note from now on which records it uses, for its journal.  It still sees
        the parent's (the index and the link check read them all); none is copied or freed, which
        would write to every memory page that holds them, in each part (0.2 s a part at 100,000 lectures)."""
        self._own, self.reused = set(), 0

    def take_journal(self, path: Path) -> None:
        """In a forked part: leave the records it used for the parent."""
        path.write_bytes(pydantic_core.to_json({"used": {key: self.used[key] for key in self._own}, "reused": self.reused,
                                                "made": sorted(self._own & self.made),
                                                "placed": {key: self.placed[key] for key in self._own if key in self.placed}}))

    def add_journal(self, path: Path) -> None:
        """In the parent: the records a part used."""
        if path.is_file():
            journal = pydantic_core.from_json(path.read_bytes())
            self.used.update(journal["used"])
            self.reused += journal["reused"]
            self.made.update(journal["made"])
            self.placed.update(journal["placed"])

    def save(self) -> None:
        """Keep this build's records for the next one, and delete the objects none of them names."""
        records = self.used
        body = pydantic_core.to_json({"format": FORMAT, "fingerprint": self.fingerprint, "records": records})
        temporary = self.folder / f".{_MANIFEST}.{os.getpid()}"
        with open(temporary, "wb") as out:
            out.write(digest(body).encode() + b"\n" + body)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, self.folder / _MANIFEST)
        keep = {name for record in records.values() for _, _, name, _, _ in record["files"]}
        for folder in os.scandir(self.objects):  # names as strings: 300,000 objects at 100,000 lectures
            if folder.is_dir():
                for name in os.listdir(folder.path):
                    if folder.name + name not in keep:
                        Path(folder.path, name).unlink(missing_ok=True)


def _link_over(source: Path, file: Path) -> None:
    """Make `file` a hard link to `source` (the same bytes), if this file system can."""
    temporary = file.with_name(f".{file.name}.{os.getpid()}.{threading.get_ident()}")
    try:
        os.link(source, temporary)
    except OSError:  # another file system (the search copies in memory), or no hard links there
        return
    os.replace(temporary, file)


def _holds(target: Path, name: str) -> bool:
    """Whether the object file `target` holds the bytes of digest `name`."""
    try:
        return digest(target.read_bytes()) == name
    except OSError:
        return False


def open_cache(folder: Path, config_file: Path, catalog: Path) -> BuildCache | str:
    """The cache in `folder`, or why not: another build holds it, or git tracks files in it (a
    cache is what builds on this machine made, never what a commit brought: its records say which
    files to publish)."""
    tracked = subprocess.run(["git", "ls-files", "--", str(folder)], cwd=config_file.resolve().parent,
                             capture_output=True, text=True, check=False).stdout.strip()
    if tracked:
        return f"缓存文件夹 {folder}/ 中有 git 跟踪的文件，不能当作构建缓存使用（请从仓库中删除它们）"
    try:
        return BuildCache(folder, fingerprint(config_file, catalog))
    except BlockingIOError:
        return f"另一个构建正在使用缓存 {folder}/"
