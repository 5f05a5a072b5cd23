"""The « Par mois » sheet: entries received each month, by origin, with its chart."""

from __future__ import annotations

from typing import Any

from suivi_xlsx.domain.model import Origin
from suivi_xlsx.outputs.summary.stats import (
    OriginCounts,
    YearlyStats,
)
from suivi_xlsx.outputs.summary.styles import (
    COLOURS,
    LINE,
    NAVY,
    PREVIOUS,
    Styles,
    ref,
    write_title,
)
from suivi_xlsx.outputs.summary.texts import (
    MONTHLY,
    MONTHS,
    origin_label,
    origin_rows,
    scope_subtitle,
)

_MONTH_HEADER_ROW = 3
_MONTH_FIRST_ROW = 4


def _month_columns(stats: YearlyStats) -> list[Origin | None]:
    return origin_rows(stats)


def monthly_chart(workbook: Any, stats: YearlyStats, *, compact: bool = False) -> Any:
    """Stacked monthly columns by origin (+ the previous year's totals as a line)."""
    chart = workbook.add_chart({"type": "column", "subtype": "stacked"})
    origins = _month_columns(stats)
    last = _MONTH_FIRST_ROW + 11
    for column, origin in enumerate(origins, start=1):
        chart.add_series(
            {
                "name": _short_origin(origin) if compact else [MONTHLY, _MONTH_HEADER_ROW, column],
                "categories": [MONTHLY, _MONTH_FIRST_ROW, 0, last, 0],
                "values": [MONTHLY, _MONTH_FIRST_ROW, column, last, column],
                "fill": {"color": COLOURS[origin]},
                "border": {"none": True},
                "gap": 60,
            }
        )
    if stats.total.previous_monthly is not None:
        column = len(origins) + 2
        line = workbook.add_chart({"type": "line"})
        line.add_series(
            {
                "name": str(stats.year - 1) if compact else [MONTHLY, _MONTH_HEADER_ROW, column],
                "categories": [MONTHLY, _MONTH_FIRST_ROW, 0, last, 0],
                "values": [MONTHLY, _MONTH_FIRST_ROW, column, last, column],
                "line": {"color": PREVIOUS, "width": 2, "dash_type": "dash"},
                "marker": {"type": "circle", "size": 5, "fill": {"color": PREVIOUS}},
            }
        )
        chart.combine(line)
    title = f"Entrées par mois en {stats.year}"
    if stats.total.previous_monthly is not None:
        title += f" (pointillés : {stats.year - 1})"
    chart.set_title({"name": title, "name_font": {"size": 12, "color": NAVY}})
    chart.set_legend({"position": "top" if compact else "bottom", "font": {"size": 9}})
    chart.set_x_axis({"num_font": {"size": 8, "rotation": -45 if compact else 0}})
    months = [*stats.total.monthly, *(stats.total.previous_monthly or ())]
    chart.set_y_axis(
        {
            "major_gridlines": {"visible": True, "line": {"color": LINE}},
            "num_font": {"size": 8},
            **whole_number_axis(max((month.total for month in months), default=0)),
        }
    )
    chart.set_chartarea({"border": {"none": True}})
    chart.set_size({"width": 480, "height": 300} if compact else {"width": 720, "height": 300})
    return chart


