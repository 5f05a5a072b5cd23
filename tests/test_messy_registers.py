"""Registers as staff really keep them: title rows, their own header wordings, totals and note
rows, words and text dates in date columns, formulas, a table pasted from Word, two-row
headers, a LibreOffice round trip. The check, ``suivi update`` and the summary must all give
the right result on them, and agree with each other.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from suivi_xlsx.cli import group
from suivi_xlsx.domain.deadlines import Deadlines
from suivi_xlsx.domain.model import Column
from suivi_xlsx.domain.procedure import is_late, is_open_at, is_overdue
from suivi_xlsx.domain.rules import CheckOptions, check_register
from suivi_xlsx.outputs.summary.stats import yearly_stats
from suivi_xlsx.reading.reader import load_register

from .conftest import LibreOffice

D = dt.date
TODAY = D(2025, 6, 2)

SECRETARY_HEADER = [
    "Année",
    "Date de la réclamation",
    "Client",
    "N°",
    "Orig.",
    "Motif",
    "Justif.",
    "Commentaires",
    "Resp.",
    "Éch.",
    "Clôt.",
]


def secretary_register(path: Path) -> Path:
    """A secretary's sheet: title rows, short headers, an Année formula, text dates, words in
    the closing column, origin words, a near-miss number, a totals row and a note."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Réclamations 2025"
    ws.append(["Auto-école du Lac — suivi des réclamations 2025"])
    ws.append([])
    ws.append(SECRETARY_HEADER)
    rows: list[list[object]] = [
        # row 4: late, « en cours » in the closing cell
        [
            None,
            D(2025, 3, 5),
            "DUPONT Marie",
            "25.1601.001",
            "FS",
            "Retard moniteur",
            None,
            "06/03 appel",
            "Mme Martin",
            D(2025, 5, 5),
            "en cours",
        ],
        # row 5: a date typed with its weekday, a near-miss number, closed without a date
        [
            None,
            "lundi 10 mars 2025",
            "DURAND Paul",
            "25.1601.2",
            "FS",
            "Facture",
            None,
            "12/03 AR",
            "M. Leroy",
            D(2025, 5, 10),
            "Clôturé",
        ],
        # row 6: an origin in words, no number, no due date: update completes it
        [
            None,
            D(2025, 3, 12),
            "MARTIN Léa",
            None,
            "Réclamation",
            "Accueil",
            None,
            "13/03 mail",
            "Mme Martin",
            None,
            None,
        ],
        # row 7: a survey answer, closed
        [
            None,
            D(2025, 3, 20),
            "PETIT Jean",
            "25.1601.003",
            "QS",
            "Questionnaire",
            None,
            "20/03 reçu",
            "Mme Martin",
            D(2025, 4, 20),
            D(2025, 3, 25),
        ],
        # row 8: an improvement decision, due date typed as text, late
        [
            None,
            D(2025, 4, 1),
            "Direction",
            "25.1601.004",
            "PA",
            "Former l'accueil",
            None,
            "01/04 décidé",
            "M. Leroy",
            "01/05/2025",
            None,
        ],
    ]
    for values in rows:
        ws.append(values)
    for row in range(4, 9):
        ws.cell(row=row, column=1, value=f"=YEAR(B{row})")  # no cached value from openpyxl
        for column in (2, 10, 11):
            ws.cell(row=row, column=column).number_format = "dd/mm/yyyy"
    ws.append([])
    ws.append([None, "Total", "=COUNTA(C4:C8)"])  # row 10
    ws.append(["NB : les dates sont celles de réception du courrier."])  # row 11
    wb.save(path)
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(group, list(args))
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.stdout, result.stderr


def codes_at(path: Path, today: dt.date = TODAY) -> list[tuple[str, str | None]]:
    report = check_register(load_register(path), CheckOptions(today=today))
    return [(f.code, f.cell) for f in report.findings]


