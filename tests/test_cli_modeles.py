"""``suivi modeles``: the letter templates copied to be edited, their guide, and their use
with ``suivi courrier --modele``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from suivi_xlsx.cli import group
from suivi_xlsx.outputs.letters.content import PLACEHOLDERS
from suivi_xlsx.outputs.letters.guide import GUIDE_NAME

from .test_cli_courrier import COLUMNS, SETTINGS, text_of
from .workbooks import entry, make_register

D = dt.date


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(group, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def test_the_templates_and_their_guide_are_written(tmp_path: Path) -> None:
    folder = tmp_path / "mes modèles"
    code, out, err = run("modeles", str(folder))
    assert (code, err) == (0, "")
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        ["accuse-reception.docx", "reponse.docx", GUIDE_NAME]
    )
    assert f"Modèles de courrier écrits dans « {folder} »" in out and "--modele" in out
    raw = (folder / GUIDE_NAME).read_bytes()
    # Notepad on Windows: a byte order mark for the accents, CRLF for the lines.
    assert (
        raw.startswith(b"\xef\xbb\xbf")
        and b"\r\n" in raw
        and b"\n" not in raw.replace(b"\r\n", b"")
    )
    guide = raw.decode("utf-8-sig")
    missing = [name for name in PLACEHOLDERS if "{{ " + name + " }}" not in guide]
    assert missing == []
    assert str(folder / "reponse.docx") in guide


def test_existing_templates_are_kept_unless_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "modeles"
    assert run("modeles", str(folder))[0] == 0
    (folder / "reponse.docx").write_bytes(b"mon modele modifie")
    code, out, err = run("modeles", str(folder))
    assert code == 1 and "existent déjà" in err and "--remplacer" in err and out == ""
    assert (folder / "reponse.docx").read_bytes() == b"mon modele modifie"
    code, _, err = run("templates", str(folder), "--remplacer")  # the English name too
    assert (code, err) == (0, "")
    assert (folder / "reponse.docx").read_bytes().startswith(b"PK")


def test_a_file_where_the_folder_should_be_is_refused(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("x")
    code, _, err = run("modeles", str(tmp_path / "f"))
    assert code == 2 and "n'est pas un dossier" in err


def test_a_copied_template_edited_in_word_is_used_by_courrier(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docx import Document

    monkeypatch.chdir(tmp_path)
    assert run("modeles", "modeles")[0] == 0
    template = tmp_path / "modeles" / "accuse-reception.docx"
    document = Document(str(template))
    document.add_paragraph("Notre école est ouverte le samedi matin.")  # the user's own words
    document.save(str(template))
    rows = [entry(D(2026, 11, 28), number="26.1601.001", issuer="Mme DUPONT Marie")]
    book = make_register(
        tmp_path / "r.xlsx", rows, columns=COLUMNS, more_sheets={"Paramètres": SETTINGS}
    )
    code, _, err = run(
        "courrier",
        str(book),
        "26.1601.001",
        "--type",
        "accuse-reception",
        "--modele",
        str(template),
        "--date",
        "2026-12-01",
    )
    assert (code, err) == (0, "")
    text = text_of(tmp_path / "courrier-accuse-reception-26.1601.001.docx")
    assert "Notre école est ouverte le samedi matin." in text
    assert "au plus tard le 28 janvier 2027" in text


def test_init_mentions_the_templates(tmp_path: Path) -> None:
    code, out, _ = run("init", str(tmp_path / "registre.xlsx"), "--agence", "1601")
    assert code == 0 and "suivi modeles" in out
