"""Compare workbook packages part by part, and type a register into one sheet of a real file.

Independent of the code under test: zip members are read with ``zipfile``, sheet elements are
located with ``expat`` byte offsets.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import struct
import zipfile
from collections.abc import Sequence
from pathlib import Path
from xml.parsers import expat
from xml.sax.saxutils import escape

from suivi_xlsx.domain.a1 import column_letter

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"


def zip_parts(content: bytes) -> list[tuple[str, tuple[int, ...], bytes]]:
    """Every part of a package in order: name, timestamp and uncompressed bytes."""
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return [(i.filename, i.date_time, package.read(i)) for i in package.infolist()]


def parts(path: Path) -> dict[str, bytes]:
    """Uncompressed content of every zip member, in archive order."""
    with zipfile.ZipFile(path) as zf:
        return {info.filename: zf.read(info) for info in zf.infolist()}


def infos(path: Path) -> list[tuple[str, int, tuple[int, ...], int]]:
    """(name, compress type, date_time, external attributes) of every member, in order."""
    with zipfile.ZipFile(path) as zf:
        return [(i.filename, i.compress_type, i.date_time, i.external_attr) for i in zf.infolist()]


def raw_members(path: Path) -> dict[str, bytes]:
    """Each member's compressed bytes as stored (to prove a raw, unrecompressed copy)."""
    data = path.read_bytes()
    out = {}
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            offset = info.header_offset
            nlen, xlen = struct.unpack("<HH", data[offset + 26 : offset + 30])
            start = offset + 30 + nlen + xlen
            out[info.filename] = data[start : start + info.compress_size]
    return out


def changed_parts(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """Names whose content differs (or that exist on one side only)."""
    names = set(before) | set(after)
    return {name for name in names if before.get(name) != after.get(name)}


def top_level(xml: bytes) -> list[tuple[str, bytes]]:
    """(local name, exact bytes) of each child of the root element, in document order."""
    out: list[tuple[str, bytes]] = []
    depth = 0
    start = 0
    parser = expat.ParserCreate()

    def on_start(name: str, _attrs: object) -> None:
        nonlocal depth, start
        depth += 1
        if depth == 2:
            start = parser.CurrentByteIndex

    def on_end(name: str) -> None:
        nonlocal depth
        if depth == 2:
            tag_end = xml.index(b">", start) + 1
            if xml[tag_end - 2 : tag_end] == b"/>":  # an empty element ``<name …/>``
                end = tag_end
            else:  # the end event is reported at ``</name>``
                end = xml.index(b">", parser.CurrentByteIndex) + 1
            out.append((name.rsplit(":", 1)[-1], xml[start:end]))
        depth -= 1

    parser.StartElementHandler = on_start
    parser.EndElementHandler = on_end
    parser.Parse(xml, True)
    return out


def elements_except(xml: bytes, *skip: str) -> list[tuple[str, bytes]]:
    """Top-level elements other than those named (e.g. ``sheetData``, ``dimension``)."""
    return [(name, text) for name, text in top_level(xml) if name not in skip]


def sheet_part(path: Path, sheet: str) -> str:
    """Zip member of a sheet, from workbook.xml and its rels (test-side resolution)."""
    with zipfile.ZipFile(path) as zf:
        workbook = zf.read("xl/workbook.xml").decode("utf-8")
        rels = zf.read("xl/_rels/workbook.xml.rels").decode("utf-8")
    for match in re.finditer(r"<(?:\w+:)?sheet\b([^>]*)/?>", workbook):
        attrs = match.group(1)
        name = re.search(r'\sname="([^"]*)"', attrs)
        rid = re.search(r'\sr:id="([^"]*)"', attrs)
        if name and rid and _unescape(name.group(1)) == sheet:
            for rel in re.finditer(r"<Relationship\b([^>]*)/?>", rels):
                if f'Id="{rid.group(1)}"' in rel.group(1):
                    target = re.search(r'Target="([^"]*)"', rel.group(1))
                    assert target is not None
                    value = target.group(1)
                    return value.lstrip("/") if value.startswith("/") else "xl/" + value
    raise KeyError(sheet)


def _unescape(text: str) -> str:
    return (
        text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
    )


def rows_xml(rows: Sequence[Sequence[object]], prefix: str = "") -> str:
    """``<row>`` elements: text as inline strings, ints as numbers, dates as dd/mm/yyyy text."""
    out = []
    for r, values in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(values):
            if value is None:
                continue
            ref = f"{column_letter(c)}{r}"
            if isinstance(value, int):
                cells.append(f'<{prefix}c r="{ref}"><{prefix}v>{value}</{prefix}v></{prefix}c>')
                continue
            text = value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)
            cells.append(
                f'<{prefix}c r="{ref}" t="inlineStr"><{prefix}is><{prefix}t>{escape(text)}'
                f"</{prefix}t></{prefix}is></{prefix}c>"
            )
        out.append(f'<{prefix}row r="{r}">{"".join(cells)}</{prefix}row>')
    return "".join(out)


def type_register(source: Path, target: Path, sheet: str, rows: Sequence[Sequence[object]]) -> str:
    """Copy ``source`` to ``target`` with the rows of ``sheet`` replaced by ``rows`` (a header
    then entries), editing nothing but that sheet's ``sheetData``. Returns the sheet's part."""
    part = sheet_part(source, sheet)
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == part:
                data = _with_rows(data.decode("utf-8"), rows).encode("utf-8")
            zout.writestr(info, data, compress_type=info.compress_type)
    return part


def _with_rows(text: str, rows: Sequence[Sequence[object]]) -> str:
    root = re.search(r"<(\w+:)?worksheet\b", text)
    prefix = (root.group(1) or "") if root else ""
    p = re.escape(prefix)
    new_rows = rows_xml(rows, prefix)
    empty = re.compile(rf"<{p}sheetData\s*/>")
    if empty.search(text):
        sheet_data = f"<{prefix}sheetData>{new_rows}</{prefix}sheetData>"
        return empty.sub(lambda m: sheet_data, text, count=1)
    full = re.compile(rf"(<{p}sheetData\b[^>]*>).*?(</{p}sheetData>)", re.DOTALL)
    return full.sub(lambda m: m.group(1) + new_rows + m.group(2), text, count=1)


def saved_by(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        try:
            app = zf.read("docProps/app.xml").decode("utf-8", "replace")
        except KeyError:
            return ""
    match = re.search(r"<Application>(.*?)</Application>", app)
    return match.group(1) if match else ""
