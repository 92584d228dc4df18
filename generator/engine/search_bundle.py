"""Make a Pagefind bundle byte-identical from one build to the next.

Pagefind 1.5 writes each filter's values in hash-map order, which changes from
run to run (upstream issue #638), and the file names are hashes of the content,
so the filter files, the language's metadata file that names them and
`pagefind-entry.json` change even when nothing else did.  `canonicalize`
rewrites the filter files with their values sorted, names every rewritten file
by a hash of its new content, and updates the references: the same input then
gives the same bundle, which a deployment can compare and cache.

The files are gzip-compressed; inside, a 12-byte signature precedes CBOR.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import cbor2

SIGNATURE = b"pagefind_dcd"
ENTRY = "pagefind-entry.json"
META_FILTERS = 3  # the metadata's list of [filter name, filter file hash]


def _read(path: Path):
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(SIGNATURE):
        raise ValueError(f"{path} is not a Pagefind data file")
    return cbor2.loads(raw[len(SIGNATURE):])


def _pack(data) -> bytes:
    return gzip.compress(SIGNATURE + cbor2.dumps(data), mtime=0)


def _name(language: str, blob: bytes, length: int) -> str:
    return f"{language}_{hashlib.sha256(blob).hexdigest()[:length]}"


def canonicalize(bundle: Path) -> None:
    entry_path = bundle / ENTRY
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        meta = _read(meta_path)
        filters = []
        for name, old in sorted(meta[META_FILTERS]):
            old_path = bundle / "filter" / f"{old}.pf_filter"
            data = _read(old_path)
            data[1] = sorted(data[1], key=lambda value: value[0])
            blob = _pack(data)
            new = _name(language, blob, len(old) - len(language) - 1)
            old_path.unlink()
            (bundle / "filter" / f"{new}.pf_filter").write_bytes(blob)
            filters.append([name, new])
        meta[META_FILTERS] = filters
        blob = _pack(meta)
        info["hash"] = _name(language, blob, len(info["hash"]) - len(language) - 1)
        meta_path.unlink()
        (bundle / f"pagefind.{info['hash']}.pf_meta").write_bytes(blob)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
