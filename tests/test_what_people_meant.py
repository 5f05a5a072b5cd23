"""Registers typed by other people: what they write in their own words is read as they meant
it, and every command (check, update's plan and highlight decision, the bilan, relances) then
agrees on the entry.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suivi_xlsx.domain.model import Column, Origin, Register
from suivi_xlsx.domain.numbering import order_number_readings, parse_loose_order_number
from suivi_xlsx.domain.procedure import is_open_at, is_overdue
from suivi_xlsx.domain.rules import CheckOptions, check_register
from suivi_xlsx.domain.update import plan_update
from suivi_xlsx.domain.values import to_step_date, yearless_date
from suivi_xlsx.domain.vocabulary import read_origin, says_closed
from suivi_xlsx.outputs.followup.compute import follow_up
from suivi_xlsx.outputs.summary.stats import yearly_stats
from suivi_xlsx.reading.reader import load_register

from .workbooks import entry, make_register, make_workbook

D = dt.date
TODAY = D(2025, 9, 1)
HEADER = [
    "Année",
    "Date",
    "NOM Prénom Emetteur",
    "Numéro d'ordre",
    "Origine",
    "Objet",
    "Justificatif n°",
    "Suivi",
    "Personne chargée du dossier",
    "Date d'échéance",
    "Date de clôture",
]


def _register(tmp_path: Path, rows: list[dict[Column, object]], name: str = "r.xlsx") -> Register:
    path = make_register(tmp_path / name, rows, title_rows=[["Suivi des fiches signalétiques"], []])
    return load_register(path)


def _codes(register: Register, row: int) -> list[str]:
    report = check_register(register, CheckOptions(today=TODAY))
    return [f.code for f in report.findings if f.row == row]


def _agree_closed(register: Register, row: int) -> None:
    """Check, update's highlight decision, the bilan and relances all see a closed entry."""
    found = next(e for e in register.entries if e.row == row)
    assert not is_open_at(found, TODAY)
    assert not is_overdue(found, TODAY)
    codes = _codes(register, row)
    assert "en-retard" not in codes and "date-invalide" not in codes, codes
    stats = yearly_stats([register], found.received_on.year if found.received_on else 2025, TODAY)
    assert [i.row for i in stats.open_entries if i.row == row] == []
    reminders = follow_up([register], TODAY)
    assert [r for p in reminders.people for r in p.reminders if r.entry.row == row] == [], (
        "relances lists a closed entry"
    )


# --- closing words with a date, ticks -----------------------------------------------------

CLOSED_WITH_DATE = [
    ("clos le 12/04/2025", D(2025, 4, 12)),
    ("Clôturé le 12/04/2025", D(2025, 4, 12)),
    ("terminé 15/06/2025", D(2025, 6, 15)),
    ("TERMINE : 15/06/2025", D(2025, 6, 15)),
    ("fait le 3 mai 2025", D(2025, 5, 3)),
    ("clôturée le 3/5", D(2025, 5, 3)),
    ("clos le 3 mai", D(2025, 5, 3)),
]


@pytest.mark.parametrize(("typed", "day"), CLOSED_WITH_DATE)
def test_a_closing_word_with_its_date_closes_the_entry_at_that_date(
    tmp_path: Path, typed: str, day: dt.date
) -> None:
    register = _register(
        tmp_path, [entry(D(2025, 3, 5), due=D(2025, 5, 5), closed=typed, number="25.1601.001")]
    )
    (found,) = register.entries
    assert found.closed_on == day
    _agree_closed(register, found.row)
    codes = _codes(register, found.row)
    assert ("date-sans-annee" if yearless_date(typed) else "date-texte") in codes
    # update converts it when asked, and only then
    plan = plan_update(register, today=TODAY, convert_dates=True)
    assert [(e.value, e.replaces) for e in plan.edits if e.field is Column.CLOSED_ON] == [
        (day, typed)
    ]


@pytest.mark.parametrize("typed", ["✔", "✓", "x", "X", "oui", "OK", "ok", "Fait.", "✅"])
def test_a_tick_or_a_closing_word_closes_at_an_unknown_date(tmp_path: Path, typed: str) -> None:
    register = _register(tmp_path, [entry(D(2025, 3, 5), due=D(2025, 5, 5), closed=typed)])
    (found,) = register.entries
    assert found.closed_on is None
    _agree_closed(register, found.row)
    codes = _codes(register, found.row)
    assert "date-non-indiquee" in codes
    # no message that cannot be true: without a date nothing is said late
    assert "reponse-tardive" not in codes and "reponse-en-retard" not in codes


