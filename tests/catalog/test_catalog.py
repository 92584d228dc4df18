"""The catalogue as a whole: cross-references, id spaces, semantic checks, all errors at once."""

from __future__ import annotations

import textwrap
import time

import pytest

from generator.catalog import files as catalog_module
from generator.catalog.load import load_catalog
from generator.cli.main import main as lvyin
from generator.errors import CatalogInvalid


def problems_of(root) -> list[str]:
    with pytest.raises(CatalogInvalid) as info:
        load_catalog(root)
    return [str(p) for p in info.value.problems]


def test_small_catalogue_loads_with_backlinks(make_catalog):
    catalog = load_catalog(make_catalog())
    assert [l.id for l in catalog.lectures_by_lecturer["wang-fang"]] == ["reading-1205"]
    assert [l.id for l in catalog.lectures_by_place["city-library"]] == ["reading-1205"]
    assert [l.id for l in catalog.lectures_by_district["weibin"]] == ["reading-1205"]
    assert [p.id for p in catalog.lecturers_by_topic["reading"]] == ["wang-fang"]
    assert sorted(p.id for p in catalog.places_by_district["weibin"]) == ["city-library", "qingjiang"]


def test_times_and_codes_keep_what_the_editor_typed(make_catalog):
    root = make_catalog({"stations/extra.yaml": """
        - id: no
          name: no
          kind: village
          district: jintai
          street: 0917
          address: "on"
          host: yes
          phone: 0917-3212345
        """})
    catalog = load_catalog(root)
    station = catalog.stations["no"]
    assert (station.name, station.street, station.address, station.host, station.phone) == ("no", "0917", "on", "yes", "0917-3212345")
    lecture = catalog.lectures["reading-1205"]
    assert (f"{lecture.start:%H:%M}", f"{lecture.end:%H:%M}") == ("14:30", "16:00")


def test_unknown_references_are_named_with_a_suggestion(make_catalog):
    root = make_catalog({"lectures/2027-01.yaml": """
        - id: safety-0109
          title: 寒假安全
          date: 2027-01-09
          start: 9:00
          end: 10:30
          lecturers: [wang-fnag]
          venue: city-libary
          topics: [safty]
          organizer: 市妇联
        """})
    found = problems_of(root)
    assert any("lectures/2027-01.yaml:6:15: 错误: lecturers[0]: 找不到编号为“wang-fnag”的讲师" in p and "您是不是想写“wang-fang”" in p for p in found), found
    assert any(":7:10: 错误: venue: 找不到编号为“city-libary”的地点" in p and "city-library" in p for p in found), found
    assert any(":8:12: 错误: topics[0]: 找不到编号为“safty”的主题" in p for p in found), found
    assert len(found) == 3


def test_every_problem_of_every_file_is_reported_at_once(make_catalog):
    root = make_catalog({
        "venues/bad.yaml": """
            - id: museum
              name: 青铜器博物院
              kind: musuem
              district: weibin
              address: 滨河南路
              admission: free
        """,
        "lectures/bad.yaml": """
            - id: bad-date
              title: 日期错误
              date: 2026-02-30
              start: 9:00
              end: 10:00
              organizer: 市妇联
              venue: qingjiang
        """,
    })
    found = problems_of(root)
    assert any("venues/bad.yaml:3:9: 错误: kind: “musuem”不是可选的值 — 您是不是想写“museum”" in p for p in found), found
    assert any("lectures/bad.yaml:3:9: 错误: date: “2026-02-30”不是真实存在的日期" in p for p in found), found


def test_ids_are_unique_across_all_places(make_catalog):
    root = make_catalog({"stations/dup.yaml": """
        - id: city-library
          name: 同名站点
          kind: community
          district: weibin
          street: 经二路街道
          address: 经二路
          host: 经二路社区
        """})
    found = problems_of(root)
    assert len(found) == 1
    assert "stations/dup.yaml:1:7: 错误: id: 编号“city-library”重复" in found[0]
    assert "venues/libraries.yaml:1" in found[0]


