"""Sheets of long texts read in slices (``reading/slices.py``) give exactly what the whole-sheet
read gives: the same register, the same findings, the same update, on registers typed the way
staff type them (title rows, a table starting in column B, totals, notes far below, text
dates, shared and inline strings, an absurd number in a date cell).

The thresholds are lowered so that small fixture workbooks take the sliced route; the memory
it saves on real sizes is measured by ``benchmarks/run.py`` (rows « 20 000 lignes… »).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner

from suivi_xlsx.cli import group
from suivi_xlsx.domain.model import Register
from suivi_xlsx.reading import slices
from suivi_xlsx.reading.reader import load_register
from suivi_xlsx.xlsx import guard

TODAY = "2026-11-25"
HEADER = [
    None,
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


def _long(row: int) -> str:
    return f"Suivi {row} : " + " ".join(["client rappelé, leçon reportée"] * (20 + row % 7))


def _rows(count: int) -> list[list[object]]:
    rows: list[list[object]] = [
        ["Auto-école des Tilleuls — registre des réclamations 2025"],
        [],
        HEADER,
    ]
    for n in range(1, count + 1):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=n * 3)
        rows.append(
            [
                None,
                2025,
                day if n % 5 else day.strftime("%d/%m/%Y"),  # some dates typed as text
                f"CLIENT{n} Marie",
                f"25.1601.{n:03d}" if n % 4 else None,
                ("FS", "QS", "PA")[n % 3],
                f"Objet {n} : " + "leçon annulée " * (n % 11),
                f"J{n}" if n % 2 else None,
                _long(n),
                "Mme Martin",
                day + dt.timedelta(days=60) if n % 3 else None,
                day + dt.timedelta(days=20)
                if n % 4 == 1
                else ("clos le 12/04/2025" if n == 6 else None),
            ]
        )
    rows.append([None, None, None, None, None, None, "Total", None, f"{count} dossiers"])
    rows.extend([[]] * 30)
    rows.append(["Note : registre tenu par l'accueil."])
    return rows


def write_book(path: Path, sheets: dict[str, list[list[object]]], *, inline: bool = False) -> Path:
    """The sheets written by xlsxwriter: texts in the shared-strings table, as Excel saves
    them, or inline (``inline``: its constant-memory mode)."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": inline})
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                if isinstance(value, dt.date):
                    day = dt.datetime(value.year, value.month, value.day)
                    sheet.write_datetime(r, c, day, dates)
                elif value is not None:
                    sheet.write(r, c, value)
    book.close()
    return path


@pytest.fixture()
def register_file(tmp_path: Path) -> Path:
    return write_book(tmp_path / "registre.xlsx", {"Registre": _rows(120)})


@contextmanager
def sliced(
    monkeypatch: pytest.MonkeyPatch, *, big_strings: bool = False, whole_sst: bool = False
) -> Iterator[list[int]]:
    """Every worksheet heavy, slices of a few rows; yields the sizes of the slices parsed."""
    parsed: list[int] = []
    parse_once = slices._parse_once

    def counting(base: dict[str, bytes], part: str, xml: bytes, name: str) -> object:
        parsed.append(len(xml))
        return parse_once(base, part, xml, name)

    with monkeypatch.context() as patch:
        guard._cache.clear()
        patch.setattr(guard, "HEAVY_PART", 0)
        patch.setattr(guard, "HEAVY_ROW", 0)
        if big_strings:
            patch.setattr(guard, "HEAVY_SST", 0)
        patch.setattr(slices, "SLICE_BYTES", 6000)
        patch.setattr(slices, "CHUNK", 1500)
        patch.setattr(slices, "SMALL_SST", 1 << 30 if whole_sst else 0)
        patch.setattr(slices, "_parse_once", counting)
        yield parsed
    guard._cache.clear()


def _same(whole: Register, cut: Register) -> None:
    assert cut.sheets == whole.sheets
    assert cut.settings == whole.settings


@pytest.mark.parametrize(
    ("big_strings", "whole_sst"), [(False, False), (False, True), (True, False)]
)
def test_sliced_read_is_the_whole_read(
    register_file: Path, monkeypatch: pytest.MonkeyPatch, big_strings: bool, whole_sst: bool
) -> None:
    whole = load_register(register_file)
    with sliced(monkeypatch, big_strings=big_strings, whole_sst=whole_sst) as parsed:
        cut = load_register(register_file)
    assert len(parsed) >= 5  # really read in slices
    assert guard.inspect_package(register_file).heavy == ()  # thresholds restored
    _same(whole, cut)
    assert len(whole.sheets[0].entries) == 120


def test_inline_strings_and_a_second_sheet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """xlsxwriter's constant-memory files (inline strings), with a settings sheet and another
    register sheet: each is sliced, the register is the same."""
    path = write_book(
        tmp_path / "en-ligne.xlsx",
        {"Paramètres": [["Agence", "1601"]], "2024": _rows(40), "2025": _rows(70)},
        inline=True,
    )
    whole = load_register(path)
    with sliced(monkeypatch) as parsed:
        cut = load_register(path)
    assert len(parsed) > 10
    _same(whole, cut)
    assert [len(s.entries) for s in cut.sheets] == [40, 70]


