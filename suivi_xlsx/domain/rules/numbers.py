"""Rules about order numbers ``aa.agence.nnn``: missing, invalid, typed slightly wrong,
duplicated, wrong year, and gaps in a series.

The numbering rule, shared with ``suivi update``: a new number continues after the highest
number of its (year, agency) series, whatever the date of the entry, because an entry is often
registered late. So ``numero-sequence`` reports **gaps** in a series (numbers never given, from
001 up to the highest), never an entry numbered after younger ones; duplicates are
``numero-duplique``. After ``suivi update`` the check reports nothing about the numbers it gave.

Each run of missing numbers gives one finding, on the number that follows it
(``25.1601.007 à 25.1601.049 absents (43)``). A number typed slightly wrong (``25.1601.1``,
``25-1601-002``) counts as the number it means, with ``numero-a-corriger`` giving its form.
"""

from __future__ import annotations

from collections.abc import Iterator
from operator import itemgetter
from typing import cast

from suivi_xlsx.domain.findings import Finding, fr_date
from suivi_xlsx.domain.model import Column, Entry
from suivi_xlsx.domain.numbering import format_order_number, order_number_readings
from suivi_xlsx.domain.rules.base import Context, rule

_ORDER = Column.ORDER_NUMBER


@rule("numero-manquant")
def missing_number(ctx: Context) -> Iterator[Finding]:
    """An entry with no order number."""
    for e in ctx.entries:
        if e.order_text is None and _ORDER in e.columns:
            yield Finding.at(e, _ORDER, "numero-manquant")


@rule("numero-invalide", "numero-ambigu")
def invalid_number(ctx: Context) -> Iterator[Finding]:
    """An order number that is not ``aa.agence.nnn`` (``nnn`` at least 3 digits), or that may
    be read two ways (``16/25/8``): then both readings are named."""
    for e in ctx.entries:
        if e.order_number is None and e.order_text is not None:
            readings = order_number_readings(e.order_text)
            if len(readings) > 1:
                named = " ou ".join(str(number) for number in readings)
                yield Finding.at(e, _ORDER, "numero-ambigu", valeur=e.order_text, lectures=named)
            else:
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
    """Gaps in each (year, agency) series (see the module docstring)."""
    code = "numero-sequence"
    for key, firsts in _number_index(ctx)[0].items():
        for entry, detail in _gap_details(list(firsts.items()), key):
            yield Finding.at(entry, _ORDER, code, numero=entry.order_text, detail=detail)


@rule("numero-a-corriger")
def near_miss_number(ctx: Context) -> Iterator[Finding]:
    """An order number typed slightly wrong, read as the number it means: give its form."""
    for e in ctx.entries:
        if e.lenient and _ORDER in e.lenient and e.order_number is not None:
            yield Finding.at(
                e,
                _ORDER,
                "numero-a-corriger",
                valeur=e.order_text,
                numero=str(e.order_number),
            )
