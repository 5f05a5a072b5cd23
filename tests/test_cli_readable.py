"""Output a person can read before a meeting: grouped findings, a progress line on terminals,
French command and option names (English ones kept), and the order of a command's checks."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from suivi_xlsx import CheckOptions, check_register, load_register, render_text
from suivi_xlsx.cli import group
from suivi_xlsx.domain.findings import CODES, FIXES
from suivi_xlsx.domain.model import Column

from .conftest import REPO
from .workbooks import entry, make_register

TODAY = "2026-11-25"
EXAMPLE = REPO / "examples" / "registre-exemple.xlsx"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(group, list(args))
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def unnumbered(tmp_path: Path) -> Path:
    """Twelve dated complaints typed without a number, and one late survey."""
    rows = [entry(dt.date(2026, 11, day), due=dt.date(2026, 12, 30)) for day in range(2, 14)]
    rows.append(entry(dt.date(2026, 9, 1), origin="QS", number="26.1601.001", due=dt.date(2026, 10, 1)))
    return make_register(tmp_path / "registre.xlsx", rows)


# --- grouped text by default ---


def test_findings_are_grouped_by_code_with_count_first_cells_and_fix(unnumbered: Path) -> None:
    code, out, err = run("check", str(unnumbered), "--today", TODAY)
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert "  numero-manquant (12) : ligne sans numéro d'ordre" in lines
    first = ", ".join(f"Registre!D{row}" for row in range(2, 7))
    assert f"    {first}, … et 7 autres" in lines
    assert "    Correction : « suivi complete » attribue les numéros d'ordre (lignes datées)." in lines
    assert "Registre!D7" not in out  # the sixth is only counted
    # a code found once keeps its message
    assert any(
        line.startswith("  en-retard (1) — Registre!J14 [26.1601.001] : En retard : échéance")
        for line in lines
    )
    # errors, then late entries, then warnings; the summary line last
    assert lines.index("Retards (1)") < lines.index("Avertissements (12)")
    assert lines[-1].startswith("registre.xlsx : 13 entrées lues — 0 erreur, 1 retard,")


def test_detail_prints_every_finding_as_before(unnumbered: Path) -> None:
    _, out, _ = run("check", str(unnumbered), "--today", TODAY, "--detail")
    report = check_register(
        load_register(unnumbered), CheckOptions(today=dt.date.fromisoformat(TODAY))
    )
    assert out == render_text(report) + "\n"
    for row in range(2, 14):
        assert f"Registre!D{row}" in out


def test_json_stays_complete(unnumbered: Path) -> None:
    _, out, _ = run("check", str(unnumbered), "--today", TODAY, "--format", "json")
    codes = [f["code"] for f in json.loads(out)["findings"]]
    assert codes.count("numero-manquant") == 12


def test_a_long_register_fits_on_a_screen(tmp_path: Path) -> None:
    rows = [entry(dt.date(2025, 1 + day % 12, 1 + day % 28)) for day in range(300)]
    path = make_register(tmp_path / "registre.xlsx", rows)
    _, grouped, _ = run("check", str(path), "--today", TODAY)
    _, detail, _ = run("check", str(path), "--today", TODAY, "--detail")
    assert len(detail.splitlines()) > 600
    assert len(grouped.splitlines()) < 40


def test_fixes_name_findings_codes() -> None:
    assert set(FIXES) <= set(CODES)


def test_each_fix_said_makes_its_findings_go_away(tmp_path: Path) -> None:
    """What « Correction : » says is true: running that command leaves none of the code."""
    columns = [*list(Column)[:11]]
    rows = [
        entry(dt.date(2026, 3, 5)),  # numero-manquant, echeance-manquante
        entry("05/03/2026", number="26.1601.001", due=dt.date(2026, 5, 5)),  # date-texte
        entry("7 mars", year=2026, number="26.1601.002", due=dt.date(2026, 5, 7)),  # sans année
        entry(dt.date(2026, 3, 9), origin="Réclamation", number="26.1601.003"),
        entry(dt.date(2026, 3, 10), number="26.1601.4", due=dt.date(2026, 5, 10)),
    ]
    path = make_register(tmp_path / "registre.xlsx", rows, columns=columns)

    def codes() -> set[str]:
        _, out, _ = run("check", str(path), "--today", TODAY, "--format", "json")
        return {f["code"] for f in json.loads(out)["findings"]}

    assert set(FIXES) <= codes()
    _, out, _ = run("check", str(path), "--today", TODAY)
    for fix in FIXES.values():
        assert f"Correction : {fix}." in out
    args = ["complete", str(path), "--date", TODAY, "--convertir-dates", "--corriger-ecritures"]
    assert run(*args)[0] == 0
    assert codes() & set(FIXES) == set()
