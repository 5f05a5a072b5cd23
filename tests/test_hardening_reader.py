"""Hostile or unlucky inputs meet the reader (issue 13): stray far cells, absurd date serials,
zip and XML bombs, DTDs, duplicate parts, control characters. Every answer is French, exit 0,
1 or 2, never a crash; fixtures are built here by code."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner

from suivi_xlsx.cli import group
from suivi_xlsx.domain.model import Column
from suivi_xlsx.errors import DamagedFileError, UnreadableFileError
from suivi_xlsx.outputs.render import safe_text
from suivi_xlsx.reading.filecheck import check_file
from suivi_xlsx.reading.reader import load_register
from suivi_xlsx.xlsx import guard

from .workbooks import entry, make_register

D = dt.date
TODAY = "2025-06-01"
SHEET_PART = "xl/worksheets/sheet1.xml"


# --- helpers shared with the other hardening tests ------------------------------------------


def register(path: Path, count: int = 3) -> Path:
    """A small register sheet « Registre » (part ``xl/worksheets/sheet1.xml``)."""
    rows = [entry(D(2025, 1, 10 + i), number=f"25.1601.{i + 1:03d}") for i in range(count)]
    return make_register(path, rows)


def rezip(source: Path, target: Path, replace: Mapping[str, bytes] | None = None) -> Path:
    """A copy of the package ``source`` with some parts' content replaced."""
    replace = replace or {}
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            out.writestr(info, replace.get(info.filename, src.read(info)), zipfile.ZIP_DEFLATED)
    return target


def part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read(name)


def run(*args: str) -> tuple[int, str, str]:
    """``suivi ARGS`` in process; never a traceback (only SystemExit may escape)."""
    result = CliRunner().invoke(group, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert "erreur inattendue" not in result.stderr
    return result.exit_code, result.stdout, result.stderr


def bomb_stream(unit: bytes, repeat: int, head: bytes = b"", tail: bytes = b"") -> bytes:
    """A raw deflate stream of ``head + unit * repeat + tail``, made without inflating it:
    full-flushed blocks do not refer to earlier data, so a compressed unit can be repeated."""

    def raw(data: bytes) -> bytes:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)

    return raw(head) + raw(unit) * repeat + raw(tail) + b"\x03\x00"  # an empty final block


def with_raw_member(source: Path, target: Path, name: str, stream: bytes, size: int) -> Path:
    """``source`` with member ``name`` holding the raw deflate ``stream``, declared to inflate
    to ``size`` bytes (CRC left at 0: the size check must come first)."""
    with zipfile.ZipFile(source) as src:
        others = [(i, src.read(i)) for i in src.infolist() if i.filename != name]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        for info, data in others:
            package.writestr(info, data, zipfile.ZIP_DEFLATED)
    body = bytearray(out.getvalue())
    end = body.rfind(b"PK\x05\x06")
    (cd_size, cd_offset) = struct.unpack("<II", body[end + 12 : end + 20])
    central = bytes(body[cd_offset : cd_offset + cd_size])
    files = bytes(body[:cd_offset])
    encoded = name.encode("utf-8")
    local = struct.pack(
        "<4sHHHHHIIIHH", b"PK\x03\x04", 20, 0, 8, 0, 0, 0, len(stream), size, len(encoded), 0
    )
    offset = len(files)
    record = struct.pack(
        "<4sHHHHHHIIIHHHHHII",
        b"PK\x01\x02",
        20,
        20,
        0,
        8,
        0,
        0,
        0,
        len(stream),
        size,
        len(encoded),
        0,
        0,
        0,
        0,
        0,
        offset,
    )
    files += local + encoded + stream
    central += record + encoded
    count = len(others) + 1
    eocd = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(central), len(files), 0)
    target.write_bytes(files + central + eocd)
    return target


# --- far cells ----------------------------------------------------------------------------