def assert_secretary_reading(path: Path) -> None:
    register = load_register(path)
    (sheet,) = register.sheets
    assert sheet.header_row == 3
    assert [e.row for e in sheet.entries] == [4, 5, 6, 7, 8]  # not the totals nor the note
    found = codes_at(path)
    assert not [cell for _, cell in found if cell is not None and cell[1:] in ("10", "11")]
    assert ("en-retard", "J4") in found  # « en cours » is open
    assert ("date-non-indiquee", "K5") in found  # « Clôturé »: closed, no date
    assert ("en-retard", "J5") not in found
    assert ("date-texte", "B5") in found
    assert ("numero-a-corriger", "D5") in found
    assert ("origine-a-corriger", "E6") in found
    assert ("numero-manquant", "D6") in found
    assert ("en-retard", "J8") in found and ("date-texte", "J8") in found
    assert not [code for code, _ in found if code in ("numero-invalide", "numero-sequence")]
    assert not [code for code, _ in found if code in ("date-invalide", "champ-obligatoire")]
    # the summary counts what the check says: the entries with a « retard » finding (a
    # due date passed, or an answer missing past its deadline), among three open
    stats = yearly_stats([register], 2025, TODAY)
    entries = register.entries
    assert stats.total.entries.total == 5
    assert stats.total.open == sum(is_open_at(e, TODAY) for e in entries) == 3
    assert sum(is_overdue(e, TODAY) for e in entries) == 2
    late_codes = ("en-retard", "accuse-reception-en-retard", "reponse-en-retard")
    late_rows = {re.sub("[A-Z]+", "", cell) for code, cell in found if code in late_codes}
    deadlines = Deadlines.from_settings(register.settings)
    assert stats.total.overdue == sum(is_late(e, deadlines, TODAY) for e in entries)
    assert stats.total.overdue == len(late_rows) == 3


def test_secretary_register(tmp_path: Path) -> None:
    assert_secretary_reading(secretary_register(tmp_path / "registre.xlsx"))


def test_secretary_register_saved_by_libreoffice(tmp_path: Path, libreoffice: LibreOffice) -> None:
    """LibreOffice stores the formulas' cached values (Année 2025, Total 5): still the same
    five entries, and update neither refuses nor writes into a formula cell."""
    (tmp_path / "source").mkdir()
    source = secretary_register(tmp_path / "source" / "registre.xlsx")
    saved = libreoffice.convert(source, "xlsx", tmp_path / "lo")
    register = load_register(saved)
    # the formulas' cached values; YEAR() of a date typed as text is an error in LibreOffice
    assert [e.year for e in register.entries] == [2025, None, 2025, 2025, 2025]
    assert_secretary_reading(saved)

    code, out, err = run("update", str(saved), "--today", "2025-06-02", "--no-backup")
    assert code == 0, out + err
    assert "'Réclamations 2025'!D6 : 25.1601.005 (Numéro d'ordre)" in out
    assert "'Réclamations 2025'!J6 : 12/05/2025 (Date d'échéance)" in out
    assert "!A" not in out  # the Année formulas are never written
    assert "J8 : « 01/05/2025 »" in out and "--convertir-dates" in out
    after = codes_at(saved)
    assert ("numero-manquant", "D6") not in after
    assert not [c for c, _ in after if c in ("numero-sequence", "numero-duplique")]
    # a second run finds nothing to do: the formula cells do not look empty
    code, out, _ = run("update", str(saved), "--today", "2025-06-02", "--no-backup")
    assert code == 0 and "Rien à changer" in out

    code, out, err = run(
        "update", str(saved), "--today", "2025-06-02", "--no-backup", "--convertir-dates"
    )
    assert code == 0, out + err
    assert "J8 : 01/05/2025 (Date d'échéance, date saisie en texte « 01/05/2025 » convertie)" in out
    assert "B5 : 10/03/2025 (Date, date saisie en texte « lundi 10 mars 2025 » convertie)" in out
    converted = load_register(saved)
    late_pa = converted.sheets[0].entries[-1]
    assert late_pa.due_on == D(2025, 5, 1) and not late_pa.lenient
    assert ("date-texte", "J8") not in codes_at(saved)
    assert ("en-retard", "J8") in codes_at(saved)
    # the converted workbook still opens in LibreOffice, which reads the dates as dates
    again = libreoffice.convert(saved, "xlsx", tmp_path / "lo-again")
    assert load_register(again).sheets[0].entries[1].lenient == {Column.ORDER_NUMBER: "25.1601.2"}


