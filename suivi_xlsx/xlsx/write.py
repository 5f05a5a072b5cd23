"""Apply an ``UpdatePlan`` to the workbook on disk, surgically and safely.

Only the edited sheet parts (and ``styles.xml`` when a style must be appended) are rewritten;
every other zip entry is copied as raw bytes. The new package goes to a temporary file beside
the original, is re-read and checked, the original is backed up, then replaced atomically
(``os.replace``, which Windows supports too). On any failure the original is left as it was
and no temporary file remains.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import tempfile
import zipfile
import zlib
from pathlib import Path
from xml.parsers import expat

from ..errors import RefusedError, UnreadableFileError
from ..plan import CellEdit, Highlight, UpdatePlan, UpdateResult
from .locks import (
    changed_on_disk,
    check_folder_writable,
    check_not_open,
    check_unchanged,
    file_state,
    folder_not_writable,
    locked_on_replace,
)
from .package import read_workbook_info
from .patch import decode_part, patch_sheet, read_values
from .styles import Styles
from .xmltext import excel_serial
from .zipcopy import rewrite_package


def backup_path(path: Path, now: dt.datetime | None = None) -> Path:
    """``registre.xlsx`` → ``registre.sauvegarde-20261125-143210.xlsx`` (a free name)."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(f"{path.stem}.sauvegarde-{stamp}{path.suffix}")
    n = 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.sauvegarde-{stamp}-{n}{path.suffix}")
        n += 1
    return candidate


def _open_package(path: Path) -> tuple[bytes, zipfile.ZipFile]:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise UnreadableFileError(
            f"Le fichier {path} est introuvable : vérifiez le nom et le dossier.", path=path
        ) from exc
    except IsADirectoryError as exc:
        raise UnreadableFileError(
            f"{path} est un dossier : indiquez le fichier .xlsx du registre.", path=path
        ) from exc
    except PermissionError as exc:
        raise locked_on_replace(path) from exc
    try:
        return data, zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise UnreadableFileError(
            f"Le fichier {path.name} n'est pas un classeur Excel lisible : "
            "ouvrez-le et enregistrez-le au format .xlsx.",
            path=path,
        ) from exc


def _expected(edit: CellEdit, date1904: bool) -> str:
    value = edit.value
    if isinstance(value, dt.date):
        return str(excel_serial(value, date1904=date1904))
    return str(value)


def _verify(
    temp: Path,
    original: zipfile.ZipFile,
    replaced: dict[str, bytes],
    edits_by_part: dict[str, list[CellEdit]],
    date1904: bool,
) -> None:
    """Re-read the written file: sound zip, untouched entries identical, planned values there."""

    def failed(detail: str) -> RefusedError:
        return RefusedError(
            f"La vérification du classeur écrit a échoué ({detail}) : le fichier d'origine n'a "
            "pas été modifié. Signalez ce problème avec une copie du classeur."
        )

    with zipfile.ZipFile(temp) as written:
        before = {i.filename: i for i in original.infolist()}
        after = {i.filename: i for i in written.infolist()}
        if list(before) != list(after):
            raise failed("liste des parties")
        for name, info in before.items():
            try:
                data = written.read(name)  # checks the CRC of what was written
            except (zipfile.BadZipFile, OSError, zlib.error) as exc:
                raise failed(name) from exc
            content = replaced.get(name)
            if content is None:
                if (info.CRC, info.file_size) != (after[name].CRC, after[name].file_size):
                    raise failed(name)
                continue
            if data != content:
                raise failed(name)
            parser = expat.ParserCreate()
            try:
                parser.Parse(data, True)
            except expat.ExpatError as exc:
                raise failed(f"{name} : XML invalide") from exc
            edits = edits_by_part.get(name)
            if edits:
                found = read_values(data, [(e.row, e.column) for e in edits])
                for edit in edits:
                    if found[(edit.row, edit.column)] != _expected(edit, date1904):
                        raise failed(f"cellule {edit.cell}")


