"""Rules about deadlines: overdue entries, due soon, closed late, and the complaint delays
(acknowledgement within 10 days, answer within 2 months).

Every decision comes from ``procedure``: whether an entry is open or overdue, and where a
complaint's acknowledgement and answer stand. The summary, the update and the follow-up lists
ask the same functions, so no two commands disagree.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from ..findings import Finding, fr_count, fr_date, fr_days_until
from ..model import Column, Origin
from ..procedure import (
    Step,
    StepState,
    acknowledgement,
    answer,
    complaint_due_date,
    is_open_at,
)
from .base import Context, rule


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
    """« le 20/03/2025 », or « sans date » for a step done without one."""
    return f"le {fr_date(step.done_on)}" if step.done_on is not None else "sans date"


@rule("reponse-en-retard", "reponse-tardive")
def answer_delay(ctx: Context) -> Iterator[Finding]:
    """A complaint's answer step (``procedure.answer``): not answered once its deadline has
    passed while still open (``reponse-en-retard``); answered after it, or closed without a
    date once it has passed (``reponse-tardive``)."""
    today, deadlines, fs = ctx.today, ctx.deadlines, Origin.FS
    missed, late, undated = StepState.MISSED, StepState.LATE, StepState.UNDATED
    for e in ctx.entries:
        if e.origin is not fs or e.received_on is None:
            continue
        step = answer(e, deadlines, today)
        if step is None or step.state is StepState.MET or step.state is StepState.PENDING:
            continue
        cell = Column.ANSWER_DATE if Column.ANSWER_DATE in e.columns else Column.CLOSED_ON
        received, limit = fr_date(e.received_on), fr_date(step.deadline)
        if step.state is missed and is_open_at(e, today):
            yield Finding.at(e, cell, "reponse-en-retard", date=received, limite=limit)
        elif step.state is late or step.state is undated or step.state is missed:
            yield Finding.at(
                e, cell, "reponse-tardive", quand=_done_text(step), limite=limit, date=received
            )


@rule("accuse-reception-en-retard", "accuse-reception-tardif")
def ack_delay(ctx: Context) -> Iterator[Finding]:
    """A complaint's acknowledgement step (``procedure.acknowledgement``; an answer within the
    delay counts): none once the deadline has passed while still open
    (``accuse-reception-en-retard``); sent after it (``accuse-reception-tardif``)."""
    today, deadlines, fs = ctx.today, ctx.deadlines, Origin.FS
    missed, late, undated = StepState.MISSED, StepState.LATE, StepState.UNDATED
    for e in ctx.entries:
        if e.origin is not fs or e.received_on is None:
            continue
        step = acknowledgement(e, deadlines, today)
        if step is None or step.state is StepState.MET or step.state is StepState.PENDING:
            continue
        cell = Column.ACK_DATE if Column.ACK_DATE in e.columns else Column.ANSWER_DATE
        received, limit = fr_date(e.received_on), fr_date(step.deadline)
        if step.state is missed and is_open_at(e, today):
            yield Finding.at(e, cell, "accuse-reception-en-retard", date=received, limite=limit)
        elif step.state is late or step.state is undated or step.state is missed:
            yield Finding.at(
                e,
                cell,
                "accuse-reception-tardif",
                quand=_done_text(step),
                limite=limit,
                date=received,
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
