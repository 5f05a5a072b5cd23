"""Order number rules: numero-manquant, numero-invalide, numero-a-corriger, numero-annee,
numero-duplique (across sheets), numero-sequence (gaps only: a late registration is normal)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.test_rules_helpers import D, at, check_rows, check_sheets, make_entry, one_sheet, run
from tests.workbooks import entry

SEQ = "numero-sequence"


def test_missing_number(tmp_path: Path) -> None:
    report = check_rows(tmp_path, [entry(number=None), entry(number="25.1601.001")])
    assert at(report, "numero-manquant") == [("numero-manquant", "D2")]


def test_invalid_number(tmp_path: Path) -> None:
    report = check_rows(
        tmp_path,
        [
            entry(number="25-1601-001"),  # near misses: read as the number they mean
            entry(number="25.1601.01"),
            entry(number="25.1601.001"),
            entry(number=" 25.1601.0002 "),  # blanks trimmed, 4 digits allowed
            entry(number="25.16O1.003"),  # a letter O: not a number
            entry(number="1601-25"),
        ],
    )
    assert at(report, "numero-invalide") == [("numero-invalide", "D6"), ("numero-invalide", "D7")]
    assert [(f.cell, f.message) for f in report.findings if f.code == "numero-a-corriger"] == [
        ("D2", "Numéro d'ordre « 25-1601-001 » lu comme 25.1601.001 : écrivez 25.1601.001."),
        ("D3", "Numéro d'ordre « 25.1601.01 » lu comme 25.1601.001 : écrivez 25.1601.001."),
    ]


def test_near_misses_count_as_their_number_for_duplicates_and_gaps(tmp_path: Path) -> None:
    """``25.1601.1`` is 25.1601.001: no claim that 001 is missing, and a duplicate of it."""
    report = check_rows(
        tmp_path,
        [
            entry(D(2025, 1, 6), number="25.1601.1"),
            entry(D(2025, 1, 7), number="25 1601 002"),
            entry(D(2025, 1, 8), number="25.1601.003"),
            entry(D(2025, 1, 9), number="25.1601.001"),
        ],
    )
    assert at(report, SEQ) == []
    assert at(report, "numero-duplique") == [("numero-duplique", "D5")]


def test_number_year_differs_from_date(tmp_path: Path) -> None:
    report = check_rows(
        tmp_path,
        [
            entry(D(2025, 3, 5), number="24.1601.001"),
            entry(D(2025, 3, 5), number="25.1601.001"),
            entry(D(2024, 12, 31), number="24.1601.002"),
        ],
    )
    assert at(report, "numero-annee") == [("numero-annee", "D2")]


def test_duplicates_across_sheets_first_one_not_reported(tmp_path: Path) -> None:
    report = check_sheets(
        tmp_path,
        {
            "2025": [
                entry(D(2025, 1, 6), number="25.1601.001"),
                entry(D(2025, 1, 7), number="25.1601.002"),
                entry(D(2025, 1, 8), number="25.1601.002"),
            ],
            "Archives": [entry(D(2025, 1, 6), number="25.1601.001")],
        },
    )
    assert [
        (f.sheet, f.cell, f.message) for f in report.findings if f.code == "numero-duplique"
    ] == [
        ("2025", "D4", "Numéro d'ordre 25.1601.002 déjà utilisé (ligne 3)."),
        ("Archives", "D2", "Numéro d'ordre 25.1601.001 déjà utilisé (feuille « 2025 », ligne 2)."),
    ]
    assert at(report, SEQ) == []  # a duplicate is not also a sequence problem


def test_sequence_gap_reported_once_on_the_following_number(tmp_path: Path) -> None:
    report = check_rows(
        tmp_path,
        [
            entry(D(2025, 1, 6), number="25.1601.001"),
            entry(D(2025, 1, 7), number="25.1601.002"),
            entry(D(2025, 1, 8), number="25.1601.006"),
            entry(D(2025, 1, 9), number="25.1601.008"),
        ],
    )
    assert [(f.cell, f.message) for f in report.findings if f.code == SEQ] == [
        ("D4", "Numéro 25.1601.006 hors séquence : numéros 25.1601.003 à 25.1601.005 absents (3)."),
        ("D5", "Numéro 25.1601.008 hors séquence : numéro 25.1601.007 absent."),
    ]


def test_late_registrations_are_not_flagged(tmp_path: Path) -> None:
    """A complaint registered late gets the next number after younger ones: the rule shared
    with ``suivi update``. Series are per year: 24.* and 25.* are separate."""
    report = check_sheets(
        tmp_path,
        {
            "2024": [
                entry(D(2024, 11, 4), number="24.1601.001"),
                entry(D(2024, 12, 2), number="24.1601.002"),
                entry(D(2025, 1, 20), number="25.1601.001"),
            ],
            "2025": [
                entry(D(2025, 1, 10), number="25.1601.002"),
                entry(D(2025, 2, 3), number="25.1601.003"),
                entry(D(2025, 1, 2), number="25.1601.005"),
            ],
        },
    )
    assert [(f.sheet, f.cell, f.message) for f in report.findings if f.code == SEQ] == [
        ("2025", "D4", "Numéro 25.1601.005 hors séquence : numéro 25.1601.004 absent."),
    ]


def test_missing_first_numbers() -> None:
    day = D(2025, 2, 3)
    entries = [
        make_entry(2, received_on=day, number="25.1601.004"),
        make_entry(3, received_on=day, number="25.1601.003"),
        make_entry(4, received_on=D(2025, 2, 4), number="25.1601.005"),
    ]
    report = run(one_sheet(*entries))
    assert [(f.cell, f.message) for f in report.findings] == [
        ("D3", "Numéro 25.1601.003 hors séquence : numéros 25.1601.001 à 25.1601.002 absents (2).")
    ]


def test_undated_and_other_series_numbers() -> None:
    entries = [
        make_entry(2, received_on=D(2025, 3, 1), number="25.1601.001"),
        make_entry(3, received_on=None, number="25.1601.003"),  # no Date: counts for gaps
        make_entry(4, received_on=D(2025, 2, 1), number="25.1602.001"),  # another agency
        make_entry(5, received_on=D(2025, 3, 2), number="25.1601.002"),
    ]
    assert at(run(one_sheet(*entries)), SEQ) == []


@given(st.permutations(list(range(1, 13))))
def test_any_order_of_a_complete_series_is_fine(order: list[int]) -> None:
    entries = [
        make_entry(i + 2, received_on=D(2025, 1, 1) + dt.timedelta(i), number=f"25.1601.{n:03d}")
        for i, n in enumerate(order)
    ]
    assert at(run(one_sheet(*entries)), SEQ) == []
