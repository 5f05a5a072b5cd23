"""Cell coercion: the raw values a reader gives (text, numbers, booleans, dates) → typed fields.

Pure. Each converter takes a non-empty cell value and returns the typed value, ``None`` when the
cell holds nothing useful (blanks only, « non » in the redress column), or raises ``ValueError``
when the value cannot be read; the reader then keeps the raw value in ``Entry.invalid``.

Dates come as real Excel dates (``date``/``datetime``), as French text (``05/03/2025``,
``5/3/25``, ``05.03.2025``, ``05-03-2025``, ``5 mars 2025``), as ISO text (``2025-03-05``), with
an optional time part, or as a bare Excel serial number. Two-digit years are 20yy.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from suivi_xlsx.domain.model import Column, Decision, Entry, Origin
from suivi_xlsx.domain.vocabulary import (
    closed_word_date,
    read_decision,
    read_origin,
    redress_given,
    without_marks,
)

Converter = Callable[[object], object]

#: Dates outside these years are typing mistakes (« 12 » typed in a date cell is 12/01/1900).
MIN_DATE = dt.date(1970, 1, 1)
MAX_DATE = dt.date(2199, 12, 31)

# Excel serial numbers (1900 system, with its 29/02/1900 bug: serial 60) of MIN_DATE/MAX_DATE.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_MIN_SERIAL = (MIN_DATE - _EXCEL_EPOCH).days
_MAX_SERIAL = (MAX_DATE - _EXCEL_EPOCH).days
_1904_OFFSET = 1462  # days from 30/12/1899 to 01/01/1904: serial 0 of the 1904 system

_TIME = r"(?:[ T,]+(?:a |à )?\d{1,2}\s*[:h]\s*\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DMY = r"(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})"
_DMY_RE = re.compile("^" + _DMY + _TIME + "$")
_DMY_SPACED_RE = re.compile(r"^(\d{1,2}) (\d{1,2}) (\d{4})" + _TIME + "$")
_ISO_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME + "$")
_MONTHS = {
    "janvier": 1,
    "janv": 1,
    "jan": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "mar": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "sep": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}
_TEXT_MONTH = r"(\d{1,2})(?:er)?[\s\-]+([a-z]+)\.?[\s\-]+(\d{4}|\d{2})"
_TEXT_MONTH_RE = re.compile("^" + _TEXT_MONTH + _TIME + "$")
_WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
# What people put around a date: « le 05/03/2025 », « lundi 5 mai 2025 », « 05/03/2025. »
_LEADING_RE = re.compile(
    r"^(?:(?:le|du|au|reçu le|recu le)\s+)?(?:(?:" + "|".join(_WEEKDAYS) + r")\.?,?\s+)?",
    re.IGNORECASE,
)
_TRAILING = " .;,:!"
# A date anywhere in a text (the Suivi column: « 12/03 : appel client ; 15/03/2025 AR »).
_DATE_IN_TEXT_RE = re.compile(
    r"(?<!\d)(?:\d{1,2}\s*[/.\-]\s*\d{1,2}(?:\s*[/.\-]\s*(?:\d{4}|\d{2}))?"
    r"|\d{4}-\d{1,2}-\d{1,2})(?!\d)"
    r"|(?<!\d)\d{1,2}(?:er)?\s+(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)


_DIGIT_RUN = re.compile(r"[0-9]+")
_LONG_TEXT = 2000  # characters: a free text longer than this is searched window by window
_DATE_WINDOW = 80  # characters from a date's first digit to its end, blanks included


def plain(text: str) -> str:
    """Trimmed, lower case, without accents, inner blanks collapsed: for lenient matching."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return " ".join(without_marks(decomposed).split())


def _full_year(year: int) -> int:
    return 2000 + year if year < 100 else year


def _checked(day: dt.date) -> dt.date:
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValueError(f"implausible date: {day}")
    return day


