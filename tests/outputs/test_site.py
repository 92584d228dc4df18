"""site.outputs(): the one list of generated files, shared by every engine."""

from __future__ import annotations

import pytest

from generator.outputs import site_files as site_module
from generator.outputs.files import Asset, SiteCollision
from generator.plan.site import load_site


def test_two_generated_files_at_one_path_are_refused(make_catalog, monkeypatch):
    loaded = load_site(make_catalog(), "2026-11-28")
    paths = [path for path, _ in site_module.outputs(loaded)]
    assert len(paths) == len(set(paths)) and "lectures/reading-1205.md" in paths
    monkeypatch.setattr(site_module, "ASSET_MAKERS", [*site_module.ASSET_MAKERS, lambda s: [Asset("lectures/reading-1205.md", b"x")]])
    with pytest.raises(SiteCollision, match="lectures/reading-1205.md"):
        list(site_module.outputs(loaded))
