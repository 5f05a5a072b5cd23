"""Yearly figures of one or several registers: every number of the annual summary (bilan).

Pure: reads ``Register`` objects, returns frozen dataclasses. ``to_frames`` gives the same figures
as pandas DataFrames for scripts (pandas is imported there only).

Scope: the entries whose *Date* falls in the year. Entries with no readable Date cannot be placed
in a year; they are left out, and those that may belong to the year (nothing says another year:
see ``may_belong_to``) are counted and located (``undated``, ``undated_at``).

Open, overdue, acknowledged and answered in time are never decided here: ``procedure`` decides
them for every command (``is_open_at``, ``is_overdue``, ``acknowledgement``, ``answer``), so the
summary's open and late counts are the check's. Which PA entry answers a complaint's dysfunction
comes from ``procedure_links``, shared with the check's ``action-corrective-manquante``.
"""

from __future__ import annotations

import datetime as dt
import re
import statistics
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from suivi_xlsx.domain import procedure
from suivi_xlsx.domain.deadlines import Deadlines
from suivi_xlsx.domain.links import (
    NumberKey,
    entry_key,
    has_corrective_action,
    pa_references,
    reports_dysfunction,
)
from suivi_xlsx.domain.model import Calendar, Entry, Origin, Register, Settings
from suivi_xlsx.domain.people import NameSpellings, display_name, person_key
from suivi_xlsx.domain.procedure import StepState
from suivi_xlsx.errors import MissingExtraError

if TYPE_CHECKING:
    import pandas as pd

ORIGINS: tuple[Origin, ...] = (Origin.FS, Origin.QS, Origin.PA)


class Status(Enum):
    """Where an entry stands at the reference date. The values are what users see."""

    OPEN = "en cours"
    OVERDUE = "en retard"
    CLOSED = "clôturée"


@dataclass(frozen=True, slots=True)
class OriginCounts:
    """How many entries of each origin; ``other`` = origin empty or unreadable."""

    fs: int = 0
    qs: int = 0
    pa: int = 0
    other: int = 0

    @property
    def total(self) -> int:
        return self.fs + self.qs + self.pa + self.other

    def of(self, origin: Origin | None) -> int:
        if origin is Origin.FS:
            return self.fs
        if origin is Origin.QS:
            return self.qs
        if origin is Origin.PA:
            return self.pa
        return self.other

    def __add__(self, other: OriginCounts) -> OriginCounts:
        return OriginCounts(
            self.fs + other.fs, self.qs + other.qs, self.pa + other.pa, self.other + other.other
        )


@dataclass(frozen=True, slots=True)
class Share:
    """A regulatory delay for complaints: how many met it among those it can be judged on
    (``procedure.acknowledgement`` / ``procedure.answer``).

    ``pending`` entries are neither handled nor late yet (their deadline is still ahead): they
    are left out of the share. Among the ``missed`` ones, ``late`` were done after the
    deadline, ``undated`` were said done without a date, the rest (``not_done``) not done.
    """

    met: int
    measured: int
    pending: int = 0
    late: int = 0
    undated: int = 0

    @property
    def missed(self) -> int:
        return self.measured - self.met

    @property
    def not_done(self) -> int:
        """Not done (nor said done) and the deadline has passed."""
        return self.measured - self.met - self.late - self.undated

    @property
    def ratio(self) -> float | None:
        """``met / measured`` (0–1), ``None`` when nothing could be measured."""
        return self.met / self.measured if self.measured else None


@dataclass(frozen=True, slots=True)
class Durations:
    """Handling times in days (closing date − Date) of closed entries."""

    count: int = 0
    median: float | None = None
    mean: float | None = None
    longest: int | None = None

    @classmethod
    def of(cls, days: Sequence[int]) -> Durations:
        if not days:
            return cls()
        return cls(len(days), float(statistics.median(days)), statistics.fmean(days), max(days))


@dataclass(frozen=True, slots=True)
class OwnerFigures:
    """One person in charge: handling times of what they closed, what they still hold."""

    owner: str | None  # None: no owner recorded
    handling: Durations
    open: int
    overdue: int


