"""The developers' documentation: a short README that leads to docs/, and docs that stay true.

The README is what a newcomer reads first, so it stays short and every detail lives in one
document under docs/; these tests keep the links between them working, the package map complete
and the README's list of system packages the same as what CI installs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
HEADING = re.compile(r"^#+ (.+)$", re.MULTILINE)


def _anchor(heading: str) -> str:
    """The id GitHub gives a heading: lower case, punctuation dropped, spaces as hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def _relative_links(path: Path) -> list[str]:
    return [target for target in LINK.findall(path.read_text(encoding="utf-8")) if "://" not in target]


def test_readme_is_a_short_read():
    size = len(README.read_bytes())
    assert size < 12 * 1024, f"README.md is {size} bytes: move the details to a document under docs/"
    text = README.read_text(encoding="utf-8")
    assert "make site" in text.split("\n## ")[0] and "make test" in text.split("\n## ")[0]


@pytest.mark.parametrize("document", [README, *DOCS], ids=lambda path: path.relative_to(ROOT).as_posix())
def test_links_between_documents_resolve(document: Path):
    for target in _relative_links(document):
        file, _, anchor = target.partition("#")
        linked = (document.parent / file).resolve() if file else document
        assert linked.is_file(), f"{document.name} links to {target}, which does not exist"
        if anchor:
            headings = {_anchor(h) for h in HEADING.findall(linked.read_text(encoding="utf-8"))}
            assert anchor in headings, f"{document.name} links to {target}: no such heading in {linked.name}"


def test_readme_leads_to_every_document():
    linked = {(ROOT / target.partition("#")[0]).resolve() for target in _relative_links(README)}
    assert DOCS, "docs/ has no documents"
    assert [doc.name for doc in DOCS if doc not in linked] == []


def test_package_map_names_every_part_of_the_generator():
    """Each module or package of generator/ has its row in docs/architecture.md's package map."""
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    package_map = text.split("## Package map", 1)[1].split("\n## ", 1)[0]
    named = {name for name in re.findall(r"`([\w/]+(?:\.py|/))`", package_map)
             if not name.startswith(("/", "tests/", "generator/", "site/"))}  # addresses, other folders
    generator = ROOT / "generator"
    parts = {p.relative_to(generator).as_posix() + ("/" if p.is_dir() else "") for p in generator.rglob("*")
             if (p.suffix == ".py" or p.is_dir()) and p.name != "__init__.py"
             and not {"__pycache__", "templates"} & set(p.relative_to(generator).parts[:-1]) and p.name != "__pycache__"}
    assert sorted(parts - named) == [], "add these to the package map of docs/architecture.md"
    assert sorted(named - parts) == [], "the package map of docs/architecture.md names what is gone"
    assert "docs/architecture.md" in README.read_text(encoding="utf-8")


def test_readme_lists_the_system_packages_ci_installs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    installed = {name for line in re.findall(r"apt-get install ([^>\n]+)", ci)
                 for name in line.split() if not name.startswith("-")}
    assert {"chromium", "poppler-utils", "npm"} <= installed  # what the browser, PDF and editor tests use
    listed = set(re.findall(r"`([\w.-]+)`", README.read_text(encoding="utf-8").split("\n## ", 1)[0]))
    assert sorted(installed - listed) == [], "README.md's system packages must name what .ci/run installs"
