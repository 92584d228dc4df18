"""Digests: the one way the build cache, its traces and the kept reads name what they keep.

`digest` names a list of strings or bytes (each length-prefixed, so that no two lists digest
alike).  `digest_once` finds a value's digest once for that very object, which must not change
while the process runs (it is kept alive here with its digest, so that its `id` is not given to
another); `entry_digest` names a catalogue entry (frozen) by its type and JSON that way.
A catalogue file's entries taken from the kept reads (catalog/kept_reads.py) bring the digests
their first build found (`know_entry_digests`), so that a rebuild does not turn 100,000 entries
into JSON again to tell that they did not change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel

_known: dict[int, tuple[Any, str]] = {}  # id → (the object, kept alive, its digest)


def digest(*parts: str | bytes) -> str:
    """One BLAKE2b digest (hex) of `parts`, each length-prefixed so that no two lists digest alike."""
    h = hashlib.blake2b(digest_size=20)
    if len(parts) == 1:  # a file's content: not copied into one buffer with its length
        data = parts[0].encode("utf-8") if isinstance(parts[0], str) else parts[0]
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
        return h.hexdigest()
    each = [part.encode("utf-8") if isinstance(part, str) else part for part in parts]
    h.update(b"".join([piece for one in each for piece in (len(one).to_bytes(8, "little"), one)]))
    return h.hexdigest()


def digest_once(value: Any, find: Callable[[Any], str]) -> str:
    """`find(value)`, found once for this very object."""
    known = _known.get(id(value))
    if known is not None and known[0] is value:
        return known[1]
    found = find(value)
    _known[id(value)] = (value, found)
    return found


def entry_digest(entry: BaseModel) -> str:
    """The digest of a (frozen) entry: its type's name and its JSON."""
    return digest_once(entry, lambda entry: digest(type(entry).__name__, entry.model_dump_json()))


def know_entry_digests(entries: Iterable[BaseModel], digests: Iterable[str]) -> None:
    """Take the digests of `entries` as found before (by `entry_digest`, on entries of the same
    bytes under the same code)."""
    for entry, found in zip(entries, digests, strict=True):
        _known[id(entry)] = (entry, found)
