"""Rules on columns and fields, on workbooks built in the test and read by the reader:
colonne-manquante, champ-obligatoire, date-invalide, origine-invalide, annee-incoherente,
dates-incoherentes, date-future, echeance-manquante, responsable-manquant, suivi-manquant."""

from __future__ import annotations

from pathlib import Path

from suivi_xlsx.domain.model import OPTIONAL_COLUMNS, SEED_COLUMNS, Column
from tests.test_rules_helpers import D, at, check_rows, load, run
from tests.workbooks import entry, make_register

ALL = SEED_COLUMNS + OPTIONAL_COLUMNS
# Columns: A Année, B Date, C Émetteur, D Numéro, E Origine, F Objet, G Justificatif, H Suivi,
# I Personne chargée, J Échéance, K Clôture; then L..U the optional ones (O AR, P Réponse).


def test_missing_columns_at_the_header_row_and_not_per_entry(tmp_path: Path) -> None:
    columns = [c for c in SEED_COLUMNS if c not in (Column.EVIDENCE, Column.OWNER)]
    path = make_register(
        tmp_path / "r.xlsx",
        [entry(owner=None), entry()],
        columns=columns,
        title_rows=[["Suivi des fiches signalétiques"], []],
    )
    report = run(load(path))
    missing = [(f.code, f.row, f.cell, f.message) for f in report.findings][:2]
    assert [m[:3] for m in missing] == [("colonne-manquante", 3, None)] * 2
    assert ["Justificatif" in missing[0][3], "Personne chargée" in missing[1][3]] == [True, True]
    assert at(report, "responsable-manquant") == []


def test_required_fields_empty(tmp_path: Path) -> None:
    report = check_rows(
        tmp_path,
        [
            entry(issuer=None),
            entry(subject=None),
            entry(origin=None),
            entry(None),
            entry(),
        ],
    )
    assert at(report, "champ-obligatoire") == [
        ("champ-obligatoire", "C2"),
        ("champ-obligatoire", "F3"),
        ("champ-obligatoire", "E4"),
        ("champ-obligatoire", "B5"),
    ]


def test_invalid_values_are_not_reported_as_empty(tmp_path: Path) -> None:
    report = check_rows(tmp_path, [entry("demain", origin="XX")])
    assert at(report, "champ-obligatoire", "date-invalide", "origine-invalide") == [
        ("date-invalide", "B2"),
        ("origine-invalide", "E2"),
    ]


def test_invalid_dates_in_every_date_column(tmp_path: Path) -> None:
    report = check_rows(
        tmp_path,
        [
            entry("32/13/2025"),
            entry(due="bientôt"),
            entry(closed="31/02/2025"),
            entry(ack_date="hier", answer_date="05/03/2025"),
            entry(answer_date="le lendemain", due="05/04/2025", closed="5/4/25"),
        ],
        columns=ALL,
    )
    assert at(report, "date-invalide") == [
        ("date-invalide", "B2"),
        ("date-invalide", "J3"),
        ("date-invalide", "K4"),
        ("date-invalide", "O5"),
        ("date-invalide", "P6"),
    ]


def test_words_in_date_columns(tmp_path: Path) -> None:
    """« en cours » or « ? » in a date column: not done, no finding, the entry stays open;
    « clôturé » or « fait »: done, the date is missing; other text: unreadable, still open."""
    late = {"due": "01/04/2025"}
    report = check_rows(
        tmp_path,
        [
            entry(closed="en cours", **late),
            entry(closed="?", **late),
            entry(closed="Clôturé", follow_up="ok", **late),
            entry(closed="cf dossier papier", **late),
            entry(ack_date="fait", answer_date="à faire"),
        ],
        columns=ALL,
    )
    assert at(report, "date-invalide") == [("date-invalide", "K5")]
    assert at(report, "date-non-indiquee") == [
        ("date-non-indiquee", "K4"),
        ("date-non-indiquee", "O6"),
    ]
    # open for every rule: late unless the closing cell says it is closed
    assert at(report, "en-retard") == [
        ("en-retard", "J2"),
        ("en-retard", "J3"),
        ("en-retard", "J5"),
    ]


def test_origin_after_trimming_and_case(tmp_path: Path) -> None:
    report = check_rows(tmp_path, [entry(origin=" fs "), entry(origin="Qs"), entry(origin="FX")])
    assert at(report, "origine-invalide") == [("origine-invalide", "E4")]