def _with_far_cell(path: Path, ref: str, dimension: str | None) -> Path:
    """The register with one stray number cell at ``ref``; the dimension set to
    ``dimension`` (as Excel would write it), or removed when None."""
    xml = part(path, SHEET_PART).decode("utf-8")
    letters = ref.rstrip("0123456789")
    row = ref[len(letters) :]
    stray = f'<row r="{row}"><c r="{ref}"><v>1</v></c></row>'
    xml = xml.replace("</sheetData>", stray + "</sheetData>")
    if dimension is None:
        xml = re.sub(r"<dimension [^>]*/>", "", xml)
    else:
        xml = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', xml)
    return rezip(path, path.with_name("loin.xlsx"), {SHEET_PART: xml.encode("utf-8")})


@pytest.mark.parametrize(
    ("ref", "dimension"),
    [
        ("XFD1048576", "A1:XFD1048576"),  # as Excel saves it
        ("XFD1048576", None),  # no dimension
        ("XFD1048576", "A1:K4"),  # a dimension that lies
        ("XFD1", "A1:XFD4"),  # far to the right only: 4 × 16,384 cells, read as it is
        ("B1048576", "A1:K1048576"),  # far below only: 1,048,576 × 11 cells, plausible
    ],
)
def test_a_stray_far_cell_is_left_out_and_named(
    tmp_path: Path, ref: str, dimension: str | None
) -> None:
    source = register(tmp_path / "registre.xlsx")
    far = _with_far_cell(source, ref, dimension)
    before = far.read_bytes()
    if ref in ("XFD1", "B1048576"):  # a range calamine can hold: nothing to trim
        assert guard.inspect_package(far).to_scan == ()
        return
    assert guard.inspect_package(far).to_scan == (SHEET_PART,)
    with pytest.warns(UserWarning, match=rf"1 cellule isolée loin du tableau .*\({ref}\)"):
        loaded = load_register(far)
    assert [e.order_text for e in loaded.entries] == ["25.1601.001", "25.1601.002", "25.1601.003"]
    assert far.read_bytes() == before  # only read


def _large_with_far_cell(path: Path, dimension: str, far: str | None) -> Path:
    """The register grown past SCAN_BELOW (40,000 rows of a column of the user's own, L),
    its dimension set to ``dimension``, and a far cell at ``far`` (none when None)."""
    xml = part(path, SHEET_PART).decode("utf-8")
    rows = "".join(f'<row r="{n}"><c r="L{n}"><v>1</v></c></row>' for n in range(10, 40_000))
    stray = ""
    if far:
        letters = far.rstrip("0123456789")
        stray = f'<row r="{far[len(letters) :]}"><c r="{far}"><v>2</v></c></row>'
    xml = xml.replace("</sheetData>", rows + stray + "</sheetData>")
    xml = re.sub(r'<dimension ref="[^"]*"', f'<dimension ref="{dimension}"', xml)
    data = xml.encode("utf-8")
    assert len(data) > guard.SCAN_BELOW
    return rezip(path, path.with_name("grand.xlsx"), {SHEET_PART: data})


@pytest.mark.parametrize(
    ("dimension", "far"),
    [
        ("A1:L40000", "XFD1048576"),  # a plausible dimension, a far cell at the very end
        ("A1:L40000", "XFD20"),  # far to the right, in the middle of the table
        ("A1:L40000", "L9999999"),  # far below, beyond Excel's grid
        ("A1:K4", "XFD1048576"),  # a dimension that lies about everything
    ],
)
def test_a_far_cell_in_a_large_part_is_found_whatever_the_dimension_says(
    tmp_path: Path, dimension: str, far: str
) -> None:
    large = _large_with_far_cell(register(tmp_path / "registre.xlsx"), dimension, far)
    guard._cache.clear()
    assert guard.inspect_package(large).to_scan == (SHEET_PART,)
    code, out, err = run("check", str(large), "--today", TODAY, "--format", "json")
    assert code in (0, 1), err
    assert json.loads(out)["entries"] == 3


