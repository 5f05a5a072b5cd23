"""Rules about deadlines: overdue entries, due soon, closed late, and the complaint delays
(acknowledgement within 10 days, answer within 2 months; see ``deadlines.Deadlines``).

A deadline is missed only once it has passed (``deadlines.is_past``): due today is not late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..findings import Finding, fr_count, fr_date, fr_days_until
from ..model import Column, Origin
from .base import Context, rule


@rule("en-retard")
def overdue(ctx: Context) -> Iterator[Finding]:
    """Not closed and the due date has passed."""
    today, due_column = ctx.today, Column.DUE_DATE
    for e in ctx.entries:
        due = e.due_on
        if due is not None and due < today and e.is_open:  # is_past(due, today)
            yield Finding.at(
                e,
                due_column,
                "en-retard",
                echeance=fr_date(due),
                jours=fr_count((today - due).days, "jour", "jours"),
            )


@rule("echeance-proche")
def due_soon(ctx: Context) -> Iterator[Finding]:
    """Not closed, due today or within ``soon_days`` days."""
    today, due_column = ctx.today, Column.DUE_DATE
    horizon = today + dt.timedelta(days=ctx.soon_days)
    for e in ctx.entries:
        due = e.due_on
        # not is_past(due, today), and within the window
        if due is not None and today <= due <= horizon and e.is_open:
            yield Finding.at(
                e,
                due_column,
                "echeance-proche",
                echeance=fr_date(due),
                quand=fr_days_until((due - today).days),
            )


@rule("cloture-tardive")
def closed_late(ctx: Context) -> Iterator[Finding]:
    """Closed after its due date."""
    closed_column = Column.CLOSED_ON
    for e in ctx.entries:
        due, closed = e.due_on, e.closed_on
        if due is not None and closed is not None and closed > due:
            yield Finding.at(
                e,
                closed_column,
                "cloture-tardive",
                cloture=fr_date(closed),
                echeance=fr_date(due),
                jours=fr_count((closed - due).days, "jour", "jours"),
            )


@rule("reponse-en-retard")
def answer_late(ctx: Context) -> Iterator[Finding]:
    """A complaint not answered 2 months after its receipt. Answered means a Date de réponse
    (an unreadable one counts: it gets its own finding); without that column, closed."""
    today, deadlines, fs = ctx.today, ctx.deadlines, Origin.FS
    answer_column = Column.ANSWER_DATE
    for sheet in ctx.register.sheets:
        with_answers = answer_column in sheet.columns
        cell = answer_column if with_answers else Column.CLOSED_ON
        for e in sheet.entries:
            received = e.received_on
            if e.origin is not fs or received is None:
                continue
            if with_answers:
                if e.answered_on is not None or (e.invalid and answer_column in e.invalid):
                    continue
            elif not e.is_open:
                continue
            limit = deadlines.answer_deadline(received)
            if limit < today:  # is_past(limit, today)
                yield Finding.at(
                    e, cell, "reponse-en-retard", date=fr_date(received), limite=fr_date(limit)
                )


@rule("accuse-reception-en-retard")
def ack_late(ctx: Context) -> Iterator[Finding]:
    """A complaint with an empty « Date accusé de réception » cell, no answer and not closed,
    10 days (calendar or working days) after its receipt. Without that column: not checked."""
    today, deadlines, fs = ctx.today, ctx.deadlines, Origin.FS
    ack, answer = Column.ACK_DATE, Column.ANSWER_DATE
    for sheet in ctx.register.sheets:
        if ack not in sheet.columns:
            continue
        for e in sheet.entries:
            received = e.received_on
            if (
                e.origin is not fs
                or received is None
                or e.acknowledged_on is not None
                or e.answered_on is not None
                or e.closed_on is not None
            ):
                continue
            invalid = e.invalid
            if invalid and (ack in invalid or answer in invalid or not e.is_open):
                continue
            limit = deadlines.ack_deadline(received)
            if limit < today:  # is_past(limit, today)
                yield Finding.at(
                    e,
                    ack,
                    "accuse-reception-en-retard",
                    date=fr_date(received),
                    limite=fr_date(limit),
                )


@rule("echeance-depassant-delai")
def due_beyond_answer_delay(ctx: Context) -> Iterator[Finding]:
    """A complaint whose due date is later than its 2-month answer deadline."""
    deadlines, fs, due_column = ctx.deadlines, Origin.FS, Column.DUE_DATE
    for e in ctx.entries:
        due, received = e.due_on, e.received_on
        if due is None or received is None or e.origin is not fs:
            continue
        limit = deadlines.answer_deadline(received)
        if due > limit:
            yield Finding.at(
                e,
                due_column,
                "echeance-depassant-delai",
                echeance=fr_date(due),
                mois=deadlines.answer_months,
                limite=fr_date(limit),
            )
