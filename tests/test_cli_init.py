"""``suivi init FICHIER --agence NNNN`` end to end."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from suivi_xlsx.cli import group
from suivi_xlsx.outputs.template import build_template


def run_init(*args: str) -> Result:
    result = CliRunner().invoke(group, ["init", *args], prog_name="suivi")
    # Never a traceback: the only exception allowed out is click's SystemExit.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def test_creates_the_register_with_the_agency(tmp_path: Path) -> None:
    target = tmp_path / "registre.xlsx"
    result = run_init(str(target), "--agence", "1601")
    assert result.exit_code == 0, result.output
    assert target.read_bytes() == build_template("1601")
    assert result.stdout.splitlines()[0] == f"Registre créé : {target} (agence 1601)."
    assert f"suivi-check {target}" in result.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["registre.xlsx"]


def test_refuses_to_overwrite_exit_1(tmp_path: Path) -> None:
    target = tmp_path / "registre.xlsx"
    target.write_bytes(b"le registre de l'an dernier")
    result = run_init(str(target), "--agence", "1601")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Erreur : « {target} » existe déjà : il n'a pas été modifié. Choisissez un autre nom "
        "ou supprimez d'abord ce fichier.\n"
    )
    assert result.stdout == ""
    assert target.read_bytes() == b"le registre de l'an dernier"


def test_bad_agency_is_a_french_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "registre.xlsx"
    result = run_init(str(target), "--agence", "16A1")
    assert result.exit_code == 2
    assert "« 16A1 » n'est pas un numéro d'agence" in result.stderr
    assert "--agence 1601" in result.stderr
    assert not target.exists()


def test_agency_is_required(tmp_path: Path) -> None:
    target = tmp_path / "registre.xlsx"
    result = run_init(str(target))
    assert result.exit_code == 2
    assert "Option manquante" in result.stderr
    assert not target.exists()


@pytest.mark.parametrize("name", ["registre.xls", "absent/registre.xlsx", "."])
def test_bad_targets_exit_2(tmp_path: Path, name: str) -> None:
    result = run_init(str(tmp_path / name), "--agence", "1601")
    assert result.exit_code == 2
    assert result.stderr.startswith("Erreur : ")
    assert list(tmp_path.iterdir()) == []


def test_help_is_french_with_an_example() -> None:
    result = run_init("--help")
    assert result.exit_code == 0
    assert "Utilisation : suivi init [OPTIONS] FICHIER" in result.stdout
    assert "Exemple :\n    suivi init registre-2026.xlsx --agence 1601" in result.stdout
    assert "[obligatoire]" in result.stdout


def test_init_is_listed_in_the_group_help() -> None:
    result = CliRunner().invoke(group, ["--help"])
    assert result.exit_code == 0
    assert "init" in result.stdout


def test_command_module_imports_no_heavy_library() -> None:
    code = (
        "import sys, suivi_xlsx.cli.init; "
        "print(sorted(m for m in ('xlsxwriter', 'openpyxl', 'pandas') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_new_register_passes_suivi_check(tmp_path: Path) -> None:
    pytest.importorskip("suivi_xlsx.reading.reader")
    pytest.importorskip("suivi_xlsx.cli.check")
    target = tmp_path / "registre.xlsx"
    assert run_init(str(target), "--agence", "1601").exit_code == 0
    result = CliRunner().invoke(group, ["check", str(target), "--today", "2026-11-25"])
    assert result.exit_code == 0, result.output
