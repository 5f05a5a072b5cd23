"""Order number rules: numero-manquant, numero-invalide, numero-annee, numero-duplique (across
sheets), numero-sequence (gaps, inversions, across two year sheets, no flood)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from suivi_xlsx.rules.numbers import _increasing_keep
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
            entry(number="25-1601-001"),
            entry(number="25.1601.01"),  # nnn needs at least 3 digits
            entry(number="25.1601.001"),
            entry(number=" 25.1601.0002 "),  # blanks trimmed, 4 digits allowed
        ],
    )
    assert at(report, "numero-invalide") == [("numero-invalide", "D2"), ("numero-invalide", "D3")]


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


def test_sequence_across_two_year_sheets(tmp_path: Path) -> None:
    # A 2025 complaint typed at the bottom of the 2024 sheet: its number 25.1601.001 is later
    # than 25.1601.002 in Date order. Series are per year: 24.* and 25.* are separate.
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
                entry(D(2025, 2, 4), number="25.1601.005"),
            ],
        },
    )
    assert [(f.sheet, f.cell, f.message) for f in report.findings if f.code == SEQ] == [
        (
            "2025",
            "D2",
            "Numéro 25.1601.002 hors séquence : daté du 10/01/2025, il devrait être inférieur "
            "à 25.1601.001 (20/01/2025).",
        ),
        ("2025", "D4", "Numéro 25.1601.005 hors séquence : numéro 25.1601.004 absent."),
    ]


def test_one_misplaced_number_gives_one_finding_not_a_flood() -> None:
    numbers = ["001", "002", "050", "003", "004", "005"]
    entries = [
        make_entry(i + 2, received_on=D(2025, 1, 1) + dt.timedelta(i), number=f"25.1601.{n}")
        for i, n in enumerate(numbers)
    ]
    report = run(one_sheet(*entries))
    assert [(f.cell, f.message) for f in report.findings] == [
        (
            "D4",
            "Numéro 25.1601.050 hors séquence : daté du 03/01/2025, il devrait être compris "
            "entre 25.1601.002 (02/01/2025) et 25.1601.003 (04/01/2025) ; numéros 25.1601.006 "
            "à 25.1601.049 absents (44).",
        )
    ]


def test_same_day_numbers_in_any_order_and_missing_first_numbers() -> None:
    day = D(2025, 2, 3)
    entries = [
        make_entry(2, received_on=day, number="25.1601.004"),
        make_entry(3, received_on=day, number="25.1601.003"),  # same day: no inversion
        make_entry(4, received_on=D(2025, 2, 4), number="25.1601.005"),
    ]
    report = run(one_sheet(*entries))
    assert [(f.cell, f.message) for f in report.findings] == [
        ("D3", "Numéro 25.1601.003 hors séquence : numéros 25.1601.001 à 25.1601.002 absents (2).")
    ]


def test_undated_and_other_series_numbers() -> None:
    entries = [
        make_entry(2, received_on=D(2025, 3, 1), number="25.1601.001"),
        make_entry(3, received_on=None, number="25.1601.003"),  # no Date: only counts for gaps
        make_entry(4, received_on=D(2025, 2, 1), number="25.1602.001"),  # another agency
        make_entry(5, received_on=D(2025, 3, 2), number="25.1601.002"),
    ]
    assert at(run(one_sheet(*entries)), SEQ) == []


def test_inversion_at_the_end_of_a_series() -> None:
    entries = [
        make_entry(2, received_on=D(2025, 1, 1), number="25.1601.002"),
        make_entry(3, received_on=D(2025, 1, 2), number="25.1601.003"),
        make_entry(4, received_on=D(2025, 1, 3), number="25.1601.001"),
    ]
    report = run(one_sheet(*entries))
    assert [(f.cell, f.message) for f in report.findings] == [
        (
            "D4",
            "Numéro 25.1601.001 hors séquence : daté du 03/01/2025, il devrait être supérieur "
            "à 25.1601.003 (02/01/2025).",
        )
    ]


@given(st.lists(st.integers(0, 30), max_size=40))
def test_kept_numbers_increase_and_are_as_many_as_possible(seqs: list[int]) -> None:
    keep = _increasing_keep(seqs)
    kept = [s for s, k in zip(seqs, keep, strict=True) if k]
    assert all(a < b for a, b in itertools.pairwise(kept))
    # as long as a longest strictly increasing subsequence (quadratic reference)
    best = [1] * len(seqs)
    for i in range(len(seqs)):
        for j in range(i):
            if seqs[j] < seqs[i]:
                best[i] = max(best[i], best[j] + 1)
    assert len(kept) == max(best, default=0)


@given(st.permutations(list(range(1, 13))))
def test_sequence_findings_are_bounded_by_misplaced_numbers(order: list[int]) -> None:
    entries = [
        make_entry(i + 2, received_on=D(2025, 1, 1) + dt.timedelta(i), number=f"25.1601.{n:03d}")
        for i, n in enumerate(order)
    ]
    report = run(one_sheet(*entries))
    findings = [f for f in report.findings if f.code == SEQ]
    kept = sum(_increasing_keep(order))
    assert len(findings) == len(order) - kept  # no gaps here: one finding per misplaced number
    assert all("il devrait être" in f.message for f in findings)
