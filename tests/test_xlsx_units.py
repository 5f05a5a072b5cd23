"""The write-back layer's pieces: escaping, serials, styles, package resolution, sheet patching,
highlight rules, raw zip copy."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from xml.etree import ElementTree as ET

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suivi_xlsx.domain.model import Column
from suivi_xlsx.domain.plan import CellEdit, Highlight
from suivi_xlsx.domain.vocabulary import CLOSED_WORDS_TYPED
from suivi_xlsx.errors import NoRegisterError, RefusedError
from suivi_xlsx.xlsx.condfmt import kind_of, planned
from suivi_xlsx.xlsx.package import read_workbook_info, resolve_target
from suivi_xlsx.xlsx.patch import patch_sheet, read_values
from suivi_xlsx.xlsx.styles import Styles, is_date_format
from suivi_xlsx.xlsx.xmltext import (
    escape_cell_text,
    excel_serial,
    inline_string_cell,
    unescape_cell_text,
)
from suivi_xlsx.xlsx.zipcopy import rewrite_package

from .xlsxparts import top_level

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS = {"m": MAIN}


# -- xmltext ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("day", "date1904", "serial"),
    [
        (dt.date(1900, 1, 1), False, 1),
        (dt.date(1900, 2, 28), False, 59),
        (dt.date(1900, 3, 1), False, 61),  # 60 is Excel's phantom 29/02/1900
        (dt.date(2025, 3, 5), False, 45721),
        (dt.date(1904, 1, 1), True, 0),
        (dt.date(2025, 3, 5), True, 45721 - 1462),
    ],
)
def test_excel_serial(day: dt.date, date1904: bool, serial: int) -> None:
    assert excel_serial(day, date1904=date1904) == serial


def test_cell_text_escaping() -> None:
    assert escape_cell_text("a<b & c>\x01_x0041_") == "a&lt;b &amp; c&gt;_x0001__x005F_x0041_"


@given(st.text())
def test_cell_text_round_trip(text: str) -> None:
    # What Excel reads back from the escaped form is the original text.
    cell = inline_string_cell("", "A1", None, text)
    root = ET.fromstring(f'<w xmlns="{MAIN}">{cell}</w>')
    t = root.find("m:c/m:is/m:t", NS)
    assert t is not None
    raw = escape_cell_text(text)
    assert unescape_cell_text(raw) == text
    assert unescape_cell_text(_xml_text(t.text or "")) == text


def _xml_text(parsed: str) -> str:
    # ET already resolved &amp; etc.: re-escape only the ampersand-free form for unescape.
    return parsed.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_inline_string_keeps_blanks() -> None:
    assert inline_string_cell("x:", "D6", 3, " a ") == (
        '<x:c r="D6" s="3" t="inlineStr"><x:is><x:t xml:space="preserve"> a </x:t></x:is></x:c>'
    )


# -- styles -------------------------------------------------------------------------------
STYLES = (
    f'<?xml version="1.0"?><styleSheet xmlns="{MAIN}"><numFmts count="1">'
    '<numFmt numFmtId="170" formatCode="&quot;n°&quot;\\ 0"/></numFmts>'
    '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills>'
    '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0"/><xf numFmtId="14" applyNumberFormat="1"/>'
    '<xf numFmtId="170" fontId="0"><alignment wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "<tableStyles/></styleSheet>"
)


@pytest.mark.parametrize(
    ("code", "is_date"),
    [
        ("dd/mm/yyyy", True),
        ("[$-40C]d\\ mmmm\\ yyyy", True),
        ("hh:mm", False),
        ('"day"\\ 0', False),
        ("General", False),
        ("0.00", False),
    ],
)
def test_is_date_format(code: str, is_date: bool) -> None:
    assert is_date_format(code) is is_date


def test_styles_append_date_format_and_dxfs() -> None:
    styles = Styles(STYLES)
    assert [styles.is_date_style(i) for i in range(3)] == [False, True, False]
    assert styles.date_style(1) == 1
    assert styles.date_style(2) == 3
    assert styles.date_style(2) == 3  # appended once per base style
    assert (
        styles.add_dxf(
            '<dxf><fill><patternFill><bgColor rgb="FFFF0000"/></patternFill></fill></dxf>'
        )
        == 0
    )
    root = ET.fromstring(styles.render())
    fmts = root.find("m:numFmts", NS)
    assert fmts is not None and fmts.get("count") == "2"
    assert [(f.get("numFmtId"), f.get("formatCode")) for f in fmts] == [
        ("170", '"n°"\\ 0'),
        ("171", "dd/mm/yyyy"),
    ]
    xfs = root.find("m:cellXfs", NS)
    assert xfs is not None and xfs.get("count") == "4"
    new = xfs[3]
    assert (new.get("numFmtId"), new.get("applyNumberFormat"), len(new)) == ("171", "1", 1)
    # dxfs created in the schema position: right after cellStyles.
    names = [child.tag.split("}")[1] for child in root]
    assert names[names.index("cellStyles") + 1] == "dxfs"
    assert root.find("m:dxfs", NS).get("count") == "1"  # type: ignore[union-attr]


def test_styles_prefixed_and_empty_dxfs() -> None:
    text = (
        f'<x:styleSheet xmlns:x="{MAIN}"><x:cellXfs count="1"><x:xf numFmtId="0"/></x:cellXfs>'
        '<x:dxfs count="0"/></x:styleSheet>'
    )
    styles = Styles(text)
    assert styles.date_style(0) == 1
    assert styles.add_dxf("<dxf><font><b/></font></dxf>") == 0
    out = styles.render()
    assert '<x:dxfs count="1"><x:dxf><x:font><x:b/></x:font></x:dxf></x:dxfs>' in out
    assert out.startswith(f'<x:styleSheet xmlns:x="{MAIN}"><x:numFmts count="1">')
    ET.fromstring(out)


def test_styles_unchanged_render_is_identical() -> None:
    styles = Styles(STYLES)
    assert styles.date_style(1) == 1
    assert (styles.changed, styles.render()) == (False, STYLES)


# -- package ------------------------------------------------------------------------------
def _zip(members: dict[str, str]) -> zipfile.ZipFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        for name, text in members.items():
            zf.writestr(name, text)
    return zipfile.ZipFile(io.BytesIO(buffer.getvalue()))


REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def test_sheet_parts_resolved_through_rels() -> None:
    zf = _zip(
        {
            "_rels/.rels": f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
            f'relationships"><Relationship Id="r1" Type="{REL}/officeDocument" '
            'Target="/xl/wb.xml"/></Relationships>',
            "xl/wb.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><workbookPr date1904="1"/>'
            '<sheets><sheet name="Réclamations &amp; suivi" sheetId="1" r:id="a"/>'
            '<sheet name="Graphique" sheetId="2" r:id="b"/><sheet name="2025" sheetId="3" '
            'r:id="c"/></sheets></workbook>',
            "xl/_rels/wb.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/'
            f'package/2006/relationships"><Relationship Id="a" Type="{REL}/worksheet" '
            f'Target="worksheets/Sheet1.xml"/><Relationship Id="b" Type="{REL}/chartsheet" '
            f'Target="chartsheets/sheet1.xml"/><Relationship Id="c" Type="{REL}/worksheet" '
            f'Target="/xl/worksheets/sheet2.xml"/><Relationship Id="s" Type="{REL}/styles" '
            'Target="./styles.xml"/></Relationships>',
            "xl/worksheets/sheet1.xml": "<worksheet/>",
            "xl/worksheets/sheet2.xml": "<worksheet/>",
            "xl/styles.xml": "<styleSheet/>",
        }
    )
    info = read_workbook_info(zf)
    assert [(s.name, s.part, s.is_worksheet) for s in info.sheets] == [
        ("Réclamations & suivi", "xl/worksheets/sheet1.xml", True),
        ("Graphique", "xl/chartsheets/sheet1.xml", False),
        ("2025", "xl/worksheets/sheet2.xml", True),
    ]
    assert (info.workbook_part, info.styles_part, info.date1904) == (
        "xl/wb.xml",
        "xl/styles.xml",
        True,
    )
    with pytest.raises(NoRegisterError):
        info.sheet("Absente")


def test_resolve_target() -> None:
    assert resolve_target("xl/workbook.xml", "../customXml/item1.xml") == "customXml/item1.xml"
    assert resolve_target("xl/workbook.xml", "worksheets/sheet%201.xml") == (
        "xl/worksheets/sheet 1.xml"
    )


# -- patch --------------------------------------------------------------------------------
def sheet(rows: str, prefix: str = "", after: str = "", before: str = "") -> bytes:
    p = prefix
    ns = f'xmlns:{p[:-1]}="{MAIN}"' if p else f'xmlns="{MAIN}"'
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<{p}worksheet {ns}>'
        f'<{p}dimension ref="A1:C3"/>{before}<{p}sheetData>{rows}</{p}sheetData>{after}'
        f"</{p}worksheet>"
    ).encode()


def edit(ref_row: int, column: int, value: str | int | dt.date) -> CellEdit:
    return CellEdit("S", ref_row, column, value, Column.ORDER_NUMBER)


def cells_of(xml: bytes) -> list[tuple[str, str | None, str | None, str]]:
    """(ref, style, type, value text) of every cell, in document order."""
    root = ET.fromstring(xml)
    out = []
    for c in root.iter(f"{{{MAIN}}}c"):
        text = "".join(c.itertext())
        out.append((c.get("r") or "?", c.get("s"), c.get("t"), text))
    return out


def test_insert_in_column_order_with_neighbour_style() -> None:
    xml = sheet(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>1</v></c></row>'
        '<row r="2" spans="1:3"><c r="A2" s="4"><v>1</v></c><c r="B2" s="5"><v>45000</v></c>'
        '<c r="C2" s="6"><v>2</v></c></row>'
        '<row r="3" spans="1:1"><c r="A3" s="4"><v>1</v></c></row>'
    )
    result = patch_sheet(
        xml, [edit(3, 2, "25.1601.004"), edit(3, 1, 7)], [], None, first_entry_row=2
    )
    assert result.data is not None and not result.highlighted
    assert cells_of(result.data)[-3:] == [
        ("A3", "4", None, "1"),
        ("B3", "5", None, "7"),
        ("C3", "6", "inlineStr", "25.1601.004"),
    ]
    assert b'<row r="3" spans="1:3">' in result.data
    # Only row 3 differs.
    assert result.data.split(b'<row r="3"')[0] == xml.split(b'<row r="3"')[0]


def test_missing_row_created_in_order_and_dimension_grown() -> None:
    xml = sheet('<row r="2"><c r="A2"><v>1</v></c></row><row r="9"><c r="A9"><v>2</v></c></row>')
    result = patch_sheet(xml, [edit(5, 3, "x"), edit(12, 0, 3)], [], None)
    assert result.data is not None
    root = ET.fromstring(result.data)
    assert [r.get("r") for r in root.iter(f"{{{MAIN}}}row")] == ["2", "5", "9", "12"]
    assert root.find("m:dimension", NS).get("ref") == "A1:D12"  # type: ignore[union-attr]


def test_rows_and_cells_without_references() -> None:
    # Excel allows omitting r: positions follow the previous element.
    xml = sheet(
        "<row><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>"
        '<row r="7"><c r="B7"><v>4</v></c></row>'
    )
    result = patch_sheet(xml, [edit(2, 3, "n"), edit(4, 0, 9)], [], None)
    assert result.data is not None
    assert read_values(result.data, [(1, 1), (2, 0), (2, 3), (4, 0), (7, 1)]) == {
        (1, 1): "2",
        (2, 0): "3",
        (2, 3): "n",
        (4, 0): "9",
        (7, 1): "4",
    }


def test_prefixed_namespace_and_self_closing_elements() -> None:
    xml = sheet('<x:row r="1" spans="1:2"/>', prefix="x:")
    result = patch_sheet(xml, [edit(1, 1, "a"), edit(3, 0, 1)], [], None)
    assert result.data is not None
    text = result.data.decode()
    assert '<x:row r="1" spans="1:2"><x:c r="B1" t="inlineStr"><x:is><x:t>a</x:t>' in text
    assert '<x:row r="3"><x:c r="A3"><x:v>1</x:v></x:c></x:row></x:sheetData>' in text
    empty = sheet("", prefix="x:").replace(b"<x:sheetData></x:sheetData>", b"<x:sheetData/>")
    result = patch_sheet(empty, [edit(2, 0, "b")], [], None)
    assert result.data is not None and b'<x:sheetData><x:row r="2">' in result.data


def test_empty_styled_cell_replaced_keeping_its_style() -> None:
    xml = sheet('<row r="2"><c r="A2" s="3"/><c r="B2" s="2"><v></v></c></row>')
    result = patch_sheet(xml, [edit(2, 0, "a"), edit(2, 1, 5)], [], None)
    assert result.data is not None
    assert cells_of(result.data) == [("A2", "3", "inlineStr", "a"), ("B2", "2", None, "5")]


def test_cell_holding_a_value_is_never_overwritten() -> None:
    xml = sheet('<row r="2"><c r="A2"><f>1+1</f></c></row>')
    with pytest.raises(RefusedError):
        patch_sheet(xml, [edit(2, 0, "a")], [], None)


def test_date_cell_takes_date_style_of_neighbour_or_gets_one() -> None:
    styles = Styles(STYLES)
    xml = sheet(
        '<row r="1"><c r="A1" s="2" t="s"><v>0</v></c></row>'
        '<row r="2"><c r="A2" s="1"><v>45000</v></c><c r="B2" s="2" t="s"><v>1</v></c></row>'
    )
    day = dt.date(2025, 3, 5)
    result = patch_sheet(xml, [edit(3, 0, day), edit(3, 1, day)], [], styles, first_entry_row=2)
    assert result.data is not None
    # Column A: the neighbour's date style; column B (text dates only): style 2 + dd/mm/yyyy.
    assert cells_of(result.data)[-2:] == [("A3", "1", None, "45721"), ("B3", "3", None, "45721")]
    assert styles.changed


def test_date_in_1904_workbook() -> None:
    styles = Styles(STYLES)
    result = patch_sheet(sheet(""), [edit(2, 0, dt.date(1904, 1, 2))], [], styles, date1904=True)
    assert result.data is not None and cells_of(result.data) == [("A2", "3", None, "1")]


# -- highlight rules ----------------------------------------------------------------------
HL = Highlight(
    "S",
    first_row=2,
    last_row=100,
    first_column=0,
    last_column=10,
    due_column=9,
    closed_column=10,
    soon_days=7,
)


def test_planned_formulas() -> None:
    sqref, formulas = planned(HL)
    assert sqref == "A2:K100"
    # open: no closing date, unless the closing cell says « clôturé », « fait »… or starts with
    # such a word and a separator (« clos le 12/04/2025 »)
    words = "{" + ",".join(f'"{w}"' for w in CLOSED_WORDS_TYPED) + "}"
    blanked = "TRIM($K2)"
    for separator in ":,-.;":
        blanked = f'SUBSTITUTE({blanked},"{separator}"," ")'
    starts = f'LEFT({blanked}&" ",LEN({words})+1)={words}&" "'
    is_open = f"NOT(ISNUMBER($K2)),SUMPRODUCT(--({starts}))=0"
    assert formulas == {
        "overdue": f"AND(ISNUMBER($J2),$J2<TODAY(),{is_open})",
        "due-soon": f"AND(ISNUMBER($J2),$J2>=TODAY(),$J2-TODAY()<=7,{is_open})",
        "closed-late": "AND(ISNUMBER($K2),ISNUMBER($J2),$K2>$J2)",
    }
    assert [kind_of(f) for f in formulas.values()] == ["overdue", "due-soon", "closed-late"]
    assert kind_of("$A1>0") is None
    # the rules of earlier versions are ours too: refreshed in place, never doubled
    assert kind_of('AND($K2="",ISNUMBER($J2),$J2<TODAY())') == "overdue"
    assert kind_of('AND($K9="",ISNUMBER($J9),$J9>=TODAY(),$J9-TODAY()<=3)') == "due-soon"


USER_CF = (
    '<conditionalFormatting sqref="B2:B9"><cfRule type="cellIs" dxfId="0" priority="4" '
    'operator="greaterThan"><formula>10</formula></cfRule></conditionalFormatting>'
)
TAIL = (
    '<mergeCells count="1"><mergeCell ref="A1:C1"/></mergeCells>'
    '<dataValidations count="1"><dataValidation type="list" sqref="E2:E9">'
    '<formula1>"FS,QS,PA"</formula1></dataValidation></dataValidations>'
    '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
    '<tableParts count="1"><tablePart r:id="rId1" xmlns:r="' + REL + '"/></tableParts>'
    '<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:conditionalFormattings><x14:conditionalFormatting><x14:cfRule type="dataBar" '
    'priority="9" id="{1}"/></x14:conditionalFormatting></x14:conditionalFormattings></ext>'
    "</extLst>"
)


def names(xml: bytes) -> list[str]:
    return [name for name, _ in top_level(xml)]


def test_rules_inserted_at_schema_position_with_new_priorities() -> None:
    styles = Styles(STYLES)
    xml = sheet('<row r="2"><c r="A2"><v>1</v></c></row>', after=TAIL)
    result = patch_sheet(xml, [], [HL], styles)
    assert result.data is not None and result.highlighted
    assert names(result.data) == [
        "dimension",
        "sheetData",
        "mergeCells",
        "conditionalFormatting",
        "dataValidations",
        "pageMargins",
        "tableParts",
        "extLst",
    ]
    root = ET.fromstring(result.data)
    rules = root.findall("m:conditionalFormatting/m:cfRule", NS)
    assert [(r.get("dxfId"), r.get("priority")) for r in rules] == [
        ("0", "10"),
        ("1", "11"),
        ("2", "12"),
    ]
    # Everything else keeps its exact text.
    before = dict(top_level(xml))
    after = dict(top_level(result.data))
    for name in ("dimension", "sheetData", "mergeCells", "dataValidations", "tableParts", "extLst"):
        assert after[name] == before[name]


def test_rules_go_after_the_users_rules_and_are_not_stacked() -> None:
    styles = Styles(STYLES)
    xml = sheet("", after=USER_CF + TAIL)
    first = patch_sheet(xml, [], [HL], styles)
    assert first.data is not None
    blocks = [t for n, t in top_level(first.data) if n == "conditionalFormatting"]
    assert blocks[0] == USER_CF.encode() and len(blocks) == 2
    # Second run: nothing to do.
    again = patch_sheet(first.data, [], [HL], Styles(STYLES))
    assert (again.data, again.highlighted) == (None, False)
    # A longer range: only our block is rewritten, keeping its dxfs and priorities.
    longer = Highlight(**{**_fields(HL), "last_row": 250})
    styles3 = Styles(STYLES)
    third = patch_sheet(first.data, [], [longer], styles3)
    assert third.data is not None and not styles3.changed
    blocks3 = [t for n, t in top_level(third.data) if n == "conditionalFormatting"]
    assert blocks3[0] == USER_CF.encode() and len(blocks3) == 2
    assert b'sqref="A2:K250"' in blocks3[1]
    assert blocks3[1].replace(b"K250", b"K100") == blocks[1]


def _fields(h: Highlight) -> dict[str, object]:
    return {name: getattr(h, name) for name in h.__slots__}  # type: ignore[attr-defined]


def test_rules_before_end_tag_when_nothing_follows() -> None:
    styles = Styles(STYLES)
    result = patch_sheet(sheet(""), [], [HL], styles)
    assert result.data is not None
    assert names(result.data) == ["dimension", "sheetData", "conditionalFormatting"]


# -- raw zip copy -------------------------------------------------------------------------
def test_rewrite_package_copies_other_members_raw() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(
            zipfile.ZipInfo("[Content_Types].xml", (2020, 1, 2, 3, 4, 6)),
            "<T/>",
            compress_type=zipfile.ZIP_STORED,
        )
        zf.writestr("xl/a.xml", "a" * 1000, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("xl/b.bin", bytes(range(256)) * 10, compress_type=zipfile.ZIP_DEFLATED)
    data = buffer.getvalue()
    out = rewrite_package(data, {"xl/a.xml": b"<new/>"})
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(io.BytesIO(out)) as new:
        assert new.testzip() is None
        assert [i.filename for i in new.infolist()] == [i.filename for i in old.infolist()]
        assert new.read("xl/a.xml") == b"<new/>"
        assert new.read("xl/b.bin") == old.read("xl/b.bin")
        first_old, first_new = old.infolist()[0], new.infolist()[0]
        assert (first_new.date_time, first_new.compress_type) == (
            first_old.date_time,
            first_old.compress_type,
        )
    # The untouched member's local header and compressed bytes are copied verbatim.
    b_old = data[data.index(b"xl/b.bin") - 30 :]
    assert out[out.index(b"xl/b.bin") - 30 :].startswith(b_old[: 30 + 8 + 100])
