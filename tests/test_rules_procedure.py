"""Rules on the rest of the complaint procedure, on workbooks built in the test and read by
the reader: reponse-manquante, action-corrective-manquante, suivi-sans-date,
client-sans-nouvelles, responsable-non-habilite (each fires on one row, not on a close case)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from suivi_xlsx.cli import group
from suivi_xlsx.domain.findings import CODES, Severity
from suivi_xlsx.domain.links import (
    entry_key,
    numbers_in_text,
    pa_references,
    reports_dysfunction,
)
from suivi_xlsx.domain.model import OPTIONAL_COLUMNS, SEED_COLUMNS, Column, Origin
from suivi_xlsx.domain.rules.procedure import follow_up_dates, is_authorised
from suivi_xlsx.domain.vocabulary import says_nothing
from tests.test_rules_helpers import D, at, check_rows, load, make_entry, one_sheet, run
from tests.workbooks import Row, entry, make_register

ALL = SEED_COLUMNS + OPTIONAL_COLUMNS
# Columns: A Année, B Date, C Émetteur, D Numéro, E Origine, F Objet, G Justificatif, H Suivi,
# I Personne chargée, J Échéance, K Clôture, L Produit, M Intervenants, N Personnes visées,
# O Date AR, P Date de réponse, Q Réponse apportée, R Décision, S Voies de recours,
# T Dysfonctionnements, U Actions correctives.
TODAY = D(2025, 6, 2)
OURS = (
    "reponse-manquante",
    "action-corrective-manquante",
    "suivi-sans-date",
    "client-sans-nouvelles",
    "responsable-non-habilite",
)


def closed_fs(**more: object) -> dict[Column, object]:
    """A complaint handled in time and recorded in full: none of our codes fires on it."""
    values: dict[str, object] = {
        "due": D(2025, 5, 5),
        "closed": D(2025, 3, 20),
        "follow_up": "10/03/2025 : AR envoyé ; 20/03/2025 : réponse envoyée",
        "ack_date": D(2025, 3, 10),
        "answer_date": D(2025, 3, 20),
        "answer": "Leçon offerte",
        "decision": "acceptée",
    }
    values.update(more)
    return entry(D(2025, 3, 5), **values)  # type: ignore[arg-type]


def with_settings(
    tmp_path: Path, rows: Sequence[Row], settings: Sequence[Sequence[object]]
) -> Path:
    return make_register(
        tmp_path / "r.xlsx",
        rows,
        columns=ALL,
        more_sheets={"Paramètres": [["Paramètre", "Valeur"], *settings]},
    )


def test_codes_are_warnings_in_the_table() -> None:
    assert all(CODES[code].severity is Severity.WARNING for code in OURS)


def test_a_complete_complaint_gets_none_of_these_findings(tmp_path: Path) -> None:
    report = check_rows(tmp_path, [closed_fs()], columns=ALL, today=TODAY)
    assert at(report, *OURS) == []


# --- reponse-manquante ---------------------------------------------------------------------


def test_answer_date_or_closing_without_the_answer(tmp_path: Path) -> None:
    report = check_rows(
        tmp_path,
        [
            closed_fs(answer=None),  # answered on 20/03, nothing written
            closed_fs(answer=None, answer_date=None),  # closed, no answer date either
            closed_fs(answer="-"),  # a dash is no answer
            # answered within the acknowledgement delay, the answer written: nothing
            closed_fs(ack_date=None, answer_date=D(2025, 3, 8), answer="Excuses, leçon offerte"),
            closed_fs(answer=None, closed=None, answer_date=None),  # still open: not yet due
            closed_fs(answer=None, origin="QS"),  # not a complaint
        ],
        columns=ALL,
        today=TODAY,
    )
    assert at(report, "reponse-manquante") == [
        ("reponse-manquante", "Q2"),
        ("reponse-manquante", "Q3"),
        ("reponse-manquante", "Q4"),
    ]
    messages = [f.message for f in report.findings if f.code == "reponse-manquante"]
    assert messages[0] == (
        "Réclamation répondue le 20/03/2025 sans « Réponse apportée » : notez la réponse "
        "donnée au client."
    )
    assert messages[1].startswith("Réclamation clôturée le 20/03/2025 sans")


def test_answer_dated_after_today_is_not_answered_yet(tmp_path: Path) -> None:
    row = closed_fs(answer=None, closed=None, answer_date=D(2025, 6, 10))
    report = check_rows(tmp_path, [row], columns=ALL, today=TODAY)
    assert at(report, "reponse-manquante") == []


def test_no_answer_column_no_check(tmp_path: Path) -> None:
    columns = [*SEED_COLUMNS, Column.ACK_DATE, Column.ANSWER_DATE]
    report = check_rows(tmp_path, [closed_fs(answer=None)], columns=columns, today=TODAY)
    assert at(report, "reponse-manquante") == []


# --- action-corrective-manquante -----------------------------------------------------------


def test_dysfunction_without_corrective_action_nor_pa(tmp_path: Path) -> None:
    report = check_rows(
        tmp_path,
        [
            closed_fs(number="25.1601.001", dysfunctions="Moniteur absent sans prévenir"),
            closed_fs(number="25.1601.002", dysfunctions="Planning non mis à jour"),
            closed_fs(number="25.1601.003", dysfunctions="Facture erronée"),
            closed_fs(number="25.1601.004", dysfunctions="Accueil fermé", corrective_actions="-"),
            closed_fs(
                number="25.1601.005",
                dysfunctions="Véhicule sale",
                corrective_actions="Nettoyage chaque lundi",
            ),
            closed_fs(number="25.1601.006", dysfunctions="aucun dysfonctionnement constaté"),
            closed_fs(number="25.1601.007", dysfunctions="néant"),
            # PA entries citing complaints 002 (Objet), 003 (Justificatif), 004 (Suivi)
            entry(
                D(2025, 3, 25),
                origin="PA",
                number="25.1601.008",
                subject="Suite réclamation 25-1601-2 : planning partagé",
            ),
            entry(
                D(2025, 3, 26),
                origin="PA",
                number="25.1601.009",
                subject="Contrôle des factures",
                evidence="FS 25.1601.3",
            ),
            entry(
                D(2025, 3, 27),
                origin="PA",
                number="25.1601.010",
                subject="Horaires d'accueil",
                follow_up="27/03/2025 : décidé après la FS 25.1601.004",
            ),
        ],
        columns=ALL,
        today=TODAY,
    )
    # 001 has nothing; 004's « - » is no action and no PA cites it... but PA 010 does.
    assert at(report, "action-corrective-manquante") == [("action-corrective-manquante", "U2")]
    [finding] = [f for f in report.findings if f.code == "action-corrective-manquante"]
    assert finding.message == (
        "Dysfonctionnement relevé (« Moniteur absent sans prévenir ») sans action corrective : "
        "notez-la dans « Actions correctives » ou dans une fiche PA qui cite le n° 25.1601.001."
    )


def test_a_pa_citing_its_own_number_refers_to_nothing(tmp_path: Path) -> None:
    report = check_rows(
        tmp_path,
        [
            closed_fs(number="25.1601.001", dysfunctions="Moniteur absent"),
            entry(
                D(2025, 3, 25),
                origin="PA",
                number="25.1601.002",
                subject="Décision 25.1601.002 : rappel aux moniteurs",
            ),
        ],
        columns=ALL,
        today=TODAY,
    )
    assert at(report, "action-corrective-manquante") == [("action-corrective-manquante", "U2")]


def test_without_corrective_action_column_points_at_the_dysfunctions() -> None:
    columns = {c: i for i, c in enumerate([*SEED_COLUMNS, Column.DYSFUNCTIONS])}
    register = one_sheet(
        make_entry(2, columns=columns, origin=Origin.FS, dysfunctions="Retard du moniteur")
    )
    report = run(register, TODAY)
    assert at(report, "action-corrective-manquante") == [("action-corrective-manquante", "L2")]
    [finding] = [f for f in report.findings if f.code == "action-corrective-manquante"]
    assert finding.message.endswith("cite son numéro d'ordre.")


def test_numbers_match_whatever_their_typing() -> None:
    assert [str(n) for n in numbers_in_text("FS 25.1601.7, 25-1601-007 et 25 / 1601 / 8")] == [
        "25.1601.007",
        "25.1601.007",
        "25.1601.008",
    ]
    assert numbers_in_text("reçue le 12 mars, tél. 0612345678, le 12/03/2025, le 5.3.25") == []
    complaint = make_entry(2, origin=Origin.FS, number="25.1601.7")
    pa = make_entry(
        3, origin=Origin.PA, number="25.1601.020", follow_up="voir 25.1601.007 ; 25.1601.020"
    )
    references = pa_references([complaint, pa])
    assert list(references) == [entry_key(complaint)]
    assert references[(25, 1601, 7)] == [pa]


@pytest.mark.parametrize(
    ("text", "nothing"),
    [
        ("non", True),
        ("Néant.", True),
        ("-", True),
        ("R.A.S.", True),
        ("Aucun dysfonctionnement identifié", True),
        ("Pas d'action corrective nécessaire", True),
        ("sans objet", True),
        ("Aucune réponse du secrétariat", False),
        ("Pas de réponse au téléphone", False),
        ("non respect des horaires", False),
        ("Moniteur absent", False),
    ],
)
def test_what_says_nothing(text: str, nothing: bool) -> None:
    assert says_nothing(text) is nothing
    assert reports_dysfunction(make_entry(2, dysfunctions=text)) is not nothing


# --- suivi-sans-date -----------------------------------------------------------------------


def test_follow_up_without_any_date(tmp_path: Path) -> None:
    texts = [
        "Appel du client, en attente du moniteur",  # fires
        "12/03 : appel du client",
        "le 5 mars, appel du client",
        "2025-03-12 courrier envoyé",
        "05.03.2025 AR ; 3 avril : relance",
        "Relance le 1er avril",
        "-",  # says nothing: not text to date
        "Appel de 2 élèves",  # a number is not a date: fires
    ]
    report = check_rows(
        tmp_path, [entry(follow_up=text, origin="QS") for text in texts], today=TODAY
    )
    assert at(report, "suivi-sans-date") == [("suivi-sans-date", "H2"), ("suivi-sans-date", "H9")]
    assert next(f.message for f in report.findings if f.code == "suivi-sans-date") == (
        "Suivi sans date (« Appel du client, en attente du moniteur ») : notez la date de "
        "chaque étape (jj/mm/aaaa)."
    )


# --- client-sans-nouvelles -----------------------------------------------------------------


def open_fs(received: dt.date, **more: object) -> dict[Column, object]:
    values: dict[str, object] = {"due": received + dt.timedelta(days=61)}
    values.update(more)
    return entry(received, **values)  # type: ignore[arg-type]


def test_open_complaint_without_news(tmp_path: Path) -> None:
    report = check_rows(
        tmp_path,
        [
            # last step: 12/04 in Suivi, 51 days before 02/06
            open_fs(D(2025, 4, 2), ack_date=D(2025, 4, 5), follow_up="12/04 : appel du client"),
            # news on 15 May, written as a word date: in time
            open_fs(D(2025, 4, 2), follow_up="12/04 : appel ; 15 mai : point avec le client"),
            # acknowledged on 05/05: 28 days ago
            open_fs(D(2025, 4, 2), ack_date=D(2025, 5, 5)),
            # received 10 days ago
            open_fs(D(2025, 5, 23)),
            # closed: nothing to tell anymore
            open_fs(D(2025, 3, 5), closed=D(2025, 5, 1)),
            # a survey answer is not a complaint
            open_fs(D(2025, 3, 5), origin="QS"),
        ],
        columns=ALL,
        today=TODAY,
    )
    assert at(report, "client-sans-nouvelles") == [("client-sans-nouvelles", "H2")]
    [finding] = [f for f in report.findings if f.code == "client-sans-nouvelles"]
    assert finding.message == (
        "Réclamation en cours : dernière étape datée le 12/04/2025 (il y a 51 jours), au-delà "
        "de 30 jours sans nouvelles pour le client. Informez-le et notez la date dans Suivi."
    )


def test_the_interval_comes_from_the_settings_sheet(tmp_path: Path) -> None:
    rows = [open_fs(D(2025, 4, 2), follow_up="12/04 : appel du client")]
    settings = [["Informer le client au moins tous les (jours)", 60]]
    register = load(with_settings(tmp_path, rows, settings))
    assert register.settings.inform_interval == 60
    assert at(run(register, TODAY), "client-sans-nouvelles") == []
    assert at(run(register, D(2025, 6, 12)), "client-sans-nouvelles") == [
        ("client-sans-nouvelles", "H2")
    ]


def test_a_date_without_year_after_new_year(tmp_path: Path) -> None:
    # received 20/12/2024; « 05/01 » is 5 January 2025, 27 days before 01/02/2025
    rows = [open_fs(D(2024, 12, 20), follow_up="05/01 : appel du client")]
    assert at(check_rows(tmp_path, rows, today=D(2025, 2, 1)), "client-sans-nouvelles") == []
    assert follow_up_dates("05/01 : appel ; 22/12 : AR ; 03/12/2024 ?", D(2024, 12, 20)) == [
        D(2025, 1, 5),
        D(2024, 12, 22),
        D(2024, 12, 3),  # written with its year: kept as written
    ]


def test_a_complaint_closed_after_today_is_still_open(tmp_path: Path) -> None:
    rows = [open_fs(D(2025, 3, 5), closed=D(2025, 6, 20))]
    assert at(check_rows(tmp_path, rows, today=TODAY), "client-sans-nouvelles") == [
        ("client-sans-nouvelles", "H2")
    ]


# --- responsable-non-habilite --------------------------------------------------------------

AUTHORISED = [["Personnes habilitées à répondre aux réclamations", "Mme Durand ; M. Petit"]]


def test_person_in_charge_not_authorised(tmp_path: Path) -> None:
    rows = [
        closed_fs(owner="mme durand"),  # « mme durand » for « Mme Durand »
        closed_fs(owner="Mme Martin"),  # fires
        closed_fs(owner="PETIT Paul"),
        closed_fs(owner="Mme Martin", closed=None),  # open or closed: fires
        closed_fs(owner="Mme Martin", origin="QS"),  # not a complaint
        closed_fs(owner="Mme Martin / Mme  Durand"),  # one of them is authorised
        closed_fs(owner=None),
    ]
    register = load(with_settings(tmp_path, rows, AUTHORISED))
    assert register.settings.authorised == ("Mme Durand", "M. Petit")
    report = run(register, TODAY)
    assert at(report, "responsable-non-habilite") == [
        ("responsable-non-habilite", "I3"),
        ("responsable-non-habilite", "I5"),
    ]
    [first, _] = [f for f in report.findings if f.code == "responsable-non-habilite"]
    assert first.message == (
        "« Mme Martin » n'est pas dans la liste des personnes habilitées à répondre aux "
        "réclamations (Paramètres : Mme Durand, M. Petit)."
    )


def test_no_list_no_check(tmp_path: Path) -> None:
    report = check_rows(tmp_path, [closed_fs(owner="Quelqu'un")], columns=ALL, today=TODAY)
    assert at(report, "responsable-non-habilite") == []


@pytest.mark.parametrize(
    ("owner", "allowed"),
    [
        ("mme durand", True),
        ("  Mme   DURAND ", True),
        ("Mme Durand", True),
        ("Marie Durand", True),  # the list says less: « Mme Durand »
        ("Durand", True),
        ("M. Petit", True),
        ("Mr PETIT", True),
        ("Mme Martin", False),
        ("Martin", False),
        ("", False),
    ],
)
def test_name_matching(owner: str, allowed: bool) -> None:
    assert is_authorised(owner, ("Mme Durand", "M. Petit")) is allowed


# --- --ignore ------------------------------------------------------------------------------


def _firing_rows() -> list[dict[Column, object]]:
    return [
        closed_fs(answer=None, owner="Mme Martin", dysfunctions="Moniteur absent"),
        open_fs(D(2025, 3, 5), follow_up="Appel du client"),
    ]


def test_each_code_fires_here_and_ignore_leaves_it_out(tmp_path: Path) -> None:
    register = load(with_settings(tmp_path, _firing_rows(), AUTHORISED))
    found = {f.code for f in run(register, TODAY).findings}
    assert set(OURS) <= found
    for code in OURS:
        codes = {f.code for f in run(register, TODAY, ignore=frozenset({code})).findings}
        assert codes == found - {code}, code


def test_cli_ignore(tmp_path: Path) -> None:
    path = with_settings(tmp_path, _firing_rows(), AUTHORISED)
    args = ["check", str(path), "--today", "2025-06-02", "--format", "json"]
    for code in OURS:
        args += ["--ignore", code]
    result = CliRunner().invoke(group, args)
    assert result.exit_code in (0, 1), result.output
    assert not any(code in result.stdout for code in OURS)
    shown = CliRunner().invoke(group, ["check", str(path), "--today", "2025-06-02"])
    assert all(code in shown.stdout for code in OURS)
