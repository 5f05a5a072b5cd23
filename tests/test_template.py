"""The register template: reproducible bytes, structure, parameters, ``init_register``."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suivi_xlsx.domain.model import HEADERS, OPTIONAL_COLUMNS, SEED_COLUMNS, Calendar, Column
from suivi_xlsx.errors import RefusedError, SuiviError
from suivi_xlsx.outputs.template import (
    EMPTY_ROWS,
    HELP_SHEET,
    REGISTER_SHEET,
    SETTINGS_SHEET,
    TEMPLATE_COLUMNS,
    build_template,
    default_template_path,
    init_register,
)

from .conftest import REPO, LibreOffice
from .xlsxparts import zip_parts

TODAY = dt.date(2026, 11, 25)


def _load(path: Path) -> Any:
    from openpyxl import load_workbook

    return load_workbook(path)


@pytest.fixture(scope="module")
def template_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("modele") / "modele.xlsx"
    path.write_bytes(build_template())
    return path


@pytest.fixture(scope="module")
def workbook(template_file: Path) -> Any:
    return _load(template_file)


# --- reproducibility -----------------------------------------------------------------------


def test_committed_template_is_a_fresh_build() -> None:
    committed = REPO / "templates" / "registre_modele.xlsx"
    assert committed == default_template_path()
    stale = "templates/registre_modele.xlsx is stale: run `python -m suivi_xlsx.outputs.template`"
    # Part by part (names, order, timestamps, content): the compressed bytes also depend on
    # the machine's zlib, which is not what this test is about.
    assert zip_parts(committed.read_bytes()) == zip_parts(build_template()), stale


def test_two_builds_are_byte_identical() -> None:
    assert build_template() == build_template()
    assert build_template("1601") == build_template("1601")
    assert build_template("1601") != build_template("1602")


def test_module_main_writes_the_template(tmp_path: Path) -> None:
    from suivi_xlsx.outputs.template import main

    target = tmp_path / "modele.xlsx"
    assert main([str(target)]) == 0
    assert target.read_bytes() == build_template()
    assert main([str(tmp_path / "absent" / "modele.xlsx")]) == 2


# --- structure -----------------------------------------------------------------------------


def test_sheets_in_order(workbook: Any) -> None:
    assert workbook.sheetnames == [REGISTER_SHEET, SETTINGS_SHEET, HELP_SHEET]
    assert workbook.active.title == REGISTER_SHEET


def test_header_is_the_seeds_wording_then_the_optional_columns(workbook: Any) -> None:
    sheet = workbook[REGISTER_SHEET]
    header = [cell.value for cell in sheet[1]]
    assert TEMPLATE_COLUMNS == SEED_COLUMNS + OPTIONAL_COLUMNS
    assert header == [HEADERS[c] for c in TEMPLATE_COLUMNS]
    assert header[:4] == [
        "Année",
        "Date",
        "NOM Prénom Emetteur",
        "Numéro d'ordre aa.n°agence.n° d'ordre (ex : 12.1601.001)",
    ]
    assert sheet["A1"].alignment.wrap_text


def test_excel_table_over_header_and_empty_rows(workbook: Any) -> None:
    sheet = workbook[REGISTER_SHEET]
    [table] = sheet.tables.values()
    last = "Y"  # 25 columns
    assert len(TEMPLATE_COLUMNS) == 25
    assert table.ref == f"A1:{last}{EMPTY_ROWS + 1}"
    assert table.tableStyleInfo.name == "TableStyleMedium2"
    assert [c.name for c in table.tableColumns] == [HEADERS[c] for c in TEMPLATE_COLUMNS]


def test_frozen_header_and_print_setup(workbook: Any) -> None:
    sheet = workbook[REGISTER_SHEET]
    assert sheet.freeze_panes == "A2"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.page_setup.paperSize == 9
    # fitToWidth is left out of the XML when it is 1, its default.
    assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"


def _column_letter(column: Column) -> str:
    from suivi_xlsx.domain.a1 import column_letter

    return column_letter(TEMPLATE_COLUMNS.index(column))


def test_date_columns_are_formatted_dd_mm_yyyy(workbook: Any) -> None:
    sheet = workbook[REGISTER_SHEET]
    for column in (Column.DATE, Column.DUE_DATE, Column.CLOSED_ON, Column.ACK_DATE):
        letter = _column_letter(column)
        assert sheet[f"{letter}2"].number_format == "dd/mm/yyyy"
        assert sheet[f"{letter}{EMPTY_ROWS + 1}"].number_format == "dd/mm/yyyy"
        assert sheet[f"{letter}2"].value is None
    assert sheet[f"{_column_letter(Column.ORDER_NUMBER)}2"].number_format == "@"


def _validations(sheet: Any) -> dict[str, tuple[str, str | None]]:
    """First cell of each validated range → (type, formula1)."""
    out: dict[str, tuple[str, str | None]] = {}
    for validation in sheet.data_validations.dataValidation:
        first = str(validation.sqref).split(":")[0]
        out[first] = (validation.type, validation.formula1)
    return out


def test_dropdowns_and_date_checks(workbook: Any) -> None:
    found = _validations(workbook[REGISTER_SHEET])
    at = {column: found.get(f"{_column_letter(column)}2") for column in TEMPLATE_COLUMNS}
    assert at[Column.ORIGIN] == ("list", '"FS,QS,PA"')
    assert at[Column.DECISION] == ("list", '"acceptée,rejet partiel,rejet total"')
    for column in (
        Column.DATE,
        Column.DUE_DATE,
        Column.CLOSED_ON,
        Column.ACK_DATE,
        Column.ANSWER_DATE,
    ):
        assert at[column] is not None and at[column][0] == "date", column
    assert at[Column.YEAR] is not None and at[Column.YEAR][0] == "whole"
    assert at[Column.SUBJECT] is None


def test_year_column_is_left_empty(workbook: Any) -> None:
    sheet = workbook[REGISTER_SHEET]
    assert all(sheet.cell(row=r, column=1).value is None for r in range(2, EMPTY_ROWS + 2))


def _settings(workbook: Any) -> dict[str, object]:
    sheet = workbook[SETTINGS_SHEET]
    return {
        str(row[0].value): row[1].value
        for row in sheet.iter_rows(min_row=2)
        if row[0].value is not None
    }


def test_parameters_sheet(workbook: Any) -> None:
    assert _settings(workbook) == {
        "Numéro d'agence": None,
        "Délai d'accusé de réception (jours)": 10,
        "Délai de réponse (mois)": 2,
        "Décompte des jours (accusé de réception)": "jours calendaires",
        "Alsace-Moselle": "non",
        "Personnes habilitées à répondre aux réclamations": None,
        "Informer le client au moins tous les (jours)": 30,
        "Nom de l'auto-école": None,
        "Adresse de l'auto-école": None,
        "Signataire des courriers": None,
        "Médiateur : nom": None,
        "Médiateur : adresse": None,
        "Médiateur : site internet": None,
        "Fenêtre de l'enveloppe": "à droite",
    }
    sheet = workbook[SETTINGS_SHEET]
    # Every row explains itself in column C, except the authorised people: the reader takes
    # every cell right of that label as a name, so its explanation is the cell's input message.
    assert [r for r in range(2, 15) if not sheet.cell(row=r, column=3).value] == [7]
    found = _validations(sheet)
    assert found["B5"] == ("list", '"jours calendaires,jours ouvrables"')
    assert found["B6"] == ("list", '"non,oui"')
    assert found["B8"] == ("whole", "1")
    [authorised] = [v for v in sheet.data_validations.dataValidation if str(v.sqref) == "B7"]
    assert authorised.showInputMessage
    assert authorised.prompt is not None and "séparés par « ; »" in authorised.prompt


def test_filled_parameters_are_read_back(template_file: Path, tmp_path: Path) -> None:
    reader = pytest.importorskip("suivi_xlsx.reading.reader")
    book = _load(template_file)  # openpyxl stands in for the person filling the sheet
    sheet = book[SETTINGS_SHEET]
    rows = {str(sheet.cell(row=r, column=1).value): r for r in range(2, sheet.max_row + 1)}
    for label, value in {
        "Personnes habilitées à répondre aux réclamations": "Mme Durand ; M. Petit",
        "Informer le client au moins tous les (jours)": 15,
        "Nom de l'auto-école": "Auto-école du Lac",
        "Adresse de l'auto-école": "3 rue du Port, 74000 Annecy",
        "Signataire des courriers": "Mme Durand, gérante",
        "Médiateur : nom": "CNPM Médiation Consommation",
        "Médiateur : adresse": "27 avenue de la Libération, 42400 Saint-Chamond",
        "Médiateur : site internet": "https://cnpm-mediation-consommation.eu",
    }.items():
        sheet.cell(row=rows[label], column=2, value=value)
    path = tmp_path / "rempli.xlsx"
    book.save(path)
    settings = reader.load_register(path).settings
    assert settings.authorised == ("Mme Durand", "M. Petit")
    assert settings.inform_interval == 15
    assert (settings.school_name, settings.school_address, settings.signatory) == (
        "Auto-école du Lac",
        "3 rue du Port, 74000 Annecy",
        "Mme Durand, gérante",
    )
    assert (settings.mediator_name, settings.mediator_address, settings.mediator_website) == (
        "CNPM Médiation Consommation",
        "27 avenue de la Libération, 42400 Saint-Chamond",
        "https://cnpm-mediation-consommation.eu",
    )


def test_help_sheet_covers_columns_deadlines_and_commands(workbook: Any) -> None:
    text = "\n".join(str(row[0].value) for row in workbook[HELP_SHEET].iter_rows())
    for needle in (
        "FS = fiche signalétique",
        "QS = questionnaire",
        "PA = plan",
        "10 jours",
        "2 mois",
        "voies de recours",
        "suivi-check registre.xlsx",
        "suivi update registre.xlsx",
        "suivi summary registre.xlsx",
        "Personnes habilitées à répondre aux réclamations",
        "Informer le client au moins tous les (jours)",
        "signataire des courriers",
        "médiateur de la consommation (nom, adresse, site internet)",
        "actions correctives",
    ):
        assert needle in text, needle


# --- init_register -------------------------------------------------------------------------


def test_init_fills_the_agency_as_text(tmp_path: Path) -> None:
    target = tmp_path / "registre.xlsx"
    assert init_register(target, "1601") == target
    assert target.read_bytes() == build_template("1601")
    assert _settings(_load(target))["Numéro d'agence"] == "1601"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["registre.xlsx"]


def test_init_keeps_leading_zeros(tmp_path: Path) -> None:
    target = init_register(tmp_path / "registre.xlsx", " 0601 ")
    assert _settings(_load(target))["Numéro d'agence"] == "0601"


def test_init_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "registre.xlsx"
    target.write_bytes(b"mon registre")
    with pytest.raises(RefusedError) as caught:
        init_register(target, "1601")
    assert caught.value.exit_code == 1
    assert "existe déjà" in caught.value.message
    assert target.read_bytes() == b"mon registre"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["registre.xlsx"]


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    agency=st.one_of(
        st.text(alphabet="0123456789 ", max_size=10),  # mostly valid, some too long
        st.text(alphabet=st.characters(categories=["Nd"]), max_size=5),  # non-ASCII digits
        st.text(max_size=10),
    )
)
def test_init_validates_the_agency(tmp_path: Path, agency: str) -> None:
    target = tmp_path / "registre.xlsx"
    valid = agency.strip().isascii() and agency.strip().isdigit() and len(agency.strip()) <= 8
    try:
        init_register(target, agency)
    except SuiviError as error:
        assert not valid
        assert error.exit_code == 2
        assert not target.exists()
    else:
        assert valid
        assert _settings(_load(target))["Numéro d'agence"] == agency.strip()
        target.unlink()
    assert list(tmp_path.iterdir()) == []


def test_init_bad_agency_message(tmp_path: Path) -> None:
    with pytest.raises(SuiviError) as caught:
        init_register(tmp_path / "registre.xlsx", "16A1")
    assert caught.value.message == (
        "numéro d'agence « 16A1 » invalide : indiquez des chiffres seulement (ex. --agence 1601)."
    )


@pytest.mark.parametrize(
    ("name", "code"),
    [("registre.xls", 2), ("registre.csv", 2), ("absent/registre.xlsx", 2), (".", 2)],
)
def test_init_refuses_bad_targets(tmp_path: Path, name: str, code: int) -> None:
    with pytest.raises(SuiviError) as caught:
        init_register(tmp_path / name, "1601")
    assert caught.value.exit_code == code
    assert [p.name for p in tmp_path.iterdir()] == []


# --- the template as the reader and the checks see it --------------------------------------


def test_reader_sees_the_register_and_no_entries(template_file: Path) -> None:
    reader = pytest.importorskip("suivi_xlsx.reading.reader")
    register = reader.load_register(template_file)
    [sheet] = register.sheets
    assert sheet.name == REGISTER_SHEET
    assert sheet.header_row == 1
    assert dict(sheet.columns) == {c: i for i, c in enumerate(TEMPLATE_COLUMNS)}
    assert register.entries == ()
    assert register.settings.agency is None
    assert (register.settings.ack_days, register.settings.answer_months) == (10, 2)
    assert register.settings.calendar is Calendar.CALENDAR_DAYS
    assert register.settings.alsace_moselle is False
    assert (register.settings.authorised, register.settings.inform_interval) == ((), 30)
    assert register.settings.school_name is None and register.settings.mediator_name is None


def test_new_register_passes_the_check(tmp_path: Path) -> None:
    reader = pytest.importorskip("suivi_xlsx.reading.reader")
    rules = pytest.importorskip("suivi_xlsx.domain.rules")
    if not hasattr(rules, "check_register"):
        pytest.skip("rules not written yet")
    target = init_register(tmp_path / "registre.xlsx", "1601")
    register = reader.load_register(target)
    assert register.settings.agency == "1601"
    report = rules.check_register(register, rules.CheckOptions(today=TODAY))
    assert [(f.code, f.cell) for f in report.findings] == []
    assert report.exit_status == 0


# --- a real client -------------------------------------------------------------------------


def test_libreoffice_opens_the_template(libreoffice: LibreOffice, tmp_path: Path) -> None:
    source = init_register(tmp_path / "registre.xlsx", "1601")
    out = tmp_path / "out"
    libreoffice.convert(source, "csv:Text - txt - csv (StarCalc):44,34,76,1", out)
    with (out / "registre.csv").open(encoding="utf-8", newline="") as stream:
        header = next(csv.reader(stream))
    assert header == [HEADERS[c] for c in TEMPLATE_COLUMNS]


def test_a_row_typed_in_a_new_register_is_completed_by_update(tmp_path: Path) -> None:
    pytest.importorskip("suivi_xlsx.xlsx.write")
    from click.testing import CliRunner

    from suivi_xlsx.cli import group
    from suivi_xlsx.reading.reader import load_register

    target = init_register(tmp_path / "registre.xlsx", "1601")
    book = _load(target)  # openpyxl stands in for the person typing a row in Excel
    sheet = book[REGISTER_SHEET]
    for column, value in {
        Column.DATE: dt.date(2026, 11, 20),
        Column.ISSUER: "DUPONT Marie",
        Column.ORIGIN: "FS",
        Column.SUBJECT: "Retard de l'examinateur",
        Column.OWNER: "Mme Martin",
    }.items():
        sheet[f"{_column_letter(column)}2"] = value
    book.save(target)

    args = ["update", str(target), "--today", "2026-11-25", "--no-backup"]
    result = CliRunner().invoke(group, args)
    assert result.exit_code == 0, result.output
    [entry] = load_register(target).entries
    assert (entry.year, entry.order_text, entry.due_on) == (
        2026,
        "26.1601.001",
        dt.date(2027, 1, 20),
    )
    written = _load(target)[REGISTER_SHEET]
    assert written[f"{_column_letter(Column.DUE_DATE)}2"].number_format == "dd/mm/yyyy"
