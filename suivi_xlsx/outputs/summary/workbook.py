"""The annual summary workbook (*bilan annuel*), written with xlsxwriter from ``YearlyStats``.

Sheets: Synthèse, Par mois, Délais, En cours, Améliorations. Real numbers in cells (totals are
formulas written with their value), French labels and formats, native charts, print set-up.
The workbook is written to a temporary file beside the output and moved into place only once
complete, so a failure leaves nothing behind; the same figures give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from suivi_xlsx.domain.findings import FRENCH_MONTHS, fr_date
from suivi_xlsx.domain.model import Origin
from suivi_xlsx.errors import RefusedError
from suivi_xlsx.outputs import files as output
from suivi_xlsx.outputs.files import EXCEL_EPOCH, new_workbook, write_new_file
from suivi_xlsx.outputs.summary.stats import (
    ORIGINS,
    Durations,
    Figures,
    Improvement,
    OriginCounts,
    Share,
    Status,
    YearlyStats,
)

MONTHS = FRENCH_MONTHS
ORIGIN_LABELS = {
    Origin.FS: "Réclamations (FS)",
    Origin.QS: "Questionnaires de satisfaction (QS)",
    Origin.PA: "Décisions d'amélioration (PA)",
}
OTHER_LABEL = "Origine non renseignée"
STATUS_LABELS = {Status.OPEN: "En cours", Status.OVERDUE: "En retard", Status.CLOSED: "Clôturée"}

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

# Sheet names (also used in chart references).
OVERVIEW, MONTHLY, DELAYS, OPEN, IMPROVEMENTS = (
    "Synthèse",
    "Par mois",
    "Délais",
    "En cours",
    "Améliorations",
)

Cell = str | int | float | dt.date | None


def write_summary(stats: YearlyStats, out: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write the annual summary of ``stats`` to ``out`` (an .xlsx file) and return its path.

    Refuses (``RefusedError``, nothing written) an empty year, and an existing ``out`` unless
    ``force``.
    """
    target = Path(out)
    if stats.is_empty:
        raise RefusedError(_empty_year_message(stats))
    write_new_file(target, lambda temp: _write_workbook(stats, temp), force=force)
    return target


def existing_output(target: Path) -> RefusedError:
    """The refusal to overwrite an existing summary without ``force``."""
    return output.existing_output(target)


def _empty_year_message(stats: YearlyStats) -> str:
    files = ", ".join(f"« {name} »" for name in stats.files) or "les registres donnés"
    message = f"aucune entrée datée de {stats.year} dans {files}"
    if stats.years:
        message += f" (années présentes : {', '.join(str(y) for y in stats.years)})"
    return message + " : vérifiez l'année demandée (--year) ou les colonnes Date."


# --- workbook ------------------------------------------------------------------------------------


class _Styles:
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


def _write_workbook(stats: YearlyStats, path: Path) -> None:
    # Not constant_memory: shared strings, as Excel writes them, made the 150k-cell lists of a
    # 100k-row register a little faster to write (3.3 s → 3.1 s, median of 3), for ~5 MB more.
    title = f"Bilan annuel {stats.year}"
    subject = "Registre des réclamations et suivi qualité"
    workbook = new_workbook(path, title=title, subject=subject, day=stats.today)
    try:
        styles = _Styles(workbook)
        sheets = {
            name: workbook.add_worksheet(name)
            for name in (OVERVIEW, MONTHLY, DELAYS, OPEN, IMPROVEMENTS)
        }
        for name, sheet in sheets.items():
            _print_setup(sheet, stats, title, one_page=name in (OVERVIEW, MONTHLY, DELAYS))
        _overview_sheet(workbook, sheets[OVERVIEW], styles, stats)
        _monthly_sheet(workbook, sheets[MONTHLY], styles, stats)
        _delays_sheet(workbook, sheets[DELAYS], styles, stats)
        _open_sheet(sheets[OPEN], styles, stats)
        _improvements_sheet(sheets[IMPROVEMENTS], styles, stats)
        sheets[OVERVIEW].activate()
    finally:
        workbook.close()


