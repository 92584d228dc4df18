"""`lvyin serve`: a preview that shows an edit in seconds, however large the catalogue.

MkDocs' own `serve` rebuilds every page after every edit.  Under `lvyin serve`
(MkDocs' dirty mode) the plugin hands the catalogue to a `Preview` instead:

- the first site comes from the build cache of `lvyin build` where there is one
  (preview_start.py): the last build's site, or one made in parts from the cache;

- the catalogue is read through a `FileCache`: only the edited file is read again, and the
  catalogue's tables are derived from those of the last (catalog/tables.py);
- pages are planned with `KeptPages`: an entry page planned from the same entries is kept;
- pages are rendered through a `RenderCache`: only those whose inputs changed;
- their Markdown goes to a folder on disk and is rewritten only when it changed,
  so that MkDocs' dirty build, which compares modification times, turns only
  those pages into HTML.  Of the entry pages that grow with the catalogue
  (`pages.grown_paths`), MkDocs is not even shown the unchanged ones: the
  preview already has them, as a part of `lvyin build` does without them
  (parallel_build.py).  Pages and files of entries gone leave the preview;
- what needs the whole site (feeds, print sheets, open data, the link check and
  the search index) is made after the pages, in a background process.  A newer
  edit stops it and starts another; the log says when it is done or what is wrong;
- while the catalogue has problems, every page of the preview is the list of them
  (`show_problems`), and the browser reloads it when they are fixed.

Python's full garbage collection, which walks every object of a big catalogue
(a second at 10,000 lectures), runs between edits instead of in the middle of
one; then what is left is frozen (`gc.freeze`), so that the next collections
walk only what later edits make.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files

from generator import workers as lifeline
from generator.catalog.files import FileCache
from generator.engine.incremental import RenderCache
from generator.engine.options import BuildOptions
from generator.engine.preview_background import finish, keep, say
from generator.engine.preview_start import Started, start_from_cache, unshare
from generator.errors import CatalogInvalid
from generator.outputs.site_files import outputs
from generator.plan.kept_pages import KeptPages
from generator.plan.pages import Page, grown_paths
from generator.plan.site import load_site
from generator.render.environment import render_problems


def _not_dirty_warning(record: logging.LogRecord) -> bool:
    return "'dirty' build" not in record.getMessage()  # MkDocs warns on every dirty build


class Preview:
    def __init__(self) -> None:
        self.files = FileCache()
        self.renders = RenderCache()
        self.kept = KeptPages()
        self.folder = lifeline.new_folder("lvyin-preview-", Path(tempfile.gettempdir()))  # a killed preview's goes
        self._written: dict[str, str] = {}  # site path → the Markdown in `folder`
        self._unbuilt: set[str] = set()  # pages written to `folder` that MkDocs has not built yet
        self._config_stamp: float | None = None
        self._began = time.monotonic()
        self._whole = False  # this build remakes every page (mkdocs.yml changed)
        self._options: BuildOptions | None = None
        self._site_dir = ""  # MkDocs' folder for the preview's site
        self._started: Started | None = None  # the first site, from the build cache (preview_start.py)
        self._just_started = False  # this build is the one that started from the cache
        self._finishing: multiprocessing.Process | None = None
        self._collecting: threading.Timer | None = None
        self.problems: CatalogInvalid | None = None  # of the last build, which they stopped
        lifeline.no_full_collections()  # none mid-build
        logging.getLogger("mkdocs.commands.build").addFilter(_not_dirty_warning)

    def start_build(self, config: MkDocsConfig, options: BuildOptions) -> None:
        """Stop the last build's background work; after a change to mkdocs.yml, start again with
        every page.  No sitemap: it would list only the pages of this rebuild."""
        self._began = time.monotonic()
        self._options = options
        self._site_dir = config.site_dir
        if options.catalog_files is not None:  # read by `lvyin serve` to check the catalogue before it started
            self.files = options.catalog_files
        if self._collecting is not None:
            self._collecting.cancel()
        self.stop_finishing()
        stamp = os.path.getmtime(config.config_file_path) if config.config_file_path else None
        self._whole = self._config_stamp is not None and stamp != self._config_stamp
        if self._whole:
            shutil.rmtree(config.site_dir, ignore_errors=True)
            os.makedirs(config.site_dir, exist_ok=True)
            self._written, self._unbuilt, self._started = {}, set(), None
        self._config_stamp = stamp
        config.theme.static_templates.discard("sitemap.xml")

    def show_problems(self, server) -> None:
        """While the catalogue has problems, `server` (MkDocs' LiveReloadServer) answers every page
        with their list instead of holding the browser until a build succeeds.

        A build that the problems stopped counts as done for the server, so the browsers it tells
        reload (and get the list); the next good build tells them again (and they get the site).
        The list carries the server's live-reload script for that."""
        build, serve_request = server.builder, server._serve_request

        def builder(*args, **kwargs) -> None:
            self.problems = None
            try:
                build(*args, **kwargs)
            except Exception:
                if self.problems is None:
                    raise
                # MkDocs has logged them already

        def serve_page_or_problems(environ, start_response):
            problems, path = self.problems, environ.get("PATH_INFO", "")
            if problems is None or path.startswith("/livereload/") or not _is_page(path):
                return serve_request(environ, start_response)
            page = server._inject_js_into_html(render_problems(problems.problems).encode("utf-8"), server._visible_epoch)
            start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8"),
                                                        ("Content-Length", str(len(page))), ("Cache-Control", "no-store")])
            return [page]

        server.builder, server._serve_request = builder, serve_page_or_problems

    def pages(self, config: MkDocsConfig) -> Iterator[File]:
        """The catalogue read again (`site`); the generated pages MkDocs needs to see, as files of
        the docs tree written anew only when they changed: every page but the unchanged entry pages.

        The first build starts from the build cache where there is one (preview_start.py): the site
        is then made already, MkDocs builds none of the pages, and the entry pages are not even rendered."""
        assert self._options is not None, "start_build first"
        options = self._options
        self.site = site = load_site(options.catalog, options.today.isoformat(), self.files, self.kept)
        grown = set(grown_paths(site.pages))
        first = not self._written
        if first:
            self._started = start_from_cache(config.config_file_path, site, Path(config.site_dir), options, say)
            self._just_started = self._started is not None
        started, made_now = self._started, first and self._started is not None
        kept: list[str] = []  # entry pages the site has from the cache, still the same
        self.renders.new_pass(site.catalog)
        # Entry pages as the last pass had them, which MkDocs has built: not even looked at again.
        same = (self.renders.unchanged_paths(site.pages) & grown) - self._unbuilt

        def to_render(page: Page) -> bool:
            """Not the entry pages of the cache's site that would render as then: on the first pass
            all of them, which the render cache knows from then on by what they read."""
            if page.path in same:
                return False
            if started is None or page.path not in started.entries:
                return True
            if made_now:
                lookups = started.lookups(page)
                if lookups is None:
                    return True
                self.renders.known(page, lookups)
            elif not self.renders.unchanged(page):
                return True
            kept.append(page.path)
            return False

        written = {path: self._written.get(path, "") for path in same}
        for path, markdown in outputs(site, to_render, with_assets=False, render=self.renders.render):
            target = self.folder / path
            if started is not None and path in started.entries and started.same(path, markdown):
                pass  # the site has its page
            elif self._written.get(path) != markdown:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(markdown, encoding="utf-8")
                if made_now:  # older than its page in the site: MkDocs' dirty build leaves that
                    os.utime(target, ns=(0, 0))
                else:
                    self._unbuilt.add(path)
            if started is not None:
                started.entries.pop(path, None)  # rendered: from now on the render cache knows it
            written[path] = markdown
            if path not in grown or path in self._unbuilt:
                yield File.generated(config, path, abs_src_path=str(target))
        written.update(dict.fromkeys(kept, ""))  # "": the Markdown is the cache's record's
        for gone in self._written.keys() - written.keys():
            (self.folder / gone).unlink(missing_ok=True)
            Path(File.generated(config, gone, content="").abs_dest_path).unlink(missing_ok=True)
            if started is not None:
                started.entries.pop(gone, None)
        self._written = written
        self._unbuilt &= written.keys()
        self.renders.forget_others(written)

    def unshare(self, files: Files, config: MkDocsConfig) -> None:
        """Before MkDocs writes: away with the hard links to the build cache it would write through."""
        if self._started is not None:
            unshare(files, config)

    def built(self, site_dir: Path) -> None:
        """MkDocs has turned every page it was shown into HTML: start the background work (`finish`)
        and collect the garbage, after the first build at once (it walks everything), later once
        the preview shows the edit."""
        self._unbuilt.clear()
        took = f"{time.monotonic() - self._began:.1f} 秒"
        if self._just_started and self._started is not None:
            say(f"预览已就绪（{took}）：" + ("上次生成的网站，取自构建缓存" if self._started.complete
                                            else "由构建缓存并行生成；链接检查和搜索索引随后更新"))
        else:
            what = "mkdocs.yml 有改动，全部页面重建" if self._whole else f"重新生成 {len(self.renders.rendered)} 个页面"
            say(f"预览已更新（{took}，{what}）；日历订阅、打印页、开放数据和搜索索引随后更新")
        if not lifeline.anything_frozen():
            lifeline.collect_and_freeze()
        else:
            self._collecting = threading.Timer(0.5, lifeline.collect_and_freeze)
            self._collecting.daemon = True
            self._collecting.start()
        self._finish_in_background(site_dir)

    def _finish_in_background(self, site_dir: Path) -> None:
        """Start the background work that needs the whole site: none after the first build that
        placed the last build's site, no assets after the first build that made them in parts."""
        listing, first, self._just_started = self.folder / ".assets", self._just_started, False
        if first and self._started is not None:
            listing.write_text("\n".join(sorted(self._started.assets)), encoding="utf-8")
            keep(self.folder / ".kept", self._started.tables, self._started.keyed)  # for the assets after an edit
            if self._started.complete:
                return
        assert self._options is not None
        checks = (site_dir, listing, self._options.check_links, self._options.search_index)
        if first:  # no assets: the checks read only the site's files, so a fresh process, not a fork (`fresh_process`)
            self._finishing = lifeline.fresh_process(finish, (None, *checks), "finishing")
        else:  # the assets need the catalogue: a fork, which then execs the checks (preview_background.py)
            self._finishing = lifeline.fork_process(finish, (self.site, *checks), "finishing")  # it dies with `lvyin serve`
        self._finishing.start()
        try:  # its own process group, with Pagefind when it runs, for `stop_finishing`; the child does the same
            os.setpgid(self._finishing.pid, self._finishing.pid)
        except OSError:
            pass  # the child was quicker

    def stop_finishing(self) -> None:
        job, self._finishing = self._finishing, None
        if job is not None and job.is_alive():
            try:
                os.killpg(job.pid, signal.SIGTERM)  # with Pagefind, if it runs
            except ProcessLookupError:
                job.terminate()
        if job is not None:
            job.join()

    def close(self) -> None:
        """Stop the background work; the preview's folders (a whole site at 100,000 lectures, which
        MkDocs would delete file by file before `lvyin serve` ends) are set aside and deleted in the
        background."""
        if self._collecting is not None:
            self._collecting.cancel()
        lifeline.usual_collections()
        lifeline.unfreeze()
        self.stop_finishing()
        folders = [self.folder] + ([Path(self._site_dir)] if self._site_dir else [])
        gone = [folder.with_name(f"{folder.name}.gone") for folder in folders]
        for folder, aside in zip(folders, gone, strict=True):
            with contextlib.suppress(OSError):
                os.rename(folder, aside)
        lifeline.delete_in_background([aside for aside in gone if aside.exists()])
        logging.getLogger("mkdocs.commands.build").removeFilter(_not_dirty_warning)


def _is_page(path: str) -> bool:
    """Whether a browser asks for a page (`/lectures/x/`, `/404.html`), not a stylesheet or image."""
    last = path.rsplit("/", 1)[-1]
    return last == "" or last.endswith(".html") or "." not in last
