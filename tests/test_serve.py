"""`lvyin serve`: an editor's change to the catalogue shows up in the preview."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request

from conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, timeout: float = 60.0, until=lambda text: True) -> str:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                last = response.read().decode("utf-8")
                if until(last):
                    return last
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not show the change in time; last page:\n{last[:500]}")


def test_preview_rebuilds_when_a_catalogue_file_changes(make_catalog):
    catalog = make_catalog()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--catalog", str(catalog), "--dev-addr", f"127.0.0.1:{port}", "--today", "2026-11-28"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}/lectures/reading-1205/"
        assert "亲子共读的三个方法" in fetch(url)
        lectures = catalog / "lectures" / "2026-12.yaml"
        lectures.write_text(lectures.read_text(encoding="utf-8").replace("亲子共读的三个方法", "亲子共读的四个方法"), encoding="utf-8")
        assert "亲子共读的四个方法" in fetch(url, until=lambda text: "四个方法" in text)
    finally:
        server.terminate()
        server.wait(timeout=20)
