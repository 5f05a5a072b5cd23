"""``suivi-check`` end to end: exit statuses, text and JSON output, bad inputs, help."""

from __future__ import annotations

import datetime as dt
import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from suivi_xlsx.cli import _COMMANDS, check_main, group
from suivi_xlsx.domain.findings import CODES
from suivi_xlsx.domain.model import Column

from .conftest import LibreOffice
from .workbooks import entry, make_register, make_workbook

TODAY = "2026-11-25"


def run_check(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(group, ["check", *args])
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), result.exception
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def clean_register(tmp_path: Path) -> Path:
    rows = [
        entry(
            dt.date(2026, 11, 2),
            number="26.1601.001",
            due=dt.date(2026, 12, 20),
            closed=dt.date(2026, 11, 10),
            follow_up="10/11 : appel au client, geste commercial",
            ack_date=dt.date(2026, 11, 3),
            answer_date=dt.date(2026, 11, 10),
        ),
        entry(
            dt.date(2026, 11, 5),
            origin="QS",
            number="26.1601.002",
            due=dt.date(2026, 12, 30),
        ),
    ]
    columns = [*list(Column)[:11], Column.ACK_DATE, Column.ANSWER_DATE]
    return make_register(tmp_path / "registre.xlsx", rows, columns=columns)


@pytest.fixture()
def late_register(tmp_path: Path) -> Path:
    rows = [
        entry(dt.date(2026, 9, 1), number="26.1601.001", due=dt.date(2026, 11, 1)),
        entry(dt.date(2026, 10, 1), number="26.1601.002", due=dt.date(2026, 11, 30)),
    ]
    return make_register(tmp_path / "registre.xlsx", rows)


def test_clean_register_exits_0(clean_register: Path) -> None:
    code, out, err = run_check(str(clean_register), "--today", TODAY)
    assert code == 0, out + err
    assert "2 entrées lues" in out
    assert "aucun problème" in out


def test_late_register_exits_1_and_points_at_cells(late_register: Path) -> None:
    code, out, _ = run_check(str(late_register), "--today", TODAY)
    assert code == 1
    assert "Retards (" in out
    assert "Registre!J2" in out  # the due-date cell of the first entry
    assert "[26.1601.001]" in out
    assert "en-retard" in out
    # French agreement, as the README shows: 0 and 1 take the singular
    assert (
        "registre.xlsx : 2 entrées lues — 0 erreur, 2 retards sur 1 dossier, 3 avertissements "
        "au 25/11/2026." in out
    )


