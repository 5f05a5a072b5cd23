"""Patch one worksheet's XML as text: set cells, grow the dimension, keep our highlight rules.

The sheet is never built as a tree: rows are located with a regex scan, untouched rows are
copied verbatim, and only the rows that get edits are rewritten (new ``<c>`` elements inserted
in column order, an empty styled cell replaced). Everything else in the part keeps its bytes.
"""

from __future__ import annotations

import bisect
import codecs
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise

from ..a1 import cell_ref, column_index
from ..errors import RefusedError
from ..plan import CellEdit, Highlight
from .condfmt import apply_highlights
from .styles import Styles, get_attr, set_attr
from .xmltext import (
    MalformedPart,
    excel_serial,
    inline_string_cell,
    number_cell,
    unescape_cell_text,
)

_ROOT_RE = re.compile(r"<([A-Za-z_][\w.-]*:)?worksheet\b")
_REF_RE = re.compile(r"^([A-Za-z]{1,3})(\d+)$")
_T_RE = re.compile(r"<(?:[\w.-]+:)?t\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?t>)", re.DOTALL)
_V_RE = re.compile(r"<(?:[\w.-]+:)?v\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?v>)", re.DOTALL)
_R_ATTR_RE = re.compile(r"\sr\s*=\s*[\"']\s*([0-9]+)\s*[\"']")
_R_CELL_RE = re.compile(r"\sr\s*=\s*[\"']\s*\$?([A-Za-z]{1,3})\$?[0-9]+\s*[\"']")
_F_RE = re.compile(r"<(?:[\w.-]+:)?f\b")
#: How many existing rows above (then below) ``neighbour_style`` looks at for a column's style.
NEIGHBOUR_REACH = 200
_NO_CELL = -1  # ``style_in_row``: the row has no cell in that column


@lru_cache(maxsize=1024)
def _letters_index(letters: str) -> int:
    return column_index(letters)


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


def _sheet_damaged(detail: str) -> MalformedPart:
    return MalformedPart(f"la feuille du registre est mal formée ({detail})")


@dataclass(slots=True)
class Cell:
    column: int
    start: int  # offsets in the row's text
    end: int
    head: str  # the start tag
    body: str  # between start and end tags ("" when self-closing)

    @property
    def style(self) -> int | None:
        s = get_attr(self.head, "s")
        return int(s) if s is not None and s.strip().isdigit() else None

    def is_text(self) -> bool:
        """A text cell (shared or inline string), not a formula."""
        kind = get_attr(self.head, "t")
        return kind in ("s", "inlineStr") and _F_RE.search(self.body) is None

    def is_empty(self) -> bool:
        if _F_RE.search(self.body):
            return False
        for pattern in (_T_RE, _V_RE):
            for match in pattern.finditer(self.body):
                if (match.group(1) or "").strip():
                    return False
        return True


@dataclass(slots=True)
class Row:
    number: int
    start: int  # offsets in the sheet text
    head_end: int
    end: int
    head: str
    self_closing: bool
    _cells: list[Cell] | None = field(default=None)
    _referenced: bool | None = field(default=None)  # see ``SheetText.row_referenced``


