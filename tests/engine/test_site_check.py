"""The post-build check that fails a build with broken links or resources from other hosts."""

from __future__ import annotations

from generator.engine.site_check import check_site, site_files


def write(site, path, html):
    target = site / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")


def test_other_hosts_and_broken_links_are_reported(tmp_path):
    write(tmp_path, "index.html", """<link rel="canonical" href="https://example.cn/">
<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">
<script src="//cdn.example.com/x.js"></script>
<a href="https://www.gov.cn/">政府网</a> <a href="venues/a/">场馆</a> <a href="venues/missing/">缺</a>
<img src="assets/logo.png"> <a href="tel:0917-1234567">电话</a> <a href="#top">顶部</a>""")
    write(tmp_path, "venues/a/index.html", '<a href="../../">首页</a><a href="../../../outside/">外</a>')
    write(tmp_path, "assets/logo.png", "")
    problems = check_site(tmp_path)
    assert problems == [
        "index.html: 从其他网站加载资源 <link> https://fonts.googleapis.com/css?family=Roboto（本站不得向其他主机发请求）",
        "index.html: 从其他网站加载资源 <script> //cdn.example.com/x.js（本站不得向其他主机发请求）",
        "index.html: 链接指向不存在的页面：venues/missing/",
        "venues/a/index.html: 链接指向站点之外：../../../outside/",
    ]


def test_a_big_site_is_checked_in_slices_with_the_same_findings(tmp_path, monkeypatch):
    from generator.engine import site_check

    for n in range(12):
        write(tmp_path, f"lectures/l{n}/index.html", f'<a href="../l{n + 1}/">下一场</a>')
    expected = ["lectures/l11/index.html: 链接指向不存在的页面：../l12/"]
    assert check_site(tmp_path) == expected  # one process
    monkeypatch.setattr(site_check, "_SLICE", 5)  # three slices, checked by forked workers
    assert check_site(tmp_path) == expected


def test_a_link_checked_once_for_many_pages_is_still_judged_from_each_pages_folder(tmp_path):
    """Pages share a link's verdict only where it resolves alike: ../../x from lectures/a/ and
    lectures/b/ alike, but not from a deeper folder, nor ../../../x from folders of other depths."""
    write(tmp_path, "x/index.html", "")
    for folder in ("lectures/a", "lectures/b"):
        write(tmp_path, f"{folder}/index.html", '<a href="../../x/">x</a><a href="../../../x/">外</a><a href="y/">缺</a>')
    write(tmp_path, "lectures/a/deep/index.html", '<a href="../../x/">缺</a><a href="../../../x/">x</a>')
    assert check_site(tmp_path) == [
        "lectures/a/deep/index.html: 链接指向不存在的页面：../../x/",
        "lectures/a/index.html: 链接指向站点之外：../../../x/",
        "lectures/a/index.html: 链接指向不存在的页面：y/",
        "lectures/b/index.html: 链接指向站点之外：../../../x/",
        "lectures/b/index.html: 链接指向不存在的页面：y/",
    ]


def test_the_files_of_a_site_and_those_below_the_entries_of_a_name(tmp_path):
    for path in ("index.html", "a/b/index.html", "pagefind/x.js", "pagefind-parts/1/y.pf_index", "pagefind.txt",
                 "a/pagefind/z.js"):
        write(tmp_path, path, "")
    assert site_files(tmp_path) == {"index.html", "a/b/index.html", "pagefind/x.js", "pagefind-parts/1/y.pf_index",
                                    "pagefind.txt", "a/pagefind/z.js"}
    assert site_files(tmp_path, "pagefind") == {"pagefind/x.js", "pagefind-parts/1/y.pf_index", "pagefind.txt"}
