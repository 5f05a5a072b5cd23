"""The bilan's look: one palette, the workbook's formats, titles and section bars."""

from __future__ import annotations

import datetime as dt
from typing import Any

from suivi_xlsx.domain.a1 import column_letter
from suivi_xlsx.domain.model import Origin
from suivi_xlsx.outputs.summary.stats import (
    Status,
)

# One palette everywhere: tables, charts and statuses.
NAVY = "#1F3864"
GREY = "#595959"
LINE = "#D9D9D9"
COLOURS = {Origin.FS: "#2E75B6", Origin.QS: "#70AD47", Origin.PA: "#ED7D31", None: "#A5A5A5"}
PREVIOUS = "#404040"
STATUS_STYLE = {
    Status.OVERDUE: ("#9C0006", "#FFC7CE"),
    Status.OPEN: ("#7F6000", "#FFEB9C"),
    Status.CLOSED: ("#006100", "#C6EFCE"),
}
LATE_FILL = "#FDE9E9"

Cell = str | int | float | dt.date | None


class Styles:
    """The workbook's formats, created once."""

    def __init__(self, workbook: Any) -> None:
        add = workbook.add_format
        base = {"font_name": "Calibri", "font_size": 10, "valign": "vcenter"}
        self.base = base
        self.title = add({**base, "bold": True, "font_size": 18, "font_color": NAVY})
        self.subtitle = add({**base, "font_size": 11, "font_color": GREY})
        self.note = add({**base, "italic": True, "font_size": 9, "font_color": GREY})
        self.section = add(
            {**base, "bold": True, "font_size": 11, "font_color": NAVY, "bottom": 2}
            | {"bottom_color": NAVY}
        )
        self.section_fill = add({**base, "bottom": 2, "bottom_color": NAVY})
        header = {**base, "bold": True, "font_color": "#FFFFFF", "bg_color": NAVY}
        header |= {"text_wrap": True, "border": 1, "border_color": "#FFFFFF"}
        self.th = add({**header, "align": "center"})
        self.th_left = add({**header, "align": "left"})
        row = {**base, "bottom": 1, "bottom_color": LINE}
        total = {**base, "bold": True, "top": 1, "bottom": 2, "top_color": NAVY}
        total["bottom_color"] = NAVY
        self.label = add(row)
        self.label_detail = add({**row, "indent": 1, "font_color": GREY})
        self.label_total = add(total)
        self.int = add({**row, "num_format": "#,##0"})
        self.int_detail = add({**row, "num_format": "#,##0", "font_color": GREY})
        self.int_total = add({**total, "num_format": "#,##0"})
        self.pct = add({**row, "num_format": "0%", "bold": True})
        self.days = add({**row, "num_format": "0.0"})
        self.days_total = add({**total, "num_format": "0.0"})
        self.na = add({**row, "italic": True, "font_color": GREY, "align": "right"})
        self.origin = {
            origin: add({**row, "bold": True, "font_color": colour})
            for origin, colour in COLOURS.items()
        }
        # List sheets: plain and overdue variants of each cell kind.
        cell = {**base, "valign": "top", "bottom": 1, "bottom_color": LINE}
        late = {**cell, "bg_color": LATE_FILL}
        self.text = add(cell)
        self.text_late = add(late)
        self.wrap = add({**cell, "text_wrap": True})
        self.wrap_late = add({**late, "text_wrap": True})
        self.date = add({**cell, "num_format": "dd/mm/yyyy", "align": "left"})
        self.date_late = add({**late, "num_format": "dd/mm/yyyy", "align": "left"})
        self.number = add({**cell, "num_format": "#,##0"})
        self.number_late = add(
            {**late, "num_format": "#,##0", "bold": True, "font_color": "#9C0006"}
        )
        self.status = {
            status: add({**cell, "bold": True, "font_color": fg, "bg_color": bg, "align": "center"})
            for status, (fg, bg) in STATUS_STYLE.items()
        }


def write_title(sheet: Any, styles: Styles, title: str, subtitle: str) -> None:
    sheet.set_row(0, 28)
    sheet.write_string(0, 0, title, styles.title)
    sheet.write_string(1, 0, subtitle, styles.subtitle)


def write_section(sheet: Any, styles: Styles, row: int, text: str, width: int) -> None:
    sheet.set_row(row, 20)
    sheet.write_string(row, 0, text, styles.section)
    for column in range(1, width):
        sheet.write_blank(row, column, None, styles.section_fill)


def ref(row: int, column: int, *, absolute: bool = False) -> str:
    """A1 reference of a cell, as chart series and formulas name it."""
    if absolute:
        return f"${column_letter(column)}${row + 1}"
    return f"{column_letter(column)}{row + 1}"
