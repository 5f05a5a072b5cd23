"""The « En cours » sheet: every entry still open at the reference date."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from suivi_xlsx.domain.findings import fr_date
from suivi_xlsx.outputs.summary.lists import ListColumn, origin_text, write_list
from suivi_xlsx.outputs.summary.stats import (
    Status,
    YearlyStats,
)
from suivi_xlsx.outputs.summary.styles import Styles


def open_sheet(sheet: Any, styles: Styles, stats: YearlyStats) -> None:
    items = stats.open_entries
    overdue = sum(1 for item in items if item.overdue)
    columns: list[ListColumn] = []
    if len(stats.agencies) > 1:
        columns.append(("Agence", 16, lambda i: i.agency, "text"))
    columns += [
        ("N° d'ordre", 14, lambda i: i.order_number, "text"),
        ("Date", 11, lambda i: i.received_on, "date"),
        ("Origine", 8, lambda i: origin_text(i.origin), "text"),
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
    write_list(
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
