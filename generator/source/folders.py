"""What an editor's folder may hold: files and folders of its own, nothing that leads elsewhere.

A pull request adds a symbolic link (`catalog/venues/x.yaml → /etc/passwd`) as easily as a
file, and a checkout may hold a named pipe or a device.  Reading through a link would publish a
file from outside the repository; opening a pipe would hang the build.  So every path below
`catalog/` and `articles/` is looked at without following it (`lstat`): a link, wherever it
points (one rule for all links, so none is read by accident), and anything that is neither a file
nor a folder is a problem at its own path, and is never opened.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from generator.errors import Problem, shown

_SPECIAL = {stat.S_IFIFO: "命名管道", stat.S_IFCHR: "设备文件", stat.S_IFBLK: "设备文件", stat.S_IFSOCK: "套接字"}


def refusal(path: Path, shown_as: str | None = None, within: Path | None = None) -> Problem | None:
    """Why `path` may not be read (a link or a special file), or None for a file or folder; the
    problem is at `shown_as` (by default, where `path` is shown from the working directory).

    `within` is the folder the editor's files belong to: a link is said to point outside it
    when it does (without `within`, every link is said to).  A path that does not exist is None.
    """
    try:
        mode = path.lstat().st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    at = display(path) if shown_as is None else shown_as
    if stat.S_ISLNK(mode):
        target = shown(os.readlink(path), 80)
        if within is not None and _inside(path, within):
            return Problem(at, 1, 1, "", f"这是一个链接（指向 {target}），不能读取",
                           "目录里只能放文件本身，不能放链接：请删除这个链接，直接编辑它指向的文件")
        return Problem(at, 1, 1, "", f"这是指向目录之外的链接（{target}），不能读取",
                       "只能发布仓库中 catalog/ 和 articles/ 里的文件：请删除这个链接，把内容直接写进文件")
    kind = _SPECIAL.get(stat.S_IFMT(mode), "特殊文件")
    return Problem(at, 1, 1, "", f"这不是普通文件（{kind}），不能读取",
                   "请删除它：目录里只能放 .yaml 文件，文章文件夹里只能放 .md 文件")


def listing(folder: Path, within: Path, problems: list[Problem]) -> list[Path]:
    """The files and folders in `folder`, sorted; links and special files become `problems`."""
    found = []
    for path in sorted(folder.iterdir()):
        problem = refusal(path, within=within)
        if problem:
            problems.append(problem)
        else:
            found.append(path)
    return found


def display(path: Path) -> str:
    """`path` as messages show it: from the working directory when it is below it.

    Only the folder is resolved, never the name itself, so a link is shown where it lies.
    """
    path = Path(path)
    try:
        return str((path.parent.resolve() / path.name).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _inside(link: Path, folder: Path) -> bool:
    # os.path.realpath, unlike Path.resolve in Python 3.11, gives up quietly on a loop of links.
    target = Path(os.path.realpath(link))
    home = Path(os.path.realpath(folder))
    return target == home or home in target.parents
