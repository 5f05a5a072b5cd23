"""Write an update's cell edits into ``content.xml``, touching only the rows they fall in.

A cell gets its value as LibreOffice writes one (``office:value-type`` and the value, the
text shown in ``<text:p>``); it keeps its other attributes (style, validation list) and its
note. A repeated row or cell is split around the edited one, so the rows and cells around it
keep their content. A date gets the date style of the column's other dates, else a
``jj/mm/aaaa`` style of ours added to the automatic styles.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape

from suivi_xlsx.domain.plan import CellEdit
from suivi_xlsx.errors import RefusedError
from suivi_xlsx.ods.grid import (
    _COLUMNS_REPEATED_RE,
    _ROWS_REPEATED_RE,
    PART,
    Cell,
    Table,
    cells,
    rows,
)
from suivi_xlsx.xlsx.xmltext import MalformedPart

DATE_STYLE = b"suivi-date"  # number style
DATE_CELL_STYLE = b"suivi-ce-date"  # cell style using it
DATE_STYLES = (
    b'<number:date-style style:name="suivi-date"><number:day number:style="long"/>'
    b'<number:text>/</number:text><number:month number:style="long"/>'
    b'<number:text>/</number:text><number:year number:style="long"/></number:date-style>'
    b'<style:style style:name="suivi-ce-date" style:family="table-cell" '
    b'style:parent-style-name="Default" style:data-style-name="suivi-date"/>'
)
# Value attributes a cell loses when it gets a new value; the others (style, validation) stay.
_VALUE_ATTRS_RE = re.compile(
    rb"\s(?:office:value-type|office:value|office:date-value|office:time-value|"
    rb"office:string-value|office:boolean-value|office:currency|calcext:value-type|"
    rb"table:formula|table:number-columns-repeated)\s*=\s*(?:\"[^\"]*\"|'[^']*')"
)
_STYLE_RE = re.compile(rb"\stable:style-name\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_TEXT_P_RE = re.compile(rb"<text:p\b[^>]*?(?:/>|>(.*?)</text:p>)", re.DOTALL)
_TAG_RE = re.compile(rb"<[^>]*>")
_ANNOTATION_RE = re.compile(rb"<office:annotation\b.*?</office:annotation>", re.DOTALL)
_DATE_TYPE = b'office:value-type="date"'


def cell_text(cell: Cell) -> str:
    """The text a cell shows (its paragraphs, one per line), notes left out."""
    inner = _ANNOTATION_RE.sub(b"", cell.inner)
    paragraphs = [_TAG_RE.sub(b"", m.group(1) or b"") for m in _TEXT_P_RE.finditer(inner)]
    from html import unescape

    return unescape(b"\n".join(paragraphs).decode("utf-8")).strip()


def _value_xml(value: str | int | dt.date) -> tuple[bytes, str]:
    """The value attributes and the shown text of a new cell value."""
    if isinstance(value, dt.date):
        return (
            b' office:value-type="date" office:date-value="'
            + value.isoformat().encode()
            + b'" calcext:value-type="date"',
            f"{value:%d/%m/%Y}",
        )
    if isinstance(value, int):
        return (
            b' office:value-type="float" office:value="'
            + str(value).encode()
            + b'" calcext:value-type="float"',
            str(value),
        )
    return b' office:value-type="string" calcext:value-type="string"', value


def _with_repeat(attributes: bytes, pattern: re.Pattern[bytes], name: bytes, n: int) -> bytes:
    stripped = pattern.sub(b"", attributes)
    return stripped + (b" " + name + b'="' + str(n).encode() + b'"' if n > 1 else b"")


class _Patcher:
    def __init__(self, content: bytes | bytearray, table: Table, edits: Sequence[CellEdit]) -> None:
        self.content = content
        self.table = table
        self.edits = edits
        self.date_styles: dict[int, bytes] = {}  # column → style of its dates
        self.needs_date_style = False

    def _date_style(self, column: int) -> bytes:
        style = self.date_styles.get(column)
        if style is not None:
            return style
        self.needs_date_style = True
        return DATE_CELL_STYLE

    def _new_cell(self, old: Cell, edit: CellEdit) -> bytes:
        if old.covered:
            raise RefusedError(
                f"La cellule {edit.cell} de la feuille « {edit.sheet} » est masquée par une "
                "fusion de cellules : fusionnez autrement ou videz-la, puis relancez."
            )
        shown = cell_text(old)
        expected = edit.replaces or ""
        if shown != expected.strip() or b"table:formula" in old.attributes:
            raise RefusedError(
                f"La cellule {edit.cell} de la feuille « {edit.sheet} » a changé depuis la "
                "lecture : le classeur n'a pas été modifié. Relancez la commande."
            )
        attributes = _VALUE_ATTRS_RE.sub(b"", old.attributes)
        if isinstance(edit.value, dt.date):
            style = self._date_style(edit.column)
            attributes = _STYLE_RE.sub(b"", attributes) + b' table:style-name="' + style + b'"'
        values, text = _value_xml(edit.value)
        notes = b"".join(m.group(0) for m in _ANNOTATION_RE.finditer(old.inner))
        paragraph = b"<text:p>" + escape(text).encode("utf-8") + b"</text:p>"
        return (
            b"<table:table-cell"
            + attributes
            + values
            + b">"
            + notes
            + paragraph
            + b"</table:table-cell>"
        )

    def _split_cell(self, cell: Cell, column: int, edit: CellEdit) -> bytes:
        """The cell element standing for ``column`` replaced, the columns around it kept."""
        out = []
        before = column - cell.first
        after = cell.first + cell.count - column - 1
        name = b"table:number-columns-repeated"
        whole = cell.match.group(0)
        if before:
            out.append(_repeated(whole, cell, before, name))
        out.append(self._new_cell(cell, edit))
        if after:
            out.append(_repeated(whole, cell, after, name))
        return b"".join(out)

    def _patch_row(self, row_xml: bytes, edits: Iterable[CellEdit]) -> bytes:
        wanted = {edit.column: edit for edit in edits}
        out: list[bytes] = []
        position = 0
        last_end = 0
        start_end = row_xml.find(b">") + 1
        for cell in cells(row_xml[start_end:]):
            hit = [c for c in wanted if cell.first <= c < cell.first + cell.count]
            if not hit:
                continue
            s, e = cell.match.span()
            s, e = s + start_end, e + start_end
            out.append(row_xml[last_end:s])
            replaced = cell.match.group(0)
            # One column at a time, rightmost first: each split keeps the others' positions.
            for column in sorted(hit, reverse=True):
                replaced = _replace_in(replaced, cell, column, self, wanted.pop(column))
            out.append(replaced)
            last_end = e
            position = cell.first + cell.count
        if wanted:
            # Beyond the row's last cell: pad with empty cells up to each edited column.
            body_end = row_xml.rfind(b"</table:table-row>")
            if body_end < 0:  # a self-closing row
                head = row_xml[:-2] + b">"
                out.append(head[last_end:] if last_end else head)
                tail = b"</table:table-row>"
                last_end = len(row_xml)
            else:
                out.append(row_xml[last_end:body_end])
                tail = row_xml[body_end:]
                last_end = len(row_xml)
            for column in sorted(wanted):
                gap = column - position
                if gap > 0:
                    out.append(_empty_cells(gap))
                empty = next(cells(b"<table:table-cell/>"))
                out.append(self._new_cell(empty, wanted[column]))
                position = column + 1
            out.append(tail)
            return b"".join(out)
        out.append(row_xml[last_end:])
        return b"".join(out)

    def run(self) -> list[bytes | memoryview]:
        """The table's content as pieces: the original between the rewritten rows."""
        by_row: dict[int, list[CellEdit]] = {}
        for edit in self.edits:
            by_row.setdefault(edit.row, []).append(edit)
        columns = {edit.column for edit in self.edits if isinstance(edit.value, dt.date)}
        pieces: list[bytes | memoryview] = []
        view = memoryview(self.content)
        last = self.table.start
        pending = sorted(by_row)
        for row in rows(self.content, self.table):
            body = row.match.group(0)
            if columns and _DATE_TYPE in body:
                self._learn_date_styles(body, columns)
            hit = [r for r in pending if row.first <= r < row.first + row.count]
            if not hit:
                continue
            start, end = row.match.span()
            pieces.append(view[last:start])
            pieces.append(self._split_row(row.first, row.count, body, hit, by_row))
            last = end
            pending = [r for r in pending if r not in hit]
        if pending:
            raise MalformedPart(
                f"la ligne {pending[0]} de la feuille « {self.table.name} » est introuvable", PART
            )
        pieces.append(view[last : self.table.end])
        return pieces

    def _learn_date_styles(self, body: bytes, columns: set[int]) -> None:
        start_end = body.find(b">") + 1
        for cell in cells(body[start_end:]):
            if _DATE_TYPE not in cell.attributes:
                continue
            style = _STYLE_RE.search(cell.attributes)
            if style is None:
                continue
            for column in columns & set(range(cell.first, cell.first + cell.count)):
                self.date_styles.setdefault(column, style.group(1) or style.group(2))

    def _split_row(
        self, first: int, count: int, body: bytes, hit: list[int], by_row: dict[int, list[CellEdit]]
    ) -> bytes:
        name = b"table:number-rows-repeated"
        if count == 1:
            return self._patch_row(body, by_row[first])
        out: list[bytes] = []
        single = _row_repeated(body, 1, name)
        position = first
        for number in sorted(hit):
            if number > position:
                out.append(_row_repeated(body, number - position, name))
            out.append(self._patch_row(single, by_row[number]))
            position = number + 1
        if first + count > position:
            out.append(_row_repeated(body, first + count - position, name))
        return b"".join(out)


