"""``suivi update`` end to end on workbooks built in the test: what it writes, what it refuses,
and that the user's file is never lost."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from suivi_xlsx.cli import group
from suivi_xlsx.domain.model import Column

from .conftest import LibreOffice
from .workbooks import entry, make_register, register_rows

D = dt.date
TODAY = "2025-06-01"


def run_update(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(group, ["update", *args])
    # Never a traceback: only SystemExit may escape the command.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def folder(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir())


@pytest.fixture()
def workbook(tmp_path: Path) -> Path:
    rows = [
        entry(D(2025, 1, 10), number="25.1601.001", due=D(2025, 3, 10)),
        {**entry(D(2025, 3, 5)), Column.YEAR: None},  # FS: number, Année and échéance to fill
        entry(D(2025, 2, 1), origin="QS", due=D(2025, 3, 1)),  # numbered before row 3
        entry(None, origin="PA"),  # no Date: left as it is
    ]
    return make_register(tmp_path / "registre.xlsx", rows)


def read_back(path: Path) -> list[tuple[object, ...]]:
    from suivi_xlsx.reading.reader import load_register

    register = load_register(path)
    return [
        (e.sheet, e.row, e.year, e.order_text, e.due_on)
        for e in register.entries
        if e.received_on is not None
    ]


# --- what it writes ----------------------------------------------------------------------


def test_update_numbers_completes_and_keeps_a_backup(workbook: Path) -> None:
    original = workbook.read_bytes()
    code, out, err = run_update(str(workbook), "--today", TODAY)
    assert (code, err) == (0, "")
    assert read_back(workbook) == [
        ("Registre", 2, 2025, "25.1601.001", D(2025, 3, 10)),
        ("Registre", 3, 2025, "25.1601.003", D(2025, 5, 5)),
        ("Registre", 4, 2025, "25.1601.002", D(2025, 3, 1)),
    ]
    backups = [name for name in folder(workbook) if name != workbook.name]
    assert len(backups) == 1
    assert (workbook.parent / backups[0]).read_bytes() == original
    assert "  Registre!A3 : 2025 (Année)" in out.splitlines()
    assert "« Registre », ligne 5" in out


def test_update_report_lines(workbook: Path) -> None:
    code, out, _ = run_update(str(workbook), "--today", TODAY)
    lines = out.splitlines()
    assert (code, lines[0]) == (0, "registre.xlsx :")
    assert (
        "Au 01/06/2025 : 3 dossiers en retard (rouge), 0 échéance proche (orange), "
        "0 dossier clôturé après l'échéance (jaune)."
    ) in lines
    assert lines[-1].startswith("Copie de l'original : ")
    assert lines[-2] == f"Classeur enregistré : {workbook}."


def test_second_run_is_a_no_op(workbook: Path) -> None:
    assert run_update(str(workbook), "--today", TODAY, "--no-backup")[0] == 0
    before = snapshot(workbook)
    code, out, _ = run_update(str(workbook), "--today", "2025-12-01", "--no-backup")
    assert (code, snapshot(workbook)) == (0, before)
    assert out.splitlines()[-1] == "Rien à changer, fichier non modifié."
    assert folder(workbook) == ["registre.xlsx"]


def test_dry_run_writes_nothing(workbook: Path) -> None:
    before = snapshot(workbook)
    code, out, _ = run_update(str(workbook), "--today", TODAY, "--dry-run")
    assert (code, snapshot(workbook), folder(workbook)) == (0, before, ["registre.xlsx"])
    assert "  Registre!D3 : 25.1601.003 (Numéro d'ordre)" in out.splitlines()
    assert out.splitlines()[-1] == "Simulation : rien n'a été écrit."


def test_no_backup(workbook: Path) -> None:
    assert run_update(str(workbook), "--no-backup")[0] == 0
    assert folder(workbook) == ["registre.xlsx"]


def test_numbering_across_year_sheets_with_agence_option(tmp_path: Path) -> None:
    path = make_register(
        tmp_path / "registre.xlsx",
        [entry(D(2024, 12, 1), number="24.1601.009"), entry(D(2025, 1, 3))],
        sheet="2024",
        more_sheets={
            "2025": register_rows(
                [entry(D(2025, 1, 2)), entry(D(2025, 1, 1), number="25.2202.004")]
            )
        },
    )
    assert run_update(str(path), "--agence", "2202", "--no-backup")[0] == 0
    assert read_back(path) == [
        ("2024", 2, 2024, "24.1601.009", D(2025, 2, 1)),
        ("2024", 3, 2025, "25.2202.006", D(2025, 3, 3)),
        ("2025", 2, 2025, "25.2202.005", D(2025, 3, 2)),
        ("2025", 3, 2025, "25.2202.004", D(2025, 3, 1)),
    ]


def test_sheet_option_edits_only_that_sheet_but_numbers_after_all(tmp_path: Path) -> None:
    path = make_register(
        tmp_path / "registre.xlsx",
        [entry(D(2025, 1, 1), number="25.1601.007"), entry(D(2025, 1, 5))],
        sheet="Janvier",
        more_sheets={"Février": register_rows([entry(D(2025, 2, 1), due=D(2025, 4, 1))])},
    )
    code, out, _ = run_update(str(path), "--sheet", "Février", "--dry-run")
    assert code == 0
    assert [line for line in out.splitlines() if line.startswith("  ")] == [
        "  Février!D2 : 25.1601.008 (Numéro d'ordre)"
    ]


def test_sheet_option_matches_like_the_reader(tmp_path: Path) -> None:
    path = make_register(tmp_path / "registre.xlsx", [entry(D(2025, 1, 5))], sheet="Registre")
    code, out, _ = run_update(str(path), "--sheet", " registre", "--agence", "1601", "--dry-run")
    assert code == 0
    assert "  Registre!D2 : 25.1601.001 (Numéro d'ordre)" in out.splitlines()


# --- what it refuses ---------------------------------------------------------------------


@pytest.mark.parametrize("lock", ["~$registre.xlsx", ".~lock.registre.xlsx#"])
def test_open_in_excel_or_libreoffice_is_refused(workbook: Path, lock: str) -> None:
    (workbook.parent / lock).write_text("verrou")
    before = snapshot(workbook)
    code, out, err = run_update(str(workbook))
    assert (code, out, snapshot(workbook)) == (1, "", before)
    assert sorted(folder(workbook)) == sorted(["registre.xlsx", lock])
    assert err.startswith("Erreur : ")


def test_no_agency_is_refused_asking_for_agence(tmp_path: Path) -> None:
    path = make_register(tmp_path / "registre.xlsx", [entry(D(2025, 1, 3))])
    before = snapshot(path)
    code, out, err = run_update(str(path))
    assert (code, snapshot(path), out) == (1, before, "")
    assert "--agence" in err


def test_invalid_agence_is_refused(workbook: Path) -> None:
    before = snapshot(workbook)
    code, _, err = run_update(str(workbook), "--agence", "16A1", "--dry-run")
    assert (code, snapshot(workbook)) == (1, before)
    assert "« 16A1 »" in err


def test_file_changed_during_the_run_is_refused(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import suivi_xlsx as planner  # the CLI calls the public API

    real_plan = planner.plan_update
    changed = b""

    def plan_then_someone_saves(*args: object, **kwargs: object) -> object:
        nonlocal changed
        plan = real_plan(*args, **kwargs)  # type: ignore[arg-type]
        stat = workbook.stat()
        os.utime(workbook, ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
        changed = workbook.read_bytes()
        return plan

    monkeypatch.setattr(planner, "plan_update", plan_then_someone_saves)
    code, _, err = run_update(str(workbook))
    assert (code, workbook.read_bytes(), folder(workbook)) == (1, changed, ["registre.xlsx"])
    assert err.startswith("Erreur : ")


def test_replace_refused_by_windows_keeps_everything(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Excel on Windows holds the open file: os.replace raises PermissionError.
    def refused(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied", str(dst))

    before = workbook.read_bytes()
    monkeypatch.setattr(os, "replace", refused)
    code, _, err = run_update(str(workbook), "--no-backup")
    assert (code, workbook.read_bytes(), folder(workbook)) == (1, before, ["registre.xlsx"])
    assert "fermez le fichier dans excel" in err.lower()


# --- unreadable input --------------------------------------------------------------------


def test_missing_file(tmp_path: Path) -> None:
    code, out, err = run_update(str(tmp_path / "absent.xlsx"))
    assert (code, out) == (2, "")
    assert err == (
        f"Erreur : fichier introuvable : « {tmp_path / 'absent.xlsx'} ». "
        "Vérifiez le chemin et le nom du fichier.\n"
    )


def test_folder_instead_of_file(tmp_path: Path) -> None:
    code, _, err = run_update(str(tmp_path))
    assert code == 2
    assert err.startswith(f"Erreur : « {tmp_path} » est un dossier, pas un fichier")


def test_not_a_workbook_is_unreadable_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "registre.xlsx"
    path.write_text("Année;Date;Emetteur\n2025;05/03/2025;DUPONT\n", encoding="utf-8")
    before = snapshot(path)
    code, _, err = run_update(str(path))
    assert (code, snapshot(path), folder(path)) == (2, before, ["registre.xlsx"])
    assert err.startswith("Erreur : ")


def test_unknown_sheet_is_unreadable(workbook: Path) -> None:
    before = snapshot(workbook)
    code, _, err = run_update(str(workbook), "--sheet", "Inconnue")
    assert (code, snapshot(workbook)) == (2, before)
    assert "Inconnue" in err


def test_bad_today_is_a_usage_error(workbook: Path) -> None:
    code, _, err = run_update(str(workbook), "--today", "demain")
    assert code == 2
    assert "« demain » n'est pas une date" in err


# --- help --------------------------------------------------------------------------------


def test_help_is_french_with_an_example() -> None:
    code, out, _ = run_update("--help")
    assert code == 0
    for text in ("Utilisation :", "--agence NNNN", "--dry-run", "--no-backup", "Exemple :"):
        assert text in out
    assert "    suivi complete registre.xlsx --agence 1601" in out.splitlines()


def test_columns_without_due_date_still_numbered(tmp_path: Path) -> None:
    columns = [Column.YEAR, Column.DATE, Column.ISSUER, Column.ORDER_NUMBER, Column.ORIGIN]
    path = make_register(
        tmp_path / "registre.xlsx",
        [entry(D(2025, 4, 1), number="25.1601.010"), entry(D(2025, 4, 2))],
        columns=columns,
    )
    code, out, _ = run_update(str(path), "--dry-run")
    assert code == 0
    assert [line for line in out.splitlines() if line.startswith("  ")] == [
        "  Registre!D3 : 25.1601.011 (Numéro d'ordre)"
    ]


def test_command_module_imports_nothing_heavy() -> None:
    import subprocess
    import sys

    code = (
        "import sys, suivi_xlsx.cli.update; "
        "print(sorted(m for m in ('openpyxl', 'xlsxwriter', 'pandas', 'python_calamine', "
        "'suivi_xlsx.reading.reader', 'suivi_xlsx.xlsx.write') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_libreoffice_reads_the_updated_workbook(workbook: Path, libreoffice: LibreOffice) -> None:
    import csv

    assert run_update(str(workbook), "--today", TODAY, "--no-backup")[0] == 0
    out = workbook.parent / "csv"
    libreoffice.convert(
        workbook,
        "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
        out,
    )
    with open(out / "registre-Registre.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert [(row[0], row[3]) for row in rows[1:5]] == [
        ("2025", "25.1601.001"),
        ("2025", "25.1601.003"),
        ("2025", "25.1601.002"),
        ("", ""),
    ]
    assert rows[2][9] == "05/05/2025"  # a date shown as a date, not a serial number
