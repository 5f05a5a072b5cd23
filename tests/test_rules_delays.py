"""Deadline rules on workbooks built in the test: en-retard, echeance-proche, cloture-tardive,
reponse-en-retard, accuse-reception-en-retard, echeance-depassant-delai, and the redress rule
voies-de-recours-manquantes. Today is Monday 02/06/2025."""

from __future__ import annotations

from pathlib import Path

from suivi_xlsx.domain.model import OPTIONAL_COLUMNS, SEED_COLUMNS, Calendar, Column, Register
from tests.test_rules_helpers import D, at, check_rows, load, run
from tests.workbooks import entry, make_register, make_workbook, register_rows

ALL = SEED_COLUMNS + OPTIONAL_COLUMNS  # O: Date accusé de réception, P: Date de réponse
QS = {"origin": "QS"}


def test_overdue_from_the_day_after_the_due_date(tmp_path: Path) -> None:
    report = check_rows(
        tmp_path,
        [
            entry(due=D(2025, 6, 1), **QS),  # due yesterday: late
            entry(due=D(2025, 6, 2), **QS),  # due today: not late
            entry(due=D(2025, 5, 1), closed=D(2025, 5, 20), follow_up="ok", **QS),  # closed
        ],
    )
    assert at(report, "en-retard") == [("en-retard", "J2")]


def test_due_soon_window_and_soon_option(tmp_path: Path) -> None:
    rows = [
        entry(due=D(2025, 6, 2), **QS),  # today
        entry(due=D(2025, 6, 9), **QS),  # in 7 days
        entry(due=D(2025, 6, 10), **QS),  # in 8 days
        entry(due=D(2025, 6, 3), closed=D(2025, 5, 30), follow_up="ok", **QS),
        entry(due=D(2025, 6, 1), **QS),  # already late, not « soon »
    ]
    assert at(check_rows(tmp_path, rows), "echeance-proche") == [
        ("echeance-proche", "J2"),
        ("echeance-proche", "J3"),
    ]
    wider = check_rows(tmp_path, rows, soon_days=8)
    assert at(wider, "echeance-proche") == [
        ("echeance-proche", "J2"),
        ("echeance-proche", "J3"),
        ("echeance-proche", "J4"),
    ]


def test_day_counts_read_as_french(tmp_path: Path) -> None:
    # today is 02/06/2025
    report = check_rows(
        tmp_path,
        [
            entry(due=D(2025, 6, 2), **QS),  # due today
            entry(due=D(2025, 6, 3), **QS),  # due tomorrow
            entry(due=D(2025, 6, 1), **QS),  # one day late
            entry(due=D(2025, 5, 1), closed=D(2025, 5, 2), follow_up="ok", **QS),
        ],
    )
    messages = {(f.code, f.cell): f.message for f in report.findings}
    assert messages["echeance-proche", "J2"] == "Échéance proche : le 02/06/2025 (aujourd'hui)."
    assert messages["echeance-proche", "J3"] == "Échéance proche : le 03/06/2025 (demain)."
    assert messages["en-retard", "J4"].endswith("dépassée de 1 jour, dossier non clôturé.")
    assert messages["cloture-tardive", "K5"].endswith("(1 jour de retard).")


def test_closed_after_the_due_date(tmp_path: Path) -> None:
    report = check_rows(
        tmp_path,
        [
            entry(due=D(2025, 4, 1), closed=D(2025, 4, 2), follow_up="ok", **QS),
            entry(due=D(2025, 4, 1), closed=D(2025, 4, 1), follow_up="ok", **QS),
        ],
    )
    assert at(report, "cloture-tardive") == [("cloture-tardive", "K2")]


def test_answer_late_with_the_answer_column(tmp_path: Path) -> None:
    ack = {"ack_date": D(2025, 4, 3)}
    report = check_rows(
        tmp_path,
        [
            entry(D(2025, 4, 1), **ack),  # deadline 01/06: late
            entry(D(2025, 4, 2), **ack),  # deadline 02/06 = today: not late
            entry(D(2025, 4, 1), answer_date=D(2025, 5, 2), **ack),  # answered
            entry(D(2025, 4, 1), origin="QS"),  # not a complaint
            # closed without an answer date: the column says it was never answered
            entry(D(2025, 3, 31), closed=D(2025, 4, 30), follow_up="ok", **ack),
        ],
        columns=ALL,
    )
    assert at(report, "reponse-en-retard") == [("reponse-en-retard", "P2")]


def test_answer_late_without_the_answer_column_means_not_closed(tmp_path: Path) -> None:
    report = check_rows(
        tmp_path,
        [
            entry(D(2025, 3, 31)),  # deadline 31/05, open: late
            entry(D(2025, 3, 31), closed=D(2025, 5, 2), follow_up="ok"),
        ],
    )
    assert at(report, "reponse-en-retard") == [("reponse-en-retard", "K2")]


