"""Extra index terms so that Chinese search forgives: parts of words, pinyin, initials.

Pagefind segments Chinese at build time (jieba-rs) and queries in the browser
(Intl.Segmenter); the two disagree on names ("白建军" is 白建+军 on one side and
白+建军 on the other), and a query only matches the start of an indexed word,
so "书馆" never finds "图书馆".  Each entry page therefore carries a hidden
list of terms: the words of every tail of each name (书馆, 铜器博物院), jieba's search-mode
words of longer text (rjieba: the jieba-rs and dictionary Pagefind uses), and
the pinyin (tushuguan, tsg) of names from where each of their words starts.

Pagefind cuts the hidden terms into words as it cuts the page's text (jieba
without HMM, each run of Han characters alone), so a term adds to the index only
the words it is cut into: the list holds each such word once, and none the page's
own text already gives.  A name's tails are written as the distinct words jieba
cuts them into (a name of n characters has n tails of n(n+1)/2 characters in all,
mostly the same words again), and of a text only the search-mode words that its
plain cut, indexed from the page itself, lacks (家庭 and 教育 of 家庭教育).  The index
holds the same words as with the whole tails and texts (each page's, checked on
a synthetic site of 10,000 lectures) and Pagefind reads far fewer characters.  Traditional characters an editor wrote
are indexed in their simplified form too (`folding.to_simplified`), and a topic's
`aliases` (the words parents use: 顶嘴, 刷视频) are indexed whole, with the words of
the tails of their Chinese, on its page, its lectures and its articles.  The search page cuts this list off before it shows an
excerpt (see `TERMS_MARK`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date
from functools import lru_cache

from generator import env
from generator.render.folding import to_simplified

TERMS_MARK = "〔检索词〕"
_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")
MAX_NAME_RUN = 16


@lru_cache(maxsize=65536)
def _name_terms(run: str) -> tuple[str, ...]:
    """The words of the tails, and the pinyin, of one run of Han characters; the same names recur
    on thousands of pages."""
    return (*_tail_words(run), *_pinyin(run))


@lru_cache(maxsize=4096)
def _word_terms(word: str) -> tuple[str, ...]:
    """A word kept whole (an alias) and the words of the tails of its Chinese: the browser cuts
    顶嘴 into 顶 + 嘴."""
    return (word, *(term for run in _HAN_RUN.findall(word) for term in _tail_words(run)))


def _tail_words(run: str) -> list[str]:
    """The distinct words Pagefind cuts the tails of `run` into (读懂孩子的情绪: 读懂 孩子 的 情绪
    懂 子 绪): what indexing each tail would add to the index, in fewer characters."""
    import rjieba

    tails = [run[i:] for i in range(len(run))] if len(run) <= MAX_NAME_RUN else [run]
    return list(dict.fromkeys(word for tail in tails for word in rjieba.cut(tail, False)))


@lru_cache(maxsize=65536)
def _syllables(run: str) -> tuple[str, ...]:
    """The pinyin of a run of Han characters, one syllable per character (pypinyin reads it by phrases)."""
    from pypinyin import lazy_pinyin

    return tuple(lazy_pinyin(run))


def _pinyin(run: str) -> list[str]:
    """The pinyin of `run` from each place a word starts (宝鸡市图书馆: baojishitushuguan, tushuguan,
    shuguan and bjstsg, tsg, sg), the pinyin of a word of it being what a parent types."""
    syllables = _syllables(run)
    if len(syllables) > MAX_NAME_RUN:
        return []
    initials = [s[0] for s in syllables]
    starts = _word_starts(run) if len(syllables) == len(run) else range(len(syllables))
    full = ["".join(syllables[i:]) for i in starts]
    short = ["".join(initials[i:]) for i in starts if i < len(initials) - 1]
    return full + short


def _word_starts(run: str) -> list[int]:
    """Where the words of `run` start, the shorter words jieba's search mode finds in a long one
    included (宝鸡市图书馆: 宝鸡, 宝鸡市, 图书, 书馆, 图书馆 → 0, 3, 4)."""
    import rjieba

    return sorted({start for _, start, _ in rjieba.tokenize(run, "search", False)})


def terms_for(names: Iterable[str | None], texts: Iterable[str | None] = (), words: Iterable[str] = ()) -> str:
    """Space-separated extra terms for `names` (short: the words of all tails, and pinyin), `texts`
    (longer, shown on the page: the search-mode words their plain cut lacks) and `words` (whole,
    as they are: a topic's aliases); each also in simplified characters."""
    if not enabled():
        return ""
    out: dict[str, None] = {}
    for word in words:
        for term in _word_terms(word):
            out.setdefault(term)
    for name in _with_simplified(names):
        for run in _HAN_RUN.findall(name):
            for term in _name_terms(run):
                out.setdefault(term)
    import rjieba

    for text in filter(None, texts):
        shown = set(rjieba.cut(text, False))  # indexed from the page's own text
        for variant in _with_simplified([text]):
            for word in rjieba.cut_for_search(variant):
                if word not in shown and len(word) > 1 and _HAN_RUN.fullmatch(word):
                    out.setdefault(word)
    return " ".join(out)


def _with_simplified(texts: Iterable[str | None]) -> list[str]:
    """The texts, and the simplified form of those with traditional characters."""
    out = []
    for text in filter(None, texts):
        out.append(text)
        simplified = to_simplified(text)
        if simplified != text:
            out.append(simplified)
    return out


def enabled() -> bool:
    """LVYIN_SEARCH_TERMS=0 builds the site without extra terms (Pagefind out of the box, to compare)."""
    return env.search_terms()


def date_term(day: date) -> str:
    """A lecture's day as one indexed word (d20261205): the search page finds a month's or a day's
    lectures by it (prefix d202612), loading only the index chunk that holds those words."""
    return f"d{day:%Y%m%d}"


def title_pinyin(title: str) -> str:
    """Full pinyin and initials of a title's Chinese, for the search page's name-match ranking."""
    if not enabled():
        return ""
    syllables = [s for run in _HAN_RUN.findall(title) for s in _syllables(run)]
    return f"{''.join(syllables)} {''.join(s[0] for s in syllables)}" if syllables else ""
