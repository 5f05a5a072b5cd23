"""The bilan's words: labels, sheet names, and the notes every sheet (and the CLI) shares."""

from __future__ import annotations

from collections.abc import Sequence

from suivi_xlsx.domain.findings import FRENCH_MONTHS, fr_date
from suivi_xlsx.domain.model import Origin
from suivi_xlsx.outputs.summary.stats import (
    ORIGINS,
    Figures,
    Status,
    YearlyStats,
)

MONTHS = FRENCH_MONTHS
ORIGIN_LABELS = {
    Origin.FS: "Réclamations (FS)",
    Origin.QS: "Questionnaires de satisfaction (QS)",
    Origin.PA: "Décisions d'amélioration (PA)",
}
OTHER_LABEL = "Origine vide ou illisible"
STATUS_LABELS = {Status.OPEN: "En cours", Status.OVERDUE: "En retard", Status.CLOSED: "Clôturée"}

# Sheet names (also used in chart references).
OVERVIEW, MONTHLY, DELAYS, OPEN, IMPROVEMENTS = (
    "Synthèse",
    "Par mois",
    "Délais",
    "En cours",
    "Améliorations",
)


def scope_text(stats: YearlyStats) -> str:
    if len(stats.agencies) == 1:
        return stats.agencies[0].label
    return f"Réseau de {len(stats.agencies)} agences"


def scope_columns(stats: YearlyStats) -> list[tuple[str, Figures]]:
    """Columns of the agency tables: the whole, then each agency when there are several."""
    if len(stats.agencies) == 1:
        return [(str(stats.year), stats.total)]
    return [("Ensemble", stats.total)] + [(a.label, a.figures) for a in stats.agencies]


def origin_rows(stats: YearlyStats) -> list[Origin | None]:
    """FS, QS, PA, and the unknown origin only when some entry has one."""
    rows: list[Origin | None] = list(ORIGINS)
    if stats.total.entries.other:
        rows.append(None)
    return rows


def origin_label(origin: Origin | None) -> str:
    return ORIGIN_LABELS[origin] if origin is not None else OTHER_LABEL


def files_text(files: Sequence[str]) -> str:
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


def delays_note_text(stats: YearlyStats) -> str | None:
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


def scope_subtitle(stats: YearlyStats) -> str:
    return f"{scope_text(stats)} · situation au {fr_date(stats.today)}"
