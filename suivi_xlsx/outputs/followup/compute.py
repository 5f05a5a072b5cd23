"""Follow-up reminders (*relances*): what each person in charge must do next, and by when.

Pure: registers and a reference date in, reminders out; nothing is read or written here
(``followup_output.py`` writes the workbook and the calendar, ``cli/relances.py`` prints).

For every entry open at the reference date (``procedure.is_open_at``), its pending steps:

- « Accuser réception »: a complaint (FS) whose acknowledgement step (``procedure.
  acknowledgement``) is still to do or late — until an acknowledgement or an answer is recorded;
- « Répondre »: a complaint whose answer step (``procedure.answer``) is to do or late;
- « Donner des nouvelles »: a complaint not answered yet: its last dated step (receipt,
  acknowledgement, a date written in Suivi: ``rules.procedure.last_news``) + « Informer le
  client au moins tous les (jours) » of the settings sheet, 30 days without it
  (``Settings.inform_interval``): the check's ``client-sans-nouvelles``, same rule, same default.
  An answered complaint (accepted or rejected) only has « Clôturer » left;
- « Clôturer »: every open entry (FS, QS, PA) that has a *Date d'échéance*, by that date.

The deadlines and states of the first two come from ``procedure`` only, so that this list, the
check and the annual summary never disagree. A step is late once its deadline has passed (due
today is not late). Reminders are grouped by person in charge (``people.person_key``: case,
accents and « Mme » do not count; the most frequent spelling is shown), entries without one
under « Sans responsable »; within a person, by deadline (late ones thus first, most overdue
first).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from suivi_xlsx.domain.a1 import cell_ref
from suivi_xlsx.domain.deadlines import Deadlines
from suivi_xlsx.domain.findings import fr_count, fr_date, fr_days_until
from suivi_xlsx.domain.model import Column, Entry, Origin, Register
from suivi_xlsx.domain.people import NameSpellings, display_name, person_key
from suivi_xlsx.domain.procedure import StepState, acknowledgement, answer, is_open_at
from suivi_xlsx.domain.rules.procedure import last_news
from suivi_xlsx.domain.update import sheet_ref
from suivi_xlsx.outputs.summary.stats import register_agency

__all__ = [
    "NO_OWNER",
    "Action",
    "FollowUp",
    "PersonReminders",
    "Reminder",
    "Source",
    "StepStates",
    "follow_up",
    "pending_steps",
    "step_states",
    "step_uid",
]

#: The group of entries nobody is in charge of.
NO_OWNER = "Sans responsable"
_NO_OWNER_KEY = person_key(NO_OWNER)


class Action(Enum):
    """A step someone must take. Values are what users see."""

    ACKNOWLEDGE = "Accuser réception"
    ANSWER = "Répondre"
    INFORM = "Donner des nouvelles"
    CLOSE = "Clôturer"


# Same deadline: the procedure's order.
_RANK = {Action.ACKNOWLEDGE: 0, Action.ANSWER: 1, Action.INFORM: 2, Action.CLOSE: 3}

# The cell where the step gets recorded, by preference: the person goes straight to it.
_RECORDED_IN: dict[Action, tuple[Column, ...]] = {
    Action.ACKNOWLEDGE: (Column.ACK_DATE, Column.ANSWER_DATE, Column.FOLLOW_UP),
    Action.ANSWER: (Column.ANSWER_DATE, Column.CLOSED_ON, Column.FOLLOW_UP),
    Action.INFORM: (Column.FOLLOW_UP,),
    Action.CLOSE: (Column.CLOSED_ON,),
}
_FALLBACK_COLUMNS = (Column.ORDER_NUMBER, Column.ISSUER, Column.DATE)

_TO_DO = (StepState.PENDING, StepState.MISSED)


@dataclass(frozen=True, slots=True)
class Source:
    """The register a reminder comes from."""

    path: Path | None
    agency: str  # ``stats.register_agency``: part of every calendar UID
    label: str | None  # shown on each line when several registers are read, else None

    @property
    def file_name(self) -> str:
        return self.path.name if self.path is not None else "registre"


@dataclass(frozen=True, slots=True)
class Reminder:
    """One pending step of one entry."""

    action: Action
    deadline: dt.date
    days_left: int  # deadline − reference date: negative when late, 0 when due today
    entry: Entry
    source: Source
    person: str  # the person in charge as shown (most frequent spelling), or NO_OWNER

    @property
    def late(self) -> bool:
        return self.days_left < 0

    @property
    def late_days(self) -> int:
        return -self.days_left if self.days_left < 0 else 0

    @property
    def when(self) -> str:
        """« en retard de 12 jours », « aujourd'hui », « demain », « dans 3 jours »."""
        if self.days_left < 0:
            return "en retard de " + fr_count(-self.days_left, "jour", "jours")
        return fr_days_until(self.days_left)

    @property
    def order(self) -> str:
        """The order number as typed, or where the entry is when it has none."""
        return self.entry.order_text or f"sans n°, ligne {self.entry.row}"

    @property
    def client(self) -> str:
        return display_name(self.entry.issuer) if self.entry.issuer else ""

    @property
    def subject(self) -> str:
        return " ".join(self.entry.subject.split()) if self.entry.subject else ""

    @property
    def column(self) -> int:
        """0-based column of the cell where the step is recorded (see ``_RECORDED_IN``)."""
        columns = self.entry.columns
        for column in (*_RECORDED_IN[self.action], *_FALLBACK_COLUMNS):
            index = columns.get(column)
            if index is not None:
                return index
        return min(columns.values(), default=0)

    @property
    def cell(self) -> str:
        """The register cell, as Excel writes a reference: ``'2026'!M14``."""
        return f"{sheet_ref(self.entry.sheet)}!{cell_ref(self.entry.row, self.column)}"

    @property
    def row_anchor(self) -> str:
        """The start of the entry's row, for a hyperlink: ``'2026'!A14``."""
        return f"{sheet_ref(self.entry.sheet)}!A{self.entry.row}"

    @property
    def uid(self) -> str:
        """The step's calendar UID (``step_uid``)."""
        return step_uid(self.source.agency, self.entry, self.action)


