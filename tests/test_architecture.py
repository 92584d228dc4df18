"""The tree shows the pipeline: one package per step, and no import runs back up it.

Walks the imports of every module of generator/ (with `ast`, nothing is imported) and checks:
no import cycle, no import from a later step into an earlier one (`generator.LAYERS`), no
private name (`_x`) imported from another package, no module over MAX_LINES lines, and the
MkDocs plugin only glue.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from generator import LAYERS

GENERATOR = Path(__file__).resolve().parent.parent / "generator"
MAX_LINES = 400
PLUGIN = "generator.engine.mkdocs_plugin"
PLUGIN_MAX_LINES = 120


def module_name(path: Path) -> str:
    parts = path.relative_to(GENERATOR.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(GENERATOR.rglob("*.py"))}


def layer(module: str) -> str:
    """The step a module belongs to: its package, or its own name for a top-level module."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "generator"


# `python -m generator` runs the command line: it comes after every step.
ORDER = {name: i for i, name in enumerate((*LAYERS, "__main__"))}


def type_checking(node: ast.AST) -> bool:
    return isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)


def imports(module: str) -> list[tuple[str, list[str], int, bool]]:
    """(imported module, names imported from it, line, only for type checking) for every import."""
    path = MODULES[module]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []

    def visit(node: ast.AST, typing_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")[: len(package.split(".")) - child.level + 1]
                    base = ".".join(anchor + ([child.module] if child.module else []))
                names = [a.name for a in child.names]
                if base.startswith("generator"):
                    # `from generator.model import vocab`: the submodule is what is imported.
                    for name in names:
                        target = f"{base}.{name}" if f"{base}.{name}" in MODULES else base
                        found.append((target, [name] if target == base else [], child.lineno, typing_only))
            elif isinstance(child, ast.Import):
                for alias in child.names:
                    if alias.name.startswith("generator"):
                        found.append((alias.name, [], child.lineno, typing_only))
            visit(child, typing_only or type_checking(child))

    visit(tree, False)
    return found


def test_layers_cover_every_package():
    packages = {layer(m) for m in MODULES} - {"generator", "__main__"}
    assert packages <= set(LAYERS), f"packages missing from generator.LAYERS: {packages - set(LAYERS)}"


def test_no_import_runs_up_the_pipeline():
    order = ORDER
    upward = []
    for module in MODULES:
        if layer(module) not in order:
            continue
        for target, _, line, _ in imports(module):
            if layer(target) in order and order[layer(target)] > order[layer(module)]:
                upward.append(f"{MODULES[module].relative_to(GENERATOR.parent)}:{line}: {module} imports {target}")
    assert not upward, "imports from a later step into an earlier one:\n" + "\n".join(upward)


def test_no_import_cycle():
    graph = {m: sorted({t for t, _, _, typing_only in imports(m) if t in MODULES and t != m and not typing_only})
             for m in MODULES}
    # A package's __init__ importing nothing, every edge is module → module: find a cycle by DFS.
    state: dict[str, int] = {}
    cycles = []

    def walk(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                cycles.append(" → ".join(path[path.index(nxt):] + [nxt]))
            elif nxt not in state:
                walk(nxt, path + [nxt])
        state[node] = 2

    for module in graph:
        if module not in state:
            walk(module, [module])
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_no_private_name_from_another_package():
    private = []
    for module in MODULES:
        for target, names, line, _ in imports(module):
            for name in names:
                if name.startswith("_") and layer(target) != layer(module):
                    private.append(f"{MODULES[module].relative_to(GENERATOR.parent)}:{line}: {name} from {target}")
    assert not private, "private names imported across packages (make them public where they now live):\n" + "\n".join(private)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_is_small(module):
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    limit = PLUGIN_MAX_LINES if module == PLUGIN else MAX_LINES
    assert lines <= limit, f"{module} has {lines} lines (at most {limit}): split it by job"


def test_no_module_outside_the_packages():
    loose = sorted(m for m in MODULES if m.count(".") == 1 and layer(m) not in ORDER)
    assert not loose, f"modules of generator/ outside the pipeline packages: {loose}"


def test_environment_variables_are_read_in_one_place_and_never_at_import():
    """Build options reach the plugin in code (engine/options.py); the few genuine environment
    settings are read by generator/env.py alone, and only when asked."""
    touching = sorted(m for m, path in MODULES.items()
                      if m != "generator.env" and re.search(r"\bos\.(environ|getenv)\b", path.read_text(encoding="utf-8")))
    assert touching == [], f"environment variables read outside generator/env.py: {touching}"
    tree = ast.parse(MODULES["generator.env"].read_text(encoding="utf-8"))
    at_import = [ast.unparse(node) for node in tree.body[1:] if not isinstance(node, (ast.FunctionDef, ast.Import, ast.ImportFrom))
                 and "environ" in ast.unparse(node)]
    assert at_import == []
