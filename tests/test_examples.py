"""The example register and the API example script stay in step with the code."""

from __future__ import annotations

import datetime as dt
import json
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from suivi_xlsx import CheckOptions, check_register, load_register
from suivi_xlsx.domain.model import Column

from .conftest import REPO
from .xlsxparts import zip_parts

EXAMPLES = REPO / "examples"
EXAMPLE = EXAMPLES / "registre-exemple.xlsx"
TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="module")
def maker() -> dict[str, Any]:
    return runpy.run_path(str(EXAMPLES / "make_example.py"))


def test_committed_example_is_a_fresh_build(maker: dict[str, Any], tmp_path: Path) -> None:
    fresh = maker["build_example"]()
    stale = "examples/registre-exemple.xlsx is stale: run `python examples/make_example.py`"
    assert zip_parts(EXAMPLE.read_bytes()) == zip_parts(fresh), stale
    target = tmp_path / "copie.xlsx"
    assert maker["main"]([str(target)]) == 0
    assert target.read_bytes() == EXAMPLE.read_bytes()


def test_example_has_a_few_dozen_rows_over_two_years() -> None:
    register = load_register(EXAMPLE)
    assert [(s.name, s.header_row, len(s.entries)) for s in register.sheets] == [
        ("2025", 4, 24),
        ("2026", 3, 25),
    ]
    assert 40 <= len(register.entries) <= 60
    years = {e.received_on.year for e in register.entries if e.received_on is not None}
    assert years == {2025, 2026}
    # The 2026 sheet has the regulatory columns, under short headers.
    assert set(register.sheet("2026").columns) - set(register.sheet("2025").columns) == {
        Column.ACK_DATE,
        Column.ANSWER_DATE,
        Column.DECISION,
        Column.REDRESS,
        Column.CORRECTIVE_ACTIONS,
        Column.ANSWER,
        Column.ADDRESS,
        Column.POSTCODE,
        Column.TOWN,
    }


def test_dates_typed_as_text_are_read() -> None:
    register = load_register(EXAMPLE)
    by_row = {e.row: e for e in register.sheet("2025").entries}
    assert by_row[10].received_on == dt.date(2025, 3, 5)
    assert by_row[10].closed_on == dt.date(2025, 3, 14)
    assert by_row[11].received_on == dt.date(2025, 3, 12)


def test_example_yields_the_intended_findings() -> None:
    report = check_register(load_register(EXAMPLE), CheckOptions(today=TODAY))
    assert [(f.code, f.sheet, f.cell) for f in report.findings] == [
        ("date-texte", "2025", "B10"),  # dates typed as text
        ("date-texte", "2025", "K10"),
        ("date-texte", "2025", "B11"),
        ("dates-incoherentes", "2025", "K13"),  # closed 02/04 for 02/05
        ("date-texte", "2025", "B15"),
        ("origine-a-corriger", "2025", "E16"),  # « Réclamation »: checked as FS
        ("cloture-tardive", "2025", "K20"),
        ("reponse-tardive", "2025", "K20"),  # answered when closed, after 2 months
        ("numero-duplique", "2025", "D23"),  # 25.1601.018 typed twice
        ("en-retard", "2025", "J28"),  # a survey answer left open since 2025
        ("voies-de-recours-manquantes", "2026", "O12"),  # total rejection
        ("en-retard", "2026", "J16"),  # improvement plan due 30/09/2026
        ("client-sans-nouvelles", "2026", "H19"),  # last news on 15/09/2026
        ("en-retard", "2026", "J19"),  # complaint of 28/08/2026, never answered
        ("reponse-en-retard", "2026", "M19"),
        ("echeance-proche", "2026", "J24"),  # due 27/11/2026
        ("accuse-reception-en-retard", "2026", "L25"),  # received 05/11/2026, no AR
        ("numero-manquant", "2026", "D28"),  # just typed in
        ("echeance-manquante", "2026", "J28"),
    ]
    assert report.counts == {"erreur": 3, "retard": 5, "avertissement": 11}
    assert report.exit_status == 1


def test_update_preview_fills_the_new_row() -> None:
    update = pytest.importorskip("suivi_xlsx.domain.update")
    plan = update.plan_update(load_register(EXAMPLE), today=TODAY)
    assert [(e.sheet, e.cell, e.value) for e in plan.edits] == [
        ("2026", "A27", 2026),
        ("2026", "A28", 2026),
        ("2026", "D28", "26.1601.025"),
        ("2026", "J28", dt.date(2027, 1, 20)),
    ]


def test_readme_command_on_the_example() -> None:
    from suivi_xlsx.cli import group

    result = CliRunner().invoke(
        group, ["check", str(EXAMPLE), "--today", "2026-11-25", "--format", "json"]
    )
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert (data["entries"], len(data["findings"])) == (49, 19)


def test_api_example_script_runs() -> None:
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "exemple_api.py")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        cwd=EXAMPLES.parent.parent,  # not the repo: the script finds its example itself
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "49 fiches contrôlées au 25/11/2026" in out
    assert "2026!O12 voies-de-recours-manquantes" in out
    assert "'2026'!D28 : 26.1601.025" in out
    assert "Bilan 2026 : 25 fiches (FS 13, QS 8, PA 4)" in out


def test_api_example_script_reports_a_bad_file_in_french(tmp_path: Path) -> None:
    bad = tmp_path / "registre.xlsx"
    bad.write_text("Année;Date\n2025;05/03/2025\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / "exemple_api.py"), str(bad)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("Erreur : ")
    assert "Traceback" not in result.stderr


def test_readme_shows_exactly_what_the_first_command_prints() -> None:
    """The README's sample output is the example command's output, character for character."""
    from suivi_xlsx.cli import group

    readme = (EXAMPLES.parent / "README.md").read_text(encoding="utf-8")
    command = readme.split("```bash\n", 1)[1].split("\n", 1)[0]
    assert command.endswith("suivi-check examples/registre-exemple.xlsx --date 2026-11-25")
    result = CliRunner().invoke(group, ["controle", str(EXAMPLE), "--date", "2026-11-25"])
    assert result.exit_code == 1  # on purpose: the example holds mistakes
    printed = result.stdout.replace(str(EXAMPLE.name), "registre-exemple.xlsx")
    assert f"```text\n{printed}```" in readme