@dataclass(frozen=True, slots=True)
class PersonReminders:
    """One person's reminders, sorted by deadline (late ones first)."""

    name: str  # as shown: the most frequent spelling, or NO_OWNER
    key: str  # ``person_key`` of the name; "" for NO_OWNER
    reminders: tuple[Reminder, ...]

    @property
    def late(self) -> int:
        return sum(1 for reminder in self.reminders if reminder.days_left < 0)


@dataclass(frozen=True, slots=True)
class FollowUp:
    """Everyone's reminders at a reference date."""

    today: dt.date
    people: tuple[PersonReminders, ...]  # by name, NO_OWNER last
    sources: tuple[Source, ...]
    person: str | None = None  # the ``--personne`` asked for, as typed
    within: int | None = None  # ``--jours``
    known_people: tuple[str, ...] = ()  # everyone with an open entry, before the filters
    # ``person`` names several people (« Martin »: Mme MARTIN Sophie and M. MARTIN Paul)
    ambiguous: tuple[str, ...] = ()

    @property
    def several(self) -> bool:
        return len(self.sources) > 1

    @property
    def reminders(self) -> tuple[Reminder, ...]:
        return tuple(r for person in self.people for r in person.reminders)

    @property
    def count(self) -> int:
        return sum(len(person.reminders) for person in self.people)

    @property
    def late(self) -> int:
        return sum(person.late for person in self.people)

    def headline(self) -> str:
        """« Relances au 25/11/2026 : 7 étapes, dont 3 en retard, pour 2 personnes. »"""
        scope = ""
        if self.within is not None:
            scope = f" (échéance dans les {fr_count(self.within, 'jour', 'jours')} ou dépassée)"
        if not self.count:
            return f"Relances au {fr_date(self.today)}{scope} : aucune étape à suivre."
        people = len(self.people)
        who = "pour " + fr_count(people, "personne", "personnes")
        if people == 1:
            who = f"pour {self.people[0].name}"
        late = f", dont {self.late} en retard" if self.late else ""
        return (
            f"Relances au {fr_date(self.today)}{scope} : "
            f"{fr_count(self.count, 'étape', 'étapes')}{late}, {who}."
        )


def step_uid(agency: str, entry: Entry, action: Action) -> str:
    """A calendar UID stable from one run to the next: agency, order number (or sheet and
    row when there is none) and step; never the deadline, which may move."""
    number = entry.order_number
    where = str(number) if number is not None else entry.order_text
    if not where:
        where = f"{entry.sheet}!{entry.row}"
    key = f"{agency}|{where}|{action.name}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24] + "@suivi-xlsx"