class SheetText:
    """A worksheet's XML with its rows indexed (no tree)."""

    def __init__(self, data: bytes, *, index_rows: bool = True) -> None:
        self.text, self.codec, self.bom = decode_part(data)
        root = _ROOT_RE.search(self.text)
        if root is None:
            raise _sheet_damaged("pas de balise worksheet")
        self.prefix = root.group(1) or ""
        p = re.escape(self.prefix)
        data_match = re.compile(rf"<{p}sheetData\b[^>]*?(/?)>").search(self.text, root.end())
        if data_match is None:
            raise _sheet_damaged("pas de sheetData")
        self.data_tag = (data_match.start(), data_match.end())
        self.data_self_closing = bool(data_match.group(1))
        if self.data_self_closing:
            self.content_start = self.content_end = data_match.end()
            self.data_end = data_match.end()
        else:
            self.content_start = data_match.end()
            close_tag = f"</{self.prefix}sheetData>"
            self.content_end = self.text.find(close_tag, self.content_start)
            if self.content_end < 0:
                raise _sheet_damaged("sheetData non fermé")
            self.data_end = self.content_end + len(close_tag)
        self._row_re = re.compile(rf"<{p}row\b([^>]*)>")
        self._cell_re = re.compile(rf"<{p}c\b([^>]*?)(/>|>(.*?)</{p}c>)", re.DOTALL)
        self._row_close = f"</{self.prefix}row>"
        # Parallel lists (Excel row number, offset of ``<row``): cheap for 100k rows; Row
        # objects are made only for the rows looked at.
        self.numbers: list[int] = []
        self.starts: list[int] = []
        self._rows: dict[int, Row] = {}
        self._indexed = index_rows
        self.last_found_end: int | None = None  # where ``find_cell``'s last direct hit ended
        self._col_styles: list[tuple[int, int, int]] | None = None  # (min, max, style)
        self._cell_open = f"<{self.prefix}c"
        self._cell_ref_re = re.compile(
            rf"<{re.escape(self.prefix)}c\b[^>]*?\sr\s*=\s*[\"']\s*\$?([A-Za-z]{{1,3}})"
        )
        if index_rows:
            self._index_rows()

    def _index_rows(self) -> None:
        p = re.escape(self.prefix)
        self._indexed = True
        numbers, starts = self.numbers, self.starts
        # Fast path: every row carries its number (what Excel and most writers do).
        fast_re = re.compile(rf"<{p}row\b[^>]*?\sr\s*=\s*[\"']([0-9]+)[\"']")
        fast = [(m.start(), int(m.group(1))) for m in fast_re.finditer(self.text, *self._content)]
        if len(fast) == self.text.count(f"<{self.prefix}row", *self._content) and all(
            a[1] < b[1] for a, b in pairwise(fast)
        ):
            starts.extend(start for start, _ in fast)
            numbers.extend(number for _, number in fast)
            return
        r_attr = _R_ATTR_RE.search
        previous = 0
        for match in self._row_re.finditer(self.text, *self._content):
            found = r_attr(match.group(1))
            number = int(found.group(1)) if found else previous + 1
            if number <= previous:
                raise _sheet_damaged(f"lignes dans le désordre vers la ligne {number}")
            previous = number
            numbers.append(number)
            starts.append(match.start())

    @property
    def _content(self) -> tuple[int, int]:
        return self.content_start, self.content_end

    def row_at(self, index: int) -> Row:
        """The ``index``-th ``<row>`` element of sheetData."""
        row = self._rows.get(index)
        if row is None:
            match = self._row_re.match(self.text, self.starts[index])
            assert match is not None
            head = match.group(0)
            row = Row(
                self.numbers[index], match.start(), match.end(), -1, head, head.endswith("/>")
            )
            self._rows[index] = row
        return row

    # -- rows and cells ------------------------------------------------------------------
    def row(self, number: int) -> Row | None:
        i = bisect.bisect_left(self.numbers, number)
        if i < len(self.numbers) and self.numbers[i] == number:
            return self.row_at(i)
        return None

    def _row_end(self, row: Row) -> int:
        if row.end < 0:
            if row.self_closing:
                row.end = row.head_end
            else:
                close = self.text.find(self._row_close, row.head_end, self.content_end)
                if close < 0:
                    raise _sheet_damaged(f"ligne {row.number} non fermée")
                row.end = close + len(self._row_close)
        return row.end

    def cells(self, row: Row) -> list[Cell]:
        if row._cells is None:
            end = self._row_end(row)
            inner_end = end if row.self_closing else end - len(self._row_close)
            inner = self.text[row.head_end : inner_end]
            cells: list[Cell] = []
            previous = -1
            cell_r = _R_CELL_RE.search
            prefix = self.prefix
            for match in self._cell_re.finditer(inner):
                attrs = match.group(1)
                found = cell_r(attrs)
                column = _letters_index(found.group(1)) if found else previous + 1
                previous = column
                closing = "/>" if match.group(2) == "/>" else ">"
                cells.append(
                    Cell(
                        column,
                        match.start(),
                        match.end(),
                        f"<{prefix}c{attrs}{closing}",
                        match.group(3) or "",
                    )
                )
            row._cells = cells
        return row._cells

    def find_cell(self, number: int, column: int, hint: int = 0) -> Cell | None:
        """A cell by its reference (``r="D6"`` is unique in a sheet), searched from offset
        ``hint`` on; falls back to the row index when not found that way."""
        ref = f'r="{cell_ref(number, column)}"'
        pos = self.text.find(ref, max(hint, self.content_start), self.content_end)
        if pos >= 0:
            start = self.text.rfind("<", self.content_start, pos)
            match = self._cell_re.match(self.text, start) if start >= 0 else None
            if match is not None:
                closing = "/>" if match.group(2) == "/>" else ">"
                head = f"<{self.prefix}c{match.group(1)}{closing}"
                self.last_found_end = match.end()
                return Cell(column, match.start(), match.end(), head, match.group(3) or "")
        self.last_found_end = None
        if not self._indexed:
            self._index_rows()
        return self.cell(number, column)

    def cell(self, number: int, column: int) -> Cell | None:
        row = self.row(number)
        if row is None:
            return None
        return self.cell_in(row, column)

    def cell_in(self, row: Row, column: int) -> Cell | None:
        """The cell of ``row`` at ``column``: found by its reference when it has one (fast),
        else by reading the whole row."""
        if row._cells is None and not row.self_closing:
            end = self._row_end(row)
            ref = f'r="{cell_ref(row.number, column)}"'
            pos = self.text.find(ref, row.head_end, end)
            if pos >= 0:
                start = self.text.rfind("<", row.head_end, pos)
                match = self._cell_re.match(self.text, start) if start >= 0 else None
                if match is not None and match.end() <= end:
                    closing = "/>" if match.group(2) == "/>" else ">"
                    return Cell(
                        column,
                        match.start() - row.head_end,
                        match.end() - row.head_end,
                        f"<{self.prefix}c{match.group(1)}{closing}",
                        match.group(3) or "",
                    )
            elif self.row_referenced(row):
                return None
        return next((c for c in self.cells(row) if c.column == column), None)

    def neighbour_style(self, number: int, column: int, lowest: int) -> int | None:
        """Style of the nearest existing cell of ``column`` in rows above (down to ``lowest``),
        then below."""
        i = bisect.bisect_left(self.numbers, number)
        for j in range(i - 1, max(-1, i - 1 - NEIGHBOUR_REACH), -1):
            row = self.row_at(j)
            if row.number < lowest:
                break
            found = self.cell_in(row, column)
            if found is not None:
                return found.style or 0
        start = i + 1 if i < len(self.numbers) and self.numbers[i] == number else i
        for j in range(start, min(len(self.numbers), start + NEIGHBOUR_REACH)):
            found = self.cell_in(self.row_at(j), column)
            if found is not None:
                return found.style or 0
        return None

    def column_style(self, column: int) -> int | None:
        """The ``style`` of the ``<col>`` range covering ``column``, when there is one."""
        if self._col_styles is None:
            ranges: list[tuple[int, int, int]] = []
            p = re.escape(self.prefix)
            col_re = re.compile(rf"<{p}col\b[^>]*>")
            for match in col_re.finditer(self.text, 0, self.data_tag[0]):
                tag = match.group(0)
                lo, hi, style = get_attr(tag, "min"), get_attr(tag, "max"), get_attr(tag, "style")
                if lo and hi and style and lo.isdigit() and hi.isdigit() and style.isdigit():
                    ranges.append((int(lo), int(hi), int(style)))
            self._col_styles = ranges
        for first, last, number in self._col_styles:
            if first <= column + 1 <= last:
                return number
        return None

    def style_in_row(self, index: int, column: int) -> int:
        """The style (0 when none) of the ``index``-th row's cell in ``column``, or
        ``_NO_CELL``. Found by the cell's reference within the row's span, without building
        the row; rows whose cells lack references are read in full."""
        text = self.text
        start = self.starts[index]
        end = self.starts[index + 1] if index + 1 < len(self.starts) else self.content_end
        pos = text.find(f'r="{cell_ref(self.numbers[index], column)}"', start, end)
        if pos >= 0:
            lt = text.rfind("<", start, pos)
            gt = text.find(">", pos, end)
            if lt >= 0 and gt >= 0:
                s = get_attr(text[lt : gt + 1], "s")
                return int(s) if s is not None and s.strip().isdigit() else 0
        # As many ``r="`` as cells plus the row's own: every cell carries its reference
        # (what Excel writes), so one not found that way is absent.
        if text.count(self._cell_open, start, end) == text.count(' r="', start, end) - 1:
            return _NO_CELL
        found = self.cell_in(self.row_at(index), column)
        return _NO_CELL if found is None else (found.style or 0)

    def row_referenced(self, row: Row) -> bool:
        """Every cell of ``row`` carries its ``r="…"`` reference: cells can then be found by
        reference alone, without reading the whole row."""
        if row._referenced is None:
            end = self._row_end(row)
            count = self.text.count
            row._referenced = row.self_closing or count(
                self._cell_open, row.head_end, end
            ) == count(' r="', row.head_end, end)
        return row._referenced

    def insert_position(self, row: Row, column: int) -> int:
        """Where a new cell of ``column`` goes in ``row`` (an offset in its inner text): before
        the first cell of a later column, else after the last cell. For a ``row_referenced``
        row, without building its cells."""
        end = self._row_end(row)
        inner_end = end if row.self_closing else end - len(self._row_close)
        # Rows are mostly dense: the next column's cell is usually there.
        for later in range(column + 1, min(column + 4, 16_384)):
            pos = self.text.find(f'r="{cell_ref(row.number, later)}"', row.head_end, inner_end)
            if pos >= 0:
                return self.text.rfind("<", row.head_end, pos) - row.head_end
        last = -1
        for match in self._cell_ref_re.finditer(self.text, row.head_end, inner_end):
            if _letters_index(match.group(1).upper()) > column:
                return match.start() - row.head_end
            last = match.start()
        if last < 0:
            return 0
        cell = self._cell_re.match(self.text, last)
        return (cell.end() if cell is not None else inner_end) - row.head_end

    def encode(self, text: str) -> bytes:
        return self.bom + text.encode(self.codec)


