"""Headless Chromium (Debian's) driven by Playwright, against a site served on loopback.

Never `playwright install`: the browser is /usr/bin/chromium. Where it is missing the
browser tests skip, except in CI (LVYIN_REQUIRE_BROWSER=1), where they fail.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = os.environ.get("LVYIN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-quic",
]


def require_browser() -> None:
    if Path(CHROMIUM).exists() or shutil.which(CHROMIUM):
        return
    message = f"找不到 Chromium（{CHROMIUM}）：apt-get install chromium"
    if os.environ.get("LVYIN_REQUIRE_BROWSER") == "1":
        pytest.fail(message)
    pytest.skip(message)


# What WeChat's in-app browser says it is (iOS): the browser parents open the site in, from a group chat.
WECHAT_UA = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
             "Mobile/15E148 MicroMessenger/8.0.49(0x18003130) NetType/WIFI Language/zh_CN")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextmanager
def serve(root: Path, port: int = 0) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 (on `port`, or any free one); yield its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


class Browser:
    """One Chromium for the session; each `page()` records requests to other hosts and blocks them."""

    def __init__(self):
        from playwright.sync_api import sync_playwright

        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        self.foreign_requests: list[str] = []

    def page(self, width: int = 375, height: int = 667, javascript: bool = True, geolocation: dict | None = None,
             user_agent: str | None = None):
        """A fresh page; `geolocation` ({latitude, longitude}) is granted, else location is refused."""
        context = self._browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=javascript,
                                            locale="zh-CN", service_workers="block", geolocation=geolocation,
                                            permissions=["geolocation"] if geolocation else [], user_agent=user_agent)
        page = context.new_page()
        page.set_default_timeout(15000)

        def guard(route):
            host = urlsplit(route.request.url).hostname
            if host not in ("127.0.0.1", "localhost"):
                self.foreign_requests.append(route.request.url)
                return route.abort()
            return route.continue_()

        page.route("**/*", guard)
        return page

    def close(self) -> None:
        self._browser.close()
        self._playwright.stop()
