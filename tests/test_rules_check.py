"""``check_register`` as an API: the registry, ``ignore``, sorting, the report, each French
message once, and a property test over random entries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import suivi_xlsx.domain.rules as rules
from suivi_xlsx.domain.deadlines import Deadlines
from suivi_xlsx.domain.findings import CODES, Finding, Severity
from suivi_xlsx.domain.model import Calendar, Column, Decision, Origin, Register, Settings
from suivi_xlsx.domain.rules import RULES, CheckOptions, Context, Rule, check_register
from tests.test_rules_helpers import (
    ALL_MAP,
    SEED_MAP,
    TODAY,
    D,
    at,
    make_entry,
    make_reg,
    make_sheet,
    one_sheet,
    run,
)


def test_every_code_is_declared_by_exactly_one_rule() -> None:
    declared = [code for r in RULES for code in r.codes]
    assert sorted(declared) == sorted(CODES)


def test_report_fields() -> None:
    register = Register(
        path=Path("registre.xlsx"),
        sheets=(make_sheet("A", [make_entry(2), make_entry(3)]), make_sheet("B", [make_entry(2)])),
    )
    report = run(register)
    assert (report.file, report.today, report.entries) == (Path("registre.xlsx"), TODAY, 3)


def test_clean_entry_has_no_finding() -> None:
    report = run(one_sheet(make_entry(2, number="25.1601.001")))
    assert (report.findings, report.exit_status) == ((), 0)


def test_ignore_leaves_codes_out() -> None:
    register = one_sheet(make_entry(2, owner=None, due_on=None))
    assert at(run(register)) == [
        ("numero-manquant", "D2"),
        ("responsable-manquant", "I2"),
        ("echeance-manquante", "J2"),
    ]
    ignored = run(register, ignore=frozenset({"numero-manquant", "echeance-manquante"}))
    assert at(ignored) == [("responsable-manquant", "I2")]


def test_ignore_unknown_code_raises() -> None:
    with pytest.raises(ValueError, match="numero-inconnu"):
        run(one_sheet(make_entry(2)), ignore=frozenset({"numero-inconnu", "en-retard"}))


def test_negative_soon_days_raises() -> None:
    with pytest.raises(ValueError):
        run(one_sheet(make_entry(2)), soon_days=-1)


def test_ignore_skips_a_rule_entirely_and_filters_a_partly_ignored_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def explodes(ctx: Context) -> Iterator[Finding]:
        raise AssertionError("an ignored rule must not run")

    def both(ctx: Context) -> Iterator[Finding]:
        entry = ctx.entries[0]
        yield Finding.at(entry, Column.OWNER, "responsable-manquant")
        yield Finding.at(entry, Column.FOLLOW_UP, "suivi-manquant")

    monkeypatch.setattr(
        rules,
        "RULES",
        [
            Rule("explodes", frozenset({"en-retard", "echeance-proche"}), explodes),
            Rule("both", frozenset({"responsable-manquant", "suivi-manquant"}), both),
        ],
    )
    report = run(
        one_sheet(make_entry(2)),
        ignore=frozenset({"en-retard", "echeance-proche", "suivi-manquant"}),
    )
    assert at(report) == [("responsable-manquant", "I2")]


def test_findings_sorted_by_sheet_order_row_column_then_severity() -> None:
    wide = {**SEED_MAP, Column.DUE_DATE: 27}  # échéance in AB, after the single letters
    later_sheet = make_sheet(
        "2024",  # second in the workbook although it sorts first alphabetically
        [make_entry(2, columns=wide, owner=None, due_on=D(2025, 3, 1), number="24.1601.003")],
    )
    first_sheet = make_sheet(
        "2025",
        [
            make_entry(5, columns=wide, subject=None, number="25.1601.001"),
            make_entry(3, columns=wide, issuer=None, number="25.1601.002"),
        ],
    )
    report = run(make_reg(first_sheet, later_sheet))
    assert [(f.sheet, f.code, f.cell) for f in report.findings] == [
        ("2025", "champ-obligatoire", "C3"),
        ("2025", "champ-obligatoire", "F5"),
        ("2024", "numero-annee", "D2"),  # erreur before avertissement on the same cell
        ("2024", "numero-sequence", "D2"),
        ("2024", "responsable-manquant", "I2"),
        ("2024", "dates-incoherentes", "AB2"),  # erreur, retard, in that order
        ("2024", "en-retard", "AB2"),
    ]


def test_missing_column_comes_before_the_cells_of_its_row() -> None:
    columns = {c: i for c, i in SEED_MAP.items() if c is not Column.EVIDENCE}
    sheet = make_sheet("R", [make_entry(2, columns=columns, number="25.1601.001")], header_row=1)
    assert [(f.code, f.row, f.cell) for f in run(make_reg(sheet)).findings] == [
        ("colonne-manquante", 1, None)
    ]


def test_options_override_the_parameters_sheet() -> None:
    # FS received Thu 22/05/2025, no acknowledgement: 10 calendar days → 01/06 (late on 02/06);
    # 10 working days (29 May is Ascension) → 03/06 (not yet late).
    entry = make_entry(
        2,
        columns=ALL_MAP,
        origin=Origin.FS,
        received_on=D(2025, 5, 22),
        number="25.1601.001",
    )
    working = make_reg(make_sheet("R", [entry]), settings=Settings(calendar=Calendar.WORKING_DAYS))
    assert at(run(working), "accuse-reception-en-retard") == []
    overridden = run(working, calendar=Calendar.CALENDAR_DAYS)
    assert at(overridden, "accuse-reception-en-retard") == [("accuse-reception-en-retard", "O2")]


# One entry per code (hand-built, all columns A..U), with the exact French message.
FS = Origin.FS
FS_DONE: dict[str, Any] = {
    "origin": FS,
    "acknowledged_on": D(2025, 3, 6),
    "answered_on": D(2025, 4, 1),
    "due_on": D(2025, 5, 5),
    "closed_on": D(2025, 5, 1),
    "follow_up": "Réponse envoyée",
}
MESSAGES: list[tuple[str, dict[str, Any], str]] = [
    (
        "champ-obligatoire",
        {"issuer": None},
        "Émetteur vide : ce champ est obligatoire.",
    ),
    (
        "date-invalide",
        {"due_on": None, "invalid": {Column.DUE_DATE: "31/02/2025"}},
        "Date d'échéance : « 31/02/2025 » n'est pas une date lisible (attendu jj/mm/aaaa).",
    ),
    (
        "origine-invalide",
        {"origin": None, "invalid": {Column.ORIGIN: "XX"}},
        "Origine « XX » inconnue : indiquez FS, QS ou PA.",
    ),
    (
        "numero-invalide",
        {"number": "25-16O1-1"},
        "Numéro d'ordre « 25-16O1-1 » invalide : format attendu aa.agence.nnn (ex. 25.1601.007).",
    ),
    (
        "numero-a-corriger",
        {"number": "25-1601-1"},
        "Numéro d'ordre « 25-1601-1 » lu comme 25.1601.001 : écrivez 25.1601.001.",
    ),
    (
        "accuse-reception-tardif",
        {"done": True, "acknowledged_on": D(2025, 3, 20)},
        "Accusé de réception le 20/03/2025, après le délai du 15/03/2025 (réclamation reçue le "
        "05/03/2025).",
    ),
    (
        "reponse-tardive",
        {"done": True, "answered_on": D(2025, 5, 20), "closed_on": D(2025, 5, 20)},
        "Réponse le 20/05/2025, après le délai du 05/05/2025 (réclamation reçue le 05/03/2025).",
    ),
    (
        "date-texte",
        {"lenient": {Column.DUE_DATE: "31/12/2025"}},
        "Date d'échéance : « 31/12/2025 » est une date saisie comme du texte ; Excel ne la voit "
        "pas comme une date (pas de surlignage des retards). « suivi complete --convertir-dates » "
        "la convertit.",
    ),
    (
        "date-non-indiquee",
        {"done": True, "closed_on": None, "invalid": {Column.CLOSED_ON: "Clôturé"}},
        "Date de clôture : « Clôturé » dit que c'est fait, sans la date : indiquez la date "
        "(jj/mm/aaaa).",
    ),
    (
        "origine-a-corriger",
        {"lenient": {Column.ORIGIN: "Enquête"}},
        "Origine « Enquête » lue comme QS : écrivez QS.",
    ),
    (
        "decision-invalide",
        {"done": True, "invalid": {Column.DECISION: "En attente"}},
        "Décision « En attente » illisible : indiquez acceptée, rejet partiel, rejet total (ou : "
        "refusée, partiellement acceptée).",
    ),
    (
        "numero-annee",
        {"number": "24.1601.001"},
        "Numéro d'ordre 24.1601.001 : l'année « 24 » ne correspond pas à la date du 05/03/2025.",
    ),
    (
        "annee-incoherente",
        {"year": 2024},
        "Année 2024 différente de l'année de la date du 05/03/2025.",
    ),
    (
        "dates-incoherentes",
        {"closed_on": D(2025, 3, 1), "follow_up": "ok"},
        "Date de clôture du 01/03/2025 antérieure à la date du 05/03/2025.",
    ),
    (
        "voies-de-recours-manquantes",
        {"done": True, "decision": Decision.PARTIAL_REJECTION, "redress": "non"},
        "Réclamation en rejet partiel sans voies de recours indiquées au client.",
    ),
    (
        "en-retard",
        {"due_on": D(2025, 5, 30)},
        "En retard : échéance du 30/05/2025 dépassée de 3 jours, dossier non clôturé.",
    ),
    (
        "reponse-en-retard",
        {
            "done": True,
            "received_on": D(2025, 3, 31),
            "due_on": D(2025, 5, 31),
            "acknowledged_on": D(2025, 4, 1),
            "answered_on": None,
            "closed_on": None,
        },
        "Réclamation reçue le 31/03/2025 sans réponse : réponse due au plus tard le 31/05/2025.",
    ),
    (
        "accuse-reception-en-retard",
        {"origin": FS, "received_on": D(2025, 5, 20), "due_on": D(2025, 7, 20)},
        "Réclamation reçue le 20/05/2025 sans accusé de réception : dû au plus tard le 30/05/2025.",
    ),
    (
        "numero-manquant",
        {"number": None},
        "Numéro d'ordre manquant (« suivi complete » peut l'attribuer).",
    ),
    (
        "echeance-manquante",
        {"due_on": None},
        "Date d'échéance manquante pour un dossier en cours.",
    ),
    (
        "echeance-proche",
        {"due_on": D(2025, 6, 5)},
        "Échéance proche : le 05/06/2025 (dans 3 jours).",
    ),
    (
        "cloture-tardive",
        {"due_on": D(2025, 4, 1), "closed_on": D(2025, 4, 3), "follow_up": "ok"},
        "Clôturé le 03/04/2025, après l'échéance du 01/04/2025 (2 jours de retard).",
    ),
    (
        "echeance-depassant-delai",
        {"done": True, "due_on": D(2025, 5, 6)},
        "Échéance du 06/05/2025 au-delà du délai de réponse de 2 mois (le 05/05/2025).",
    ),
    (
        "responsable-manquant",
        {"owner": None},
        "Aucune personne chargée du dossier alors qu'il est en cours.",
    ),
    (
        "suivi-manquant",
        {"closed_on": D(2025, 4, 1)},
        "Dossier clôturé sans commentaire de suivi.",
    ),
]


@pytest.mark.parametrize(("code", "fields", "message"), MESSAGES, ids=[m[0] for m in MESSAGES])
def test_message(code: str, fields: dict[str, Any], message: str) -> None:
    fields = dict(fields)
    if fields.pop("done", False):  # a complaint acknowledged, answered and closed in time
        fields = {**FS_DONE, **fields}
    fields = {"number": "25.1601.001", **fields}
    report = run(one_sheet(make_entry(2, columns=ALL_MAP, **fields)))
    assert [(f.code, f.message) for f in report.findings if f.code == code] == [(code, message)]


def test_sheet_level_messages() -> None:
    columns = {c: i for c, i in SEED_MAP.items() if c is not Column.OWNER}
    sheet = make_sheet("R", [make_entry(4, columns=columns, number="25.1601.001")], header_row=3)
    # Messages of the codes tied to other entries or to the sheet.
    duplicated = make_sheet(
        "S",
        [make_entry(2, number="25.1601.001"), make_entry(3, number="25.1601.003")],
    )
    report = run(make_reg(sheet, duplicated))
    assert [(f.code, f.sheet, f.row, f.order_number, f.message) for f in report.findings] == [
        (
            "colonne-manquante",
            "R",
            3,
            None,
            "Colonne « Personne chargée du dossier » introuvable dans l'en-tête (ligne 3 : "
            "en-têtes lus « year », « date », « issuer », « order_number », « origin », "
            "« subject », « evidence », « follow_up », « due_date », « closed_on »). Renommez "
            "l'en-tête de cette colonne, ou gardez le vôtre et déclarez-le dans la feuille "
            "Paramètres : une ligne « En-tête Personne chargée du dossier » suivie de votre "
            "intitulé.",
        ),
        (
            "numero-duplique",
            "S",
            2,
            "25.1601.001",
            "Numéro d'ordre 25.1601.001 déjà utilisé (feuille « R », ligne 4).",
        ),
        (
            "numero-sequence",
            "S",
            3,
            "25.1601.003",
            "Numéro 25.1601.003 hors séquence : numéro 25.1601.002 absent.",
        ),
    ]


# Random entries: no rule crashes, every finding is one of its rule's codes and points at the
# entry's own row.
optional_date = st.one_of(st.none(), st.dates(min_value=D(2023, 1, 1), max_value=D(2026, 12, 31)))
entries = st.builds(
    dict,
    year=st.one_of(st.none(), st.integers(2023, 2026)),
    received_on=optional_date,
    issuer=st.sampled_from([None, "A"]),
    number=st.sampled_from([None, "x", "24.1601.001", "25.1601.001", "25.1601.002", "25.1601.009"]),
    origin=st.sampled_from([None, *Origin]),
    subject=st.sampled_from([None, "B"]),
    follow_up=st.sampled_from([None, "C"]),
    owner=st.sampled_from([None, "D"]),
    due_on=optional_date,
    closed_on=optional_date,
    acknowledged_on=optional_date,
    answered_on=optional_date,
    decision=st.sampled_from([None, *Decision]),
    redress=st.sampled_from([None, "non", "Médiateur"]),
)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(entries, max_size=12),
    st.sampled_from([SEED_MAP, ALL_MAP]),
    st.sampled_from(list(Calendar)),
)
def test_rules_emit_only_their_codes_on_their_rows(
    rows: list[dict[str, Any]], columns: dict[Column, int], calendar: Calendar
) -> None:
    register = one_sheet(*(make_entry(i + 2, columns=columns, **r) for i, r in enumerate(rows)))
    options = CheckOptions(today=TODAY, calendar=calendar)
    ctx = Context(register, register.entries, TODAY, 7, Deadlines())
    for registered in RULES:
        for finding in registered.func(ctx):
            assert finding.code in registered.codes
            assert finding.severity is CODES[finding.code].severity
    report = check_register(register, options)
    assert all(f.row is not None and 2 <= f.row < len(rows) + 2 for f in report.findings)
    keys = [(f.row, f.cell is not None) for f in report.findings]
    assert keys == sorted(keys, key=lambda k: k[0])
    expected = (
        1 if any(f.severity in (Severity.ERROR, Severity.LATE) for f in report.findings) else 0
    )
    assert report.exit_status == expected


def test_today_is_only_the_reference_date() -> None:
    entry = make_entry(2, number="25.1601.001", due_on=D(2025, 6, 1))
    assert at(run(one_sheet(entry), today=dt.date(2025, 6, 1))) == [("echeance-proche", "J2")]
    assert at(run(one_sheet(entry), today=dt.date(2025, 6, 2))) == [("en-retard", "J2")]


def test_garbage_collector_state_is_restored() -> None:
    import gc

    register = one_sheet(make_entry(2, owner=None))
    run(register)
    assert gc.isenabled()
    gc.disable()
    try:
        run(register)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_empty_register() -> None:
    report = run(make_reg(make_sheet("Vide", [])))
    assert (report.entries, report.findings, report.exit_status) == (0, (), 0)
