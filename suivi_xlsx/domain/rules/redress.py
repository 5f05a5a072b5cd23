"""Rule about the means of redress owed to a client whose complaint is rejected."""

from __future__ import annotations

from collections.abc import Iterator

from suivi_xlsx.domain.findings import Finding
from suivi_xlsx.domain.model import Column, Origin
from suivi_xlsx.domain.rules.base import Context, rule
from suivi_xlsx.domain.vocabulary import redress_given

__all__ = ["missing_redress", "redress_given"]


@rule("voies-de-recours-manquantes")
def missing_redress(ctx: Context) -> Iterator[Finding]:
    """A complaint rejected in whole or in part without means of redress recorded. Points at
    the « Voies de recours indiquées » cell, or at Décision when the sheet has no such column."""
    fs = Origin.FS
    for e in ctx.entries:
        decision = e.decision
        if decision is None or e.origin is not fs or not decision.is_rejection:
            continue
        if redress_given(e.redress):
            continue
        column = Column.REDRESS if Column.REDRESS in e.columns else Column.DECISION
        yield Finding.at(e, column, "voies-de-recours-manquantes", decision=decision.value)
