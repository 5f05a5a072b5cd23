"""Every command on the example register, as a newcomer runs them from the README, on a copy:
check, complete, bilan, relances (workbook and calendar), courrier (acknowledgements to send,
an answer with the mediator) and modeles."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from suivi_xlsx.cli import group

from .conftest import REPO

EXAMPLE = REPO / "examples" / "registre-exemple.xlsx"
DATE = "2026-11-25"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(group, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.stderr
    return result.exit_code, result.stdout, result.stderr


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode("utf-8")


@pytest.fixture()
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copyfile(EXAMPLE, tmp_path / "registre-exemple.xlsx")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_every_command_runs_on_the_example(folder: Path) -> None:
    register = "registre-exemple.xlsx"
    code, out, _ = run("controle", register, "--date", DATE)
    assert code == 1 and "49 entrées lues" in out  # the example's mistakes, on purpose

    code, out, err = run("complete", register, "--date", DATE)
    assert (code, err) == (0, "") and "Classeur enregistré" in out

    code, out, err = run("bilan", register, "--annee", "2026", "--date", DATE)
    assert (code, err) == (0, "") and (folder / "bilan-2026.xlsx").is_file()

    code, out, err = run(
        "relances", register, "--date", DATE, "-o", "relances.xlsx", "--ics", "relances.ics"
    )
    assert (code, err) == (0, "")
    assert (folder / "relances.xlsx").is_file() and (folder / "relances.ics").is_file()

    # Acknowledgements: COLIN Margaux (late: the command says so) and ROCHE Enzo (numbered by
    # complete just above; no address in the register: the command says so).
    code, out, err = run("courrier", register, "--a-envoyer", "--date", DATE, "--dossier", "c")
    assert (code, err) == (0, "")
    assert sorted(p.name for p in (folder / "c").iterdir()) == [
        "courrier-accuse-reception-26.1601.022.docx",
        "courrier-accuse-reception-26.1601.025.docx",
    ]
    colin, roche = out.split("  Écrit : ")[1:]
    assert "accusé de réception envoyé en retard" in colin and "adresse" not in colin
    assert "adresse du client absente" in roche
    assert "Cran-Gevrier".upper() in docx_text(
        folder / "c" / "courrier-accuse-reception-26.1601.022.docx"
    )

    # Answers to the two rejections carry the mediator of the Paramètres sheet.
    for number in ("26.1601.009", "26.1601.020"):
        code, out, err = run("courrier", register, number, "--type", "reponse", "--date", DATE)
        assert (code, err) == (0, "") and "voies de recours (médiateur) incluses" in out
        text = docx_text(folder / f"courrier-reponse-{number}.docx")
        assert (
            "CNPM Médiation Consommation" in text and "www.cnpm-mediation-consommation.eu" in text
        )
        assert "Sophie Martin, gérante" in text

    code, out, err = run("modeles", "modeles-courriers")
    assert (code, err) == (0, "")
    assert (folder / "modeles-courriers" / "reponse.docx").is_file()


def test_the_readme_walks_through_the_example() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme.split("## L'exemple et la bibliothèque Python", 1)[1].split("\n## ", 1)[0]
    for command in (
        "suivi-check",
        "suivi complete",
        "suivi bilan",
        "suivi relances",
        "suivi courrier",
        "suivi modeles",
    ):
        assert command in section, command