def _print_setup(sheet: Any, stats: YearlyStats, title: str, *, one_page: bool) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    # Figures on one page; lists one page wide, as many pages tall as needed.
    sheet.fit_to_pages(1, 1 if one_page else 0)
    sheet.set_margins(left=0.5, right=0.5, top=0.8, bottom=0.7)
    sheet.set_header(f'&C&"Calibri,Bold"&12{_escape_header(title)}', {"margin": 0.3})
    scope = _escape_header(_scope_text(stats))
    if scope[:1].isdigit():  # "&8" then a digit would read as another font size
        scope = " " + scope
    sheet.set_footer(f"&L&8{scope}&R&8Page &P / &N", {"margin": 0.3})
    sheet.hide_gridlines(2)
    sheet.set_zoom(100)


def _escape_header(text: str) -> str:
    return text.replace("&", "&&")


def _scope_text(stats: YearlyStats) -> str:
    if len(stats.agencies) == 1:
        return stats.agencies[0].label
    return f"Réseau de {len(stats.agencies)} agences"


def _title(sheet: Any, styles: _Styles, title: str, subtitle: str) -> None:
    sheet.set_row(0, 28)
    sheet.write_string(0, 0, title, styles.title)
    sheet.write_string(1, 0, subtitle, styles.subtitle)


def _section(sheet: Any, styles: _Styles, row: int, text: str, width: int) -> None:
    sheet.set_row(row, 20)
    sheet.write_string(row, 0, text, styles.section)
    for column in range(1, width):
        sheet.write_blank(row, column, None, styles.section_fill)


def _scopes(stats: YearlyStats) -> list[tuple[str, Figures]]:
    """Columns of the agency tables: the whole, then each agency when there are several."""
    if len(stats.agencies) == 1:
        return [(str(stats.year), stats.total)]
    return [("Ensemble", stats.total)] + [(a.label, a.figures) for a in stats.agencies]


def _origin_rows(stats: YearlyStats) -> list[Origin | None]:
    """FS, QS, PA, and the unknown origin only when some entry has one."""
    rows: list[Origin | None] = list(ORIGINS)
    if stats.total.entries.other:
        rows.append(None)
    return rows


def _origin_label(origin: Origin | None) -> str:
    return ORIGIN_LABELS[origin] if origin is not None else OTHER_LABEL


def _files_text(files: Sequence[str]) -> str:
    shown = ", ".join(files[:3]) + (f" et {len(files) - 3} autres" if len(files) > 3 else "")
    return f"{len(files)} fichier{'s' if len(files) > 1 else ''} : {shown}"


def ack_delay_text(stats: YearlyStats) -> str | None:
    """The acknowledgement delay all the registers share (« 10 jours », « 5 jours
    ouvrables »); ``None`` when their *Paramètres* differ."""
    texts = {delays.ack_text for delays in stats.delays}
    return texts.pop() if len(texts) == 1 else None


def answer_delay_text(stats: YearlyStats) -> str | None:
    """The answer delay all the registers share (« 2 mois »); ``None`` when they differ."""
    texts = {delays.answer_text for delays in stats.delays}
    return texts.pop() if len(texts) == 1 else None


def within(text: str | None) -> str:
    """« sous 10 jours », « sous 1 mois », or « dans le délai » (each register's own) when the
    registers' delays differ."""
    return f"sous {text}" if text is not None else "dans le délai"


def _delays_note(stats: YearlyStats) -> str | None:
    """Which delays each agency applies, when they differ from one another."""
    if ack_delay_text(stats) is not None and answer_delay_text(stats) is not None:
        return None
    parts = [
        f"{agency.label} : "
        + " ; ".join(f"accusé {d.ack_text}, réponse {d.answer_text}" for d in agency.delays)
        for agency in stats.agencies
    ]
    return "Délais de chaque registre (Paramètres) : " + " · ".join(parts) + "."


_UNDATED_SHOWN = 12  # places of undated entries listed in the note


