"""`lvyin serve` alone: its first page from a warm build cache, a few edits one after another, its peak memory.

    python -m generator synth --lectures 100000 --out /tmp/bench-100k     # once
    python benchmarks/serve.py /tmp/bench-100k/catalog [EDITS]

The same steps as `make bench` (run.py `serve_edit`): `lvyin build` of the catalogue into `site/`
beside it, which fills the build cache, then `lvyin serve` timed until a lecture page shows, then
EDITS edits to that lecture's title (default 3), each timed until the page shows it; the memory is
that of the preview and every process it starts.  Prints the result as one JSON line; the log of
both commands goes to serve.log beside the catalogue.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from run import serve_edit


def main(argv: list[str]) -> int:
    catalog = Path(argv[0]).resolve()
    edits = int(argv[1]) if len(argv) > 1 else 3
    print(json.dumps(serve_edit(catalog, catalog.parent / "site", catalog.parent / "serve.log", edits)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