def test_swapped_coordinates_are_explained(make_catalog):
    root = make_catalog({"venues/libraries.yaml": """
        - id: city-library
          name: 宝鸡市图书馆
          kind: library
          district: weibin
          address: 新建路
          admission: free
          location: {lat: 107.2373, lng: 34.3619}
        """})
    found = problems_of(root)
    assert any("venues/libraries.yaml:7:13: 错误: location:" in p and "纬度和经度可能写反了" in p for p in found), found


def test_semantic_checks_of_lectures(make_catalog):
    root = make_catalog({"lectures/2026-12.yaml": """
        - id: reading-1205
          title: 亲子共读
          date: 2026-12-05
          start: 14:30
          end: 14:00
          venue: city-library
          organizer: 市妇联
        - id: online-1206
          title: 线上课
          date: 2026-12-06
          start: 19:00
          end: 20:00
          format: online
          organizer: 市妇联
        - id: a
          title: 甲
          date: 2026-12-07
          start: 9:00
          end: 11:00
          venue: city-library
          lecturers: [wang-fang]
          organizer: 市妇联
        - id: b
          title: 乙
          date: 2026-12-07
          start: 10:00
          end: 11:30
          venue: city-library
          organizer: 市妇联
        - id: c
          title: 丙
          date: 2026-12-07
          start: 10:30
          end: 12:00
          venue: qingjiang
          lecturers: [wang-fang]
          organizer: 市妇联
        """})
    found = problems_of(root)
    assert any(":5:8: 错误: end: 结束时间 14:00 不晚于开始时间 14:30" in p for p in found), found
    assert any(":13:11: 错误: format: 线上讲座需要填写 online_url" in p for p in found), found
    assert any(":28:10: 错误: venue: 与讲座“a”" in p and "同一地点时间重叠" in p for p in found), found
    assert any(":36:14: 错误: lecturers: 讲师“wang-fang”同一时间有两场讲座" in p for p in found), found


def test_cancelled_lectures_do_not_clash(make_catalog):
    root = make_catalog({"lectures/2026-12.yaml": """
        - id: a
          title: 甲
          date: 2026-12-07
          start: 9:00
          end: 11:00
          venue: city-library
          organizer: 市妇联
          status: cancelled
        - id: b
          title: 乙
          date: 2026-12-07
          start: 9:00
          end: 11:00
          venue: city-library
          organizer: 市妇联
        """})
    assert set(load_catalog(root).lectures) == {"a", "b"}


def test_misspelt_field_and_folder(make_catalog):
    root = make_catalog({"lecture/x.yaml": "- id: x\n", "lecturers/city.yaml": """
        - id: wang-fang
          name: 王芳
          titel: 高级教师
          organization: 宝鸡市实验小学
          level: city
        """})
    found = problems_of(root)
    assert any("lecture: 错误:" not in p and "不认识的目录“lecture”" in p and "您是不是想写“lecture" in p for p in found), found
    assert any("lecturers/city.yaml:3:3: 错误: titel: 没有“titel”这个字段 — 您是不是想写“title”" in p for p in found), found


def test_private_block_is_accepted_but_kept_apart(make_catalog):
    catalog = load_catalog(make_catalog())
    assert catalog.lecturers["wang-fang"].private.phone == "13800000000"


def test_reserved_id_is_refused_before_it_hides_a_section_page(make_catalog):
    root = make_catalog({"lectures/2027-01.yaml": """
        - id: index
          title: 寒假安全
          date: 2027-01-09
          start: 9:00
          end: 10:30
          venue: city-library
          organizer: 市妇联
        """})
    found = problems_of(root)
    assert len(found) == 1 and "lectures/2027-01.yaml:1:7: 错误: id: “index”是网站保留的名字" in found[0], found


