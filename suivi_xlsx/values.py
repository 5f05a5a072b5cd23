"""Cell coercion: the raw values a reader gives (text, numbers, booleans, dates) → typed fields.

Pure. Each converter takes a non-empty cell value and returns the typed value, ``None`` when the
cell holds nothing useful (blanks only, « non » in the redress column), or raises ``ValueError``
when the value cannot be read; the reader then keeps the raw value in ``Entry.invalid``.

Dates come as real Excel dates (``date``/``datetime``), as French text (``05/03/2025``,
``5/3/25``, ``05.03.2025``, ``05-03-2025``, ``5 mars 2025``), as ISO text (``2025-03-05``), with
an optional time part, or as a bare Excel serial number. Two-digit years are 20yy.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Mapping
from types import MappingProxyType

from .model import Column, Decision, Origin

Converter = Callable[[object], object]

#: Dates outside these years are typing mistakes (« 12 » typed in a date cell is 12/01/1900).
MIN_DATE = dt.date(1970, 1, 1)
MAX_DATE = dt.date(2199, 12, 31)

# Excel serial numbers (1900 system, with its 29/02/1900 bug: serial 60) of MIN_DATE/MAX_DATE.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_MIN_SERIAL = (MIN_DATE - _EXCEL_EPOCH).days
_MAX_SERIAL = (MAX_DATE - _EXCEL_EPOCH).days

_TIME = r"(?:[ T]+\d{1,2}[:h]\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DMY_RE = re.compile(r"^(\d{1,2})\s*([/.\-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})" + _TIME + "$")
_ISO_RE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME + "$")
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
_TEXT_MONTH_RE = re.compile(r"^(\d{1,2})(?:er)?\s+([a-z]+)\.?\s+(\d{4}|\d{2})" + _TIME + "$")


def plain(text: str) -> str:
    """Trimmed, lower case, without accents, inner blanks collapsed: for lenient matching."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def _full_year(year: int) -> int:
    return 2000 + year if year < 100 else year


def _checked(day: dt.date) -> dt.date:
    if not MIN_DATE <= day <= MAX_DATE:
        raise ValueError(f"implausible date: {day}")
    return day


def parse_date_text(text: str) -> dt.date:
    """A date typed as text; ``ValueError`` when it is not one."""
    text = text.strip()
    match = _DMY_RE.match(text)
    if match is not None:
        day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        return _checked(dt.date(_full_year(year), month, day))
    match = _ISO_RE.match(text)
    if match is not None:
        return _checked(dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3))))
    match = _TEXT_MONTH_RE.match(plain(text))
    if match is not None and match.group(2) in _MONTHS:
        day, month = int(match.group(1)), _MONTHS[match.group(2)]
        return _checked(dt.date(_full_year(int(match.group(3))), month, day))
    raise ValueError(f"not a date: {text!r}")


def from_serial(serial: float) -> dt.date:
    """An Excel serial number (1900 system) → its date; ``ValueError`` outside plausible dates."""
    if not _MIN_SERIAL <= serial <= _MAX_SERIAL:
        raise ValueError(f"not a plausible Excel date serial: {serial}")
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


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
        return parse_date_text(value)  # type: ignore[arg-type]
    if kind is float or kind is int:
        return from_serial(value)  # type: ignore[arg-type]
    raise ValueError(f"not a date: {value!r}")


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


_ORIGINS: dict[str, Origin] = {origin.value.lower(): origin for origin in Origin}


def to_origin(value: object) -> Origin | None:
    """FS / QS / PA after trimming and case; the spelled-out names too."""
    if type(value) is not str:
        raise ValueError(f"not an origin: {value!r}")
    text: str = value
    origin = _ORIGINS.get(text.strip().lower())
    if origin is not None:
        return origin
    words = re.sub(r"[^a-z]+", " ", plain(text)).split()
    if not words:
        if text.strip():
            raise ValueError(f"not an origin: {value!r}")
        return None
    joined = "".join(words)
    if joined in _ORIGINS:  # "F.S.", "f s"
        return _ORIGINS[joined]
    if words[0] == "fiche" and len(words) > 1 and words[1].startswith("signal"):
        return Origin.FS
    if words[0] in ("questionnaire", "enquete"):
        return Origin.QS
    if words[0] in ("plan", "decision") and any(w.startswith("amelior") for w in words):
        return Origin.PA
    codes = {w for w in words if w in _ORIGINS}
    if len(codes) == 1 and words[0] in codes:  # "FS - réclamation"
        return _ORIGINS[words[0]]
    raise ValueError(f"not an origin: {value!r}")


def to_decision(value: object) -> Decision | None:
    """acceptée / rejet partiel / rejet total, in the ways people write them."""
    if type(value) is not str:
        raise ValueError(f"not a decision: {value!r}")
    text = plain(value)
    if not text:
        return None
    if "partiel" in text:  # rejet partiel, partiellement rejetée / acceptée, accord partiel
        return Decision.PARTIAL_REJECTION
    if re.search(r"\b(rejet|refus|defavorable|non accept|non fonde)", text):
        return Decision.TOTAL_REJECTION
    if re.search(r"\b(accept|accord|favorable|fonde)", text):
        return Decision.ACCEPTED
    raise ValueError(f"not a decision: {value!r}")


_NO_REDRESS = frozenset({"non", "n", "no", "aucune", "aucun", "0", "faux", "false", "-", "sans"})


def to_redress(value: object) -> str | None:
    """The means of redress given, as typed; negative answers (« non », « aucune », 0,
    FAUX, « - ») mean none was given."""
    if type(value) is bool:
        return "oui" if value else None
    text = to_text(value)
    if text is None or plain(text).rstrip(".") in _NO_REDRESS or set(text) <= {"-", " "}:
        return None
    return text


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
        Column.CLOSED_ON: to_date,
        Column.ACK_DATE: to_date,
        Column.ANSWER_DATE: to_date,
        Column.DECISION: to_decision,
        Column.REDRESS: to_redress,
    }
)


def converter(column: Column) -> Converter:
    """The converter of ``column``."""
    return CONVERTERS.get(column, to_text)


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
