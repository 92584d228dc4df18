"""What a build's outputs depend on besides their own inputs, as one digest (build_cache.py):
the tools and the site's frame; and the digest of folders of files (the catalogue's, for the
asset makers)."""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import stat
from pathlib import Path
from typing import Any

FORMAT = 1  # of the build cache (build_cache.py): a new one is a new fingerprint
_SKIP = {"__pycache__", ".mypy_cache", ".ruff_cache"}


def _tree(h: Any, root: Path) -> None:
    """Every file below `root` into `h`, by path and content, in a fixed order."""
    if root.is_file():
        _file(h, root.name, root)
        return
    for folder, folders, names in os.walk(root):
        folders[:] = sorted(f for f in folders if f not in _SKIP)
        for name in sorted(names):
            path = Path(folder) / name
            _file(h, path.relative_to(root).as_posix(), path)


def _file(h: Any, name: str, path: Path) -> None:
    """One file into `h`: its name and content, read in chunks.  What is not a regular file (a
    link, a named pipe: the catalogue's check refuses them) by its name and kind only: it is never
    opened, so that a pull request cannot make the build read outside the catalogue or wait forever."""
    found = os.lstat(path)
    h.update(name.encode() + b"\0")  # no name holds a NUL; each content comes after its length
    if not stat.S_ISREG(found.st_mode):
        h.update(b"s" + stat.S_IFMT(found.st_mode).to_bytes(8, "little"))
        return
    with open(path, "rb") as file:
        h.update(b"f" + os.fstat(file.fileno()).st_size.to_bytes(8, "little"))
        while chunk := file.read(1 << 20):
            h.update(chunk)


def fingerprint(config_file: Path, catalog: Path) -> str:
    """What every output depends on besides its own inputs: the tools and the site's frame."""
    import generator

    h = hashlib.blake2b(digest_size=20)
    h.update(f"lvyin-cache {FORMAT}\n".encode())
    h.update("\n".join(f"{name}=={version}" for name, version in sorted(_versions().items())).encode())
    project = config_file.resolve().parent
    return tree_digest({"generator": Path(generator.__file__).parent, "mkdocs.yml": config_file,
                        "overrides": project / "overrides", "content": project / "content",
                        "site.yaml": catalog / "site.yaml"}, h)


def tree_digest(roots: dict[str, Path], h: Any = None) -> str:
    """The digest of every file below each of `roots`, by its label (not where it is: a cache
    moves with its checkout) and its files' paths below it and contents."""
    h = h or hashlib.blake2b(digest_size=20)
    for label, root in roots.items():
        h.update(label.encode() + b"\0")
        if root.exists():
            _tree(h, root)
    return h.hexdigest()


def _versions() -> dict[str, str]:
    """Each installed distribution's version, as `importlib.metadata.version` finds it (the first on
    the path): the same however the build was started (`python -m generator` from the project's
    folder also sees its `lvyin.egg-info` there, the `lvyin` command does not)."""
    found: dict[str, str] = {}
    for distribution in importlib.metadata.distributions():
        found.setdefault(distribution.metadata["Name"], distribution.version)
    return found