def _online_talks(count: int) -> str:
    return "".join(f"""
        - id: talk-{i}
          title: 家长课堂第 {i} 讲
          date: 2026-01-{i % 28 + 1:02d}
          start: "{8 + i // 28}:00"
          end: "{8 + i // 28}:45"
          format: online
          online_url: https://meeting.example.cn/{i}
          audiences: [primary]
          topics: [reading]
          organizer: 市妇联
        """ for i in range(count))


def test_a_big_catalogue_is_read_by_two_processes_with_the_same_result(make_catalog, monkeypatch):
    """The second process's documents come back without their positions; a problem found
    afterwards in one of them (a reference, an id used twice) still names the right place."""
    bad = """
        - id: safety-0209
          title: 寒假安全
          date: 2027-02-09
          start: 9:00
          end: 10:30
          lecturers: [wang-fnag]
          venue: city-library
          topics: [reading]
          organizer: 市妇联
        - id: talk-3
          title: 又一讲
          date: 2027-02-10
          start: 9:00
          end: 10:30
          venue: city-library
          topics: [reading]
          organizer: 市妇联
        """
    root = make_catalog({"lectures/2026-01.yaml": _online_talks(60), "lectures/2027-02.yaml": bad})
    alone = problems_of(root)
    assert any("lectures/2027-02.yaml:6:15: 错误: lecturers[0]: 找不到编号为“wang-fnag”的讲师" in p for p in alone), alone
    assert any("lectures/2027-02.yaml:10:7: 错误: id: 编号“talk-3”重复" in p and "2026-01.yaml:" in p for p in alone), alone
    monkeypatch.setattr(catalog_module, "READ_IN_TWO_FROM", 0)
    assert problems_of(root) == alone

    fixed = bad.replace("wang-fnag", "wang-fang").replace("talk-3", "talk-x")
    (root / "lectures" / "2027-02.yaml").write_text(textwrap.dedent(fixed), encoding="utf-8")
    two = load_catalog(root)
    there = {s.doc.path.rsplit("/", 1)[-1] for s in two.sources.values() if s.doc.reread}
    assert "2027-02.yaml" in there and "2026-01.yaml" not in there  # the second half, its positions left there
    monkeypatch.setattr(catalog_module, "READ_IN_TWO_FROM", 1 << 40)
    one = load_catalog(root)
    assert two.lectures == one.lectures and list(two.lectures) == list(one.lectures)


# ---------------------------------------------------------------- many lectures at one time

SAME_TIME = "- id: same-{i}\n  title: 第{i}讲\n  date: 2026-12-06\n  start: 14:30\n  end: 16:00\n{where}  organizer: 市妇联\n"
AT_THE_LIBRARY = "  venue: city-library\n  lecturers: [wang-fang]\n"
ONLINE = "  format: online\n  online_url: https://live.example.cn/{i}\n"


def _same_time(root, where: str, count: int = 10_000) -> None:
    """`count` lectures at 14:30 on one day, in files of 2,500 (a file may hold 1 MB)."""
    for first in range(0, count, 2_500):
        text = "".join(SAME_TIME.format(i=i, where=where.format(i=i)) for i in range(first, first + 2_500))
        (root / "lectures" / f"same-{first}.yaml").write_text(text, encoding="utf-8")


def _validate(root, capsys) -> tuple[int, list[str], float]:
    started = time.perf_counter()
    code = lvyin(["validate", "--catalog", str(root)])
    out = capsys.readouterr()
    return code, (out.out + out.err).splitlines(), time.perf_counter() - started


