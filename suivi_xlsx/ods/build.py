"""Write a new OpenDocument spreadsheet from a plain description: sheets of columns (width,
default cell style) and rows of cells (value, style, validation list), with ``mimetype``
first and stored, as LibreOffice expects. For the blank register (``suivi init --format ods``).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" office:version="1.3"'
)
# Cell styles every document gets: the names the descriptions use.
_CELL_STYLES = (
    '<number:date-style style:name="Ndate"><number:day number:style="long"/><number:text>/'
    '</number:text><number:month number:style="long"/><number:text>/</number:text>'
    '<number:year number:style="long"/></number:date-style>'
    '<number:text-style style:name="Ntext"><number:text-content/></number:text-style>'
    '<style:style style:name="date" style:family="table-cell" style:parent-style-name="Default"'
    ' style:data-style-name="Ndate"><style:table-cell-properties style:vertical-align="top"/>'
    "</style:style>"
    '<style:style style:name="text" style:family="table-cell" style:parent-style-name="Default"'
    ' style:data-style-name="Ntext"><style:table-cell-properties style:vertical-align="top"/>'
    "</style:style>"
    '<style:style style:name="plain" style:family="table-cell" style:parent-style-name="Default">'
    '<style:table-cell-properties style:vertical-align="top"/></style:style>'
    '<style:style style:name="wrap" style:family="table-cell" style:parent-style-name="Default">'
    '<style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"/></style:style>'
    '<style:style style:name="header" style:family="table-cell" style:parent-style-name="Default">'
    '<style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top" '
    'fo:border="0.5pt solid #000000" fo:background-color="#dae3f3"/>'
    '<style:text-properties fo:font-weight="bold" fo:font-size="9pt"/></style:style>'
    '<style:style style:name="bold" style:family="table-cell" style:parent-style-name="Default">'
    '<style:table-cell-properties style:vertical-align="top"/>'
    '<style:text-properties fo:font-weight="bold"/></style:style>'
    '<style:style style:name="title" style:family="table-cell" style:parent-style-name="Default">'
    '<style:text-properties fo:font-weight="bold" fo:font-size="14pt"/></style:style>'
    '<style:style style:name="value" style:family="table-cell" style:parent-style-name="Default"'
    ' style:data-style-name="Ntext"><style:table-cell-properties fo:background-color="#fff2cc" '
    'fo:border="0.5pt solid #000000" style:vertical-align="top"/></style:style>'
    '<style:style style:name="note" style:family="table-cell" style:parent-style-name="Default">'
    '<style:table-cell-properties fo:wrap-option="wrap" style:vertical-align="top"/>'
    '<style:text-properties fo:color="#595959"/></style:style>'
)
CELL_STYLES = ("date", "text", "plain", "wrap", "header", "bold", "title", "value", "note")


@dataclass(frozen=True, slots=True)
class Validation:
    """A dropdown list (``choices``) on some cells, with the message shown on a wrong entry."""

    name: str
    choices: tuple[str, ...]
    error: str


@dataclass(frozen=True, slots=True)
class CellSpec:
    value: str | int | dt.date | None = None
    style: str | None = None
    validation: str | None = None  # a Validation's name


@dataclass(slots=True)
class SheetSpec:
    name: str
    columns: Sequence[tuple[float, str]]  # (width in characters, default cell style)
    rows: list[tuple[float | None, list[CellSpec]]] = field(default_factory=list)
    # (count, cells): a block of identical rows (the empty table body), written once.
    repeated: list[tuple[int, list[CellSpec]]] = field(default_factory=list)
    # The first rows kept in view while scrolling and printed atop every page (0: none).
    header_rows: int = 0
    landscape: bool = False  # A4 landscape, one page wide (else A4 portrait, one page wide)


def _cell(spec: CellSpec) -> str:
    attributes = ""
    if spec.style:
        attributes += f' table:style-name="{spec.style}"'
    if spec.validation:
        attributes += f' table:content-validation-name="{spec.validation}"'
    value = spec.value
    if value is None:
        return f"<table:table-cell{attributes}/>"
    if isinstance(value, dt.date):
        attributes += f' office:value-type="date" office:date-value="{value.isoformat()}"'
        shown = f"{value:%d/%m/%Y}"
    elif isinstance(value, int):
        attributes += f' office:value-type="float" office:value="{value}"'
        shown = str(value)
    else:
        attributes += ' office:value-type="string"'
        shown = value
    paragraphs = "".join(f"<text:p>{escape(line)}</text:p>" for line in shown.split("\n"))
    return f"<table:table-cell{attributes}>{paragraphs}</table:table-cell>"


def _validation(spec: Validation, base: str) -> str:
    listed = ";".join('"' + choice.replace('"', '""') + '"' for choice in spec.choices)
    return (
        f"<table:content-validation table:name={quoteattr(spec.name)} "
        f"table:condition={quoteattr(f'of:cell-content-is-in-list({listed})')} "
        f'table:allow-empty-cell="true" table:display-list="unsorted" '
        f"table:base-cell-address={quoteattr(base)}>"
        f'<table:error-message table:title="Valeur inattendue" table:message-type="stop" '
        f'table:display="true"><text:p>{escape(spec.error)}</text:p></table:error-message>'
        "</table:content-validation>"
    )


# A4, 1 cm margins, scaled to one page wide; the tables name their master page.
_PAGE_LAYOUT = (
    '<style:page-layout style:name="{name}"><style:page-layout-properties '
    'fo:page-width="{width}" fo:page-height="{height}" style:print-orientation="{orientation}" '
    'fo:margin-top="1cm" fo:margin-bottom="1cm" fo:margin-left="1cm" fo:margin-right="1cm" '
    'style:scale-to-X="1" style:scale-to-Y="0"/></style:page-layout>'
)
_PAGE_STYLES = (
    "<office:automatic-styles>"
    + _PAGE_LAYOUT.format(name="pm-portrait", width="21cm", height="29.7cm", orientation="portrait")
    + _PAGE_LAYOUT.format(
        name="pm-landscape", width="29.7cm", height="21cm", orientation="landscape"
    )
    + "</office:automatic-styles><office:master-styles>"
    '<style:master-page style:name="Portrait" style:page-layout-name="pm-portrait"/>'
    '<style:master-page style:name="Paysage" style:page-layout-name="pm-landscape"/>'
    "</office:master-styles>"
)
_TABLE_STYLES = (
    '<style:style style:name="ta-portrait" style:family="table" style:master-page-name="Portrait">'
    '<style:table-properties table:display="true"/></style:style>'
    '<style:style style:name="ta-landscape" style:family="table" style:master-page-name="Paysage">'
    '<style:table-properties table:display="true"/></style:style>'
)


def _item(name: str, kind: str, value: object) -> str:
    return (
        f'<config:config-item config:name="{name}" config:type="{kind}">{value}'
        "</config:config-item>"
    )


def _settings(sheets: Sequence[SheetSpec]) -> str:
    """settings.xml: the first sheet active, each sheet's header rows frozen (LibreOffice's
    view settings: a vertical split in « freeze » mode, 2, below the header)."""
    tables = []
    for sheet in sheets:
        rows = sheet.header_rows
        items = (
            [
                _item("HorizontalSplitMode", "short", 0),
                _item("VerticalSplitMode", "short", 2),
                _item("VerticalSplitPosition", "int", rows),
                _item("ActiveSplitRange", "short", 2),
                _item("PositionTop", "int", 0),
                _item("PositionBottom", "int", rows),
            ]
            if rows
            else []
        )
        items.append(_item("CursorPositionX", "int", 0))
        items.append(_item("CursorPositionY", "int", rows))
        tables.append(
            f"<config:config-item-map-entry config:name={quoteattr(sheet.name)}>"
            + "".join(items)
            + "</config:config-item-map-entry>"
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-settings '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:config="urn:oasis:names:tc:opendocument:xmlns:config:1.0" office:version="1.3">'
        '<office:settings><config:config-item-set config:name="ooo:view-settings">'
        '<config:config-item-map-indexed config:name="Views"><config:config-item-map-entry>'
        + _item("ViewId", "string", "view1")
        + '<config:config-item-map-named config:name="Tables">'
        + "".join(tables)
        + "</config:config-item-map-named>"
        + _item("ActiveTable", "string", escape(sheets[0].name))
        + "</config:config-item-map-entry></config:config-item-map-indexed>"
        "</config:config-item-set></office:settings></office:document-settings>"
    )


def build_ods(sheets: Sequence[SheetSpec], validations: Sequence[Validation], title: str) -> bytes:
    """The .ods bytes (the same bytes for the same description: fixed zip dates)."""
    widths: dict[float, str] = {}
    heights: dict[float, str] = {}
    tables = []
    for sheet in sheets:
        columns = []
        for width, style in sheet.columns:
            name = widths.setdefault(width, f"co{len(widths) + 1}")
            columns.append(
                f'<table:table-column table:style-name="{name}" '
                f'table:default-cell-style-name="{style}"/>'
            )
        body = []
        for height, cells in sheet.rows:
            row_style = ""
            if height is not None:
                row_style = (
                    f' table:style-name="{heights.setdefault(height, f"ro{len(heights) + 1}")}"'
                )
            body.append(
                f"<table:table-row{row_style}>{''.join(map(_cell, cells))}</table:table-row>"
            )
        for count, cells in sheet.repeated:
            body.append(
                f'<table:table-row table:number-rows-repeated="{count}">'
                f"{''.join(map(_cell, cells))}</table:table-row>"
            )
        if sheet.header_rows:  # printed atop every page
            header = "".join(body[: sheet.header_rows])
            body[: sheet.header_rows] = [
                f"<table:table-header-rows>{header}</table:table-header-rows>"
            ]
        layout = "ta-landscape" if sheet.landscape else "ta-portrait"
        tables.append(
            f"<table:table table:name={quoteattr(sheet.name)} table:style-name={quoteattr(layout)}>"
            f"{''.join(columns)}{''.join(body)}</table:table>"
        )
    automatic = (
        _TABLE_STYLES
        + "".join(
            f'<style:style style:name="{name}" style:family="table-column">'
            "<style:table-column-properties "
            f'style:column-width="{width * 0.21:.2f}cm"/></style:style>'
            for width, name in widths.items()
        )
        + "".join(
            f'<style:style style:name="{name}" style:family="table-row">'
            f'<style:table-row-properties style:row-height="{height * 0.0353:.2f}cm" '
            'style:use-optimal-row-height="false"/></style:style>'
            for height, name in heights.items()
        )
    )
    first = sheets[0].name.replace("'", "''")
    checks = "".join(_validation(v, f"'{first}'.A1") for v in validations)
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_NS}>'
        f"<office:automatic-styles>{automatic}</office:automatic-styles>"
        "<office:body><office:spreadsheet>"
        + (f"<table:content-validations>{checks}</table:content-validations>" if checks else "")
        + "".join(tables)
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    styles = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles {_NS}>'
        '<office:styles><style:default-style style:family="table-cell">'
        '<style:text-properties fo:font-size="10pt"/></style:default-style>'
        '<style:style style:name="Default" style:family="table-cell"/>'
        f"{_CELL_STYLES}</office:styles>{_PAGE_STYLES}</office:document-styles>"
    )
    settings = _settings(sheets)
    meta = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-meta {_NS}><office:meta>'
        f"<dc:title>{escape(title)}</dc:title><meta:generator>suivi_xlsx</meta:generator>"
        "</office:meta></office:document-meta>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        + "".join(
            f'<manifest:file-entry manifest:full-path="{part}" manifest:media-type="text/xml"/>'
            for part in ("content.xml", "styles.xml", "meta.xml", "settings.xml")
        )
        + "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    stamp = (2025, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w") as package:
        members = (
            ("mimetype", MIMETYPE),
            ("content.xml", content.encode()),
            ("styles.xml", styles.encode()),
            ("meta.xml", meta.encode()),
            ("settings.xml", settings.encode()),
            ("META-INF/manifest.xml", manifest.encode()),
        )
        for name, data in members:
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            package.writestr(zipfile.ZipInfo(name, stamp), data, compress_type=method)
    return buffer.getvalue()
