"""The rule registry and what every rule receives.

A rule is a small generator function over the whole register that declares the finding codes
it may emit::

    @rule("responsable-manquant")
    def missing_owner(ctx: Context) -> Iterator[Finding]:
        for entry in ctx.entries:
            ...

``check_register`` runs every rule whose codes are not all ignored. Each rule loops over the
entries itself (a tight loop per rule is cheaper in Python than one call per entry and rule).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from suivi_xlsx.domain.deadlines import Deadlines
from suivi_xlsx.domain.findings import CODES, Finding
from suivi_xlsx.domain.model import Entry, Register

RuleFunc = Callable[["Context"], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class Context:
    """Everything a rule may look at: the register, its entries, the date and the delays."""

    register: Register
    entries: tuple[Entry, ...]  # every entry, in workbook then row order
    today: dt.date
    soon_days: int
    deadlines: Deadlines
    memo: dict[str, object] = field(default_factory=dict)  # work shared by several rules


@dataclass(frozen=True, slots=True)
class Rule:
    """A registered rule: its name, the codes it may emit and its function."""

    name: str
    codes: frozenset[str]
    func: RuleFunc


#: Every rule, in registration order (the family modules register on import).
RULES: list[Rule] = []


def rule(*codes: str) -> Callable[[RuleFunc], RuleFunc]:
    """Register a rule emitting ``codes`` (each must be in ``findings.CODES``)."""
    unknown = [code for code in codes if code not in CODES]
    if unknown or not codes:
        raise ValueError(f"rule declares unknown codes: {unknown}")

    def register(func: RuleFunc) -> RuleFunc:
        RULES.append(Rule(func.__name__, frozenset(codes), func))
        return func

    return register


def raw_text(value: object) -> str:
    """A cell value as the user typed it, for messages (``45000.0`` → ``45000``).

    A time of day or a duration where a date belongs is a number below 1 (or negative) in a
    date-formatted cell: the reader only sees « 00:00:00 », so the message says what it is."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.time | dt.timedelta):
        return f"{value} : un nombre inférieur à 1 ou négatif, au format date"
    return str(value).strip()
