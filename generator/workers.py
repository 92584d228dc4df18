"""The processes, the garbage collector and the scratch folders of a build, in one place.

Forked processes and pools.  A build's parts, the catalogue's second reader, the link check and
the search index's readers run in processes forked from the one that loaded the catalogue, so
they share it.  Where processes cannot be forked or the cores this one may use cannot be told
(`os.fork`, `os.sched_getaffinity`: not on Windows, not the latter on macOS), `cores()` is 1,
`can_fork()` false, and a build runs in this one process, to the same bytes.

Lifelines.  The processes a build starts end when it ends, even when it is killed (`kill -9`, out of memory).
A forked child that waits for its parent (on a pipe it holds both ends of, on a pool's task
queue) would otherwise wait forever, holding its share of the catalogue: 180 MB for the
catalogue's second reader at 100,000 lectures.  On Linux each child asks the kernel to kill
it when its parent dies (`prctl(PR_SET_PDEATHSIG)`), and the children of the children do the
same, so a whole tree goes with its root.  The kernel sends the signal when the *thread* that
started the child ends: every child here is started by a thread that waits for it.
Where prctl is missing (not Linux) a child only checks at its start that its parent still lives.

The garbage collector.  A build keeps the whole catalogue alive while it makes more, and each full
collection walks all of it; the switches that keep it from doing so are here.

Scratch folders.  A build killed half way leaves its folders behind: the new site, the parts
(1.5 GB at 100,000 lectures), the pages' copies for the search index in memory (/dev/shm, memory
held until the machine restarts).  Each folder's name therefore starts with its prefix and the
id of the process that made it (`.lvyin-parts-1234-x8f2…`), and whoever makes a folder of a
prefix first deletes those of that prefix whose process has ended — never those of a build still
running beside it.  A name without a process id is from an older version of this program:
abandoned once untouched for an hour (builds take minutes).  If a process id has since been given
to another process, the folder waits for that one to end.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import glob
import multiprocessing
import multiprocessing.pool
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, cast

_PR_SET_PDEATHSIG = 1


def can_fork() -> bool:
    """Whether this machine can fork processes and tell the cores this one may use (else: one process)."""
    return hasattr(os, "fork") and hasattr(os, "sched_getaffinity")


def cores() -> int:
    """The cores this process may run on; 1 where `can_fork()` is false."""
    return len(os.sched_getaffinity(0)) if can_fork() else 1


def _load_prctl() -> Callable[..., int] | None:
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_prctl = _load_prctl() if sys.platform.startswith("linux") else None


def die_with_parent(parent: int) -> None:
    """Be killed when the process `parent` (which started this one) ends; end now if it already has."""
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before the request was made
        os._exit(1)


def _run_with_lifeline(parent: int, target: Callable[..., object], args: tuple[Any, ...]) -> None:
    die_with_parent(parent)
    target(*args)


def fork_process(target: Callable[..., object], args: tuple[Any, ...] = (), name: str | None = None) -> multiprocessing.Process:
    """A forked process (not started) that runs `target(*args)` and dies with this one."""
    process = multiprocessing.get_context("fork").Process(target=_run_with_lifeline, args=(os.getpid(), target, args),
                                                          name=name)
    # The fork context's process class is a sibling of `multiprocessing.Process` with the same methods, not a subclass.
    return cast(multiprocessing.Process, process)


def fresh_process(target: Callable[..., object], args: tuple[Any, ...] = (), name: str | None = None) -> multiprocessing.Process:
    """A new interpreter (not started) that runs `target(*args)` (both pickled) and dies with this one.

    Slower to start than `fork_process`, but it shares no memory with this process: while a forked
    child lives, each page of this process's memory it writes first (and Python writes every object it
    touches, its reference count) is copied; a preview of 100,000 lectures took 3.3 s to show an edit
    then, 1.9 s without."""
    process = multiprocessing.get_context("spawn").Process(target=_run_with_lifeline, args=(os.getpid(), target, args),
                                                           name=name)
    return cast(multiprocessing.Process, process)


def fork_pool(processes: int) -> multiprocessing.pool.Pool:
    """A pool of forked workers that die with this process."""
    return multiprocessing.get_context("fork").Pool(processes, initializer=die_with_parent, initargs=(os.getpid(),))


def starmap(function: Callable[..., Any], jobs: list[tuple[Any, ...]]) -> list[Any]:
    """`function(*job)` of every job, in order: by a pool of forked workers, one per core, when there
    are several jobs and `can_fork()`; else here, one after the other."""
    if len(jobs) <= 1 or not can_fork():
        return [function(*job) for job in jobs]
    with fork_pool(cores()) as pool:
        return pool.starmap(function, jobs)


def command(argv: list[str]) -> list[str]:
    """`argv` run so that it dies with this process (as it is where prctl is missing)."""
    if _prctl is None:
        return argv
    return [sys.executable, "-I", "-S", "-c", _BOOTSTRAP, str(os.getpid()), *argv]


# Run as `python -c` between a build and a program it runs (Pagefind): asks for the signal, then
# becomes the program (the request survives exec).  Threads start Pagefind, so this cannot be done
# in subprocess's preexec_fn, which is unsafe with threads.
_BOOTSTRAP = f"""\
import ctypes, os, signal, sys
ctypes.CDLL(None).prctl({_PR_SET_PDEATHSIG}, signal.SIGKILL)
if os.getppid() != int(sys.argv[1]):
    os._exit(1)
