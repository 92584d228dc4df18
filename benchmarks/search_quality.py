"""Search quality on the demo catalogue: recall@5 and MRR of tests/search_queries.yaml, in Chromium.

Two sites are built from the same catalogue: ours (extra index terms, our search page and its
ranking) and Pagefind out of the box (LVYIN_SEARCH_TERMS=0: no extra terms; results in the order
of Pagefind's own `search()`, which is what its default UI shows).

    make search-quality            # or: .venv/bin/python benchmarks/search_quality.py [--json]

recall@5: share of queries with an expected page among the first 5 results.
MRR: mean of 1/rank of the first expected page within the first 10 results (0 when absent).
Both overall and per kind of query (KINDS, issue 19). The browser's clock is fixed to TODAY, so
relative dates in queries (明天, 本周, 下周) mean the same on every run.
The latest figures, and how search ranks: docs/search.md.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from generator.catalog.tables import Catalog  # noqa: E402
from generator.plan.pages import page_url  # noqa: E402

QUERIES = ROOT / "tests" / "search_queries.yaml"
TODAY = "2026-11-28"  # the demo catalogue's "today", as in tests/conftest.py
DEPTH = 10
# The kinds of query of issue 19, in the order the report lists them.
KINDS = ("lecturer", "place", "pinyin", "district", "worry", "typo", "traditional", "dates")


@dataclass(frozen=True)
class Query:
    q: str
    kind: str
    expect: frozenset[str]


def load_queries(catalog: Catalog, path: Path = QUERIES, articles: tuple = ()) -> list[Query]:
    """The query set; `articles` (the knowledge base, see generator/catalog/articles.py) answer topic queries too."""
    queries = []
    for item in yaml.safe_load(path.read_text(encoding="utf-8")):
        if item["kind"] not in KINDS:
            raise ValueError(f"{item['q']}: unknown kind {item['kind']!r}")
        expect = set()
        for e in item["expect"]:
            pages = _expand(catalog, e, articles)
            if not pages:
                raise ValueError(f"{item['q']}: {e!r} stands for no page")
            expect |= pages
        queries.append(Query(str(item["q"]), item["kind"], frozenset(expect)))
    return queries


def load_site_queries(path: Path = QUERIES) -> list[Query]:
    from generator.plan.site import load_site

    site = load_site(ROOT / "catalog", TODAY)
    return load_queries(site.catalog, path, getattr(site, "articles", ()))


def _expand(c: Catalog, item: str, articles: tuple = ()) -> frozenset[str]:
    """The site paths an `expect` item stands for (see the header of tests/search_queries.yaml)."""
    kind, _, value = item.partition(":")
    if not value:
        return frozenset([item])
    if kind == "topic":
        return frozenset([f"topics/{value}/"] + [f"lectures/{l.id}/" for l in c.lectures_by_topic.get(value, [])]
                         + [f"lecturers/{p.id}/" for p in c.lecturers_by_topic.get(value, [])]
                         + [page_url(a.page_path) for a in articles if value in a.topics])
    if kind == "audience":
        return frozenset([f"audiences/{value}/"] + [f"lectures/{l.id}/" for l in c.lectures_by_audience.get(value, [])]
                         + [f"venues/{v.id}/" for v in c.venues.values() if value in v.audiences])
    if kind == "series":
        return frozenset([f"series/{value}/"] + [f"lectures/{l.id}/" for l in c.lectures_by_series.get(value, [])])
    if kind == "lecturer":
        return frozenset([f"lecturers/{value}/"] + [f"lectures/{l.id}/" for l in c.lectures_by_lecturer.get(value, [])])
    if kind == "at":
        return frozenset([f"{_section(c, value)}/{value}/"] + [f"lectures/{l.id}/" for l in c.lectures_by_place.get(value, [])])
    if kind == "title":
        return frozenset(f"lectures/{l.id}/" for l in c.lectures.values() if value in l.title)
    if kind in ("date", "dates"):
        first, _, last = value.partition("..")
        first, last = date.fromisoformat(first), date.fromisoformat(last or first)
        return frozenset(f"lectures/{l.id}/" for l in c.lectures.values() if first <= l.date <= last)
    if kind == "district":
        district, section, *rest = value.split("/")
        if section == "lectures":
            return frozenset(f"lectures/{l.id}/" for l in c.lectures_by_district.get(district, []))
        table = {"venues": c.venues, "bases": c.bases, "stations": c.stations}[section]
        return frozenset(f"{section}/{p.id}/" for p in table.values()
                         if district in ("*", p.district) and (not rest or p.kind == rest[0]))
    raise ValueError(f"unknown expectation {item!r}")


def on_build_day(page) -> None:
    """Fix the page's clock to noon of TODAY in Baoji, so 今天, 明天, 本周 and 下周 are read on the build day."""
    page.clock.set_fixed_time(f"{TODAY}T12:00:00+08:00")