def whole_number_axis(highest: int) -> dict[str, Any]:
    """A value axis that counts entries: from 0, in whole round steps (1, 2, 5, 10, 20, 25,
    50…; never « 0,5 fiche »), about six gridlines whatever the largest count."""
    step, scale = 1, 1
    while highest > 6 * step:
        for factor in (2, 5, 10):
            step = factor * scale
            if highest <= 6 * step:
                break
        else:
            scale *= 10
            step = scale
    top = max(step, -(-highest // step) * step)
    return {"min": 0, "max": top, "major_unit": step, "num_format": "0"}


def _short_origin(origin: Origin | None) -> str:
    return origin.value if origin is not None else "Autre"


def monthly_sheet(workbook: Any, sheet: Any, styles: Styles, stats: YearlyStats) -> None:
    total = stats.total
    origins = _month_columns(stats)
    previous = total.previous_monthly
    write_title(sheet, styles, f"Entrées par mois — {stats.year}", scope_subtitle(stats))
    headers = ["Mois", *(origin_label(o) for o in origins), f"Total {stats.year}"]
    if previous is not None:
        headers += [f"Total {stats.year - 1}", "Écart"]
    sheet.set_column(0, 0, 14)
    sheet.set_column(1, len(headers) - 1, 16)
    sheet.set_row(_MONTH_HEADER_ROW, 40)
    for column, text in enumerate(headers):
        sheet.write_string(
            _MONTH_HEADER_ROW, column, text, styles.th_left if column == 0 else styles.th
        )
    sheet.freeze_panes(_MONTH_HEADER_ROW + 1, 1)
    total_column = len(origins) + 1
    row = _MONTH_FIRST_ROW
    for month in range(12):
        counts = total.monthly[month]
        sheet.write_string(row, 0, MONTHS[month].capitalize(), styles.label)
        for column, origin in enumerate(origins, start=1):
            sheet.write_number(row, column, counts.of(origin), styles.int)
        sheet.write_formula(
            row,
            total_column,
            f"=SUM({ref(row, 1)}:{ref(row, total_column - 1)})",
            styles.int,
            counts.total,
        )
        if previous is not None:
            sheet.write_number(row, total_column + 1, previous[month].total, styles.int)
            sheet.write_formula(
                row,
                total_column + 2,
                f"={ref(row, total_column)}-{ref(row, total_column + 1)}",
                styles.int,
                counts.total - previous[month].total,
            )
        row += 1
    sheet.write_string(row, 0, "Total", styles.label_total)
    sums = [total.entries.of(o) for o in origins] + [total.entries.total]
    if previous is not None:
        before = sum((m for m in previous), OriginCounts()).total
        sums += [before, total.entries.total - before]
    for column, value in enumerate(sums, start=1):
        formula = f"=SUM({ref(_MONTH_FIRST_ROW, column)}:{ref(row - 1, column)})"
        sheet.write_formula(row, column, formula, styles.int_total, value)
    row += 2
    sheet.insert_chart(row, 0, monthly_chart(workbook, stats), {"x_offset": 4, "y_offset": 4})
    row += 19
    if len(stats.agencies) > 1:
        _agency_months(sheet, styles, row, stats)


def _agency_months(sheet: Any, styles: Styles, row: int, stats: YearlyStats) -> None:
    sheet.write_string(row, 0, "Entrées par agence et par mois", styles.section)
    row += 1
    headers = ["Mois", *(a.label for a in stats.agencies), "Ensemble"]
    sheet.set_row(row, 30)
    for column, text in enumerate(headers):
        sheet.write_string(row, column, text, styles.th_left if column == 0 else styles.th)
    row += 1
    first = row
    last_column = len(stats.agencies) + 1
    for month in range(12):
        sheet.write_string(row, 0, MONTHS[month].capitalize(), styles.label)
        for column, agency in enumerate(stats.agencies, start=1):
            sheet.write_number(row, column, agency.figures.monthly[month].total, styles.int)
        sheet.write_formula(
            row,
            last_column,
            f"=SUM({ref(row, 1)}:{ref(row, last_column - 1)})",
            styles.int,
            stats.total.monthly[month].total,
        )
        row += 1
    sheet.write_string(row, 0, "Total", styles.label_total)
    values = [a.figures.entries.total for a in stats.agencies] + [stats.total.entries.total]
    for column, value in enumerate(values, start=1):
        formula = f"=SUM({ref(first, column)}:{ref(row - 1, column)})"
        sheet.write_formula(row, column, formula, styles.int_total, value)
