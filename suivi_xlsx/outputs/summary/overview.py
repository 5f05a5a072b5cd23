"""The « Synthèse » sheet: the year's figures by origin and agency, and its pie chart."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from suivi_xlsx.domain.findings import fr_date
from suivi_xlsx.outputs.summary.months import monthly_chart
from suivi_xlsx.outputs.summary.stats import (
    Figures,
    Share,
    YearlyStats,
)
from suivi_xlsx.outputs.summary.styles import COLOURS, NAVY, Styles, ref, write_section, write_title
from suivi_xlsx.outputs.summary.texts import (
    OVERVIEW,
    ack_delay_text,
    answer_delay_text,
    delays_note_text,
    files_text,
    origin_label,
    origin_rows,
    scope_columns,
    undated_text,
    within,
)

Getter = Callable[[Figures], "float | int | None"]


def _share_ratio(pick: Callable[[Figures], Share | None]) -> Getter:
    def get(figures: Figures) -> float | None:
        share = pick(figures)
        return share.ratio if share is not None else None

    return get


def _share_measured(pick: Callable[[Figures], Share | None]) -> Getter:
    def get(figures: Figures) -> int | None:
        share = pick(figures)
        return share.measured if share is not None else None

    return get


def _share_count(pick: Callable[[Figures], Share | None], count: Callable[[Share], int]) -> Getter:
    def get(figures: Figures) -> int | None:
        share = pick(figures)
        return count(share) if share is not None else None

    return get


def overview_sheet(workbook: Any, sheet: Any, styles: Styles, stats: YearlyStats) -> None:
    scopes = scope_columns(stats)
    width = 1 + len(scopes)
    sheet.set_column(0, 0, 46)
    sheet.set_column(1, len(scopes), 14)
    subtitle = "Registre des réclamations et suivi qualité — " + (
        stats.agencies[0].label
        if len(stats.agencies) == 1
        else f"{len(stats.agencies)} agences consolidées"
    )
    write_title(sheet, styles, f"Bilan annuel {stats.year}", subtitle)
    sheet.write_string(
        2, 0, f"Situation au {fr_date(stats.today)} · {files_text(stats.files)}", styles.note
    )
    sheet.freeze_panes(4, 0)
    sheet.set_row(3, 30)
    sheet.write_string(3, 0, "Indicateur", styles.th_left)
    for column, (name, _) in enumerate(scopes, start=1):
        sheet.write_string(3, column, name, styles.th)

    row = 4
    write_section(sheet, styles, row, f"Entrées de l'année {stats.year}", width)
    row += 1
    first = row
    for origin in origin_rows(stats):
        sheet.write_string(row, 0, origin_label(origin), styles.origin[origin])
        for column, (_, figures) in enumerate(scopes, start=1):
            sheet.write_number(row, column, figures.entries.of(origin), styles.int)
        row += 1
    last = row - 1
    sheet.write_string(row, 0, "Total", styles.label_total)
    for column, (_, figures) in enumerate(scopes, start=1):
        sheet.write_formula(
            row,
            column,
            f"=SUM({ref(first, column)}:{ref(last, column)})",
            styles.int_total,
            figures.entries.total,
        )
    pie_rows = (first, last)
    row += 2

    rows: list[tuple[str, Getter, Any, bool]] = [
        ("En cours", lambda f: f.open, styles.int, False),
        (
            "dont en retard (échéance, accusé de réception ou réponse)",
            lambda f: f.overdue,
            styles.int_detail,
            True,
        ),
        ("Clôturées", lambda f: f.closed, styles.int, False),
        ("dont clôturées après l'échéance", lambda f: f.closed_late, styles.int_detail, True),
    ]
    row = _figure_rows(sheet, styles, row, f"Suivi au {fr_date(stats.today)}", rows, scopes)
    ack_within = within(ack_delay_text(stats))
    answer_within = within(answer_delay_text(stats))
    rows = [
        (
            f"Accusé de réception {ack_within}",
            _share_ratio(lambda f: f.acknowledged),
            styles.pct,
            False,
        ),
        (
            "réclamations mesurées",
            _share_measured(lambda f: f.acknowledged),
            styles.int_detail,
            True,
        ),
        (
            "dont accusé de réception après le délai",
            _share_count(lambda f: f.acknowledged, lambda s: s.late),
            styles.int_detail,
            True,
        ),
        (
            "dont sans accusé de réception daté, délai dépassé",
            _share_count(lambda f: f.acknowledged, lambda s: s.not_done + s.undated),
            styles.int_detail,
            True,
        ),
        (f"Réponse {answer_within}", _share_ratio(lambda f: f.answered), styles.pct, False),
        ("réclamations mesurées", _share_measured(lambda f: f.answered), styles.int_detail, True),
        (
            "dont réponse après le délai",
            _share_count(lambda f: f.answered, lambda s: s.late),
            styles.int_detail,
            True,
        ),
        (
            "dont sans réponse datée, délai dépassé",
            _share_count(lambda f: f.answered, lambda s: s.not_done + s.undated),
            styles.int_detail,
            True,
        ),
    ]
    row = _figure_rows(sheet, styles, row, "Réclamations : délais réglementaires", rows, scopes)
    rows = [
        (
            "Réclamations avec dysfonctionnement",
            lambda f: f.dysfunctions,
            styles.int,
            False,
        ),
        (
            "dont sans action corrective ni fiche PA",
            lambda f: f.without_action,
            styles.int_detail,
            True,
        ),
    ]
    row = _figure_rows(sheet, styles, row, "Réclamations : actions correctives", rows, scopes)
    rows = [
        ("Délai médian (jours)", lambda f: f.handling.median, styles.days, False),
        ("Délai moyen (jours)", lambda f: f.handling.mean, styles.days, False),
        ("dossiers clôturés mesurés", lambda f: f.handling.count, styles.int_detail, True),
    ]
    row = _figure_rows(sheet, styles, row, "Délai de traitement (clôture − date)", rows, scopes)

    notes = [
        "Délai de traitement : de la date de l'entrée à sa clôture, en jours.",
        "Accusé de réception : date d'AR ou de réponse.",
        "Réponse : date de réponse, sinon date de clôture.",
        "Réclamations dont le délai court encore : non mesurées.",
        "Action corrective : dans la réclamation, ou fiche PA qui cite son numéro d'ordre.",
        "n.d. : non disponible (colonne absente ou rien à mesurer).",
    ]
    if any(delays.working_days for delays in stats.delays):
        notes.append(
            "Jours ouvrables : du lundi au samedi, hors jours fériés ; un délai qui tombe un "
            "jour non ouvrable passe au jour ouvrable suivant."
        )
    delays_note = delays_note_text(stats)
    if delays_note is not None:
        notes.append(delays_note)
    undated = undated_text(stats)
    if undated is not None:
        notes.append(undated)
    for note in notes:
        sheet.write_string(row, 0, note, styles.note)
        row += 1

    # Charts beside the table: the origins, then the months.
    column = width + 1
    sheet.insert_chart(
        3, column, _pie_chart(workbook, stats, pie_rows), {"x_offset": 10, "y_offset": 0}
    )
    sheet.insert_chart(
        3,
        column,
        monthly_chart(workbook, stats, compact=True),
        {"x_offset": 10, "y_offset": 290},
    )


def _figure_rows(
    sheet: Any,
    styles: Styles,
    row: int,
    title: str,
    rows: Sequence[tuple[str, Getter, Any, bool]],
    scopes: Sequence[tuple[str, Figures]],
) -> int:
    write_section(sheet, styles, row, title, 1 + len(scopes))
    row += 1
    for label, get, style, detail in rows:
        sheet.write_string(row, 0, label, styles.label_detail if detail else styles.label)
        for column, (_, figures) in enumerate(scopes, start=1):
            value = get(figures)
            if value is None:
                sheet.write_string(row, column, "n.d.", styles.na)
            else:
                sheet.write_number(row, column, value, style)
        row += 1
    return row + 1


def _pie_chart(workbook: Any, stats: YearlyStats, rows: tuple[int, int]) -> Any:
    chart = workbook.add_chart({"type": "pie"})
    first, last = rows
    origins = origin_rows(stats)
    chart.add_series(
        {
            "name": "Entrées par origine",
            "categories": [OVERVIEW, first, 0, last, 0],
            "values": [OVERVIEW, first, 1, last, 1],
            "points": [
                {"fill": {"color": COLOURS[o]}, "border": {"color": "#FFFFFF"}} for o in origins
            ],
            "data_labels": {
                "value": True,
                "percentage": True,
                "separator": "\n",
                "position": "best_fit",
                "font": {"size": 9, "bold": True, "color": "#FFFFFF"},
            },
        }
    )
    chart.set_title({"name": "Entrées par origine", "name_font": {"size": 12, "color": NAVY}})
    chart.set_legend({"position": "right", "font": {"size": 9}})
    chart.set_chartarea({"border": {"none": True}})
    chart.set_size({"width": 460, "height": 270})
    return chart
