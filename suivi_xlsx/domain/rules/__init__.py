"""The checks: every rule, one registry, and ``check_register``.

Rules live in one module per family (``fields``, ``numbers``, ``delays``, ``redress``) and
register themselves with the codes they emit (``base.rule``). ``check_register`` runs them all,
skips a rule whose codes are all ignored, and returns the findings sorted by sheet (workbook
order), row, column, then severity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from suivi_xlsx.domain.deadlines import Deadlines
from suivi_xlsx.domain.findings import CODES, SEVERITY_ORDER, Finding, Report, fr_count
from suivi_xlsx.domain.model import Calendar, Register
from suivi_xlsx.domain.rules import delays, fields, numbers, procedure, redress  # noqa: F401  (they register rules)
from suivi_xlsx.domain.rules.base import RULES, Context, Rule, rule
from suivi_xlsx.runtime.gcpause import gc_paused
from suivi_xlsx.runtime.progress import Progress, report

__all__ = ["RULES", "CheckOptions", "Context", "Rule", "check_register", "rule"]


@dataclass(frozen=True, slots=True)
class CheckOptions:
    """How to check: the reference date, the « due soon » window, codes to leave out, and the
    acknowledgement calendar (``None``: as the register's parameters sheet says)."""

    today: dt.date
    soon_days: int = 7
    ignore: frozenset[str] = frozenset()  # finding codes to leave out
    calendar: Calendar | None = None  # None: register.settings.calendar
    alsace_moselle: bool | None = None  # None: register.settings.alsace_moselle


def check_register(
    register: Register, options: CheckOptions, *, progress: Progress | None = None
) -> Report:
    """Run every rule over ``register`` and return the findings in reading order.
    ``progress``, when given, is told that the check runs (nothing is printed).

    Raises ``ValueError`` when ``options.ignore`` names an unknown code.
    """
    ignore = frozenset(options.ignore)
    unknown = sorted(ignore - CODES.keys())
    if unknown:
        raise ValueError(f"unknown finding codes: {', '.join(unknown)}")
    if options.soon_days < 0:
        raise ValueError("soon_days must not be negative")

    entries = register.entries
    report(progress, f"Contrôle de {fr_count(len(entries), 'entrée', 'entrées')}")
    ctx = Context(
        register=register,
        entries=entries,
        today=options.today,
        soon_days=options.soon_days,
        deadlines=Deadlines.from_settings(
            register.settings, calendar=options.calendar, alsace_moselle=options.alsace_moselle
        ),
    )
    findings: list[Finding] = []
    with gc_paused():  # many short-lived objects, no cycles: see gcpause
        for registered in RULES:
            if registered.codes <= ignore:
                continue
            if registered.codes & ignore:
                findings.extend(f for f in registered.func(ctx) if f.code not in ignore)
            else:
                findings.extend(registered.func(ctx))
        sheet_rank = {sheet.name: rank for rank, sheet in enumerate(register.sheets)}
        findings.sort(key=lambda f: _sort_key(f, sheet_rank))
    return Report(
        file=register.path, today=options.today, entries=len(entries), findings=tuple(findings)
    )


# Codes by severity (erreur, retard, avertissement), then in the code table's order.
_RANK: dict[str, int] = {
    code: rank
    for rank, code in enumerate(
        sorted(CODES, key=lambda c: SEVERITY_ORDER.index(CODES[c].severity))  # stable
    )
}


def _sort_key(finding: Finding, sheet_rank: dict[str, int]) -> tuple[int, int, int, str, int]:
    cell = finding.cell
    # Column letters order as (length, text): B < Z < AA. No cell (a whole row) comes first.
    letters = cell.rstrip("0123456789") if cell is not None else ""
    return (
        sheet_rank.get(finding.sheet or "", -1),
        finding.row if finding.row is not None else 0,
        len(letters),
        letters,
        _RANK[finding.code],
    )
