"""Cell coercion: dates, origins, decisions, redress, years, order numbers, free text."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suivi_xlsx.domain.model import Column, Decision, Origin
from suivi_xlsx.domain.values import (
    MAX_DATE,
    MIN_DATE,
    convert,
    origin_is_lenient,
    parse_date_text,
    to_date,
    to_decision,
    to_order_text,
    to_origin,
    to_postcode,
    to_redress,
    to_text,
    to_year,
)

D = dt.date(2025, 3, 5)


@pytest.mark.parametrize(
    "value",
    [
        D,
        dt.datetime(2025, 3, 5, 14, 30),
        "05/03/2025",
        "5/3/2025",
        "5/3/25",
        "05.03.2025",
        "05-03-2025",
        "2025-03-05",
        " 05/03/2025 ",
        "05/03/2025 14:30",
        "05/03/2025 14h30",
        "2025-03-05T14:30:00",
        "5 mars 2025",
        "05 Mars 2025",
        "5 mars 25",
        45721.0,  # Excel serial of 05/03/2025
        45721,
    ],
)
def test_dates(value: object) -> None:
    assert to_date(value) == D


@pytest.mark.parametrize(
    "value",
    [
        "31/02/2025",  # no such day
        "05/13/2025",
        "demain",
        "05/03",
        "05/03/2025/1",
        "5 mars",
        2025.0,  # a year typed in a date column: not a plausible serial
        12.0,
        dt.date(1900, 1, 12),  # « 12 » typed in a date cell
        "05/03/1025",
        True,
        dt.time(14, 30),
        "2025-03-05 garbage",
    ],
)
def test_unreadable_dates_raise(value: object) -> None:
    with pytest.raises(ValueError):
        to_date(value)


def test_blank_text_date_is_empty() -> None:
    assert to_date("   ") is None
    assert convert(Column.DATE, "") is None
    assert convert(Column.DATE, None) is None


def test_two_digit_years_are_this_century() -> None:
    assert parse_date_text("31/12/99") == dt.date(2099, 12, 31)
    assert parse_date_text("1/1/00") == dt.date(2000, 1, 1)


_DATES = st.dates(min_value=MIN_DATE, max_value=MAX_DATE)


@given(day=_DATES, sep=st.sampled_from("/.-"), pad=st.booleans(), time=st.booleans())
def test_every_french_text_date_parses_back(day: dt.date, sep: str, pad: bool, time: bool) -> None:
    text = (
        f"{day.day:02d}{sep}{day.month:02d}{sep}{day.year}"
        if pad
        else f"{day.day}{sep}{day.month}{sep}{day.year}"
    )
    if time:
        text += " 09:05:00"
    assert to_date(text) == day


@given(day=st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31)))
def test_two_digit_year_text_dates_parse_back(day: dt.date) -> None:
    assert to_date(f"{day.day}/{day.month}/{day.year % 100:02d}") == day


@given(day=_DATES)
def test_iso_dates_and_serials_parse_back(day: dt.date) -> None:
    assert to_date(day.isoformat()) == day
    serial = (day - dt.date(1899, 12, 30)).days
    assert to_date(float(serial)) == day
    assert to_date(dt.datetime(day.year, day.month, day.day, 23, 59)) == day


@given(text=st.text(max_size=30))
def test_date_text_never_fails_otherwise(text: str) -> None:
    try:
        result = to_date(text)
    except ValueError:
        return
    assert result is None or MIN_DATE <= result <= MAX_DATE


@pytest.mark.parametrize(
    ("value", "origin"),
    [
        ("FS", Origin.FS),
        (" fs ", Origin.FS),
        ("Qs", Origin.QS),
        ("pa\n", Origin.PA),
        ("F.S.", Origin.FS),
        ("fiche signalétique", Origin.FS),
        ("Fiche signaletique", Origin.FS),
        ("Questionnaire de satisfaction", Origin.QS),
        ("Plan d'amélioration", Origin.PA),
        ("décision d'amélioration", Origin.PA),
        ("FS - réclamation", Origin.FS),
        ("Réclamation", Origin.FS),
        ("plainte", Origin.FS),
        ("Questionnaire", Origin.QS),
        ("Enquête", Origin.QS),
        ("Plan d'action", Origin.PA),
        ("Amélioration", Origin.PA),
        ("P.A.", Origin.PA),
    ],
)
def test_origins(value: str, origin: Origin) -> None:
    assert to_origin(value) is origin


@pytest.mark.parametrize(
    ("value", "lenient"),
    [("FS", False), (" fs ", False), ("F.S.", True), ("Réclamation", True), ("P.A.", True)],
)
def test_origin_words_are_lenient(value: str, lenient: bool) -> None:
    """A word for the origin is read as its code, and kept for a warning that suggests it."""
    assert origin_is_lenient(value) is lenient


@pytest.mark.parametrize("value", ["FX", "réclamer", "FS/QS", "F S Q", 1.0, "?"])
def test_unknown_origins_raise(value: object) -> None:
    with pytest.raises(ValueError):
        to_origin(value)


@pytest.mark.parametrize(
    ("value", "decision"),
    [
        ("acceptée", Decision.ACCEPTED),
        ("Accepté", Decision.ACCEPTED),
        ("accepté(e)", Decision.ACCEPTED),
        ("ACCEPTEE", Decision.ACCEPTED),
        ("rejet partiel", Decision.PARTIAL_REJECTION),
        ("Partiellement rejetée", Decision.PARTIAL_REJECTION),
        ("acceptée partiellement", Decision.PARTIAL_REJECTION),
        ("rejet total", Decision.TOTAL_REJECTION),
        ("Rejetée", Decision.TOTAL_REJECTION),
        ("refusée", Decision.TOTAL_REJECTION),
        ("non acceptée", Decision.TOTAL_REJECTION),
    ],
)
def test_decisions(value: str, decision: Decision) -> None:
    assert to_decision(value) is decision


@pytest.mark.parametrize("value", ["peut-être", "en attente", 1.0])
def test_unknown_decisions_raise(value: object) -> None:
    with pytest.raises(ValueError):
        to_decision(value)


@pytest.mark.parametrize(
    "value", ["non", "Non.", "N", "aucune", "AUCUN", "0", 0.0, "faux", "FALSE", False, "-", " - "]
)
def test_negative_redress_means_none(value: object) -> None:
    assert to_redress(value) is None


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("Médiateur de la consommation", "Médiateur de la consommation"),
        ("oui", "oui"),
        (True, "oui"),
    ],
)
def test_redress_given(value: object, text: str) -> None:
    assert to_redress(value) == text


@pytest.mark.parametrize(
    ("value", "year"), [(2025, 2025), (2025.0, 2025), ("2025", 2025), (" 25 ", 2025), (D, 2025)]
)
def test_years(value: object, year: int) -> None:
    assert to_year(value) == year


@pytest.mark.parametrize("value", ["vingt", 2025.5, "202", 25.0, 1850.0, True])
def test_unreadable_years_raise(value: object) -> None:
    with pytest.raises(ValueError):
        to_year(value)


@pytest.mark.parametrize(
    ("value", "text"),
    [(" 25.1601.001 ", "25.1601.001"), (12.0, "12"), (25.1601, "25.1601"), ("", None)],
)
def test_order_text(value: object, text: str | None) -> None:
    assert to_order_text(value) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("  Retard  ", "Retard"),
        ("\n", None),
        (3.0, "3"),
        (2.5, "2.5"),
        (True, "VRAI"),
        (D, "05/03/2025"),
        (dt.datetime(2025, 3, 5, 8, 0), "05/03/2025"),
    ],
)
def test_text(value: object, text: str | None) -> None:
    assert to_text(value) == text


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1000, "01000"),  # the Ain's 01000 typed as a number: Excel dropped the zero
        (2100.0, "02100"),
        (74000, "74000"),
        ("01000", "01000"),
        (" 74000 ", "74000"),
        ("B-1000", "B-1000"),
        (123, "123"),  # not a French postcode: as typed
        ("", None),
    ],
)
def test_postcodes_keep_their_leading_zero(value: object, expected: str | None) -> None:
    assert to_postcode(value) == expected


@given(st.text(alphabet="0123456789/.- ermasjuilnovdécÉ\n", max_size=40))
def test_has_date_tries_the_pattern_where_it_can_start_only(text: str) -> None:
    from suivi_xlsx.domain.values import _DATE_IN_TEXT_RE, has_date, plain

    assert has_date(text) == (_DATE_IN_TEXT_RE.search(plain(text)) is not None)


@given(
    st.text(alphabet="0123456789/.- ermasjuilnovdécÉ\n", max_size=40),
    st.integers(min_value=0, max_value=3000),
)
def test_a_long_text_finds_the_same_dates_as_a_short_one(text: str, padding: int) -> None:
    """Window by window past 2,000 characters: the same answer as the whole text folded."""
    from suivi_xlsx.domain.values import has_date

    long = "x" * padding + " " + text + " " + "y" * (2100 - padding)
    assert has_date(long) == has_date(" " + text + " ")
