"""Pull-request checks: `lvyin validate --format github` annotations, the workflow and the pre-commit hook."""

from __future__ import annotations

import re

import yaml
from conftest import ROOT

from generator.cli.main import main as lvyin

ANNOTATION = re.compile(r"::error file=(?P<file>[^,:]+),line=(?P<line>\d+),col=(?P<col>\d+),title=(?P<title>[^:]+)::(?P<message>.*)")
BROKEN = {
    "lectures/2026-12.yaml": """
        - id: reading-1205
          title: 亲子共读 100% 有效的方法
          date: 2026-12-05
          start: 14:30
          end: 25:00
          lecturers: [wang-fang]
          venue: city-libary
          audiences: [primary]
          topics: [reading]
          organizer: 市妇联
        """,
}


def unescape(text: str) -> str:
    return text.replace("%0A", "\n").replace("%0D", "\r").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def test_every_error_becomes_an_annotation_at_its_file_line_and_column(make_catalog, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    catalog = make_catalog(BROKEN)
    assert lvyin(["validate", "--catalog", str(catalog)]) == 1
    text_lines = capsys.readouterr().err.splitlines()[:-1]

    assert lvyin(["validate", "--catalog", str(catalog), "--format", "github"]) == 1
    out, err = capsys.readouterr()
    annotations = [ANNOTATION.fullmatch(line) for line in out.splitlines()]
    assert all(annotations) and len(annotations) == len(text_lines) == 2  # the time, and the venue checked all the same
    assert err == "共发现 2 处错误，请修改后重试。\n"
    for found, line in zip(annotations, text_lines):
        assert (tmp_path / found["file"]).is_file()
        assert line == f"{found['file']}:{found['line']}:{found['col']}: 错误: {unescape(found['message'])}"
        assert unescape(found["title"]) == "目录数据错误"
    assert {found["file"] for found in annotations} == {"catalog/lectures/2026-12.yaml"}
    assert [(found["line"], found["col"]) for found in annotations] == [("5", "8"), ("7", "10")]


def test_messages_and_paths_are_escaped_for_the_workflow_command_syntax(make_catalog, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    catalog = make_catalog({"lectures/a,b:c.yaml": "- id: x\n  title: 50%\n"})
    assert lvyin(["validate", "--catalog", str(catalog), "--format", "github"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines and all(ANNOTATION.fullmatch(line) for line in lines)
    assert all(line.startswith("::error file=catalog/lectures/a%2Cb%3Ac.yaml,line=") for line in lines)


def test_a_clean_catalogue_prints_no_annotation(make_catalog, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert lvyin(["validate", "--catalog", str(make_catalog()), "--format", "github"]) == 0
    out = capsys.readouterr().out
    assert "::" not in out and out.startswith("目录数据检查通过")


def test_the_pull_request_workflow_runs_the_same_checks():
    workflow = yaml.safe_load((ROOT / ".github/workflows/validate.yml").read_text(encoding="utf-8"))
    assert "pull_request" in workflow[True]  # PyYAML reads the key `on` as True
    steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    assert any("lvyin validate --format github" in run and "--published" in run for run in steps)
    assert any("make site" in run for run in steps)


def test_the_pull_request_workflow_keeps_the_build_cache_between_runs():
    """The site build's cache (.lvyin-cache/ beside site/) is restored before it, from the branch's
    newest run or else main's, and saved under a key of its own (a key is written once)."""
    workflow = yaml.safe_load((ROOT / ".github/workflows/validate.yml").read_text(encoding="utf-8"))
    steps = workflow["jobs"]["validate"]["steps"]
    build = next(n for n, step in enumerate(steps) if "make site" in step.get("run", ""))
    cached = [step for step in steps[:build] if step.get("uses", "").startswith("actions/cache@")]
    assert len(cached) == 1 and cached[0]["with"]["path"] == ".lvyin-cache"
    assert "github.run_id" in cached[0]["with"]["key"]
    assert "-main-" in cached[0]["with"]["restore-keys"]


def test_the_pre_commit_hook_runs_validate():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hooks[0]["entry"] == "lvyin validate" and hooks[0]["pass_filenames"] is False
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    local = [hook for repo in config["repos"] for hook in repo["hooks"]]
    assert any("lvyin validate" in hook["entry"] for hook in local)