@pytest.mark.parametrize("typed", ["en cours", "non clos", "?", "voir mail", "à faire"])
def test_open_words_stay_open_and_late(tmp_path: Path, typed: str) -> None:
    register = _register(tmp_path, [entry(D(2025, 3, 5), due=D(2025, 5, 5), closed=typed)])
    (found,) = register.entries
    assert is_overdue(found, TODAY)
    assert "en-retard" in _codes(register, found.row)


_SEPARATORS = st.sampled_from([" ", " le ", " : ", ", le ", " - ", " le  ", ": "])
_WORDS = st.sampled_from(["clos", "Clôturé", "CLOTURE", "terminé", "Terminée", "fait", "soldé"])


@given(word=_WORDS, separator=_SEPARATORS, day=st.dates(D(2024, 1, 1), D(2025, 8, 31)))
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_closing_words_in_any_spelling_read_their_date(
    word: str, separator: str, day: dt.date
) -> None:
    for written in (f"{day:%d/%m/%Y}", f"{day.day}/{day.month}/{day.year}", f"{day:%d.%m.%y}"):
        typed = f"{word}{separator}{written}"
        assert says_closed(typed), typed
        assert to_step_date(typed) == day, typed


# --- dates without a year, serial numbers as text -------------------------------------------


@pytest.mark.parametrize(
    ("typed", "day"),
    [("3 mars", D(2025, 3, 3)), ("03/03", D(2025, 3, 3)), ("le 5 avril", D(2025, 4, 5))],
)
def test_a_date_without_its_year_takes_the_rows_year(
    tmp_path: Path, typed: str, day: dt.date
) -> None:
    rows = [entry(typed, year=2025, due=D(2025, 7, 1), closed=D(2025, 6, 1))]
    register = _register(tmp_path, rows)
    (found,) = register.entries
    assert found.received_on == day
    report = check_register(register, CheckOptions(today=TODAY))
    (finding,) = [f for f in report.findings if f.code == "date-sans-annee"]
    assert "2025" in finding.message and "Année" in finding.message
    assert "date-invalide" not in [f.code for f in report.findings]
    assert len(yearly_stats([register], 2025, TODAY).open_entries) == 0
    assert yearly_stats([register], 2025, TODAY).undated == 0


def test_a_step_without_its_year_follows_the_receipt(tmp_path: Path) -> None:
    """Received 20/12/2024, closed « 03/01 »: closed on 03/01/2025, not before its receipt."""
    rows = [entry(D(2024, 12, 20), due=D(2025, 2, 20), closed="03/01")]
    register = _register(tmp_path, rows)
    (found,) = register.entries
    assert found.closed_on == D(2025, 1, 3)
    messages = [f.message for f in check_register(register, CheckOptions(TODAY)).findings]
    assert any("date de réception" in m and "03/01/2025" in m for m in messages), messages


def test_a_date_without_a_year_on_a_row_without_any_stays_unreadable(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "r.xlsx",
        {"R": [HEADER, [None, "3 mars", "DUPONT", None, "FS", "Retard", None, None, "A"]]},
    )
    register = load_register(path)
    report = check_register(register, CheckOptions(TODAY))
    assert "date-invalide" in [f.code for f in report.findings]


@pytest.mark.parametrize("serial", ["45665", " 45665 ", "45665.0"])
def test_a_serial_number_typed_as_text_is_its_date(tmp_path: Path, serial: str) -> None:
    register = _register(tmp_path, [entry(serial, year=2025)])
    (found,) = register.entries
    assert found.received_on == D(2025, 1, 8)
    codes = _codes(register, found.row)
    assert "date-texte" in codes and "date-invalide" not in codes
    plan = plan_update(register, today=TODAY, convert_dates=True, agency="1601")
    assert D(2025, 1, 8) in [e.value for e in plan.edits if e.field is Column.DATE]
    assert yearly_stats([register], 2025, TODAY).undated == 0


# --- abbreviations and permutations ---------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "origin"),
    [
        ("QSat", Origin.QS),
        ("Q.S.", Origin.QS),
        ("quest.", Origin.QS),
        ("récla", Origin.FS),
        ("réclam.", Origin.FS),
        ("FS.", Origin.FS),
        ("P.A.", Origin.PA),
        ("amélio", Origin.PA),
    ],
)
def test_origin_abbreviations_are_warnings_with_their_fix(
    tmp_path: Path, typed: str, origin: Origin
) -> None:
    register = _register(tmp_path, [entry(D(2025, 3, 5), origin=typed)])
    (found,) = register.entries
    assert found.origin is origin
    report = check_register(register, CheckOptions(TODAY))
    (finding,) = [f for f in report.findings if f.code == "origine-a-corriger"]
    assert f"écrivez {origin.value}" in finding.message
    assert "origine-invalide" not in [f.code for f in report.findings]


