"""Which kind of workbook a file is, from its first bytes (its name only breaks ties), and the
French words that go with each kind: the program that repairs it, how to save it.

Format-independent: the reader, the guard and the writer all ask. Only the standard library.
"""

from __future__ import annotations

import enum
import os

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
ODS_SUFFIXES = frozenset({".ods", ".ots"})
XLS_SUFFIXES = frozenset({".xls", ".xlt"})


class Format(enum.Enum):
    """A workbook format suivi_xlsx reads."""

    XLSX = "xlsx"  # Office Open XML: .xlsx, .xlsm (and templates)
    ODS = "ods"  # OpenDocument spreadsheet (LibreOffice Calc's own format)
    XLS = "xls"  # Excel 97-2003 (BIFF in an OLE2 container): read only


def is_odf_head(head: bytes) -> bool:
    """ODF puts an uncompressed ``mimetype`` member first: its name at 30, its content at 38."""
    return head[30:38] == b"mimetype" and b"opendocument.spreadsheet" in head[38:120]


def format_of(head: bytes, suffix: str) -> Format | None:
    """The format of a file starting with ``head`` (at least its first 120 bytes) and named
    with ``suffix``; ``None`` when it is neither a zip nor an OLE2 container."""
    if head.startswith(OLE2_MAGIC):
        return Format.XLS
    if head.startswith(ZIP_MAGICS):
        if is_odf_head(head) or suffix.lower() in ODS_SUFFIXES:
            return Format.ODS
        return Format.XLSX
    return None


def sniff(path: str | os.PathLike[str]) -> Format | None:
    """The format of the file at ``path`` (``None``: unreadable, or not a workbook)."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as stream:
            head = stream.read(120)
    except OSError:
        return None
    return format_of(head, os.path.splitext(name)[1])


def repair_advice(fmt: Format) -> str:
    """« ouvrez-le dans … qui proposera de le réparer, puis … » for a damaged file."""
    if fmt is Format.ODS:
        return (
            "ouvrez-le dans LibreOffice qui proposera de le réparer, puis enregistrez-le "
            "(Fichier > Enregistrer)"
        )
    return "ouvrez-le dans Excel qui proposera de le réparer, puis enregistrez-le au format .xlsx"


def kind_name(fmt: Format) -> str:
    """« classeur Excel », « classeur LibreOffice (.ods) »: what the file was read as."""
    if fmt is Format.ODS:
        return "classeur LibreOffice (.ods)"
    if fmt is Format.XLS:
        return "classeur Excel 97-2003 (.xls)"
    return "classeur Excel"
