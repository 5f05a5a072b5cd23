"""Regulatory deadlines: months clamped to month end, calendar or working days.

Pure date arithmetic. A deadline is missed only once it has passed: due today is not late.
"""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """Same day ``months`` calendar months later, clamped to month end (31/12 + 2 → 28/02)."""
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


def is_past(deadline: dt.date, today: dt.date) -> bool:
    """True once the deadline has passed: due today is not late, due yesterday is."""
    return deadline < today
