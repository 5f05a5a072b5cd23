"""Real workbooks (``../shared/corpus``, read in place, never copied into the repository) go
through the same path as a user's: read, plan, apply on a copy; every part not edited stays
byte-identical. Excel-saved samples get a small register typed into one sheet first."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path

import pytest

from suivi_xlsx.domain.model import HEADERS, SEED_COLUMNS, Column
from suivi_xlsx.domain.plan import UpdatePlan
from suivi_xlsx.errors import NoRegisterError
from suivi_xlsx.xlsx.package import read_workbook_info
from suivi_xlsx.xlsx.write import apply_update

from .xlsxparts import (
    CORPUS,
    changed_parts,
    elements_except,
    infos,
    parts,
    raw_members,
    saved_by,
    type_register,
)

TODAY = dt.date(2025, 6, 1)
FILES = sorted(p for p in CORPUS.glob("*.xls[xm]")) if CORPUS.is_dir() else []
pytestmark = pytest.mark.skipif(not FILES, reason=f"corpus absent ({CORPUS})")
EXCEL_SAVED = [p for p in FILES if saved_by(p).startswith("Microsoft")]
SKIP_IN_SHEET = ("sheetData", "conditionalFormatting", "dimension")
FIELDS = {Column.ORDER_NUMBER: "order_text", Column.YEAR: "year", Column.DUE_DATE: "due_on"}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sheet_parts(path: Path) -> dict[str, str]:
    import zipfile

    with zipfile.ZipFile(path) as zf:
        return {s.name: s.part for s in read_workbook_info(zf).sheets}


def update_and_check(book: Path, sheet: str | None = None) -> UpdatePlan:
    """Plan and apply an update; assert the package changed only where the plan says."""
    from suivi_xlsx.domain.update import plan_update
    from suivi_xlsx.reading.reader import load_register

    register = load_register(book, sheet=sheet)
    plan = plan_update(register, today=TODAY, agency="1601")
    before, raw_before, info_before = parts(book), raw_members(book), infos(book)
    result = apply_update(book, plan, backup=False)
    after, raw_after = parts(book), raw_members(book)

    names = sheet_parts(book)
    edited = {names[s] for s in {e.sheet for e in plan.edits} | set(result.highlighted_sheets)}
    assert changed_parts(before, after) <= edited | {"xl/styles.xml"}
    assert infos(book) == info_before
    for name in set(before) - edited - {"xl/styles.xml"}:
        assert raw_after[name] == raw_before[name], name
    for part in edited:
        assert elements_except(after[part], *SKIP_IN_SHEET) == elements_except(
            before[part], *SKIP_IN_SHEET
        ), part

    # The reader (python-calamine underneath) sees every planned value.
    again = load_register(book, sheet=sheet)
    entries = {(e.sheet, e.row): e for e in again.entries}
    for edit in plan.edits:
        entry = entries[(edit.sheet, edit.row)]
        assert getattr(entry, FIELDS[edit.field]) == edit.value, edit

    # A second run finds nothing to do and leaves the file alone.
    data = book.read_bytes()
    second = plan_update(load_register(book, sheet=sheet), today=TODAY, agency="1601")
    assert second.edits == ()
    assert apply_update(book, second).written is False
    assert book.read_bytes() == data
    return plan


@pytest.mark.parametrize("source", FILES, ids=[p.name for p in FILES])
def test_every_corpus_file(source: Path, tmp_path: Path) -> None:
    from suivi_xlsx.reading.reader import load_register

    original = digest(source)
    book = tmp_path / source.name
    shutil.copyfile(source, book)
    try:
        load_register(book)
    except NoRegisterError as error:
        assert error.exit_code == 2 and "registre" in error.message
        assert digest(book) == original
    else:
        plan = update_and_check(book)
        assert plan.highlights  # the registers have due and closing date columns
    assert digest(source) == original
    assert sorted(p.name for p in tmp_path.iterdir()) == [source.name]


REGISTER_ROWS: list[list[object]] = [
    [HEADERS[c] for c in SEED_COLUMNS],
    [
        2025,
        "05/03/2025",
        "DUPONT Marie",
        "25.1601.001",
        "FS",
        "Retard",
        None,
        None,
        "Mme Martin",
        "05/05/2025",
        None,
    ],
    [None, "09/03/2025", "MARTIN Paul", None, "QS", "Accueil", None, None, "M. Durand", None, None],
    [2025, "02/04/2025", "DURAND Léa", None, "FS", "Facture", None, None, "Mme Martin", None, None],
    [
        2024,
        "20/12/2024",
        "PETIT Jean",
        "24.1601.007",
        "PA",
        "Affichage",
        None,
        "fait",
        "M. Durand",
        "31/12/2024",
        "28/12/2024",
    ],
]


@pytest.mark.parametrize("source", EXCEL_SAVED, ids=[p.name for p in EXCEL_SAVED])
def test_register_typed_into_excel_saved_file(source: Path, tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(source) as zf:
        sheet = next(s.name for s in read_workbook_info(zf).sheets if s.is_worksheet)
    book = tmp_path / source.name
    type_register(source, book, sheet, REGISTER_ROWS)
    plan = update_and_check(book, sheet=sheet)
    cells = sorted((e.cell, e.value) for e in plan.edits)
    assert cells == [
        ("A3", 2025),
        ("D3", "25.1601.002"),
        ("D4", "25.1601.003"),
        ("J4", dt.date(2025, 6, 2)),
    ]