@dataclass(frozen=True, slots=True)
class Figures:
    """Every figure of one scope (one agency, or all of them) for the year."""

    entries: OriginCounts
    open: int
    closed: int
    overdue: int  # open, due date before the reference date
    closed_late: int  # closed after the due date
    acknowledged: Share | None  # FS acknowledged (or answered) within the ack delay
    answered: Share | None  # FS answered within the answer delay
    handling: Durations
    handling_by_origin: Mapping[Origin, Durations]
    by_owner: tuple[OwnerFigures, ...]  # by owner name, "no owner" last
    monthly: tuple[OriginCounts, ...]  # 12 months, January first
    previous_monthly: tuple[OriginCounts, ...] | None  # the year before, when held
    dysfunctions: int = 0  # FS whose Dysfonctionnements names a failure
    without_action: int = 0  # of those: no corrective action, no PA citing the complaint


@dataclass(frozen=True, slots=True)
class Delays:
    """The delays a register's *Paramètres* set, as the summary's labels say them."""

    ack_days: int = 10
    answer_months: int = 2
    working_days: bool = False

    @classmethod
    def of(cls, settings: Settings) -> Delays:
        return cls(
            settings.ack_days,
            settings.answer_months,
            settings.calendar is Calendar.WORKING_DAYS,
        )

    @property
    def ack_text(self) -> str:
        """« 10 jours », « 10 jours ouvrables », « 1 jour »."""
        unit = "jour" if self.ack_days <= 1 else "jours"
        return f"{self.ack_days} {unit}{' ouvrables' if self.working_days else ''}".replace(
            "jour ouvrables", "jour ouvrable"
        )

    @property
    def answer_text(self) -> str:
        """« 2 mois »."""
        return f"{self.answer_months} mois"


@dataclass(frozen=True, slots=True)
class AgencyStats:
    """The figures of one agency (one or several files resolved to the same agency)."""

    agency: str  # agency number, else the file name
    files: tuple[str, ...]
    figures: Figures
    undated: int  # entries with no readable Date that may belong to the year, left out
    delays: tuple[Delays, ...] = (Delays(),)  # distinct delays of its files, in file order

    @property
    def label(self) -> str:
        """« Agence 1601 » for an agency number, the name itself otherwise."""
        return f"Agence {self.agency}" if self.agency.isdigit() else self.agency


@dataclass(frozen=True, slots=True)
class OpenItem:
    """An entry of the year still open at the reference date."""

    agency: str
    sheet: str
    row: int
    order_number: str | None
    received_on: dt.date
    origin: Origin | None
    issuer: str | None
    subject: str | None
    owner: str | None
    due_on: dt.date | None
    days_open: int  # reference date − Date
    days_late: int | None  # reference date − due date, when overdue

    @property
    def overdue(self) -> bool:
        return self.days_late is not None

    @property
    def status(self) -> Status:
        return Status.OVERDUE if self.overdue else Status.OPEN


@dataclass(frozen=True, slots=True)
class Improvement:
    """An improvement decision (PA entry) or the corrective action recorded on a complaint."""

    agency: str
    sheet: str
    row: int
    order_number: str | None
    origin: Origin  # PA, or FS: a complaint with a dysfunction or a corrective action
    received_on: dt.date
    subject: str | None
    dysfunctions: str | None
    action: str | None  # the corrective action recorded (PA: often empty, the subject says it)
    follow_up: str | None
    owner: str | None
    due_on: dt.date | None
    closed_on: dt.date | None
    status: Status
    # FS: the PA entries citing it (« 25.1601.008 Planning partagé »); PA: the complaints it
    # cites (their order numbers).
    linked: tuple[str, ...] = ()
    missing_action: bool = False  # FS: a dysfunction, no corrective action, no PA citing it


