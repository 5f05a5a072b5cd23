"""The « Délais » sheet: acknowledgement and answer delays, by origin and by person."""

from __future__ import annotations

from typing import Any

from suivi_xlsx.domain.model import Origin
from suivi_xlsx.outputs.summary.stats import (
    ORIGINS,
    Durations,
    YearlyStats,
)
from suivi_xlsx.outputs.summary.styles import (
    COLOURS,
    LINE,
    NAVY,
    Styles,
    ref,
    write_section,
    write_title,
)
from suivi_xlsx.outputs.summary.texts import (
    DELAYS,
    ORIGIN_LABELS,
    ack_delay_text,
    answer_delay_text,
    scope_subtitle,
)


def _durations_cells(
    sheet: Any, styles: Styles, row: int, column: int, durations: Durations, total: bool = False
) -> None:
    days = styles.days_total if total else styles.days
    number = styles.int_total if total else styles.int
    sheet.write_number(row, column, durations.count, number)
    for offset, value in enumerate((durations.median, durations.mean, durations.longest), 1):
        if value is None:
            sheet.write_string(row, column + offset, "n.d.", styles.na)
        else:
            sheet.write_number(row, column + offset, value, days if offset < 3 else number)


def delays_sheet(workbook: Any, sheet: Any, styles: Styles, stats: YearlyStats) -> None:
    total = stats.total
    several = len(stats.agencies) > 1
    write_title(sheet, styles, f"Délais de traitement — {stats.year}", scope_subtitle(stats))
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 7, 14)
    if several:
        sheet.set_column(1, 1, 22)

    # By origin.
    row = 3
    write_section(sheet, styles, row, "Par origine (jours, de la date à la clôture)", 5)
    row += 1
    headers = ["Origine", "Dossiers clôturés", "Délai médian", "Délai moyen", "Délai le plus long"]
    sheet.set_row(row, 30)
    for column, text in enumerate(headers):
        sheet.write_string(row, column, text, styles.th_left if column == 0 else styles.th)
    row += 1
    origin_first = row
    for origin in ORIGINS:
        sheet.write_string(row, 0, ORIGIN_LABELS[origin], styles.origin[origin])
        _durations_cells(sheet, styles, row, 1, total.handling_by_origin[origin])
        row += 1
    origin_last = row - 1
    sheet.write_string(row, 0, "Toutes origines", styles.label_total)
    _durations_cells(sheet, styles, row, 1, total.handling, total=True)
    row += 2

    # Complaints: regulatory delays.
    write_section(sheet, styles, row, "Réclamations (FS) : délais réglementaires", 5)
    row += 1
    headers = ["Délai", "Dans le délai", "Hors délai", "Délai en cours", "Taux dans le délai"]
    sheet.set_row(row, 30)
    for column, text in enumerate(headers):
        sheet.write_string(row, column, text, styles.th_left if column == 0 else styles.th)
    row += 1
    ack_text, answer_text = ack_delay_text(stats), answer_delay_text(stats)
    for label, share in (
        (f"Accusé de réception ({ack_text or 'délai de chaque agence'})", total.acknowledged),
        (f"Réponse ({answer_text or 'délai de chaque agence'})", total.answered),
    ):
        sheet.write_string(row, 0, label, styles.label)
        if share is None:
            for column in range(1, 5):
                sheet.write_string(row, column, "n.d.", styles.na)
        else:
            sheet.write_number(row, 1, share.met, styles.int)
            sheet.write_number(row, 2, share.missed, styles.int)
            sheet.write_number(row, 3, share.pending, styles.int)
            if share.ratio is None:
                sheet.write_string(row, 4, "n.d.", styles.na)
            else:
                sheet.write_formula(
                    row,
                    4,
                    f"={ref(row, 1)}/({ref(row, 1)}+{ref(row, 2)})",
                    styles.pct,
                    share.ratio,
                )
        row += 1
    row += 1

    # By owner (and agency when several).
    write_section(sheet, styles, row, "Par personne chargée du dossier", 8 if several else 7)
    row += 1
    headers = [
        "Personne chargée du dossier",
        *(["Agence"] if several else []),
        "Dossiers clôturés",
        "Délai médian",
        "Délai moyen",
        "Délai le plus long",
        "En cours",
        "dont en retard",
    ]
    sheet.set_row(row, 30)
    for column, text in enumerate(headers):
        sheet.write_string(
            row, column, text, styles.th_left if column < (2 if several else 1) else styles.th
        )
    row += 1
    owners = [
        (agency.label, owner)
        for agency in (stats.agencies if several else stats.agencies[:1])
        for owner in (agency.figures.by_owner if several else total.by_owner)
    ]
    owner_first = row
    for agency_label, owner in owners:
        column = 0
        sheet.write_string(row, column, owner.owner or "Non renseigné", styles.label)
        if several:
            column += 1
            sheet.write_string(row, column, agency_label, styles.label)
        _durations_cells(sheet, styles, row, column + 1, owner.handling)
        sheet.write_number(row, column + 5, owner.open, styles.int)
        sheet.write_number(row, column + 6, owner.overdue, styles.int)
        row += 1
    owner_last = row - 1

    sheet.freeze_panes(3, 0)
    # Charts below the tables, side by side (a wide sheet prints too small).
    row += 1
    sheet.insert_chart(
        row, 0, _origin_delay_chart(workbook, (origin_first, origin_last)), {"y_offset": 4}
    )
    named = [owner for _, owner in owners if owner.handling.count]
    if named and len(owners) <= 40:
        sheet.insert_chart(
            row,
            0,
            _owner_delay_chart(workbook, (owner_first, owner_last), len(owners), several),
            {"x_offset": 520, "y_offset": 4},
        )


