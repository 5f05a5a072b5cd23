"""The sheet patch works on the part's bytes in one pass (issue 13): encodings, references
typed in cell text, damaged bytes outside the edited rows, and the neighbour style it copies,
checked against a plain search on random sheets."""

from __future__ import annotations

import codecs
import datetime as dt
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suivi_xlsx.domain.model import Column
from suivi_xlsx.domain.plan import CellEdit, UpdatePlan
from suivi_xlsx.errors import DamagedFileError
from suivi_xlsx.xlsx import patch as patch_module
from suivi_xlsx.xlsx.patch import WrittenValues, patch_sheet, read_values
from suivi_xlsx.xlsx.write import apply_update

from .test_hardening_reader import SHEET_PART, rezip
from .workbooks import entry, make_register

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def sheet(rows: str, *, declaration: str = '<?xml version="1.0" encoding="UTF-8"?>') -> str:
    return f'{declaration}<worksheet xmlns="{NS}"><sheetData>{rows}</sheetData></worksheet>'


def number(row: int, column: int = 3, text: str = "25.1601.001", sheet: str = "R") -> CellEdit:
    return CellEdit(sheet, row, column, text, Column.ORDER_NUMBER)


def test_a_utf16_part_is_patched_and_stays_utf16() -> None:
    text = sheet(
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Réclamation é</t></is></c></row>',
        declaration='<?xml version="1.0" encoding="UTF-16"?>',
    )
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    result = patch_sheet(data, [number(2, 1, "déjà")], [], None)
    assert result.data is not None and result.data.startswith(codecs.BOM_UTF16_LE)
    decoded = result.data[2:].decode("utf-16-le")
    assert '<c r="B2" t="inlineStr"><is><t>déjà</t></is></c>' in decoded
    assert "Réclamation é" in decoded


def test_a_utf8_bom_is_kept_and_other_rows_keep_their_bytes() -> None:
    rows = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Numéro</t></is></c></row>'
        '<row r="2"><c r="A2"><v>1</v></c></row>'
    )
    data = codecs.BOM_UTF8 + sheet(rows).encode()
    result = patch_sheet(data, [number(2)], [], None)
    assert result.data is not None and result.data.startswith(codecs.BOM_UTF8)
    before, _, _ = data.partition(b'<row r="2">')
    assert result.data.startswith(before)


def test_a_damaged_byte_in_a_row_not_edited_is_the_inputs_fault() -> None:
    data = sheet(
        '<row r="2"><c r="A2"><v>1</v></c></row>'
        '<row r="9"><c r="A9" t="inlineStr"><is><t>XX</t></is></c></row>'
    ).encode()
    broken = data.replace(b"XX", b"\xff\xfe")
    with pytest.raises(UnicodeDecodeError):
        patch_sheet(broken, [number(2)], [], None)


def test_the_writer_names_a_damaged_byte_as_damage(tmp_path: Path) -> None:
    source = make_register(tmp_path / "source.xlsx", [entry(dt.date(2025, 3, 5))])
    with zipfile.ZipFile(source) as package:
        xml = package.read(SHEET_PART)
    # An invalid UTF-8 byte in a row below the register, which the update does not edit (the
    # reader refuses such a file first; the writer must say the same on its own).
    damaged = xml.replace(b"</sheetData>", b'<row r="900" x="\xff"/></sheetData>')
    path = rezip(source, tmp_path / "registre.xlsx", {SHEET_PART: damaged})
    before = path.read_bytes()
    plan = UpdatePlan(path, (number(2, sheet="Registre"),), (), ())
    with pytest.raises(DamagedFileError, match="abîmé"):
        apply_update(path, plan, backup=False)
    assert path.read_bytes() == before


def test_a_reference_typed_in_a_cell_text_is_not_taken_for_that_cell() -> None:
    # Cell C2 holds the text r="D2": D2 does not exist, and must be inserted, not found there.
    data = sheet(
        '<row r="2"><c r="A2"><v>1</v></c>'
        '<c r="C2" t="inlineStr"><is><t> r="D2" </t></is></c></row>'
        '<row r="3"><c r="C3" t="inlineStr"><is><t> r="D9"</t></is></c></row>'
    ).encode()
    result = patch_sheet(data, [number(2)], [], None, first_entry_row=2)
    assert result.data is not None
    assert read_values(result.data, [(2, 2), (2, 3)]) == {(2, 2): ' r="D2" ', (2, 3): "25.1601.001"}
    assert b'<t> r="D2" </t></is></c><c r="D2" t="inlineStr">' in result.data


# --- the neighbour style, against a plain search ----------------------------------------------


def _nearest(
    cells: dict[tuple[int, int], int], rows: list[int], number: int, column: int, lowest: int
) -> int | None:
    """What ``NeighbourStyles`` means, spelled out: the nearest cell of the column above
    (rows from ``lowest`` on), else below."""
    above = [r for r in rows if lowest <= r < number and (r, column) in cells]
    if above:
        return cells[(max(above), column)]
    below = [r for r in rows if r > number and (r, column) in cells]
    return cells[(min(below), column)] if below else None


