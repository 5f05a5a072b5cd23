"""The « Améliorations » sheet: the improvement decisions and what they answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from suivi_xlsx.domain.model import Origin
from suivi_xlsx.outputs.summary.lists import ListColumn, write_list
from suivi_xlsx.outputs.summary.stats import (
    Improvement,
    Status,
    YearlyStats,
)
from suivi_xlsx.outputs.summary.styles import Styles


def _improvement_kind(item: Improvement) -> str:
    return "Amélioration (PA)" if item.origin is Origin.PA else "Réclamation (FS)"


def _improvement_answer(item: Improvement) -> str | None:
    """What answers a complaint's dysfunction, or what a PA answers."""
    if item.origin is Origin.PA:
        return "Réclamation " + ", ".join(item.linked) if item.linked else None
    if item.missing_action:
        return "Aucune action corrective ni fiche PA"
    return "Fiche PA " + " ; ".join(item.linked) if item.linked else None


def improvements_sheet(sheet: Any, styles: Styles, stats: YearlyStats) -> None:
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
    write_list(
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
