"""The preview's background work after a build: what needs the whole site (preview.py).

After an edit, a forked process makes the feeds, print sheets and open data of the preview's
site (it needs the preview's catalogue, so it is a fork), then becomes a fresh interpreter for
the link check and the search index (`os.execv`): while a fork lives, each page of the
preview's memory that the preview writes first is copied, and at 100,000 lectures that made the
next edit a second slower; the checks read only the site's files.

The asset makers start from what the last background work (or the build cache the preview
started from) kept, as `lvyin build` does (reuse.py): the results of their pure functions
(memo.py), and a keyed file (outputs/files.py `KeyedAsset`) whose key is that of the file in the
site is not made again.  What was kept is set aside while the files are written, so a process
stopped half way leaves nothing that could pass for them.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import shutil
import signal
import sys
import time
from pathlib import Path

from generator import memo
from generator import workers as lifeline
from generator.engine import progress
from generator.engine.finishing import check_and_index
from generator.engine.reuse import keyed_digest
from generator.errors import BuildFailed
from generator.outputs.files import KeyedAsset
from generator.outputs.site_files import ASSET_MAKERS
from generator.plan.site import Site

# How much less of the processor the background work gets than the preview's rebuilds, with two cores
# and Pagefind using both while an editor waits for an edit to show (`os.nice`: 10 is a tenth of the share).
BACKGROUND_NICENESS = 10

_KEYED = "keyed"  # in the folder of what is kept: the digests of the keyed files (the makers' tables by their names)
# The checks, in the interpreter the forked process becomes: site folder, link check, search index, start, assets.
_CHECKS = "import sys; from generator.engine.preview_background import check; check(*sys.argv[1:])"


def keep(kept: Path, tables: dict[str, bytes | Path], keyed: set[str]) -> None:
    """Leave in the folder `kept`, for the next background work, the asset makers' `tables`
    (memo.py; their bytes, or the build cache's file of them) and the digests of the keyed files
    the site holds (reuse.keyed_digest)."""
    scratch = kept.with_name(f"{kept.name}.new")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir()
    for maker, table in tables.items():
        try:
            if isinstance(table, Path):
                _link_or_copy(table, scratch / maker)  # 200 MB at 100,000 lectures: not copied where it can be linked
            else:
                (scratch / maker).write_bytes(table)
        except OSError:  # the build cache's file is gone: the maker starts from nothing
            pass
    (scratch / _KEYED).write_bytes(marshal.dumps(sorted(keyed)))
    shutil.rmtree(kept, ignore_errors=True)
    os.replace(scratch, kept)


def _link_or_copy(source: Path, target: Path) -> None:
    """`target` as a hard link to `source` (only ever read, and deleted, never written through), else a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def finish(site: Site | None, site_dir: Path, listing: Path, check_links: bool, search_index: bool) -> None:
    """In the background process: feeds and other files of `site`, if any (and away with those of
    entries gone, which `listing` remembers), then the link check and the search index."""
    os.setpgid(0, 0)
    os.nice(BACKGROUND_NICENESS)  # and Pagefind with it: the next edit's rebuild comes first
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # `lvyin serve` turns it into Ctrl-C; here it just stops
    start = time.monotonic()
    progress.detach()
    if site is None:
        check(str(site_dir), str(int(check_links)), str(int(search_index)), str(start), "")
        return
    lifeline.usual_collections()  # a short-lived process: Python's usual collection
    write_assets(site, site_dir, listing)
    sys.stderr.flush()
    sys.stdout.flush()
    os.execv(sys.executable, [sys.executable, "-c", _CHECKS, str(site_dir), str(int(check_links)),
                              str(int(search_index)), str(start), "assets"])


def check(site_dir: str, check_links: str, search_index: str, start: str, assets: str) -> None:
    """The link check and the search index of the preview's site; the log says what is done."""
    links, index = check_links == "1", search_index == "1"
    try:
        problems = check_and_index(Path(site_dir), links, index)
    except BuildFailed as error:
        say(str(error))
        return
    if problems:
        say("预览中有错误的链接或外部资源（正式生成时会失败）：\n" + "\n".join(problems[:50]))
    done = ["日历订阅、打印页、开放数据"] if assets else []
    done += (["链接检查"] if links else []) + (["搜索索引"] if index else [])
    if done:
        say(f"预览：{'、'.join(done[:-1]) + '和' + done[-1] if len(done) > 1 else done[0]}已更新"
             f"（{time.monotonic() - float(start):.0f} 秒）")


def write_assets(site: Site, site_dir: Path, listing: Path) -> None:
    """Write every asset maker's files that changed into `site_dir`; delete those no longer made."""
    kept, last = listing.with_name(".kept"), listing.with_name(".kept.last")
    shutil.rmtree(last, ignore_errors=True)
    with contextlib.suppress(OSError):
        os.replace(kept, last)  # set aside: a process stopped half way leaves nothing kept
    before = set(listing.read_text(encoding="utf-8").splitlines()) if listing.exists() else set()
    was_keyed = _digests(last / _KEYED)
    made: set[str] = set()
    tables: dict[str, bytes | Path] = {}
    keyed: set[str] = set()
    for make in ASSET_MAKERS:
        memo.begin(_table(last / make.__name__))
        assets = make(site)
        made |= {asset.path for asset in assets}
        listing.write_text("\n".join(sorted(before | made)), encoding="utf-8")  # if stopped half way
        for asset in assets:
            if isinstance(asset, KeyedAsset):
                name = keyed_digest(asset)
                keyed.add(name)
                if name in was_keyed and (site_dir / asset.path).is_file():
                    continue
            _write_if_changed(site_dir / asset.path, asset.content)
        if memo.used():
            tables[make.__name__] = memo.table()
    for gone in before - made:
        (site_dir / gone).unlink(missing_ok=True)
    listing.write_text("\n".join(sorted(made)), encoding="utf-8")
    keep(kept, tables, keyed)


def _table(file: Path) -> bytes | None:
    """A maker's kept table (memo.py checks what it loads)."""
    try:
        return file.read_bytes()
    except OSError:
        return None


def _digests(file: Path) -> set[str]:
    """The kept digests of the keyed files in the site."""
    try:
        return {name for name in marshal.loads(file.read_bytes()) if isinstance(name, str)}
    except (OSError, EOFError, ValueError, TypeError):
        return set()


def _write_if_changed(target: Path, content: bytes) -> None:
    try:
        if target.read_bytes() == content:
            return
    except OSError:
        target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(f".{target.name}.lvyin-tmp")
    scratch.write_bytes(content)
    os.replace(scratch, target)


def say(text: str) -> None:
    """A line of the preview's log (its standard error), at once."""
    sys.stderr.write(text + "\n")
    sys.stderr.flush()
