"""Build small OpenDocument spreadsheets in tests, by code (no LibreOffice needed): the
members LibreOffice writes (``mimetype`` first and stored, the manifest, ``content.xml``)."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"'
)
_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<manifest:manifest xmlns:manifest='
    '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type='
    '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path='
    '"content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
)


STYLES = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<office:document-styles ' + _NS + " office:version="
    '"1.3"><office:styles><style:default-style style:family="table-cell"/></office:styles>'
    "</office:document-styles>"
)


def _cell(value: object) -> str:
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, dt.date):
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value.isoformat()}">'
            f"<text:p>{value:%d/%m/%Y}</text:p></table:table-cell>"
        )
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p>'
        "</table:table-cell>"
    )


def content_xml(sheets: Mapping[str, Sequence[Sequence[object]]]) -> bytes:
    tables = []
    for name, rows in sheets.items():
        body = "".join(
            "<table:table-row>" + "".join(map(_cell, row)) + "</table:table-row>" for row in rows
        )
        tables.append(f'<table:table table:name="{escape(name)}">{body}</table:table>')
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<office:document-content {_NS} '
        'office:version="1.3"><office:automatic-styles/><office:body><office:spreadsheet>'
        + "".join(tables)
        + "</office:spreadsheet></office:body></office:document-content>"
    ).encode()


def make_ods(
    path: Path,
    sheets: Mapping[str, Sequence[Sequence[object]]],
    *,
    change: Callable[[str, bytes], bytes | None] | None = None,
) -> Path:
    """An .ods with ``sheets`` (rows of values); ``change(name, data)`` may alter a member
    (or drop it, returning ``None``) to make damaged files."""
    members = {
        "mimetype": MIMETYPE,
        "META-INF/manifest.xml": _MANIFEST.encode(),
        "styles.xml": STYLES.encode(),
        "content.xml": content_xml(sheets),
    }
    with zipfile.ZipFile(path, "w") as package:
        for name, data in members.items():
            changed = change(name, data) if change is not None else data
            if changed is None:
                continue
            method = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
            package.writestr(zipfile.ZipInfo(name), changed, compress_type=method)
    return path
