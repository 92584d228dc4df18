"""`lvyin build` with its cache: a rebuild is byte for byte a clean build, whatever changed, and a
damaged cache is noticed and made again, never served."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, build_site
from icalendar import Event
from test_parallel_build import snapshot

import generator.catalog.files as catalog_files
import generator.engine.search_index as search_index
import generator.outputs.feeds as feeds
import generator.outputs.opendata as opendata
import generator.outputs.printing as printing
from generator.bench.synth import synthesize
from generator.engine import search_copies

CHANGES = yaml.safe_load((Path(__file__).parent / "data" / "cache_changes.yaml").read_text(encoding="utf-8"))
BUILD_DAY = "2027-05-03"
PART_SIZE = 40  # so that the synthetic site's index comes in parts (current ones and archive ones)
_COUNTS = re.compile(r"构建缓存：沿用 (\d+) 项，新生成 (\d+) 项")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The synthetic catalogue, built once with the cache: (catalogue, the folder of site and cache)."""
    root = tmp_path_factory.mktemp("cached")
    catalog = synthesize(root / "synth", 120, seed=4, stations=30, lecturers=20, venues=10, bases=6)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search_index, "PART_SIZE", PART_SIZE)
        assert build_site(catalog, root / "build" / "site", "--today", BUILD_DAY) == 0
    return catalog, root / "build"


def _build(catalog: Path, site: Path, capsys, *extra: str) -> tuple[int, int]:
    """Build; (records reused, records made) as the build reports them."""
    capsys.readouterr()
    assert build_site(catalog, site, *extra) == 0
    counts = _COUNTS.search(capsys.readouterr().out)
    return (int(counts[1]), int(counts[2])) if counts else (0, 0)


def _clean_build(catalog: Path, tmp_path: Path, capsys, today: str = BUILD_DAY) -> dict[str, str]:
    """The snapshot of a clean build (`--no-cache`) of `catalog` on `today`, which leaves no cache."""
    _build(catalog, tmp_path / "clean" / "site", capsys, "--today", today, "--no-cache")
    assert not (tmp_path / "clean" / ".lvyin-cache").exists()
    return snapshot(tmp_path / "clean" / "site")


def _change(catalog: Path, change: dict) -> None:
    if "replace" in change:
        name, old, new = change["replace"]
        text = (catalog / name).read_text(encoding="utf-8")
        assert text.count(old) == 1, f"{name}: {old!r} should be there once"
        (catalog / name).write_text(text.replace(old, new), encoding="utf-8")
    if "append" in change:
        name, more = change["append"]
        with open(catalog / name, "a", encoding="utf-8") as out:
            out.write(more)


@pytest.mark.parametrize("change", CHANGES, ids=[c["name"] for c in CHANGES])
def test_a_rebuild_after_a_change_is_the_clean_build_of_the_changed_catalogue(built, change, tmp_path, capsys,
                                                                             monkeypatch):
    monkeypatch.setattr(search_index, "PART_SIZE", PART_SIZE)
    catalog, first = built
    catalog = Path(shutil.copytree(catalog, tmp_path / "catalog"))
    work = Path(shutil.copytree(first, tmp_path / "build", symlinks=True))  # the site and its cache, as left
    _change(catalog, change)
    today = change.get("today", BUILD_DAY)
    reused, made = _build(catalog, work / "site", capsys, "--today", today)
    assert snapshot(work / "site") == _clean_build(catalog, tmp_path, capsys, today)
    expected = change["reused"]
    assert (reused > 0, made > 0) == {"all": (True, False), "some": (True, True), "none": (False, True)}[expected], \
        (reused, made)


def _objects(cache: Path) -> list[Path]:
    return sorted(p for p in (cache / "objects").rglob("*") if p.is_file())


def _damage_truncated(cache: Path) -> None:
    victim = max(_objects(cache), key=lambda p: p.stat().st_size)
    victim.write_bytes(victim.read_bytes()[:100])


def _damage_edited_in_place(cache: Path) -> None:
    """A page of the published site edited in place by hand: the same size, its cached bytes changed too."""
    page = next(p for p in (cache.parent / "site" / "lectures").rglob("index.html"))
    data = bytearray(page.read_bytes())
    data[-20:-10] = b"x" * 10
    page.write_bytes(bytes(data))


