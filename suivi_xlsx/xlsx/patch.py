"""Patch one worksheet's XML as bytes: set cells, grow the dimension, keep our highlight rules.

The sheet is never built as a tree nor decoded as a whole: rows are located with one regex
scan of the bytes, and one pass in row order copies untouched stretches as views of the input
and rewrites only the rows that get edits (new ``<c>`` elements inserted in column order, an
empty styled cell replaced). Everything else in the part keeps its bytes, and memory follows
the edits, not the text: the output is the input's own bytes plus the rewritten rows.
"""

from __future__ import annotations

import bisect
import codecs
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Literal

from suivi_xlsx.domain.a1 import column_index, column_letter
from suivi_xlsx.domain.plan import CellEdit, Highlight
from suivi_xlsx.errors import RefusedError
from suivi_xlsx.xlsx import CHUNK
from suivi_xlsx.xlsx.condfmt import apply_highlights
from suivi_xlsx.xlsx.styles import Styles, get_attr, set_attr
from suivi_xlsx.xlsx.xmltext import (
    MalformedPart,
    excel_serial,
    inline_string_cell,
    number_cell,
    unescape_cell_text,
)

_ROOT_RE = re.compile(rb"<([A-Za-z_][\w.-]*:)?worksheet\b")
_REF_RE = re.compile(r"^([A-Za-z]{1,3})(\d+)$")
_T_RE = re.compile(rb"<(?:[\w.-]+:)?t\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?t>)", re.DOTALL)
_V_RE = re.compile(rb"<(?:[\w.-]+:)?v\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?v>)", re.DOTALL)
_F_RE = re.compile(rb"<(?:[\w.-]+:)?f\b")
_R_ATTR_RE = re.compile(rb"\sr\s*=\s*[\"']\s*([0-9]+)\s*[\"']")
_R_CELL_RE = re.compile(rb"\sr\s*=\s*[\"']\s*\$?([A-Za-z]{1,3})\$?[0-9]+\s*[\"']")
_S_ATTR_RE = re.compile(rb"\ss\s*=\s*[\"']\s*([0-9]+)\s*[\"']")
_T_ATTR_RE = re.compile(rb"\st\s*=\s*[\"']\s*([A-Za-z]+)\s*[\"']")
_SPANS_RE = re.compile(rb"\sspans\s*=\s*[\"']([^\"']*)[\"']")
_DIGITS_RE = re.compile(rb"\d+")
_NO_CELL = -1  # ``style_in_row``: the row has no cell in that column


@lru_cache(maxsize=4096)
def _letters(column: int) -> bytes:
    return column_letter(column).encode("ascii")


@lru_cache(maxsize=1024)
def _letters_index(letters: bytes) -> int:
    return column_index(letters.decode("ascii"))


def _ref_key(number: int, column: int) -> bytes:
    """The ``r="D6"`` attribute text that finds a cell (Excel's own spelling)."""
    return b'r="%s%d"' % (_letters(column), number)


def decode_part(data: bytes) -> tuple[str, str, bytes]:
    """(text, codec, BOM) of an XML part: UTF-8 (with or without BOM) or UTF-16 with BOM."""
    for bom, codec in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(codec), codec, bom
    return data.decode("utf-8"), "utf-8", b""


def _utf8_body(data: bytes | bytearray) -> tuple[bytes | bytearray, str, bytes]:
    """(UTF-8 bytes to patch, original codec, BOM). A UTF-8 part is validated a chunk at a
    time (a damaged byte is the input's fault, and is said so before anything is written)
    and patched in place; a UTF-16 part (rare) is transcoded to UTF-8 and back."""
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    if not bom and data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, codec, bom = decode_part(bytes(data))
        return text.encode("utf-8"), codec, bom
    body = data[len(bom) :] if bom else data
    if not body.isascii():
        decoder = codecs.getincrementaldecoder("utf-8")()
        view = memoryview(body)
        for start in range(0, len(body), CHUNK):
            decoder.decode(view[start : start + CHUNK])
        decoder.decode(b"", final=True)
    return body, "utf-8", bom


def _sheet_damaged(detail: str) -> MalformedPart:
    return MalformedPart(f"la feuille du registre est mal formée ({detail})")