def undated_text(stats: YearlyStats) -> str | None:
    """The note about entries without a readable Date that may belong to the year: how many,
    and where (sheet and rows, by file when several)."""
    if not stats.undated:
        return None
    groups: dict[tuple[str, str], list[int]] = {}
    for file, sheet, row in stats.undated_at[:_UNDATED_SHOWN]:
        groups.setdefault((file, sheet), []).append(row)
    several_files = len({file for file, _, _ in stats.undated_at}) > 1
    places = []
    for (file, sheet), rows in groups.items():
        where = f"{file}, " if several_files else ""
        noun = "ligne" if len(rows) == 1 else "lignes"
        places.append(f"{where}feuille « {sheet} » {noun} {', '.join(map(str, rows))}")
    more = "…" if len(stats.undated_at) > _UNDATED_SHOWN else ""
    count = (
        f"{stats.undated} entrées sans date lisible, non comptées"
        if stats.undated > 1
        else "1 entrée sans date lisible, non comptée"
    )
    return f"{count} : {' ; '.join(places)}{more} (voir suivi-check)."


# --- Synthèse ------------------------------------------------------------------------------------

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


def _overview_sheet(workbook: Any, sheet: Any, styles: _Styles, stats: YearlyStats) -> None:
    scopes = _scopes(stats)
    width = 1 + len(scopes)
    sheet.set_column(0, 0, 46)
    sheet.set_column(1, len(scopes), 14)
    subtitle = "Registre des réclamations et suivi qualité — " + (
        stats.agencies[0].label
        if len(stats.agencies) == 1
        else f"{len(stats.agencies)} agences consolidées"
    )
    _title(sheet, styles, f"Bilan annuel {stats.year}", subtitle)
    sheet.write_string(
        2, 0, f"Situation au {fr_date(stats.today)} · {_files_text(stats.files)}", styles.note
    )
    sheet.freeze_panes(4, 0)
    sheet.set_row(3, 30)
    sheet.write_string(3, 0, "Indicateur", styles.th_left)
    for column, (name, _) in enumerate(scopes, start=1):
        sheet.write_string(3, column, name, styles.th)

    row = 4
    _section(sheet, styles, row, f"Entrées de l'année {stats.year}", width)
    row += 1
    first = row
    for origin in _origin_rows(stats):
        sheet.write_string(row, 0, _origin_label(origin), styles.origin[origin])
        for column, (_, figures) in enumerate(scopes, start=1):
            sheet.write_number(row, column, figures.entries.of(origin), styles.int)
        row += 1
    last = row - 1
    sheet.write_string(row, 0, "Total", styles.label_total)
    for column, (_, figures) in enumerate(scopes, start=1):
        sheet.write_formula(
            row,
            column,
            f"=SUM({_ref(first, column)}:{_ref(last, column)})",
            styles.int_total,
            figures.entries.total,
        )
    pie_rows = (first, last)
    row += 2

    rows: list[tuple[str, Getter, Any, bool]] = [
        ("En cours", lambda f: f.open, styles.int, False),
        ("dont en retard (échéance dépassée)", lambda f: f.overdue, styles.int_detail, True),
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
    delays_note = _delays_note(stats)
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
        _monthly_chart(workbook, stats, compact=True),
        {"x_offset": 10, "y_offset": 290},
    )


def _figure_rows(
    sheet: Any,
    styles: _Styles,
    row: int,
    title: str,
    rows: Sequence[tuple[str, Getter, Any, bool]],
    scopes: Sequence[tuple[str, Figures]],
) -> int:
    _section(sheet, styles, row, title, 1 + len(scopes))
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


def _ref(row: int, column: int, *, absolute: bool = False) -> str:
    from suivi_xlsx.domain.a1 import column_letter

    if absolute:
        return f"${column_letter(column)}${row + 1}"
    return f"{column_letter(column)}{row + 1}"


def _pie_chart(workbook: Any, stats: YearlyStats, rows: tuple[int, int]) -> Any:
    chart = workbook.add_chart({"type": "pie"})
    first, last = rows
    origins = _origin_rows(stats)
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


# --- Par mois ------------------------------------------------------------------------------------

_MONTH_HEADER_ROW = 3
_MONTH_FIRST_ROW = 4


def _month_columns(stats: YearlyStats) -> list[Origin | None]:
    return _origin_rows(stats)


def _monthly_chart(workbook: Any, stats: YearlyStats, *, compact: bool = False) -> Any:
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