def _section(c: Catalog, place_id: str) -> str:
    return next(section for section, table in (("venues", c.venues), ("bases", c.bases), ("stations", c.stations))
                if place_id in table)


def run_ours(page, base_url: str, queries: list[Query]) -> list[list[str]]:
    """Type each query into our search page; the result links in the order shown."""
    from test_search_browser import wait_for_results

    on_build_day(page)
    page.goto(base_url + "search/")
    page.wait_for_selector("#lv-search[data-loaded]")
    root = urlsplit(base_url).path
    out = []
    for query in queries:
        page.fill("#lv-q", query.q)
        page.press("#lv-q", "Enter")
        wait_for_results(page, query.q.strip())
        hrefs = page.eval_on_selector_all("#lv-results a.lv-title", "els => els.map(e => new URL(e.href).pathname)")
        out.append([h[len(root):] for h in hrefs[:DEPTH]])
    return out


PLAIN_SEARCH = """async ([q, depth]) => {
  if (!window.__pf) {
    window.__pf = await import(new URL('../pagefind/pagefind.js', location.href).href);
    await window.__pf.options({ baseUrl: new URL('../', location.href).pathname });
  }
  const found = await window.__pf.search(q);
  const data = await Promise.all(found.results.slice(0, depth).map(r => r.data()));
  return data.map(d => d.url);
}"""


def run_plain(page, base_url: str, queries: list[Query]) -> list[list[str]]:
    """Pagefind's own search() order, as its default UI shows it."""
    on_build_day(page)
    page.goto(base_url + "search/")
    root = urlsplit(base_url).path
    return [[u[len(root):] for u in page.evaluate(PLAIN_SEARCH, [q.q, DEPTH])] for q in queries]


def score(queries: list[Query], results: list[list[str]]) -> dict[str, float]:
    hits, rr = 0, 0.0
    for query, found in zip(queries, results):
        ranks = [i for i, path in enumerate(found[:DEPTH], 1) if path in query.expect]
        hits += bool(ranks and ranks[0] <= 5)
        rr += 1 / ranks[0] if ranks else 0.0
    n = len(queries)
    return {"queries": n, "recall@5": round(hits / n, 3), "mrr": round(rr / n, 3)}


def by_kind(queries: list[Query], results: list[list[str]]) -> dict[str, dict[str, float]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for i, query in enumerate(queries):
        groups[query.kind].append(i)
    return {k: score([queries[i] for i in groups[k]], [results[i] for i in groups[k]]) for k in KINDS if k in groups}


def misses(queries: list[Query], results: list[list[str]]) -> list[str]:
    return [f"[{q.kind}] {q.q}: {found[:5]}" for q, found in zip(queries, results) if not set(found[:5]) & q.expect]


def build(site_dir: Path, extra_terms: bool) -> None:
    env = dict(os.environ, LVYIN_SEARCH_TERMS="1" if extra_terms else "0")
    subprocess.run([sys.executable, "-m", "generator", "build", "--site-dir", str(site_dir), "--today", TODAY],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def measure(ours_site: Path, plain_site: Path | None = None) -> dict:
    from browser import Browser, serve

    queries = load_site_queries()
    report: dict = {}
    chromium = Browser()
    try:
        runs = [("ours", ours_site, run_ours)] + ([("pagefind", plain_site, run_plain)] if plain_site else [])
        for name, site, run in runs:
            with serve(site) as url:
                results = run(chromium.page(), url, queries)
            report[name] = {**score(queries, results), "by_kind": by_kind(queries, results), "misses": misses(queries, results)}
    finally:
        chromium.close()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="lvyin-sq-") as tmp:
        ours, plain = Path(tmp) / "ours", Path(tmp) / "plain"
        build(ours, True)
        build(plain, False)
        report = measure(ours, plain)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(table(report))
    if report["ours"]["misses"]:
        print("ours missed:\n  " + "\n  ".join(report["ours"]["misses"]))
    return 0


def table(report: dict) -> str:
    """recall@5 and MRR, overall and per kind, ours against Pagefind out of the box, as a Markdown table."""
    ours, plain = report["ours"], report["pagefind"]
    lines = ["| kind (queries) | recall@5 ours | recall@5 Pagefind | MRR ours | MRR Pagefind |",
             "|---|---:|---:|---:|---:|"]
    rows = [(f"**all** ({ours['queries']})", ours, plain)]
    rows += [(f"{kind} ({ours['by_kind'][kind]['queries']})", ours["by_kind"][kind], plain["by_kind"][kind])
             for kind in KINDS if kind in ours["by_kind"]]
    for name, o, p in rows:
        lines.append(f"| {name} | {o['recall@5']:.3f} | {p['recall@5']:.3f} | {o['mrr']:.3f} | {p['mrr']:.3f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
