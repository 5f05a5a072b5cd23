"""Apply an ``UpdatePlan`` to the workbook on disk, surgically and safely.

Only the edited sheet parts (and ``styles.xml`` when a style must be appended) are rewritten;
every other zip entry is copied as raw bytes. The new package goes to a temporary file beside
the original, is re-read and checked, the original is backed up, then replaced atomically
(``os.replace``, which Windows supports too). On any failure the original is left as it was
and no temporary file remains.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import re
import shutil
import socket
import stat
import tempfile
import time
import warnings
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import cast
from xml.etree import ElementTree as ET
from xml.parsers import expat

from suivi_xlsx.domain.plan import CellEdit, Highlight, UpdatePlan, UpdateResult
from suivi_xlsx.errors import (
    DiskFullError,
    RefusedError,
    SuiviError,
    SuiviWarning,
    UnreadableFileError,
)
from suivi_xlsx.runtime.interrupts import (
    Pending,
    WrittenThenInterrupted,
    deferred_interrupts,
    mark_written,
)
from suivi_xlsx.xlsx import CHUNK
from suivi_xlsx.xlsx.guard import damaged, validate_members
from suivi_xlsx.xlsx.locks import (
    FileState,
    changed_on_disk,
    check_folder_writable,
    check_not_open,
    check_unchanged,
    file_state,
    folder_not_writable,
    locked_on_replace,
)
from suivi_xlsx.xlsx.package import read_workbook_info
from suivi_xlsx.xlsx.patch import WrittenValues, decode_part, patch_sheet, read_values
from suivi_xlsx.xlsx.styles import Styles
from suivi_xlsx.xlsx.xmltext import MalformedPart, excel_serial
from suivi_xlsx.xlsx.zipcopy import Content, chunks, rewrite_package
from suivi_xlsx.xlsx.zipopen import open_zip

#: Longest file name (one path component) most file systems take, in bytes.
NAME_LIMIT = 255


def fit_name(stem: str, tail: str, limit: int = NAME_LIMIT) -> str:
    """``stem + tail``, the stem shortened (never the tail) so that the name stays within
    ``limit`` bytes in the file system's encoding."""
    while stem and len(os.fsencode(stem + tail)) > limit:
        stem = stem[:-1]
    return stem + tail


def backup_path(path: Path, now: dt.datetime | None = None) -> Path:
    """``registre.xlsx`` → ``registre.sauvegarde-20261125-143210.xlsx`` (a free name, within
    the file-name length limit: a long stem is shortened)."""
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    candidate = path.with_name(fit_name(path.stem, f".sauvegarde-{stamp}{path.suffix}"))
    n = 2
    while candidate.exists():
        candidate = path.with_name(fit_name(path.stem, f".sauvegarde-{stamp}-{n}{path.suffix}"))
        n += 1
    return candidate


# --- temporary files ------------------------------------------------------------------------
# ``~suivi-<host>-<pid>-<random>.tmp<suffix>``: unmistakable, short whatever the register's
# name, and it says which process on which computer wrote it, so that the next run can tell a
# temp left by a killed run (its process is gone, or it is old) from one being written now.
_TEMP_PREFIX = "~suivi-"
_TEMP_RE = re.compile(r"^~suivi-([0-9a-f]{8})-([0-9]+)-[A-Za-z0-9_]+\.tmp\.[A-Za-z]{3,4}$")
# What earlier versions left (``tempfile`` default: 8 random characters), judged by age only.
_OLD_TEMP_RE = re.compile(r"^~suivi-[a-z0-9_]{8}\.(?:xlsx|xlsm|xltx|xltm)$")
#: A temp older than this is stale whoever wrote it: no update runs for hours.
STALE_AFTER_S = 6 * 3600


def _host_tag() -> str:
    return hashlib.sha1(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:8]


def _temp_prefix() -> str:
    return f"{_TEMP_PREFIX}{_host_tag()}-{os.getpid()}-"


def _process_gone(pid: int) -> bool:
    """True only when ``pid`` surely runs no more on this computer (POSIX); on Windows
    ``os.kill`` would terminate the process, so only the age of a temp is used there."""
    if os.name != "posix" or pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # PermissionError: alive, someone else's
        return False
    return False


def _is_stale(entry: os.DirEntry[str], now: float) -> bool:
    match = _TEMP_RE.match(entry.name)
    if match is None and _OLD_TEMP_RE.match(entry.name) is None:
        return False
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False
    if now - info.st_mtime > STALE_AFTER_S:
        return True
    if match is None:
        return False
    host, pid = match.group(1), int(match.group(2))
    return host == _host_tag() and pid != os.getpid() and _process_gone(pid)