@dataclass(frozen=True, slots=True)
class YearlyStats:
    """The annual summary's figures: consolidated, per agency, and the lists behind them."""

    year: int
    today: dt.date  # the reference date for open / overdue
    total: Figures
    agencies: tuple[AgencyStats, ...]  # in the order their files were given
    open_entries: tuple[OpenItem, ...]  # oldest first
    improvements: tuple[Improvement, ...]  # by Date
    undated: int  # entries with no readable Date that may belong to the year, left out
    files: tuple[str, ...]  # file names read
    years: tuple[int, ...]  # every year with dated entries in the registers
    # Where the ``undated`` entries are: (file, sheet, row), in reading order.
    undated_at: tuple[tuple[str, str, int], ...] = ()
    delays: tuple[Delays, ...] = (Delays(),)  # distinct delays of the registers, in file order

    @property
    def is_empty(self) -> bool:
        return self.total.entries.total == 0


def register_agency(register: Register, fallback: str = "Registre") -> str:
    """The agency a register belongs to: the agency most of its order numbers carry, else its
    parameters sheet's agency number, else its file name."""
    agencies = Counter(
        entry.order_number.agency for entry in register.entries if entry.order_number is not None
    )
    if agencies:
        return agencies.most_common(1)[0][0]
    if register.settings.agency:
        return register.settings.agency
    if register.path is not None:
        return register.path.stem
    return fallback


#: Open at a reference date: ``procedure.is_open_at``, the one every command uses.
is_open_at = procedure.is_open_at


def status_at(entry: Entry, today: dt.date, rules: Deadlines) -> Status:
    """Closed, late or open at ``today``, as ``procedure`` decides (``procedure.is_late``)."""
    if not procedure.is_open_at(entry, today):
        return Status.CLOSED
    if procedure.is_late(entry, rules, today):
        return Status.OVERDUE
    return Status.OPEN


_YEAR_IN_NAME = re.compile(r"(?<![0-9])(19[0-9]{2}|20[0-9]{2}|21[0-9]{2})(?![0-9])")


def sheet_year(name: str) -> int | None:
    """The year a sheet is named for (« 2025 », « Registre 2025 »), ``None`` when its name
    holds no year or several."""
    years = set(_YEAR_IN_NAME.findall(name))
    return int(years.pop()) if len(years) == 1 else None


def may_belong_to(entry: Entry, year: int, named_year: int | None) -> bool:
    """Whether an entry without a readable Date may belong to ``year``: nothing says another
    year — its Année, else its order number's ``aa``, else the year its sheet is named for
    (``named_year``)."""
    if entry.year is not None:
        return entry.year == year
    number = entry.order_number
    if number is not None:
        return number.year2 == year % 100
    if named_year is not None:
        return named_year == year
    return True


def _owner(name: str | None) -> tuple[str | None, str | None]:
    """(``person_key``, the name as shown on its row) of a person in charge as typed; the
    figures by person group by the key, as the follow-up lists do."""
    if name is None:
        return None, None
    return person_key(name) or None, display_name(name) or None


def _clean(text: str | None) -> str | None:
    if text is None:
        return None
    text = text.strip()
    return text or None


# Origins as list indices: enum hashing is slow on 100k rows, identity tests are not.
_OTHER = 3


def _slot(origin: Origin | None) -> int:
    if origin is Origin.FS:
        return 0
    if origin is Origin.QS:
        return 1
    if origin is Origin.PA:
        return 2
    return _OTHER