def test_json_output_shape(late_register: Path) -> None:
    code, out, _ = run_check(str(late_register), "--today", TODAY, "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert list(data) == ["file", "today", "entries", "findings", "counts", "exit_status"]
    assert data["today"] == TODAY
    assert data["entries"] == 2
    first = data["findings"][0]
    assert list(first) == ["code", "severity", "sheet", "row", "cell", "order_number", "message"]
    late = [(f["code"], f["cell"]) for f in data["findings"] if f["severity"] == "retard"]
    assert ("en-retard", "J2") in late
    assert data["counts"]["total"] == len(data["findings"])


def test_soon_option_changes_warnings(late_register: Path) -> None:
    def soon_cells(*extra: str) -> list[str]:
        _, out, _ = run_check(str(late_register), "--today", TODAY, "--format", "json", *extra)
        return [f["cell"] for f in json.loads(out)["findings"] if f["code"] == "echeance-proche"]

    assert soon_cells() == ["J3"]  # due 30/11, five days after today
    assert soon_cells("--soon", "2") == []


def test_ignore_leaves_codes_out(late_register: Path) -> None:
    _, out, _ = run_check(
        str(late_register), "--today", TODAY, "--format", "json", "--ignore", "en-retard"
    )
    assert "en-retard" not in {f["code"] for f in json.loads(out)["findings"]}


def test_ignore_unknown_code_is_a_french_usage_error(late_register: Path) -> None:
    code, _, err = run_check(str(late_register), "--ignore", "pas-un-code")
    assert code == 2
    assert "code inconnu : pas-un-code" in err
    assert "Traceback" not in err


def test_bad_today_is_french(late_register: Path) -> None:
    code, _, err = run_check(str(late_register), "--today", "demain")
    assert code == 2
    assert "n'est pas une date" in err


def test_sheet_option_restricts(tmp_path: Path) -> None:
    header = [
        "Année",
        "Date",
        "NOM Prénom Emetteur",
        "N° d'ordre",
        "Origine",
        "Objet",
        "Justificatif",
        "Suivi",
        "Personne chargée du dossier",
        "Date d'échéance",
        "Date de clôture",
    ]
    late = [2025, dt.date(2025, 1, 6), "X", "25.1601.001", "FS", "o", None, None, "A"]
    late += [dt.date(2025, 2, 1), None]
    path = make_workbook(tmp_path / "r.xlsx", {"2025": [header, late], "2026": [header]})
    assert run_check(str(path), "--today", TODAY)[0] == 1
    assert run_check(str(path), "--today", TODAY, "--sheet", "2026")[0] == 0
    code, _, err = run_check(str(path), "--sheet", "2027")
    assert code == 2
    assert "2027" in err


# --- bad inputs: exit 2, a French message saying what to do, no traceback, file unchanged ---


def _xlsx_bytes(tmp_path: Path) -> bytes:
    return make_register(tmp_path / "source.xlsx", [entry()]).read_bytes()


def _encrypted(tmp_path: Path) -> bytes:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO(_xlsx_bytes(tmp_path))
    out = io.BytesIO()
    OOXMLFile(plain).encrypt("secret", out)
    return out.getvalue()


def _truncated(tmp_path: Path) -> bytes:
    data = _xlsx_bytes(tmp_path)
    return data[: len(data) // 2]


def _ods(tmp_path: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def _no_register(tmp_path: Path) -> bytes:
    path = make_workbook(tmp_path / "other.xlsx", {"Budget": [["Poste", "Montant"], ["x", 1]]})
    return path.read_bytes()


BAD_INPUTS = {
    "vide.xlsx": (lambda tmp: b"", "vide"),
    "tronque.xlsx": (_truncated, "xlsx"),
    "csv-renomme.xlsx": (lambda tmp: b"Date;Objet\n05/03/2025;x\n", "xlsx"),
    "registre.csv": (lambda tmp: b"Date;Objet\n05/03/2025;x\n", ".xlsx"),
    "ancien.xls": (lambda tmp: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 4000, ".xlsx"),
    "registre.ods": (_ods, "LibreOffice"),
    "protege.xlsx": (_encrypted, "mot de passe"),
    "sans-registre.xlsx": (_no_register, "Budget"),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_exit_2_french_no_traceback_unchanged(tmp_path: Path, name: str) -> None:
    make, expected = BAD_INPUTS[name]
    path = tmp_path / name
    path.write_bytes(make(tmp_path))
    before = path.read_bytes()
    code, out, err = run_check(str(path))
    assert code == 2, out + err
    assert err.startswith("Erreur : ")
    assert expected in err
    assert "Traceback" not in err + out
    assert path.read_bytes() == before


def test_missing_path_and_folder(tmp_path: Path) -> None:
    code, _, err = run_check(str(tmp_path / "absent.xlsx"))
    assert code == 2
    assert "absent.xlsx" in err
    assert "introuvable" in err
    code, _, err = run_check(str(tmp_path))
    assert code == 2
    assert "dossier" in err


def test_real_xls_and_ods_from_libreoffice(tmp_path: Path, libreoffice: LibreOffice) -> None:
    source = make_register(tmp_path / "registre.xlsx", [entry()])
    code, out, _ = run_check(str(source), "--format", "json", "--today", TODAY)
    for fmt in ("xls", "ods"):
        converted = libreoffice.convert(source, fmt, tmp_path)
        same = run_check(str(converted), "--format", "json", "--today", TODAY)
        assert same[0] == code
        assert json.loads(same[1])["findings"] == json.loads(out)["findings"]


# --- help, entry points ---


@pytest.mark.parametrize("command", sorted(_COMMANDS))
def test_every_command_has_french_help(command: str) -> None:
    result = CliRunner().invoke(group, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Utilisation :" in result.output
    assert "Affiche cette aide et quitte." in result.output
    assert "Exemple :" in result.output
    assert "Show this message" not in result.output


def test_group_help_lists_commands() -> None:
    result = CliRunner().invoke(group, ["--help"], prog_name="suivi")
    assert result.exit_code == 0
    assert "Utilisation : suivi [OPTIONS] COMMANDE [ARGUMENTS]..." in result.output
    for command, (_, line) in _COMMANDS.items():
        assert f"  {command}" in result.output
        assert line in result.output


def test_group_help_loads_no_command_module() -> None:
    # The listing comes from a table, so that ``suivi --help`` starts fast.
    code = (
        "import sys; from suivi_xlsx.cli import main\n"
        "try: main(['--help'])\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('suivi_xlsx.cli.')), file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Commandes" in done.stdout
    assert done.stderr.strip() == "['suivi_xlsx.cli.common']"


def test_suivi_check_entry_point_is_the_check_command(late_register: Path) -> None:
    with pytest.raises(SystemExit) as exit_info:
        check_main([str(late_register), "--today", TODAY, "--format", "json"])
    assert exit_info.value.code == 1


def test_console_scripts_run_as_processes(late_register: Path) -> None:
    """The installed ``suivi-check`` script works as a real process (UTF-8 or not)."""
    script = Path(sys.executable).with_name("suivi-check")
    if not script.exists():
        pytest.skip("console script not installed next to this Python")
    result = subprocess.run(
        [str(script), str(late_register), "--today", TODAY],
        capture_output=True,
        env={"PYTHONIOENCODING": "ascii", "PATH": ""},
        check=False,
    )
    assert result.returncode == 1
    assert b"Traceback" not in result.stderr
    assert b"en-retard" in result.stdout


def test_codes_all_documented_in_readme() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [code for code in CODES if f"`{code}`" not in readme]
    assert missing == []


def test_unexpected_error_is_french_without_traceback(
    late_register: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import suivi_xlsx  # the CLI calls the public API

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(suivi_xlsx, "check_register", broken)
    code, out, err = run_check(str(late_register))
    assert code == 2
    assert "erreur inattendue (RuntimeError : boom)" in err
    assert "Traceback" not in out + err
    monkeypatch.setenv("SUIVI_DEBUG", "1")
    result = CliRunner().invoke(group, ["check", str(late_register)])
    assert isinstance(result.exception, RuntimeError)


def test_summary_line_says_how_many_entries_are_late(tmp_path: Path) -> None:
    """A complaint past both its due date and its answer deadline is two late findings, one
    late entry: the line says both, so that it matches what `suivi update` colours."""
    rows = [entry(dt.date(2026, 8, 1), number="26.1601.001", due=dt.date(2026, 10, 1))]
    path = make_register(tmp_path / "registre.xlsx", rows)
    code, out, _ = run_check(str(path), "--today", TODAY)
    assert code == 1
    assert "2 retards sur 1 dossier," in out.splitlines()[-1]
