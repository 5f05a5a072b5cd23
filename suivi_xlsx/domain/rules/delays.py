"""Rules about deadlines: overdue entries, due soon, closed late, and the complaint delays
(acknowledgement within 10 days, answer within 2 months).

Every decision comes from ``procedure``: whether an entry is open or overdue, and where a
complaint's acknowledgement and answer stand. The summary, the update and the follow-up lists
ask the same functions, so no two commands disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from suivi_xlsx.domain.findings import Finding, fr_count, fr_date, fr_days_until
from suivi_xlsx.domain.model import Column, Origin
from suivi_xlsx.domain.procedure import (
    Step,
    StepState,
    complaint_due_date,
    complaint_steps,
    is_open_at,
    steps_surely_met,
)
from suivi_xlsx.domain.rules.base import Context, rule


@rule("en-retard")
def overdue(ctx: Context) -> Iterator[Finding]:
    """Not closed and the due date has passed (``procedure.is_overdue``)."""
    today, due_column = ctx.today, Column.DUE_DATE
    for e in ctx.entries:
        due = e.due_on
        if due is not None and due < today and is_open_at(e, today):
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
        if due is not None and today <= due <= horizon and is_open_at(e, today):
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


def _done_text(step: Step) -> str:
    """« le 20/03/2025 », or « sans date » for a step never recorded on a closed complaint."""
    return f"le {fr_date(step.done_on)}" if step.done_on is not None else "sans date"


@rule(
    "reponse-en-retard",
    "reponse-tardive",
    "accuse-reception-en-retard",
    "accuse-reception-tardif",
)
def complaint_delays(ctx: Context) -> Iterator[Finding]:
    """A complaint's two steps (``procedure.complaint_steps``; an answer within the
    acknowledgement delay acknowledges too). Not done once its deadline has passed while the
    complaint is open: ``accuse-reception-en-retard`` / ``reponse-en-retard``. Done after it,
    or done without a date once it has passed: ``accuse-reception-tardif`` /
    ``reponse-tardive``."""
    today, deadlines, fs = ctx.today, ctx.deadlines, Origin.FS
    missed, late = StepState.MISSED, StepState.LATE
    ack_column, answer_column, closed_column = (
        Column.ACK_DATE,
        Column.ANSWER_DATE,
        Column.CLOSED_ON,
    )
    for e in ctx.entries:
        received = e.received_on
        if e.origin is not fs or received is None:
            continue
        if steps_surely_met(e, deadlines, today):
            continue
        ack, answer = complaint_steps(e, deadlines, today)
        ack_due = ack is not None and (ack.state is missed or ack.state is late)
        answer_due = answer is not None and (answer.state is missed or answer.state is late)
        if not (ack_due or answer_due):
            continue
        still_open = is_open_at(e, today)
        date = fr_date(received)
        if ack_due:
            assert ack is not None
            cell = ack_column if ack_column in e.columns else answer_column
            limit = fr_date(ack.deadline)
            if ack.state is missed and still_open:
                yield Finding.at(e, cell, "accuse-reception-en-retard", date=date, limite=limit)
            else:
                yield Finding.at(
                    e,
                    cell,
                    "accuse-reception-tardif",
                    quand=_done_text(ack),
                    limite=limit,
                    date=date,
                )
        if answer_due:
            assert answer is not None
            cell = answer_column if answer_column in e.columns else closed_column
            limit = fr_date(answer.deadline)
            if answer.state is missed and still_open:
                yield Finding.at(e, cell, "reponse-en-retard", date=date, limite=limit)
            else:
                yield Finding.at(
                    e, cell, "reponse-tardive", quand=_done_text(answer), limite=limit, date=date
                )


@rule("echeance-depassant-delai")
def due_beyond_answer_delay(ctx: Context) -> Iterator[Finding]:
    """A complaint whose due date is later than its answer deadline (the due date ``suivi
    update`` fills is exactly that deadline)."""
    deadlines, fs, due_column = ctx.deadlines, Origin.FS, Column.DUE_DATE
    for e in ctx.entries:
        due, received = e.due_on, e.received_on
        if due is None or received is None or e.origin is not fs:
            continue
        limit = complaint_due_date(received, deadlines)
        if due > limit:
            yield Finding.at(
                e,
                due_column,
                "echeance-depassant-delai",
                echeance=fr_date(due),
                mois=deadlines.answer_months,
                limite=fr_date(limit),
            )
