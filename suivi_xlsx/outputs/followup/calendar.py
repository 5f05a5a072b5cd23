"""The follow-up reminders as iCalendar files (RFC 5545, written with ``icalendar``).

One all-day event per step on its deadline (a late step on the reference date), the person as
category, a reminder some days before, and a UID stable from one run to the next
(``compute.step_uid``), so that importing a newer file again updates the events instead of
duplicating them.

Given the previous file (``read_previous_calendar``), a step it held that the registers now
show as done (``compute.StepStates``) is written again as cancelled (``STATUS:CANCELLED``,
same UID, a higher ``SEQUENCE``), so that re-importing takes it out of the way; every event
that was already in the previous file gets a higher ``SEQUENCE`` too, as RFC 5545 asks of an
updated event. Nothing else of the previous file is carried over: a step we cannot show done is
never cancelled.

``person_calendar_paths`` names one such file per person in a folder. Files go to a temporary
file beside the target, moved into place once complete. icalendar is imported inside the
functions.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from suivi_xlsx.domain.findings import fr_date
from suivi_xlsx.errors import RefusedError, UnreadableFileError
from suivi_xlsx.outputs.files import write_new_file
from suivi_xlsx.outputs.followup.compute import (
    FollowUp,
    PersonReminders,
    Reminder,
    StepStates,
)

__all__ = [
    "CalendarPlan",
    "PreviousCalendar",
    "PreviousEvent",
    "calendar_bytes",
    "event_summary",
    "person_calendar_paths",
    "plan_calendar",
    "read_previous_calendar",
    "refuse_existing_calendars",
    "write_calendar",
]

CALENDAR_NAME = "Relances du registre"
_OUR_UID = "@suivi-xlsx"
# A calendar of reminders is a few hundred kB; a previous file far larger is not one of ours.
_MAX_PREVIOUS_BYTES = 64 * 1024 * 1024


def event_summary(reminder: Reminder) -> str:
    """« [26.1601.010] Accuser réception — DUPONT Marie »."""
    where = reminder.entry.order_text or f"{reminder.entry.sheet}, ligne {reminder.entry.row}"
    summary = f"[{where}] {reminder.action.value}"
    return f"{summary} — {reminder.client}" if reminder.client else summary


def _description(reminder: Reminder, today: dt.date) -> str:
    lines = [
        f"{reminder.action.value} avant le {fr_date(reminder.deadline)}"
        + (f" (en retard au {fr_date(today)})" if reminder.days_left < 0 else "")
        + ".",
    ]
    if reminder.subject:
        lines.append(f"Objet : {reminder.subject}")
    if reminder.client:
        lines.append(f"Client : {reminder.client}")
    lines.append(f"Personne chargée du dossier : {reminder.person}")
    agency = f", agence {reminder.source.agency}" if reminder.source.label else ""
    lines.append(f"Registre : {reminder.source.file_name}, cellule {reminder.cell}{agency}")
    return "\n".join(lines)


# --- the previous file -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PreviousEvent:
    """One of our events in a calendar written earlier."""

    uid: str
    sequence: int
    start: dt.date
    summary: str
    cancelled: bool


@dataclass(frozen=True, slots=True)
class PreviousCalendar:
    """Our events (UID ``…@suivi-xlsx``) in a calendar written earlier, by UID."""

    path: Path
    events: Mapping[str, PreviousEvent]


def _as_date(value: Any) -> dt.date | None:
    moment = getattr(value, "dt", value)
    if isinstance(moment, dt.datetime):
        return moment.date()
    return moment if isinstance(moment, dt.date) else None


def read_previous_calendar(path: str | os.PathLike[str]) -> PreviousCalendar:
    """Read the events we wrote in ``path``. Anything else in the file is ignored.

    Raises ``UnreadableFileError`` (French message) when the file is missing, too large or not
    an iCalendar file."""
    from icalendar import Calendar

    source = Path(path)
    what = f"l'agenda précédent « {source.name} »"
    try:
        size = source.stat().st_size
        if size > _MAX_PREVIOUS_BYTES:
            raise UnreadableFileError(
                f"{what} est bien trop grand pour un agenda de relances "
                f"({size // (1024 * 1024)} Mo) : indiquez le fichier .ics écrit par "
                "suivi relances.",
                path=source,
            )
        raw = source.read_bytes()
    except OSError as error:
        reason = "introuvable" if isinstance(error, FileNotFoundError) else "illisible"
        raise UnreadableFileError(f"{what} est {reason}.", path=source) from None
    try:
        calendar = Calendar.from_ical(raw)
        components = calendar.walk("VEVENT")
    except Exception:  # icalendar raises ValueError, KeyError, IndexError… on bad input
        raise UnreadableFileError(
            f"{what} n'est pas un agenda iCalendar lisible : indiquez le fichier .ics écrit "
            "par suivi relances.",
            path=source,
        ) from None
    events: dict[str, PreviousEvent] = {}
    for component in components:
        uid = str(component.get("uid", ""))
        start = _as_date(component.get("dtstart"))
        if not uid.endswith(_OUR_UID) or start is None:
            continue
        try:
            sequence = int(component.get("sequence", 0))
        except (TypeError, ValueError):
            sequence = 0
        status = str(component.get("status", "")).upper()
        events[uid] = PreviousEvent(
            uid, max(sequence, 0), start, str(component.get("summary", "")), status == "CANCELLED"
        )
    return PreviousCalendar(source, events)


# --- what one file holds ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CalendarPlan:
    """What one calendar file will hold: the steps to do, the earlier events to cancel, and
    the ``SEQUENCE`` of every event that was already in the previous file."""

    today: dt.date
    reminders: tuple[Reminder, ...]
    name: str = CALENDAR_NAME
    cancelled: tuple[PreviousEvent, ...] = ()
    sequences: Mapping[str, int] = field(default_factory=dict)


def _unique_uids(reminders: Sequence[Reminder]) -> list[tuple[str, Reminder]]:
    seen: set[str] = set()
    out = []
    for reminder in reminders:
        uid = reminder.uid
        if uid in seen:  # the same order number twice in the register (suivi-check says so)
            uid = f"{uid.split('@')[0]}-{reminder.entry.sheet}-{reminder.entry.row}{_OUR_UID}"
        seen.add(uid)
        out.append((uid, reminder))
    return out


def plan_calendar(
    follow: FollowUp,
    *,
    person: PersonReminders | None = None,
    previous: PreviousCalendar | None = None,
    states: StepStates | None = None,
) -> CalendarPlan:
    """The calendar of ``follow``'s reminders (of ``person`` alone when given). With the
    ``previous`` file and the registers' ``states``, the previous events of steps now done are
    cancelled; without both, nothing is."""
    reminders = person.reminders if person is not None else follow.reminders
    name = f"{CALENDAR_NAME} — {person.name}" if person is not None else CALENDAR_NAME
    if previous is None:
        return CalendarPlan(follow.today, reminders, name)
    uids = {uid for uid, _ in _unique_uids(reminders)}
    sequences = {uid: event.sequence + 1 for uid, event in previous.events.items() if uid in uids}
    cancelled: list[PreviousEvent] = []
    if states is not None:
        for uid, event in previous.events.items():
            if uid not in uids and not event.cancelled and states.finished(uid):
                cancelled.append(event)
                sequences[uid] = event.sequence + 1
    cancelled.sort(key=lambda event: (event.start, event.summary))
    return CalendarPlan(follow.today, reminders, name, tuple(cancelled), sequences)


def calendar_bytes(
    follow: FollowUp,
    *,
    remind_days: int = 2,
    stamp: dt.datetime | None = None,
    plan: CalendarPlan | None = None,
) -> bytes:
    """The iCalendar text of the reminders (CRLF lines, folded at 75 octets, values escaped,
    as ``icalendar`` writes them): ``plan``'s, or every reminder of ``follow``."""
    from icalendar import Alarm, Calendar, Event

    plan = plan or plan_calendar(follow)
    stamp = stamp or dt.datetime.now(dt.timezone.utc)
    calendar = Calendar()
    calendar.add("prodid", "-//suivi-xlsx//Relances du registre des réclamations//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", plan.name)
    trigger = -dt.timedelta(days=remind_days)
    today = plan.today
    for uid, reminder in _unique_uids(plan.reminders):
        summary = event_summary(reminder)
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        if uid in plan.sequences:
            event.add("sequence", plan.sequences[uid])
        # A step already late goes on the reference date, its deadline in the title: on its
        # past deadline, nobody would see it, and its alarm would already have gone off. No
        # alarm before the reference date either.
        day = max(reminder.deadline, today)
        if reminder.deadline < today:
            summary = f"{summary} (en retard, échéance du {fr_date(reminder.deadline)})"
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("summary", summary)
        event.add("description", _description(reminder, today))
        event.add("categories", [reminder.person])
        event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: the day stays free
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", summary)
        alarm.add("trigger", max(trigger, today - day))
        event.add_component(alarm)
        calendar.add_component(event)
    for earlier in plan.cancelled:
        event = Event()
        event.add("uid", earlier.uid)
        event.add("dtstamp", stamp)
        event.add("sequence", plan.sequences[earlier.uid])
        event.add("status", "CANCELLED")
        event.add("dtstart", earlier.start)
        event.add("dtend", earlier.start + dt.timedelta(days=1))
        event.add("summary", earlier.summary)
        event.add(
            "description",
            f"Étape faite, ou dossier clos, d'après le registre au {fr_date(today)}.",
        )
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data


