"""What the build adds so that search forgives: simplified forms of what editors write in traditional
characters, topics' aliases as hidden terms, and the search page's two maps."""

from __future__ import annotations

import json
import re

from conftest import BASE_FILES, build_site

from generator.render.folding import common_characters, to_simplified

TOPICS = """
    - id: reading
      name: 亲子阅读
      description: 和孩子一起读书。
      aliases:
        - 孩子不爱看书
        - 睡前故事
    - id: safety
      name: 安全監護
      description: 看護好孩子。
    """

# The base catalogue's lecture, its title typed in traditional characters.
LECTURES = BASE_FILES["lectures/2026-12.yaml"].replace("亲子共读的三个方法", "親子共讀的三個方法")


def hidden_terms(page: str) -> list[str]:
    found = re.search(r'<p class="lv-terms">〔检索词〕 ([^<]*)</p>', page)
    assert found, "no hidden terms on the page"
    return found[1].split()


def visible_text(page: str) -> str:
    return re.sub(r'<p class="lv-terms">.*?</p>', "", page, flags=re.S)


def test_traditional_text_is_indexed_in_simplified_characters_too_and_aliases_stay_hidden(make_catalog, tmp_path):
    catalog = make_catalog({"topics.yaml": TOPICS, "lectures/2026-12.yaml": LECTURES})
    assert build_site(catalog, tmp_path / "site") == 0
    lecture = (tmp_path / "site/lectures/reading-1205/index.html").read_text(encoding="utf-8")
    topic = (tmp_path / "site/topics/reading/index.html").read_text(encoding="utf-8")
    safety = (tmp_path / "site/topics/safety/index.html").read_text(encoding="utf-8")
    # The words Pagefind cuts the simplified title into, an alias whole and the words of its tails.
    assert {"亲子", "共", "读", "三个", "方法", "孩子不爱看书", "看书", "睡前故事"} <= set(hidden_terms(lecture))
    assert {"孩子不爱看书", "睡前故事", "故事"} <= set(hidden_terms(topic))
    assert {"安全", "监护", "看护"} <= set(hidden_terms(safety))
    assert "孩子不爱看书" not in visible_text(topic)  # an alias is for search only, never shown
    assert "亲子共读的三个方法" not in visible_text(lecture)  # the page shows the title as written


def test_the_maps_are_built_once_for_the_site(make_catalog, tmp_path):
    assert build_site(make_catalog(), tmp_path / "site") == 0
    fold = json.loads((tmp_path / "site/search/fold.json").read_text(encoding="utf-8"))
    pairs = dict(zip(fold["chars"][::2], fold["chars"][1::2], strict=True))
    assert pairs["學"] == "学" and pairs["長"] == "长" and pairs["閱"] == "阅"
    assert not set(pairs) & common_characters()  # a phone in simplified mode never needs the map
    assert fold["phrases"]["一目瞭然"] == "一目了然"
    pinyin = json.loads((tmp_path / "site/search/pinyin.json").read_text(encoding="utf-8"))
    assert {"里", "理", "力"} <= set(pinyin["li"]) and "心" in pinyin["xin"]
    assert sum(map(len, pinyin.values())) == len(common_characters()) == 6763


def test_folding_follows_opencc():
    assert to_simplified("家長學校 親子閱讀 學習習慣") == "家长学校 亲子阅读 学习习惯"
    assert to_simplified("一目瞭然") == "一目了然"  # OpenCC's phrase, not 瞭 alone
    text = "心理健康讲座"
    assert to_simplified(text) is text
