"""CSV for spreadsheets: the one writer of every CSV the site publishes.

UTF-8 with a byte-order mark and CRLF line ends, so Excel on Chinese Windows
opens the files without garbling.  A text cell that a spreadsheet would read as
a formula (one starting with =, +, -, @, a tab or a carriage return) gets an
apostrophe in front, OWASP's advice against CSV injection: Excel and LibreOffice
then show it as the text it is.  Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """`value` as written into a CSV: text that would start a formula is kept as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(columns: Sequence[object], rows: Iterable[Sequence[object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in (columns, *rows):
        writer.writerow([cell(value) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
