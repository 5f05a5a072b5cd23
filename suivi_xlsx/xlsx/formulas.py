"""Which cells of a worksheet hold a formula: ``suivi update`` never writes into them.

The reader sees a formula's cached value only (``=ANNEE(B3)`` reads as 2025, and as nothing when
the file was written by a program that stores no cached values); a formula cell is never empty
for the planner. The sheet XML is streamed in chunks and only scanned for ``<f`` tags, so a sheet
without formulas costs one decompression pass and no parsing.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from suivi_xlsx.xlsx import CHUNK
from suivi_xlsx.xlsx.package import read_workbook_info
from suivi_xlsx.xlsx.zipopen import open_zip

_OVERLAP = 4096  # a cell's start tag is far shorter: enough to find it before its <f>
_FORMULA_RE = re.compile(rb"<(?:\w+:)?f[\s/>]")
_CELL_START_RE = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br\s*=\s*[\"']\$?([A-Z]{1,3})\$?([0-9]+)[\"']")


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (letter - 64)
    return index - 1


def _scan(stream: Iterable[bytes]) -> frozenset[tuple[int, int]]:
    found: set[tuple[int, int]] = set()
    tail = b""
    for chunk in stream:
        data = tail + chunk
        for match in _FORMULA_RE.finditer(data):
            start = data.rfind(b"<c ", 0, match.start())
            prefixed = data.rfind(b":c ", 0, match.start())  # <x:c …> in a prefixed sheet
            if prefixed > start:
                start = data.rfind(b"<", 0, prefixed)
            if start < 0:
                continue
            cell = _CELL_START_RE.match(data, start)
            if cell is not None:
                found.add((int(cell.group(2)), _column_index(cell.group(1))))
        tail = data[-_OVERLAP:]
    return frozenset(found)


def _chunks(package: zipfile.ZipFile, member: str) -> Iterable[bytes]:
    with package.open(member) as stream:
        while chunk := stream.read(CHUNK):
            yield chunk


def formula_cells(path: Path, sheets: Iterable[str]) -> Mapping[str, frozenset[tuple[int, int]]]:
    """For each sheet named, the cells (Excel row, 0-based column) holding a formula.

    A sheet that cannot be found is left out: the writer reports such problems itself."""
    wanted = set(sheets)
    result: dict[str, frozenset[tuple[int, int]]] = {}
    with open_zip(path) as package:
        info = read_workbook_info(package)
        names = {name.lower(): name for name in package.namelist()}
        for sheet in info.sheets:
            if sheet.name not in wanted:
                continue
            member = names.get(sheet.part.lower())
            if member is not None:
                result[sheet.name] = _scan(_chunks(package, member))
    return result