@dataclass(slots=True)
class Cell:
    column: int
    start: int  # offsets in the sheet bytes
    end: int
    attrs: bytes  # the start tag's attributes
    body: bytes  # between start and end tags (b"" when self-closing)

    @property
    def style(self) -> int | None:
        found = _S_ATTR_RE.search(self.attrs)
        return int(found.group(1)) if found else None

    def kind(self) -> bytes | None:
        found = _T_ATTR_RE.search(self.attrs)
        return found.group(1) if found else None

    def is_text(self) -> bool:
        """A text cell (shared or inline string), not a formula."""
        return self.kind() in (b"s", b"inlineStr") and _F_RE.search(self.body) is None

    def is_empty(self) -> bool:
        if not self.body:
            return True
        if _F_RE.search(self.body):
            return False
        for pattern in (_T_RE, _V_RE):
            for match in pattern.finditer(self.body):
                if (match.group(1) or b"").strip():
                    return False
        return True


# A cell looked up by its reference: found, absent (None), or False when the reference text
# found is not a cell's (typed in a cell's text): then the row is read in full.
Lookup = Cell | Literal[False] | None


@dataclass(slots=True)
class Row:
    number: int
    start: int  # offsets in the sheet bytes
    head_end: int
    inner_end: int  # where the cells end (the close tag, or ``head_end`` when self-closing)
    end: int
    head: bytes

    @property
    def self_closing(self) -> bool:
        return self.head.endswith(b"/>")