def parse_date_text(text: str) -> dt.date:
    """A date typed as text; ``ValueError`` when it is not one.

    ``05/03/2025``, ``5/3/25``, ``05.03.2025``, ``05-03-2025``, ``05 03 2025``, ``2025-03-05``,
    ``5 mars 2025``, ``1er mars 2025``, ``5-mars-25``, with an optional time, an optional
    weekday or « le » before (``lundi 5 mai 2025``) and punctuation after (``05/03/2025.``).
    """
    text = _LEADING_RE.sub("", text.strip()).rstrip(_TRAILING)
    match = _DMY_RE.match(text) or _DMY_SPACED_RE.match(text)
    if match is not None:
        groups = match.groups()
        day, month, year = int(groups[0]), int(groups[-2]), int(groups[-1])
        return _checked(dt.date(_full_year(year), month, day))
    match = _ISO_RE.match(text)
    if match is not None:
        return _checked(dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3))))
    match = _TEXT_MONTH_RE.match(plain(text))
    if match is not None and match.group(2) in _MONTHS:
        day, month = int(match.group(1)), _MONTHS[match.group(2)]
        return _checked(dt.date(_full_year(int(match.group(3))), month, day))
    raise ValueError(f"not a date: {text!r}")


# A date without its year: « 3 mars », « le 5 avril », « 03/03 », « 3-5 », « 1er mai ».
_YEARLESS_NUMERIC_RE = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})$")
_YEARLESS_TEXT_RE = re.compile(r"^(\d{1,2})(?:er)?[\s\-]+([a-z]+)\.?$")
# A serial number typed or imported as text (« 45665 »): five digits, as Excel shows a date of
# 1973–2173 when its cell loses the date format.
_SERIAL_TEXT_RE = re.compile(r"^\d{5}(?:[.,]0+)?$")


def _without_lead(text: str) -> str:
    return _LEADING_RE.sub("", text.strip()).rstrip(_TRAILING)


def yearless_date(text: str) -> tuple[int, int] | None:
    """(day, month) of a date written without its year (« 3 mars », « le 5 avril », « 03/03 »,
    « clos le 3/5 »); ``None`` for any other text."""
    rest = closed_word_date(text)
    body = plain(_without_lead(rest if rest is not None else text))
    match = _YEARLESS_NUMERIC_RE.match(body)
    if match is not None:
        day, month = int(match.group(1)), int(match.group(2))
    else:
        match = _YEARLESS_TEXT_RE.match(body)
        if match is None or match.group(2) not in _MONTHS:
            return None
        day, month = int(match.group(1)), _MONTHS[match.group(2)]
    try:
        dt.date(2000, month, day)  # a leap year: 29/02 is a possible day
    except ValueError:
        return None
    return day, month


def in_year(day_month: tuple[int, int], year: int, *, not_before: dt.date | None = None) -> dt.date:
    """The date ``day_month`` in ``year``; with ``not_before`` (the receipt of the complaint, for
    a step that follows it), the first such date on or after it (« 03/01 » after a complaint
    of 20/12/2025 is 03/01/2026). ``ValueError`` when it does not exist (29/02 of 2025)."""
    day, month = day_month
    found = dt.date(year, month, day)
    if not_before is not None and found < not_before:
        found = dt.date(year + 1, month, day)
    return _checked(found)


def has_date(text: str) -> bool:
    """Whether a free text mentions a date in a usual form (``12/03``, ``12/03/2025``,
    ``2025-03-12``, ``12 mars``): the Suivi column asks for « date + commentaires »."""
    # Every date starts a run of 1, 2 or 4 digits: the pattern is tried there only. A long
    # text (a Suivi cell may hold 32,767 characters) is not folded whole: only a window after
    # each such run is, the longest a date can be written in.
    if len(text) > _LONG_TEXT:
        for run in _DIGIT_RUN.finditer(text):
            if run.end() - run.start() in (1, 2, 4):
                window = plain(text[run.start() : run.start() + _DATE_WINDOW])
                if _DATE_IN_TEXT_RE.match(window):
                    return True
        return False
    folded = plain(text)
    for run in _DIGIT_RUN.finditer(folded):
        if run.end() - run.start() in (1, 2, 4) and _DATE_IN_TEXT_RE.match(folded, run.start()):
            return True
    return False