def apply_update(
    path: str | os.PathLike[str],
    plan: UpdatePlan,
    *,
    backup: bool = True,
    expected_mtime_ns: int | None = None,
) -> UpdateResult:
    """Write ``plan`` into the workbook at ``path``.

    Returns ``UpdateResult(written=False, …)`` without touching the file when there is nothing
    to change (no edits, highlight rules already there as planned). Raises ``FileLockedError``
    when the workbook is open in Excel/LibreOffice or Windows refuses the replace,
    ``RefusedError`` when the folder is read-only or the file changed meanwhile,
    ``UnreadableFileError`` / ``NoRegisterError`` when the file or a planned sheet is unusable.
    """
    path = Path(path)
    check_not_open(path)
    data, package = _open_package(path)
    state = file_state(path, data)
    if expected_mtime_ns is not None and state.mtime_ns != expected_mtime_ns:
        raise changed_on_disk(path)

    info = read_workbook_info(package)
    styles: Styles | None = None
    styles_codec: tuple[str, bytes] = ("utf-8", b"")
    if info.styles_part is not None and info.styles_part in package.namelist():
        text, codec, bom = decode_part(package.read(info.styles_part))
        styles = Styles(text)
        styles_codec = (codec, bom)

    edits_by_sheet: dict[str, list[CellEdit]] = {}
    for edit in plan.edits:
        edits_by_sheet.setdefault(edit.sheet, []).append(edit)
    highlights_by_sheet: dict[str, list[Highlight]] = {}
    for highlight in plan.highlights:
        highlights_by_sheet.setdefault(highlight.sheet, []).append(highlight)

    replaced: dict[str, bytes] = {}
    edits_by_part: dict[str, list[CellEdit]] = {}
    highlighted: list[str] = []
    for name in dict.fromkeys([*edits_by_sheet, *highlights_by_sheet]):
        sheet = info.sheet(name)
        if not sheet.is_worksheet:
            raise RefusedError(f"La feuille « {name} » n'est pas une feuille de calcul.")
        edits = edits_by_sheet.get(name, [])
        highlights = highlights_by_sheet.get(name, [])
        first_row = min((h.first_row for h in highlights), default=None)
        result = patch_sheet(
            package.read(sheet.part),
            edits,
            highlights,
            styles,
            date1904=info.date1904,
            first_entry_row=first_row,
        )
        if result.data is not None:
            replaced[sheet.part] = result.data
        if edits:
            edits_by_part[sheet.part] = edits
        if result.highlighted:
            highlighted.append(name)
    if styles is not None and styles.changed and info.styles_part is not None:
        codec, bom = styles_codec
        replaced[info.styles_part] = bom + styles.render().encode(codec)
    if not replaced:
        return UpdateResult(written=False, backup=None, highlighted_sheets=())

    new_data = rewrite_package(data, replaced)
    folder = path.parent if str(path.parent) else Path(".")
    check_folder_writable(folder)
    try:
        fd, temp_name = tempfile.mkstemp(dir=folder, prefix="~suivi-", suffix=path.suffix)
    except PermissionError as exc:
        raise folder_not_writable(folder) from exc
    temp = Path(temp_name)
    made_backup: Path | None = None
    replaced_ok = False
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(new_data)
            out.flush()
            os.fsync(out.fileno())
        shutil.copymode(path, temp)
        _verify(temp, package, replaced, edits_by_part, info.date1904)
        check_unchanged(path, state)
        if backup:
            made_backup = backup_path(path)
            shutil.copy2(path, made_backup)
        check_unchanged(path, state)
        os.replace(temp, path)
        replaced_ok = True
    except PermissionError as exc:
        raise locked_on_replace(path) from exc
    finally:
        if not replaced_ok:
            temp.unlink(missing_ok=True)
            if made_backup is not None:
                made_backup.unlink(missing_ok=True)
    return UpdateResult(written=True, backup=made_backup, highlighted_sheets=tuple(highlighted))
