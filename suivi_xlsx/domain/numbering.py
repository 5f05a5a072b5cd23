"""Order numbers ``aa.agence.nnn``: parsing, formatting and the next free sequence numbers.

``aa`` is the two-digit year, ``agence`` the agency number (e.g. 1601), ``nnn`` the sequence
within that year and agency, zero-padded to at least three digits. Existing numbers are never
changed; new ones continue after the highest number used for their year and agency.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

_AGENCY_RE = re.compile(r"[0-9]{1,8}")  # ASCII digits only: \d would take any Unicode digit


@dataclass(frozen=True, slots=True, order=True)
class OrderNumber:
    """A parsed order number. ``year2`` is the ``aa`` part (0–99)."""

    year2: int
    agency: str
    seq: int

    @property
    def key(self) -> tuple[int, str]:
        """The (year, agency) series this number belongs to."""
        return (self.year2, self.agency)

    def __str__(self) -> str:
        return format_order_number(self.year2, self.agency, self.seq)


def parse_order_number(text: str) -> OrderNumber | None:
    """Parse ``aa.agence.nnn`` (surrounding blanks ignored); ``None`` when it is not one.

    ASCII digits only. Written with ``str`` methods rather than a regular expression: the reader
    calls it for every row of registers of 100,000 rows.
    """
    parts = text.strip().split(".")
    if len(parts) != 3:
        return None
    year2, agency, seq = parts
    if (
        len(year2) == 2
        and 1 <= len(agency) <= 8
        and len(seq) >= 3
        and year2.isascii()
        and agency.isascii()
        and seq.isascii()
        and year2.isdigit()
        and agency.isdigit()
        and seq.isdigit()
    ):
        return OrderNumber(int(year2), agency, int(seq))
    return None


# Near misses people type: ``25.1601.1``, ``25-1601-002``, ``25 1601 008``, ``25/1601/3``, the
# agency first (``1601/25/008``, ``1601-25-8``), a « n° » before (``n° 25.1601.8``).
_LOOSE_RE = re.compile(r"^([0-9]{1,8})\s*[.\-/_ ]\s*([0-9]{1,8})\s*[.\-/_ ]\s*([0-9]{1,9})$")
_NUMBER_SIGN_RE = re.compile(r"^(?:n\s*°|n\s*o\b\.?|n\.|num(?:e|é)ro|num\.?|#)\s*", re.IGNORECASE)


def order_number_readings(text: str) -> tuple[OrderNumber, ...]:
    """Every order number ``text`` may mean when typed loosely: one reading, none, or two when
    both orders of year and agency are possible (``16/25/8``: 16.25.008 or 25.16.008)."""
    match = _LOOSE_RE.match(_NUMBER_SIGN_RE.sub("", text.strip()))
    if match is None:
        return ()
    first, second, seq = match.groups()
    readings = []
    if len(first) == 2:  # aa.agence.nnn, the seed's order
        readings.append(OrderNumber(int(first), second, int(seq)))
    if len(second) == 2 and (len(first) != 2 or first != second):  # agence.aa.nnn
        readings.append(OrderNumber(int(second), first, int(seq)))
    return tuple(readings)


def parse_loose_order_number(text: str) -> OrderNumber | None:
    """An order number typed slightly wrong (other separators, blanks, fewer than three
    digits of sequence, the agency before the year, « n° » before): the number it means, or
    ``None`` (also when it may mean two: see ``order_number_readings``). ``str()`` of the
    result is how it should be written."""
    readings = order_number_readings(text)
    return readings[0] if len(readings) == 1 else None


def is_valid_agency(text: str) -> bool:
    """An agency number is digits only (``1601``)."""
    return _AGENCY_RE.fullmatch(text) is not None


def format_order_number(year2: int, agency: str, seq: int) -> str:
    """``format_order_number(25, "1601", 7) == "25.1601.007"``; more digits past 999."""
    return f"{year2 % 100:02d}.{agency}.{seq:03d}"


def year2_of(year: int) -> int:
    """The ``aa`` part for a four-digit year."""
    return year % 100


def highest_sequences(numbers: Iterable[OrderNumber]) -> dict[tuple[int, str], int]:
    """The highest sequence used in each (year, agency) series."""
    highest: dict[tuple[int, str], int] = {}
    for number in numbers:
        if number.seq > highest.get(number.key, 0):
            highest[number.key] = number.seq
    return highest
