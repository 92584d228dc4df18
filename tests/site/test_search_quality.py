"""The query set (tests/search_queries.yaml) on our search page: recall@5 and MRR, overall and per kind.

The floors are those issue 19 demands (recall@5 0.85 overall for the test; targets 0.90 overall,
0.80 in every kind, MRR 0.85), not what main measured when the set grew to 284 queries: at d654c64,
before the issue's search improvements, recall@5 0.768 and MRR 0.686 overall, worry 0.650,
typo 0.543, traditional 0.686, dates 0.615 (the table is in docs/search.md). Until those
improvements land, the two floor tests below fail.
"""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter

import pytest
from conftest import ROOT

pytestmark = pytest.mark.browser

RECALL_FLOOR = 0.85  # issue 19: the test fails below 0.85 overall
MRR_FLOOR = 0.85  # issue 19: MRR >= 0.85
KIND_RECALL_FLOOR = 0.80  # issue 19: >= 0.80 in every kind
# The kinds the issue asks to be written from how parents type, and how many of each at least.
PARENT_KINDS = ("worry", "typo", "traditional", "dates")


def _benchmark():
    spec = importlib.util.spec_from_file_location("search_quality", ROOT / "benchmarks" / "search_quality.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("search_quality", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench():
    return _benchmark()


@pytest.fixture(scope="module")
def measured(bench, site_url, browser):
    """Every query typed into our search page of the demo site (clock at the build day): queries, results."""
    queries = bench.load_site_queries()
    results = bench.run_ours(browser.page(), site_url, queries)
    assert browser.foreign_requests == []
    return queries, results


def test_query_set_is_big_and_every_expected_page_exists(bench, demo_site):
    queries = bench.load_site_queries()
    assert len(queries) >= 200
    kinds = Counter(query.kind for query in queries)
    assert set(kinds) == set(bench.KINDS), kinds
    assert all(kinds[kind] >= 25 for kind in PARENT_KINDS), kinds
    assert len({query.q for query in queries}) == len(queries), "a query is listed twice"
    for query in queries:
        assert query.expect, query.q
        for path in query.expect:
            assert (demo_site / path / "index.html").is_file(), (query.q, path)


def test_expectations_read_dates_places_and_titles(bench):
    """The expect forms of the header of tests/search_queries.yaml stand for the lectures they name."""
    from generator.plan.site import load_site

    catalog = load_site(ROOT / "catalog", bench.TODAY).catalog
    december = bench._expand(catalog, "dates:2026-12-01..2026-12-31")
    assert december and all(p.startswith("lectures/2026-12-") for p in december)
    assert bench._expand(catalog, "date:2026-12-05") < december
    assert bench._expand(catalog, "title:防溺水") == {f"lectures/{l.id}/" for l in catalog.lectures.values()
                                                    if l.title.startswith("防溺水")}
    at_school = bench._expand(catalog, "at:qishan-caijiapo-school")
    assert "stations/qishan-caijiapo-school/" in at_school and "lectures/2026-12-10-game-three-rules/" in at_school
    assert "lectures/2026-12-05-online-safety-privacy/" in bench._expand(catalog, "lecturer:ma-wenjun")
    libraries = bench._expand(catalog, "district:*/venues/library")
    assert {"venues/city-library/", "venues/taibai-library/"} <= libraries
    assert all(p.endswith("-library/") for p in libraries)


def test_an_expectation_that_names_no_page_is_an_error(bench, tmp_path):
    from generator.plan.site import load_site

    catalog = load_site(ROOT / "catalog", bench.TODAY).catalog
    path = tmp_path / "queries.yaml"
    path.write_text("- {q: 防溺水, expect: ['title:没有这个讲座'], kind: worry}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="没有这个讲座"):
        bench.load_queries(catalog, path)
    path.write_text("- {q: 防溺水, expect: ['title:防溺水'], kind: topic}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="topic"):
        bench.load_queries(catalog, path)


# Issue 19's floors; main at d654c64 measures below them (see the module docstring).
def test_recall_and_mrr_stay_above_the_floor(bench, measured):
    queries, results = measured
    figures = bench.score(queries, results)
    assert figures["recall@5"] >= RECALL_FLOOR, (figures, bench.misses(queries, results))
    assert figures["mrr"] >= MRR_FLOOR, figures


def test_every_kind_stays_above_its_floor(bench, measured):
    queries, results = measured
    kinds = bench.by_kind(queries, results)
    low = {kind: figures for kind, figures in kinds.items() if figures["recall@5"] < KIND_RECALL_FLOOR}
    assert not low, (low, bench.misses(queries, results))
