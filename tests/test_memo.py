"""memo.py: a remembered function computes each argument once, takes what the last build kept,
and keeps only what this build used."""

from __future__ import annotations

import marshal

from generator import memo

calls: list[str] = []


@memo.remembered("shout")
def shout(text: str) -> str:
    calls.append(text)
    return text.upper() + "！"


def test_a_result_kept_by_the_last_build_is_taken_and_only_what_was_used_is_kept_again():
    memo.begin(None)
    calls.clear()
    assert [shout("a"), shout("b"), shout("a")] == ["A！", "B！", "A！"]
    assert calls == ["a", "b"]
    kept = memo.table()

    memo.begin(kept)  # the next build
    calls.clear()
    assert shout("b") == "B！" and shout("c") == "C！"
    assert calls == ["c"]
    memo.begin(memo.table())  # "a" was not used by the build before: gone
    calls.clear()
    assert shout("a") == "A！" and calls == ["a"]


def test_a_damaged_or_foreign_table_is_ignored():
    for table in (b"\x00garbage", marshal.dumps(["not", "a", "table"]), marshal.dumps({"shout\x00('d',)": 3})):
        memo.begin(table)
        calls.clear()
        assert shout("d") == "D！" and calls == ["d"]
