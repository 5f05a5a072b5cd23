"""Where an entry stands in the procedure: one function for each decision every command shares.

Pure. The checks, the update planner, the annual summary, the follow-up lists (relances) and
the letters all decide through these functions, so that they never disagree:

- ``is_open_at``: open at a reference date (no closing date, or closed after that date; a
  closing cell saying « clôturé » without a date is closed; « en cours » or unreadable text is
  open: a deadline is never assumed met);
- ``is_overdue``: open and its *Date d'échéance* has passed (due today is not late);
- ``is_late``: « en retard » for every command: open and its due date has passed, or (a
  complaint) its acknowledgement or its answer not done once its deadline has passed, whatever
  its due date. Exactly the entries the check reports with a ``retard`` finding;
- ``complaint_due_date``: the due date of a complaint, which ``suivi update`` fills: exactly the
  answer deadline (2 months, moved off holidays when counting *jours ouvrables*);
- ``acknowledgement`` and ``answer``: a complaint's two regulatory steps, each with its deadline
  and whether it is met, late, missed or pending.

The evidence of each step, in order: the acknowledgement is done on the earliest of its
*Date accusé de réception* and the answer (the seed: « accuser réception … ou y répondre
immédiatement »); the answer is done on its *Date de réponse*, else on the closing date (a
complaint is not closed without an answer). A date after the reference date is not done yet.
A word saying the step was done without its date (« fait ») is done, date unknown: in time
while its deadline is ahead, not proven (``UNDATED``, counted as missed) once it has passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from enum import Enum
from typing import NamedTuple

from suivi_xlsx.domain.deadlines import Deadlines, is_past
from suivi_xlsx.domain.model import Column, Entry, Origin
from suivi_xlsx.domain.vocabulary import says_closed


class StepState(Enum):
    """Where a regulatory step stands at the reference date. Values are what users see."""

    MET = "fait dans le délai"  # done in time (or done without a date, deadline still ahead)
    LATE = "fait après le délai"  # done, after its deadline
    UNDATED = "fait, date non indiquée"  # done without a date, deadline passed: not proven
    MISSED = "en retard"  # not done and its deadline has passed
    PENDING = "à faire"  # not done, still in time


class Step(NamedTuple):
    """One step of a complaint (acknowledge, answer): its deadline and where it stands.

    A named tuple, immutable, and cheap to make: the summary makes one per complaint."""

    deadline: dt.date
    state: StepState
    done_on: dt.date | None = None  # the date the step counts as done, when known
    evidence: Column | None = None  # the column ``done_on`` comes from

    @property
    def done(self) -> bool:
        return self.state in (StepState.MET, StepState.LATE, StepState.UNDATED)

    @property
    def met(self) -> bool:
        return self.state is StepState.MET

    @property
    def missed(self) -> bool:
        """Not proven in time: done late, done without a date past the deadline, or not done
        past the deadline."""
        return self.state in (StepState.LATE, StepState.UNDATED, StepState.MISSED)

    @property
    def pending(self) -> bool:
        return self.state is StepState.PENDING


def is_closed_undated(entry: Entry) -> bool:
    """The closing cell says the entry is closed but gives no date (« clôturé », « fait »):
    ``Entry.is_open`` reads that cell."""
    return entry.closed_on is None and not entry.is_open


def is_open_at(entry: Entry, today: dt.date) -> bool:
    """Open at ``today``: no closing date (and no word saying it is closed), or a closing date
    after ``today``."""
    closed = entry.closed_on
    if closed is None:
        return entry.is_open
    return closed > today


def is_overdue(entry: Entry, today: dt.date) -> bool:
    """Open at ``today`` and its due date has passed (due today is not late)."""
    due = entry.due_on
    return due is not None and due < today and is_open_at(entry, today)


def complaint_due_date(received: dt.date, deadlines: Deadlines) -> dt.date:
    """The *Date d'échéance* of a complaint received on ``received``: its answer deadline."""
    return deadlines.answer_deadline(received)


class LetterDelays(NamedTuple):
    """What a letter dated ``on`` may say of a complaint's two deadlines: whether the
    acknowledgement goes out after its deadline, and whether the answer's deadline has passed
    (a letter must then not promise it)."""

    ack_deadline: dt.date
    answer_deadline: dt.date
    ack_late: bool
    answer_late: bool


def letter_delays(received: dt.date, deadlines: Deadlines, on: dt.date) -> LetterDelays:
    """The deadlines of a complaint received on ``received``, judged at a letter's date ``on``
    as the check judges them (due on ``on`` is still in time)."""
    ack = deadlines.ack_deadline(received)
    answer_due = complaint_due_date(received, deadlines)
    return LetterDelays(ack, answer_due, is_past(ack, on), is_past(answer_due, on))


def _word_done(entry: Entry, column: Column) -> bool:
    """The cell of ``column`` says the step was done, without a date (« fait », « oui »)."""
    if not entry.invalid:
        return False
    raw = entry.invalid.get(column)
    return isinstance(raw, str) and says_closed(raw)


def _judge(
    done_on: dt.date | None,
    evidence: Column | None,
    undated: bool,
    deadline: dt.date,
    today: dt.date,
) -> Step:
    if done_on is not None and done_on <= today:
        state = StepState.MET if done_on <= deadline else StepState.LATE
        return Step(deadline, state, done_on, evidence)
    if undated:
        return Step(deadline, StepState.UNDATED if deadline < today else StepState.MET)
    return Step(deadline, StepState.MISSED if deadline < today else StepState.PENDING)