@dataclass(frozen=True, slots=True)
class StepStates:
    """What the registers say of every step a calendar may hold, before any filter
    (``--personne``, ``--jours``): which are still to do, and which are done.

    Only a step the registers show as done (its date or word recorded, or its entry closed)
    lets a calendar cancel the event written for it earlier. A step the registers do not show
    as done (another register, a renumbered or deleted row, a date made unreadable, a filter)
    is left as it is: we would not know that it was done."""

    pending: frozenset[str]
    done: frozenset[str]

    def finished(self, uid: str) -> bool:
        return uid in self.done and uid not in self.pending


def _done_actions(entry: Entry, deadlines: Deadlines, today: dt.date) -> tuple[Action, ...]:
    if not is_open_at(entry, today):
        if entry.origin is Origin.FS:
            return (Action.ACKNOWLEDGE, Action.ANSWER, Action.INFORM, Action.CLOSE)
        return (Action.CLOSE,)
    if entry.origin is not Origin.FS:
        return ()
    done: list[Action] = []
    ack = acknowledgement(entry, deadlines, today)
    if ack is not None and ack.done:
        done.append(Action.ACKNOWLEDGE)
    step = answer(entry, deadlines, today)
    if step is not None and step.done:  # once answered, no more news to give
        done += (Action.ANSWER, Action.INFORM)
    return tuple(done)


def step_states(registers: Iterable[Register], today: dt.date) -> StepStates:
    """The ``StepStates`` of every entry of ``registers`` at ``today``, from the same
    procedure functions and ``pending_steps`` the reminders come from."""
    pending: set[str] = set()
    done: set[str] = set()
    registers = list(registers)
    for register, source in zip(registers, _sources(registers), strict=True):
        deadlines = Deadlines.from_settings(register.settings)
        inform_days = register.settings.inform_interval
        for sheet in register.sheets:
            for entry in sheet.entries:
                for action in _done_actions(entry, deadlines, today):
                    done.add(step_uid(source.agency, entry, action))
                for action, _ in pending_steps(entry, deadlines, today, inform_days):
                    pending.add(step_uid(source.agency, entry, action))
    return StepStates(frozenset(pending), frozenset(done))


def pending_steps(
    entry: Entry, deadlines: Deadlines, today: dt.date, inform_days: int | None = None
) -> list[tuple[Action, dt.date]]:
    """The steps still to take for ``entry`` at ``today``, with their deadlines (in the
    procedure's order); none when the entry is closed."""
    if not is_open_at(entry, today):
        return []
    steps: list[tuple[Action, dt.date]] = []
    if entry.origin is Origin.FS:
        ack = acknowledgement(entry, deadlines, today)
        if ack is not None and ack.state in _TO_DO:
            steps.append((Action.ACKNOWLEDGE, ack.deadline))
        step = answer(entry, deadlines, today)
        if step is not None and step.state in _TO_DO:
            steps.append((Action.ANSWER, step.deadline))
        received = entry.received_on
        answered = step is not None and step.done
        if inform_days is not None and received is not None and not answered:
            # the check's own reckoning (client-sans-nouvelles): late here iff reported there.
            # Once answered, what is left is closing the file, not giving news.
            news = last_news(entry, received, today)
            steps.append((Action.INFORM, news + dt.timedelta(days=inform_days)))
    if entry.due_on is not None:
        steps.append((Action.CLOSE, entry.due_on))
    return steps


def _sources(registers: Sequence[Register]) -> list[Source]:
    agencies = [register_agency(register) for register in registers]
    several = len(registers) > 1
    counts = Counter(agencies)
    sources = []
    for register, agency in zip(registers, agencies, strict=True):
        label: str | None = None
        if several:
            label = f"agence {agency}"
            if counts[agency] > 1 and register.path is not None:  # two files of one agency
                label += f" ({register.path.name})"
        sources.append(Source(register.path, agency, label))
    return sources


def _wanted_key(person: str) -> str:
    key = person_key(person)
    return "" if key == _NO_OWNER_KEY else key


def _matching_keys(wanted: str, keys: Iterable[str]) -> list[str]:
    """The people ``--personne`` designates: the same name, else every name holding all its
    words (« Martin », « Mme Martin » → « MARTIN Sophie »)."""
    keys = list(keys)
    if wanted in keys or not wanted:
        return [wanted]
    words = set(wanted.split())
    return [key for key in keys if key and words <= set(key.split())]


