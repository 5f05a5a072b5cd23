"""``suivi update`` on an .ods: the planned cells written into content.xml, the live
highlighting as an ODF conditional format, everything else byte for byte, with the .xlsx
writer's safety (backup, lock file, read-only file)."""

from __future__ import annotations

import datetime as dt
import os
import stat
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from suivi_xlsx.cli import group
from suivi_xlsx.domain.model import HEADERS, SEED_COLUMNS, Column
from suivi_xlsx.domain.plan import CellEdit, Highlight, UpdatePlan
from suivi_xlsx.ods.condfmt import odf_formula
from suivi_xlsx.ods.grid import tables
from suivi_xlsx.ods.write import patch_content
from suivi_xlsx.reading.reader import load_register

from .conftest import LibreOffice
from .odsbuild import content_xml, make_ods

TODAY = "2025-06-01"
HEADER = [HEADERS[c] for c in SEED_COLUMNS]


def _row(**values: object) -> list[object]:
    return [values.get(c.name.lower()) for c in SEED_COLUMNS]


def register(path: Path) -> Path:
    rows = [
        ["Registre des réclamations"],
        HEADER,
        _row(
            year=2025,
            date=dt.date(2025, 3, 5),
            issuer="DUPONT Marie",
            order_number="25.1601.001",
            origin="FS",
            subject="Retard",
        ),
        _row(date=dt.date(2025, 4, 2), issuer="MARTIN Paul", origin="FS", subject="Accueil"),
        _row(year=2025, date="12/04/2025", issuer="PETIT Léa", origin="QS", subject="Avis"),
    ]
    return make_ods(path, {"Registre": rows, "Notes": [["Rien", 1]]})


