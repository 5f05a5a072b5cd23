"""suivi_xlsx from Python: load a register, check it, preview an update, yearly figures.

Usage: ``python examples/exemple_api.py [REGISTRE.xlsx]`` (the example register by default).
Nothing is written: the update is only planned, as ``suivi update --dry-run`` does.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections import Counter
from pathlib import Path

from suivi_xlsx import (
    CheckOptions,
    SuiviError,
    check_register,
    load_register,
    plan_update,
    yearly_stats,
)
from suivi_xlsx.domain.update import describe_plan

# The example's reference date; use dt.date.today() for your own register.
TODAY = dt.date(2026, 11, 25)


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else Path(__file__).with_name("registre-exemple.xlsx")
    try:
        register = load_register(path)
    except SuiviError as error:  # a French message saying what to do
        print(f"Erreur : {error.message}", file=sys.stderr)
        return 2

    # 1. What was read: one register sheet per year here.
    for sheet in register.sheets:
        print(
            f"Feuille « {sheet.name} » : en-tête ligne {sheet.header_row}, "
            f"{len(sheet.entries)} fiches"
        )

    # 2. The checks: findings are plain objects (code, severity, sheet, row, cell, message).
    report = check_register(register, CheckOptions(today=TODAY, soon_days=7))
    print(f"\n{report.entries} fiches contrôlées au {TODAY:%d/%m/%Y} :")
    for finding in report.findings:
        where = f"{finding.sheet}!{finding.cell or finding.row}"
        print(f"  {finding.severity.value:<13} {where:<8} {finding.code:<28} {finding.message}")
    print("Par gravité :", report.counts)
    print("Par code :", dict(Counter(f.code for f in report.findings).most_common()))
    late = [f.order_number for f in report.findings if f.code == "en-retard"]
    print("Dossiers en retard :", ", ".join(n or "sans numéro" for n in late))

    # 3. What `suivi update` would change (nothing is written here).
    plan = plan_update(register, today=TODAY)
    print("\nAperçu de la mise à jour :")
    for line in describe_plan(plan):
        print(f"  {line}")

    # 4. The figures of the annual summary.
    stats = yearly_stats([register], 2026, TODAY)
    figures = stats.total
    counts = figures.entries
    print(
        f"\nBilan 2026 : {counts.total} fiches (FS {counts.fs}, QS {counts.qs}, "
        f"PA {counts.pa}), {figures.open} en cours dont {figures.overdue} en retard."
    )
    if figures.handling.median is not None:
        print(f"Délai de traitement médian : {figures.handling.median:g} jours.")
    if figures.answered is not None and figures.answered.ratio is not None:
        print(f"Réclamations répondues dans les 2 mois : {figures.answered.ratio:.0%}.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