def _monthly_sheet(workbook: Any, sheet: Any, styles: _Styles, stats: YearlyStats) -> None:
    total = stats.total
    origins = _month_columns(stats)
    previous = total.previous_monthly
    _title(sheet, styles, f"Entrées par mois — {stats.year}", _scope_subtitle(stats))
    headers = ["Mois", *(_origin_label(o) for o in origins), f"Total {stats.year}"]
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
            f"=SUM({_ref(row, 1)}:{_ref(row, total_column - 1)})",
            styles.int,
            counts.total,
        )
        if previous is not None:
            sheet.write_number(row, total_column + 1, previous[month].total, styles.int)
            sheet.write_formula(
                row,
                total_column + 2,
                f"={_ref(row, total_column)}-{_ref(row, total_column + 1)}",
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
        formula = f"=SUM({_ref(_MONTH_FIRST_ROW, column)}:{_ref(row - 1, column)})"
        sheet.write_formula(row, column, formula, styles.int_total, value)
    row += 2
    sheet.insert_chart(row, 0, _monthly_chart(workbook, stats), {"x_offset": 4, "y_offset": 4})
    row += 19
    if len(stats.agencies) > 1:
        _agency_months(sheet, styles, row, stats)


def _agency_months(sheet: Any, styles: _Styles, row: int, stats: YearlyStats) -> None:
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
            f"=SUM({_ref(row, 1)}:{_ref(row, last_column - 1)})",
            styles.int,
            stats.total.monthly[month].total,
        )
        row += 1
    sheet.write_string(row, 0, "Total", styles.label_total)
    values = [a.figures.entries.total for a in stats.agencies] + [stats.total.entries.total]
    for column, value in enumerate(values, start=1):
        formula = f"=SUM({_ref(first, column)}:{_ref(row - 1, column)})"
        sheet.write_formula(row, column, formula, styles.int_total, value)


def _scope_subtitle(stats: YearlyStats) -> str:
    return f"{_scope_text(stats)} · situation au {fr_date(stats.today)}"


# --- Délais --------------------------------------------------------------------------------------


def _durations_cells(
    sheet: Any, styles: _Styles, row: int, column: int, durations: Durations, total: bool = False
) -> None:
    days = styles.days_total if total else styles.days
    number = styles.int_total if total else styles.int
    sheet.write_number(row, column, durations.count, number)
    for offset, value in enumerate((durations.median, durations.mean, durations.longest), 1):
        if value is None:
            sheet.write_string(row, column + offset, "n.d.", styles.na)
        else:
            sheet.write_number(row, column + offset, value, days if offset < 3 else number)


def _delays_sheet(workbook: Any, sheet: Any, styles: _Styles, stats: YearlyStats) -> None:
    total = stats.total
    several = len(stats.agencies) > 1
    _title(sheet, styles, f"Délais de traitement — {stats.year}", _scope_subtitle(stats))
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 7, 14)
    if several:
        sheet.set_column(1, 1, 22)

    # By origin.
    row = 3
    _section(sheet, styles, row, "Par origine (jours, de la date à la clôture)", 5)
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
    _section(sheet, styles, row, "Réclamations (FS) : délais réglementaires", 5)
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
                    f"={_ref(row, 1)}/({_ref(row, 1)}+{_ref(row, 2)})",
                    styles.pct,
                    share.ratio,
                )
        row += 1
    row += 1

    # By owner (and agency when several).
    _section(sheet, styles, row, "Par personne chargée du dossier", 8 if several else 7)
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


# --- lists: En cours, Améliorations ------------------------------------------------------------

ListColumn = tuple[str, int, Callable[[Any], Cell], str]  # header, max width, value, kind


def _write_list(
    sheet: Any,
    styles: _Styles,
    title: str,
    subtitle: str,
    columns: Sequence[ListColumn],
    items: Sequence[Any],
    late: Callable[[Any], bool],
    status: Callable[[Any], Status] | None,
    empty: str,
) -> None:
    """A titled list with a filtered, frozen header; overdue rows tinted."""
    _title(sheet, styles, title, subtitle)
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


def _list_format(styles: _Styles, kind: str, *, late: bool) -> Any:
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


def _origin_text(origin: Origin | None) -> str | None:
    return origin.value if origin is not None else None


