"""Run Pagefind (the extended build, which segments Chinese) over a built site."""

from __future__ import annotations

import subprocess
from pathlib import Path


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


def index_site(site_dir: Path) -> str:
    """Index `site_dir` in place; return Pagefind's summary line."""
    result = subprocess.run(
        [pagefind_binary(), "--site", str(site_dir), "--output-subdir", "pagefind", "--quiet"],
        capture_output=True, text=True,
    )
    if result.returncode != 0:
        raise SearchIndexError(f"Pagefind 建立搜索索引失败：\n{result.stdout}\n{result.stderr}")
    return result.stdout.strip()