def dates_in_text(text: str, year: int) -> list[dt.date]:
    """Every date written in a free text; a date without its year (``12/03``) is taken in
    ``year``. Impossible dates (``31/02``) are left out."""
    found: list[dt.date] = []
    for match in _DATE_IN_TEXT_RE.finditer(plain(text)):
        token = match.group(0)
        parts = re.split(r"\s*[/.\-]\s*|\s+", token)
        try:
            if len(parts) == 3 and len(parts[0]) == 4:
                day = dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            elif len(parts) == 3:
                day = dt.date(_full_year(int(parts[2])), int(parts[1]), int(parts[0]))
            elif parts[1] in _MONTHS:
                day = dt.date(year, _MONTHS[parts[1]], int(parts[0].removesuffix("er")))
            else:
                day = dt.date(year, int(parts[1]), int(parts[0]))
            found.append(_checked(day))
        except (ValueError, IndexError):
            continue
    return found


def from_serial(serial: float, *, date1904: bool = False) -> dt.date:
    """An Excel serial number → its date, in the 1900 date system or, for a workbook saved
    with the 1904 one (``date1904``), that system; ``ValueError`` outside plausible dates."""
    if date1904:
        serial += _1904_OFFSET
    if not _MIN_SERIAL <= serial <= _MAX_SERIAL:
        raise ValueError(f"not a plausible Excel date serial: {serial}")
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def to_date_1904(value: object) -> dt.date | None:
    """A date cell of a workbook saved in the 1904 date system (bare serial numbers)."""
    if type(value) is float or type(value) is int:
        return from_serial(value, date1904=True)
    return to_date(value)


def to_date(value: object) -> dt.date | None:
    """A date cell. Real dates first: they are the common case."""
    kind = type(value)
    if kind is dt.date:
        return _checked(value)  # type: ignore[arg-type]
    if kind is dt.datetime:
        return _checked(value.date())  # type: ignore[attr-defined]
    if kind is str:
        if not value.strip():  # type: ignore[attr-defined]
            return None
        text: str = value  # type: ignore[assignment]
        try:
            return parse_date_text(text)
        except ValueError:
            if _SERIAL_TEXT_RE.match(text.strip()):
                return from_serial(float(text.strip().replace(",", ".")))
            raise
    if kind is float or kind is int:
        return from_serial(value)  # type: ignore[arg-type]
    raise ValueError(f"not a date: {value!r}")


def to_step_date(value: object) -> dt.date | None:
    """A date cell of a step (acknowledgement, answer, closing): a date, or a closing word with
    its date (« clos le 12/04/2025 », « terminé 15/06/2025 », « fait le 3 mars 2025 »)."""
    try:
        return to_date(value)
    except ValueError:
        rest = closed_word_date(value) if isinstance(value, str) else None
        if rest is None:
            raise
        return parse_date_text(rest)


def to_step_date_1904(value: object) -> dt.date | None:
    """``to_step_date`` for a workbook saved in the 1904 date system."""
    if type(value) is float or type(value) is int:
        return from_serial(value, date1904=True)
    return to_step_date(value)


def number_text(value: float | int) -> str:
    """A number as people typed it: ``1601.0`` → ``"1601"``, ``2.5`` → ``"2.5"``."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)


def to_text(value: object) -> str | None:
    """A free-text cell: trimmed, ``None`` when blank; other values as Excel shows them."""
    kind = type(value)
    if kind is str:
        return value.strip() or None  # type: ignore[attr-defined]
    if kind is bool:
        return "VRAI" if value else "FAUX"
    if kind is float or kind is int:
        return number_text(value)  # type: ignore[arg-type]
    if kind is dt.date or kind is dt.datetime:
        day: dt.date = value  # type: ignore[assignment]
        return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"
    return str(value).strip() or None


def to_postcode(value: object) -> str | None:
    """A postcode cell as text. Typed as a number, Excel drops the leading zero of the Ain's
    01000 or the Aisne's 02100: a whole number of four digits is put back to five."""
    kind = type(value)
    if (kind is float or kind is int) and float(value).is_integer():  # type: ignore[arg-type]
        number = int(value)  # type: ignore[call-overload]
        if 1000 <= number <= 99999:
            return f"{number:05d}"
    return to_text(value)


def to_order_text(value: object) -> str | None:
    """The order number cell as text (a number cell → its digits, without ``.0``)."""
    return to_text(value)