class SheetXml:
    """A worksheet part as UTF-8 bytes with its rows indexed (no tree, no decoded copy)."""

    def __init__(self, data: bytes | bytearray, *, index_rows: bool = True) -> None:
        self.data, self.codec, self.bom = _utf8_body(data)
        data = self.data
        self.view = memoryview(data)
        root = _ROOT_RE.search(data)
        if root is None:
            raise _sheet_damaged("pas de balise worksheet")
        self.prefix = root.group(1) or b""
        p = re.escape(self.prefix)
        data_match = re.compile(rb"<" + p + rb"sheetData\b[^>]*?(/?)>").search(data, root.end())
        if data_match is None:
            raise _sheet_damaged("pas de sheetData")
        self.data_tag = (data_match.start(), data_match.end())
        self.data_self_closing = bool(data_match.group(1))
        if self.data_self_closing:
            self.content_start = self.content_end = data_match.end()
            self.data_end = data_match.end()
        else:
            self.content_start = data_match.end()
            close_tag = b"</" + self.prefix + b"sheetData>"
            self.content_end = data.find(close_tag, self.content_start)
            if self.content_end < 0:
                raise _sheet_damaged("sheetData non fermé")
            self.data_end = self.content_end + len(close_tag)
        self._row_re = re.compile(rb"<" + p + rb"row\b([^>]*)>")
        self._cell_re = re.compile(rb"<" + p + rb"c\b([^>]*?)(/>|>(.*?)</" + p + rb"c>)", re.DOTALL)
        self._cell_ref_re = re.compile(
            rb"<" + p + rb"c\b[^>]*?\sr\s*=\s*[\"']\s*\$?([A-Za-z]{1,3})"
        )
        self.row_close = b"</" + self.prefix + b"row>"
        self._cell_open = b"<" + self.prefix + b"c"
        # Parallel lists (Excel row number, offset of ``<row``): cheap for 100k rows; Row
        # objects are made only for the rows looked at.
        self.numbers: list[int] = []
        self.starts: list[int] = []
        self._col_styles: list[tuple[int, int, int]] | None = None  # (min, max, style)
        self._column_styles: dict[int, int | None] = {}
        self._all_referenced: bool | None = None
        self._column_cell_re: dict[int, re.Pattern[bytes]] = {}
        self._indexed = False
        if index_rows:
            self.index_rows()

    def index_rows(self) -> None:
        if self._indexed:
            return
        self._indexed = True
        p = re.escape(self.prefix)
        numbers, starts, data = self.numbers, self.starts, self.data
        content = (self.content_start, self.content_end)
        # Fast path: every row carries its number (what Excel and most writers do).
        fast_re = re.compile(rb"<" + p + rb"row\b[^>]*?\sr\s*=\s*[\"']([0-9]+)[\"']")
        fast = [(m.start(), int(m.group(1))) for m in fast_re.finditer(data, *content)]
        if len(fast) == data.count(b"<" + self.prefix + b"row", *content) and all(
            a[1] < b[1] for a, b in pairwise(fast)
        ):
            starts.extend(start for start, _ in fast)
            numbers.extend(number for _, number in fast)
            return
        r_attr = _R_ATTR_RE.search
        previous = 0
        for match in self._row_re.finditer(data, *content):
            found = r_attr(match.group(1))
            number = int(found.group(1)) if found else previous + 1
            if number <= previous:
                raise _sheet_damaged(f"lignes dans le désordre vers la ligne {number}")
            previous = number
            numbers.append(number)
            starts.append(match.start())

    # -- rows and cells ------------------------------------------------------------------
    def row_at(self, index: int) -> Row:
        """The ``index``-th ``<row>`` element of sheetData."""
        data = self.data
        match = self._row_re.match(data, self.starts[index])
        if match is None:  # pragma: no cover - the index found a row start here
            raise _sheet_damaged(f"ligne {self.numbers[index]} illisible")
        head_end = match.end()
        head = match.group(0)
        if head.endswith(b"/>"):
            return Row(self.numbers[index], match.start(), head_end, head_end, head_end, head)
        inner_end = data.find(self.row_close, head_end, self.content_end)
        if inner_end < 0:
            raise _sheet_damaged(f"ligne {self.numbers[index]} non fermée")
        end = inner_end + len(self.row_close)
        return Row(self.numbers[index], match.start(), head_end, inner_end, end, head)

    def row(self, number: int) -> Row | None:
        i = bisect.bisect_left(self.numbers, number)
        if i < len(self.numbers) and self.numbers[i] == number:
            return self.row_at(i)
        return None

    def cell_by_ref(self, number: int, column: int, lo: int, hi: int) -> Lookup:
        """The cell ``r="…"`` names, searched in ``lo``..``hi``: None when no such reference
        is there; False when the text found is not a cell's start tag (a reference typed in
        a cell's text): then the caller reads the row in full."""
        data = self.data
        pos = data.find(_ref_key(number, column), lo, hi)
        if pos < 0:
            return None
        start = data.rfind(b"<", lo, pos)
        match = self._cell_re.match(data, start) if start >= 0 else None
        if match is None or match.end() > hi or pos >= match.start(1) + len(match.group(1)):
            return False
        return Cell(column, match.start(), match.end(), match.group(1), match.group(3) or b"")

    def cells(self, row: Row) -> list[Cell]:
        """Every cell of ``row``, with columns from references or position (no ``r``)."""
        cells: list[Cell] = []
        previous = -1
        cell_r = _R_CELL_RE.search
        for match in self._cell_re.finditer(self.data, row.head_end, row.inner_end):
            attrs = match.group(1)
            found = cell_r(attrs)
            column = _letters_index(found.group(1).upper()) if found else previous + 1
            previous = column
            cells.append(Cell(column, match.start(), match.end(), attrs, match.group(3) or b""))
        return cells

    def referenced(self, row: Row) -> bool:
        """Every cell of ``row`` carries its ``r="…"`` reference: cells can then be found by
        reference alone, without reading the whole row."""
        count = self.data.count
        return count(self._cell_open, row.head_end, row.inner_end) == count(
            b' r="', row.head_end, row.inner_end
        )

    def find_in(self, row: Row, column: int) -> Lookup:
        """The cell of a ``referenced`` row at ``column`` (see ``cell_by_ref``)."""
        return self.cell_by_ref(row.number, column, row.head_end, row.inner_end)

    def cell_in(self, row: Row, column: int) -> Cell | None:
        if self.referenced(row):
            found = self.find_in(row, column)
            if found is not False:
                return found
        return next((c for c in self.cells(row) if c.column == column), None)

    def cell(self, number: int, column: int) -> Cell | None:
        row = self.row(number)
        return None if row is None else self.cell_in(row, column)

    def insert_position(self, row: Row, column: int) -> int:
        """Where a new cell of ``column`` goes in a ``referenced`` row: before the first cell
        of a later column, else after the last cell."""
        data = self.data
        number = row.number
        # Rows are mostly dense: the next column's cell is usually there.
        for later in range(column + 1, min(column + 4, 16_384)):
            pos = data.find(_ref_key(number, later), row.head_end, row.inner_end)
            if pos >= 0:
                return data.rfind(b"<", row.head_end, pos)
        last = -1
        for match in self._cell_ref_re.finditer(data, row.head_end, row.inner_end):
            if _letters_index(match.group(1).upper()) > column:
                return match.start()
            last = match.start()
        if last < 0:
            return row.head_end
        cell = self._cell_re.match(data, last)
        return cell.end() if cell is not None else row.inner_end

    def style_in_row(self, index: int, column: int) -> int:
        """The style (0 when none) of the ``index``-th row's cell in ``column``, or
        ``_NO_CELL``."""
        found = self.cell_in(self.row_at(index), column)
        return _NO_CELL if found is None else (found.style or 0)

    @property
    def all_referenced(self) -> bool:
        """Every cell of the sheet carries its reference (what Excel writes)."""
        if self._all_referenced is None:
            count, span = self.data.count, (self.content_start, self.content_end)
            cells, refs = count(self._cell_open, *span), count(b' r="', *span)
            self._all_referenced = cells + len(self.numbers) == refs
        return self._all_referenced

    def next_row_with(self, column: int, index: int) -> int | None:
        """The index of the first row from the ``index``-th on that has a cell in ``column``.
        One regex search when every cell carries its reference, else row after row."""
        if index >= len(self.starts):
            return None
        if not self.all_referenced:
            for j in range(index, len(self.starts)):
                if self.cell_in(self.row_at(j), column) is not None:
                    return j
            return None
        pattern = self._column_cell_re.get(column)
        if pattern is None:  # a literal start: the regex engine scans for it at C speed
            pattern = re.compile(b' r="' + re.escape(_letters(column)) + b'[0-9]+"')
            self._column_cell_re[column] = pattern
        data, pos = self.data, self.starts[index]
        while found := pattern.search(data, pos, self.content_end):
            start = data.rfind(b"<", pos, found.start())
            if start >= 0 and data.startswith(self._cell_open, start):
                tag_end = data.find(b">", start)
                if tag_end > found.start():  # inside a cell's start tag, not in a text
                    return bisect.bisect_right(self.starts, found.start()) - 1
            pos = found.end()
        return None

    def column_style(self, column: int) -> int | None:
        """The ``style`` of the ``<col>`` range covering ``column``, when there is one."""
        if self._col_styles is None:
            ranges: list[tuple[int, int, int]] = []
            p = re.escape(self.prefix)
            for match in re.finditer(rb"<" + p + rb"col\b[^>]*>", self.data[: self.data_tag[0]]):
                tag = match.group(0).decode("utf-8")
                lo, hi, style = get_attr(tag, "min"), get_attr(tag, "max"), get_attr(tag, "style")
                if lo and hi and style and lo.isdigit() and hi.isdigit() and style.isdigit():
                    ranges.append((int(lo), int(hi), int(style)))
            self._col_styles = ranges
        if column not in self._column_styles:
            self._column_styles[column] = next(
                (n for lo, hi, n in self._col_styles if lo <= column + 1 <= hi), None
            )
        return self._column_styles[column]


