"""Output a person can read before a meeting: grouped findings, a progress line on terminals,
French command and option names (English ones kept), and the order of a command's checks."""

from __future__ import annotations

import datetime as dt
import json
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
    rows.append(
        entry(dt.date(2026, 9, 1), origin="QS", number="26.1601.001", due=dt.date(2026, 10, 1))
    )
    return make_register(tmp_path / "registre.xlsx", rows)


# --- grouped text by default ---


def test_findings_are_grouped_by_code_with_count_first_cells_and_fix(unnumbered: Path) -> None:
    code, out, err = run("check", str(unnumbered), "--today", TODAY)
    assert code == 1 and err == ""
    lines = out.splitlines()
    assert "  numero-manquant (12) : ligne sans numéro d'ordre" in lines
    first = ", ".join(f"Registre!D{row}" for row in range(2, 7))
    assert f"    {first}, … et 7 autres" in lines
    assert (
        "    Correction : « suivi complete » attribue les numéros d'ordre (lignes datées)." in lines
    )
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


# --- one name, one meaning: French names, English ones kept ---

ALIASES = {"check": "controle", "update": "complete", "summary": "bilan"}


def test_group_help_lists_french_names_and_mentions_the_former_ones() -> None:
    code, out, _ = run("--help")
    assert code == 0
    for name in ("controle", "complete", "bilan", "init", "courrier", "relances"):
        assert f"\n  {name}  " in out
    assert "Options :" in out and "Commandes :" in out and "Options:" not in out
    assert "Noms anglais, toujours acceptés : check (controle), update (complete), summary" in out


@pytest.mark.parametrize(("english", "french"), sorted(ALIASES.items()))
def test_english_names_run_the_french_commands(english: str, french: str) -> None:
    french_help = run(french, "--help")
    english_help = run(english, "--help")
    assert french_help[0] == english_help[0] == 0
    assert french_help[1].replace(french, english, 1) == english_help[1]
    assert "Options :" in french_help[1] and "Options:" not in french_help[1]


@pytest.mark.parametrize(
    ("typed", "meant"), [("chek", "check"), ("controel", "controle"), ("bilna", "bilan")]
)
def test_a_typo_is_matched_against_both_names(typed: str, meant: str) -> None:
    code, _, err = run(typed, "registre.xlsx")
    assert code == 2
    assert f"Vouliez-vous dire « {meant} » ?" in err


def test_french_options_mean_what_the_english_ones_did(unnumbered: Path) -> None:
    french = run(
        "controle",
        str(unnumbered),
        "--date",
        TODAY,
        "--feuille",
        "Registre",
        "--proche",
        "40",
        "--ignorer",
        "en-retard",
        "--format",
        "json",
    )
    english = run(
        "check",
        str(unnumbered),
        "--today",
        TODAY,
        "--sheet",
        "Registre",
        "--soon",
        "40",
        "--ignore",
        "en-retard",
        "--format",
        "json",
    )
    assert french == english
    codes = {f["code"] for f in json.loads(french[1])["findings"]}
    assert "echeance-proche" in codes and "en-retard" not in codes


def test_update_and_summary_french_options(unnumbered: Path, tmp_path: Path) -> None:
    before = unnumbered.read_bytes()
    code, out, _ = run("complete", str(unnumbered), "--date", TODAY, "--simulation")
    assert (code, unnumbered.read_bytes()) == (0, before)
    assert out.splitlines()[-1] == "Simulation : rien n'a été écrit."
    assert run("complete", str(unnumbered), "--date", TODAY, "--sans-copie")[0] == 0
    assert [p.name for p in tmp_path.iterdir()] == ["registre.xlsx"]  # no backup copy
    out_file = tmp_path / "bilan.xlsx"
    out_file.write_bytes(b"old")
    base = ["bilan", str(unnumbered), "--annee", "2026", "--sortie", str(out_file)]
    code, _, err = run(*base)
    assert code == 1 and "ajoutez --remplacer pour le remplacer" in err
    assert run(*base, "--remplacer")[0] == 0
    assert out_file.read_bytes() != b"old"


def test_relances_dans_and_the_former_jours(unnumbered: Path) -> None:
    dans = run("relances", str(unnumbered), "--date", TODAY, "--dans", "15")
    jours = run("relances", str(unnumbered), "--today", TODAY, "--jours", "15")
    assert dans == jours and dans[0] == 0
    code, out, err = run("relances", str(unnumbered), "--jours", "ouvrables")
    assert code == 2 and out == ""
    assert "--jours s'écrit maintenant --dans N" in err
    assert "Décompte des jours" in err
    _, help_text, _ = run("relances", "--help")
    assert "--dans N" in help_text and "--jours" not in help_text


# --- the order of a command's checks ---


