"""Putting the build cache's files into a site: as hard links to its objects, each folder made
once, or taken whole from the site the last build replaced.

A rebuild puts most of its files in place from the build cache (build_cache.py), as hard links
to the cache's objects (copies where the two are on different file systems, as the search
copies in memory are).  The links are cheap; the folders are not: on an ext4 disk making one costs
about 0.25 ms, and a site of 100,000 lectures has as many page folders, made anew by every build
(and the replaced site's as many deleted afterwards).  So `lvyin build` with the cache does not
delete the site it replaced: swap.py moves it to `.lvyin-cache/spare/` (the one there before
goes).  The next build, placing a record's files, moves a folder of the spare site into the new
one (one rename) when that folder holds exactly the files to place there: no folder below it,
no other file, and each file the cache's very object (the same inode: the bytes the record
names, which `BuildCache.get` found intact).  Anything else in the spare is left, and deleted
with it by the build after.

The spare is only ever read this way: a folder that does not match is made as before, so a
spare site edited, cut short or from another build changes nothing but the time taken.
"""

from __future__ import annotations

import errno
import os
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from generator.outputs.files import SiteCollision

SPARE = "spare"  # the spare site's folder in the build cache


class SpareSite:
    """The spare site of a build cache, if there is one (`folder` None otherwise)."""

    def __init__(self, folder: str | None) -> None:
        self.folder = folder if folder and os.path.isdir(folder) else None

    def below(self, path: str) -> SpareSite:
        """The spare site's folder at `path` (the site's root if ""), as a spare site of its own."""
        return SpareSite(f"{self.folder}/{path}") if path and self.folder else self

    def take(self, files: list[Any], root: str, inode: Callable[[str], int], made: set[str]) -> list[Any]:
        """Move into `root` each folder of the spare that holds just the record's `files` ([dest,
        path, object, size, time] …; those with dest "site" go to `root`) as they are; return the
        files still to place.  `inode`: each object's inode; `made`: the folders made so far (a taken one is added)."""
        if self.folder is None:
            return files
        groups: dict[str, list[Any]] = defaultdict(list)
        for file in files:
            folder, _, _ = file[1].rpartition("/")
            if file[0] == "site" and folder:  # never the root folder
                groups[folder].append(file)
        taken = {folder for folder, group in groups.items() if self._take(folder, group, root, inode, made)}
        if not taken:
            return files
        return [file for file in files if not (file[0] == "site" and file[1].rpartition("/")[0] in taken)]

    def _take(self, folder: str, group: list[Any], root: str, inode: Callable[[str], int], made: set[str]) -> bool:
        spare, target = f"{self.folder}/{folder}", f"{root}/{folder}"
        try:
            with os.scandir(spare) as entries:
                found = {}
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):  # a page below it: made as before
                        return False
                    found[entry.name] = entry.inode()
            wanted = {path.rpartition("/")[2]: name for _, path, name, _, _ in group}
            if found.keys() != wanted.keys():
                return False
            if any(inode(name) != found[file] for file, name in wanted.items()):
                return False
            parent = os.path.dirname(target)
            if parent not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            os.rename(spare, target)  # refused if the target holds files already
        except OSError as error:
            if error.errno == errno.EXDEV:  # the spare is on another file system: none can be taken
                self.folder = None
            return False
        made.add(target)
        return True


def place(files: Iterable[list[Any]], roots: dict[str, str | None], object_path: Callable[[str], str],
          spare: SpareSite, inode: Callable[[str], int]) -> None:
    """Put `files` ([dest, path, object, size, time] …) under `roots[dest]` (none: not placed);
    `inode` tells an object's inode (the build cache found most when it checked the records)."""
    made: set[str] = set()
    linked: dict[str, bool] = {}  # root → False where hard links cannot reach the objects
    site = roots["site"]
    for dest, path, name, _, _ in spare.take(list(files), site, inode, made) if site else files:
        root = roots.get(dest)
        if root is None:
            continue
        target = f"{root}/{path}"
        folder = os.path.dirname(target)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        try:
            if linked.get(root, True):
                try:
                    os.link(object_path(name), target)
                    continue
                except FileExistsError:
                    raise
                except OSError as error:  # no hard link here: copied
                    if error.errno == errno.EXDEV:  # another file system (the copies in memory): all copied
                        linked[root] = False
            with open(object_path(name), "rb") as source, open(target, "xb") as out:
                out.write(source.read())
        except FileExistsError:  # a file another part put there (a hand-written page at an entry page's address)
            raise SiteCollision.at(path) from None
