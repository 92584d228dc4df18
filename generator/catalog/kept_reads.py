"""The entries of catalogue files that earlier builds read, kept on disk beside the build cache.

Reading a catalogue file is parsing its YAML with every value's position and validating each
entry: at 100,000 lectures about 10 s of every rebuild, though a rebuild after one edit has one
file that changed.  A file without problems leaves its entries pickled (without the document's
data and positions, `Document.travel_light`, as the forked reader of files.py sends them) under
the digest of the tools' fingerprint, its kind and its bytes; a later build that finds a file
with those very bytes takes its entries from there, and their digests (digests.py: what a rebuild's
traces compare, engine/traces.py), found when they were read.  What does not unpickle to entries (a file
cut short, damaged, or left by other code) is read again.

A build that succeeded found no private value in the public text of the entries it read (checks.py,
`privacy`), and notes so (`CLEAN`: the kept reads it used and the digest of the private values),
so that the next build with the same private values does not look through those files'
entries again (4 s at 100,000 lectures).

Unpickling runs code: the folder is inside the build cache (`engine/build_cache.py`), which only
this machine's builds write and which is not used when git tracks a file in it, so a pull
request cannot put anything there.
"""

from __future__ import annotations

import json
import os
import pickle
from pathlib import Path
from typing import Any

from generator.digests import digest

CLEAN = "clean.json"  # {"private": digest of the private values, "names": [kept reads found clean]}


class KeptReads:
    """One folder of kept reads, and which of them this build used (`prune` deletes the others)."""

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = Path(folder)
        self.salt = salt  # the tools' fingerprint: other code reads files otherwise
        self.used: set[str] = set()
        self.folder.mkdir(parents=True, exist_ok=True)

    def name(self, kind: str, data: bytes) -> str:
        return digest(self.salt, kind, data)

    def take(self, name: str) -> Any:
        """What was kept under `name`, or None."""
        try:
            with open(self.folder / name, "rb") as file:
                found = pickle.load(file)  # noqa: S301 — written by this machine's builds (see above)
        except Exception:  # noqa: BLE001 — missing, cut short or damaged: the file is read again
            return None
        self.used.add(name)
        return found

    def keep(self, name: str, read: Any) -> None:
        temporary = self.folder / f".{name}.{os.getpid()}"
        temporary.write_bytes(pickle.dumps(read, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(temporary, self.folder / name)  # whole or not at all
        self.used.add(name)

    def clean_under(self, private: str) -> set[str]:
        """The kept reads in whose entries the last build that succeeded found no private value,
        if its private values digested to `private` (none otherwise)."""
        try:
            noted = json.loads((self.folder / CLEAN).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return set()
        if not isinstance(noted, dict) or noted.get("private") != private or not isinstance(noted.get("names"), list):
            return set()
        return {name for name in noted["names"] if isinstance(name, str)}

    def prune(self, private: str = "") -> None:
        """Delete what this build did not use (after it succeeded), and note that what it used had
        no private value in public text while the private values digested to `private`."""
        for path in self.folder.iterdir():
            if path.name not in self.used:
                path.unlink(missing_ok=True)
        if private:
            temporary = self.folder / f".{CLEAN}.{os.getpid()}"
            temporary.write_text(json.dumps({"private": private, "names": sorted(self.used)}), encoding="utf-8")
            os.replace(temporary, self.folder / CLEAN)
