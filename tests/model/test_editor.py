"""What VS Code shows while an editor types: the real YAML language server (Red Hat's, which the
VS Code YAML extension runs) reads our schema through the first-line modeline of a catalogue file.

Needs Node and the npm package yaml-language-server (`npm install yaml-language-server`, found in
node_modules/.bin or at $LVYIN_YAML_LANGUAGE_SERVER); skipped without it unless
LVYIN_REQUIRE_EDITOR=1.
"""

from __future__ import annotations

import json
import os
import queue
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pytest
from conftest import DEMO_CATALOG, ROOT


def _server() -> str | None:
    found = os.environ.get("LVYIN_YAML_LANGUAGE_SERVER") or str(ROOT / "node_modules/.bin/yaml-language-server")
    if Path(found).is_file() and shutil.which("node"):
        return found
    if os.environ.get("LVYIN_REQUIRE_EDITOR") == "1":
        pytest.fail("yaml-language-server is required here: npm install yaml-language-server")
    return None


class LanguageServer:
    """A minimal LSP client over stdio."""

    def __init__(self, command: str, root: Path):
        self.process = subprocess.Popen([command, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self.messages: queue.Queue = queue.Queue()
        self.diagnostics: dict[str, list] = {}
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()
        self.request("initialize", {"processId": None, "rootUri": root.as_uri(), "capabilities": {},
                                    "workspaceFolders": [{"uri": root.as_uri(), "name": "lvyin"}]})
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": self.settings}})

    settings = {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            headers = {}
            while True:
                line = stream.readline()
                if not line:
                    return
                line = line.decode().strip()
                if not line:
                    break
                key, value = line.split(":", 1)
                headers[key.lower()] = value.strip()
            self.messages.put(json.loads(stream.read(int(headers["content-length"]))))

    def _send(self, message: dict) -> None:
        data = json.dumps({"jsonrpc": "2.0", **message}).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(data) + data)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict) -> None:
        self._send({"method": method, "params": params})

    def _handle(self, message: dict) -> None:
        if message.get("method") == "textDocument/publishDiagnostics":
            self.diagnostics[message["params"]["uri"]] = message["params"]["diagnostics"]
        elif "id" in message and "method" in message:  # the server asks for its settings
            items = message.get("params", {}).get("items", [])
            result = [self.settings] * len(items) if message["method"] == "workspace/configuration" else None
            self._send({"id": message["id"], "result": result})

    def request(self, method: str, params: dict) -> dict:
        self.next_id += 1
        self._send({"id": self.next_id, "method": method, "params": params})
        while True:
            message = self.messages.get(timeout=30)
            if message.get("id") == self.next_id and "method" not in message:
                return message.get("result")
            self._handle(message)

    def open(self, path: Path, text: str) -> list[dict]:
        uri = path.as_uri()
        self.diagnostics.pop(uri, None)
        self.notify("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        deadline = time.monotonic() + 20
        while uri not in self.diagnostics and time.monotonic() < deadline:
            try:
                self._handle(self.messages.get(timeout=0.5))
            except queue.Empty:
                pass
        assert uri in self.diagnostics, "the language server published no diagnostics"
        return self.diagnostics[uri]

    def close(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    command = _server()
    if command is None:
        pytest.skip("yaml-language-server not installed (npm install yaml-language-server)")
    root = tmp_path_factory.mktemp("workspace")
    shutil.copytree(DEMO_CATALOG, root / "catalog")
    server = LanguageServer(command, root)
    yield root, server
    server.close()


TYPED = """# yaml-language-server: $schema=../schemas/lecture.schema.json
- id: reading-1205
  title: 亲子共读的三个方法
  date: 2026-12-05
  start: 25:00
  end: 16:00
  venue: city-library
  organiser: 市妇联
  format: offine
  audiences: [小学]
  capacity: 60
  
"""


def test_the_editor_flags_slips_at_their_lines_and_completes_fields(workspace):
    root, server = workspace
    path = root / "catalog" / "lectures" / "new.yaml"
    path.write_text(TYPED, encoding="utf-8")
    found = {(d["range"]["start"]["line"] + 1, d["range"]["start"]["character"] + 1) for d in server.open(path, TYPED)}
    assert {(5, 10), (8, 3), (9, 11), (10, 15)} <= found  # 25:00, organiser, offine, 小学
    assert (2, 3) in found  # organizer is missing from the entry

    items = server.request("textDocument/completion", {"textDocument": {"uri": path.as_uri()}, "position": {"line": 11, "character": 2}})
    labels = {item["label"] for item in (items["items"] if isinstance(items, dict) else items)}
    assert {"organizer", "lecturers", "topics", "online_url", "status"} <= labels
    hover = server.request("textDocument/hover", {"textDocument": {"uri": path.as_uri()}, "position": {"line": 4, "character": 4}})
    assert "开始时间" in hover["contents"]["value"] and "14:30" in hover["contents"]["value"]


@pytest.mark.parametrize("relative", ["lectures/2026-12.yaml", "lecturers/city.yaml", "stations/weibin.yaml", "districts.yaml", "site.yaml"])
def test_shipped_files_show_no_squiggle(workspace, relative):
    root, server = workspace
    path = root / "catalog" / relative
    assert server.open(path, path.read_text(encoding="utf-8")) == []