def test_a_large_part_with_a_true_dimension_is_not_scanned(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    large = _large_with_far_cell(register(tmp_path / "registre.xlsx"), "A1:L39999", None)
    guard._cache.clear()

    def no_scan(*args: object) -> guard.Extent:
        raise AssertionError("a large sheet with a true dimension is searched, not scanned")

    monkeypatch.setattr(guard, "scan_extent", no_scan)
    assert guard.inspect_package(large).to_scan == ()


def test_far_cell_through_the_command_line(tmp_path: Path) -> None:
    far = _with_far_cell(register(tmp_path / "registre.xlsx"), "XFD1048576", "A1:XFD1048576")
    code, out, err = run("check", str(far), "--today", TODAY, "--format", "json")
    assert code in (0, 1)
    assert json.loads(out)["entries"] == 3
    assert "Attention : dans la feuille « Registre », 1 cellule isolée" in err


def test_far_cell_memory_stays_small_in_a_child(tmp_path: Path) -> None:
    """The whole check in a process limited to 1.5 GB: calamine alone would ask 549 GB."""
    resource = pytest.importorskip("resource")
    far = _with_far_cell(register(tmp_path / "registre.xlsx"), "XFD1048576", "A1:XFD1048576")
    limit = 1_500_000_000
    code = (
        "import resource, sys;"
        f"resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}));"
        "from suivi_xlsx.cli import check_main; sys.argv = ['suivi-check', sys.argv[1],"
        f"'--today', '{TODAY}']; check_main()"
    )
    assert resource.RLIMIT_AS
    result = subprocess.run(
        [sys.executable, "-c", code, str(far)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode in (0, 1), result.stderr
    assert "3 entrées lues" in result.stdout


def test_a_sheet_whose_table_itself_is_absurdly_large_is_refused(tmp_path: Path) -> None:
    source = register(tmp_path / "registre.xlsx")
    xml = part(source, SHEET_PART).decode("utf-8")
    # Cells every 5,000 rows and every 200 columns: no gap wide enough to call them stray.
    rows = "".join(
        f'<row r="{r}">'
        + "".join(f'<c r="{_letters(c)}{r}"><v>1</v></c>' for c in range(0, 16_384, 200))
        + "</row>"
        for r in range(10, 1_048_576, 5_000)
    )
    xml = xml.replace("</sheetData>", rows + "</sheetData>")
    big = rezip(source, tmp_path / "enorme.xlsx", {SHEET_PART: xml.encode("utf-8")})
    with pytest.raises(UnreadableFileError, match="trop pour être lue"):
        load_register(big)


def _letters(index: int) -> str:
    out, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


# --- Rust panics and reader details ---------------------------------------------------------


def _with_serial(path: Path, serial: str) -> Path:
    """The register with the Date of its first entry replaced by a date-formatted ``serial``."""
    xml = part(path, SHEET_PART).decode("utf-8")
    # make_register writes the header on row 1, the first entry on row 2; Date is column B.
    xml = re.sub(
        r'(<c r="B2"[^>]*?)(?: t="\w+")?>.*?</c>', rf"\1><v>{serial}</v></c>", xml, count=1
    )
    return rezip(path, path.with_name("serie.xlsx"), {SHEET_PART: xml.encode("utf-8")})


@pytest.mark.parametrize("command", ["check", "update", "summary"])
def test_an_absurd_date_serial_hides_only_its_own_cell(tmp_path: Path, command: str) -> None:
    """Issue 21: the rest of the register is read; the bad cell is named, never the whole
    file refused, and no panic text reaches the user."""
    bad = _with_serial(register(tmp_path / "registre.xlsx"), "-1000000000000")
    args = [command, str(bad), "--today", TODAY]
    if command == "summary":
        args += ["--year", "2025", "-o", str(tmp_path / "bilan.xlsx")]
    code, out, err = run(*args)
    assert code in (0, 1), err
    assert "n'a pas pu être lu" not in err
    assert "PanicException" not in err + out and "TimeDelta" not in err + out
    if command == "check":
        assert "B2" in out and "date-invalide" in out
    if command == "update":
        assert "B2 : « -1000000000000 » (date illisible)" in out
        assert b"<v>-1000000000000</v>" in part(bad, SHEET_PART)  # left as typed


def test_reader_details_are_plain_french(tmp_path: Path) -> None:
    source = register(tmp_path / "registre.xlsx")
    xml = part(source, SHEET_PART).replace(b'r="A2"', b'r="A"')
    broken = rezip(source, tmp_path / "casse.xlsx", {SHEET_PART: xml})
    with pytest.raises(UnreadableFileError) as info:
        load_register(broken)
    assert "component" not in info.value.message and "Range" not in info.value.message


# --- bombs ----------------------------------------------------------------------------------

_UNIT = b'<row><c t="inlineStr"><is><t>' + b"a" * 40 + b"</t></is></c></row>" * 1
_UNIT = _UNIT * 16_000  # about 1 MB, compressed to about 1 KB


@pytest.mark.parametrize(
    "name",
    [SHEET_PART, "xl/sharedStrings.xml", "xl/styles.xml", "docProps/app.xml", "xl/media/x.bin"],
)
def test_a_zip_bomb_is_refused_before_anything_inflates_it(tmp_path: Path, name: str) -> None:
    source = register(tmp_path / "registre.xlsx")
    repeat = 3_000  # declares about 3 GB, in about 3 MB
    stream = bomb_stream(_UNIT, repeat)
    bomb = with_raw_member(source, tmp_path / "bombe.xlsx", name, stream, len(_UNIT) * repeat)
    with pytest.raises(DamagedFileError, match=r"se décompresse en .* Go"):
        check_file(bomb)
    for command in ("check", "update"):
        code, _out, err = run(command, str(bomb), "--today", TODAY)
        assert code == 2 and "abîmé ou piégé" in err and f"« {name} »" in err


def test_a_ratio_bomb_below_the_absolute_limit_is_refused(tmp_path: Path) -> None:
    source = register(tmp_path / "registre.xlsx")
    repeat = 400  # about 400 MB from 400 KB: a ratio no real part has
    stream = bomb_stream(_UNIT, repeat)
    bomb = with_raw_member(source, tmp_path / "bombe.xlsx", SHEET_PART, stream, len(_UNIT) * repeat)
    with pytest.raises(DamagedFileError, match="abîmé ou piégé"):
        check_file(bomb)


def test_a_member_that_lies_about_its_size_is_stopped_at_the_declared_size(
    tmp_path: Path,
) -> None:
    """Declared small, inflating to 1 GB: both readers stop at the declared size."""
    source = register(tmp_path / "registre.xlsx")
    head = part(source, SHEET_PART).split(b"<sheetData>")[0] + b"<sheetData>"
    stream = bomb_stream(_UNIT, 1_000, head, b"</sheetData></worksheet>")
    liar = with_raw_member(source, tmp_path / "menteur.xlsx", SHEET_PART, stream, 10_000)
    code, _out, err = run("check", str(liar), "--today", TODAY)
    assert code == 2 and "Erreur : le" in err
    code, _out, err = run("update", str(liar), "--today", TODAY)
    assert code == 2 and "Erreur : le" in err


def test_limits_leave_real_workbooks_alone() -> None:
    corpus = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
    books = sorted(corpus.glob("*.xls[xm]"))
    if not books:
        pytest.skip("corpus absent")
    for book in books:
        check_file(book)  # no refusal


# --- DTD, duplicates ------------------------------------------------------------------------

_DTD = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
)


@pytest.mark.parametrize("name", ["xl/workbook.xml", "xl/styles.xml", "docProps/core.xml"])
def test_an_xml_part_with_a_dtd_is_refused(tmp_path: Path, name: str) -> None:
    source = register(tmp_path / "registre.xlsx")
    xml = part(source, name)
    body = xml.split(b"?>", 1)[1] if xml.startswith(b"<?xml") else xml
    hostile = rezip(source, tmp_path / "dtd.xlsx", {name: _DTD + body})
    before = hostile.read_bytes()
    for command in ("check", "update"):
        code, _out, err = run(command, str(hostile), "--today", TODAY)
        assert code == 2 and "DTD" in err and f"« {name} »" in err
    assert hostile.read_bytes() == before


def test_a_duplicate_part_is_damage(tmp_path: Path) -> None:
    source = register(tmp_path / "registre.xlsx")
    with zipfile.ZipFile(source) as package:
        names = {i.filename: package.read(i) for i in package.infolist()}
    duplicate = tmp_path / "double.xlsx"
    with zipfile.ZipFile(duplicate, "w") as out:
        for name, data in names.items():
            out.writestr(name, data)
        with pytest.warns(UserWarning, match="Duplicate name"):
            out.writestr(SHEET_PART, names[SHEET_PART].replace(b"25.1601", b"99.9999"))
    for command in ("check", "update"):
        code, _out, err = run(command, str(duplicate), "--today", TODAY)
        assert code == 2
        assert "abîmé : deux parties du fichier portent ce même nom" in err
        assert f"(partie « {SHEET_PART} »)" in err


# --- output a terminal can trust ------------------------------------------------------------

HOSTILE = "Objet\x1b[2J\x07\x00 \u202eTXT.EXE"


def test_safe_text_shows_controls_and_bidi_escaped() -> None:
    assert safe_text(HOSTILE) == "Objet\\x1b[2J\\x07\\x00 \\u202eTXT.EXE"
    assert safe_text("Déjà\tvu\nligne") == "Déjà\tvu\nligne"  # tab, new line, accents kept


def _xlsxwriter_register(path: Path, rows: list[dict[Column, object]], sheet: str) -> Path:
    """Like ``make_register``, but written by xlsxwriter, which stores control characters as
    Excel does (``_x001B_``) where openpyxl refuses them."""
    import xlsxwriter

    from .workbooks import register_rows

    book = xlsxwriter.Workbook(str(path))
    page = book.add_worksheet(sheet)
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for r, values in enumerate(register_rows(rows)):
        for c, value in enumerate(values):
            if isinstance(value, dt.date):
                page.write_datetime(
                    r, c, dt.datetime(value.year, value.month, value.day), date_format
                )
            elif value is not None:
                page.write(r, c, value)
    book.close()
    return path


def test_check_text_output_escapes_cell_text(tmp_path: Path) -> None:
    rows = [entry(D(2025, 1, 10), origin="\x1b[31mXX\u202e", issuer=None, subject=HOSTILE)]
    path = _xlsxwriter_register(tmp_path / "registre.xlsx", rows, "Feuille\u202e1")
    code, out, err = run("check", str(path), "--today", TODAY)
    assert code in (0, 1), err
    assert "\\x1b[31mXX" in out  # the origin is reported, escaped
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e]", out + err)
    code, out, _err = run("check", str(path), "--today", TODAY, "--format", "json")
    assert code in (0, 1) and json.loads(out)["entries"] == 1


def test_update_report_escapes_sheet_names(tmp_path: Path) -> None:
    rows = [entry(D(2025, 1, 10))]
    path = _xlsxwriter_register(tmp_path / "registre.xlsx", rows, "Reg\u202eistre")
    code, out, err = run("update", str(path), "--today", TODAY, "--agence", "1601")
    assert code == 0, err
    assert "\u202e" not in out and "Reg\\u202eistre" in out


class _Terminal(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize("tty", [True, False])
def test_reading_prints_nothing_and_reports_to_its_callback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tty: bool
) -> None:
    """The library never prints, terminal or not: it tells its ``progress`` callback, and the
    command line draws the line (tests/test_cli_readable.py)."""
    path = register(tmp_path / "registre.xlsx")
    stream = _Terminal(tty)
    monkeypatch.setattr(sys, "stderr", stream)
    said: list[str] = []
    load_register(path, progress=said.append)
    load_register(path)
    assert stream.getvalue() == ""
    assert "Lecture de la feuille « Registre »" in said