class NeighbourStyles:
    """The style of the nearest existing cell of a column above a row (not above
    ``lowest``), else below it: what a new cell copies. Asked in increasing row order, as the
    patch goes, it remembers per column how far it looked and what it found, so each row is
    looked at once per column whatever the number of cells filled: a column empty on most
    rows (a register that never had numbers) costs one pass, not one search per cell."""

    def __init__(self, sheet: SheetXml, lowest: int) -> None:
        self.sheet = sheet
        self.lowest_index = bisect.bisect_left(sheet.numbers, lowest)
        # column → (rows below this index were looked at, nearest style among them)
        self._above: dict[int, tuple[int, int | None]] = {}
        # column → (index of the nearest cell below, its style); (len(rows), None): none
        self._below: dict[int, tuple[int, int | None]] = {}
        # Columns with no cell at all from ``lowest`` down (a column never filled in).
        self._empty: set[int] = set()

    def style(self, number: int, column: int, here: int | None = None) -> int | None:
        """The neighbour style for a new cell at row ``number``, ``column``. ``here``: the
        style of that row's own cell in the column (``_NO_CELL`` when it has none), when the
        caller knows it: the next row then need not look at this one again."""
        sheet = self.sheet
        numbers = sheet.numbers
        i = bisect.bisect_left(numbers, number)
        if column in self._empty and i >= self.lowest_index:
            return None
        above = self._above.get(column)
        exists = i < len(numbers) and numbers[i] == number
        if above is not None and above[0] == i and above[1] is not None:
            # Asked for the next row of a pass, every row above already looked at: the
            # usual case when a column is filled row after row.
            if here is not None and exists:
                self._above[column] = (i + 1, above[1] if here == _NO_CELL else here)
            return above[1]
        looked, found = above if above is not None else (self.lowest_index, None)
        if i < looked:  # asked out of order: look again from scratch, correct if slower
            looked, found = self.lowest_index, None
        nearest: int | None = None
        for j in range(i - 1, looked - 1, -1):
            style = sheet.style_in_row(j, column)
            if style != _NO_CELL:
                nearest = style
                break
        if nearest is None:
            nearest = found
        self._above[column] = (max(i, looked), nearest)
        if here is not None and exists and i >= self.lowest_index:
            self._above[column] = (i + 1, here if here != _NO_CELL else nearest)
        if nearest is not None:
            return nearest
        start = i + 1 if exists else i
        known = self._below.get(column)
        if known is not None and known[0] >= start:  # rows start..known[0]-1 have none
            return known[1]
        below = sheet.next_row_with(column, start)
        if below is not None:
            style = sheet.style_in_row(below, column)
            self._below[column] = (below, style)
            return style
        self._below[column] = (len(numbers), None)
        if i >= self.lowest_index and (not exists or here == _NO_CELL):
            self._empty.add(column)  # nothing above, here, nor below
        return None


