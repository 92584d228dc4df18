"""One family of user errors: every error an editor or operator can fix is a `LvyinError`,
reported in Chinese without a traceback; anything else is a bug and says so, traceback and all."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest

import generator
from generator.cli import main as cli
from generator.errors import BUG_NOTE, LvyinError

# Exceptions that never reach a user: control flow inside one module, and a bug's report.
INTERNAL = {
    "generator.source.compose._Stop",  # the composer's way out, turned into a ReadError
    "generator.catalog.files.Unknown",  # a field a broken entry lacks: a check is skipped
    "generator.engine.part_runner.PartCrashed",  # a part's bug, shown with its traceback
}


def exception_classes() -> dict[str, type]:
    found = {}
    for info in pkgutil.walk_packages(generator.__path__, "generator."):
        if info.name == "generator.__main__":  # running it is running the command
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if inspect.isclass(value) and issubclass(value, BaseException) and value.__module__ == info.name:
                found[f"{info.name}.{name}"] = value
    return found


def test_every_error_of_lvyin_is_a_user_error_or_known_to_be_internal():
    classes = exception_classes()
    assert INTERNAL <= set(classes)
    outside = sorted(name for name, cls in classes.items() if name not in INTERNAL and not issubclass(cls, LvyinError))
    assert not outside, f"exceptions outside the LvyinError family: {outside}"


@pytest.mark.parametrize("argv, message", [
    (["print", "--station", "nowhere", "--month", "2026-12"], "错误: 没有编号为“nowhere”的指导站点。"),
    (["print", "--station", "x", "--month", "十二月"], "错误: 月份“十二月”的写法不对"),
    (["validate", "--published", "/no/such/ids.json"], "错误: 找不到已发布的编号列表 /no/such/ids.json"),
    (["new", "venue", "--append", "{catalog}/lecturers/new.yaml"], "不是开放场馆文件"),
])
def test_a_user_error_is_one_chinese_line_without_a_traceback(make_catalog, capsys, argv, message):
    catalog = make_catalog()
    argv = [arg.format(catalog=catalog) for arg in argv] + ["--catalog", str(catalog)]
    assert cli.main(argv) == 1
    error = capsys.readouterr().err
    assert message in error and "Traceback" not in error and BUG_NOTE not in error


def test_a_bug_keeps_its_traceback_and_says_it_is_one(make_catalog, capsys, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero in the loader")

    monkeypatch.setattr(cli, "load_inputs", broken)
    assert cli.main(["validate", "--catalog", str(make_catalog())]) == 1
    error = capsys.readouterr().err
    assert "Traceback (most recent call last)" in error and "ZeroDivisionError: division by zero in the loader" in error
    assert error.rstrip().endswith(BUG_NOTE)