def to_year(value: object) -> int | None:
    """The Année cell: ``2025``, ``2025.0``, ``"2025"``, ``"25"`` (text only), a date's year;
    ``ValueError`` otherwise."""
    kind = type(value)
    if kind is float or kind is int:
        number: float = value  # type: ignore[assignment]
        if not float(number).is_integer():
            raise ValueError(f"not a year: {value!r}")
        year = int(number)
    elif kind is str:
        text = value.strip()  # type: ignore[attr-defined]
        if not text:
            return None
        if not text.isdecimal() or len(text) not in (2, 4):
            raise ValueError(f"not a year: {value!r}")
        year = _full_year(int(text))
    elif kind is dt.date or kind is dt.datetime:
        year = value.year  # type: ignore[attr-defined]
    else:
        raise ValueError(f"not a year: {value!r}")
    if not MIN_DATE.year <= year <= MAX_DATE.year:
        raise ValueError(f"not a plausible year: {value!r}")
    return year


def to_origin(value: object) -> Origin | None:
    """FS / QS / PA after trimming and case; the words people use for them too
    (« Réclamation », « Enquête », « Plan d'action »: see ``vocabulary.read_origin``)."""
    if type(value) is not str:
        raise ValueError(f"not an origin: {value!r}")
    text: str = value
    if not text.strip():
        return None
    read = read_origin(text)
    if read is None:
        raise ValueError(f"not an origin: {value!r}")
    return read[0]


def origin_is_lenient(value: object) -> bool:
    """An origin cell read, but not written as its code (« Réclamation » for FS)."""
    if type(value) is not str:
        return False
    read = read_origin(value)
    return read is not None and not read[1]


def to_decision(value: object) -> Decision | None:
    """acceptée / rejet partiel / rejet total, in the ways people write them."""
    if type(value) is not str:
        raise ValueError(f"not a decision: {value!r}")
    if not value.strip():
        return None
    decision = read_decision(value)
    if decision is None:
        raise ValueError(f"not a decision: {value!r}")
    return decision


def to_redress(value: object) -> str | None:
    """The means of redress given, as typed; what says none was given (« non », « NC »,
    « néant », FAUX, « non communiquées »…: ``vocabulary.redress_given``) is ``None``."""
    if type(value) is bool:
        return "oui" if value else None
    text = to_text(value)
    return text if redress_given(text) else None


def date_is_lenient(value: object) -> bool:
    """A date cell read from text (« 05/03/2025 » typed as text): Excel sees no date there."""
    return type(value) is str


#: Entry field each column fills.
FIELDS: Mapping[Column, str] = MappingProxyType(
    {
        Column.YEAR: "year",
        Column.DATE: "received_on",
        Column.ISSUER: "issuer",
        Column.ORDER_NUMBER: "order_text",
        Column.ORIGIN: "origin",
        Column.SUBJECT: "subject",
        Column.EVIDENCE: "evidence",
        Column.FOLLOW_UP: "follow_up",
        Column.OWNER: "owner",
        Column.DUE_DATE: "due_on",
        Column.CLOSED_ON: "closed_on",
        Column.ACK_DATE: "acknowledged_on",
        Column.ANSWER_DATE: "answered_on",
        Column.ANSWER: "answer",
        Column.DECISION: "decision",
        Column.REDRESS: "redress",
        Column.PRODUCT: "product",
        Column.PARTIES: "parties",
        Column.PERSONS: "persons",
        Column.DYSFUNCTIONS: "dysfunctions",
        Column.CORRECTIVE_ACTIONS: "corrective_actions",
        Column.ADDRESS: "address",
        Column.ADDRESS_EXTRA: "address_extra",
        Column.POSTCODE: "postcode",
        Column.TOWN: "town",
    }
)

#: Converter of each column; every column not listed is free text (``to_text``).
CONVERTERS: Mapping[Column, Converter] = MappingProxyType(
    {
        Column.YEAR: to_year,
        Column.DATE: to_date,
        Column.ORDER_NUMBER: to_order_text,
        Column.ORIGIN: to_origin,
        Column.DUE_DATE: to_date,
        Column.CLOSED_ON: to_step_date,
        Column.ACK_DATE: to_step_date,
        Column.ANSWER_DATE: to_step_date,
        Column.DECISION: to_decision,
        Column.REDRESS: to_redress,
        Column.POSTCODE: to_postcode,
    }
)


