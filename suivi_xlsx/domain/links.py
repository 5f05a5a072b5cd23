"""Which improvement decision answers which complaint. Pure.

The seed asks, for the dysfunctions a complaint reveals, to « déterminer et mettre en œuvre les
actions correctives ». A complaint's corrective action is recorded either in its own *Actions
correctives* cell, or as a PA entry (décision d'amélioration) that refers to the complaint by
writing its order number in its *Objet*, *Justificatif* or *Suivi*. The number is matched
whatever its typing: ``25.1601.7``, ``25.1601.007`` and ``25-1601-007`` are one complaint.

The check (``action-corrective-manquante``) and the annual summary (*Améliorations*) both ask
these functions, so they always agree on which complaint is answered by what.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from suivi_xlsx.domain.model import Entry, Origin
from suivi_xlsx.domain.numbering import OrderNumber, parse_loose_order_number, parse_order_number
from suivi_xlsx.domain.vocabulary import says_nothing

#: An order number reduced to what identifies it: (aa, agency as a number, sequence).
NumberKey = tuple[int, int, int]

# An order number inside free text: « suite FS 25.1601.007 », « réclamation n°25-1601-7 ».
_NUMBER_IN_TEXT = re.compile(
    r"(?<![0-9])([0-9]{2})(?:\s*[.\-/_]\s*|\s)([0-9]{1,8})(?:\s*[.\-/_]\s*|\s)([0-9]{1,9})"
    r"(?![0-9])"
)


def _is_date(day: str, month: str, year: str) -> bool:
    """« 12/03/2025 », « 12.03.25 »: the three groups read as a date, not an order number
    (an agency number is not a month, a sequence has three digits or more)."""
    return (
        len(month) <= 2
        and 1 <= int(month) <= 12
        and 1 <= int(day) <= 31
        and (len(year) == 2 or (len(year) == 4 and year[:2] in ("19", "20")))
    )


def number_key(number: OrderNumber) -> NumberKey:
    """The key of an order number: ``25.1601.7`` and ``25.1601.007`` give the same key."""
    return (number.year2, int(number.agency), number.seq)


def numbers_in_text(text: str) -> list[OrderNumber]:
    """Every order number written in a free text, in order."""
    found: list[OrderNumber] = []
    for match in _NUMBER_IN_TEXT.finditer(text):
        if _is_date(*match.groups()):
            continue
        token = match.group(0)
        number = parse_order_number(token) or parse_loose_order_number(token)
        if number is not None:
            found.append(number)
    return found


def entry_key(entry: Entry) -> NumberKey | None:
    """The key of an entry's own order number, typed right or slightly wrong; ``None``
    without a readable one."""
    number = entry.order_number
    if number is None:
        text = entry.order_text
        if text is None:
            return None
        number = parse_loose_order_number(text)
        if number is None:
            return None
    return number_key(number)


def pa_references(entries: Iterable[Entry]) -> dict[NumberKey, list[Entry]]:
    """For each order number that PA entries refer to, those PA entries (in reading order).

    A PA's own number, written again in its cells, is not a reference.
    """
    references: dict[NumberKey, list[Entry]] = {}
    pa = Origin.PA
    for entry in entries:
        if entry.origin is not pa:
            continue
        own: NumberKey | None = None
        own_known = False
        for text in (entry.subject, entry.evidence, entry.follow_up):
            if text is None:
                continue
            for number in numbers_in_text(text):
                if not own_known:
                    own, own_known = entry_key(entry), True
                key = number_key(number)
                if key == own:
                    continue
                referring = references.get(key)
                if referring is None:
                    references[key] = [entry]
                elif referring[-1] is not entry:
                    referring.append(entry)
    return references


def reports_dysfunction(entry: Entry) -> bool:
    """The entry's *Dysfonctionnements* names a failure (not empty, « non », « aucun »…)."""
    text = entry.dysfunctions
    return text is not None and not says_nothing(text)


def has_corrective_action(entry: Entry) -> bool:
    """The entry's *Actions correctives* says what is done (not empty, « néant », « - »…)."""
    text = entry.corrective_actions
    return text is not None and not says_nothing(text)
