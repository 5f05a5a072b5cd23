"""The annual summary workbook (*bilan annuel*), written with xlsxwriter from ``YearlyStats``.

Sheets: Synthèse, Par mois, Délais, En cours, Améliorations, one module each. Real numbers in
cells (totals are formulas written with their value), French labels and formats, native charts,
print set-up. The workbook is written to a temporary file beside the output and moved into place
only once complete, so a failure leaves nothing behind; the same figures give the same bytes.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from suivi_xlsx.errors import RefusedError
from suivi_xlsx.outputs.files import new_workbook, write_new_file
from suivi_xlsx.outputs.summary.delays import delays_sheet
from suivi_xlsx.outputs.summary.improvements import improvements_sheet
from suivi_xlsx.outputs.summary.months import monthly_sheet
from suivi_xlsx.outputs.summary.open_items import open_sheet
from suivi_xlsx.outputs.summary.overview import overview_sheet
from suivi_xlsx.outputs.summary.stats import (
    YearlyStats,
)
from suivi_xlsx.outputs.summary.styles import Styles
from suivi_xlsx.outputs.summary.texts import (
    DELAYS,
    IMPROVEMENTS,
    MONTHLY,
    OPEN,
    OVERVIEW,
    scope_text,
)


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


def _empty_year_message(stats: YearlyStats) -> str:
    files = ", ".join(f"« {name} »" for name in stats.files) or "les registres donnés"
    message = f"aucune entrée datée de {stats.year} dans {files}"
    if stats.years:
        message += f" (années présentes : {', '.join(str(y) for y in stats.years)})"
    return message + " : vérifiez l'année demandée (--annee) ou les colonnes Date."


def _write_workbook(stats: YearlyStats, path: Path) -> None:
    # Not constant_memory: shared strings, as Excel writes them, made the 150k-cell lists of a
    # 100k-row register a little faster to write (3.3 s → 3.1 s, median of 3), for ~5 MB more.
    title = f"Bilan annuel {stats.year}"
    subject = "Registre des réclamations et suivi qualité"
    workbook = new_workbook(path, title=title, subject=subject, day=stats.today)
    try:
        styles = Styles(workbook)
        sheets = {
            name: workbook.add_worksheet(name)
            for name in (OVERVIEW, MONTHLY, DELAYS, OPEN, IMPROVEMENTS)
        }
        for name, sheet in sheets.items():
            _print_setup(sheet, stats, title, one_page=name in (OVERVIEW, MONTHLY, DELAYS))
        overview_sheet(workbook, sheets[OVERVIEW], styles, stats)
        monthly_sheet(workbook, sheets[MONTHLY], styles, stats)
        delays_sheet(workbook, sheets[DELAYS], styles, stats)
        open_sheet(sheets[OPEN], styles, stats)
        improvements_sheet(sheets[IMPROVEMENTS], styles, stats)
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
    scope = _escape_header(scope_text(stats))
    if scope[:1].isdigit():  # "&8" then a digit would read as another font size
        scope = " " + scope
    sheet.set_footer(f"&L&8{scope}&R&8Page &P / &N", {"margin": 0.3})
    sheet.hide_gridlines(2)
    sheet.set_zoom(100)


def _escape_header(text: str) -> str:
    return text.replace("&", "&&")