@pytest.mark.parametrize("command", ["bilan", "summary", "relances"])
def test_a_bad_register_is_said_before_the_existing_output(tmp_path: Path, command: str) -> None:
    """A workbook without a register sheet, and an output that exists: the register's problem
    is the one to fix first."""
    from .workbooks import make_workbook

    path = make_workbook(tmp_path / "budget.xlsx", {"Budget": [["Poste", "Montant"], ["x", 1]]})
    out = tmp_path / "sortie.xlsx"
    out.write_bytes(b"old")
    extra = ["--annee", "2025"] if command != "relances" else []
    code, _, err = run(command, str(path), *extra, "-o", str(out))
    assert code == 2, err
    assert "Budget" in err and "existe déjà" not in err
    assert out.read_bytes() == b"old"


@pytest.mark.parametrize("command", ["controle", "complete", "bilan", "relances", "courrier"])
def test_a_word_document_given_as_register_is_named(tmp_path: Path, command: str) -> None:
    """Saved by Word (a real .docx, renamed or not): « c'est un document Word », never a repair."""
    from docx import Document

    for name in ("registre.docx", "registre.xlsx"):
        path = tmp_path / name
        Document().save(str(path))
        extra = {"bilan": ["--annee", "2025"], "courrier": ["--a-envoyer"]}.get(command, [])
        code, out, err = run(command, str(path), *extra)
        assert code == 2, out + err
        assert f"« {name} » est un document Word, pas un classeur" in err
        assert "réparer" not in err and "Traceback" not in err


# --- the progress line ---


@pytest.fixture()
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """stderr taken for a terminal, and a run long enough from the start."""
    from suivi_xlsx.cli import progress

    monkeypatch.setattr(progress, "is_terminal", lambda stream: True)
    monkeypatch.setattr(progress, "DELAY", 0.0)


@pytest.mark.usefixtures("terminal")
def test_progress_line_on_a_terminal(unnumbered: Path) -> None:
    code, out, err = run("controle", str(unnumbered), "--date", TODAY)
    assert code == 1
    assert "\rLecture de la feuille « Registre »… " in err
    assert "\rContrôle de 13 entrées… " in err
    assert err.endswith("\r") and err.rstrip("\r ").count("\r") >= 2  # wiped at the end
    assert "\r" not in out


@pytest.mark.usefixtures("terminal")
def test_no_progress_line_with_json(unnumbered: Path) -> None:
    code, out, err = run("controle", str(unnumbered), "--date", TODAY, "--format", "json")
    assert (code, err) == (1, "")
    json.loads(out)


def test_no_progress_line_off_a_terminal(unnumbered: Path, tmp_path: Path) -> None:
    from suivi_xlsx.cli import progress

    assert progress.is_terminal(None) is False
    assert run("controle", str(unnumbered), "--date", TODAY)[2] == ""
    assert run("bilan", str(unnumbered), "--annee", "2026", "-o", str(tmp_path / "b.xlsx"))[2] == ""


@pytest.mark.usefixtures("terminal")
def test_progress_line_for_writing_commands(unnumbered: Path, tmp_path: Path) -> None:
    _, _, err = run("complete", str(unnumbered), "--date", TODAY, "--sans-copie")
    assert "\rÉcriture de « registre.xlsx »… " in err
    _, _, err = run("bilan", str(unnumbered), "--annee", "2026", "-o", str(tmp_path / "b.xlsx"))
    assert "\rCalcul du bilan 2026… " in err and "\rÉcriture de « b.xlsx »… " in err
    _, _, err = run("relances", str(unnumbered), "--date", TODAY, "-o", str(tmp_path / "r.xlsx"))
    assert "\rLecture de la feuille « Registre »… " in err and "\rÉcriture de « r.xlsx »… " in err


@pytest.mark.usefixtures("terminal")
def test_a_notice_starts_on_a_clean_line(unnumbered: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import warnings

    import suivi_xlsx
    from suivi_xlsx import SuiviWarning

    real = suivi_xlsx.check_register

    def noisy(*args: object, **kwargs: object) -> object:
        warnings.warn("une cellule égarée", SuiviWarning, stacklevel=1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(suivi_xlsx, "check_register", noisy)
    _, _, err = run("controle", str(unnumbered), "--date", TODAY)
    before, _, _ = err.partition("Attention : une cellule égarée")
    assert before.endswith(" \r")  # the line wiped first


def test_the_library_reports_progress_and_prints_nothing(
    unnumbered: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    said: list[str] = []
    register = load_register(unnumbered, progress=said.append)
    check_register(register, CheckOptions(today=dt.date(2026, 11, 25)), progress=said.append)
    assert said == [
        "Lecture de « registre.xlsx »",
        "Lecture de la feuille « Registre »",
        "Contrôle de 13 entrées",
    ]
    assert capsys.readouterr() == ("", "")