def remove_stale_temps(folder: Path) -> list[Path]:
    """Remove the temps a killed update left in ``folder`` (ours only: exact name pattern,
    and their process is gone or they are old); return those that could not be removed."""
    now = time.time()
    left: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return left
    for entry in entries:
        if entry.name.startswith(_TEMP_PREFIX) and _is_stale(entry, now):
            try:
                os.unlink(entry.path)
            except FileNotFoundError:
                continue
            except OSError:
                left.append(Path(entry.path))
    return left


# --- the file and its links -----------------------------------------------------------------
def real_file(path: Path) -> Path:
    """The file to update: ``path`` itself, or the target of a symbolic link (updated in
    place of the link, which stays a link)."""
    if not path.is_symlink():
        return path
    try:
        return path.resolve(strict=True)
    except (OSError, RuntimeError) as exc:  # a dangling link or a loop
        raise UnreadableFileError(
            f"{path.name} est un raccourci (lien symbolique) vers un fichier introuvable : "
            "indiquez le classeur lui-même.",
            path=path,
        ) from exc


def check_file_writable(path: Path) -> None:
    """Refuse, as Excel does, a read-only file, and a file with other names (hard links)."""
    info = path.stat()
    readonly_attribute = getattr(info, "st_file_attributes", 0) & getattr(
        stat, "FILE_ATTRIBUTE_READONLY", 0
    )
    if not info.st_mode & stat.S_IWUSR or readonly_attribute:
        raise RefusedError(
            f"Le classeur {path.name} est en lecture seule : il n'a pas été modifié. Retirez "
            "la lecture seule (clic droit > Propriétés, décochez « Lecture seule ») ou "
            "travaillez sur une copie, puis relancez la commande.",
            path=path,
        )
    if info.st_nlink > 1:
        # Replacing the file would update this name only; writing into it in place would not
        # be atomic (a crash could damage it under every name). Refusing keeps both promises.
        raise RefusedError(
            f"Le classeur {path.name} porte {info.st_nlink} noms sur le disque (liens "
            "physiques) : le mettre à jour ne changerait que ce nom-ci, les autres garderaient "
            "l'ancienne version. Faites-en une copie indépendante (copier-coller, puis "
            "renommez-la), mettez à jour la copie, ou supprimez les autres noms.",
            path=path,
        )


def _disk_full(error: OSError) -> bool:
    codes = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
    return error.errno in codes


def disk_full(folder: Path) -> DiskFullError:
    return DiskFullError(
        f"disque plein dans le dossier {folder} : le classeur n'a pas été modifié. Libérez de "
        "la place (ou demandez plus de quota), puis relancez la commande.",
        path=folder,
    )


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
        return data, open_zip(data)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError) as exc:
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


def _read_part(package: zipfile.ZipFile, name: str) -> bytearray:
    """A member's content, inflated into one buffer of its declared size (the guard has
    bounded it): ``ZipFile.read`` would hold the part twice for a moment, which for a sheet
    of hundreds of MB is the update's peak."""
    info = package.getinfo(name)
    buffer = bytearray(info.file_size)
    view = memoryview(buffer)
    filled = 0
    with package.open(info) as opened:
        stream = cast(zipfile.ZipExtFile, opened)
        while filled < len(buffer):
            # In bounded steps: a single call would inflate the rest at once, beside us.
            got = stream.readinto(view[filled : filled + CHUNK])
            if not got:
                break
            filled += got
        if filled != len(buffer) or stream.read(1):
            raise zipfile.BadZipFile(f"taille inattendue pour {name}")
    del view
    return buffer


def _well_formed(data: bytes) -> bool:
    """Whether an XML part parses; fed a chunk at a time, so that the parser's own buffer
    stays small beside a part of hundreds of MB."""
    parser = expat.ParserCreate()
    try:
        for piece in chunks(data):
            parser.Parse(piece, False)
        parser.Parse(b"", True)
    except expat.ExpatError:
        return False
    return True


class _Expected:
    """What we meant to write into a part, handed out in pieces of any length (to compare
    with what is read back, whose chunks fall elsewhere)."""

    def __init__(self, content: Content) -> None:
        self._pieces = chunks(content)
        self._buffer = b""

    def take(self, size: int) -> bytes:
        while len(self._buffer) < size:
            piece = next(self._pieces, None)
            if piece is None:
                break
            self._buffer += bytes(piece)
        taken, self._buffer = self._buffer[:size], self._buffer[size:]
        return taken