def tracks_acknowledgement(columns: Mapping[Column, int]) -> bool:
    """A sheet records acknowledgements when it has an AR or an answer date column."""
    return Column.ACK_DATE in columns or Column.ANSWER_DATE in columns


def tracks_answer(columns: Mapping[Column, int]) -> bool:
    """A sheet records answers when it has an answer date or a closing date column."""
    return Column.ANSWER_DATE in columns or Column.CLOSED_ON in columns


_FS, _ACK, _ANSWER, _CLOSED = Origin.FS, Column.ACK_DATE, Column.ANSWER_DATE, Column.CLOSED_ON


def complaint_steps(
    entry: Entry, deadlines: Deadlines, today: dt.date
) -> tuple[Step | None, Step | None]:
    """A complaint's acknowledgement and answer steps, computed together (the answer is
    evidence for both): ``acknowledgement`` and ``answer`` in one call. ``(None, None)`` for
    other entries and without a Date; a step is ``None`` on a sheet that does not record it."""
    received = entry.received_on
    if entry.origin is not _FS or received is None:
        return None, None
    tracks_ack = tracks_acknowledgement(entry.columns)
    tracks_ans = tracks_answer(entry.columns)
    if not (tracks_ack or tracks_ans):
        return None, None
    # The answer's evidence: its Date de réponse, else the closing date (inline: this runs
    # for every complaint).
    answered = entry.answered_on
    answer_column: Column | None = _ANSWER
    answer_undated = False
    if answered is None or answered > today:
        answered, answer_column = entry.closed_on, _CLOSED
        if answered is None or answered > today:
            answered, answer_column = None, None
            answer_undated = bool(entry.invalid) and (
                _word_done(entry, _ANSWER) or is_closed_undated(entry)
            )
    answer_step = (
        _judge(answered, answer_column, answer_undated, deadlines.answer_deadline(received), today)
        if tracks_ans
        else None
    )
    if not tracks_ack:
        return None, answer_step
    acked = entry.acknowledged_on
    if acked is not None and acked > today:
        acked = None
    done: dt.date | None
    evidence: Column | None
    if acked is not None and (answered is None or acked <= answered):
        done, evidence = acked, _ACK
    else:
        done, evidence = answered, answer_column
    undated = answer_undated or (bool(entry.invalid) and _word_done(entry, _ACK))
    ack_step = _judge(done, evidence, undated, deadlines.ack_deadline(received), today)
    return ack_step, answer_step


def steps_surely_met(entry: Entry, deadlines: Deadlines, today: dt.date) -> bool:
    """A cheap sufficient condition, for loops over 100,000 entries: when True, every step
    ``complaint_steps`` gives for ``entry`` is met (or there is none), whatever the day count.
    False says nothing: ask ``complaint_steps``. (Calendar days are a lower bound of the
    deadlines: 10 working days are at least 10 days, 2 months at least 56 days.)"""
    received = entry.received_on
    if entry.origin is not _FS or received is None:
        return True
    answered = entry.answered_on
    if answered is None or answered > today:
        answered = entry.closed_on
        if answered is None or answered > today:
            return False
    ack_floor = deadlines.ack_days
    answer_floor = 28 * deadlines.answer_months
    waited = (answered - received).days
    if waited <= ack_floor and waited <= answer_floor:
        return True  # answered within both delays: acknowledged in time too
    acked = entry.acknowledged_on
    return (
        acked is not None
        and acked <= today
        and (acked - received).days <= ack_floor
        and waited <= answer_floor
    )


def acknowledgement(entry: Entry, deadlines: Deadlines, today: dt.date) -> Step | None:
    """The acknowledgement step of a complaint; ``None`` for other entries, without a Date, or
    on a sheet that records neither acknowledgements nor answers."""
    return complaint_steps(entry, deadlines, today)[0]


def answer(entry: Entry, deadlines: Deadlines, today: dt.date) -> Step | None:
    """The answer step of a complaint; ``None`` for other entries, without a Date, or on a
    sheet that records neither answers nor closings."""
    return complaint_steps(entry, deadlines, today)[1]


def is_late(entry: Entry, deadlines: Deadlines, today: dt.date) -> bool:
    """« En retard » at ``today``, the one meaning of every command: open and its due date has
    passed, or a complaint whose acknowledgement or answer is not done once its deadline has
    passed (``StepState.MISSED``), whatever its due date. The check reports exactly these
    entries with a ``retard`` finding (``en-retard``, ``accuse-reception-en-retard``,
    ``reponse-en-retard``); the bilan counts them, ``suivi update`` colours them red and
    ``suivi relances`` lists them first."""
    if not is_open_at(entry, today):
        return False
    due = entry.due_on
    if due is not None and due < today:
        return True
    if entry.origin is not _FS or entry.received_on is None:
        return False
    if steps_surely_met(entry, deadlines, today):
        return False
    ack, answer_step = complaint_steps(entry, deadlines, today)
    return (ack is not None and ack.state is StepState.MISSED) or (
        answer_step is not None and answer_step.state is StepState.MISSED
    )