def test_ten_thousand_lectures_at_one_place_and_time_are_refused_quickly_in_a_few_lines(make_catalog, capsys):
    root = make_catalog()
    _same_time(root, AT_THE_LIBRARY)
    code, lines, seconds = _validate(root, capsys)
    assert code == 1 and seconds < 10, seconds
    # Five clashes of the place and five of the lecturer, one line counting the rest of each, the total.
    assert len(lines) == 13, lines
    assert sum("在同一地点时间重叠" in line for line in lines) == 5
    assert sum("同一时间有两场讲座" in line for line in lines) == 5
    assert any(": 错误: venue: ……地点“city-library”另有 9994 处时间冲突" in line for line in lines), lines
    assert any(": 错误: lecturers: ……讲师“wang-fang”另有 9994 处时间冲突" in line for line in lines), lines


def test_ten_thousand_online_lectures_at_one_time_are_accepted_quickly(make_catalog, capsys):
    root = make_catalog()
    _same_time(root, ONLINE)
    code, lines, seconds = _validate(root, capsys)
    assert code == 0 and seconds < 10, (seconds, lines[:5])
    assert "讲座 10001 场" in lines[-1]


def _read_again(catalog):
    """The problems of `catalog` each time it is read again through one FileCache (as `lvyin serve`
    reads it after each edit), checked against a first reading of it."""
    from generator.catalog.files import FileCache
    from generator.catalog.load import check_catalog

    files = FileCache()

    def problems() -> list[str]:
        found = [p.message for p in check_catalog(catalog, files)[2]]
        assert found == [p.message for p in check_catalog(catalog)[2]]  # as a first reading finds
        return found

    return problems


def test_a_catalogue_read_again_after_edits_finds_each_entrys_problems_as_a_first_reading_does(make_catalog):
    """The FileCache also keeps the checks' findings for each entry of an unchanged file: they stay
    while the ids it may refer to are the same, and a reference another file broke is found."""
    catalog = make_catalog()
    problems = _read_again(catalog)
    lectures, lecturers = catalog / "lectures" / "2026-12.yaml", catalog / "lecturers" / "city.yaml"
    lectures.write_text(lectures.read_text(encoding="utf-8").replace("end: 16:00", "end: 14:00"), encoding="utf-8")
    ends_early = ["结束时间 14:00 不晚于开始时间 14:30"]
    assert problems() == ends_early
    lecturers.write_text(lecturers.read_text(encoding="utf-8").replace("高级教师", "一级教师"), encoding="utf-8")
    assert problems() == ends_early  # the lecture's file unchanged: its finding kept
    lecturers.write_text(lecturers.read_text(encoding="utf-8").replace("id: wang-fang", "id: wang-fang-2"), encoding="utf-8")
    found = problems()
    assert ends_early[0] in found and any("“wang-fang”" in message for message in found)  # its lecturer gone, from another file
    lecturers.write_text(lecturers.read_text(encoding="utf-8").replace("id: wang-fang-2", "id: wang-fang"), encoding="utf-8")
    assert problems() == ends_early


def test_a_catalogue_read_again_after_edits_finds_each_clash_as_a_first_reading_does(make_catalog):
    """The clash check keeps what it found of each lecturer's and place's lectures while they are
    the very list of before (the catalogue's tables keep the lists an edit did not touch)."""
    catalog = make_catalog({"lectures/2027-01.yaml": """
        - id: reading-0105
          title: 共读之后
          date: 2027-01-05
          start: 15:00
          end: 16:00
          lecturers: [wang-fang]
          venue: qingjiang
          audiences: [primary]
          topics: [reading]
          organizer: 市妇联
        """})
    problems = _read_again(catalog)
    assert problems() == []
    later, first, lecturers = (catalog / "lectures" / "2027-01.yaml", catalog / "lectures" / "2026-12.yaml",
                               catalog / "lecturers" / "city.yaml")
    later.write_text(later.read_text(encoding="utf-8").replace("2027-01-05", "2026-12-05"), encoding="utf-8")
    clash = problems()
    assert len(clash) == 1 and "讲师“wang-fang”同一时间有两场讲座" in clash[0]
    lecturers.write_text(lecturers.read_text(encoding="utf-8").replace("高级教师", "一级教师"), encoding="utf-8")
    assert problems() == clash  # no lecture changed: the clash as found before
    first.write_text(first.read_text(encoding="utf-8").replace("end: 16:00", "end: 15:00"), encoding="utf-8")
    assert problems() == []


