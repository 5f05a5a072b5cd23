"""Rule about the means of redress owed to a client whose complaint is rejected."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import lru_cache

from ..findings import Finding
from ..model import Column, Origin
from .base import Context, rule

#: What people type in « Voies de recours indiquées » to say that none were given.
_NONE_GIVEN: frozenset[str] = frozenset(
    {"", "-", "0", "n", "non", "no", "aucun", "aucune", "neant", "faux", "false", "nc"}
)


@lru_cache(maxsize=1024)  # a register repeats the same few wordings
def redress_given(text: str | None) -> bool:
    """True when the cell says means of redress were given (anything but empty, « non »…)."""
    if text is None:
        return False
    folded = unicodedata.normalize("NFKD", text.strip().lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).rstrip(".")
    return folded not in _NONE_GIVEN


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