class _Tally:
    """Accumulates one scope's figures in a single pass over its entries."""

    def __init__(self) -> None:
        self.by_origin = [0, 0, 0, 0]
        self.monthly = [[0, 0, 0, 0] for _ in range(12)]
        self.previous = [[0, 0, 0, 0] for _ in range(12)]
        self.has_previous = False
        self.open = 0
        self.overdue = 0
        self.closed_late = 0
        self.days: list[list[int]] = [[], [], [], []]  # by origin slot
        self.owner_days: dict[str | None, list[int]] = {}
        self.owner_open: dict[str | None, int] = {}
        self.owner_overdue: dict[str | None, int] = {}
        self.ack_columns = False
        self.answer_columns = False
        self.ack = [0, 0, 0, 0, 0]  # met, late, undated, not done (deadline passed), pending
        self.answer = [0, 0, 0, 0, 0]
        self.dysfunctions = 0
        self.without_action = 0

    def add(
        self, entry: Entry, received: dt.date, person: str | None, rules: Deadlines, today: dt.date
    ) -> bool:
        """Count one entry of the year (``person``: the ``person_key`` of who is in charge);
        return whether it is open at ``today``."""
        slot = _slot(entry.origin)
        self.by_origin[slot] += 1
        self.monthly[received.month - 1][slot] += 1
        days = self.owner_days.get(person)
        if days is None:
            days = self.owner_days[person] = []
        closed = entry.closed_on
        due = entry.due_on
        is_open = procedure.is_open_at(entry, today)
        if not is_open:
            if closed is not None:
                if closed >= received:
                    elapsed = (closed - received).days
                    self.days[slot].append(elapsed)
                    days.append(elapsed)
                if due is not None and closed > due:
                    self.closed_late += 1
        else:
            self.open += 1
            self.owner_open[person] = self.owner_open.get(person, 0) + 1
            if procedure.is_late(entry, rules, today):
                self.overdue += 1
                self.owner_overdue[person] = self.owner_overdue.get(person, 0) + 1
        if slot == 0:
            ack, answer = procedure.complaint_steps(entry, rules, today)
            if ack is not None:
                self.ack_columns = True
                self.ack[_state_slot(ack.state)] += 1
            if answer is not None:
                self.answer_columns = True
                self.answer[_state_slot(answer.state)] += 1
        return is_open

    def add_previous(self, entry: Entry, received: dt.date) -> None:
        self.has_previous = True
        self.previous[received.month - 1][_slot(entry.origin)] += 1

    def merge(self, other: _Tally) -> None:
        """Add another scope's tallies (the consolidated view of several agencies)."""
        for mine, theirs in (
            (self.by_origin, other.by_origin),
            (self.ack, other.ack),
            (self.answer, other.answer),
            *zip(self.monthly, other.monthly, strict=True),
            *zip(self.previous, other.previous, strict=True),
        ):
            for index, value in enumerate(theirs):
                mine[index] += value
        self.has_previous |= other.has_previous
        self.open += other.open
        self.overdue += other.overdue
        self.closed_late += other.closed_late
        self.dysfunctions += other.dysfunctions
        self.without_action += other.without_action
        for slot, days in enumerate(other.days):
            self.days[slot].extend(days)
        for owner, days in other.owner_days.items():
            self.owner_days.setdefault(owner, []).extend(days)
        for mine_count, theirs_count in (
            (self.owner_open, other.owner_open),
            (self.owner_overdue, other.owner_overdue),
        ):
            for owner, count in theirs_count.items():
                mine_count[owner] = mine_count.get(owner, 0) + count
        self.ack_columns |= other.ack_columns
        self.answer_columns |= other.answer_columns

    def figures(self, people: Mapping[str, str]) -> Figures:
        """The figures; ``people``: person key → name shown (``people.NameSpellings``)."""
        total = _counts(self.by_origin)
        shown = {key: people[key] if key is not None else None for key in self.owner_days}
        owners = sorted(shown, key=lambda key: (key is None, (shown[key] or "").casefold()))
        return Figures(
            entries=total,
            open=self.open,
            closed=total.total - self.open,
            overdue=self.overdue,
            closed_late=self.closed_late,
            acknowledged=_share(self.ack) if self.ack_columns else None,
            answered=_share(self.answer) if self.answer_columns else None,
            handling=Durations.of([d for days in self.days for d in days]),
            handling_by_origin=MappingProxyType(
                {origin: Durations.of(self.days[_slot(origin)]) for origin in ORIGINS}
            ),
            by_owner=tuple(
                OwnerFigures(
                    shown[owner],
                    Durations.of(self.owner_days[owner]),
                    self.owner_open.get(owner, 0),
                    self.owner_overdue.get(owner, 0),
                )
                for owner in owners
            ),
            monthly=tuple(_counts(month) for month in self.monthly),
            previous_monthly=(
                tuple(_counts(month) for month in self.previous) if self.has_previous else None
            ),
            dysfunctions=self.dysfunctions,
            without_action=self.without_action,
        )


