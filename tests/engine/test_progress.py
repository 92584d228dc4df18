"""The build's progress line: shown on a terminal, silent in logs and CI."""

from __future__ import annotations

import io

from generator.engine import progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run_build_steps(monkeypatch, stream) -> str:
    monkeypatch.setattr("sys.stderr", stream)
    with progress.display("正在生成网站"):
        progress.stage("正在建立搜索索引：第 1/2 部分")
    return stream.getvalue()


def test_a_terminal_sees_the_current_step(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    shown = run_build_steps(monkeypatch, Terminal())
    assert "正在建立搜索索引：第 1/2 部分" in shown or "正在生成网站" in shown


def test_logs_and_ci_stay_quiet(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert run_build_steps(monkeypatch, io.StringIO()) == ""
    monkeypatch.setenv("CI", "1")
    assert run_build_steps(monkeypatch, Terminal()) == ""
    progress.stage("没有显示时什么也不做")