def test_a_catalogue_read_again_after_edits_finds_private_values_as_a_first_reading_does(make_catalog):
    """`lvyin serve` reads the catalogue again after each edit through a FileCache, which keeps the
    privacy check's findings for the entries of unchanged files: an edit to the private values
    themselves must still be checked against every public text."""
    catalog = make_catalog()
    problems = _read_again(catalog)
    assert problems() == []
    lectures, lecturers = catalog / "lectures" / "2026-12.yaml", catalog / "lecturers" / "city.yaml"
    lectures.write_text(lectures.read_text(encoding="utf-8").replace("organizer: 市妇联", "organizer: 市妇联 13912345678"),
                        encoding="utf-8")
    assert problems() == []  # a mobile number, but nobody's private one, on a lecture
    lecturers.write_text(lecturers.read_text(encoding="utf-8").replace("13800000000", "13912345678"), encoding="utf-8")
    assert any("王芳" in message or "wang-fang" in message for message in problems())  # the lecture's file unchanged
    lecturers.write_text(lecturers.read_text(encoding="utf-8").replace("13912345678", "13800000000"), encoding="utf-8")
    assert problems() == []


def test_a_catalogue_read_again_after_a_field_edit_knows_which_entries_replaced_which(make_catalog):
    """An edit to entries' fields (the very ids, in order) makes a catalogue that is the last one's
    with those entries replaced, and says so; an entry added, or an id given twice, has the tables
    made anew, and the catalogue read after that compares them again."""
    from generator.catalog.files import FileCache
    from generator.catalog.load import check_catalog

    catalog, files = make_catalog(), FileCache()
    lectures = catalog / "lectures" / "2026-12.yaml"
    text = lectures.read_text(encoding="utf-8")
    first = check_catalog(catalog, files)[0]
    lectures.write_text(text.replace("亲子共读的三个方法", "亲子共读的四个方法"), encoding="utf-8")
    second, _, problems = check_catalog(catalog, files)
    replaced = second.replaced_since(first)
    assert problems == [] and replaced is not None and list(replaced) == ["lectures"]
    assert [(old.title, new.title) for old, new in zip(*replaced["lectures"])] == [("亲子共读的三个方法", "亲子共读的四个方法")]
    assert second.edited("lectures") == {"reading-1205"} and second.edited("lecturers") == set()
    assert second.lectures["reading-1205"].title == "亲子共读的四个方法"
    assert second.lecturers == first.lecturers and second.lecturers is not first.lecturers  # a table of its own

    again = text.replace("亲子共读的三个方法", "亲子共读的五个方法")
    lectures.write_text(again + again.replace("reading-1205", "reading-1206").replace("14:30", "18:30").replace("16:00", "19:00"),
                        encoding="utf-8")
    third, _, problems = check_catalog(catalog, files)
    assert problems == [] and third.replaced_since(second) is None  # an entry added: compared anew
    assert third.edited("lectures") == {"reading-1205", "reading-1206"}

    lectures.write_text(again + again, encoding="utf-8")  # the same id twice
    fourth, _, problems = check_catalog(catalog, files)
    assert ["编号“reading-1205”重复" in p.message for p in problems] == [True]
    lectures.write_text(again + again.replace("亲子共读的五个方法", "亲子共读"), encoding="utf-8")  # still twice, another field
    fifth, _, problems = check_catalog(catalog, files)
    assert fifth.replaced_since(fourth) is None and ["编号“reading-1205”重复" in p.message for p in problems] == [True]
    assert fifth.lectures["reading-1205"].title == "亲子共读的五个方法"  # the first of the two, as a first reading has
