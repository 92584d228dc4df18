"""The search page's two lazy maps (see `render/folding.py`), made once per build:
`/search/fold.json` (traditional → simplified) and `/search/pinyin.json` (pinyin → characters)."""

from __future__ import annotations

import json

from generator.outputs.files import Asset
from generator.plan.site import Site
from generator.render.folding import pinyin_map, traditional_map


def search_maps(site: Site) -> list[Asset]:
    phrases, chars = traditional_map()
    fold = {"phrases": phrases, "chars": "".join(t + s for t, s in chars.items())}
    return [_json("search/fold.json", fold), _json("search/pinyin.json", pinyin_map())]


def _json(path: str, data: object) -> Asset:
    return Asset(path, json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8"))
