"""``suivi init --format ods``: the blank register as an .ods, with the template's sheets,
columns, dropdown lists and guide, read back as the .xlsx template is."""

from __future__ import annotations

import zipfile
from pathlib import Path

from click.testing import CliRunner
from python_calamine import CalamineWorkbook

from suivi_xlsx.cli import group
from suivi_xlsx.outputs.template import build_template, build_template_ods
from suivi_xlsx.reading.reader import load_register

from .conftest import LibreOffice


def _init(path: Path, *more: str) -> tuple[int, str]:
    result = CliRunner().invoke(group, ["init", str(path), "--agence", "1601", *more])
    return result.exit_code, result.output + result.stderr


def test_init_ods_is_the_template_as_ods(tmp_path: Path) -> None:
    book = tmp_path / "registre.ods"
    code, out = _init(book, "--format", "ods")
    assert code == 0, out
    assert book.read_bytes()[30:38] == b"mimetype"
    with zipfile.ZipFile(book) as package:
        first = package.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
        content = package.read("content.xml")
    assert b"""'of:cell-content-is-in-list("FS";"QS";"PA")'""" in content
    xlsx = tmp_path / "registre.xlsx"
    xlsx.write_bytes(build_template("1601"))
    as_xlsx, as_ods = load_register(xlsx), load_register(book)
    assert as_ods.settings == as_xlsx.settings and as_ods.settings.agency == "1601"
    assert [s.name for s in as_ods.sheets] == [s.name for s in as_xlsx.sheets]
    assert as_ods.sheets[0].columns == as_xlsx.sheets[0].columns
    ods_names = CalamineWorkbook.from_path(str(book)).sheet_names
    assert ods_names == CalamineWorkbook.from_path(str(xlsx)).sheet_names
    result = CliRunner().invoke(group, ["check", str(book)])
    assert result.exit_code == 0, result.output
    assert build_template_ods("1601") == build_template_ods("1601")  # reproducible


def test_init_format_follows_the_name_and_refuses_a_mismatch(tmp_path: Path) -> None:
    code, out = _init(tmp_path / "registre.ods")
    assert code == 0 and (tmp_path / "registre.ods").read_bytes()[30:38] == b"mimetype"
    code, out = _init(tmp_path / "registre.xlsx", "--format", "ods")
    assert code == 2 and "doit se terminer par .ods" in out
    assert not (tmp_path / "registre.xlsx").exists()


def test_libreoffice_opens_the_ods_template(tmp_path: Path, libreoffice: LibreOffice) -> None:
    book = tmp_path / "registre.ods"
    assert _init(book, "--format", "ods")[0] == 0
    resaved = libreoffice.convert(book, "xlsx", tmp_path / "lo")
    with zipfile.ZipFile(resaved) as package:
        sheet = package.read("xl/worksheets/sheet1.xml")
    assert b'sqref="E2:E201" type="list"' in sheet or b'type="list"' in sheet
    assert load_register(resaved).settings.agency == "1601"
    pdf = libreoffice.convert(book, "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 1000
