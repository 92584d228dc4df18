"""Private values stay private: not in public text, not in messages.

A lecturer's `private` block (phone, e-mail, id number, notes) is never rendered, but an editor
can still copy a value from it into a public field, or type an identity-card number into a
description.  `PrivateValues` finds a private value again in public text (digits compared
without their spaces and dashes, other text without regard to case); `id_card_in` finds a
mainland identity-card number, recognised by its check digit so that other long numbers pass.

Messages (the CI log, pull-request annotations) are public too: `redact` takes the values of a
file's private blocks out of the messages about that file, for the reader, which quotes what an
editor typed and knows nothing yet of which field is private.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from datetime import date

# Digits typed with a Chinese input method are the same digits.
_HALF_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789XX")
# A number as people write it: digits, maybe grouped by single spaces, dashes or dots, maybe an X at the end.
_NUMBER = re.compile(r"[0-9０-９](?:[ \-.]?[0-9０-９])*(?:[ \-.]?[XxＸｘ])?")
_DATE = re.compile(r"[0-9]{4}([-.])[0-9]{1,2}\1[0-9]{1,2}")  # 2026-12-05 (in ids and links too) is no phone number
_NUMBER_LIKE = re.compile(r"\+?[0-9Xx \-().]+")
_NOT_DIGIT = re.compile(r"[^0-9X]")
MIN_DIGITS = 7  # a landline without its area code; shorter numbers are counts, years, house numbers
MIN_TEXT = 6  # shorter private text (such as a note "周末") is ordinary words
_ID_WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]
_MOBILE = re.compile(r"(?:86)?(1[3-9][0-9]{9})")


def numbers(text: str) -> list[str]:
    """The numbers of at least MIN_DIGITS digits in `text`, as bare digits (full-width digits,
    spaces and dashes undone)."""
    runs = (run.group().translate(_HALF_WIDTH) for run in _NUMBER.finditer(text))
    found = (_NOT_DIGIT.sub("", run.upper()) for run in runs if not _DATE.fullmatch(run))
    return [digits for digits in found if len(digits) >= MIN_DIGITS]


def is_id_card(digits: str) -> bool:
    """An 18-character mainland identity-card number: region, birth date, ISO 7064 MOD 11-2 check."""
    if len(digits) != 18 or not digits[:17].isdigit() or digits[0] not in "12345678":
        return False
    try:
        born = date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
    except ValueError:
        return False
    total = sum(int(d) * w for d, w in zip(digits, _ID_WEIGHTS))
    return born.year >= 1900 and digits[17] == "10X98765432"[total % 11]


def id_card_in(found: list[str]) -> bool:
    """Whether one of the `numbers` found in a text is an identity-card number."""
    return any(is_id_card(digits) for digits in found)


def mobile_in(found: list[str]) -> bool:
    """Whether one of the `numbers` found in a text is a mainland mobile number (13…–19…, maybe after 86)."""
    return any(_MOBILE.fullmatch(digits) for digits in found)


class PrivateValues:
    """Every value of the private blocks, each with its owner and field, to find in public text."""

    def __init__(self, values: Iterable[tuple[str, str, str]]):
        self._digits: dict[str, tuple[str, str]] = {}
        texts: dict[str, tuple[str, str]] = {}
        for owner, field, value in values:
            value = value.strip()
            if _NUMBER_LIKE.fullmatch(value):
                digits = _bare(value)
                if len(digits) >= MIN_DIGITS:
                    self._digits.setdefault(digits, (owner, field))
            elif len(value) >= MIN_TEXT:
                texts.setdefault(value.casefold(), (owner, field))
        self._texts = texts
        self._lengths = sorted({len(d) for d in self._digits})
        self._text_pattern = (re.compile("|".join(map(re.escape, sorted(texts, key=len, reverse=True))))
                              if texts else None)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PrivateValues) and (self._digits, self._texts) == (other._digits, other._texts)

    __hash__ = None  # type: ignore[assignment]  # compared, never a key

    def digest(self) -> str:
        """What compares equal digests alike (to compare with another build's, kept_reads.py)."""
        values = json.dumps([sorted(self._digits.items()), sorted(self._texts.items())], ensure_ascii=False)
        return hashlib.blake2b(values.encode("utf-8"), digest_size=20).hexdigest()

    def may_be_in(self, text: str) -> bool:
        """Whether `text` has a long number or a private text in it: worth a closer look."""
        return bool(numbers(text)) or bool(self._text_pattern and self._text_pattern.search(text.casefold()))

    def owner_in(self, text: str, found: list[str]) -> tuple[str, str] | None:
        """(owner, field) of a private value in `text`, whose `numbers` are `found`, or None."""
        if self._lengths:
            for digits in found:
                for length in self._lengths:
                    for start in range(len(digits) - length + 1):
                        owner = self._digits.get(digits[start : start + length])
                        if owner:
                            return owner
        if self._text_pattern:
            written = self._text_pattern.search(text.casefold())
            if written:
                return self._texts[written.group()]
        return None


def _bare(value: str) -> str:
    digits = _NOT_DIGIT.sub("", value.translate(_HALF_WIDTH).upper())
    return digits[2:] if value.lstrip().startswith("+86") or (len(digits) == 13 and digits.startswith("86")) else digits