def test_answer_deadline_is_clamped_to_month_end(tmp_path: Path) -> None:
    # received 31/12/2024: answer due 28/02/2025; late on 01/03, not on 28/02
    rows = [entry(D(2024, 12, 31), ack_date=D(2025, 1, 2))]
    assert (
        at(check_rows(tmp_path, rows, columns=ALL, today=D(2025, 2, 28)), "reponse-en-retard") == []
    )
    assert at(
        check_rows(tmp_path, rows, columns=ALL, today=D(2025, 3, 1)), "reponse-en-retard"
    ) == [("reponse-en-retard", "P2")]


def test_acknowledgement_late(tmp_path: Path) -> None:
    report = check_rows(
        tmp_path,
        [
            entry(D(2025, 5, 20)),  # deadline 30/05: late
            entry(D(2025, 5, 23)),  # deadline 02/06 = today: not late
            entry(D(2025, 5, 20), ack_date=D(2025, 5, 22)),
            entry(D(2025, 5, 20), answer_date=D(2025, 5, 28)),  # answered at once
            entry(D(2025, 5, 20), closed=D(2025, 5, 21), follow_up="ok"),
            entry(D(2025, 5, 20), origin="PA"),
        ],
        columns=ALL,
    )
    assert at(report, "accuse-reception-en-retard") == [("accuse-reception-en-retard", "O2")]


def test_acknowledgement_not_checked_without_its_column(tmp_path: Path) -> None:
    assert at(check_rows(tmp_path, [entry(D(2025, 5, 20))]), "accuse-reception-en-retard") == []


def test_acknowledgement_in_working_days_option(tmp_path: Path) -> None:
    # Received Thu 22/05/2025: 10 calendar days → 01/06 (late on 02/06); 10 jours ouvrables
    # (Ascension on 29/05, Sunday 25/05 and 01/06 skipped) → 03/06: not yet late.
    rows = [entry(D(2025, 5, 22))]
    assert at(check_rows(tmp_path, rows, columns=ALL), "accuse-reception-en-retard") == [
        ("accuse-reception-en-retard", "O2")
    ]
    working = check_rows(tmp_path, rows, columns=ALL, calendar=Calendar.WORKING_DAYS)
    assert at(working, "accuse-reception-en-retard") == []


def test_working_days_and_alsace_moselle_from_the_parameters_sheet(tmp_path: Path) -> None:
    # Received Tue 16/12/2025: the 10th jour ouvrable is 29/12, or 30/12 in Alsace-Moselle
    # where 26 December is a public holiday too. Today 30/12/2025.
    def register(alsace: str) -> Register:
        path = make_workbook(
            tmp_path / f"r-{alsace}.xlsx",
            {
                "Registre": register_rows([entry(D(2025, 12, 16))], columns=ALL),
                "Paramètres": [
                    ["Paramètre", "Valeur"],
                    ["Numéro d'agence", "1601"],
                    ["Décompte des jours", "jours ouvrables"],
                    ["Alsace-Moselle", alsace],
                ],
            },
        )
        return load(path)

    today = D(2025, 12, 30)
    inland, moselle = register("non"), register("oui")
    assert (inland.settings.calendar, moselle.settings.alsace_moselle) == (
        Calendar.WORKING_DAYS,
        True,
    )
    assert at(run(inland, today), "accuse-reception-en-retard") == [
        ("accuse-reception-en-retard", "O2")
    ]
    assert at(run(moselle, today), "accuse-reception-en-retard") == []
    assert at(run(inland, today, alsace_moselle=True), "accuse-reception-en-retard") == []


def test_due_date_beyond_the_answer_delay(tmp_path: Path) -> None:
    report = check_rows(
        tmp_path,
        [
            entry(D(2025, 3, 5), due=D(2025, 5, 6)),  # limit 05/05
            entry(D(2025, 3, 5), due=D(2025, 5, 5)),
            entry(D(2025, 3, 5), due=D(2025, 9, 1), origin="QS"),
        ],
        today=D(2025, 3, 10),
    )
    assert at(report, "echeance-depassant-delai") == [("echeance-depassant-delai", "J2")]


def test_rejection_without_means_of_redress(tmp_path: Path) -> None:
    done = {"ack_date": D(2025, 3, 6), "answer_date": D(2025, 4, 1)}
    report = check_rows(
        tmp_path,
        [
            entry(decision="rejet total", **done),
            entry(decision="Rejet partiel", redress="non", **done),
            entry(decision="rejet total", redress="Médiateur de la consommation", **done),
            entry(decision="acceptée", **done),
            entry(decision="rejet total", origin="QS"),
        ],
        columns=ALL,
    )
    assert at(report, "voies-de-recours-manquantes") == [
        ("voies-de-recours-manquantes", "S2"),
        ("voies-de-recours-manquantes", "S3"),
    ]


def test_rejection_without_a_redress_column_points_at_the_decision(tmp_path: Path) -> None:
    columns = [*SEED_COLUMNS, Column.DECISION]  # L: Décision
    path = make_register(tmp_path / "r.xlsx", [entry(decision="rejet total")], columns=columns)
    assert at(run(load(path)), "voies-de-recours-manquantes") == [
        ("voies-de-recours-manquantes", "L2")
    ]