_SMALL = 4096  # pieces below this size are joined; larger ones stay views of the input


def _coalesce(pieces: list[bytes | memoryview]) -> list[bytes | memoryview]:
    """Consecutive small pieces joined into one bytes (a view costs more than a short copy);
    long stretches (a cell of 32,767 characters) kept as views, never copied."""
    out: list[bytes | memoryview] = []
    small: list[bytes | memoryview] = []
    for piece in pieces:
        if len(piece) < _SMALL:
            small.append(piece)
            continue
        if small:
            out.append(b"".join(small))
            small = []
        out.append(piece)
    if small:
        out.append(b"".join(small))
    return out


def _value_cell(prefix: str, edit: CellEdit, style: int | None, date1904: bool) -> bytes:
    ref = f"{column_letter(edit.column)}{edit.row}"
    value = edit.value
    if isinstance(value, str):
        return inline_string_cell(prefix, ref, style, value).encode("utf-8")
    if isinstance(value, bool):
        raise TypeError("a boolean is not a register value")
    if isinstance(value, int):
        return number_cell(prefix, ref, style, value).encode("utf-8")
    if isinstance(value, dt.date):
        serial = excel_serial(value, date1904=date1904)
        return number_cell(prefix, ref, style, serial).encode("utf-8")
    raise TypeError(f"unsupported cell value: {value!r}")


def _grow_spans(head: bytes, low: int, high: int) -> bytes:
    """The row's start tag with ``spans`` covering columns ``low``..``high`` (0-based) too."""
    found = _SPANS_RE.search(head)
    if found is None:
        return head
    grown = _grown_spans(found.group(1), low, high)
    return head if grown is None else head[: found.start(1)] + grown + head[found.end(1) :]


@lru_cache(maxsize=256)
def _grown_spans(spans: bytes, low: int, high: int) -> bytes | None:
    """The ``spans`` value covering ``low``..``high`` too, or None when it already does (rows
    of a register share a few values: cached)."""
    bounds = [int(n) for n in _DIGITS_RE.findall(spans)]
    if not bounds:
        return None
    lo, hi = min(*bounds, low + 1), max(*bounds, high + 1)
    if lo == min(bounds) and hi == max(bounds):
        return None
    return b"%d:%d" % (lo, hi)


def _grow_dimension(head: str, prefix: str, edits: Sequence[CellEdit]) -> str:
    p = re.escape(prefix)
    match = re.compile(rf"<{p}dimension\b[^>]*>").search(head)
    if match is None or not edits:
        return head
    tag = match.group(0)
    ref = get_attr(tag, "ref") or ""
    corners = [_REF_RE.match(part.replace("$", "").strip()) for part in ref.split(":")]
    if not corners or any(c is None for c in corners):
        return head
    rows = [int(c.group(2)) for c in corners if c]
    cols = [column_index(c.group(1)) for c in corners if c]
    rows += [min(e.row for e in edits), max(e.row for e in edits)]
    cols += [min(e.column for e in edits), max(e.column for e in edits)]
    first = f"{column_letter(min(cols))}{min(rows)}"
    last = f"{column_letter(max(cols))}{max(rows)}"
    new_ref = first if first == last else f"{first}:{last}"
    if new_ref == ref:
        return head
    return head[: match.start()] + set_attr(tag, "ref", new_ref) + head[match.end() :]