def _counts(slots: Sequence[int]) -> OriginCounts:
    return OriginCounts(fs=slots[0], qs=slots[1], pa=slots[2], other=slots[3])


def _state_slot(state: StepState) -> int:
    """The tally slot of a step's state (identity tests: hashing an Enum is a Python call)."""
    if state is StepState.MET:
        return 0
    if state is StepState.LATE:
        return 1
    if state is StepState.UNDATED:
        return 2
    if state is StepState.MISSED:
        return 3
    return 4  # PENDING


def _share(judged: Sequence[int]) -> Share:
    met, late, undated, not_done, pending = judged
    return Share(
        met=met,
        measured=met + late + undated + not_done,
        pending=pending,
        late=late,
        undated=undated,
    )


def _days_late(entry: Entry, rules: Deadlines, today: dt.date) -> int | None:
    """Days since the first deadline missed (due date, acknowledgement, answer), when the
    entry is late (``procedure.is_late``)."""
    if not procedure.is_late(entry, rules, today):
        return None
    passed = [entry.due_on] if entry.due_on is not None and entry.due_on < today else []
    for step in procedure.complaint_steps(entry, rules, today):
        if step is not None and step.state is procedure.StepState.MISSED:
            passed.append(step.deadline)
    return (today - min(passed)).days


def _open_item(
    entry: Entry,
    received: dt.date,
    owner: str | None,
    agency: str,
    today: dt.date,
    rules: Deadlines,
) -> OpenItem:
    due = entry.due_on
    return OpenItem(
        agency=agency,
        sheet=entry.sheet,
        row=entry.row,
        order_number=entry.order_text,
        received_on=received,
        origin=entry.origin,
        issuer=entry.issuer,
        subject=entry.subject,
        owner=owner,
        due_on=due,
        days_open=(today - received).days,
        days_late=_days_late(entry, rules, today),
    )


def _improvement(
    entry: Entry,
    received: dt.date,
    owner: str | None,
    agency: str,
    today: dt.date,
    rules: Deadlines,
    linked: tuple[str, ...] = (),
    missing_action: bool = False,
) -> Improvement:
    assert entry.origin is not None
    return Improvement(
        agency=agency,
        sheet=entry.sheet,
        row=entry.row,
        order_number=entry.order_text,
        origin=entry.origin,
        received_on=received,
        subject=entry.subject,
        dysfunctions=_clean(entry.dysfunctions),
        action=_clean(entry.corrective_actions),
        follow_up=_clean(entry.follow_up),
        owner=owner,
        due_on=entry.due_on,
        closed_on=entry.closed_on,
        status=status_at(entry, today, rules),
        linked=linked,
        missing_action=missing_action,
    )


def _pa_label(entry: Entry) -> str:
    """A PA entry as the Améliorations list cites it: « 25.1601.008 Planning partagé »."""
    parts = [part for part in (entry.order_text, _clean(entry.subject)) if part]
    return " ".join(parts) if parts else f"{entry.sheet} ligne {entry.row}"


class _Links:
    """One register's PA references (``procedure_links.pa_references``), computed on first
    use, with the complaints each PA cites."""

    def __init__(self, register: Register) -> None:
        self._register = register
        self._by_complaint: dict[NumberKey, list[Entry]] | None = None
        self._by_pa: dict[int, list[str]] | None = None

    def pa_for(self, complaint: Entry) -> list[Entry]:
        """The PA entries citing ``complaint``'s order number."""
        key = entry_key(complaint)
        if key is None:
            return []
        if self._by_complaint is None:
            self._by_complaint = pa_references(self._register.entries)
        return self._by_complaint.get(key, [])

    def complaints_of(self, pa: Entry) -> tuple[str, ...]:
        """The order numbers of the register's complaints that ``pa`` cites."""
        if self._by_pa is None:
            if self._by_complaint is None:
                self._by_complaint = pa_references(self._register.entries)
            self._by_pa = {}
            if self._by_complaint:
                for e in self._register.entries:
                    if e.origin is Origin.FS:
                        key = entry_key(e)
                        for cited_by in self._by_complaint.get(key, ()) if key else ():
                            self._by_pa.setdefault(id(cited_by), []).append(
                                e.order_text or str(key)
                            )
        return tuple(self._by_pa.get(id(pa), ()))


