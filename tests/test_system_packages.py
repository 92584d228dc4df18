"""The system packages the tests need: the README's first section lists what .ci/run installs."""

from __future__ import annotations

import re

from conftest import ROOT


def test_the_readme_lists_the_packages_ci_installs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first_section = readme.split("\n## ", 1)[0]
    listed = re.findall(r"^apt-get install ([\w\s-]+)$", first_section, re.MULTILINE)
    installed = re.search(r"^PACKAGES=\(([^)]*)\)", (ROOT / ".ci" / "run").read_text(encoding="utf-8"), re.MULTILINE)
    assert len(listed) == 1 and installed
    assert listed[0].split() == installed[1].split()
    assert {"chromium", "fonts-noto-cjk", "poppler-utils", "npm"} <= set(installed[1].split())