def follow_up(
    registers: Iterable[Register],
    today: dt.date,
    *,
    person: str | None = None,
    within: int | None = None,
) -> FollowUp:
    """Everyone's pending steps at ``today`` in ``registers``.

    ``person`` keeps one person (as ``people.person_key`` matches names, or the only person
    whose name holds all its words: « Martin » for « Mme MARTIN Sophie »; none, and
    ``ambiguous`` set, when it names several; « Sans responsable » keeps the entries without
    one); ``within`` keeps the steps due in at most that many days,
    and the late ones.
    """
    registers = list(registers)
    sources = _sources(registers)
    wanted = _wanted_key(person) if person is not None else None
    limit = today + dt.timedelta(days=within) if within is not None else None
    today_ordinal = today.toordinal()
    # the names as typed on every entry, and the steps kept by person key
    spellings = NameSpellings()
    found: dict[str, list[tuple[Action, dt.date, Entry, Source]]] = {}
    for register, source in zip(registers, sources, strict=True):
        deadlines = Deadlines.from_settings(register.settings)
        inform_days = register.settings.inform_interval
        for sheet in register.sheets:
            for entry in sheet.entries:
                # Every entry's spelling counts, as in the summary: one name per person.
                owner = entry.owner
                key = spellings.add(owner) if owner else ""
                steps = pending_steps(entry, deadlines, today, inform_days)
                if not steps:
                    continue
                kept = found.setdefault(key, [])
                for action, deadline in steps:
                    if limit is None or deadline <= limit:
                        kept.append((action, deadline, entry, source))
    names = spellings.names()
    ambiguous: tuple[str, ...] = ()
    if wanted is not None:
        matching = _matching_keys(wanted, names)
        if len(matching) > 1:
            ambiguous = tuple(sorted((names[key] for key in matching), key=person_key))
            matching = []
        found = {key: found[key] for key in matching if key in found}
    source_rank = {id(source): n for n, source in enumerate(sources)}
    people: list[PersonReminders] = []
    for key, kept_steps in found.items():
        if not kept_steps:
            continue
        name = names.get(key, NO_OWNER) if key else NO_OWNER
        kept_steps.sort(key=lambda s: (s[1], _RANK[s[0]], source_rank[id(s[3])], s[2].row))
        reminders = tuple(
            Reminder(action, deadline, deadline.toordinal() - today_ordinal, entry, source, name)
            for action, deadline, entry, source in kept_steps
        )
        people.append(PersonReminders(name, key, reminders))
    people.sort(key=lambda p: (not p.key, p.key))
    known = sorted(names.values(), key=person_key)
    return FollowUp(
        today=today,
        people=tuple(people),
        sources=tuple(sources),
        person=person,
        within=within,
        known_people=tuple(known),
        ambiguous=ambiguous,
    )


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def text_lines(follow: FollowUp) -> list[str]:
    """The terminal report: a headline, then one block per person, one line per step (order
    number, [agency,] client, step, deadline, lateness, register cell), columns aligned."""
    lines = [follow.headline()]
    if not follow.count:
        if follow.person is not None:
            lines.append(_unknown_person(follow))
        return lines
    rows: list[tuple[list[str], str]] = []  # cells, then the cell reference (not padded)
    for person in follow.people:
        for r in person.reminders:
            cells = [r.order]
            if follow.several:
                cells.append(r.source.label or "")
            cells += [_clip(r.client, 28), r.action.value, fr_date(r.deadline), r.when]
            rows.append((cells, r.cell))
    widths = [max(len(cells[i]) for cells, _ in rows) for i in range(len(rows[0][0]))]
    at = 0
    for person in follow.people:
        count = fr_count(len(person.reminders), "étape", "étapes")
        late = f", dont {person.late} en retard" if person.late else ""
        lines += ["", f"{person.name} ({count}{late})"]
        for cells, cell in rows[at : at + len(person.reminders)]:
            padded = "  ".join(text.ljust(widths[i]) for i, text in enumerate(cells))
            lines.append(f"  {padded}  {cell}")
        at += len(person.reminders)
    return lines


def _unknown_person(follow: FollowUp) -> str:
    if follow.ambiguous:
        return (
            f"« {follow.person} » désigne plusieurs personnes : {', '.join(follow.ambiguous)}. "
            "Précisez le nom (par exemple avec le prénom)."
        )
    wanted = _wanted_key(follow.person or "")
    if (
        wanted
        and follow.known_people
        and not _matching_keys(wanted, [person_key(name) for name in follow.known_people])
    ):
        return (
            f"Personne ne s'appelle « {follow.person} » parmi les responsables des dossiers en "
            f"cours : {', '.join(follow.known_people)}."
        )
    return f"Rien à faire pour « {follow.person} »."
