"""Run Pagefind (the extended build, which segments Chinese) over a built site.

Pagefind holds the whole index in memory while it builds (about 0.25 MB per
page), so a big archive is indexed in parts: the site's HTML pages, in a fixed
order, are cut into parts of at most `part_size` pages and each part is indexed
by its own Pagefind run, one after the other, so peak memory depends on the
part size and not on the archive.  The first part is the usual bundle at
`/pagefind/`; the others go to `/pagefind-parts/<n>/`, and `/pagefind/parts.json`
lists them so that the search page merges them into one search (Pagefind's
`mergeIndex`).  A site up to `part_size` pages gets one run, as before, and an
empty parts.json.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from . import progress
from .search_bundle import canonicalize

# Pages per Pagefind run: about 2.5 GB of Pagefind memory at 0.25 MB a page.
PART_SIZE = int(os.environ.get("LVYIN_SEARCH_PART_SIZE", "10000"))
BUNDLE = "pagefind"
PARTS_DIR = "pagefind-parts"
PARTS_FILE = "parts.json"


class SearchIndexError(Exception):
    pass


def pagefind_binary() -> str:
    try:
        from pagefind_bin_extended import get_executable
    except ImportError:
        raise SearchIndexError(
            "找不到 Pagefind 扩展版（中文分词需要它）。请运行 pip install 'pagefind[extended]'，或用 make site 安装全部依赖。"
        ) from None
    return str(get_executable())


def _run(site: Path, output: Path) -> str:
    result = subprocess.run(
        [pagefind_binary(), "--site", str(site), "--output-path", str(output), "--quiet"],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind 建立搜索索引失败：\n{result.stdout}\n{result.stderr}")
    canonicalize(output)  # the same pages give the same bundle, byte for byte
    return result.stdout.strip()


def _pages(site_dir: Path) -> list[Path]:
    """The pages Pagefind would index, in a stable order.

    Once any page marks its content with data-pagefind-body, Pagefind indexes only such
    pages; a part must keep that rule even when none of its own pages has the mark.
    """
    pages = sorted(p.relative_to(site_dir) for p in site_dir.rglob("*.html") if not p.relative_to(site_dir).parts[0].startswith(BUNDLE))
    marked = [p for p in pages if b"data-pagefind-body" in (site_dir / p).read_bytes()]
    return marked or pages


def index_site(site_dir: Path, part_size: int | None = None) -> str:
    """Index `site_dir` in place; return Pagefind's summary."""
    site_dir = Path(site_dir)
    part_size = part_size or PART_SIZE
    pages = _pages(site_dir)
    if len(pages) <= part_size:
        progress.stage(f"正在建立搜索索引（{len(pages)} 个页面）")
        summary = _run(site_dir, site_dir / BUNDLE)
        (site_dir / BUNDLE / PARTS_FILE).write_text("[]", encoding="utf-8")  # one part: nothing to merge
        return summary
    chunks = [pages[i : i + part_size] for i in range(0, len(pages), part_size)]
    summaries, parts = [], []
    # Each part is a tree of hard links (same paths, so the same URLs) that Pagefind indexes alone.
    scratch = Path(tempfile.mkdtemp(prefix=".lvyin-search-", dir=site_dir.parent))
    try:
        for number, chunk in enumerate(chunks):
            tree = scratch / str(number)
            for rel in chunk:
                (tree / rel).parent.mkdir(parents=True, exist_ok=True)
                os.link(site_dir / rel, tree / rel)
            progress.stage(f"正在建立搜索索引：第 {number + 1}/{len(chunks)} 部分（共 {len(pages)} 个页面）")
            output = site_dir / BUNDLE if number == 0 else site_dir / PARTS_DIR / str(number)
            summaries.append(_run(tree, output))
            if number:
                parts.append(f"../{PARTS_DIR}/{number}/")
            shutil.rmtree(tree)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    (site_dir / BUNDLE / PARTS_FILE).write_text(json.dumps(parts), encoding="utf-8")
    return "\n".join(s for s in summaries if s)
