"""The processes a build starts end when it ends, even when it is killed (`kill -9`, out of memory).

A forked child that waits for its parent (on a pipe it holds both ends of, on a pool's task
queue) would otherwise wait forever, holding its share of the catalogue: 180 MB for the
catalogue's second reader at 100,000 lectures.  On Linux each child asks the kernel to kill
it when its parent dies (`prctl(PR_SET_PDEATHSIG)`), and the children of the children do the
same, so a whole tree goes with its root.  The kernel sends the signal when the *thread* that
started the child ends: every child here is started by a thread that waits for it.

Where prctl is missing (not Linux) a child only checks at its start that its parent still lives.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import multiprocessing.pool
import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def _load_prctl():
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


def _run_with_lifeline(parent: int, target, args) -> None:
    die_with_parent(parent)
    target(*args)


def fork_process(target, args: tuple = (), name: str | None = None) -> multiprocessing.Process:
    """A forked process (not started) that runs `target(*args)` and dies with this one."""
    return multiprocessing.get_context("fork").Process(target=_run_with_lifeline, args=(os.getpid(), target, args),
                                                       name=name)


def fork_pool(processes: int) -> multiprocessing.pool.Pool:
    """A pool of forked workers that die with this process."""
    return multiprocessing.get_context("fork").Pool(processes, initializer=die_with_parent, initargs=(os.getpid(),))


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