def _damage_missing(cache: Path) -> None:
    for victim in _objects(cache)[::7]:
        victim.unlink()


def _damage_wrong_key(cache: Path) -> None:
    """Two records swapped by hand (the manifest's first line, the digest of the rest, left as it was)."""
    manifest = cache / "manifest.json"
    check, _, body = manifest.read_bytes().partition(b"\n")
    data = json.loads(body)
    first, second = sorted(data["records"])[:2]
    data["records"][first], data["records"][second] = data["records"][second], data["records"][first]
    manifest.write_bytes(check + b"\n" + json.dumps(data).encode())


def _damage_manifest_cut(cache: Path) -> None:
    manifest = cache / "manifest.json"
    manifest.write_bytes(manifest.read_bytes()[:1000])


DAMAGES = [_damage_truncated, _damage_edited_in_place, _damage_missing, _damage_wrong_key, _damage_manifest_cut]


@pytest.mark.parametrize("damage", DAMAGES, ids=[d.__name__.removeprefix("_damage_") for d in DAMAGES])
def test_a_damaged_cache_is_noticed_and_what_it_held_is_made_again(built, damage, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(search_index, "PART_SIZE", PART_SIZE)
    catalog, first = built
    work = Path(shutil.copytree(first, tmp_path / "build", symlinks=True))
    clean = _clean_build(catalog, tmp_path, capsys)
    # The copy's site and cache share their files, as a real build leaves them.
    _build(catalog, work / "site", capsys, "--today", BUILD_DAY)
    damage(work / ".lvyin-cache")
    reused, made = _build(catalog, work / "site", capsys, "--today", BUILD_DAY)
    assert made > 0
    assert snapshot(work / "site") == clean
    assert _build(catalog, work / "site", capsys, "--today", BUILD_DAY)[1] == 0  # whole again
    assert snapshot(work / "site") == clean


def _lecture_folders(site: Path) -> dict[str, int]:
    return {folder.name: folder.stat().st_ino for folder in (site / "lectures").iterdir() if folder.is_dir()}


def test_a_rebuild_takes_the_unchanged_folders_of_the_site_it_replaced_whole(built, tmp_path, capsys, monkeypatch):
    """The site a build replaces is kept in the cache (spare): the next build moves the folders
    it would make again with the same files out of it, rather than making them anew."""
    monkeypatch.setattr(search_index, "PART_SIZE", PART_SIZE)
    catalog, first = built
    catalog = Path(shutil.copytree(catalog, tmp_path / "catalog"))
    work = Path(shutil.copytree(first, tmp_path / "build", symlinks=True))
    _build(catalog, work / "site", capsys, "--today", BUILD_DAY)  # its files are the cache's objects again
    folders = _lecture_folders(work / "site")
    _change(catalog, CHANGES[2])  # one lecture's title
    _build(catalog, work / "site", capsys, "--today", BUILD_DAY)
    assert (work / ".lvyin-cache" / "spare" / "lectures").is_dir()  # the site before, kept
    _build(catalog, work / "site", capsys, "--today", BUILD_DAY)
    again = _lecture_folders(work / "site")
    assert again.keys() == folders.keys()
    kept = [name for name in folders if again[name] == folders[name]]
    assert len(folders) - 3 <= len(kept) < len(folders), (len(kept), len(folders))  # all but the edited lecture's
    assert snapshot(work / "site") == _clean_build(catalog, tmp_path, capsys)


def test_a_spare_site_edited_by_hand_changes_nothing_but_the_time(built, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(search_index, "PART_SIZE", PART_SIZE)
    catalog, first = built
    work = Path(shutil.copytree(first, tmp_path / "build", symlinks=True))
    _build(catalog, work / "site", capsys, "--today", BUILD_DAY)
    _build(catalog, work / "site", capsys, "--today", BUILD_DAY)  # the spare is now a site of the cache's objects
    spare = work / ".lvyin-cache" / "spare"
    added, replaced, emptied = sorted(p for p in (spare / "lectures").iterdir() if p.is_dir())[:3]
    (added / "evil.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    page = replaced / "index.html"
    text = page.read_text(encoding="utf-8")
    page.unlink()  # a file of its own, no longer the cache's object
    page.write_text(text.replace("</body>", "<script>alert(1)</script></body>"), encoding="utf-8")
    for file in emptied.iterdir():
        file.unlink()
    _build(catalog, work / "site", capsys, "--today", BUILD_DAY)
    assert snapshot(work / "site") == _clean_build(catalog, tmp_path, capsys)


def test_a_cache_folder_that_git_tracks_is_not_used(built, tmp_path, capsys, monkeypatch):
    """A commit cannot bring a cache: its records say which files the site publishes."""
    monkeypatch.setattr(search_index, "PART_SIZE", PART_SIZE)
    catalog, first = built
    work = Path(shutil.copytree(first, tmp_path / "build", symlinks=True))
    subprocess.run(["git", "init", "-q", str(work)], check=True)
    subprocess.run(["git", "-C", str(work), "add", "-f", ".lvyin-cache/manifest.json"], check=True)
    config = work / "mkdocs.yml"
    config.write_text(f"INHERIT: {ROOT / 'mkdocs.yml'}\ndocs_dir: {ROOT / 'content'}\ntheme:\n  custom_dir: {ROOT / 'overrides'}\n",
                      encoding="utf-8")
    capsys.readouterr()
    assert build_site(catalog, work / "site", "--today", BUILD_DAY, "--config", str(config)) == 0
    output = capsys.readouterr()
    assert "git 跟踪的文件" in output.err and "构建缓存" not in output.out


def test_a_failed_build_keeps_the_cache_of_the_last_good_one(built, tmp_path, capsys, monkeypatch):
    """A build that fails after its parts made (and stored) new units leaves the last manifest as it was."""
    from generator.errors import BuildFailed

    monkeypatch.setattr(search_index, "PART_SIZE", PART_SIZE)
    catalog, first = built
    catalog = Path(shutil.copytree(catalog, tmp_path / "catalog"))
    work = Path(shutil.copytree(first, tmp_path / "build", symlinks=True))
    _build(catalog, work / "site", capsys, "--today", BUILD_DAY)
    manifest = (work / ".lvyin-cache" / "manifest.json").read_bytes()
    _change(catalog, CHANGES[2])  # new units to keep, had the build succeeded

    def fails(*args, **kwargs):
        raise BuildFailed("Pagefind 建立搜索索引失败")

    monkeypatch.setattr(search_index, "_run", fails)  # in the index's own part, after the others stored theirs
    assert build_site(catalog, work / "site", "--today", BUILD_DAY) == 1
    assert (work / ".lvyin-cache" / "manifest.json").read_bytes() == manifest


def test_a_rebuild_of_the_same_input_takes_the_whole_site_and_keeps_every_unit_for_the_next_change(
        built, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(search_index, "PART_SIZE", PART_SIZE)
    catalog, first = built
    catalog = Path(shutil.copytree(catalog, tmp_path / "catalog"))
    work = Path(shutil.copytree(first, tmp_path / "build", symlinks=True))
    assert _build(catalog, work / "site", capsys, "--today", BUILD_DAY) == (1, 0)  # the whole site, at once
    _change(catalog, CHANGES[2])  # one lecture's title
    reused, made = _build(catalog, work / "site", capsys, "--today", BUILD_DAY)
    assert reused > 300 and made < 30, (reused, made)  # the lecture, its lists, feeds, index parts


def test_after_one_edit_the_feeds_print_sheets_and_open_data_make_again_only_what_shows_that_lecture(
        built, tmp_path, capsys, monkeypatch):
    """Any edit makes the feeds again (memo.py): from the results the last build kept, so one
    lecture's new title costs one calendar event and no QR code (addresses are the same).  A print
    sheet and a year of open data are kept under keys of their own: only the sheets of the
    lecture's station and month or quarter, and the lecture's year, are made again."""
    monkeypatch.setattr(search_index, "PART_SIZE", PART_SIZE)
    catalog, first = built
    catalog = Path(shutil.copytree(catalog, tmp_path / "catalog"))
    work = Path(shutil.copytree(first, tmp_path / "build", symlinks=True))
    source = sorted((catalog / "lectures").glob("*.yaml"))[-1]  # the newest: in the feeds and on the sheets
    lecture = yaml.safe_load(source.read_text(encoding="utf-8"))[0]
    title, day = lecture["title"], str(lecture["date"])
    _change(catalog, {"replace": [f"lectures/{source.name}", f"title: {title}", f"title: {title}（改）"]})
    made = tmp_path / "made.log"  # written by the forked parts, which inherit the patches

    def count(what, make):
        return lambda *args, **kwargs: (made.open("a").write(what(*args, **kwargs) + "\n"), make(*args, **kwargs))[1]

    monkeypatch.setattr(feeds, "Event", count(lambda: "event", Event))
    monkeypatch.setattr(printing.zxingcpp, "create_barcode", count(lambda *a, **k: "qr", printing.zxingcpp.create_barcode))
    monkeypatch.setattr(printing, "sheet_html", count(lambda site, station, period: f"sheet:{station}:{period.key}",
                                                      printing.sheet_html))
    monkeypatch.setattr(opendata, "year_json", count(lambda site, year, *rest: f"open-data:{year}", opendata.year_json))
    _build(catalog, work / "site", capsys, "--today", BUILD_DAY)
    made_now = made.read_text().split()
    assert [what for what in made_now if not what.startswith(("sheet:", "open-data:"))] == ["event"]
    year, month = day[:4], day[:7]
    quarter = f"{year}-q{(int(day[5:7]) - 1) // 3 + 1}"
    assert sorted(what for what in made_now if what.startswith("sheet:")) == (
        sorted(f"sheet:{lecture['venue']}:{key}" for key in (month, quarter)) if lecture["venue"] in _stations(catalog) else [])
    assert [what for what in made_now if what.startswith("open-data:")] == [f"open-data:{year}"]
    assert f"{title}（改）" in (work / "site" / "feeds" / "all.ics").read_text(encoding="utf-8").replace("\r\n ", "")
    assert snapshot(work / "site") == _clean_build(catalog, tmp_path, capsys)


def _stations(catalog: Path) -> set[str]:
    return {station["id"] for file in (catalog / "stations").glob("*.yaml")
            for station in yaml.safe_load(file.read_text(encoding="utf-8")) or []}


def test_after_one_lectures_title_changed_pagefind_indexes_again_only_the_part_that_holds_its_page(
        built, tmp_path, capsys, monkeypatch):
    """The lecturer's, station's and topic's pages list the lecture too, but Pagefind ignores those
    lists: their copies for the index are unchanged, and so are the parts of the index that hold them."""
    monkeypatch.setattr(search_index, "PART_SIZE", PART_SIZE)
    catalog, first = built
    catalog = Path(shutil.copytree(catalog, tmp_path / "catalog"))
    work = Path(shutil.copytree(first, tmp_path / "build", symlinks=True))
    source = sorted((catalog / "lectures").glob("*.yaml"))[-1]  # an upcoming lecture: on its lecturer's page and others
    lecture = yaml.safe_load(source.read_text(encoding="utf-8"))[0]
    _change(catalog, {"replace": [f"lectures/{source.name}", f"title: {lecture['title']}", f"title: {lecture['title']}（改）"]})
    # The index is a part of the build, in a process of its own: what it did is noted in files.
    notes = tmp_path / "notes"
    notes.mkdir()
    run = search_index._run
    monkeypatch.setattr(search_index, "_run", lambda tree, output: _note(notes / "runs", sorted(
        p.relative_to(tree).as_posix() for p in tree.rglob("*.html"))) or run(tree, output))
    scan = search_copies._scan_objects  # the copies whose dates the index's plan had to read (the rest the cache knew)
    monkeypatch.setattr(search_copies, "_scan_objects", lambda files, names: _note(notes / "scanned", names) or scan(files, names))
    _build(catalog, work / "site", capsys, "--today", BUILD_DAY)
    runs = [json.loads(line) for line in (notes / "runs").read_text(encoding="utf-8").splitlines()]
    scanned = [name for line in (notes / "scanned").read_text(encoding="utf-8").splitlines() for name in json.loads(line)]
    assert len(runs) == 1 and f"lectures/{lecture['id']}/index.html" in runs[0]
    assert 1 <= len(scanned) <= 3, scanned  # the lecture's new copy (and its stand-ins'): not the other pages'
    copies = {path: name for record in json.loads((work / ".lvyin-cache" / "manifest.json").read_bytes()
                                                   .partition(b"\n")[2])["records"].values()
              for dest, path, name, *_ in record["files"] if dest == "copies"}
    assert copies[f"lectures/{lecture['id']}/index.html"] in scanned
    lecturer = work / "site" / "lecturers" / lecture["lecturers"][0] / "index.html"
    assert f"{lecture['title']}（改）" in lecturer.read_text(encoding="utf-8")


def _note(file: Path, items: list[str]) -> None:
    """One line of `items` at the end of `file` (from whichever process of the build)."""
    with file.open("a", encoding="utf-8") as out:
        out.write(json.dumps(items) + "\n")


def test_on_the_next_day_a_lecturers_or_places_page_is_made_again_only_when_its_lists_move(
        built, tmp_path, capsys, monkeypatch):
    """Their lists of 近期/往期 lectures move when one of their lectures is over; the others' pages
    are the same as yesterday's (they print no build date) and are neither rendered nor made again.
    No calendar event is made again either: only their DTSTAMP, outside what the feeds remember, moves on;
    no print sheet is rendered again: yesterday's gets today's date in its "as of" line;
    and no catalogue file is read again."""
    import generator.engine.reuse as reuse

    monkeypatch.setattr(search_index, "PART_SIZE", PART_SIZE)
    catalog, first = built
    catalog = Path(shutil.copytree(catalog, tmp_path / "catalog"))
    work = Path(shutil.copytree(first, tmp_path / "build", symlinks=True))
    rendered = tmp_path / "rendered.log"  # written by the forked parts, which inherit the patch
    render = reuse.render_traced
    monkeypatch.setattr(reuse, "render_traced", lambda page: (rendered.open("a").write(page.path + "\n"), render(page))[1])
    monkeypatch.setattr(feeds, "Event", lambda: (rendered.open("a").write("an-event\n"), Event())[1])
    read = catalog_files._read_entries
    monkeypatch.setattr(catalog_files, "_read_entries", lambda *args: (rendered.open("a").write("a-file\n"),
                                                                       read(*args))[1])
    sheet = printing.sheet_html
    monkeypatch.setattr(printing, "sheet_html", lambda *args: (rendered.open("a").write("a-sheet\n"), sheet(*args))[1])
    next_day = "2027-05-04"
    _build(catalog, work / "site", capsys, "--today", next_day)
    lectures = [l for f in sorted((catalog / "lectures").glob("*.yaml"))
                for l in yaml.safe_load(f.read_text(encoding="utf-8")) or []]
    moved = {f"lecturers/{who}.md" for l in lectures if str(l["date"]) == BUILD_DAY for who in l.get("lecturers", [])}
    moved |= {f"{section}/{l['venue']}.md" for l in lectures if str(l["date"]) == BUILD_DAY and l.get("venue")
              for section in ("venues", "bases", "stations")}
    again = {path for path in rendered.read_text().split() if path.startswith(("lecturers/", "venues/", "bases/", "stations/"))}
    everyone = {p.relative_to(work / "site").parent.as_posix() + ".md" for section in ("lecturers", "venues", "bases", "stations")
                for p in (work / "site" / section).glob("*/index.html")}
    assert moved and again and again <= moved and len(again) < len(everyone) / 2, (again - moved, len(everyone))
    assert "an-event" not in rendered.read_text().split()
    assert "a-file" not in rendered.read_text().split()  # each taken from what the last build read (kept_reads.py)
    assert "a-sheet" not in rendered.read_text().split()
    sheets = list((work / "site" / "print" / "stations").glob("*/20*/index.html"))
    assert sheets and all("截至 2027年5月4日" in p.read_text(encoding="utf-8") for p in sheets)
    assert "DTSTAMP:20270503T160000Z" in (work / "site" / "feeds" / "all.ics").read_text(encoding="utf-8")
    assert snapshot(work / "site") == _clean_build(catalog, tmp_path, capsys, next_day)


def test_the_same_input_is_checked_again_when_the_site_in_place_is_not_the_last_builds(
        built, tmp_path, capsys, monkeypatch):
    """The whole-site shortcut does not read the catalogue again; it is not taken when the site in
    place published ids that the last build did not (another build put it there): those ids must
    still not disappear, and the build says so."""
    monkeypatch.setattr(search_index, "PART_SIZE", PART_SIZE)
    catalog, first = built
    catalog = Path(shutil.copytree(catalog, tmp_path / "catalog"))
    work = Path(shutil.copytree(first, tmp_path / "build", symlinks=True))
    ids = work / "site" / "ids.json"
    published = json.loads(ids.read_text(encoding="utf-8"))
    published["lectures"].append("a-lecture-published-elsewhere")
    ids.unlink()  # not through the hard link into the cache
    ids.write_text(json.dumps(published), encoding="utf-8")
    capsys.readouterr()
    assert build_site(catalog, work / "site", "--today", BUILD_DAY) == 1
    assert "a-lecture-published-elsewhere" in capsys.readouterr().err


@pytest.mark.parametrize("change", [CHANGES[2], CHANGES[1]], ids=["one-lecture-edited", "the-next-day"])
def test_a_rebuild_link_checks_only_the_pages_that_changed_or_linked_to_a_file_gone(built, change, tmp_path, capsys,
                                                                                    monkeypatch):
    """The others' links held in the last build, and reach the same files (link_index.py): on the next
    day a lecture's calendar file is gone, which only that lecture's page linked to."""
    import generator.engine.finishing as finishing

    monkeypatch.setattr(search_index, "PART_SIZE", PART_SIZE)
    checked = tmp_path / "checked.txt"
    real = finishing.check_pages

    def check_pages(site_dir, only=None, files=None):  # runs in the link check's own process: it leaves a note
        pages = [p.relative_to(site_dir).as_posix() for p in Path(site_dir).rglob("*.html")
                 if not p.relative_to(site_dir).parts[0].startswith("pagefind")]
        checked.write_text(json.dumps({"all": pages, "checked": sorted(set(pages) & only) if only is not None else pages}))
        return real(site_dir, only, files)

    monkeypatch.setattr(finishing, "check_pages", check_pages)
    catalog, first = built
    catalog = Path(shutil.copytree(catalog, tmp_path / "catalog"))
    work = Path(shutil.copytree(first, tmp_path / "build", symlinks=True))
    _build(catalog, work / "site", capsys, "--today", BUILD_DAY)  # the copy's site and cache share their files again
    before = snapshot(work / "site")
    _change(catalog, change)
    _build(catalog, work / "site", capsys, "--today", change.get("today", BUILD_DAY))
    after = snapshot(work / "site")
    pages = json.loads(checked.read_text())
    changed = {path for path, bytes_digest in after.items() if path.endswith(".html")
               and not path.startswith("pagefind") and before.get(path) != bytes_digest}
    assert set(pages["checked"]) == changed and len(changed) < len(pages["all"]) / 2
    gone = set(before) - set(after)
    assert any(path.startswith("feeds/lectures/") for path in gone) == ("today" in change), gone


def _page(root: Path, path: str, text: str) -> Path:
    (root / path).parent.mkdir(parents=True, exist_ok=True)
    (root / path).write_text(text, encoding="utf-8")
    return root / path


def _cached_build(cache_folder: Path, site: Path, files: dict[str, str]) -> list[str]:
    """What `lvyin build` does with its cache around the link check, for a site of `files` (path: text):
    the link problems; a site without any is kept for the next build."""
    from generator.digests import digest
    from generator.engine.build_cache import BuildCache
    from generator.engine.finishing import Finish, check_part, link_problems

    cache = BuildCache(cache_folder, "tools")
    try:
        for name, text in files.items():
            cache.put(digest(name, text), [("site", name, _page(site, name, text))])
        key = digest("site", json.dumps(files, sort_keys=True))
        check_part(site, Finish(site_key=key), cache, site.parent / "found")
        problems = link_problems(site, cache, site.parent / "found")
        if not problems:
            cache.keep_site(key, site)
            cache.save()
        return problems
    finally:
        cache.close()


def _linking(*targets: str) -> str:
    return "".join(f'<a href="{target}">x</a>' for target in targets)


def test_a_file_the_site_lost_is_reported_on_each_unchanged_page_that_links_to_it(tmp_path, monkeypatch):
    """Only the changed pages' links are checked again, but a page that did not change can still
    link to a file that is gone (a lecture's calendar file the day it leaves the recent window)."""
    from generator.engine import site_check

    monkeypatch.setattr(site_check, "WIDE", 2)  # style.css, linked from three pages, is known by name only
    first = {"a.html": _linking("x.ics", "style.css"), "b/index.html": _linking("../y.ics", "../style.css"),
             "c.html": _linking("style.css"), "x.ics": "", "y.ics": "", "style.css": ""}
    cache = tmp_path / "cache"
    assert _cached_build(cache, tmp_path / "1", first) == []
    second = {**first, "c.html": _linking("style.css", "b/")}
    del second["x.ics"]
    assert _cached_build(cache, tmp_path / "2", second) == ["a.html: 链接指向不存在的页面：x.ics"]
    assert _cached_build(cache, tmp_path / "3", {**second, "a.html": _linking("style.css")}) == []
    third = {**second, "a.html": _linking("style.css")}
    del third["y.ics"]
    assert _cached_build(cache, tmp_path / "4", third) == ["b/index.html: 链接指向不存在的页面：../y.ics"]
    fourth = {name: text for name, text in third.items() if name != "style.css"}
    assert _cached_build(cache, tmp_path / "5", {**fourth, "b/index.html": _linking("../style.css")}) == [
        "a.html: 链接指向不存在的页面：style.css", "b/index.html: 链接指向不存在的页面：../style.css",
        "c.html: 链接指向不存在的页面：style.css"]


def test_the_pages_to_link_check_are_those_changed_and_those_that_linked_to_a_file_gone(tmp_path, monkeypatch):
    from generator.engine import link_index, site_check
    from generator.engine.build_cache import BuildCache

    monkeypatch.setattr(site_check, "WIDE", 2)
    first = {"a.html": _linking("x.ics", "style.css"), "b/index.html": _linking("../y.ics", "../style.css"),
             "c.html": _linking("style.css"), "x.ics": "", "y.ics": "", "style.css": ""}
    assert _cached_build(tmp_path / "cache", tmp_path / "first", first) == []

    def to_check(files: dict[str, str], index: bool = True) -> set[str] | None:
        site = tmp_path / f"site-{len(list(tmp_path.iterdir()))}"
        cache = BuildCache(tmp_path / "cache", "tools")
        try:
            if not index:  # a cache from before the index, or one whose index is damaged
                monkeypatch.setattr(link_index, "_key", lambda site_key: "another")
            for name, text in files.items():
                cache.put(name + text, [("site", name, _page(site, name, text))])
            return link_index.pages_to_check(cache, site, site_check.site_files(site))
        finally:
            cache.close()

    assert to_check(first) == set()
    assert to_check({**first, "a.html": "edited"}) == {"a.html"}
    assert to_check({**first, "d.html": "new"}) == {"d.html"}
    without_x = {name: text for name, text in first.items() if name != "x.ics"}
    assert to_check(without_x) == {"a.html", "x.ics"}  # (the file gone, which is no page to check)
    assert to_check({**without_x, "c.html": "edited"}) == {"a.html", "c.html", "x.ics"}
    assert to_check({name: text for name, text in first.items() if name != "style.css"}) is None  # every page
    assert to_check(without_x, index=False) is None


def _store_in_a_part(cache, key: str, data: bytes, journal: Path) -> None:
    """What a forked part of the build does: store under `key` and leave its records for the parent."""
    cache.begin_part()
    cache.put(key, [("site", "page.html", data)])
    cache.take_journal(journal)


def test_parts_storing_the_same_file_leave_records_the_next_build_can_use(tmp_path):
    """Parts of one build (processes of their own) that make the same bytes share one object, and
    each part's record names the object that stays: the next build finds every record intact,
    also where the last build's records were lost and its objects are there."""
    import multiprocessing
    import time

    from generator.engine.build_cache import BuildCache

    for lost_manifest in (False, True):
        folder = tmp_path / f"cache-{lost_manifest}"
        if lost_manifest:  # an earlier build's object, no record naming it
            first = BuildCache(folder, "tools")
            first.put("earlier", [("site", "page.html", b"the same page")])
            first.close()
        cache = BuildCache(folder, "tools")
        for key in ("a", "b"):
            time.sleep(0.02)  # another tick of the file system's clock
            part = multiprocessing.get_context("fork").Process(target=_store_in_a_part,
                                                               args=(cache, key, b"the same page", tmp_path / f"{key}.json"))
            part.start()
            part.join()
            assert part.exitcode == 0
            cache.add_journal(tmp_path / f"{key}.json")
        cache.put("c", [("site", "other.html", b"another page")])
        cache.save()
        cache.close()
        again = BuildCache(folder, "tools")
        assert [key for key in ("a", "b", "c") if again.get(key) is None] == []
        again.close()


def test_an_object_with_other_bytes_than_its_name_says_is_written_again(tmp_path):
    from generator.digests import digest
    from generator.engine.build_cache import BuildCache

    cache = BuildCache(tmp_path / "cache", "tools")
    name = digest(b"the page")
    (tmp_path / "cache" / "objects" / name[:2]).mkdir()
    (tmp_path / "cache" / "objects" / name[:2] / name[2:]).write_bytes(b"the pa")  # left cut by an earlier build
    record = cache.put("a", [("site", "page.html", b"the page")])
    cache.place(record, tmp_path / "site")
    assert (tmp_path / "site" / "page.html").read_bytes() == b"the page"
    cache.close()


@pytest.mark.parametrize("linked", [True, False], ids=["hard-linked", "copied"])
def test_a_record_placed_where_a_file_is_already_fails_and_leaves_that_file(tmp_path, monkeypatch, linked):
    """An entry page taken from the cache goes straight into the site, where another part may have put
    a file at its path (a hand-written page at a lecture's address): the build fails, nothing is overwritten."""
    from generator.engine import placing
    from generator.engine.build_cache import BuildCache
    from generator.outputs.files import SiteCollision

    if not linked:  # the cache on another file system than the site
        monkeypatch.setattr(placing.os, "link", lambda *args: (_ for _ in ()).throw(OSError(18, "EXDEV")))
    cache = BuildCache(tmp_path / "cache", "tools")
    record = cache.put("a", [("site", "lectures/l1/index.html", b"the lecture")])
    (tmp_path / "site" / "lectures" / "l1").mkdir(parents=True)
    (tmp_path / "site" / "lectures" / "l1" / "index.html").write_bytes(b"hand-written")
    with pytest.raises(SiteCollision, match="/lectures/l1/index.html"):
        cache.place(record, tmp_path / "site")
    assert (tmp_path / "site" / "lectures" / "l1" / "index.html").read_bytes() == b"hand-written"
    cache.close()


def test_a_file_an_asset_maker_keys_of_its_own_is_kept_while_the_makers_files_are_reused_whole(tmp_path):
    """A keyed file (one year of open data, one print sheet) is kept under its own key as well as in
    its maker's record; a build that reuses the maker's record whole keeps both, so that the next,
    after one edit, still finds the files that edit did not touch."""
    from generator.engine.build_cache import BuildCache
    from generator.engine.reuse import keep_assets, reuse_assets
    from generator.outputs.files import Asset, KeyedAsset

    def build(step) -> None:
        cache = BuildCache(tmp_path / "cache", "tools")
        try:
            step(cache)
            cache.save()
        finally:
            cache.close()

    def never() -> bytes:
        raise AssertionError("made again, though the cache kept it")

    build(lambda cache: keep_assets(cache, "maker today", [KeyedAsset("api/2026.json", lambda: "2026", lambda: b"[2026]"),
                                                           Asset("api/all.json", b"[all]")], today="2026-12-07"))
    build(lambda cache: reuse_assets(cache, cache.get("maker today")))  # the same input: reused whole
    made: list = []
    build(lambda cache: made.append(keep_assets(cache, "maker after an edit", [
        KeyedAsset("api/2026.json", lambda: "2026", never), Asset("api/all.json", b"[all, edited]")], today="2026-12-07")))
    assert sorted(path for _, path, *_ in made[0]["files"]) == ["api/2026.json", "api/all.json"]
