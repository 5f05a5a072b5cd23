"""Reading registers as people keep them: title rows, header variants, text dates, blank rows,
several year sheets, data away from A1, the parameters sheet, and the corpus."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import pytest

from suivi_xlsx.domain.findings import Finding
from suivi_xlsx.domain.model import (
    HEADERS,
    SEED_COLUMNS,
    Calendar,
    Column,
    Decision,
    Origin,
    Settings,
)
from suivi_xlsx.domain.numbering import OrderNumber
from suivi_xlsx.errors import NoRegisterError, SuiviError
from suivi_xlsx.reading.columns import missing_columns
from suivi_xlsx.reading.entries import read_sheet
from suivi_xlsx.reading.reader import load_register
from tests.workbooks import entry, make_register, make_workbook, register_rows

D = dt.date


def _rows(register_path: Path) -> list[tuple[str, int]]:
    return [(e.sheet, e.row) for e in load_register(register_path).entries]


def test_seed_register_is_read_with_typed_values(tmp_path: Path) -> None:
    path = make_register(
        tmp_path / "r.xlsx",
        [
            entry(D(2025, 3, 5), number="25.1601.001", due=D(2025, 5, 5), closed=D(2025, 4, 1)),
            entry(D(2025, 3, 9), origin="qs", number=None, follow_up="  rappelé le 10/03 "),
        ],
    )
    register = load_register(path)
    assert register.path == path
    assert register.settings == Settings()
    (sheet,) = register.sheets
    assert (sheet.name, sheet.header_row, sheet.last_row) == ("Registre", 1, 3)
    assert dict(sheet.columns) == {c: i for i, c in enumerate(SEED_COLUMNS)}
    assert sheet.headers[3] == HEADERS[Column.ORDER_NUMBER]
    first, second = sheet.entries
    assert (first.row, first.year, first.received_on, first.issuer) == (
        2,
        2025,
        D(2025, 3, 5),
        "DUPONT Marie",
    )
    assert (first.order_text, first.order_number) == ("25.1601.001", OrderNumber(25, "1601", 1))
    assert (first.origin, first.due_on, first.closed_on, first.is_open) == (
        Origin.FS,
        D(2025, 5, 5),
        D(2025, 4, 1),
        False,
    )
    assert (second.row, second.origin, second.order_text, second.order_number) == (
        3,
        Origin.QS,
        None,
        None,
    )
    assert (second.follow_up, second.closed_on, second.is_open) == ("rappelé le 10/03", None, True)
    assert first.invalid == {} and first.columns is sheet.columns


def _merged_title_workbook(
    path: Path, header: Sequence[str], rows: Sequence[Sequence[object]]
) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Suivi 2025"
    ws["A1"] = "Suivi des fiches signalétiques et des plans d'améliorations Grand Public"
    ws.merge_cells("A1:K2")
    ws["A3"] = "Agence de Montluçon"
    ws.merge_cells("A3:F3")
    for c, text in enumerate(header, start=1):
        ws.cell(row=5, column=c, value=text)
    for r, values in enumerate(rows, start=6):
        for c, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)  # type: ignore[call-overload]
    wb.save(path)
    return path


def test_title_rows_and_merged_cells_above_the_header(tmp_path: Path) -> None:
    header = [HEADERS[c] for c in SEED_COLUMNS]
    path = _merged_title_workbook(
        tmp_path / "r.xlsx", header, [[2025, D(2025, 1, 8), "MARTIN Paul", None, "FS", "Retard"]]
    )
    (sheet,) = load_register(path).sheets
    assert (sheet.header_row, [(e.row, e.issuer) for e in sheet.entries]) == (
        5,
        [(6, "MARTIN Paul")],
    )


def test_header_variants_other_order_and_extra_columns(tmp_path: Path) -> None:
    header = [
        "Remarques",
        "N° d'ordre",
        "DATE DE\nRECEPTION",
        "emetteur",
        "Origine\n(FS/QS/PA)",
        "OBJET",
        "Personne chargée\ndu dossier",
        "Echéance",
        "Date de cloture",
        "Date AR",
        "Décision",
        "Voies de recours (indiquées)",
        "Téléphone",
    ]
    row = [
        "vu en réunion",
        "25.1601.004",
        "05/03/2025",
        "DUPONT Marie",
        "FS",
        "Retard",
        "Mme Martin",
        "05/05/2025",
        None,
        "10.03.2025",
        "rejet partiel",
        "non",
        "06 00 00 00 00",
    ]
    path = make_workbook(tmp_path / "r.xlsx", {"Registre": [header, row]})
    (sheet,) = load_register(path).sheets
    assert dict(sheet.columns) == {
        Column.ORDER_NUMBER: 1,
        Column.DATE: 2,
        Column.ISSUER: 3,
        Column.ORIGIN: 4,
        Column.SUBJECT: 5,
        Column.OWNER: 6,
        Column.DUE_DATE: 7,
        Column.CLOSED_ON: 8,
        Column.ACK_DATE: 9,
        Column.DECISION: 10,
        Column.REDRESS: 11,
    }
    assert (sheet.headers[0], sheet.headers[12]) == ("Remarques", "Téléphone")
    assert missing_columns(sheet.columns) == (Column.YEAR, Column.EVIDENCE, Column.FOLLOW_UP)
    (e,) = sheet.entries
    assert (e.received_on, e.due_on, e.acknowledged_on, e.decision, e.redress, e.year) == (
        D(2025, 3, 5),
        D(2025, 5, 5),
        D(2025, 3, 10),
        Decision.PARTIAL_REJECTION,
        None,
        None,
    )


def test_optional_regulatory_columns(tmp_path: Path) -> None:
    columns = [*SEED_COLUMNS, Column.PRODUCT, Column.PARTIES, Column.PERSONS, Column.ANSWER_DATE]
    columns += [Column.ANSWER, Column.DYSFUNCTIONS, Column.CORRECTIVE_ACTIONS, Column.REDRESS]
    row = entry(
        product="Permis B",
        parties="Examinateur",
        persons="M. Garcia",
        answer_date=D(2025, 4, 1),
        answer="Geste commercial",
        dysfunctions="Planning",
        corrective_actions="Revoir le planning",
        redress="Médiateur de la consommation",
    )
    path = make_register(tmp_path / "r.xlsx", [row], columns=columns)
    (e,) = load_register(path).entries
    assert (e.product, e.parties, e.persons, e.answered_on, e.answer) == (
        "Permis B",
        "Examinateur",
        "M. Garcia",
        D(2025, 4, 1),
        "Geste commercial",
    )
    assert (e.dysfunctions, e.corrective_actions, e.redress) == (
        "Planning",
        "Revoir le planning",
        "Médiateur de la consommation",
    )


def test_text_dates_and_unreadable_values(tmp_path: Path) -> None:
    rows = [
        entry("05/03/2025", due="5/5/25", closed="2025-04-01", year="2025"),
        entry("le 5 mars", origin="XX", due="31/02/2025", year="vingt", number=" 25.1601.2 "),
    ]
    path = make_register(tmp_path / "r.xlsx", rows)
    good, bad = load_register(path).entries
    assert (good.received_on, good.due_on, good.closed_on, good.year) == (
        D(2025, 3, 5),
        D(2025, 5, 5),
        D(2025, 4, 1),
        2025,
    )
    assert (bad.received_on, bad.origin, bad.due_on, bad.year) == (None, None, None, None)
    assert dict(bad.invalid) == {
        Column.DATE: "le 5 mars",
        Column.ORIGIN: "XX",
        Column.DUE_DATE: "31/02/2025",
        Column.YEAR: "vingt",
    }
    # a near miss is read as the number it means, and kept for the warning that gives the fix
    assert (bad.order_text, str(bad.order_number)) == ("25.1601.2", "25.1601.002")
    assert dict(bad.lenient) == {Column.ORDER_NUMBER: "25.1601.2"}
    assert dict(good.lenient) == {
        Column.DATE: "05/03/2025",
        Column.DUE_DATE: "5/5/25",
        Column.CLOSED_ON: "2025-04-01",
    }


def test_numbers_in_text_columns(tmp_path: Path) -> None:
    header = [HEADERS[c] for c in SEED_COLUMNS]
    row: list[object] = [2025.0, D(2025, 3, 5), 12345, 7, "PA", 42, 3.5]
    path = make_workbook(tmp_path / "r.xlsx", {"R": [header, row]})
    (e,) = load_register(path).entries
    assert (e.year, e.issuer, e.order_text, e.order_number, e.subject, e.evidence) == (
        2025,
        "12345",
        "7",
        None,
        "42",
        "3.5",
    )


def test_blank_rows_are_skipped_and_row_numbers_exact(tmp_path: Path) -> None:
    rows: list[dict[Column, object]] = [
        entry(D(2025, 1, 2), issuer="A"),
        {},
        {Column.YEAR: 2025},  # only a year: not an entry
        {Column.SUBJECT: "   "},  # only blanks: not an entry
        entry(D(2025, 1, 3), issuer="B"),
        {Column.OWNER: "Mme Martin"},  # anything else makes an entry
        {Column.DUE_DATE: "bientôt"},  # even an unreadable value
        {Column.YEAR: "deux mille"},  # but not an unreadable year alone
    ]
    path = make_register(tmp_path / "r.xlsx", rows, title_rows=[["Registre"], []])
    (sheet,) = load_register(path).sheets
    assert sheet.header_row == 3
    assert [(e.row, e.issuer, dict(e.invalid)) for e in sheet.entries] == [
        (4, "A", {}),
        (8, "B", {}),
        (9, None, {}),
        (10, None, {Column.DUE_DATE: "bientôt"}),
    ]
    assert sheet.last_row == 11


class _UnpaddedSheet:
    """A calamine sheet as an older version gave it: no padding rows above the data."""

    start = (4, 2)
    end = (6, 12)

    def iter_rows(self) -> list[list[object]]:
        return [list(row) for row in register_rows([entry(D(2025, 3, 5)), entry()])]


def test_row_numbers_when_calamine_does_not_pad() -> None:
    sheet, _ = read_sheet("R", _UnpaddedSheet())  # type: ignore[arg-type]
    assert sheet is not None
    assert (sheet.header_row, [e.row for e in sheet.entries], sheet.last_row) == (5, [6, 7], 7)
    assert sheet.columns[Column.DATE] == 3


def test_data_away_from_a1_keeps_excel_coordinates(tmp_path: Path) -> None:
    # Header in C5: calamine pads the empty rows above but not the empty columns to the left.
    pad: list[object] = [None, None]
    rows = register_rows([entry(D(2025, 3, 5)), {}, entry(D(2025, 3, 6))])
    sheet_rows: list[list[object]] = [[], [], [], []] + [pad + row for row in rows]
    path = make_workbook(tmp_path / "r.xlsx", {"Registre": sheet_rows})
    (sheet,) = load_register(path).sheets
    assert sheet.header_row == 5
    assert sheet.columns[Column.YEAR] == 2 and sheet.columns[Column.DATE] == 3
    assert sheet.headers[2] == "Année"
    assert [(e.row, e.received_on) for e in sheet.entries] == [
        (6, D(2025, 3, 5)),
        (8, D(2025, 3, 6)),
    ]
    finding = Finding.at(sheet.entries[1], Column.DATE, "date-invalide", colonne="Date", valeur="x")
    assert (finding.row, finding.cell) == (8, "D8")
    assert sheet.last_row == 8


def test_data_starting_below_row_one_without_title(tmp_path: Path) -> None:
    rows = register_rows([entry(D(2025, 3, 5))])
    path = make_workbook(tmp_path / "r.xlsx", {"R": [[], [], *rows]})
    (sheet,) = load_register(path).sheets
    assert (sheet.header_row, [e.row for e in sheet.entries]) == (3, [4])


def test_several_year_sheets_in_workbook_order(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "r.xlsx",
        {
            "Notes": [["Réunion qualité du 12/05"]],
            "2024": register_rows([entry(D(2024, 2, 1)), entry(D(2024, 3, 1))]),
            "2025": register_rows([entry(D(2025, 2, 1))]),
        },
    )
    register = load_register(path)
    assert [s.name for s in register.sheets] == ["2024", "2025"]
    assert [(e.sheet, e.row) for e in register.entries] == [("2024", 2), ("2024", 3), ("2025", 2)]
    assert register.sheet("2025").entries[0].received_on == D(2025, 2, 1)


def test_sheet_option_restricts(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "r.xlsx",
        {
            "2024": register_rows([entry(D(2024, 2, 1))]),
            "2025": register_rows([entry(D(2025, 2, 1))]),
            "Notes": [["rien"]],
        },
    )
    assert [s.name for s in load_register(path, sheet="2025").sheets] == ["2025"]
    assert [s.name for s in load_register(path, sheet=" 2025").sheets] == ["2025"]
    with pytest.raises(NoRegisterError) as unknown:
        load_register(path, sheet="2023")
    assert "« 2023 »" in unknown.value.message
    assert "« 2024 », « 2025 », « Notes »" in unknown.value.message
    with pytest.raises(NoRegisterError) as not_register:
        load_register(path, sheet="Notes")
    assert "n'est pas un registre" in not_register.value.message


def test_register_with_odd_headers_still_loads(tmp_path: Path) -> None:
    header = ["Date", "Client", "Motif", "Truc", "Machin"]
    path = make_workbook(tmp_path / "r.xlsx", {"R": [header, [D(2025, 1, 2), "A", "B", 1, 2]]})
    (sheet,) = load_register(path).sheets
    assert set(sheet.columns) == {Column.DATE, Column.ISSUER, Column.SUBJECT}
    assert len(missing_columns(sheet.columns)) == 8
    assert [(e.issuer, e.subject) for e in sheet.entries] == [("A", "B")]


def test_empty_register_sheet(tmp_path: Path) -> None:
    path = make_register(tmp_path / "r.xlsx", [])
    (sheet,) = load_register(path).sheets
    assert (sheet.entries, sheet.header_row, sheet.last_row) == ((), 1, 1)


def test_parameters_sheet(tmp_path: Path) -> None:
    params: list[list[object]] = [
        ["Paramètres du registre"],
        ["Numéro d'agence", 1601],
        ["Délai d'accusé de réception (jours)", 10.0],
        ["Délai de réponse (mois)", "2"],
        ["Décompte des jours (accusé de réception)", "jours ouvrables"],
        ["Alsace-Moselle", "oui"],
    ]
    path = make_register(tmp_path / "r.xlsx", [entry()], more_sheets={"Paramètres": params})
    register = load_register(path)
    assert register.settings == Settings(
        agency="1601",
        ack_days=10,
        answer_months=2,
        calendar=Calendar.WORKING_DAYS,
        alsace_moselle=True,
    )
    assert [s.name for s in register.sheets] == ["Registre"]
    assert load_register(path, sheet="Registre").settings.agency == "1601"


def test_parameters_sheet_lenient_and_defaults(tmp_path: Path) -> None:
    params: list[list[object]] = [
        [None, "N° agence", "  1602 "],
        [None, "Délai AR (jours)", 15],
        [None, "Délai de réponse (mois)", "beaucoup"],  # unreadable: default kept
        [None, "Décompte des jours", "Jours calendaires"],
        [None, "Alsace Moselle", "non"],
    ]
    path = make_register(tmp_path / "r.xlsx", [entry()], more_sheets={"Parametres": params})
    assert load_register(path).settings == Settings(
        agency="1602", ack_days=15, answer_months=2, calendar=Calendar.CALENDAR_DAYS
    )


def test_parameters_value_is_the_cell_right_of_the_label(tmp_path: Path) -> None:
    # As the template writes it: a header row, an empty agency, explanations in column C.
    params: list[list[object]] = [
        ["Paramètre", "Valeur", "Explication"],
        ["Numéro d'agence", None, "Votre numéro d'agence, ex. 1601."],
        ["Délai d'accusé de réception (jours)", None, "10 jours."],
        ["Décompte des jours (accusé de réception)", "jours calendaires", "ou jours ouvrables"],
        ["Alsace-Moselle", "", "oui si l'agence est en Alsace-Moselle"],
    ]
    path = make_register(tmp_path / "r.xlsx", [entry()], more_sheets={"Paramètres": params})
    assert load_register(path).settings == Settings()


def test_the_template_is_a_register(tmp_path: Path) -> None:
    template = Path(__file__).resolve().parent.parent / "templates" / "registre_modele.xlsx"
    if not template.is_file():
        pytest.skip("templates/registre_modele.xlsx pas encore généré")
    register = load_register(template)
    (sheet,) = register.sheets
    assert set(sheet.columns) == set(Column)
    assert (sheet.entries, register.settings.agency) == ((), None)


def test_hidden_sheets_and_chart_sheets_do_not_break(tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "r.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    date_format = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws = wb.add_worksheet("Registre")
    for c, column in enumerate(SEED_COLUMNS):
        ws.write(0, c, HEADERS[column])
    ws.write_datetime(1, 1, dt.datetime(2025, 3, 5), date_format)
    ws.write(1, 4, "FS")
    chartsheet = wb.add_chartsheet("Graphique")
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": "=Registre!$B$2:$B$2"})
    chartsheet.set_chart(chart)
    hidden = wb.add_worksheet("Listes")
    hidden.write_column(0, 0, ["FS", "QS", "PA"])
    hidden.hide()
    old = wb.add_worksheet("2024")
    for c, column in enumerate(SEED_COLUMNS):
        old.write(0, c, HEADERS[column])
    old.write(1, 1, "05/03/2024")
    old.hide()
    wb.close()
    register = load_register(path)
    assert [(e.sheet, e.row, e.received_on) for e in register.entries] == [
        ("Registre", 2, D(2025, 3, 5)),
        ("2024", 2, D(2024, 3, 5)),
    ]


def _with_macrosheet(source: Path, target: Path) -> Path:
    """``source`` plus an Excel 4 macro sheet, which python-calamine refuses to open."""
    import zipfile

    rel = (
        b'<Relationship Id="rId99" Target="macrosheets/sheet1.xml" '
        b'Type="http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet"/>'
    )
    with zipfile.ZipFile(source) as package, zipfile.ZipFile(target, "w") as out:
        for info in package.infolist():
            data = package.read(info)
            if info.filename == "xl/workbook.xml":
                sheet = b'<sheet name="Macro1" sheetId="9" r:id="rId99"/>'
                data = data.replace(b"</sheets>", sheet + b"</sheets>")
            elif info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(b"</Relationships>", rel + b"</Relationships>")
            out.writestr(info, data)
        out.writestr(
            "xl/macrosheets/sheet1.xml",
            '<xm:macrosheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData/>'
            "</xm:macrosheet>",
        )
    return target


def test_excel4_macro_sheet_does_not_hide_the_register(tmp_path: Path) -> None:
    path = _with_macrosheet(make_register(tmp_path / "r.xlsx", [entry()]), tmp_path / "m.xlsm")
    before = path.read_bytes()
    register = load_register(path)
    assert [(s.name, len(s.entries)) for s in register.sheets] == [("Registre", 1)]
    assert path.read_bytes() == before


def test_large_register_in_chunks(tmp_path: Path) -> None:
    # More rows than one conversion chunk, with a blank row and a bad date far down.
    rows: list[dict[Column, object]] = [
        entry(D(2025, 1, 1) + dt.timedelta(days=i % 300), number=f"25.1601.{i + 1:03d}")
        for i in range(5000)
    ]
    rows[4500] = {}
    rows[4700] = entry("bientôt")
    path = make_register(tmp_path / "r.xlsx", rows)
    entries = load_register(path).entries
    assert len(entries) == 4999
    assert entries[-1].row == 5001 and entries[-1].order_number == OrderNumber(25, "1601", 5000)
    assert [(e.row, dict(e.invalid)) for e in entries if e.invalid] == [
        (4702, {Column.DATE: "bientôt"})
    ]


# --- corpus -----------------------------------------------------------------------------------


def test_corpus_registers(corpus_dir: Path) -> None:
    multi = load_register(corpus_dir / "libreoffice-registre-multi-annees.xlsx")
    assert [(s.name, s.header_row, len(s.entries)) for s in multi.sheets] == [
        ("2024", 1, 10),
        ("2025", 1, 6),
    ]
    last = multi.sheet("2025").entries[-1]
    assert (last.row, last.order_text, last.origin, last.received_on) == (
        7,
        "24.1601.003",
        Origin.PA,
        D(2024, 12, 30),
    )
    logo = load_register(corpus_dir / "libreoffice-registre-logo-graphique.xlsx")
    (sheet,) = logo.sheets
    assert (sheet.name, len(sheet.entries), sheet.last_row) == ("Suivi", 6, 7)
    assert [e.order_text for e in sheet.entries][3:] == [None, None, None]


def test_every_other_corpus_file_loads_or_has_no_register(corpus_dir: Path) -> None:
    outcomes: dict[str, str] = {}
    for path in sorted(corpus_dir.iterdir()):
        if path.suffix not in (".xlsx", ".xlsm"):
            continue
        before = path.read_bytes()
        try:
            load_register(path)
            outcomes[path.name] = "registre"
        except NoRegisterError as error:
            assert path.name in error.message
            outcomes[path.name] = "aucun"
        except SuiviError as error:  # pragma: no cover - what this test is here to catch
            pytest.fail(f"{path.name}: {error.message}")
        assert path.read_bytes() == before
    assert sorted(name for name, what in outcomes.items() if what == "registre") == [
        "libreoffice-registre-logo-graphique.xlsx",
        "libreoffice-registre-multi-annees.xlsx",
    ]
    assert len(outcomes) >= 20
