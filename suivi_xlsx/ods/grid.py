"""Where a sheet's rows and cells are in ``content.xml``, byte for byte.

An ODF table lists its rows in order, each row its cells; an empty stretch is one element
repeated (``table:number-rows-repeated``, ``table:number-columns-repeated``), and the cells
a merge hides are ``table:covered-table-cell``. Row numbers here are as LibreOffice shows them
(1-based), columns 0-based, as in an ``UpdatePlan``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape

from suivi_xlsx.xlsx.xmltext import MalformedPart

PART = "content.xml"
_TABLE_NS = b'"urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
_TABLE_START_RE = re.compile(rb"<table:table\s((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
_TABLE_END = b"</table:table>"
_NAME_RE = re.compile(rb"\btable:name\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_ROW_RE = re.compile(
    rb"<table:table-row\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(?:/>|>(.*?)</table:table-row>)",
    re.DOTALL,
)
_CELL_RE = re.compile(
    rb"<table:(table-cell|covered-table-cell)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)"
    rb"(?:/>|>(.*?)</table:\1>)",
    re.DOTALL,
)
_ROWS_REPEATED_RE = re.compile(rb"\stable:number-rows-repeated\s*=\s*[\"'](\d+)[\"']")
_COLUMNS_REPEATED_RE = re.compile(rb"\stable:number-columns-repeated\s*=\s*[\"'](\d+)[\"']")


def check_namespaces(content: bytes | bytearray) -> None:
    """Our patterns name the standard prefixes: refuse a part that binds others."""
    head = content[:8192]
    if b"xmlns:table=" + _TABLE_NS not in head:
        raise MalformedPart("préfixes XML inattendus dans les feuilles", PART)


@dataclass(frozen=True, slots=True)
class Table:
    """One sheet: its name and the byte range of its content (between its tags)."""

    name: str
    start: int  # just after the start tag
    end: int  # at the end tag


def tables(content: bytes | bytearray) -> Iterator[Table]:
    """Every top-level table of the spreadsheet, in order."""
    position = 0
    while (found := _TABLE_START_RE.search(content, position)) is not None:
        name = _NAME_RE.search(found.group(1))
        end = content.find(_TABLE_END, found.end())
        if name is None or end < 0:
            raise MalformedPart("feuille sans nom ou non fermée", PART)
        nested = _TABLE_START_RE.search(content, found.end(), end)
        if nested is not None:
            raise MalformedPart("tableau imbriqué dans une cellule", PART)
        raw = name.group(1) if name.group(1) is not None else name.group(2)
        yield Table(unescape(raw.decode("utf-8")), found.end(), end)
        position = end + len(_TABLE_END)


def repeat(attributes: bytes, pattern: re.Pattern[bytes]) -> int:
    found = pattern.search(attributes)
    return max(1, int(found.group(1))) if found is not None else 1


@dataclass(frozen=True, slots=True)
class Row:
    """A row element: the rows it stands for (``first`` .. ``first + count - 1``)."""

    first: int
    count: int
    match: re.Match[bytes]


def rows(content: bytes | bytearray, table: Table) -> Iterator[Row]:
    number = 1
    for match in _ROW_RE.finditer(content, table.start, table.end):
        count = repeat(match.group(1), _ROWS_REPEATED_RE)
        yield Row(number, count, match)
        number += count


@dataclass(frozen=True, slots=True)
class Cell:
    """A cell element of a row: the columns it stands for, covered (hidden by a merge) or
    not; ``match`` groups: kind, attributes, inner XML (``None`` when self-closing)."""

    first: int
    count: int
    match: re.Match[bytes]

    @property
    def covered(self) -> bool:
        return self.match.group(1) == b"covered-table-cell"

    @property
    def attributes(self) -> bytes:
        return self.match.group(2)

    @property
    def inner(self) -> bytes:
        return self.match.group(3) or b""


def cells(row_xml: bytes) -> Iterator[Cell]:
    column = 0
    for match in _CELL_RE.finditer(row_xml):
        count = repeat(match.group(2), _COLUMNS_REPEATED_RE)
        yield Cell(column, count, match)
        column += count


def formula_cells(content: bytes | bytearray, table: Table) -> frozenset[tuple[int, int]]:
    """The cells of ``table`` holding a formula: (row, 0-based column)."""
    found: set[tuple[int, int]] = set()
    for row in rows(content, table):
        body = row.match.group(0)
        if b"table:formula" not in body:
            continue
        for cell in cells(body):
            if b"table:formula" in cell.attributes:
                for r in range(row.first, row.first + min(row.count, 1000)):
                    for c in range(cell.first, cell.first + min(cell.count, 1000)):
                        found.add((r, c))
    return frozenset(found)