def _open_sheet(sheet: Any, styles: _Styles, stats: YearlyStats) -> None:
    items = stats.open_entries
    overdue = sum(1 for item in items if item.overdue)
    columns: list[ListColumn] = []
    if len(stats.agencies) > 1:
        columns.append(("Agence", 16, lambda i: i.agency, "text"))
    columns += [
        ("N° d'ordre", 14, lambda i: i.order_number, "text"),
        ("Date", 11, lambda i: i.received_on, "date"),
        ("Origine", 8, lambda i: _origin_text(i.origin), "text"),
        ("Émetteur", 24, lambda i: i.issuer, "text"),
        ("Objet", 48, lambda i: i.subject, "wrap"),
        ("Personne chargée", 20, lambda i: i.owner, "text"),
        ("Échéance", 11, lambda i: i.due_on, "date"),
        ("Ouvert depuis (jours)", 11, lambda i: i.days_open, "int"),
        ("Retard (jours)", 9, lambda i: i.days_late, "int"),
        ("Statut", 11, lambda i: None, "status"),
    ]
    item_late: Callable[[Any], bool] = lambda i: bool(i.overdue)  # noqa: E731
    item_status: Callable[[Any], Status] = lambda i: i.status  # noqa: E731
    _write_list(
        sheet,
        styles,
        f"Dossiers en cours au {fr_date(stats.today)}",
        f"{len(items)} dossier{'s' if len(items) != 1 else ''} de {stats.year} non clôturé"
        f"{'s' if len(items) != 1 else ''}, dont {overdue} en retard · du plus ancien au plus "
        "récent",
        columns,
        items,
        item_late,
        item_status,
        f"Aucun dossier de {stats.year} en cours au {fr_date(stats.today)}.",
    )


def _improvement_kind(item: Improvement) -> str:
    return "Amélioration (PA)" if item.origin is Origin.PA else "Réclamation (FS)"


def _improvement_answer(item: Improvement) -> str | None:
    """What answers a complaint's dysfunction, or what a PA answers."""
    if item.origin is Origin.PA:
        return "Réclamation " + ", ".join(item.linked) if item.linked else None
    if item.missing_action:
        return "Aucune action corrective ni fiche PA"
    return "Fiche PA " + " ; ".join(item.linked) if item.linked else None


def _improvements_sheet(sheet: Any, styles: _Styles, stats: YearlyStats) -> None:
    items = stats.improvements
    columns: list[ListColumn] = []
    if len(stats.agencies) > 1:
        columns.append(("Agence", 16, lambda i: i.agency, "text"))
    columns += [
        ("Type", 21, _improvement_kind, "text"),
        ("N° d'ordre", 13, lambda i: i.order_number, "text"),
        ("Date", 10, lambda i: i.received_on, "date"),
        ("Objet", 30, lambda i: i.subject, "wrap"),
        ("Dysfonctionnements", 22, lambda i: i.dysfunctions, "wrap"),
        ("Action corrective", 30, lambda i: i.action, "wrap"),
        ("Fiche PA / réclamation liée", 30, _improvement_answer, "wrap"),
        ("Suivi", 30, lambda i: i.follow_up, "wrap"),
        ("Personne chargée", 16, lambda i: i.owner, "text"),
        ("Échéance", 11, lambda i: i.due_on, "date"),
        ("Clôture", 11, lambda i: i.closed_on, "date"),
        ("Statut", 11, lambda i: None, "status"),
    ]
    done = sum(1 for item in items if item.status is Status.CLOSED)
    missing = stats.total.without_action
    # Tinted: overdue, or a dysfunction nothing answers.
    item_late: Callable[[Any], bool] = lambda i: (  # noqa: E731
        i.status is Status.OVERDUE or i.missing_action
    )
    item_status: Callable[[Any], Status] = lambda i: i.status  # noqa: E731
    _write_list(
        sheet,
        styles,
        f"Améliorations {stats.year}",
        f"Décisions d'amélioration (PA), réclamations avec dysfonctionnement ou action "
        f"corrective : {len(items)}, dont {done} clôturée{'s' if done != 1 else ''} ; "
        f"{missing} dysfonctionnement{'s' if missing > 1 else ''} sans action corrective",
        columns,
        items,
        item_late,
        item_status,
        f"Aucune décision d'amélioration ni action corrective enregistrée en {stats.year}.",
    )