@dataclass(frozen=True, slots=True)
class SheetPatch:
    """The new sheet part (``parts``: None when unchanged) and whether highlight rules were
    written. The part is a sequence of pieces, views of the original part between the
    rewritten rows, so that it is written (``zipcopy``) and verified a chunk at a time
    without ever existing as a second whole copy."""

    parts: tuple[bytes | memoryview, ...] | None
    highlighted: bool
    prefix: bytes = b""  # the part's namespace prefix (``x:`` or none)

    @property
    def data(self) -> bytes | None:
        """The new part as one bytes object (for small parts and tests)."""
        return None if self.parts is None else b"".join(self.parts)


class _RowPatcher:
    """Rewrites one edited row at a time, in row order (the order ``NeighbourStyles`` is
    cheapest in)."""

    def __init__(self, sheet: SheetXml, styles: Styles | None, date1904: bool, lowest: int) -> None:
        self.sheet = sheet
        self.styles = styles
        self.date1904 = date1904
        self.prefix = sheet.prefix.decode("ascii")
        self.neighbours = NeighbourStyles(sheet, lowest)
        self._date_styles: dict[tuple[int | None, int | None], int] = {}

    def style_for(self, edit: CellEdit, existing: Cell | None) -> int | None:
        own = existing.style if existing is not None else None
        here = (own or 0) if existing is not None else _NO_CELL
        neighbour = self.neighbours.style(edit.row, edit.column, here)
        if neighbour is None:
            neighbour = self.sheet.column_style(edit.column)
        base = own if own else neighbour
        if not isinstance(edit.value, dt.date):
            return base
        key = (base, neighbour)
        if key not in self._date_styles:
            self._date_styles[key] = self._date_style(base, neighbour)
        return self._date_styles[key]

    def _date_style(self, base: int | None, neighbour: int | None) -> int:
        """A style showing dates for a cell whose style would be ``base``."""
        styles = self.styles
        if styles is None:
            raise RefusedError(
                "Le classeur n'a pas de feuille de styles pour afficher les dates : ouvrez-le "
                "dans Excel, enregistrez-le de nouveau, puis relancez la commande."
            )
        if base is not None and styles.is_date_style(base):
            return base
        if neighbour is not None and styles.is_date_style(neighbour):
            return neighbour
        return styles.date_style(base or 0)

    def cell(self, edit: CellEdit, existing: Cell | None) -> bytes:
        # A date typed as text is replaced only while the cell still holds text (the run also
        # refuses a file changed since it was read); any other cell must be empty.
        if edit.replaces is not None and (existing is None or not existing.is_text()):
            raise RefusedError(
                f"La cellule {edit.cell} de la feuille « {edit.sheet} » ne contient plus "
                "la date saisie en texte : le fichier a changé, relancez la commande."
            )
        if edit.replaces is None and existing is not None and not existing.is_empty():
            raise RefusedError(
                f"La cellule {edit.cell} de la feuille « {edit.sheet} » n'est plus vide : "
                "le fichier a changé, relancez la commande."
            )
        return _value_cell(self.prefix, edit, self.style_for(edit, existing), self.date1904)

    def new_row(self, number: int, edits: Sequence[CellEdit]) -> bytes:
        cells = b"".join(self.cell(e, None) for e in edits)
        return b'<%srow r="%d">%s%s' % (self.sheet.prefix, number, cells, self.sheet.row_close)

    def patched_row(self, row: Row, edits: Sequence[CellEdit]) -> list[bytes | memoryview]:
        """The row's new bytes, in pieces (see ``_coalesce``)."""
        sheet = self.sheet
        pieces: list[tuple[int, int, bytes]] = []  # (start, end, new) in the sheet bytes
        row_cells = None if sheet.referenced(row) else sheet.cells(row)
        find, number, lo, hi = sheet.data.find, row.number, row.head_end, row.inner_end
        for edit in edits:
            column = edit.column
            existing: Lookup = None
            if row_cells is None:
                if find(b'r="%s%d"' % (_letters(column), number), lo, hi) < 0:
                    # No such cell (a column being filled in): the usual case, made short.
                    pos = sheet.insert_position(row, column)
                    pieces.append((pos, pos, self.cell(edit, None)))
                    continue
                existing = sheet.find_in(row, column)
                if existing is False:  # a reference inside a text: read the row in full
                    row_cells = sheet.cells(row)
            if row_cells is not None:
                existing = next((c for c in row_cells if c.column == column), None)
            assert existing is not False
            new = self.cell(edit, existing)
            if existing is not None:
                pieces.append((existing.start, existing.end, new))
            elif row_cells is None:
                pos = sheet.insert_position(row, column)
                pieces.append((pos, pos, new))
            else:
                after = next((c for c in row_cells if c.column > column), None)
                if after is not None:
                    pos = after.start
                elif row_cells:
                    pos = row_cells[-1].end
                else:
                    pos = row.head_end
                pieces.append((pos, pos, new))
        head = _grow_spans(row.head, edits[0].column, edits[-1].column)
        view = sheet.view
        out: list[bytes | memoryview] = [head[:-2].rstrip() + b">" if row.self_closing else head]
        pos = row.head_end
        if any(a[1] > b[0] for a, b in pairwise(pieces)):  # cells out of column order
            pieces.sort(key=lambda p: (p[0], p[1]))
        for a, b, new in pieces:
            if a > pos:
                out.append(view[pos:a])
            out.append(new)
            pos = b
        out.append(sheet.row_close if row.self_closing else view[pos : row.end])
        return _coalesce(out)


