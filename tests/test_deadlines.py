"""Deadlines: calendar months clamped to month end, calendar days, jours ouvrables."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suivi_xlsx.domain.deadlines import Deadlines, add_months, is_past, public_holidays
from suivi_xlsx.domain.model import Calendar, Settings

D = dt.date
WORKING = Deadlines(calendar=Calendar.WORKING_DAYS)
WORKING_AM = Deadlines(calendar=Calendar.WORKING_DAYS, alsace_moselle=True)
dates = st.dates(min_value=D(2000, 1, 1), max_value=D(2060, 12, 31))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (D(2025, 3, 5), 2, D(2025, 5, 5)),
        (D(2024, 12, 31), 2, D(2025, 2, 28)),  # clamped to month end
        (D(2023, 12, 31), 2, D(2024, 2, 29)),  # leap year
        (D(2025, 8, 31), 1, D(2025, 9, 30)),
        (D(2025, 11, 15), 2, D(2026, 1, 15)),  # across the year
        (D(2025, 3, 31), -1, D(2025, 2, 28)),
        (D(2025, 3, 5), 0, D(2025, 3, 5)),
    ],
)
def test_add_months_examples(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


@given(dates, st.integers(min_value=-24, max_value=120))
def test_add_months_properties(day: dt.date, months: int) -> None:
    result = add_months(day, months)
    # exactly ``months`` months apart, same day unless clamped to the last day of the month
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(day.day, last)
    # going forward never goes back, and the inverse leads back when no clamping occurred
    if months >= 0:
        assert result >= day
    if day.day <= 28:
        assert add_months(result, -months) == day


def test_is_past_due_today_is_not_late_due_yesterday_is() -> None:
    today = D(2025, 6, 2)
    assert (
        is_past(today, today),
        is_past(D(2025, 6, 1), today),
        is_past(D(2025, 6, 3), today),
    ) == (
        False,
        True,
        False,
    )


def test_calendar_days_by_default_no_shift_for_sundays_or_holidays() -> None:
    deadlines = Deadlines()
    # 10 days after 22/04/2025 is 02/05/2025; after 04/05/2025 (received Sunday) 14/05;
    # 15/12/2024 + 10 = 25/12/2024 (Christmas) stays as is, as the seed counts.
    assert [
        deadlines.ack_deadline(d) for d in (D(2025, 4, 22), D(2025, 5, 4), D(2024, 12, 15))
    ] == [
        D(2025, 5, 2),
        D(2025, 5, 14),
        D(2024, 12, 25),
    ]
    assert deadlines.answer_deadline(D(2024, 12, 31)) == D(2025, 2, 28)
    assert deadlines.answer_deadline(D(2025, 3, 1)) == D(2025, 5, 1)  # a holiday, not moved


def test_working_days_skip_sundays_and_public_holidays() -> None:
    # Received Wed 30/04/2025: 1 May and 8 May are holidays, Sundays 4 and 11 May are not
    # counted: 2,3,5,6,7,9,10,12,13,14 → 14/05/2025.
    assert WORKING.ack_deadline(D(2025, 4, 30)) == D(2025, 5, 14)
    # Saturdays are working days (jours ouvrables): received Fri 06/06/2025 → 9 June is
    # Whit Monday: 7,10,11,12,13,14,16,17,18,19 → 19/06/2025.
    assert WORKING.ack_deadline(D(2025, 6, 6)) == D(2025, 6, 19)


def test_working_days_answer_deadline_moves_to_next_working_day() -> None:
    assert WORKING.answer_deadline(D(2025, 3, 1)) == D(2025, 5, 2)  # 1 May → 2 May
    assert WORKING.answer_deadline(D(2025, 3, 8)) == D(2025, 5, 9)  # 8 May → 9 May
    assert WORKING.answer_deadline(D(2025, 3, 11)) == D(2025, 5, 12)  # Sunday → Monday
    assert WORKING.answer_deadline(D(2025, 3, 12)) == D(2025, 5, 12)  # a Monday: unchanged


def test_alsace_moselle_adds_good_friday_and_26_december() -> None:
    extra = public_holidays(2025, alsace_moselle=True) - public_holidays(2025)
    assert extra == {D(2025, 4, 18), D(2025, 12, 26)}
    # received Tue 16/12/2025: 25 and 26 December, Sundays 21 and 28 are skipped in Moselle
    assert WORKING.ack_deadline(D(2025, 12, 16)) == D(2025, 12, 29)
    assert WORKING_AM.ack_deadline(D(2025, 12, 16)) == D(2025, 12, 30)


def test_from_settings_and_overrides() -> None:
    settings = Settings(ack_days=5, answer_months=1, calendar=Calendar.WORKING_DAYS)
    deadlines = Deadlines.from_settings(settings)
    assert (deadlines.ack_days, deadlines.answer_months, deadlines.working_days) == (5, 1, True)
    override = Deadlines.from_settings(
        settings, calendar=Calendar.CALENDAR_DAYS, alsace_moselle=True
    )
    assert (override.working_days, override.alsace_moselle) == (False, True)
    with pytest.raises(ValueError):
        Deadlines(ack_days=-1)


@given(dates)
def test_next_working_day_properties(day: dt.date) -> None:
    result = WORKING_AM.next_working_day(day)
    assert result >= day and WORKING_AM.is_working_day(result)
    span = (result - day).days
    assert all(not WORKING_AM.is_working_day(day + dt.timedelta(i)) for i in range(span))
    assert result.weekday() != 6


@given(dates, st.integers(min_value=0, max_value=30), st.booleans())
def test_working_day_ack_deadline_counts_exactly_n_working_days(
    received: dt.date, days: int, alsace: bool
) -> None:
    deadlines = Deadlines(ack_days=days, calendar=Calendar.WORKING_DAYS, alsace_moselle=alsace)
    deadline = deadlines.ack_deadline(received)
    span = range(1, (deadline - received).days + 1)
    counted = [received + dt.timedelta(i) for i in span]
    assert sum(deadlines.is_working_day(d) for d in counted) == days
    if days:
        assert deadlines.is_working_day(deadline)
        # never earlier than the calendar count, at most a few days per week later
        assert deadline >= received + dt.timedelta(days)
    else:
        assert deadline == received


@given(dates, dates)
def test_working_day_deadlines_are_monotonic(first: dt.date, second: dt.date) -> None:
    a, b = sorted((first, second))
    assert WORKING.ack_deadline(a) <= WORKING.ack_deadline(b)
    assert WORKING.answer_deadline(a) <= WORKING.answer_deadline(b)


@given(dates, st.integers(min_value=0, max_value=40))
def test_calendar_day_ack_deadline_is_plain_addition(received: dt.date, days: int) -> None:
    assert Deadlines(ack_days=days).ack_deadline(received) == received + dt.timedelta(days)