#: Tells, for a raw value its column's converter read, whether it was read leniently (not as
#: it should be typed): the reader keeps those raw values in ``Entry.lenient``.
LENIENT: Mapping[Column, Callable[[object], bool]] = MappingProxyType(
    {
        Column.DATE: date_is_lenient,
        Column.DUE_DATE: date_is_lenient,
        Column.CLOSED_ON: date_is_lenient,
        Column.ACK_DATE: date_is_lenient,
        Column.ANSWER_DATE: date_is_lenient,
        Column.ORIGIN: origin_is_lenient,
    }
)


def converter(column: Column, *, date1904: bool = False) -> Converter:
    """The converter of ``column`` (dates of a 1904 workbook with ``date1904``)."""
    found = CONVERTERS.get(column, to_text)
    if date1904:
        dates_1904: dict[Converter, Converter] = {
            to_date: to_date_1904,
            to_step_date: to_step_date_1904,
        }
        return dates_1904.get(found, found)
    return found


def convert(column: Column, value: object) -> object:
    """Convert one raw cell value of ``column`` (``None`` or ``""`` → ``None``)."""
    if value is None or value == "":
        return None
    return converter(column)(value)


def to_bool(value: object) -> bool | None:
    """oui / non, vrai / faux, x, 1 / 0 (parameters sheet); ``None`` when unreadable."""
    if type(value) is bool:
        return bool(value)
    if type(value) is float or type(value) is int:
        return bool(value)
    if isinstance(value, str):
        text = plain(value)
        if text in ("oui", "o", "vrai", "true", "yes", "x", "1"):
            return True
        if text in ("non", "n", "faux", "false", "no", "0", ""):
            return False
    return None


# --- dates without a year: the row gives the year ---------------------------------------------

#: Where the year of a date typed without one comes from, as the warning says it.
YEAR_SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "year": "la colonne Année",
        "received": "la date de réception",
        "row": "les autres dates de la ligne",
    }
)
_STEP_DATES = (Column.DUE_DATE, Column.ACK_DATE, Column.ANSWER_DATE, Column.CLOSED_ON)


def assumed_date(entry: Entry, column: Column, raw: object) -> tuple[dt.date, str] | None:
    """The date ``raw`` (typed without its year in ``column``) means on this row, and where its
    year comes from (a key of ``YEAR_SOURCES``); ``None`` when it is no such date or the row
    gives no year. A step's date is the first such day on or after the receipt; the receipt's
    own date takes the Année, else the latest such day on or before the row's other dates."""
    day_month = yearless_date(raw) if isinstance(raw, str) else None
    if day_month is None:
        return None
    try:
        if column is not Column.DATE:
            if entry.received_on is not None:
                received = entry.received_on
                return in_year(day_month, received.year, not_before=received), "received"
            if entry.year is not None:
                return in_year(day_month, entry.year), "year"
            return None
        if entry.year is not None:
            return in_year(day_month, entry.year), "year"
        later = [getattr(entry, FIELDS[c]) for c in _STEP_DATES]
        known = [d for d in later if isinstance(d, dt.date)]
        if not known:
            return None
        anchor = min(known)
        found = in_year(day_month, anchor.year)
        return (found if found <= anchor else in_year(day_month, anchor.year - 1)), "row"
    except ValueError:  # 29/02 of a common year
        return None


def with_assumed_years(entry: Entry) -> Entry:
    """``entry`` with its dates typed without a year read in the year the row gives (kept in
    ``lenient`` as typed, for the warning and for ``--convertir-dates``)."""
    invalid = dict(entry.invalid)
    lenient = dict(entry.lenient)
    values: dict[str, Any] = {}
    current = entry
    for column in (Column.DATE, *_STEP_DATES):  # the receipt first: the steps follow it
        raw = invalid.get(column)
        found = assumed_date(current, column, raw)
        if found is None:
            continue
        del invalid[column]
        lenient[column] = raw
        values[FIELDS[column]] = found[0]
        changed: dict[str, Any] = {FIELDS[column]: found[0]}
        current = dataclasses.replace(current, **changed)
    if not values:
        return entry
    return dataclasses.replace(
        entry,
        **values,
        invalid=MappingProxyType(invalid),
        lenient=MappingProxyType(lenient),
    )