def test_an_origin_naming_two_codes_stays_an_error() -> None:
    assert read_origin("FS/QS") is None
    assert read_origin("rec") is None  # too short to say which


@pytest.mark.parametrize(
    "typed", ["1601/25/008", "1601-25-8", "25/1601/8", "n° 25.1601.8", "N°25.1601.008"]
)
def test_order_number_shapes_are_read_with_their_fix(tmp_path: Path, typed: str) -> None:
    register = _register(tmp_path, [entry(D(2025, 3, 5), number=typed)])
    (found,) = register.entries
    assert str(found.order_number) == "25.1601.008"
    report = check_register(register, CheckOptions(TODAY))
    (finding,) = [f for f in report.findings if f.code == "numero-a-corriger"]
    assert "25.1601.008" in finding.message
    assert "numero-invalide" not in [f.code for f in report.findings]


def test_an_order_number_that_reads_two_ways_names_both(tmp_path: Path) -> None:
    assert len(order_number_readings("16/25/8")) == 2
    assert parse_loose_order_number("16/25/8") is None
    register = _register(tmp_path, [entry(D(2025, 3, 5), number="16/25/8")])
    report = check_register(register, CheckOptions(TODAY))
    (finding,) = [f for f in report.findings if f.code == "numero-ambigu"]
    assert "16.25.008" in finding.message and "25.16.008" in finding.message


@given(
    year=st.integers(20, 30),
    agency=st.sampled_from(["1601", "1602", "7501"]),
    seq=st.integers(1, 999),
    separator=st.sampled_from(["/", "-", ".", " ", " / "]),
    agency_first=st.booleans(),
    prefix=st.sampled_from(["", "n° ", "N°", "no ", "numéro "]),
)
def test_order_number_shapes_any_spelling(
    year: int, agency: str, seq: int, separator: str, agency_first: bool, prefix: str
) -> None:
    parts = [agency, f"{year}", f"{seq}"] if agency_first else [f"{year}", agency, f"{seq}"]
    typed = prefix + separator.join(parts)
    assert str(parse_loose_order_number(typed)) == f"{year}.{agency}.{seq:03d}"


def test_update_names_the_cells_it_could_not_read(tmp_path: Path) -> None:
    """« Aucune cellule à compléter » alone would hide an unreadable date: the summary lists the
    cells left as typed, and why."""
    from suivi_xlsx.domain.update import describe_plan

    rows = [
        entry(D(2025, 3, 5), number="25.1601.001", due=D(2025, 5, 5), closed="pas sûr"),
        entry(D(2025, 3, 6), number="25.1601.002", due=D(2025, 5, 6), origin="FS/QS"),
        entry(D(2025, 3, 7), number="25.1601.003", due=D(2025, 5, 7), closed="en cours"),
    ]
    register = _register(tmp_path, rows)
    plan = plan_update(register, today=TODAY)
    assert [(a.cell, a.text, a.reason) for a in plan.left_alone] == [
        ("K4", "pas sûr", "date illisible"),
        ("E5", "FS/QS", "origine illisible"),
    ]
    *details, summary = describe_plan(plan)
    assert "2 cellules illisibles laissées telles quelles" in summary
    assert "  Registre!K4 : « pas sûr » (date illisible)" in details


def test_update_writes_the_exact_spellings_when_asked(tmp_path: Path) -> None:
    """--corriger-ecritures writes « récla » as FS and « 1601/25/8 » as 25.1601.008; the file
    written then reads without those warnings."""
    from click.testing import CliRunner

    from suivi_xlsx.cli import group

    path = make_register(
        tmp_path / "r.xlsx",
        [entry(D(2025, 3, 5), number="1601/25/8", origin="récla", due=D(2025, 5, 5))],
    )
    register = load_register(path)
    assert plan_update(register, today=TODAY).edits == ()  # not without the option
    result = CliRunner().invoke(
        group, ["update", str(path), "--corriger-ecritures", "--no-backup", "--today", "2025-09-01"]
    )
    assert result.exit_code == 0, result.output
    assert "2 écritures corrigées" in result.output
    (again,) = load_register(path).entries
    assert (again.order_text, again.origin, again.lenient) == ("25.1601.008", Origin.FS, {})