def _verify(
    temp: Path,
    path: Path,
    original: zipfile.ZipFile,
    replaced: dict[str, Content],
    edits_by_part: dict[str, tuple[bytes, list[CellEdit]]],
    date1904: bool,
) -> None:
    """Re-read the written file: sound zip, untouched entries identical, each rewritten part
    exactly what we meant, well-formed, with the planned values in place. Each part is read a
    chunk at a time (zipfile checks its CRC at the end) and every check runs on the chunk as
    it comes: memory follows the chunk, not the part."""

    def failed(detail: str) -> RefusedError:
        return RefusedError(
            f"La vérification du classeur écrit a échoué ({detail}) : le fichier d'origine n'a "
            "pas été modifié. Signalez ce problème avec une copie du classeur."
        )

    with open_zip(temp) as written:
        before = {i.filename: i for i in original.infolist()}
        after = {i.filename: i for i in written.infolist()}
        if list(before) != list(after):
            raise failed("liste des parties")
        for name, info in before.items():
            content = replaced.get(name)
            expected = _Expected(content) if content is not None else None
            parser = expat.ParserCreate() if content is not None else None
            prefix, edits = edits_by_part.get(name, (b"", []))
            values = WrittenValues(prefix, [(e.row, e.column) for e in edits]) if edits else None
            well_formed = True
            try:
                with written.open(name) as stream:
                    while chunk := stream.read(CHUNK):
                        if expected is None:
                            continue
                        if expected.take(len(chunk)) != chunk:
                            raise failed(name)
                        if well_formed and parser is not None:
                            try:
                                parser.Parse(chunk, False)
                            except expat.ExpatError:
                                well_formed = False
                        if values is not None:
                            values.feed(chunk)
            except (zipfile.BadZipFile, OSError, zlib.error) as exc:
                raise failed(name) from exc
            if expected is None:
                if (info.CRC, info.file_size) != (after[name].CRC, after[name].file_size):
                    raise failed(name)
                continue
            if expected.take(1):  # we meant to write more than was read back
                raise failed(name)
            if well_formed and parser is not None:
                try:
                    parser.Parse(b"", True)
                except expat.ExpatError:
                    well_formed = False
            if not well_formed:
                # The part as it came may already be broken where we did not touch it: that
                # is damage to name as such, not a failure of ours.
                if not _well_formed(original.read(name)):
                    raise damaged(path, name, "XML mal formé")
                raise failed(f"{name} : XML invalide")
            if values is None:
                continue
            found = values.values
            if values.missing():  # not where we write cells: look them up in the whole part
                assert content is not None
                try:
                    found = read_values(
                        b"".join(chunks(content)), [(e.row, e.column) for e in edits]
                    )
                except MalformedPart as exc:
                    raise failed(f"{name} : {exc.detail}") from exc
            for edit in edits:
                if found.get((edit.row, edit.column)) != _expected(edit, date1904):
                    raise failed(f"cellule {edit.cell}")


# Errors that a damaged input raises while its parts are parsed (not our own bugs).
_INPUT_ERRORS = (
    UnicodeError,
    LookupError,  # an unknown encoding, a missing part (KeyError)
    ET.ParseError,
    expat.ExpatError,
    zipfile.BadZipFile,
    EOFError,
    zlib.error,
    NotImplementedError,
    ValueError,
)