def test_absurd_number_in_a_sliced_sheet(
    register_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A date cell holding 1e12 (« ##### » in Excel) makes calamine panic on its slice: the
    slice is read again with the number as text, and only that cell is unreadable."""
    rows = _rows(120)
    rows[49][2] = 1e12  # C50
    write_book(register_file, {"Registre": rows})
    whole = load_register(register_file)
    with sliced(monkeypatch):
        cut = load_register(register_file)
    _same(whole, cut)
    bad = [e for e in cut.sheets[0].entries if e.invalid]
    assert [e.row for e in bad] == [50]


def _check_json(path: Path) -> dict[str, object]:
    result = CliRunner().invoke(
        group, ["controle", str(path), "--today", TODAY, "--format", "json"]
    )
    assert result.exit_code in (0, 1), result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def test_check_and_update_agree(
    register_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The findings, and every byte update writes, are the same by either route."""
    cut_copy = tmp_path / "par-tranches.xlsx"
    shutil.copy(register_file, cut_copy)
    whole_findings = _check_json(register_file)
    with sliced(monkeypatch, big_strings=True) as parsed:
        cut_findings = _check_json(cut_copy)
        update = ["update", str(cut_copy), "--today", TODAY, "--agence", "1601", "--no-backup"]
        cut_update = CliRunner().invoke(group, update)
    assert parsed
    assert cut_findings["findings"] == whole_findings["findings"]
    assert cut_findings["counts"] == whole_findings["counts"]
    whole_update = CliRunner().invoke(
        group, ["update", str(register_file), "--today", TODAY, "--agence", "1601", "--no-backup"]
    )
    assert whole_update.exit_code == cut_update.exit_code == 0, cut_update.output
    assert cut_update.stdout.replace("par-tranches", "registre") == whole_update.stdout
    assert cut_copy.read_bytes() == register_file.read_bytes()


def test_unsliceable_sheet_is_read_whole(
    register_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A part the slicer cannot cut (no recognisable root) is read whole, not refused."""

    def refuse(*_args: object) -> tuple[bytes, object]:
        raise slices.NotSliceable("test")

    whole = load_register(register_file)
    with sliced(monkeypatch) as parsed:
        monkeypatch.setattr(slices, "_read_until", refuse)
        cut = load_register(register_file)
    assert parsed == []
    _same(whole, cut)


def test_heavy_only_for_long_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard's rule: a large part whose rows average HEAVY_ROW bytes is heavy; a large
    part of short rows (a million-row register) is not; a large shared-strings part makes
    every worksheet heavy."""
    sheets = {"Registre": _rows(120), "Autre": [[1, 2, 3]] * 200}
    path = write_book(tmp_path / "r.xlsx", sheets)
    guard._cache.clear()
    with monkeypatch.context() as patch:
        patch.setattr(guard, "HEAVY_PART", 1000)
        patch.setattr(guard, "HEAVY_ROW", 200)  # the register's rows are ~500 bytes
        assert guard.inspect_package(path).heavy == ("xl/worksheets/sheet1.xml",)
        guard._cache.clear()
        patch.setattr(guard, "HEAVY_SST", 1000)
        inspection = guard.inspect_package(path)
        assert inspection.big_strings
        assert set(inspection.heavy) == {"xl/worksheets/sheet1.xml", "xl/worksheets/sheet2.xml"}
    guard._cache.clear()
    assert guard.inspect_package(path).heavy == ()


def _mutants(data: bytes, seed: int, count: int) -> Iterator[bytes]:
    import random

    chance = random.Random(seed)
    for _ in range(count):
        mutant = bytearray(data)
        for _ in range(chance.randint(1, 4)):
            at = chance.randrange(len(mutant))
            how = chance.randrange(3)
            if how == 0:
                mutant[at] = chance.choice(b'<>/"=&0123456789x ')
            elif how == 1:
                del mutant[at : at + chance.randint(1, 40)]
            else:
                mutant[at:at] = chance.choice(
                    [b'<row r="7">', b"</row>", b"</sheetData>", b'<c r="XFD9"><v>1', b"<si>"]
                )
        yield bytes(mutant)


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
def test_damaged_parts_get_french_errors(
    register_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, part: str
) -> None:
    """Damaged sheet or shared-strings XML read in slices: a register or a French refusal
    (``UnreadableFileError``, ``NoRegisterError``), never another exception."""
    import zipfile

    from suivi_xlsx.errors import SuiviError

    with zipfile.ZipFile(register_file) as book:
        members = {info.filename: book.read(info) for info in book.infolist()}
    for n, mutant in enumerate(_mutants(members[part], seed=len(part), count=40)):
        path = tmp_path / f"m{n}.xlsx"
        with zipfile.ZipFile(path, "w") as book:
            for name, data in members.items():
                book.writestr(name, mutant if name == part else data)
        with sliced(monkeypatch, big_strings=True):
            try:
                load_register(path)
            except SuiviError as error:
                assert str(error).strip()