class NeighbourStyles:
    """The style of the nearest existing cell of a column above a row (not above
    ``lowest``), else below it: what a new cell copies. Asked in increasing row order, as the
    patch goes, it remembers per column how far it looked and what it found, so each row is
    looked at once per column whatever the number of cells filled: a column empty on most
    rows (a register that never had numbers) costs one pass, not one search per cell."""

    def __init__(self, sheet: SheetText, lowest: int) -> None:
        self.sheet = sheet
        self.lowest_index = bisect.bisect_left(sheet.numbers, lowest)
        # column → (rows below this index were looked at, nearest style among them)
        self._above: dict[int, tuple[int, int | None]] = {}
        # column → (rows before this index were looked at, index of the nearest cell or None)
        self._below: dict[int, tuple[int, int | None]] = {}

    def style(self, number: int, column: int, here: int | None = None) -> int | None:
        """The neighbour style for a new cell at row ``number``, ``column``. ``here``: the
        style of that row's own cell in the column (``_NO_CELL`` when it has none), when the
        caller knows it: the next row then need not look at this one again."""
        sheet = self.sheet
        numbers = sheet.numbers
        i = bisect.bisect_left(numbers, number)
        looked, found = self._above.get(column, (self.lowest_index, None))
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
        exists = i < len(numbers) and numbers[i] == number
        if here is not None and exists and i >= self.lowest_index:
            self._above[column] = (i + 1, here if here != _NO_CELL else nearest)
        if nearest is not None:
            return nearest
        start = i + 1 if exists else i
        frontier, below = self._below.get(column, (0, None))
        if below is not None and below >= start:
            return sheet.style_in_row(below, column)
        j = max(start, frontier)
        while j < len(numbers):
            style = sheet.style_in_row(j, column)
            if style != _NO_CELL:
                self._below[column] = (j, j)
                return style
            j += 1
        self._below[column] = (len(numbers), None)
        return None


