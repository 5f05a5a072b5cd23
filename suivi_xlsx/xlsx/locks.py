"""Is the workbook open elsewhere, may its folder be written, has it changed meanwhile?

Excel marks an open workbook with an owner file ``~$name.xlsx`` beside it (for long names it
drops the first two characters: ``~$`` + ``name[2:]``); LibreOffice with ``.~lock.name.xlsx#``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from suivi_xlsx.errors import FileLockedError, RefusedError


def excel_owner_files(path: Path) -> list[Path]:
    names = [f"~${path.name}"]
    if len(path.name) > 2:
        names.append(f"~${path.name[2:]}")
    return [path.with_name(name) for name in dict.fromkeys(names)]


def libreoffice_lock_file(path: Path) -> Path:
    return path.with_name(f".~lock.{path.name}#")


def _exists(path: Path) -> bool:
    """``path.exists()``, where a name too long to exist (``~$`` + a 254-byte name) is
    simply absent rather than an error."""
    try:
        os.stat(path)
    except (OSError, ValueError):
        return False
    return True


def check_not_open(path: Path) -> None:
    """Raise ``FileLockedError`` when Excel or LibreOffice has the workbook open."""
    for owner in excel_owner_files(path):
        if _exists(owner):
            raise FileLockedError(
                f"Le classeur {path.name} est ouvert dans Excel (fichier {owner.name} à côté) : "
                "fermez le fichier dans Excel puis relancez la commande. Si Excel est déjà "
                f"fermé, supprimez le fichier {owner.name}.",
                path=path,
            )
    lock = libreoffice_lock_file(path)
    if _exists(lock):
        raise FileLockedError(
            f"Le classeur {path.name} est ouvert dans LibreOffice (fichier {lock.name} à côté) : "
            "fermez-le dans LibreOffice puis relancez la commande. Si LibreOffice est déjà "
            f"fermé, supprimez le fichier {lock.name}.",
            path=path,
        )


def folder_not_writable(folder: Path) -> RefusedError:
    return RefusedError(
        f"Le dossier {folder} est en lecture seule : le classeur ne peut pas y être mis à jour. "
        "Copiez-le dans un dossier où vous pouvez écrire, ou demandez l'accès, puis relancez "
        "la commande.",
        path=folder,
    )


def check_folder_writable(folder: Path) -> None:
    """Raise ``RefusedError`` when new files cannot be created beside the workbook."""
    if not os.access(folder, os.W_OK | os.X_OK):
        raise folder_not_writable(folder)


def locked_on_replace(path: Path) -> FileLockedError:
    return FileLockedError(
        f"Impossible de remplacer {path.name} : le fichier est utilisé par un autre programme. "
        "Fermez le fichier dans Excel (ou LibreOffice) puis relancez la commande ; "
        "il n'a pas été modifié.",
        path=path,
    )


@dataclass(frozen=True, slots=True)
class FileState:
    """What identifies one version of the file on disk."""

    mtime_ns: int
    size: int
    digest: str


def file_state(path: Path, data: bytes | None = None) -> FileState:
    stat = path.stat()
    if data is None:
        data = path.read_bytes()
    return FileState(stat.st_mtime_ns, stat.st_size, hashlib.sha256(data).hexdigest())


def changed_on_disk(path: Path) -> RefusedError:
    return RefusedError(
        f"Le classeur {path.name} a été modifié pendant la mise à jour : rien n'a été écrit. "
        "Enregistrez et fermez-le, puis relancez la commande.",
        path=path,
    )


def check_unchanged(path: Path, before: FileState) -> None:
    """Raise ``RefusedError`` when the file on disk is no longer the version read."""
    try:
        now = file_state(path)
    except OSError as exc:
        raise changed_on_disk(path) from exc
    if now != before:
        raise changed_on_disk(path)
