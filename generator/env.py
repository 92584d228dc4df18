"""The environment variables lvyin reads: all of them here, each read when asked, never at import.

They are settings of the machine or of a deployment, not options of one build (those are
`engine/options.py`'s `BuildOptions`, which the command line hands the MkDocs plugin in code):

- `SOURCE_DATE_EPOCH`: the build date when `--today` is not given (reproducible builds; MkDocs
  dates the sitemap from it too, and `lvyin build` sets it for MkDocs when it is not set);
- `LVYIN_CHROMIUM`: the Chromium binary of `lvyin print --pdf` (else Debian's or one on PATH);
- `CI`: set by CI services; then no progress line, logs stay quiet;
- `LVYIN_PURE_YAML=1`: read YAML with pure-Python PyYAML instead of libyaml (tests compare both);
- `LVYIN_SEARCH_TERMS=0`: no extra search terms, Pagefind out of the box
  (`benchmarks/search_quality.py` compares).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator


def source_date_epoch() -> int | None:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    return int(epoch) if epoch else None


@contextlib.contextmanager
def source_date_epoch_unless_set(epoch: int) -> Iterator[None]:
    """SOURCE_DATE_EPOCH set to `epoch` meanwhile, unless it is set already (for MkDocs' sitemap dates)."""
    if source_date_epoch() is not None:
        yield
        return
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def chromium() -> str | None:
    return os.environ.get("LVYIN_CHROMIUM") or None


def in_ci() -> bool:
    return bool(os.environ.get("CI"))


def pure_yaml() -> bool:
    return os.environ.get("LVYIN_PURE_YAML") == "1"


def search_terms() -> bool:
    return os.environ.get("LVYIN_SEARCH_TERMS", "1") != "0"
