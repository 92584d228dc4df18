"""The hidden search terms give Pagefind every word it would get from each tail of a name, in
fewer characters, and no word the page's own text already gives it."""

from __future__ import annotations

import re

import pytest
import rjieba

from generator.render.search_terms import terms_for

HAN = re.compile(r"[\u3400-\u9fff]+")
NAMES = ["宝鸡市图书馆", "读懂孩子的情绪", "渭滨区太公庙体育馆", "白建军", "宝鸡青铜器博物院", "眉县猕猴桃实践基地"]
DESCRIPTION = "本场讲座聚焦青春期家庭教育，宋艳老师来自文理学院，讲解亲子沟通的方法。"


def indexed(text: str) -> set[str]:
    """The words Pagefind cuts `text` into (jieba without HMM, each run of Han characters alone)."""
    return {word for run in HAN.findall(text) for word in rjieba.cut(run, False)}


@pytest.mark.parametrize("name", NAMES)
def test_a_names_terms_give_the_words_of_every_tail_in_fewer_characters(name):
    tails = " ".join(name[i:] for i in range(len(name)))
    terms = terms_for([name])
    assert indexed(terms) == indexed(tails)
    assert len("".join(HAN.findall(terms))) < len("".join(HAN.findall(tails)))


def test_a_texts_terms_are_the_search_words_its_own_cut_lacks():
    terms = terms_for([], [DESCRIPTION]).split()
    shown = indexed(DESCRIPTION)
    assert {"家庭", "教育", "青春", "文理", "学院"} <= set(terms)  # 家庭教育 and 文理学院 are indexed whole from the page
    assert shown.isdisjoint(terms)


def test_a_names_pinyin_starts_where_its_words_start():
    """What a parent types is the pinyin of a word of the name (tushuguan, tsg), not of its second character on."""
    terms = set(terms_for(["宝鸡市图书馆"]).split())
    assert {"baojishitushuguan", "tushuguan", "shuguan", "bjstsg", "tsg"} <= terms
    assert not {"jishitushuguan", "shitushuguan", "guan", "jstsg"} & terms