def _members(path: Path) -> dict[str, tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(path) as package:
        return {i.filename: (i, package.read(i)) for i in package.infolist()}


def _update(path: Path, *more: str) -> tuple[int, str]:
    result = CliRunner().invoke(group, ["update", str(path), "--today", TODAY, *more])
    return result.exit_code, result.output + result.stderr


def test_update_ods_fills_cells_and_keeps_the_rest(tmp_path: Path) -> None:
    book = register(tmp_path / "registre.ods")
    original = book.read_bytes()
    before = _members(book)
    code, out = _update(book, "--convertir-dates")
    assert code == 0, out
    assert "Classeur enregistré" in out and "Surlignage des retards mis en place" in out
    after = _members(book)
    assert list(after) == list(before)
    changed = {name for name in before if before[name][1] != after[name][1]}
    assert changed == {"content.xml", "styles.xml"}
    first = next(iter(after.values()))[0]
    assert first.filename == "mimetype" and first.compress_type == zipfile.ZIP_STORED
    assert book.read_bytes()[30:38] == b"mimetype"
    entries = load_register(book).sheets[0].entries
    assert [e.order_text for e in entries] == ["25.1601.001", "25.1601.002", "25.1601.003"]
    assert entries[1].year == 2025 and entries[2].received_on == dt.date(2025, 4, 12)
    assert all(e.due_date is not None for e in entries if e.origin == "FS")
    # The backup is the original, byte for byte.
    (backup,) = tmp_path.glob("registre.sauvegarde-*.ods")
    assert backup.read_bytes() == original
    content = after["content.xml"][1]
    assert content.count(b"<calcext:conditional-format ") == 1
    assert b"TODAY()" in content and b"[.$J3]" in content
    assert b'style:name="SuiviEnRetard"' in after["styles.xml"][1]
    # Run again: nothing left to do, the file is not touched.
    again = book.read_bytes()
    code, out = _update(book)
    assert code == 0 and "Rien à changer" in out
    assert book.read_bytes() == again


def test_update_ods_refused_while_open_in_libreoffice(tmp_path: Path) -> None:
    book = register(tmp_path / "registre.ods")
    lock = tmp_path / ".~lock.registre.ods#"
    lock.write_text("x")
    before = book.read_bytes()
    code, out = _update(book)
    assert code == 1 and "Traceback" not in out
    assert book.read_bytes() == before


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores modes")
def test_update_ods_refuses_read_only(tmp_path: Path) -> None:
    book = register(tmp_path / "registre.ods")
    book.chmod(stat.S_IRUSR)
    code, out = _update(book)
    assert code == 1 and "lecture seule" in out


def test_update_ods_dry_run_writes_nothing(tmp_path: Path) -> None:
    book = register(tmp_path / "registre.ods")
    before = book.read_bytes()
    code, out = _update(book, "--dry-run")
    assert code == 0 and "25.1601.002" in out
    assert book.read_bytes() == before


def _joined(pieces: list[bytes | memoryview] | None) -> bytes:
    """patch_content's pieces as the part they make."""
    assert pieces is not None
    return b"".join(pieces)


def _patched(rows_xml: bytes, edits: tuple[CellEdit, ...]) -> bytes:
    content = content_xml({"R": []}).replace(
        b'<table:table table:name="R"></table:table>',
        b'<table:table table:name="R">' + rows_xml + b"</table:table>",
    )
    new = _joined(patch_content(content, UpdatePlan(None, edits, (), ()))[0])
    (table,) = tables(new)
    return new[table.start : table.end]


def _edit(row: int, column: int, value: str | int | dt.date) -> CellEdit:
    return CellEdit("R", row, column, value, Column.ORDER_NUMBER)


def test_repeated_cells_and_rows_are_split_around_the_edit() -> None:
    rows = (
        b'<table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p>'
        b'</table:table-cell><table:table-cell table:style-name="ce1" '
        b'table:number-columns-repeated="4"/><table:table-cell office:value-type="string">'
        b"<text:p>z</text:p></table:table-cell></table:table-row>"
        b'<table:table-row table:number-rows-repeated="5"><table:table-cell '
        b'table:number-columns-repeated="3"/></table:table-row>'
    )
    out = _patched(rows, (_edit(1, 2, "X"), _edit(1, 3, 7), _edit(4, 5, dt.date(2025, 6, 2))))
    assert out.startswith(
        b'<table:table-row><table:table-cell office:value-type="string"><text:p>a</text:p>'
        b'</table:table-cell><table:table-cell table:style-name="ce1"/>'
        b'<table:table-cell table:style-name="ce1" office:value-type="string" '
        b'calcext:value-type="string"><text:p>X</text:p></table:table-cell>'
        b'<table:table-cell table:style-name="ce1" office:value-type="float" office:value="7" '
        b'calcext:value-type="float"><text:p>7</text:p></table:table-cell>'
        b'<table:table-cell table:style-name="ce1"/><table:table-cell office:value-type="string">'
        b"<text:p>z</text:p></table:table-cell></table:table-row>"
    )
    # Rows 2-6 were one element: now 2-3, 4 (edited, padded to column F), 5-6.
    assert out.count(b'table:number-rows-repeated="2"') == 2
    assert b'office:date-value="2025-06-02"' in out
    assert b'<table:table-cell table:number-columns-repeated="3"/><table:table-cell ' in out


def test_a_cell_that_changed_since_reading_is_not_overwritten() -> None:
    from suivi_xlsx.errors import RefusedError

    rows = b'<table:table-row><table:table-cell office:value-type="string"><text:p>deja'
    rows += b"</text:p></table:table-cell></table:table-row>"
    with pytest.raises(RefusedError, match="a changé depuis la lecture"):
        _patched(rows, (_edit(1, 0, "X"),))


def test_formulas_in_openformula_notation() -> None:
    excel = 'AND(ISNUMBER($J5),$J5<TODAY(),ISNA(MATCH(TRIM($K5),{"clos","a,b"},0)))'
    assert odf_formula(excel) == (
        'AND(ISNUMBER([.$J5]);[.$J5]<TODAY();ISNA(MATCH(TRIM([.$K5]);{"clos";"a,b"};0)))'
    )


def test_highlight_refreshed_in_place_not_duplicated() -> None:
    content = content_xml({"R": [HEADER]})
    first = Highlight("R", 2, 100, 0, 11, due_column=9, closed_column=10, soon_days=7)
    pieces, sheets = patch_content(content, UpdatePlan(None, (), (first,), ()))
    new = _joined(pieces)
    assert sheets == ("R",)
    assert patch_content(new, UpdatePlan(None, (), (first,), ())) == (None, ())
    wider = Highlight("R", 2, 100, 0, 11, due_column=9, closed_column=10, soon_days=10)
    newer = _joined(patch_content(new, UpdatePlan(None, (), (wider,), ()))[0])
    assert newer.count(b"<calcext:conditional-format ") == 1 and b"&lt;=10" in newer


def test_formula_cells_are_never_written(tmp_path: Path) -> None:
    from suivi_xlsx.ods.write import formula_cells

    year = b'<table:table-cell table:formula="of:=YEAR([.B3])"/>'

    def with_formula(name: str, data: bytes) -> bytes:
        if name != "content.xml":
            return data
        # The second entry's empty Année cell (A3) becomes a formula with no cached value.
        marker = b"<table:table-row><table:table-cell/>"
        at = data.find(marker, data.find(b"MARTIN") - 400)
        return data[:at] + b"<table:table-row>" + year + data[at + len(marker) :]

    rows = [
        HEADER,
        _row(year=2025, date=dt.date(2025, 3, 5), issuer="A", order_number="25.1601.001"),
        _row(date=dt.date(2025, 4, 2), issuer="MARTIN Paul", origin="FS", subject="x"),
    ]
    book = make_ods(tmp_path / "registre.ods", {"Registre": rows}, change=with_formula)
    assert formula_cells(book, ["Registre"]) == {"Registre": frozenset({(3, 0)})}
    code, out = _update(book)
    assert code == 0, out
    assert "'Registre'!A3 : 2025" not in out
    with zipfile.ZipFile(book) as package:
        assert year in package.read("content.xml")


@pytest.mark.parametrize("top_left", ["A1", "C5"])
def test_verification_finds_each_value_where_it_was_planned(
    tmp_path: Path, top_left: str, libreoffice: LibreOffice
) -> None:
    """The written file is re-read row by row: a planned value is found at its cell whether
    the sheet's data starts at A1 or further down and right, and a value that is not there
    refuses the write."""
    from openpyxl import Workbook

    from suivi_xlsx.errors import RefusedError
    from suivi_xlsx.ods.write import _verify_values

    column = 0 if top_left == "A1" else 2
    first = 1 if top_left == "A1" else 5
    wb = Workbook()
    ws = wb.active
    ws.title = "R"
    ws.cell(first, column + 1, "Numéro d'ordre")
    ws.cell(first + 3, column + 1, "25.1601.004")
    ws.cell(first + 3, column + 2, "x")
    xlsx = tmp_path / "r.xlsx"
    wb.save(xlsx)
    ods = libreoffice.convert(xlsx, "ods", tmp_path / "ods")
    good = CellEdit("R", first + 3, column, "25.1601.004", Column.ORDER_NUMBER)
    _verify_values(ods, UpdatePlan(None, (good,), (), ()))
    for wrong in (
        CellEdit("R", first + 3, column, "25.1601.005", Column.ORDER_NUMBER),
        CellEdit("R", first + 2, column, "25.1601.004", Column.ORDER_NUMBER),
        CellEdit("R", first + 40, column, "25.1601.004", Column.ORDER_NUMBER),
    ):
        with pytest.raises(RefusedError, match="vérification"):
            _verify_values(ods, UpdatePlan(None, (wrong,), (), ()))
