"""Rules about order numbers ``aa.agence.nnn``: missing, invalid, duplicated, wrong year, and
out of sequence.

``numero-sequence`` looks at each (year, agency) series across the whole workbook:

- **Order**: the series' entries are put in Date order; entries of the same day may carry their
  numbers in any order (same-day rows are often typed in any order, and the update numbers
  them in row order, so a swap within a day is not worth a warning). The numbers that must be
  taken out for the rest to increase with the date (the complement of a longest increasing
  subsequence) are reported, each with the two numbers it should lie between: one misplaced
  number gives one finding, not one per following entry.
- **Gaps**: each run of missing numbers (from 001 up to the highest used) gives one finding, on
  the number that follows it (``25.1601.007 à 25.1601.049 absents (43)``).

An entry gets at most one ``numero-sequence`` finding (both details joined). Numbers seen again
(``numero-duplique``) count only once; entries without a readable Date count for gaps only.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections.abc import Iterator
from operator import itemgetter, lt
from typing import cast

from ..findings import Finding, fr_date
from ..model import Column, Entry
from ..numbering import format_order_number
from .base import Context, rule

_ORDER = Column.ORDER_NUMBER


@rule("numero-manquant")
def missing_number(ctx: Context) -> Iterator[Finding]:
    """An entry with no order number."""
    for e in ctx.entries:
        if e.order_text is None and _ORDER in e.columns:
            yield Finding.at(e, _ORDER, "numero-manquant")


@rule("numero-invalide")
def invalid_number(ctx: Context) -> Iterator[Finding]:
    """An order number that is not ``aa.agence.nnn`` (``nnn`` at least 3 digits)."""
    for e in ctx.entries:
        if e.order_number is None and e.order_text is not None:
            yield Finding.at(e, _ORDER, "numero-invalide", valeur=e.order_text)


@rule("numero-annee")
def number_year(ctx: Context) -> Iterator[Finding]:
    """The ``aa`` of the order number is not the year of Date."""
    for e in ctx.entries:
        number, received = e.order_number, e.received_on
        if number is not None and received is not None and number.year2 != received.year % 100:
            yield Finding.at(
                e,
                _ORDER,
                "numero-annee",
                numero=e.order_text,
                aa=f"{number.year2:02d}",
                date=fr_date(received),
            )


def _where(first: Entry, entry: Entry) -> str:
    """Where ``first`` is, as seen from ``entry``: « ligne 7 » or « feuille « 2024 », ligne 7 »."""
    if first.sheet == entry.sheet:
        return f"ligne {first.row}"
    return f"feuille « {first.sheet} », ligne {first.row}"


_Series = dict[tuple[int, str], dict[int, Entry]]


def _number_index(ctx: Context) -> tuple[_Series, list[tuple[Entry, Entry]]]:
    """Numbered entries by (year, agency) series then sequence number, first occurrences only,
    in workbook order; and the later occurrences, each with its first. Shared by the duplicate
    and sequence rules (computed once per check)."""
    cached = cast("tuple[_Series, list[tuple[Entry, Entry]]] | None", ctx.memo.get("numbers"))
    if cached is None:
        series: _Series = {}
        duplicates: list[tuple[Entry, Entry]] = []
        for e in ctx.entries:
            number = e.order_number
            if number is None:
                continue
            key = (number.year2, number.agency)
            firsts = series.get(key)
            if firsts is None:
                firsts = series[key] = {}
            first = firsts.setdefault(number.seq, e)  # 25.1601.7 is 25.1601.007
            if first is not e:
                duplicates.append((e, first))
        cached = ctx.memo["numbers"] = (series, duplicates)
    return cached


@rule("numero-duplique")
def duplicate_number(ctx: Context) -> Iterator[Finding]:
    """An order number already used above or on an earlier sheet (the first one is not
    reported; ``25.1601.7`` and ``25.1601.007`` are the same number)."""
    for e, first in _number_index(ctx)[1]:
        yield Finding.at(
            e, _ORDER, "numero-duplique", numero=e.order_text, premier=_where(first, e)
        )


def _increasing_keep(seqs: list[int]) -> list[bool]:
    """Mark one longest strictly increasing subsequence of ``seqs`` (O(n log n))."""
    tails: list[int] = []  # smallest tail value of an increasing run of each length
    tail_index: list[int] = []  # index in seqs of that tail
    previous: list[int] = [-1] * len(seqs)
    for i, value in enumerate(seqs):
        k = bisect_left(tails, value)
        if k == len(tails):
            tails.append(value)
            tail_index.append(i)
        else:
            tails[k] = value
            tail_index[k] = i
        previous[i] = tail_index[k - 1] if k else -1
    keep = [False] * len(seqs)
    i = tail_index[-1] if tail_index else -1
    while i >= 0:
        keep[i] = True
        i = previous[i]
    return keep


_Item = tuple[dt.date, int, Entry]


def _order_details(dated: list[_Item], key: tuple[int, str]) -> Iterator[tuple[Entry, str]]:
    """The entries whose number breaks the Date order of their series, with a detail."""
    dated.sort(key=itemgetter(0, 1))  # same day: any order is fine
    seqs = [seq for _, seq, _ in dated]
    if all(map(lt, seqs, seqs[1:])):  # the usual case: nothing out of order
        return
    keep = _increasing_keep(seqs)
    year2, agency = key
    previous: _Item | None = None
    pending: list[_Item] = []  # misplaced items since the last kept one
    for item, kept in zip(dated, keep, strict=True):
        if not kept:
            pending.append(item)
            continue
        for misplaced in pending:
            yield misplaced[2], _between(misplaced[0], previous, item, year2, agency)
        pending.clear()
        previous = item
    for misplaced in pending:
        yield misplaced[2], _between(misplaced[0], previous, None, year2, agency)


def _between(
    day: dt.date, before: _Item | None, after: _Item | None, year2: int, agency: str
) -> str:
    def name(item: _Item) -> str:
        return f"{format_order_number(year2, agency, item[1])} ({fr_date(item[0])})"

    start = f"daté du {fr_date(day)}, il devrait être"
    if before is not None and after is not None:
        return f"{start} compris entre {name(before)} et {name(after)}"
    if before is not None:
        return f"{start} supérieur à {name(before)}"
    assert after is not None  # a series always keeps at least one number
    return f"{start} inférieur à {name(after)}"


def _gap_details(
    numbered: list[tuple[int, Entry]], key: tuple[int, str]
) -> Iterator[tuple[Entry, str]]:
    """Each run of missing numbers, on the entry whose number follows it."""
    numbered.sort(key=itemgetter(0))
    year2, agency = key
    last = 0
    for seq, entry in numbered:
        if seq > last + 1:
            first_missing, last_missing = last + 1, seq - 1
            if first_missing == last_missing:
                detail = f"numéro {format_order_number(year2, agency, first_missing)} absent"
            else:
                detail = (
                    f"numéros {format_order_number(year2, agency, first_missing)} à "
                    f"{format_order_number(year2, agency, last_missing)} absents "
                    f"({last_missing - first_missing + 1})"
                )
            yield entry, detail
        last = seq


@rule("numero-sequence")
def number_sequence(ctx: Context) -> Iterator[Finding]:
    """Gaps and order inversions in each (year, agency) series (see the module docstring)."""
    code = "numero-sequence"
    for key, firsts in _number_index(ctx)[0].items():
        dated: list[_Item] = [
            (e.received_on, seq, e) for seq, e in firsts.items() if e.received_on is not None
        ]
        # id(entry) → (entry, detail): the misplaced numbers, usually none
        misplaced = {id(entry): (entry, detail) for entry, detail in _order_details(dated, key)}
        for entry, detail in _gap_details(list(firsts.items()), key):
            also = misplaced.pop(id(entry), None)
            if also is not None:
                detail = f"{also[1]} ; {detail}"
            yield Finding.at(entry, _ORDER, code, numero=entry.order_text, detail=detail)
        for entry, detail in misplaced.values():
            yield Finding.at(entry, _ORDER, code, numero=entry.order_text, detail=detail)