def _value_cell(prefix: str, edit: CellEdit, style: int | None, date1904: bool) -> str:
    ref = cell_ref(edit.row, edit.column)
    value = edit.value
    if isinstance(value, str):
        return inline_string_cell(prefix, ref, style, value)
    if isinstance(value, bool):
        raise TypeError("a boolean is not a register value")
    if isinstance(value, int):
        return number_cell(prefix, ref, style, value)
    if isinstance(value, dt.date):
        return number_cell(prefix, ref, style, excel_serial(value, date1904=date1904))
    raise TypeError(f"unsupported cell value: {value!r}")


def _grow_spans(head: str, columns: Sequence[int]) -> str:
    spans = get_attr(head, "spans")
    if spans is None:
        return head
    grown = _grown_spans(spans, tuple(columns))
    return head if grown is None else set_attr(head, "spans", grown)


@lru_cache(maxsize=256)
def _grown_spans(spans: str, columns: tuple[int, ...]) -> str | None:
    """The ``spans`` value covering ``columns`` too, or None when it already does (rows of a
    register share a few values: cached)."""
    bounds = [int(n) for n in re.findall(r"\d+", spans)]
    if not bounds:
        return None
    lo = min([*bounds, *(c + 1 for c in columns)])
    hi = max([*bounds, *(c + 1 for c in columns)])
    if lo == min(bounds) and hi == max(bounds):
        return None
    return f"{lo}:{hi}"


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
    rows += [e.row for e in edits]
    cols += [e.column for e in edits]
    first, last = cell_ref(min(rows), min(cols)), cell_ref(max(rows), max(cols))
    new_ref = first if first == last else f"{first}:{last}"
    if new_ref == ref:
        return head
    return head[: match.start()] + set_attr(tag, "ref", new_ref) + head[match.end() :]


