"""The folders a build keeps while it runs, and the next build deleting those a killed one left.

A build killed half way (`kill -9`, out of memory, a machine stopped) leaves its folders behind:
the new site, the parts (1.5 GB at 100,000 lectures), the pages' copies for the search index in
memory (/dev/shm, memory held until the machine restarts).  Each folder's name therefore starts
with its prefix and the id of the process that made it (`.lvyin-parts-1234-x8f2…`), and whoever
makes a folder of a prefix first deletes those of that prefix whose process has ended — never
those of a build still running beside it.  A name without a process id is from an older version
of this program: abandoned once untouched for an hour (builds take minutes).  If a process id has
since been given to another process, the folder waits for that one to end.
"""

from __future__ import annotations

import glob
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

UNNAMED_AFTER = 3600  # seconds
_made: set[str] = set()  # folders this process made (its id may be a killed build's, in a fresh container)


def new_folder(prefix: str, beside: Path, unnamed_after: float = UNNAMED_AFTER) -> Path:
    """A new folder `beside`/`prefix`<pid>-…, after deleting the abandoned ones of `prefix` there."""
    delete_in_background(abandoned(prefix, beside, unnamed_after))
    folder = tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=beside)
    _made.add(Path(folder).name)
    return Path(folder)


def temporary(prefix: str, beside: Path) -> tempfile.TemporaryDirectory:
    """Like `new_folder`, as a TemporaryDirectory (deleted when done with)."""
    delete_in_background(abandoned(prefix, beside))
    folder = tempfile.TemporaryDirectory(prefix=f"{prefix}{os.getpid()}-", dir=beside)
    _made.add(Path(folder.name).name)
    return folder


def abandoned(prefix: str, beside: Path, unnamed_after: float = UNNAMED_AFTER) -> list[Path]:
    """The folders of `prefix` in `beside` whose process has ended (see the module's docstring)."""
    return [folder for folder in sorted(Path(beside).glob(f"{glob.escape(prefix)}*"))
            if _abandoned(folder, folder.name[len(prefix):], unnamed_after)]


def _abandoned(folder: Path, rest: str, unnamed_after: float) -> bool:
    pid = re.match(r"(\d+)-", rest)
    if pid is None:
        try:
            return time.time() - folder.stat().st_mtime >= unnamed_after
        except OSError:  # deleted meanwhile
            return False
    if int(pid[1]) == os.getpid():
        return folder.name not in _made
    return not running(int(pid[1]))


def running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's
        pass
    return True


def delete_in_background(folders: list[Path]) -> None:
    """Delete `folders` in a process that outlives this one (started in its own session, so
    Ctrl-C does not stop it half way): deleting a site of 100,000 lectures took 50 s on disk."""
    if folders:
        subprocess.run(["sh", "-c", 'rm -rf -- "$@" &', "sh", *map(str, folders)], check=True,
                       start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
