"""Build small fixture workbooks in tests (openpyxl), so no test depends on an opaque file.

``make_register(path, [ {Column.DATE: date(2025, 3, 5), ...}, ... ])`` writes a register sheet
with the seed's headers (or the ones given); ``make_workbook(path, {"Feuille": [[...], ...]})``
writes rows verbatim, for messy layouts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from suivi_xlsx.domain.model import HEADERS, SEED_COLUMNS, Column

Row = Mapping[Column, object]


def make_workbook(path: Path, sheets: Mapping[str, Sequence[Sequence[object]]]) -> Path:
    """Write each sheet's rows verbatim (``None`` = empty cell). Dates get ``dd/mm/yyyy``."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r, values in enumerate(rows, start=1):
            for c, value in enumerate(values, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)  # type: ignore[arg-type]
                if isinstance(value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
    wb.save(path)
    return path


def register_rows(
    rows: Sequence[Row],
    *,
    columns: Sequence[Column] = SEED_COLUMNS,
    headers: Sequence[str] | None = None,
    title_rows: Sequence[Sequence[object]] = (),
) -> list[list[object]]:
    """Title rows, then the header, then one line per entry mapped onto ``columns``."""
    header = list(headers) if headers is not None else [HEADERS[c] for c in columns]
    out: list[list[object]] = [list(t) for t in title_rows]
    out.append(list(header))
    for row in rows:
        out.append([row.get(c) for c in columns])
    return out


def make_register(
    path: Path,
    rows: Sequence[Row],
    *,
    sheet: str = "Registre",
    columns: Sequence[Column] = SEED_COLUMNS,
    headers: Sequence[str] | None = None,
    title_rows: Sequence[Sequence[object]] = (),
    more_sheets: Mapping[str, Sequence[Sequence[object]]] | None = None,
) -> Path:
    """A workbook with one register sheet (plus ``more_sheets`` verbatim)."""
    sheets: dict[str, Sequence[Sequence[object]]] = {
        sheet: register_rows(rows, columns=columns, headers=headers, title_rows=title_rows)
    }
    sheets.update(more_sheets or {})
    return make_workbook(path, sheets)


def entry(
    date: dt.date | str | None = dt.date(2025, 3, 5),
    *,
    origin: str | None = "FS",
    number: str | None = None,
    issuer: str | None = "DUPONT Marie",
    subject: str | None = "Retard de l'examinateur",
    owner: str | None = "Mme Martin",
    due: dt.date | str | None = None,
    closed: dt.date | str | None = None,
    follow_up: str | None = None,
    year: int | str | None = None,
    **more: object,
) -> dict[Column, object]:
    """One entry row with sensible defaults; ``more`` takes other columns by enum name,
    e.g. ``ack_date=date(...)``, ``decision="rejet total"``."""
    row: dict[Column, object] = {
        Column.YEAR: year
        if year is not None
        else (date.year if isinstance(date, dt.date) else None),
        Column.DATE: date,
        Column.ISSUER: issuer,
        Column.ORDER_NUMBER: number,
        Column.ORIGIN: origin,
        Column.SUBJECT: subject,
        Column.FOLLOW_UP: follow_up,
        Column.OWNER: owner,
        Column.DUE_DATE: due,
        Column.CLOSED_ON: closed,
    }
    for name, value in more.items():
        row[Column[name.upper()]] = value
    return row


def docx_lines(document: Any) -> list[str]:
    """The paragraphs of a python-docx ``document`` in reading order, the letter head's table
    included (its empty cells left out)."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    lines: list[str] = []
    for child in document.element.body.iterchildren():
        if child.tag.endswith("}p"):
            lines.append(Paragraph(child, document).text)
        elif child.tag.endswith("}tbl"):
            for row in Table(child, document).rows:
                for cell in row.cells:
                    lines.extend(p.text for p in cell.paragraphs if p.text)
    return lines
