"""A1 cell references: column letters and indices. Pure; used by findings and the xlsx layer."""

from __future__ import annotations

import re
from functools import lru_cache

_CELL_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


@lru_cache(maxsize=512)
def column_letter(index: int) -> str:
    """0-based column index → letters: 0 → ``A``, 25 → ``Z``, 26 → ``AA``."""
    if index < 0:
        raise ValueError(f"negative column index: {index}")
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """Column letters → 0-based index: ``A`` → 0, ``AA`` → 26."""
    n = 0
    for char in letters.upper():
        if not "A" <= char <= "Z":
            raise ValueError(f"not a column: {letters!r}")
        n = n * 26 + ord(char) - 64
    if n == 0:
        raise ValueError("empty column")
    return n - 1


def cell_ref(row: int, column: int) -> str:
    """Excel row (1-based) and 0-based column → ``J14``."""
    return f"{column_letter(column)}{row}"


def parse_cell_ref(ref: str) -> tuple[int, int]:
    """``J14`` (or ``$J$14``) → (Excel row 14, 0-based column 9)."""
    match = _CELL_RE.match(ref)
    if match is None:
        raise ValueError(f"not a cell reference: {ref!r}")
    return int(match.group(2)), column_index(match.group(1))