os.execv(sys.argv[2], sys.argv[2:])
"""


# The garbage collector's thresholds as Python starts.
USUAL_GC = gc.get_threshold()


@contextlib.contextmanager
def no_cyclic_gc() -> Iterator[None]:
    """Python's cyclic garbage collector off for the length of a build, in it and in its parts.

    Each of its full collections walks every object alive, and a build keeps the whole catalogue
    alive while making more: at 100,000 lectures, reading the catalogue took 30 s with it and 18 s
    without, planning the pages 11 s and 3 s.  What a build makes is still freed by reference
    counting as it goes; only the few cycles wait for the process to end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextlib.contextmanager
def frozen_for_children() -> Iterator[None]:
    """What is alive now frozen while forked children run: should they collect, the catalogue
    stays shared instead of being copied page by page."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def no_full_collections() -> None:
    """Young collections as usual, the full one (which walks everything) only when asked for."""
    gc.set_threshold(USUAL_GC[0], USUAL_GC[1], 1_000_000)


def usual_collections() -> None:
    """Python's usual collection thresholds again."""
    gc.set_threshold(*USUAL_GC)


_frozen = [False]  # `gc.get_freeze_count` walks everything frozen (a fifth of a second at 100,000 lectures)


def collect_and_freeze() -> None:
    """One full collection now, then what is left frozen: later collections walk only what is made after."""
    gc.collect()
    gc.freeze()
    _frozen[0] = True


def anything_frozen() -> bool:
    return _frozen[0]


def unfreeze() -> None:
    gc.unfreeze()
    _frozen[0] = False


# Memory-backed files, if the machine has them: creating and deleting a hundred thousand
# folders of one small file took 25 s each on the benchmark's disk and 3 s here.
IN_MEMORY = Path("/dev/shm")
UNNAMED_AFTER = 3600  # seconds
_made: set[str] = set()  # folders this process made (its id may be a killed build's, in a fresh container)


def in_memory(prefix: str, room: int, also: Iterable[str] = ()) -> Scratch | None:
    """A new folder `prefix`<pid>-… in memory (`IN_MEMORY`) if `room` bytes are free there, else None;
    first the abandoned folders of `prefix` and of the prefixes `also` there are deleted (at once:
    the room they hold is counted next)."""
    with contextlib.suppress(OSError):
        for folder in [found for name in (prefix, *also) for found in abandoned(name, IN_MEMORY)]:
            shutil.rmtree(folder, ignore_errors=True)
        if os.access(IN_MEMORY, os.W_OK) and shutil.disk_usage(IN_MEMORY).free >= room:
            return temporary(prefix, IN_MEMORY)
    return None


def new_folder(prefix: str, beside: Path, unnamed_after: float = UNNAMED_AFTER) -> Path:
    """A new folder `beside`/`prefix`<pid>-…, after deleting the abandoned ones of `prefix` there."""
    delete_in_background(abandoned(prefix, beside, unnamed_after))
    folder = tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=beside)
    _made.add(Path(folder).name)
    return Path(folder)


class Scratch:
    """A new folder `prefix`<pid>-… `beside` (after deleting the abandoned ones of `prefix` there), used
    as a TemporaryDirectory: deleted when done with, but by a process that outlives this one (the
    search copies of 100,000 lectures took 4.5 s to delete in memory, at the end of every build)."""

    def __init__(self, prefix: str, beside: Path) -> None:
        delete_in_background(abandoned(prefix, beside))
        self.name = tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=beside)
        _made.add(Path(self.name).name)

    def __enter__(self) -> str:
        return self.name

    def __exit__(self, *exc: object) -> None:
        self.cleanup()

    def cleanup(self) -> None:
        delete_in_background([Path(self.name)])


def temporary(prefix: str, beside: Path) -> Scratch:
    """Like `new_folder`, deleted when done with (`Scratch`)."""
    return Scratch(prefix, beside)


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