@settings(max_examples=150, deadline=None)
@given(
    grid=st.dictionaries(
        st.tuples(st.integers(1, 30), st.integers(0, 3)), st.integers(0, 5), max_size=60
    ),
    extra_rows=st.sets(st.integers(1, 30), max_size=10),
    asked=st.lists(st.tuples(st.integers(1, 32), st.integers(0, 3)), min_size=1, max_size=30),
    lowest=st.integers(1, 5),
    referenced=st.booleans(),
)
def test_neighbour_styles_match_a_plain_search(
    grid: dict[tuple[int, int], int],
    extra_rows: set[int],
    asked: list[tuple[int, int]],
    lowest: int,
    referenced: bool,
) -> None:
    rows = sorted({r for r, _ in grid} | extra_rows)
    xml = []
    for r in rows:
        cells, previous = [], -1
        for c in range(4):
            if (r, c) in grid:
                s = f' s="{grid[(r, c)]}"' if grid[(r, c)] else ""
                # Without references, a cell that follows the previous column may omit its
                # own (Excel allows it): the sheet is then searched row by row.
                bare = not referenced and c == previous + 1
                ref = "" if bare else f' r="{"ABCD"[c]}{r}"'
                cells.append(f"<c{ref}{s}><v>{r}</v></c>")
                previous = c
        xml.append(f'<row r="{r}">{"".join(cells)}</row>')
    text = patch_module.SheetXml(sheet("".join(xml)).encode())
    styles = patch_module.NeighbourStyles(text, lowest)
    for number, column in sorted(asked):  # in row order, as the patch asks
        expected = _nearest(grid, rows, number, column, lowest)
        assert styles.style(number, column) == expected, (number, column)


def test_xml_broken_where_the_update_does_not_write_is_named_as_damage(tmp_path: Path) -> None:
    source = make_register(tmp_path / "source.xlsx", [entry(dt.date(2025, 3, 5))])
    with zipfile.ZipFile(source) as package:
        xml = package.read(SHEET_PART)
    # A mismatched tag in a row the update does not edit: the reader may pass over it, our
    # verification of the written part cannot; it must blame the input, not itself.
    broken = xml.replace(
        b"</sheetData>", b'<row r="900"><c r="A900"><v>1</x></c></row></sheetData>'
    )
    path = rezip(source, tmp_path / "registre.xlsx", {SHEET_PART: broken})
    before = path.read_bytes()
    plan = UpdatePlan(path, (number(2, sheet="Registre"),), (), ())
    with pytest.raises(DamagedFileError, match="abîmé") as caught:
        apply_update(path, plan, backup=False)
    assert "Signalez" not in str(caught.value)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("~")] == []


def test_an_empty_sheet_data_after_accented_text_opens_at_the_right_place() -> None:
    # Offsets are bytes: an accented code name before <sheetData/> must not shift the edit.
    data = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{NS}">'
        '<sheetPr codeName="Feuille_Réclamations"/><dimension ref="A1"/><sheetData/>'
        "</worksheet>"
    ).encode()
    result = patch_sheet(data, [number(2)], [], None)
    assert result.data is not None
    assert result.data.decode().endswith(
        '<sheetPr codeName="Feuille_Réclamations"/><dimension ref="A1:D2"/><sheetData>'
        '<row r="2"><c r="D2" t="inlineStr"><is><t>25.1601.001</t></is></c></row>'
        "</sheetData></worksheet>"
    )


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=12),
    size=st.integers(1, 97),
    prefix=st.sampled_from(["", "x:"]),
)
def test_written_values_read_a_stream_cut_anywhere(
    values: list[str], size: int, prefix: str
) -> None:
    """The verification reads the cells we wrote from chunks of any size: a reference or a
    cell cut between two chunks is still found, with the value read by ``read_values``."""
    p = prefix
    rows = "".join(
        f'<{p}row r="{r}"><{p}c r="A{r}"><{p}v>{r}</{p}v></{p}c></{p}row>'
        for r in range(2, 2 + len(values))
    )
    data = (
        f'<?xml version="1.0" encoding="UTF-8"?><{prefix}worksheet xmlns'
        f'{":x" if prefix else ""}="{NS}"><{prefix}sheetData>{rows}</{prefix}sheetData>'
        f"</{prefix}worksheet>"
    ).encode()
    edits = [number(2 + i, 3, text) for i, text in enumerate(values)]
    result = patch_sheet(data, edits, [], None)
    assert result.data is not None
    refs = [(e.row, e.column) for e in edits]
    finder = WrittenValues(prefix.encode(), refs)
    for start in range(0, len(result.data), size):
        finder.feed(result.data[start : start + size])
    assert finder.missing() == []
    assert finder.values == read_values(result.data, refs)
    assert [finder.values[ref] for ref in refs] == values


def test_freed_memory_is_given_back_without_failing_anywhere(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from suivi_xlsx.runtime import heap

    heap.release_freed_memory()  # glibc here: malloc_trim runs
    for platform in ("win32", "darwin"):
        monkeypatch.setattr(heap.sys, "platform", platform)
        heap.release_freed_memory()  # nothing to call there: returns quietly


def test_a_part_is_read_into_one_buffer_of_its_size(tmp_path: Path) -> None:
    from suivi_xlsx.xlsx.write import _read_part

    big = b"<x>" + b"a" * (3 << 20) + b"</x>"
    path = tmp_path / "p.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("big.xml", big)
        package.writestr("empty.xml", b"")
    with zipfile.ZipFile(path) as package:
        assert _read_part(package, "big.xml") == big
        assert _read_part(package, "empty.xml") == b""
