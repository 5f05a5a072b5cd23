"""One bad cell never hides the register: a date cell holding an absurd number (-1e12, a typo
shown « ##### » in Excel) makes python-calamine panic on the whole sheet; the reader then reads
a copy where such numbers are text, so that every other row is checked and the bad cell is a
finding on its own cell. And the panic's own line never reaches the console.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from suivi_xlsx.cli import group
from suivi_xlsx.reading.reader import load_register

from .workbooks import entry, make_register

D = dt.date


@pytest.fixture
def absurd(tmp_path: Path) -> Path:
    from openpyxl import load_workbook

    path = make_register(
        tmp_path / "registre.xlsx",
        [
            entry(D(2025, 3, 5), number="25.1601.001"),
            entry(D(2025, 3, 6), number="25.1601.002"),
            entry(D(2025, 3, 7)),
        ],
    )
    book = load_workbook(path)
    cell = book.active["B3"]  # type: ignore[index]
    cell.value = -1e12
    cell.number_format = "dd/mm/yyyy"
    book.save(path)
    return path


def test_the_rest_of_the_register_is_checked(absurd: Path) -> None:
    register = load_register(absurd)
    assert [e.row for e in register.entries] == [2, 3, 4]
    result = CliRunner().invoke(group, ["check", str(absurd), "--format", "json"])
    findings = json.loads(result.stdout)["findings"]
    bad = [f for f in findings if f["cell"] == "B3"]
    assert [(f["code"], f["severity"]) for f in bad] == [("date-invalide", "erreur")]
    assert "-1000000000000" in bad[0]["message"]
    assert any(f["code"] == "numero-manquant" and f["cell"] == "D4" for f in findings)


def test_update_leaves_the_bad_cell_and_completes_the_rest(absurd: Path) -> None:
    before = load_register(absurd)
    assert before.entries[2].order_text is None
    result = CliRunner().invoke(group, ["update", str(absurd), "--no-backup"])
    assert result.exit_code == 0, result.output
    assert "Registre!B3 : « -1000000000000 » (date illisible)" in result.output
    after = load_register(absurd)
    assert after.entries[2].order_text == "25.1601.003"
    assert after.entries[1].invalid  # still the typed number: never overwritten


def _console(*args: str) -> subprocess.CompletedProcess[str]:
    """The real console script (``launch.main``), in a process of its own."""
    code = "import sys; from suivi_xlsx.launch import main; sys.argv[0] = 'suivi'; main()"
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_no_panic_line_reaches_the_console_and_our_messages_still_do(absurd: Path) -> None:
    checked = _console("check", str(absurd))
    assert checked.returncode == 1
    assert "panicked" not in checked.stderr and "RUST_BACKTRACE" not in checked.stderr
    assert "date-invalide" in checked.stdout
    # a French message printed on stderr after the parse still appears
    refused = _console(
        "summary", str(absurd), "--annee", "2030", "-o", str(absurd.with_name("b.xlsx"))
    )
    assert refused.returncode != 0
    assert "panicked" not in refused.stderr
    assert "2030" in refused.stderr and "Erreur" in refused.stderr


@pytest.mark.parametrize(
    ("part", "kind"),
    [
        ("word/document.xml", "un document Word"),
        ("ppt/presentation.xml", "une présentation PowerPoint"),
    ],
)
@pytest.mark.parametrize("name", ["registre.xlsx", "registre.docx"])
def test_an_office_document_is_named_for_what_it_is(
    tmp_path: Path, part: str, kind: str, name: str
) -> None:
    import zipfile

    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(part, "<document/>")
    result = CliRunner().invoke(group, ["check", str(path)])
    assert result.exit_code == 2
    assert f"est {kind}, pas un classeur" in result.stderr
    assert "réparer" not in result.stderr


def test_a_pdf_is_named_for_what_it_is(tmp_path: Path) -> None:
    path = tmp_path / "registre.pdf"
    path.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    result = CliRunner().invoke(group, ["check", str(path)])
    assert (result.exit_code, "est un document PDF, pas un classeur" in result.stderr) == (2, True)


def test_summary_says_the_registers_problem_before_the_existing_output(tmp_path: Path) -> None:
    """A bad register given to summary: its problem first, not that the bilan exists."""
    import zipfile

    path = tmp_path / "registre.xlsx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("word/document.xml", "<document/>")
    out = tmp_path / "bilan.xlsx"
    out.write_bytes(b"old")
    result = CliRunner().invoke(group, ["summary", str(path), "--year", "2025", "-o", str(out)])
    assert result.exit_code == 2
    assert "document Word" in result.stderr and "existe déjà" not in result.stderr


@pytest.mark.parametrize("reference", ["A99999999999", "XFE5", "AAAA7"])
@pytest.mark.parametrize("command", ["check", "update", "summary"])
def test_a_reference_beyond_excels_grid_is_left_out_not_an_abort(
    absurd: Path, tmp_path: Path, reference: str, command: str
) -> None:
    """calamine would allocate the whole range up to the reference and abort the process
    (exit 134): the guard sees references beyond 1,048,576 rows × 16,384 columns and reads a
    copy without them."""
    import re
    import zipfile

    row = re.sub(r"^[A-Z]+", "", reference)
    far = tmp_path / "loin.xlsx"
    with zipfile.ZipFile(absurd) as source, zipfile.ZipFile(far, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                stray = (
                    f'<row r="{row}"><c r="{reference}" t="inlineStr"><is><t>x</t></is></c></row>'
                )
                data = data.replace(b"</sheetData>", stray.encode() + b"</sheetData>")
            target.writestr(info, data)
    args = [command, str(far)]
    if command == "summary":
        args += ["--year", "2025", "-o", str(tmp_path / "bilan.xlsx")]
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from suivi_xlsx.cli import main; sys.argv[0]='suivi'; main()",
            *args,
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )
    assert result.returncode in (0, 1), result.stderr[-400:]
    if command == "check":
        assert "25.1601.002" in result.stdout