def _input_problem(error: BaseException) -> str:
    if isinstance(error, KeyError):
        return "une partie annoncée par le classeur manque"
    if isinstance(error, UnicodeError | LookupError):
        return "une partie XML est dans un encodage illisible"
    if isinstance(error, ET.ParseError | expat.ExpatError):
        return "une partie XML est mal formée"
    return "une partie est illisible"


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
    ``RefusedError`` when the folder or the file is read-only, the file has other names (hard
    links) or changed meanwhile, ``DiskFullError`` when the disk fills up,
    ``DamagedFileError`` when a part of the input is damaged, ``UnreadableFileError`` /
    ``NoRegisterError`` when the file or a planned sheet is unusable.

    A symbolic link is followed: its target is updated and the link stays a link.
    """
    link = Path(path)
    check_not_open(link)
    path = real_file(link)
    if path != link:
        check_not_open(path)
    data, package = _open_package(path)
    state = file_state(path, data)
    if expected_mtime_ns is not None and state.mtime_ns != expected_mtime_ns:
        raise changed_on_disk(path)
    # What is copied as-is must be sound, or our verification would blame itself later.
    validate_members(path, package)

    part = "xl/workbook.xml"
    try:
        info = read_workbook_info(package)
        styles: Styles | None = None
        styles_codec: tuple[str, bytes] = ("utf-8", b"")
        if info.styles_part is not None and info.styles_part in package.namelist():
            part = info.styles_part
            text, codec, bom = decode_part(package.read(info.styles_part))
            styles = Styles(text)
            styles_codec = (codec, bom)

        edits_by_sheet: dict[str, list[CellEdit]] = {}
        for edit in plan.edits:
            edits_by_sheet.setdefault(edit.sheet, []).append(edit)
        highlights_by_sheet: dict[str, list[Highlight]] = {}
        for highlight in plan.highlights:
            highlights_by_sheet.setdefault(highlight.sheet, []).append(highlight)

        replaced: dict[str, Content] = {}
        edits_by_part: dict[str, tuple[bytes, list[CellEdit]]] = {}
        highlighted: list[str] = []
        for name in dict.fromkeys([*edits_by_sheet, *highlights_by_sheet]):
            sheet = info.sheet(name)
            if not sheet.is_worksheet:
                raise RefusedError(f"La feuille « {name} » n'est pas une feuille de calcul.")
            part = sheet.part
            edits = edits_by_sheet.get(name, [])
            highlights = highlights_by_sheet.get(name, [])
            first_row = min((h.first_row for h in highlights), default=None)
            result = patch_sheet(
                _read_part(package, sheet.part),
                edits,
                highlights,
                styles,
                date1904=info.date1904,
                first_entry_row=first_row,
            )
            if result.parts is not None:
                replaced[sheet.part] = result.parts
            if edits:
                edits_by_part[sheet.part] = (result.prefix, edits)
            if result.highlighted:
                highlighted.append(name)
        if styles is not None and styles.changed and info.styles_part is not None:
            part = info.styles_part
            codec, bom = styles_codec
            replaced[info.styles_part] = bom + styles.render().encode(codec)
    except MalformedPart as exc:
        raise damaged(path, exc.part or part, exc.detail) from exc
    except SuiviError:
        raise
    except _INPUT_ERRORS as exc:
        raise damaged(path, part, _input_problem(exc)) from exc
    if not replaced:
        return UpdateResult(written=False, backup=None, highlighted_sheets=())

    new_data = [rewrite_package(data, replaced)]
    del data
    made_backup = replace_verified(
        path,
        state,
        new_data,
        lambda temp: _verify(temp, path, package, replaced, edits_by_part, info.date1904),
        backup=backup,
    )
    return UpdateResult(written=True, backup=made_backup, highlighted_sheets=tuple(highlighted))


def clean_stale_temps(folder: Path) -> None:
    """Remove what killed updates left in ``folder`` (``remove_stale_temps``), warning for
    what could not be removed. Every update does it; so does a simulation (``--dry-run``),
    which otherwise writes nothing."""
    for left in remove_stale_temps(folder):
        warnings.warn(
            f"le fichier temporaire {left.name}, laissé par une mise à jour interrompue, n'a "
            "pas pu être supprimé : supprimez-le vous-même.",
            SuiviWarning,
            stacklevel=3,
        )


def replace_verified(
    path: Path,
    state: FileState,
    new_data: list[bytes],
    verify: Callable[[Path], None],
    *,
    backup: bool,
) -> Path | None:
    """Put the bytes in ``new_data`` (a one-item list, emptied once written so that they can be
    freed before the verification) in place of the workbook at ``path``, whatever its format:
    write them to a temp file beside it, ``verify`` that temp (raising to refuse), check the
    original has not changed since ``state``, back it up (when ``backup``), replace it
    atomically. On any failure the original stays as it was and no temp file remains.
    Returns the backup."""
    folder = path.parent if str(path.parent) else Path(".")
    check_folder_writable(folder)
    check_file_writable(path)
    clean_stale_temps(folder)
    try:
        fd, temp_name = tempfile.mkstemp(
            dir=folder, prefix=_temp_prefix(), suffix=".tmp" + path.suffix.lower()[:5]
        )
    except PermissionError as exc:
        raise folder_not_writable(folder) from exc
    except OSError as exc:
        if _disk_full(exc):
            raise disk_full(folder) from exc
        raise
    temp = Path(temp_name)
    made_backup: Path | None = None
    replaced_ok = False
    pending: Pending | None = None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(new_data.pop())
            out.flush()
            os.fsync(out.fileno())
        shutil.copymode(path, temp)
        verify(temp)
        check_unchanged(path, state)
        if backup:
            made_backup = backup_path(path)
            shutil.copy2(path, made_backup)
        # An interrupt between the replace and ``replaced_ok`` would remove the backup and
        # report « interrompu » while the workbook is updated: held until it is noted.
        with deferred_interrupts() as pending:
            check_unchanged(path, state)
            os.replace(temp, path)
            replaced_ok = True
            mark_written(path, made_backup)
    except PermissionError as exc:
        raise locked_on_replace(path) from exc
    except OSError as exc:
        if _disk_full(exc):
            raise disk_full(folder) from exc
        raise
    finally:
        if not replaced_ok:
            temp.unlink(missing_ok=True)
            if made_backup is not None:
                made_backup.unlink(missing_ok=True)
    if pending:
        raise WrittenThenInterrupted(path, made_backup)
    return made_backup