def test_year_differs_from_date_and_unreadable_year(tmp_path: Path) -> None:
    report = check_rows(
        tmp_path,
        [
            entry(D(2025, 3, 5), year=2024),
            entry(D(2025, 3, 5), year="2O25"),  # unreadable: reported the same way
            entry(D(2025, 3, 5), year=2025),
            entry(None, year=2024),  # no Date: nothing to compare with
        ],
    )
    assert at(report, "annee-incoherente") == [
        ("annee-incoherente", "A2"),
        ("annee-incoherente", "A3"),
    ]
    assert "« 2O25 »" in report.findings[[f.cell for f in report.findings].index("A3")].message


def test_empty_year_is_not_inconsistent(tmp_path: Path) -> None:
    row = entry(D(2025, 3, 5))
    row[Column.YEAR] = None  # « suivi update » fills it
    assert at(check_rows(tmp_path, [row]), "annee-incoherente") == []


def test_dates_before_the_date_of_receipt(tmp_path: Path) -> None:
    report = check_rows(
        tmp_path,
        [
            entry(D(2025, 3, 5), due=D(2025, 3, 4)),
            entry(D(2025, 3, 5), closed=D(2025, 3, 1), follow_up="ok"),
            entry(D(2025, 3, 5), due=D(2025, 3, 5), closed=D(2025, 3, 5), follow_up="ok"),
        ],
    )
    assert at(report, "dates-incoherentes") == [
        ("dates-incoherentes", "J2"),
        ("dates-incoherentes", "K3"),
    ]


def test_missing_due_date_only_for_open_entries(tmp_path: Path) -> None:
    report = check_rows(
        tmp_path,
        [entry(due=None), entry(due=None, closed=D(2025, 4, 1), follow_up="ok")],
    )
    assert at(report, "echeance-manquante") == [("echeance-manquante", "J2")]


def test_missing_owner_only_for_open_entries(tmp_path: Path) -> None:
    report = check_rows(
        tmp_path,
        [entry(owner=None), entry(owner=None, closed=D(2025, 4, 1), follow_up="ok")],
    )
    assert at(report, "responsable-manquant") == [("responsable-manquant", "I2")]


def test_missing_follow_up_only_for_closed_entries(tmp_path: Path) -> None:
    report = check_rows(
        tmp_path,
        [
            entry(closed=D(2025, 4, 1)),
            entry(closed=D(2025, 4, 1), follow_up="01/04 : appel du client"),
            entry(follow_up=None),
        ],
    )
    assert at(report, "suivi-manquant") == [("suivi-manquant", "H2")]


def test_a_date_formatted_negative_number_is_named_as_such(tmp_path: Path) -> None:
    """-1 in a date-formatted cell reaches the reader as « 00:00:00 »: the message says it is
    a number below 1, not a time someone typed."""
    from openpyxl import load_workbook

    path = make_register(tmp_path / "r.xlsx", [entry(D(2025, 3, 5), due=-1.0)])
    book = load_workbook(path)
    book.active["J2"].number_format = "dd/mm/yyyy"  # type: ignore[index]
    book.save(path)
    report = run(load(path))
    (finding,) = [f for f in report.findings if f.code == "date-invalide"]
    assert finding.cell == "J2"
    assert "nombre inférieur à 1 ou négatif" in finding.message


def test_dates_of_what_has_happened_after_the_reference_date(tmp_path: Path) -> None:
    """A Date, an acknowledgement or an answer after the reference date (02/06/2025) is most
    often a typo in the year; a due or closing date may be typed ahead and is not reported."""
    report = check_rows(
        tmp_path,
        [
            entry(D(2052, 3, 5)),
            entry(D(2025, 3, 5), ack_date=D(2025, 6, 3)),
            entry(D(2025, 3, 5), answer_date=D(2026, 5, 20), due=D(2026, 5, 5)),
            entry(D(2025, 6, 2), ack_date=D(2025, 6, 2), closed=D(2025, 7, 1)),
        ],
        columns=ALL,
    )
    assert at(report, "date-future") == [
        ("date-future", "B2"),
        ("date-future", "O3"),
        ("date-future", "P4"),
    ]
    first = next(f for f in report.findings if f.code == "date-future")
    assert first.message == (
        "Date du 05/03/2052, postérieure à la date de référence du 02/06/2025 : vérifiez "
        "l'année (faute de frappe ?)."
    )
