"""The workbook package: zip entries, sheet name → part path, the 1904 date system.

Only the small parts (``_rels/.rels``, ``workbook.xml`` and its rels) are parsed as trees;
sheets are handled as text by ``patch.py``.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from urllib.parse import unquote
from xml.etree import ElementTree as ET

from suivi_xlsx.errors import NoRegisterError, UnreadableFileError
from suivi_xlsx.xlsx.xmltext import MalformedPart

_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOC = "/officeDocument"
_WORKSHEET = "/worksheet"
_STYLES = "/styles"
_R_ID = re.compile(r"^\{http://[^}]*relationships\}id$")


@dataclass(frozen=True, slots=True)
class SheetPart:
    """One sheet of the workbook and the zip entry holding its XML."""

    name: str
    part: str  # zip entry name, e.g. ``xl/worksheets/sheet1.xml``
    is_worksheet: bool  # False for chart sheets, macro sheets, dialog sheets


@dataclass(frozen=True, slots=True)
class WorkbookInfo:
    """What the writer needs from ``workbook.xml`` and its relationships."""

    workbook_part: str
    sheets: tuple[SheetPart, ...]
    styles_part: str | None
    date1904: bool

    def sheet(self, name: str) -> SheetPart:
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise NoRegisterError(
            f"La feuille « {name} » est introuvable dans le classeur ; "
            "vérifiez son nom (onglet en bas de la fenêtre d'Excel)."
        )


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _entry_names(zf: zipfile.ZipFile) -> dict[str, str]:
    """Lower-case name → actual name: OPC part names are case-insensitive."""
    return {name.lower(): name for name in zf.namelist()}


def _find_entry(names: dict[str, str], part: str) -> str | None:
    return names.get(part.lower())


def rels_path(part: str) -> str:
    """``xl/workbook.xml`` → ``xl/_rels/workbook.xml.rels``."""
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def resolve_target(source_part: str, target: str) -> str:
    """A relationship target (relative to the source part's folder, or absolute) → entry name."""
    target = unquote(target.replace("\\", "/"))
    if target.startswith("/"):
        path = target.lstrip("/")
    else:
        path = posixpath.join(posixpath.dirname(source_part), target)
    return posixpath.normpath(path).lstrip("/")


def parse_part(zf: zipfile.ZipFile, entry: str) -> ET.Element:
    """The small part ``entry`` as a tree; ``MalformedPart`` naming it when it is not XML (or
    not decodable: an unknown encoding, bad bytes)."""
    try:
        return ET.fromstring(zf.read(entry))
    except ET.ParseError as exc:
        raise MalformedPart("une partie XML est mal formée", entry) from exc
    except (LookupError, UnicodeError, ValueError) as exc:
        raise MalformedPart("une partie XML est dans un encodage illisible", entry) from exc


def _read_rels(zf: zipfile.ZipFile, names: dict[str, str], part: str) -> list[tuple[str, str, str]]:
    """(id, type, resolved target) of every internal relationship of ``part``."""
    entry = _find_entry(names, rels_path(part) if part else "_rels/.rels")
    if entry is None:
        return []
    root = parse_part(zf, entry)
    out = []
    for rel in root:
        if _local(rel.tag) != "Relationship" or rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        out.append((rel.get("Id", ""), rel.get("Type", ""), resolve_target(part, target)))
    return out


def read_workbook_info(zf: zipfile.ZipFile) -> WorkbookInfo:
    """Sheets (in workbook order) with their parts, the styles part and the date system."""
    names = _entry_names(zf)
    workbook_part = None
    for _id, rel_type, target in _read_rels(zf, names, ""):
        if rel_type.endswith(_OFFICE_DOC):
            workbook_part = _find_entry(names, target)
            break
    if workbook_part is None:
        workbook_part = _find_entry(names, "xl/workbook.xml")
    if workbook_part is None:
        raise UnreadableFileError(
            "Ce fichier n'est pas un classeur Excel : enregistrez-le au format .xlsx."
        )
    root = parse_part(zf, workbook_part)
    rels = {
        rel_id: (rel_type, target)
        for rel_id, rel_type, target in _read_rels(zf, names, workbook_part)
    }
    date1904 = False
    sheets: list[SheetPart] = []
    for child in root:
        local = _local(child.tag)
        if local == "workbookPr":
            date1904 = child.get("date1904", "").strip().lower() in ("1", "true")
        elif local == "sheets":
            for sheet in child:
                if _local(sheet.tag) != "sheet":
                    continue
                rel_id = next((v for k, v in sheet.attrib.items() if _R_ID.match(k)), None)
                rel = rels.get(rel_id or "")
                if rel is None:
                    continue
                part = _find_entry(names, rel[1]) or rel[1]
                sheets.append(SheetPart(sheet.get("name", ""), part, rel[0].endswith(_WORKSHEET)))
    styles_part = None
    for rel_type, target in rels.values():
        if rel_type.endswith(_STYLES):
            styles_part = _find_entry(names, target) or target
            break
    return WorkbookInfo(workbook_part, tuple(sheets), styles_part, date1904)