def yearly_stats(registers: Sequence[Register], year: int, today: dt.date) -> YearlyStats:
    """The figures of ``year`` over ``registers`` (one per agency, or several files of one),
    open / overdue judged at ``today``."""
    by_agency: dict[str, tuple[_Tally, list[str], list[int], list[Delays]]] = {}
    open_items: list[OpenItem] = []
    improvements: list[Improvement] = []
    years: set[int] = set()
    files: list[str] = []
    undated_at: list[tuple[str, str, int]] = []
    all_delays: list[Delays] = []
    # As typed → (person key, name shown on the row): few distinct names, looked up once.
    owners: dict[str | None, tuple[str | None, str | None]] = {}
    owner_uses: Counter[str] = Counter()  # each spelling's number of entries
    fs, pa = Origin.FS, Origin.PA
    for index, register in enumerate(registers, start=1):
        agency = register_agency(register, fallback=f"Registre {index}")
        name = register.path.name if register.path is not None else agency
        files.append(name)
        tally, agency_files, agency_undated, agency_delays = by_agency.setdefault(
            agency, (_Tally(), [], [0], [])
        )
        agency_files.append(name)
        delays = Delays.of(register.settings)
        for known in (agency_delays, all_delays):
            if delays not in known:
                known.append(delays)
        rules = Deadlines.from_settings(register.settings)
        links = _Links(register)
        for sheet in register.sheets:
            named_year = sheet_year(sheet.name)
            for entry in sheet.entries:
                raw_owner = entry.owner
                if raw_owner in owners:
                    person, owner = owners[raw_owner]
                else:
                    person, owner = owners[raw_owner] = _owner(raw_owner)
                if person is not None:  # every entry counts, as in the follow-up lists
                    owner_uses[owner or ""] += 1
                received = entry.received_on
                if received is None:
                    if may_belong_to(entry, year, named_year):
                        agency_undated[0] += 1
                        undated_at.append((name, sheet.name, entry.row))
                    continue
                entry_year = received.year
                years.add(entry_year)
                if entry_year != year:
                    if entry_year == year - 1:
                        tally.add_previous(entry, received)
                    continue
                if tally.add(entry, received, person, rules, today):
                    open_items.append(_open_item(entry, received, owner, agency, today, rules))
                origin = entry.origin
                if origin is pa:
                    improvements.append(
                        _improvement(
                            entry, received, owner, agency, today, rules, links.complaints_of(entry)
                        )
                    )
                elif origin is fs and (
                    entry.dysfunctions is not None or entry.corrective_actions is not None
                ):
                    dysfunction = reports_dysfunction(entry)
                    acted = has_corrective_action(entry)
                    if not (dysfunction or acted):
                        continue
                    cited_by = links.pa_for(entry)
                    missing = dysfunction and not acted and not cited_by
                    if dysfunction:
                        tally.dysfunctions += 1
                        tally.without_action += int(missing)
                    improvements.append(
                        _improvement(
                            entry,
                            received,
                            owner,
                            agency,
                            today,
                            rules,
                            tuple(_pa_label(p) for p in cited_by),
                            missing,
                        )
                    )
    spellings = NameSpellings()
    for spelling, uses in owner_uses.items():
        spellings.add(spelling, uses)
    people = spellings.names()
    if len(by_agency) == 1:
        total = next(iter(by_agency.values()))[0]
    else:
        total = _Tally()
        for tally, _, _, _ in by_agency.values():
            total.merge(tally)
    open_items.sort(key=lambda item: item.received_on)  # stable: file then row order on ties
    improvements.sort(key=lambda item: item.received_on)
    return YearlyStats(
        year=year,
        today=today,
        total=total.figures(people),
        agencies=tuple(
            AgencyStats(agency, tuple(names), tally.figures(people), count[0], tuple(delays))
            for agency, (tally, names, count, delays) in by_agency.items()
        ),
        open_entries=tuple(open_items),
        improvements=tuple(improvements),
        undated=len(undated_at),
        files=tuple(files),
        years=tuple(sorted(years)),
        undated_at=tuple(undated_at),
        delays=tuple(all_delays) or (Delays(),),
    )