def patch_sheet(
    data: bytes | bytearray,
    edits: Sequence[CellEdit],
    highlights: Sequence[Highlight],
    styles: Styles | None,
    *,
    date1904: bool = False,
    first_entry_row: int | None = None,
) -> SheetPatch:
    """The sheet part with ``edits`` applied and ``highlights`` kept.

    ``first_entry_row`` bounds the search for a column's neighbour style (never the header).
    """
    sheet = SheetXml(data)
    del data
    body, view = sheet.data, sheet.view
    prefix = sheet.prefix.decode("ascii")
    lowest = first_entry_row or min((e.row for e in edits), default=1)
    patcher = _RowPatcher(sheet, styles, date1904, lowest)
    by_row: dict[int, list[CellEdit]] = {}
    for edit in sorted(edits, key=lambda e: (e.row, e.column)):
        by_row.setdefault(edit.row, []).append(edit)

    # One pass in row order: the stretch before each edited row is kept as a view of the
    # input, each edited row as its own new bytes.
    segments: list[bytes | memoryview] = []
    numbers, starts = sheet.numbers, sheet.starts
    pos = sheet.content_start
    i = 0
    for number, row_edits in by_row.items():
        i = bisect.bisect_left(numbers, number, i)
        if i < len(numbers) and numbers[i] == number:
            row = sheet.row_at(i)
            if row.start > pos:
                segments.append(view[pos : row.start])
            segments += patcher.patched_row(row, row_edits)
            pos = row.end
        else:
            at = starts[i] if i < len(starts) else sheet.content_end
            if at > pos:
                segments.append(view[pos:at])
            segments.append(patcher.new_row(number, row_edits))
            pos = at
    segments.append(view[pos : sheet.content_end])

    tail = body[sheet.data_end :].decode("utf-8")
    new_tail = (
        apply_highlights(tail, prefix, list(highlights), styles, date1904=date1904)
        if highlights
        else None
    )
    if not by_row and new_tail is None:
        return SheetPatch(None, False, sheet.prefix)

    head_bytes = body[: sheet.content_start]
    if sheet.data_self_closing and by_row:  # <sheetData/> opens to receive its first rows
        start, end = sheet.data_tag
        head_bytes = head_bytes[:start] + head_bytes[start:end][:-2].rstrip() + b">"
        content_close = b"</" + sheet.prefix + b"sheetData>"
    else:
        content_close = bytes(body[sheet.content_end : sheet.data_end])
    head = _grow_dimension(head_bytes.decode("utf-8"), prefix, edits)
    parts: tuple[bytes | memoryview, ...] = (
        sheet.bom if sheet.codec == "utf-8" else b"",
        head.encode("utf-8"),
        *segments,
        content_close,
        (new_tail if new_tail is not None else tail).encode("utf-8"),
    )
    if sheet.codec != "utf-8":  # transcoded for the patch: back to the part's own encoding
        parts = (sheet.bom + b"".join(parts).decode("utf-8").encode(sheet.codec),)
    return SheetPatch(parts, new_tail is not None, sheet.prefix)


