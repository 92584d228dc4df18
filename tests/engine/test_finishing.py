"""The link check and the search index, run side by side at the end of a build."""

from __future__ import annotations

import multiprocessing
import os
import signal
import time

import pytest
from test_site_check import write

from generator.engine import finishing
from generator.engine.search_index import SearchIndexError
from generator.engine.site_check import Checked

PAGE = '<html lang="zh"><body><main data-pagefind-body><h1>亲子阅读</h1><a href="{link}">链接</a></main></body></html>'


def test_link_problems_come_back_and_the_site_is_indexed_meanwhile(tmp_path):
    write(tmp_path, "index.html", PAGE.format(link="a/"))
    write(tmp_path, "a/index.html", PAGE.format(link="../missing/"))
    assert finishing.check_and_index(tmp_path) == ["a/index.html: 链接指向不存在的页面：../missing/"]
    assert (tmp_path / "pagefind" / "pagefind.js").is_file()
    assert not multiprocessing.active_children()


def test_a_failed_index_stops_the_link_check_at_once(tmp_path, monkeypatch):
    write(tmp_path, "index.html", PAGE.format(link="./"))

    def fails(site_dir, copies=None, cache=None):
        raise SearchIndexError("Pagefind 建立搜索索引失败")

    monkeypatch.setattr(finishing, "index_site", fails)
    monkeypatch.setattr(finishing, "check_pages", lambda site_dir, only=None, files=None: time.sleep(60) or Checked())  # a long check
    started = time.monotonic()
    with pytest.raises(SearchIndexError):
        finishing.check_and_index(tmp_path)
    assert time.monotonic() - started < 30  # not waiting for a check whose verdict no longer matters
    assert not multiprocessing.active_children()


def test_a_failing_link_check_fails_the_build(tmp_path, monkeypatch):
    write(tmp_path, "index.html", PAGE.format(link="./"))

    def fails(site_dir, only=None, files=None):
        raise PermissionError("site/a/index.html")

    monkeypatch.setattr(finishing, "check_pages", fails)  # the forked checker sees the patched module
    with pytest.raises(PermissionError, match="site/a/index.html"):
        finishing.check_and_index(tmp_path)


def test_a_link_check_killed_on_the_way_fails_the_build_with_a_message(tmp_path, monkeypatch):
    write(tmp_path, "index.html", PAGE.format(link="./"))
    monkeypatch.setattr(finishing, "check_pages", lambda site_dir, only=None, files=None: os.kill(os.getpid(), signal.SIGKILL))  # as the OOM killer does
    with pytest.raises(finishing.LinkCheckFailed, match="链接检查进程意外退出（退出码 -9），可能是内存不足"):
        finishing.check_and_index(tmp_path)
    assert not multiprocessing.active_children()


def test_either_step_can_be_left_out(tmp_path):
    write(tmp_path, "index.html", PAGE.format(link="missing/"))
    assert finishing.check_and_index(tmp_path, check_links=True, search_index=False) == [
        "index.html: 链接指向不存在的页面：missing/"]
    assert not (tmp_path / "pagefind").exists()
    assert finishing.check_and_index(tmp_path, check_links=False, search_index=True) == []
    assert (tmp_path / "pagefind" / "pagefind.js").is_file()
