"""The list sheets' table writer: one row per item, overdue rows marked, sized to fit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from suivi_xlsx.domain.model import Origin
from suivi_xlsx.outputs.files import EXCEL_EPOCH
from suivi_xlsx.outputs.summary.stats import (
    Status,
)
from suivi_xlsx.outputs.summary.styles import Cell, Styles, write_title
from suivi_xlsx.outputs.summary.texts import STATUS_LABELS

ListColumn = tuple[str, int, Callable[[Any], Cell], str]  # header, max width, value, kind


def write_list(
    sheet: Any,
    styles: Styles,
    title: str,
    subtitle: str,
    columns: Sequence[ListColumn],
    items: Sequence[Any],
    late: Callable[[Any], bool],
    status: Callable[[Any], Status] | None,
    empty: str,
) -> None:
    """A titled list with a filtered, frozen header; overdue rows tinted."""
    write_title(sheet, styles, title, subtitle)
    header_row = 3
    values = [[get(item) for _, _, get, _ in columns] for item in items]
    widths = []
    for column, (header, cap, _, _kind) in enumerate(columns):
        longest = max((_width(row[column]) for row in values), default=0)
        widths.append(max(min(max(longest, len(header) * 0.9), cap), 8) + 1)
        sheet.set_column(column, column, widths[column])
    sheet.set_row(header_row, 30)
    for column, (header, _, _, _) in enumerate(columns):
        sheet.write_string(header_row, column, header, styles.th_left)
    sheet.freeze_panes(header_row + 1, 0)
    sheet.repeat_rows(header_row)
    if not items:
        sheet.write_string(header_row + 1, 0, empty, styles.note)
        return
    sheet.autofilter(header_row, 0, header_row + len(items), len(columns) - 1)
    kinds = [kind for _, _, _, kind in columns]
    wrapped = [column for column, kind in enumerate(kinds) if kind == "wrap"]
    plain = [_list_format(styles, kind, late=False) for kind in kinds]
    tinted_formats = [_list_format(styles, kind, late=True) for kind in kinds]
    # Dates go out as Excel serial numbers with a date format: cheaper than write_datetime.
    writers = [
        sheet.write_string if kind in ("text", "wrap") else sheet.write_number for kind in kinds
    ]
    dates = [kind == "date" for kind in kinds]
    status_column = kinds.index("status") if "status" in kinds else -1
    write_string, write_blank, set_row = sheet.write_string, sheet.write_blank, sheet.set_row
    row = header_row
    for item, row_values in zip(items, values, strict=True):
        row += 1
        tinted = late(item)
        formats = tinted_formats if tinted else plain
        # Row heights for wrapped text: LibreOffice does not recompute them on opening.
        lines = max([_lines(row_values[c], widths[c]) for c in wrapped], default=1)
        if lines > 1:
            set_row(row, _LINE_HEIGHT * lines)
        for column, value in enumerate(row_values):
            if column == status_column and status is not None:
                state = status(item)
                write_string(row, column, STATUS_LABELS[state], styles.status[state])
            elif value is None:  # written all the same: the row's border and tint
                write_blank(row, column, None, formats[column])
            elif dates[column] and isinstance(value, dt.date):
                writers[column](row, column, value.toordinal() - EXCEL_EPOCH, formats[column])
            else:
                writers[column](row, column, value, formats[column])


def _list_format(styles: Styles, kind: str, *, late: bool) -> Any:
    return {
        "text": (styles.text, styles.text_late),
        "wrap": (styles.wrap, styles.wrap_late),
        "date": (styles.date, styles.date_late),
        "int": (styles.number, styles.number_late),
        "status": (styles.text, styles.text_late),
    }[kind][late]


_LINE_HEIGHT = 13.0  # points per line of 10-point text


def _lines(value: Cell, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` characters wide (a safe estimate)."""
    if not isinstance(value, str) or len(value) < width:
        return 1
    per_line = max(int(width * 1.15) - 1, 1)  # a column holds ~1.15 chars of 10-pt text per unit
    return sum(max(-(-len(part) // per_line), 1) for part in value.split("\n"))


def _width(value: Cell) -> float:
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 10
    if isinstance(value, str):
        return len(value)
    return len(f"{value:,}")


def origin_text(origin: Origin | None) -> str | None:
    return origin.value if origin is not None else None
