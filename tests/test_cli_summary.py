"""``suivi summary`` end to end on registers built in the test: recap, output, refusals."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from suivi_xlsx.cli import group
from suivi_xlsx.domain.model import SEED_COLUMNS, Column

from .workbooks import entry, make_register, make_workbook, register_rows

D = dt.date
COLUMNS = [*SEED_COLUMNS, Column.ACK_DATE, Column.ANSWER_DATE, Column.CORRECTIVE_ACTIONS]


def run_summary(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(group, ["summary", *args])
    # Never a traceback: only SystemExit may escape the command.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def register(tmp_path: Path) -> Path:
    rows = [
        entry(
            D(2025, 1, 10),
            number="25.1601.001",
            due=D(2025, 3, 10),
            closed=D(2025, 2, 20),
            ack_date=D(2025, 1, 15),
            answer_date=D(2025, 2, 20),
        ),
        entry(D(2025, 2, 3), number="25.1601.002", due=D(2025, 4, 3), ack_date=D(2025, 2, 20)),
        entry(
            D(2025, 3, 4),
            origin="PA",
            number="25.1601.003",
            subject="Rappel SMS des leçons",
            due=D(2025, 12, 31),
        ),
        entry("05/04/2025", origin="QS", number="25.1601.004", closed=D(2025, 4, 6)),
        entry(D(2024, 6, 1), number="24.1601.010", closed=D(2024, 6, 20)),
        entry("pas de date", origin="QS"),
    ]
    return make_register(tmp_path / "registre.xlsx", rows, columns=COLUMNS)


def test_writes_the_summary_and_prints_a_recap(
    register: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    before = register.read_bytes()
    code, out, err = run_summary(str(register), "--year", "2025", "--today", "2025-06-01")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Bilan 2025 : 4 entrées (FS 2, QS 1, PA 1) ; au 01/06/2025, 2 en cours dont 1 en retard.",
        "Réclamations : accusé de réception sous 10 jours 50 %, réponse sous 2 mois 50 %.",
        "1 entrée sans date lisible, non comptée : feuille « Registre » ligne 7 (voir "
        "suivi-check).",
        "Bilan écrit : bilan-2025.xlsx",
    ]
    assert register.read_bytes() == before  # the register is only read
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "bilan-2025.xlsx")["Synthèse"]
    assert [ws[f"B{row}"].value for row in range(6, 9)] == [2, 1, 1]


def test_recap_follows_the_settings(tmp_path: Path) -> None:
    rows = [entry(D(2025, 1, 10), number="25.1601.001", ack_date=D(2025, 1, 15))]
    settings: list[list[object]] = [
        ["Délai d'accusé de réception (jours)", 5],
        ["Délai de réponse (mois)", 1],
        ["Décompte des jours (accusé de réception)", "jours ouvrables"],
    ]
    path = make_workbook(
        tmp_path / "registre.xlsx",
        {"Registre": register_rows(rows, columns=COLUMNS), "Paramètres": settings},
    )
    code, out, _ = run_summary(
        str(path), "--year", "2025", "--today", "2025-06-01", "-o", str(tmp_path / "b.xlsx")
    )
    assert code == 0
    assert (
        "Réclamations : accusé de réception sous 5 jours ouvrables 100 %, réponse sous 1 mois "
        "0 %." in out.splitlines()
    )


def test_several_registers_one_per_agency(tmp_path: Path) -> None:
    lyon = make_register(
        tmp_path / "lyon.xlsx",
        [entry(D(2025, 1, 10), number="25.1601.001"), entry(D(2025, 2, 1), number="25.1601.002")],
    )
    annecy = make_register(
        tmp_path / "annecy.xlsx", [entry(D(2025, 3, 10), origin="QS", number="25.1602.001")]
    )
    out = tmp_path / "reseau.xlsx"
    code, text, _ = run_summary(
        str(lyon), str(annecy), str(lyon), "--year", "2025", "-o", str(out), "--today", "2025-12-31"
    )
    assert code == 0
    assert "2 agences : Agence 1601 (2), Agence 1602 (1)." in text.splitlines()
    from openpyxl import load_workbook

    ws = load_workbook(out)["Synthèse"]
    assert [ws.cell(4, c).value for c in range(2, 5)] == ["Ensemble", "Agence 1601", "Agence 1602"]


def test_existing_output_needs_force(register: Path, tmp_path: Path) -> None:
    out = tmp_path / "bilan.xlsx"
    out.write_bytes(b"previous")
    code, _, err = run_summary(str(register), "--year", "2025", "-o", str(out))
    assert (code, out.read_bytes()) == (1, b"previous")
    assert err == (
        f"Erreur : « {out} » existe déjà : choisissez un autre nom avec -o, ou ajoutez "
        "--remplacer pour le remplacer.\n"
    )
    code, _, _ = run_summary(str(register), "--year", "2025", "-o", str(out), "--force")
    assert code == 0 and zipfile.is_zipfile(out)


def test_empty_year_exit_1_and_no_file(register: Path, tmp_path: Path) -> None:
    out = tmp_path / "bilan-2019.xlsx"
    code, _, err = run_summary(str(register), "--year", "2019", "-o", str(out))
    assert code == 1
    assert "aucune entrée datée de 2019 dans « registre.xlsx »" in err
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["registre.xlsx"]


def test_never_overwrites_a_register(register: Path) -> None:
    before = register.read_bytes()
    code, _, err = run_summary(str(register), "--year", "2025", "-o", str(register), "--force")
    assert code == 1 and "le bilan ne le remplace jamais" in err
    assert register.read_bytes() == before


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "absent.xlsx", "fichier introuvable"),
        (lambda d: d, "est un dossier"),
    ],
)
def test_bad_register_paths_exit_2(tmp_path: Path, make: object, message: str) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    code, out, err = run_summary(str(path), "--year", "2025", "-o", str(tmp_path / "b.xlsx"))
    assert (code, out) == (2, "")
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "b.xlsx").exists()


def test_unreadable_register_exit_2(tmp_path: Path) -> None:
    fake = tmp_path / "registre.xlsx"
    fake.write_text("Date;Origine\n05/03/2025;FS\n", encoding="utf-8")
    code, _, err = run_summary(str(fake), "--year", "2025", "-o", str(tmp_path / "b.xlsx"))
    assert code == 2 and err.startswith("Erreur : ")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["registre.xlsx"]


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("bilan.xls", "doit être un fichier .xlsx"),
        ("absent/bilan.xlsx", "n'existe pas"),
    ],
)
def test_bad_output_exit_2(register: Path, tmp_path: Path, output: str, message: str) -> None:
    code, _, err = run_summary(str(register), "--year", "2025", "-o", str(tmp_path / output))
    assert code == 2 and message in err


def test_sheet_option_reads_only_that_sheet(tmp_path: Path) -> None:
    from .workbooks import register_rows

    rows_2024 = register_rows([entry(D(2024, 5, 1), number="24.1601.001")])
    rows_2025 = register_rows([entry(D(2025, 5, 1), number="25.1601.001")])
    path = make_workbook(tmp_path / "registre.xlsx", {"2024": rows_2024, "2025": rows_2025})
    out = tmp_path / "b.xlsx"
    code, _, err = run_summary(str(path), "--year", "2024", "--sheet", "2025", "-o", str(out))
    assert code == 1 and "aucune entrée datée de 2024" in err


def test_year_is_required_and_checked(register: Path) -> None:
    code, _, err = run_summary(str(register))
    assert code == 2 and "--year" in err
    code, _, err = run_summary(str(register), "--year", "25")
    assert code == 2 and "n'est pas une valeur permise (de 1900 à 2999)" in err


def test_help_is_french_with_an_example() -> None:
    result = CliRunner().invoke(group, ["summary", "--help"])
    assert result.exit_code == 0
    assert "Exemple :" in result.stdout
    assert "suivi bilan registre.xlsx --annee 2025" in result.stdout
    assert "--force" in result.stdout and "Remplacer le bilan" in result.stdout