def test_update_on_formulas_without_cached_values(tmp_path: Path) -> None:
    """openpyxl stores no cached value: the Année cells read empty, yet are never written."""
    path = secretary_register(tmp_path / "registre.xlsx")
    code, out, err = run("update", str(path), "--today", "2025-06-02", "--no-backup")
    assert code == 0, out + err
    assert "(Année)" not in out
    assert "D6 : 25.1601.005 (Numéro d'ordre)" in out


def test_word_table_continuation_rows(tmp_path: Path) -> None:
    from tests.workbooks import make_workbook

    header = [
        "Date",
        "Émetteur",
        "N° d'ordre",
        "Origine",
        "Objet",
        "Suivi",
        "Responsable",
        "Échéance",
        "Clôture",
    ]
    path = make_workbook(
        tmp_path / "word.xlsx",
        {
            "Registre": [
                header,
                [
                    D(2025, 3, 5),
                    "DUPONT",
                    "25.1601.001",
                    "FS",
                    "Retard",
                    "05/03 reçu",
                    "Mme Martin",
                    D(2025, 5, 5),
                    D(2025, 4, 1),
                ],
                [None, None, None, None, None, "10/03 appel de la cliente"],
                [None, None, None, None, "(suite de l'objet)", "15/03 réponse envoyée"],
                [
                    D(2025, 3, 6),
                    "DURAND",
                    "25.1601.002",
                    "QS",
                    "Accueil",
                    "06/03 reçu",
                    "M. Leroy",
                    D(2025, 4, 6),
                    D(2025, 3, 8),
                ],
                [None, None, None, None, None, None, None, None, None],
                ["TOTAL", 2],
            ]
        },
    )
    register = load_register(path)
    first, second = register.entries
    assert first.follow_up == "05/03 reçu\n10/03 appel de la cliente\n15/03 réponse envoyée"
    assert first.subject == "Retard\n(suite de l'objet)"
    assert second.row == 5
    # the table has no Année nor Justificatif column; nothing else to say
    assert [code for code, _ in codes_at(path) if code != "colonne-manquante"] == []


def test_two_row_header_and_columns_recognised_by_content(tmp_path: Path) -> None:
    from tests.workbooks import make_workbook

    path = make_workbook(
        tmp_path / "deux-lignes.xlsx",
        {
            "2025": [
                ["Date", "Nom", "Réf. interne", "Nature", "Objet", "Suivi", "Pilote", "Dates"],
                [None, None, None, None, None, None, None, "Échéance", "Clôture"],
                [
                    D(2025, 3, 5),
                    "DUPONT",
                    "25.1601.001",
                    "FS",
                    "Retard",
                    "05/03 reçu",
                    "Mme Martin",
                    D(2025, 5, 5),
                    "en cours",
                ],
                [
                    D(2025, 3, 6),
                    "DURAND",
                    "25.1601.002",
                    "QS",
                    "Accueil",
                    "06/03 reçu",
                    "M. Leroy",
                    D(2025, 4, 6),
                    D(2025, 3, 8),
                ],
                [
                    D(2025, 3, 7),
                    "PETIT",
                    "25.1601.003",
                    "PA",
                    "Plan",
                    "07/03 décidé",
                    "M. Leroy",
                    D(2025, 9, 6),
                    None,
                ],
            ]
        },
    )
    (sheet,) = load_register(path).sheets
    assert sheet.header_row == 2
    assert sheet.columns[Column.DUE_DATE] == 7 and sheet.columns[Column.CLOSED_ON] == 8
    assert sheet.columns[Column.ORIGIN] == 3  # « Nature »: FS/QS/PA values
    assert sheet.columns[Column.ORDER_NUMBER] == 2  # « Réf. interne »: aa.agence.nnn values
    assert [e.row for e in sheet.entries] == [3, 4, 5]
    found = codes_at(path)
    assert ("en-retard", "H3") in found
    assert not [c for c, _ in found if c == "date-invalide"]
    missing = {
        f.message.split("»")[0]
        for f in check_register(load_register(path), CheckOptions(today=TODAY)).findings
        if f.code == "colonne-manquante"
    }
    assert missing == {"Colonne « Année ", "Colonne « Justificatif "}