@dataclass(frozen=True, slots=True)
class SheetPatch:
    """The new sheet part (None when unchanged) and whether highlight rules were written."""

    data: bytes | None
    highlighted: bool


def patch_sheet(
    data: bytes,
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
    sheet = SheetText(data)
    text = sheet.text
    prefix = sheet.prefix
    lowest = first_entry_row or min((e.row for e in edits), default=1)
    neighbours = NeighbourStyles(sheet, lowest)
    by_row: dict[int, list[CellEdit]] = {}
    for edit in sorted(edits, key=lambda e: (e.row, e.column)):
        by_row.setdefault(edit.row, []).append(edit)

    def style_for(edit: CellEdit, existing: Cell | None) -> int | None:
        own = existing.style if existing is not None else None
        here = (own or 0) if existing is not None else _NO_CELL
        neighbour = neighbours.style(edit.row, edit.column, here)
        if neighbour is None:
            neighbour = sheet.column_style(edit.column)
        base = own if own else neighbour
        if not isinstance(edit.value, dt.date):
            return base
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

    splices: list[tuple[int, int, str]] = []
    inserts: dict[int, list[str]] = {}
    for number, row_edits in by_row.items():
        row = sheet.row(number)
        if row is None:
            cells = "".join(_value_cell(prefix, e, style_for(e, None), date1904) for e in row_edits)
            i = bisect.bisect_left(sheet.numbers, number)
            pos = sheet.starts[i] if i < len(sheet.starts) else sheet.content_end
            inserts.setdefault(pos, []).append(f'<{prefix}row r="{number}">{cells}</{prefix}row>')
            continue
        # Rows whose cells all carry their reference (Excel's) are patched without building
        # every cell: the cost follows the edits, not the row's width.
        row_cells = None if sheet.row_referenced(row) else sheet.cells(row)
        end = sheet._row_end(row)
        inner_end = end if row.self_closing else end - len(sheet._row_close)
        inner = text[row.head_end : inner_end]
        pieces: list[tuple[int, int, str]] = []
        for edit in row_edits:
            if row_cells is None:
                existing = sheet.cell_in(row, edit.column)
            else:
                existing = next((c for c in row_cells if c.column == edit.column), None)
            # A date typed as text is replaced only while the cell still holds text (the run
            # also refuses a file changed since it was read); any other cell must be empty.
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
            new = _value_cell(prefix, edit, style_for(edit, existing), date1904)
            if existing is not None:
                pieces.append((existing.start, existing.end, new))
            elif row_cells is None:
                pos = sheet.insert_position(row, edit.column)
                pieces.append((pos, pos, new))
            else:
                after = next((c for c in row_cells if c.column > edit.column), None)
                if after is not None:
                    pos = after.start
                elif row_cells:
                    pos = row_cells[-1].end
                else:
                    pos = 0
                pieces.append((pos, pos, new))
        new_inner = _splice(inner, pieces)
        head = _grow_spans(row.head, [e.column for e in row_edits])
        if row.self_closing:
            head = head[:-2].rstrip() + ">"
            new_row = f"{head}{new_inner}{sheet._row_close}"
        else:
            new_row = f"{head}{new_inner}{text[inner_end:end]}"
        splices.append((row.start, end, new_row))
    for pos, rows in inserts.items():
        splices.append((pos, pos, "".join(rows)))

    tail_start = sheet.data_end
    tail = text[tail_start:]
    new_tail = apply_highlights(tail, prefix, list(highlights), styles) if highlights else None
    if not splices and new_tail is None:
        return SheetPatch(None, False)

    head = text[: sheet.content_start]
    if sheet.data_self_closing and splices:
        start, end = sheet.data_tag
        head = head[:start] + head[start:end][:-2].rstrip() + ">"
        content_close = f"</{prefix}sheetData>"
    else:
        content_close = text[sheet.content_end : sheet.data_end]
    head = _grow_dimension(head, prefix, edits)
    codec = sheet.codec
    # Encoded a segment at a time: the new sheet never exists as a second whole string
    # beside the original (a sheet of long texts is hundreds of MB as text).
    parts = [sheet.bom, head.encode(codec)]
    parts += _splice_encoded(text, splices, sheet.content_start, sheet.content_end, codec)
    parts.append(content_close.encode(codec))
    parts.append((new_tail if new_tail is not None else tail).encode(codec))
    highlighted = new_tail is not None
    del text, tail, new_tail, head
    sheet.text = ""  # the decoded sheet goes before the joined copy is made
    return SheetPatch(b"".join(parts), highlighted)


def _splice_encoded(
    text: str, pieces: list[tuple[int, int, str]], start: int, end: int, codec: str
) -> list[bytes]:
    """``_splice`` as a list of encoded segments (no joined copy of the text)."""
    out: list[bytes] = []
    pos = start
    for a, b, replacement in sorted(pieces, key=lambda p: (p[0], p[1])):
        out.append(text[pos:a].encode(codec))
        out.append(replacement.encode(codec))
        pos = b
    out.append(text[pos:end].encode(codec))
    return out


def _splice(
    text: str, pieces: list[tuple[int, int, str]], start: int = 0, end: int | None = None
) -> str:
    """``text[start:end]`` with each (start, end, replacement) applied (non-overlapping)."""
    end = len(text) if end is None else end
    out: list[str] = []
    pos = start
    for a, b, replacement in sorted(pieces, key=lambda p: (p[0], p[1])):
        out.append(text[pos:a])
        out.append(replacement)
        pos = b
    out.append(text[pos:end])
    return "".join(out)


def read_values(data: bytes, refs: Sequence[tuple[int, int]]) -> dict[tuple[int, int], str | None]:
    """What a sheet part holds at (row, column) cells: inline/plain text or the ``<v>`` text
    (None when the cell is absent or empty). Used to verify a written file."""
    sheet = SheetText(data, index_rows=False)
    out: dict[tuple[int, int], str | None] = {}
    hint = 0  # cells come in row then column order: each search starts after the last hit
    for number, column in sorted(refs):
        cell = sheet.find_cell(number, column, hint)
        if cell is None:
            out[(number, column)] = None
            continue
        if sheet.last_found_end is not None:
            hint = sheet.last_found_end
        kind = get_attr(cell.head, "t")
        pattern = _T_RE if kind == "inlineStr" else _V_RE
        parts = [m.group(1) or "" for m in pattern.finditer(cell.body)]
        value = "".join(parts)
        out[(number, column)] = unescape_cell_text(value) if parts else None
    return out
