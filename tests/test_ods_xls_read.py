"""Registers kept as .ods (LibreOffice) or .xls (Excel 97-2003) are read like the .xlsx: one
messy register saved by LibreOffice in the three formats gives the same entries, the same
findings (sheet, A1 cell, code) and the same bilan and follow-up figures.

Skipped when ``soffice`` is not installed, except in CI (see ``conftest.soffice``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from suivi_xlsx.cli import group
from suivi_xlsx.domain.model import Register
from suivi_xlsx.reading.reader import load_register

from .conftest import LibreOffice

TODAY = dt.date(2025, 6, 1)
FORMATS = ("xlsx", "ods", "xls")


def messy_register(path: Path) -> Path:
    """A register as staff type it: a merged title over the table, the table starting in
    column B, text dates, a word in a date column, a totals row, a formula for the year, a
    settings sheet and a second register sheet."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Suivi 2025"
    ws["B1"] = "Auto-école des Lilas — registre des réclamations"
    ws.merge_cells("B1:H1")
    header = ["Année", "Date", "NOM Prénom Emetteur", "Numéro d'ordre", "Origine", "Objet"]
    header += ["Date d'échéance", "Date de clôture", "Nom de la personne chargée du dossier"]
    for column, text in enumerate(header, start=2):
        ws.cell(row=3, column=column, value=text)
    rows: list[list[object]] = [
        [
            "=YEAR(C4)",
            dt.date(2025, 1, 8),
            "PETIT Lucas",
            "25.1601.001",
            "FS",
            "Retard",
            None,
            dt.date(2025, 1, 20),
            "Mme Martin",
        ],
        [
            2025,
            "12/03/2025",
            "DURAND Camille",
            None,
            "FS",
            "Accueil",
            dt.date(2025, 5, 12),
            None,
            "M. Leroy",
        ],
        [
            2025,
            dt.date(2025, 4, 2),
            "MOREAU Léa",
            "25.1601.003",
            "PA",
            "Salle",
            None,
            "en cours",
            "Mme Martin",
        ],
        [
            2025,
            dt.date(2025, 4, 20),
            "ROUX Hugo",
            "25.1601.003",
            "QS",
            "Satisfait",
            None,
            dt.date(2025, 4, 10),
            None,
        ],
        [None, "Total", None, None, None, "4 dossiers", None, None, None],
    ]
    for r, values in enumerate(rows, start=4):
        for c, value in enumerate(values, start=2):
            if value is not None:
                cell = ws.cell(row=r, column=c, value=value)  # type: ignore[arg-type]
                if isinstance(value, dt.date):
                    cell.number_format = "dd/mm/yyyy"
    other = wb.create_sheet("2024")
    for column, text in enumerate(header, start=1):
        other.cell(row=1, column=column, value=text)
    other.append([2024, dt.date(2024, 11, 4), "BLANC Paul", "24.1601.010", "FS", "Tarif"])
    other["B2"].number_format = "dd/mm/yyyy"
    settings = wb.create_sheet("Paramètres")
    settings.append(["Numéro d'agence", "1601"])
    settings.append(["Délai de réponse (mois)", 2])
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def saved(libreoffice: LibreOffice, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The messy register saved by LibreOffice as .xlsx, .ods and .xls."""
    folder = tmp_path_factory.mktemp("formats")
    source = messy_register(folder / "source.xlsx")
    return {fmt: libreoffice.convert(source, fmt, folder / fmt) for fmt in FORMATS}


def _entries(register: Register) -> list[object]:
    # Everything the reader made of each row, but the file it came from.
    return [(sheet.name, sheet.header_row, sheet.entries) for sheet in register.sheets]


def test_same_entries_in_every_format(saved: dict[str, Path]) -> None:
    registers = {fmt: load_register(path) for fmt, path in saved.items()}
    reference = _entries(registers["xlsx"])
    assert reference and any(sheet[2] for sheet in reference)
    for fmt in ("ods", "xls"):
        assert _entries(registers[fmt]) == reference, fmt
        assert registers[fmt].settings == registers["xlsx"].settings, fmt


def _findings(path: Path) -> tuple[int, list[tuple[str, int, str, str]]]:
    result = CliRunner().invoke(
        group, ["check", str(path), "--format", "json", "--today", TODAY.isoformat()]
    )
    report = json.loads(result.stdout)
    found = [(f["sheet"], f["row"], f["cell"], f["code"]) for f in report["findings"]]
    return result.exit_code, found


def test_same_findings_and_cells_in_every_format(saved: dict[str, Path]) -> None:
    code, reference = _findings(saved["xlsx"])
    cells = {cell for _sheet, _row, cell, _code in reference}
    # The table starts in column B under a merged title: cells are named as the user sees them.
    assert "C5" in cells and "E7" in cells
    for fmt in ("ods", "xls"):
        assert _findings(saved[fmt]) == (code, reference), fmt


def test_same_bilan_and_follow_up_figures(saved: dict[str, Path]) -> None:
    from suivi_xlsx.outputs.followup.compute import follow_up
    from suivi_xlsx.outputs.summary.stats import yearly_stats

    def figures(fmt: str) -> tuple[str, str]:
        register = load_register(saved[fmt])
        stats = repr(yearly_stats([register], 2025, TODAY))
        pending = repr(follow_up([register], TODAY))
        texts = []
        for text in (stats, pending):
            for name in (str(saved[fmt]), saved[fmt].name):
                text = text.replace(name, "registre")
            texts.append(text)
        return texts[0], texts[1]

    reference = figures("xlsx")
    assert "1601" in reference[0]
    for fmt in ("ods", "xls"):
        assert figures(fmt) == reference, fmt


@pytest.mark.parametrize("command", ["summary", "relances"])
def test_output_commands_take_ods_and_xls(
    saved: dict[str, Path], tmp_path: Path, command: str
) -> None:
    for fmt in ("ods", "xls"):
        out = tmp_path / f"{command}-{fmt}.xlsx"
        args = [command, str(saved[fmt]), "--today", TODAY.isoformat(), "-o", str(out)]
        if command == "summary":
            args += ["--annee", "2025"]
        result = CliRunner().invoke(group, args)
        assert result.exit_code == 0, result.output + result.stderr
        assert out.is_file()


def test_update_refuses_xls_in_french_exit_2(saved: dict[str, Path], tmp_path: Path) -> None:
    book = tmp_path / "registre.xls"
    book.write_bytes(saved["xls"].read_bytes())
    before = book.read_bytes()
    result = CliRunner().invoke(group, ["update", str(book), "--today", TODAY.isoformat()])
    assert result.exit_code == 2
    assert "Excel 97-2003 (.xls)" in result.stderr
    assert "Fichier > Enregistrer sous > Classeur Excel (.xlsx)" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert book.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["registre.xls"]
