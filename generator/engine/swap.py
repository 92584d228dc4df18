"""A new site takes the old one's place in one step: `site/` is always a whole site, old or new.

`lvyin build` and `lvyin generate` write into a new folder beside the target and swap it in
only when everything succeeded, so a failed or killed build leaves the previous output as it
was.  The target stays a real folder (deployments copy it with rsync; a symlink would change
what they copy unless they follow it).

The swap is Linux's `renameat2(RENAME_EXCHANGE)`: the new folder and the old one trade names at
once, and the old one (now under the new one's name) is then set aside and deleted in the
background.  A build killed in between leaves the old site under `.site.new-<pid>-…`, which the
next build deletes (see workers.py).

Where the exchange is missing (not Linux, glibc before 2.28, a file system that refuses it)
the swap takes two renames: the old site to `.site.old-<pid>-…/site`, the new one to `site`.
Between the two (microseconds) there is no `site/`: a web server reading it then finds
nothing, and a build killed exactly there leaves the old site set aside, whole.  The next build
puts it back first (`recover`), before it compares the catalogue with the ids that site published.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from generator import workers

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
# What renameat2 answers where the kernel or the file system cannot exchange.
_CANNOT = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP}


def _load_renameat2():
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    return renameat2


_renameat2 = _load_renameat2()


def _new(target: Path) -> str:
    return f".{target.name}.new-"


def _old(target: Path) -> str:
    return f".{target.name}.old-"


@contextlib.contextmanager
def swap_in(target: Path, keep_old: Path | None = None) -> Iterator[Path]:
    """Yield a fresh folder beside `target`; on success it replaces `target`, and the replaced
    one (with any a killed build left) is deleted in the background, or moved to `keep_old` (the
    build cache's spare site, placing.py; the one there before is deleted instead)."""
    target = Path(target).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    recover(target)
    fresh = workers.new_folder(_new(target), target.parent)
    try:
        yield fresh
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    _replace(target, fresh, keep_old)


def recover(target: Path) -> None:
    """If a build was killed between the two renames of the fallback, put the old site back."""
    target = Path(target).resolve()
    if target.exists() or not target.parent.is_dir():
        return
    set_aside = [folder / target.name for folder in workers.abandoned(_old(target), target.parent)]
    set_aside = [site for site in set_aside if site.is_dir()]
    if set_aside:  # the newest: older ones may be half deleted
        os.rename(max(set_aside, key=lambda site: site.parent.stat().st_mtime_ns), target)


def _replace(target: Path, fresh: Path, keep_old: Path | None = None) -> None:
    if not target.exists():
        os.rename(fresh, target)
        return
    # Also deletes those killed builds left (unnamed ones were only ever set aside to be deleted).
    old = workers.new_folder(_old(target), target.parent, unnamed_after=0)
    if _exchange(fresh, target):
        os.rename(fresh, old / target.name)
    else:
        _set_aside(target, old / target.name)
        os.rename(fresh, target)
    if keep_old is not None:
        with contextlib.suppress(OSError):  # on another file system: deleted with the rest
            if keep_old.exists():
                os.rename(keep_old, old / "spare")
            os.rename(old / target.name, keep_old)
    workers.delete_in_background([old])


def _exchange(a: Path, b: Path) -> bool:
    """Swap the names of `a` and `b` in one step; False where that cannot be done here."""
    if _renameat2 is None:
        return False
    if _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in _CANNOT:
        return False
    raise OSError(error, os.strerror(error), str(a), None, str(b))


def _set_aside(target: Path, place: Path) -> None:
    os.rename(target, place)
