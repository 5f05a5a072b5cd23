"""``apply_update``: surgical write-back of a plan into a workbook rich in what openpyxl drops,
and the safety rules (locks, read-only folder, file changed meanwhile, Windows refusals)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import re
import struct
import zipfile
import zlib
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from python_calamine import CalamineWorkbook

from suivi_xlsx.domain.model import HEADERS, SEED_COLUMNS, Column
from suivi_xlsx.domain.plan import CellEdit, Highlight, UpdatePlan
from suivi_xlsx.errors import FileLockedError, NoRegisterError, RefusedError, UnreadableFileError
from suivi_xlsx.xlsx import patch as patch_module
from suivi_xlsx.xlsx import write as write_module
from suivi_xlsx.xlsx.write import apply_update

from .xlsxparts import CORPUS, changed_parts, elements_except, infos, parts, raw_members

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
SHEET = "Registre"
SHEET_PART = "xl/worksheets/sheet1.xml"


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00\x00\x00\xff\x00" * 2)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def rich_workbook(path: Path, vba: Path | None = None) -> Path:
    """A register sheet with everything a user adds: table, validation, x14 data bar,
    sparklines, comment, image, chart, merged cells, frozen header, widths; plus a second
    sheet and a defined name."""
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path))
    if vba is not None:
        wb.add_vba_project(str(vba))
    ws = wb.add_worksheet(SHEET)
    other = wb.add_worksheet("Données")
    day = wb.add_format({"num_format": "dd/mm/yyyy", "border": 1})
    text = wb.add_format({"border": 1})
    headers = [HEADERS[c] for c in SEED_COLUMNS]
    rows = [
        (
            2025,
            dt.datetime(2025, 3, 5),
            "DUPONT Marie",
            "25.1601.001",
            "FS",
            None,
            dt.datetime(2025, 5, 5),
        ),
        (2025, dt.datetime(2025, 3, 9), "MARTIN Paul", None, "QS", None, None),
        (None, dt.datetime(2025, 4, 2), "DURAND Léa", None, "FS", None, None),
        (
            2025,
            dt.datetime(2025, 4, 20),
            "PETIT Jean",
            "25.1601.002",
            "PA",
            dt.datetime(2025, 4, 30),
            dt.datetime(2025, 4, 25),
        ),
    ]
    ws.add_table(
        0,
        0,
        len(rows),
        10,
        {"columns": [{"header": h} for h in headers], "style": "Table Style Medium 2"},
    )
    for r, (year, received, issuer, number, origin, closed, due) in enumerate(rows, start=1):
        if year is not None:
            ws.write_number(r, 0, year, text)
        ws.write_datetime(r, 1, received, day)
        ws.write_string(r, 2, issuer, text)
        if number is not None:
            ws.write_string(r, 3, number, text)
        ws.write_string(r, 4, origin, text)
        ws.write_string(r, 5, "Objet ; « guillemets » & co", text)
        if due is not None:
            ws.write_datetime(r, 9, due, day)
        if closed is not None:
            ws.write_datetime(r, 10, closed, day)
    ws.freeze_panes(1, 0)
    ws.set_column(0, 0, 8)
    ws.set_column(1, 10, 18)
    ws.merge_range("M1:O1", "Notes de l'agence", text)
    ws.data_validation("E2:E200", {"validate": "list", "source": ["FS", "QS", "PA"]})
    ws.data_validation(
        "B2:B200", {"validate": "date", "criteria": ">", "value": dt.date(2000, 1, 1)}
    )
    ws.conditional_format("M2:M20", {"type": "data_bar", "data_bar_2010": True})
    ws.conditional_format(
        "A2:A200",
        {"type": "cell", "criteria": ">", "value": 2030, "format": wb.add_format({"bold": True})},
    )
    ws.write_row("M2", [1, 3, 2])
    ws.add_sparkline("P2", {"range": f"{SHEET}!M2:O2"})
    ws.write_comment("C2", "Client rappelé le 06/03")
    ws.insert_image("Q4", "logo.png", {"image_data": io.BytesIO(tiny_png())})
    chart = wb.add_chart({"type": "column"})
    chart.add_series({"values": f"={SHEET}!$M$2:$O$2"})
    ws.insert_chart("Q8", chart)
    other.write_row(0, 0, ["Indicateur", "Valeur"])
    other.write_row(1, 0, ["Réclamations", 4])
    wb.define_name("Agence", "=1601")
    wb.set_properties({"created": dt.datetime(2025, 1, 1)})
    wb.close()
    return path


EDITS = (
    CellEdit(SHEET, 3, 3, "25.1601.003", Column.ORDER_NUMBER),
    CellEdit(SHEET, 4, 0, 2025, Column.YEAR),
    CellEdit(SHEET, 4, 3, "25.1601.004", Column.ORDER_NUMBER),
    CellEdit(SHEET, 4, 9, dt.date(2025, 6, 2), Column.DUE_DATE),
)
HIGHLIGHT = Highlight(
    SHEET,
    first_row=2,
    last_row=205,
    first_column=0,
    last_column=10,
    due_column=9,
    closed_column=10,
    soon_days=7,
)


def plan(
    edits: tuple[CellEdit, ...] = EDITS, highlights: tuple[Highlight, ...] = (HIGHLIGHT,)
) -> UpdatePlan:
    return UpdatePlan(path=None, edits=edits, highlights=highlights, skipped=())


def cell_map(xml: bytes) -> dict[str, tuple[str | None, str | None, str]]:
    root = ET.fromstring(xml)
    return {
        c.get("r") or "": (c.get("s"), c.get("t"), "".join(c.itertext()))
        for c in root.iter(f"{MAIN}c")
    }


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("~suivi-"))


@pytest.fixture()
def rich(tmp_path: Path) -> Path:
    return rich_workbook(tmp_path / "registre.xlsx")


def test_only_the_planned_cells_and_rules_change(rich: Path) -> None:
    before, raw_before, info_before = parts(rich), raw_members(rich), infos(rich)
    result = apply_update(rich, plan(), backup=False)
    assert (result.written, result.backup, result.highlighted_sheets) == (True, None, (SHEET,))
    after, raw_after = parts(rich), raw_members(rich)

    assert changed_parts(before, after) == {SHEET_PART, "xl/styles.xml"}
    assert infos(rich) == info_before
    for name in set(before) - {SHEET_PART, "xl/styles.xml"}:
        assert raw_after[name] == raw_before[name], name  # copied, not recompressed

    # Inside the sheet: every other element keeps its exact text…
    skip = ("sheetData", "conditionalFormatting")
    assert elements_except(after[SHEET_PART], *skip) == elements_except(before[SHEET_PART], *skip)
    names = [n for n, _ in elements_except(after[SHEET_PART])]
    for name in (
        "sheetViews",
        "cols",
        "mergeCells",
        "dataValidations",
        "tableParts",
        "extLst",
        "legacyDrawing",
        "drawing",
    ):
        assert name in names
    # …the user's rule stays first, ours follows it once.
    cf = [t for n, t in elements_except(after[SHEET_PART]) if n == "conditionalFormatting"]
    old_cf = [t for n, t in elements_except(before[SHEET_PART]) if n == "conditionalFormatting"]
    assert cf[: len(old_cf)] == old_cf and len(cf) == len(old_cf) + 1
    # …and only the planned cells differ.
    old_cells, new_cells = cell_map(before[SHEET_PART]), cell_map(after[SHEET_PART])
    assert {r for r in new_cells if new_cells[r] != old_cells.get(r)} == {"D3", "A4", "D4", "J4"}
    assert new_cells["D3"][1:] == ("inlineStr", "25.1601.003")
    assert new_cells["J4"][0] == old_cells["J2"][0]  # the neighbour's date style
    assert new_cells["A4"][0] == old_cells["A3"][0]

    rows = CalamineWorkbook.from_path(str(rich)).get_sheet_by_name(SHEET).to_python()
    assert [rows[r][c] for r, c in ((2, 3), (3, 0), (3, 3), (3, 9))] == [
        "25.1601.003",
        2025,
        "25.1601.004",
        dt.date(2025, 6, 2),
    ]


def test_reader_sees_the_new_values(rich: Path) -> None:
    from suivi_xlsx.reading.reader import load_register

    apply_update(rich, plan(), backup=False)
    register = load_register(rich)
    got = [(e.row, e.order_text, e.year, e.due_on) for e in register.sheet(SHEET).entries]
    assert got[1:3] == [
        (3, "25.1601.003", 2025, None),
        (4, "25.1601.004", 2025, dt.date(2025, 6, 2)),
    ]


def test_second_run_is_a_no_op(rich: Path) -> None:
    apply_update(rich, plan(), backup=False)
    data, mtime = rich.read_bytes(), rich.stat().st_mtime_ns
    result = apply_update(rich, plan(edits=()))
    assert (result.written, result.backup, result.highlighted_sheets) == (False, None, ())
    assert (rich.read_bytes(), rich.stat().st_mtime_ns) == (data, mtime)
    assert sorted(p.name for p in rich.parent.iterdir()) == ["registre.xlsx"]


def test_backup_beside_the_original(rich: Path) -> None:
    original = rich.read_bytes()
    result = apply_update(rich, plan())
    assert result.backup is not None and result.backup.read_bytes() == original
    assert re.fullmatch(r"registre\.sauvegarde-\d{8}-\d{6}\.xlsx", result.backup.name)
    assert leftovers(rich.parent) == []


def test_xlsm_keeps_its_macros(tmp_path: Path) -> None:
    source = CORPUS / "poi-57181.xlsm"
    if not source.exists():
        pytest.skip("corpus absent")
    vba = tmp_path / "vbaProject.bin"
    with zipfile.ZipFile(source) as zf:
        vba.write_bytes(zf.read("xl/vbaProject.bin"))
    book = rich_workbook(tmp_path / "registre.xlsm", vba=vba)
    before = parts(book)
    apply_update(book, plan(), backup=False)
    after = parts(book)
    assert changed_parts(before, after) == {SHEET_PART, "xl/styles.xml"}
    assert after["xl/vbaProject.bin"] == vba.read_bytes()
    assert b"macroEnabled" in after["[Content_Types].xml"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["registre.xlsm", "vbaProject.bin"]


@pytest.mark.parametrize(
    "lock",
    ["~$registre.xlsx", "~$gistre.xlsx", ".~lock.registre.xlsx#"],
    ids=["excel", "excel-long-name", "libreoffice"],
)
def test_open_workbook_is_refused(rich: Path, lock: str) -> None:
    (rich.parent / lock).write_bytes(b"owner")
    data = rich.read_bytes()
    with pytest.raises(FileLockedError) as info:
        apply_update(rich, plan())
    assert (info.value.exit_code, rich.read_bytes(), leftovers(rich.parent)) == (1, data, [])
    assert lock in info.value.message


def test_excel_lock_message(rich: Path) -> None:
    (rich.parent / "~$registre.xlsx").write_bytes(b"owner")
    with pytest.raises(FileLockedError) as info:
        apply_update(rich, plan())
    assert info.value.message == (
        "Le classeur registre.xlsx est ouvert dans Excel (fichier ~$registre.xlsx à côté) : "
        "fermez le fichier dans Excel puis relancez la commande. Si Excel est déjà fermé, "
        "supprimez le fichier ~$registre.xlsx."
    )


def test_read_only_folder_is_refused(rich: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = rich.read_bytes()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, mode: False if Path(p) == rich.parent else real_access(p, mode)
    )
    with pytest.raises(RefusedError) as info:
        apply_update(rich, plan())
    assert (type(info.value), rich.read_bytes(), leftovers(rich.parent)) == (RefusedError, data, [])
    assert info.value.message.startswith(f"Le dossier {rich.parent} est en lecture seule")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root ignores permissions")
def test_read_only_folder_for_real(rich: Path) -> None:
    rich.parent.chmod(0o555)
    try:
        with pytest.raises(RefusedError):
            apply_update(rich, plan())
    finally:
        rich.parent.chmod(0o755)


def test_temp_file_refused_by_the_system(rich: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError("denied")

    monkeypatch.setattr(write_module.tempfile, "mkstemp", refuse)
    with pytest.raises(RefusedError) as info:
        apply_update(rich, plan())
    assert "lecture seule" in info.value.message


def test_file_changed_since_it_was_read(rich: Path) -> None:
    data = rich.read_bytes()
    with pytest.raises(RefusedError) as info:
        apply_update(rich, plan(), expected_mtime_ns=rich.stat().st_mtime_ns - 1)
    assert (rich.read_bytes(), leftovers(rich.parent)) == (data, [])
    assert info.value.message == (
        "Le classeur registre.xlsx a été modifié pendant la mise à jour : rien n'a été écrit. "
        "Enregistrez et fermez-le, puis relancez la commande."
    )


def test_file_changed_during_the_run(rich: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_verify = write_module._verify

    def verify_then_user_saves(*args: object, **kwargs: object) -> None:
        real_verify(*args, **kwargs)  # type: ignore[arg-type]
        rich.write_bytes(rich.read_bytes() + b"saved by the user")

    monkeypatch.setattr(write_module, "_verify", verify_then_user_saves)
    with pytest.raises(RefusedError):
        apply_update(rich, plan())
    assert rich.read_bytes().endswith(b"saved by the user")  # the user's version is kept
    assert sorted(p.name for p in rich.parent.iterdir()) == ["registre.xlsx"]


def test_windows_refusing_the_replace(rich: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = rich.read_bytes()

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Accès refusé")

    monkeypatch.setattr(write_module.os, "replace", refuse)
    with pytest.raises(FileLockedError) as info:
        apply_update(rich, plan())
    assert rich.read_bytes() == data
    assert sorted(p.name for p in rich.parent.iterdir()) == ["registre.xlsx"]
    assert info.value.message == (
        "Impossible de remplacer registre.xlsx : le fichier est utilisé par un autre programme. "
        "Fermez le fichier dans Excel (ou LibreOffice) puis relancez la commande ; "
        "il n'a pas été modifié."
    )


def test_windows_refusing_the_backup(rich: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = rich.read_bytes()

    def refuse(src: object, dst: object) -> None:
        raise PermissionError(13, "Accès refusé")

    monkeypatch.setattr(write_module.shutil, "copy2", refuse)
    with pytest.raises(FileLockedError):
        apply_update(rich, plan())
    assert rich.read_bytes() == data
    assert sorted(p.name for p in rich.parent.iterdir()) == ["registre.xlsx"]


def test_failed_verification_leaves_everything(rich: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = rich.read_bytes()
    real_cell = patch_module._value_cell

    def wrong_value(prefix: str, edit: CellEdit, style: int | None, date1904: bool) -> bytes:
        # A bug of ours writing another value than planned: the verification must catch it.
        return real_cell(prefix, dataclasses.replace(edit, value="autre chose"), style, date1904)

    monkeypatch.setattr(patch_module, "_value_cell", wrong_value)
    with pytest.raises(RefusedError) as info:
        apply_update(rich, plan())
    assert "cellule D3" in info.value.message
    assert rich.read_bytes() == data
    assert sorted(p.name for p in rich.parent.iterdir()) == ["registre.xlsx"]


def test_cell_no_longer_empty_is_refused(rich: Path) -> None:
    data = rich.read_bytes()
    with pytest.raises(RefusedError):
        apply_update(rich, plan(edits=(CellEdit(SHEET, 2, 3, "25.1601.009", Column.ORDER_NUMBER),)))
    assert rich.read_bytes() == data


def test_missing_file_and_missing_sheet(tmp_path: Path, rich: Path) -> None:
    with pytest.raises(UnreadableFileError):
        apply_update(tmp_path / "absent.xlsx", plan())
    with pytest.raises(NoRegisterError):
        apply_update(rich, plan(edits=(CellEdit("2024", 2, 3, "x", Column.ORDER_NUMBER),)))
    not_zip = tmp_path / "faux.xlsx"
    not_zip.write_text("Année;Date\n", encoding="utf-8")
    with pytest.raises(UnreadableFileError):
        apply_update(not_zip, plan())
