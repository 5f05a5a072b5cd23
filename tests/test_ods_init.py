"""``suivi init --format ods``: the blank register as an .ods, with the template's sheets,
columns, dropdown lists and guide, read back as the .xlsx template is."""

from __future__ import annotations

import re
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
        workbook = package.read("xl/workbook.xml")
    assert b'sqref="E2:E201" type="list"' in sheet or b'type="list"' in sheet
    assert load_register(resaved).settings.agency == "1601"
    # As the .xlsx template: the header row printed atop every page, A4 landscape, one page
    # wide (LibreOffice carries these into the .xlsx it saves).
    assert b'orientation="landscape"' in sheet and b'paperSize="9"' in sheet
    assert b'fitToWidth="1" fitToHeight="0"' in sheet
    assert re.search(rb"_xlnm.Print_Titles[^>]*>[^<]*\$1:\$1<", workbook), workbook
    pdf = libreoffice.convert(book, "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 1000


def test_ods_template_freezes_its_header_rows(tmp_path: Path) -> None:
    """The header row stays in view while scrolling: LibreOffice's view settings (a frozen
    split, mode 2, below row 1) for the register and the settings sheet. LibreOffice without
    a screen neither reads nor writes view settings, so this is checked in the file itself."""
    book = tmp_path / "registre.ods"
    assert _init(book, "--format", "ods")[0] == 0
    with zipfile.ZipFile(book) as package:
        settings = package.read("settings.xml").decode()
        manifest = package.read("META-INF/manifest.xml").decode()
    assert 'manifest:full-path="settings.xml"' in manifest
    tables = dict(
        re.findall(
            r'<config:config-item-map-entry config:name="([^"]+)">'
            r"(.*?)</config:config-item-map-entry>",
            settings,
        )
    )
    for name in ("Registre", "Paramètres"):
        items = dict(re.findall(r'config:name="(\w+)" config:type="\w+">([^<]*)<', tables[name]))
        assert items["VerticalSplitMode"] == "2" and items["VerticalSplitPosition"] == "1"
        assert items["PositionBottom"] == "1"
    assert "VerticalSplitMode" not in tables["Mode d'emploi"]