def _replace_in(
    cell_xml: bytes, cell: Cell, column: int, patcher: _Patcher, edit: CellEdit
) -> bytes:
    """``cell_xml`` (the element standing for ``cell`` or already split) with ``column`` set."""
    parsed = list(cells(cell_xml))
    out = []
    for part in parsed:
        absolute = cell.first + part.first
        if absolute <= column < absolute + part.count:
            shifted = Cell(absolute, part.count, part.match)
            out.append(patcher._split_cell(shifted, column, edit))
        else:
            out.append(part.match.group(0))
    return b"".join(out)


def _repeated(whole: bytes, cell: Cell, n: int, name: bytes) -> bytes:
    end = whole.find(b">")
    head = whole[:end]
    closing = head.endswith(b"/")
    kind = b"<table:" + cell.match.group(1)
    attributes = head[len(kind) : -1 if closing else None]
    attributes = _with_repeat(attributes, _COLUMNS_REPEATED_RE, name, n)
    return kind + attributes + (b"/>" if closing else b">") + whole[end + 1 :]


def _row_repeated(body: bytes, n: int, name: bytes) -> bytes:
    end = body.find(b">")
    head = body[:end]
    closing = head.endswith(b"/")
    kind = b"<table:table-row"
    attributes = head[len(kind) : -1 if closing else None]
    attributes = _with_repeat(attributes, _ROWS_REPEATED_RE, name, n)
    return kind + attributes + (b"/>" if closing else b">") + body[end + 1 :]


def _empty_cells(n: int) -> bytes:
    if n == 1:
        return b"<table:table-cell/>"
    return b'<table:table-cell table:number-columns-repeated="' + str(n).encode() + b'"/>'


def patch_table(
    content: bytes | bytearray, table: Table, edits: Sequence[CellEdit]
) -> tuple[list[bytes | memoryview], bool]:
    """The table's content with ``edits`` written, as pieces, and whether our date style
    (``DATE_STYLES``) must be added to the automatic styles."""
    patcher = _Patcher(content, table, edits)
    pieces = patcher.run()
    return pieces, patcher.needs_date_style