# --- pandas, for scripts ------------------------------------------------------------------------


def _row(item: object, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for f in fields(item):  # type: ignore[arg-type]
        value = getattr(item, f.name)
        row[f.name] = value.value if isinstance(value, Enum) else value
    row.update(extra or {})
    return row


def _overview(scope: str, figures: Figures) -> dict[str, Any]:
    ack, answer = figures.acknowledged, figures.answered
    return {
        "scope": scope,
        "fs": figures.entries.fs,
        "qs": figures.entries.qs,
        "pa": figures.entries.pa,
        "other": figures.entries.other,
        "total": figures.entries.total,
        "open": figures.open,
        "closed": figures.closed,
        "overdue": figures.overdue,
        "closed_late": figures.closed_late,
        "ack_met": ack.met if ack else None,
        "ack_measured": ack.measured if ack else None,
        "ack_share": ack.ratio if ack else None,
        "ack_late": ack.late if ack else None,
        "ack_not_done": ack.not_done + ack.undated if ack else None,
        "answer_met": answer.met if answer else None,
        "answer_measured": answer.measured if answer else None,
        "answer_share": answer.ratio if answer else None,
        "answer_late": answer.late if answer else None,
        "answer_not_done": answer.not_done + answer.undated if answer else None,
        "dysfunctions": figures.dysfunctions,
        "without_action": figures.without_action,
        "handling_median": figures.handling.median,
        "handling_mean": figures.handling.mean,
    }


def _scopes(stats: YearlyStats) -> Iterable[tuple[str, Figures]]:
    yield "total", stats.total
    if len(stats.agencies) > 1:
        for agency in stats.agencies:
            yield agency.agency, agency.figures


def to_frames(stats: YearlyStats) -> dict[str, pd.DataFrame]:
    """The figures as DataFrames: ``overview`` (one row per scope: ``total`` then each agency
    when several), ``monthly``, ``handling_by_origin``, ``handling_by_owner``, ``open_entries``,
    ``improvements``. pandas is an extra (``pip install "suivi_xlsx[pandas]"``): none of the
    commands needs it, and it weighs tens of MB on a Windows install."""
    try:
        import pandas as pd
    except ImportError:
        raise MissingExtraError(
            "Les tableaux pandas demandent le module pandas, qui n'est pas installé : "
            'installez-le avec  pip install "suivi_xlsx[pandas]"  puis relancez.'
        ) from None

    scopes = list(_scopes(stats))
    monthly = [
        {"scope": scope, "year": year, "month": month, **_row(counts), "total": counts.total}
        for scope, figures in scopes
        for year, months in (
            (stats.year, figures.monthly),
            (stats.year - 1, figures.previous_monthly),
        )
        if months is not None
        for month, counts in enumerate(months, start=1)
    ]
    by_origin = [
        {"scope": scope, "origin": origin.value, **_row(durations)}
        for scope, figures in scopes
        for origin, durations in figures.handling_by_origin.items()
    ]
    by_owner = [
        {
            "scope": scope,
            "owner": owner.owner,
            **_row(owner.handling),
            "open": owner.open,
            "overdue": owner.overdue,
        }
        for scope, figures in scopes
        for owner in figures.by_owner
    ]
    return {
        "overview": pd.DataFrame([_overview(scope, figures) for scope, figures in scopes]),
        "monthly": pd.DataFrame(monthly),
        "handling_by_origin": pd.DataFrame(by_origin),
        "handling_by_owner": pd.DataFrame(by_owner),
        "open_entries": pd.DataFrame(
            [_row(item, {"status": item.status.value}) for item in stats.open_entries]
        ),
        "improvements": pd.DataFrame([_row(item) for item in stats.improvements]),
    }