def write_calendar(
    follow: FollowUp,
    out: str | os.PathLike[str],
    *,
    remind_days: int = 2,
    force: bool = False,
    plan: CalendarPlan | None = None,
) -> Path:
    """Write the reminders (``plan``'s, or all of ``follow``'s) to the iCalendar file ``out``
    (.ics) and return its path. Refuses (``RefusedError``, nothing written) an existing
    ``out`` unless ``force``."""
    data = calendar_bytes(follow, remind_days=remind_days, plan=plan)

    def write(path: Path) -> None:
        path.write_bytes(data)

    return write_new_file(Path(out), write, force=force, option="--ics")


# --- one file per person ---------------------------------------------------------------------

# Windows refuses these in a file name, and these names whatever the extension.
_FILE_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10))}
_RESERVED |= {f"LPT{n}" for n in range(1, 10)}
_MAX_STEM = 80


def _file_stem(name: str) -> str:
    stem = " ".join(_FILE_FORBIDDEN.sub(" ", name).split()).rstrip(". ")[:_MAX_STEM].rstrip(". ")
    stem = stem or "Sans nom"
    return f"{stem}_" if stem.upper() in _RESERVED else stem


def person_calendar_paths(
    follow: FollowUp, folder: str | os.PathLike[str]
) -> list[tuple[PersonReminders, Path]]:
    """Each person's calendar file in ``folder``: « relances - MARTIN Sophie.ics », a name
    every system accepts, made unique without regard to case (as Windows compares names)."""
    base = Path(folder)
    taken: set[str] = set()
    out = []
    for person in follow.people:
        stem = f"relances - {_file_stem(person.name)}"
        candidate, n = stem, 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{stem} ({n})"
        taken.add(candidate.casefold())
        out.append((person, base / f"{candidate}.ics"))
    return out


def refuse_existing_calendars(paths: Sequence[Path], *, force: bool) -> None:
    """Refuse (``RefusedError``, before anything is written) when one of the people's
    calendars already exists and ``force`` is not set."""
    if force:
        return
    there = [path for path in paths if path.exists()]
    if there:
        others = f" (et {len(there) - 1} autre(s))" if len(there) > 1 else ""
        raise RefusedError(
            f"« {there[0]} »{others} existe déjà : choisissez un autre dossier avec "
            "--ics-par-personne, ou ajoutez --remplacer pour remplacer ces agendas.",
            path=there[0],
        )