def test_own_header_declared_in_the_settings_sheet(tmp_path: Path) -> None:
    from tests.workbooks import make_workbook

    rows = [
        [
            "Année",
            "Date",
            "Émetteur",
            "N° d'ordre",
            "Origine",
            "Objet",
            "Justificatif",
            "Suivi",
            "Personne chargée",
            "Échéance",
            "Terminé le",
        ],
        [
            2025,
            D(2025, 3, 5),
            "DUPONT",
            "25.1601.001",
            "FS",
            "Retard",
            None,
            "05/03 reçu",
            "Mme Martin",
            D(2025, 5, 5),
            D(2025, 4, 1),
        ],
    ]
    plain = make_workbook(tmp_path / "sans.xlsx", {"Registre": rows})
    missing = check_register(load_register(plain), CheckOptions(today=TODAY)).findings
    (message,) = [f.message for f in missing if f.code == "colonne-manquante"]
    assert "« Terminé le »" in message and "En-tête Date de clôture" in message

    declared = make_workbook(
        tmp_path / "avec.xlsx",
        {"Registre": rows, "Paramètres": [["En-tête Date de clôture", "Terminé le"]]},
    )
    (sheet,) = load_register(declared).sheets
    assert sheet.columns[Column.CLOSED_ON] == 10
    assert codes_at(declared) == []


def test_bare_serial_numbers_in_a_1904_workbook(tmp_path: Path) -> None:
    """A date stored as a bare number (General format) is read in the workbook's system:
    44257 is 03/03/2025 in a 1904 workbook, 02/03/2021 in a 1900 one."""
    import xlsxwriter

    for date1904, expected in ((True, D(2025, 3, 3)), (False, D(2021, 3, 2))):
        path = tmp_path / f"serial-{date1904}.xlsx"
        wb = xlsxwriter.Workbook(str(path), {"date_1904": date1904})
        ws = wb.add_worksheet("Registre")
        ws.write_row(0, 0, ["Date", "Émetteur", "Origine", "Objet"])
        ws.write_row(1, 0, [44257, "DUPONT", "FS", "Retard"])
        wb.close()
        assert load_register(path).entries[0].received_on == expected


@pytest.mark.parametrize(
    ("closing", "is_open"),
    [
        ("en cours", True),
        ("non", True),
        ("-", True),
        ("?", True),
        ("voir mail", True),
        ("à faire", True),
        ("en attente", True),
        ("clôturé", False),
        ("fait", False),
        ("terminé", False),
        ("oui", False),
        ("n'importe quoi", True),
    ],
)
def test_words_in_the_closing_column(tmp_path: Path, closing: str, is_open: bool) -> None:
    from tests.workbooks import entry, make_register

    path = make_register(
        tmp_path / "r.xlsx", [entry(D(2025, 3, 5), due=D(2025, 5, 5), closed=closing)]
    )
    register = load_register(path)
    assert is_open_at(register.entries[0], TODAY) is is_open
    stats = yearly_stats([register], 2025, TODAY)
    assert (stats.total.open, stats.total.overdue) == ((1, 1) if is_open else (0, 0))
    assert (("en-retard", "J2") in codes_at(path)) is is_open


def test_totals_rows_and_look_alikes() -> None:
    from suivi_xlsx.reading.rowkinds import RowKind, classify_row
    from tests.workbooks import SEED_COLUMNS

    columns = {column: i for i, column in enumerate(SEED_COLUMNS)}
    total = [None, "Total", 14]
    count = [None, "Nombre total de fiches reçues", None, 12.0]
    formula_only = [None, None, 5.0]
    note = ["NB : les dates sont celles du courrier."]
    # a subject that starts with « Total », date not typed yet: still someone's entry
    look_alike = [None, None, None, None, None, "Total absence de réponse", None, None, "Mme Roy"]
    typed_entry = [None, None, None, None, "FS", "Total"]
    assert classify_row(total, columns)[0] is RowKind.TOTAL
    assert classify_row(count, columns)[0] is RowKind.TOTAL
    assert classify_row(formula_only, columns)[0] is RowKind.TOTAL
    assert classify_row(note, columns)[0] is RowKind.NOTE
    assert classify_row(look_alike, columns)[0] is RowKind.ENTRY
    assert classify_row(typed_entry, columns)[0] is RowKind.ENTRY
