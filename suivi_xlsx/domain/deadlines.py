"""Regulatory deadlines: months clamped to month end, calendar or working days.

Pure date arithmetic. A deadline is missed only once it has passed: due today is not late.

Two ways of counting the acknowledgement delay (``model.Calendar``):

- ``CALENDAR_DAYS`` (the seed's wording, the default): receipt + 10 days, whatever day that is.
- ``WORKING_DAYS`` (*jours ouvrables*, as the ACPR guidance counts): the 10th working day after
  the day of receipt, a working day being Monday to Saturday except French public holidays
  (from the ``holidays`` package, imported only when needed; Alsace-Moselle adds Good Friday and
  26 December). In that mode a deadline that falls on a non-working day, such as the 2-month
  answer deadline, moves to the next working day.

The 2-month answer deadline is always counted in calendar months (``add_months``).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from suivi_xlsx.domain.model import Calendar, Settings

_ONE_DAY = dt.timedelta(days=1)
_SUNDAY = 6


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` calendar months later, clamped to month end (31/12 + 2 → 28/02)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    # Days in that month, without the ``calendar`` module (and ``locale``) at start-up.
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - _ONE_DAY).day
    return dt.date(year, month, min(day.day, last))


def is_past(deadline: dt.date, today: dt.date) -> bool:
    """True once the deadline has passed: due today is not late, due yesterday is."""
    return deadline < today


# Subdivision codes of Alsace-Moselle across ``holidays`` releases (57 Moselle and 6AE Alsace,
# formerly 67/68 and before that GES); they all add Good Friday and 26 December.
_ALSACE_MOSELLE_SUBDIVS = ("57", "6AE", "67", "68", "GES")


@lru_cache(maxsize=256)
def public_holidays(year: int, alsace_moselle: bool = False) -> frozenset[dt.date]:
    """French (metropolitan) public holidays of ``year``; with Alsace-Moselle's two extra days."""
    import holidays  # lazily: only the working-day calendar needs it (≈ 0.2 s to load)

    france = holidays.country_holidays("FR", years=year)
    if not alsace_moselle:
        return frozenset(france.keys())
    known = set(france.subdivisions)
    subdiv = next((code for code in _ALSACE_MOSELLE_SUBDIVS if code in known), None)
    if subdiv is None:  # pragma: no cover - a holidays release without Alsace-Moselle
        raise RuntimeError("holidays: no Alsace-Moselle subdivision for France")
    return frozenset(holidays.country_holidays("FR", subdiv=subdiv, years=year).keys())


class Deadlines:
    """The register's delays: acknowledgement (``ack_days``) and answer (``answer_months``).

    Results are memoised by date of receipt: a register has few distinct dates.
    """

    __slots__ = (
        "_ack_cache",
        "_answer_cache",
        "ack_days",
        "alsace_moselle",
        "answer_months",
        "calendar",
    )

    def __init__(
        self,
        *,
        ack_days: int = 10,
        answer_months: int = 2,
        calendar: Calendar = Calendar.CALENDAR_DAYS,
        alsace_moselle: bool = False,
    ) -> None:
        if ack_days < 0 or answer_months < 0:
            raise ValueError("delays must not be negative")
        self.ack_days = ack_days
        self.answer_months = answer_months
        self.calendar = calendar
        self.alsace_moselle = alsace_moselle
        self._ack_cache: dict[dt.date, dt.date] = {}
        self._answer_cache: dict[dt.date, dt.date] = {}

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        *,
        calendar: Calendar | None = None,
        alsace_moselle: bool | None = None,
    ) -> Deadlines:
        """From the parameters sheet; ``calendar`` / ``alsace_moselle`` override it when given."""
        return cls(
            ack_days=settings.ack_days,
            answer_months=settings.answer_months,
            calendar=settings.calendar if calendar is None else calendar,
            alsace_moselle=settings.alsace_moselle if alsace_moselle is None else alsace_moselle,
        )

    @property
    def working_days(self) -> bool:
        return self.calendar is Calendar.WORKING_DAYS

    def is_working_day(self, day: dt.date) -> bool:
        """Monday to Saturday, not a French public holiday (*jour ouvrable*)."""
        return day.weekday() != _SUNDAY and day not in public_holidays(
            day.year, self.alsace_moselle
        )

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += _ONE_DAY
        return day

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``day`` (``day`` itself is not counted)."""
        for _ in range(count):
            day = self.next_working_day(day + _ONE_DAY)
        return day

    def ack_deadline(self, received: dt.date) -> dt.date:
        """Last day to acknowledge (or answer) a complaint received on ``received``."""
        deadline = self._ack_cache.get(received)
        if deadline is None:
            if self.working_days:
                deadline = self.add_working_days(received, self.ack_days)
            else:
                deadline = received + dt.timedelta(days=self.ack_days)
            self._ack_cache[received] = deadline
        return deadline

    def answer_deadline(self, received: dt.date) -> dt.date:
        """Last day to answer a complaint received on ``received`` (2 months, month-end clamped;
        moved to the next working day when counting working days)."""
        deadline = self._answer_cache.get(received)
        if deadline is None:
            deadline = add_months(received, self.answer_months)
            if self.working_days:
                deadline = self.next_working_day(deadline)
            self._answer_cache[received] = deadline
        return deadline