def _origin_delay_chart(workbook: Any, rows: tuple[int, int]) -> Any:
    chart = workbook.add_chart({"type": "bar"})
    first, last = rows
    for column, colour in ((2, NAVY), (3, "#8EA9DB")):
        chart.add_series(
            {
                "name": [DELAYS, first - 1, column],
                "categories": [DELAYS, first, 0, last, 0],
                "values": [DELAYS, first, column, last, column],
                "fill": {"color": colour},
                "border": {"none": True},
                "gap": 80,
                "data_labels": {"value": True, "num_format": "0", "font": {"size": 8}},
            }
        )
    chart.set_title(
        {
            "name": "Délai de traitement par origine (jours)",
            "name_font": {"size": 12, "color": NAVY},
        }
    )
    chart.set_legend({"position": "bottom", "font": {"size": 9}})
    chart.set_y_axis({"reverse": True, "num_font": {"size": 9}})
    chart.set_x_axis({"major_gridlines": {"visible": True, "line": {"color": LINE}}})
    chart.set_chartarea({"border": {"none": True}})
    chart.set_size({"width": 480, "height": 260})
    return chart


def _owner_delay_chart(workbook: Any, rows: tuple[int, int], count: int, several: bool) -> Any:
    chart = workbook.add_chart({"type": "bar"})
    first, last = rows
    median = 3 if several else 2
    chart.add_series(
        {
            "name": [DELAYS, first - 1, median],
            "categories": [DELAYS, first, 0, last, 1 if several else 0],
            "values": [DELAYS, first, median, last, median],
            "fill": {"color": COLOURS[Origin.FS]},
            "border": {"none": True},
            "gap": 60,
            "data_labels": {"value": True, "num_format": "0", "font": {"size": 8}},
        }
    )
    chart.set_title(
        {"name": "Délai médian par personne (jours)", "name_font": {"size": 12, "color": NAVY}}
    )
    chart.set_legend({"none": True})
    chart.set_y_axis({"reverse": True, "num_font": {"size": 9}})
    chart.set_x_axis({"major_gridlines": {"visible": True, "line": {"color": LINE}}})
    chart.set_chartarea({"border": {"none": True}})
    chart.set_size({"width": 480, "height": max(220, 60 + 24 * count)})
    return chart