def read_values(data: bytes, refs: Sequence[tuple[int, int]]) -> dict[tuple[int, int], str | None]:
    """What a sheet part holds at (row, column) cells: inline/plain text or the ``<v>`` text
    (None when the cell is absent or empty). Used to verify a written file: cells come in row
    then column order, each searched by its reference after the previous one (one pass), the
    rows index built only if a cell is not found that way."""
    sheet = SheetXml(data, index_rows=False)
    out: dict[tuple[int, int], str | None] = {}
    hint = sheet.content_start
    for number, column in sorted(refs):
        found = sheet.cell_by_ref(number, column, hint, sheet.content_end)
        if isinstance(found, Cell):
            cell: Cell | None = found
            hint = found.end
        else:  # not there by reference from here on: look it up by row
            sheet.index_rows()
            cell = sheet.cell(number, column)
        out[(number, column)] = None if cell is None else _value_of(cell)
    return out


def _value_of(cell: Cell) -> str | None:
    """A cell's inline/plain text or ``<v>`` text; None when it has none."""
    pattern = _T_RE if cell.kind() == b"inlineStr" else _V_RE
    parts = [m.group(1) or b"" for m in pattern.finditer(cell.body)]
    return unescape_cell_text(b"".join(parts).decode("utf-8")) if parts else None


class WrittenValues:
    """The values of the cells this package wrote, read from a sheet part fed a chunk at a
    time (the verification of a written file, in bounded memory). The cells we write start
    with their reference (``<c r="D6"``), which text cannot contain (``<`` is escaped there);
    they are found in row then column order. ``missing()`` lists those not found that way."""

    def __init__(self, prefix: bytes, refs: Sequence[tuple[int, int]]) -> None:
        todo = list(dict.fromkeys(refs))
        if any(b < a for a, b in pairwise(todo)):  # the plan's order already, usually
            todo.sort()
        self._todo = todo
        self._next = 0
        self._prefix = prefix
        p = re.escape(prefix)
        self._cell_re = re.compile(rb"<" + p + rb"c\b([^>]*?)(/>|>(.*?)</" + p + rb"c>)", re.DOTALL)
        # The two shapes ``_value_cell`` writes, read in one step; anything else is read the
        # general way (``_value_of``).
        self._ours_re = re.compile(
            rb"<" + p + rb'c r="[A-Z]+[0-9]+"(?: s="[0-9]+")?(?: (t="inlineStr"))?>'
            rb"(?:<"
            + p
            + rb"is><"
            + p
            + rb"t(?: xml:space=\"preserve\")?>([^<]*)</"
            + p
            + rb"t></"
            + p
            + rb"is>|<"
            + p
            + rb"v>([^<]*)</"
            + p
            + rb"v>)</"
            + p
            + rb"c>"
        )
        self._buffer = b""
        self.values: dict[tuple[int, int], str | None] = {}

    def feed(self, chunk: bytes | memoryview) -> None:
        buffer = self._buffer + bytes(chunk)
        keep: int | None = None
        pos = 0
        while self._next < len(self._todo):
            number, column = self._todo[self._next]
            start = buffer.find(b'<%sc r="%s%d"' % (self._prefix, _letters(column), number), pos)
            if start < 0:
                break
            ours = self._ours_re.match(buffer, start)
            if ours is not None:
                raw = ours.group(2) if ours.group(1) else ours.group(3)
                value = None if raw is None else unescape_cell_text(raw.decode("utf-8"))
                self.values[(number, column)] = value
                self._next += 1
                pos = ours.end()
                continue
            match = self._cell_re.match(buffer, start)
            if match is None:  # the cell goes on in the next chunk
                keep = start
                break
            cell = Cell(column, start, match.end(), match.group(1), match.group(3) or b"")
            self.values[(number, column)] = _value_of(cell)
            self._next += 1
            pos = match.end()
        if keep is None:  # a reference may straddle two chunks: keep the last bytes
            keep = max(pos, len(buffer) - 64)
        self._buffer = buffer[keep:]

    def missing(self) -> list[tuple[int, int]]:
        return [ref for ref in self._todo if ref not in self.values]
