"""What a file is before it is read: a workbook of a format we read, or something else (a
Word document, a CSV, an encrypted or truncated file), named in French; and python-calamine's
failures put in the user's words. Reads a file's first bytes; never parses a sheet."""

from __future__ import annotations

import stat
from pathlib import Path

from suivi_xlsx.errors import UnreadableFileError
from suivi_xlsx.formats import (
    ODS_SUFFIXES,
    OLE2_MAGIC,
    XLS_SUFFIXES,
    ZIP_MAGICS,
    Format,
    format_of,
    kind_name,
    repair_advice,
    sniff,
)
from suivi_xlsx.xlsx.zipopen import open_zip

# An OOXML file encrypted with a password to open is an OLE2 container with this stream.
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
OOXML_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})
# Names calamine picks its reader from: a file whose content matches its name is read from
# its path, any other (a renamed .ods…) by its content.
NAMED_SUFFIXES = {
    **dict.fromkeys(OOXML_SUFFIXES, Format.XLSX),
    **dict.fromkeys(ODS_SUFFIXES, Format.ODS),
    **dict.fromkeys(XLS_SUFFIXES, Format.XLS),
}
_SAVE_AS_XLSX = (
    "enregistrez le fichier au format .xlsx (Fichier > Enregistrer sous > Classeur Excel)"
)


# --- errors ---------------------------------------------------------------------------------


def unreadable_file(path: Path, message: str) -> UnreadableFileError:
    return UnreadableFileError(message, path=path)


def _encrypted(path: Path) -> UnreadableFileError:
    return unreadable_file(
        path,
        f"le fichier « {path.name} » est protégé par un mot de passe à l'ouverture, "
        "que suivi_xlsx ne peut pas lire : ouvrez-le dans Excel, retirez le mot de passe "
        "(Fichier > Informations > Protéger le classeur > Chiffrer avec mot de passe, "
        "effacez-le), enregistrez, puis relancez la commande.",
    )


def check_file(path: Path) -> Format:
    """Refuse, with a French message, what is not a workbook suivi_xlsx reads (.xlsx/.xlsm,
    .ods, .xls): missing, a folder, empty, .xlsb, CSV, encrypted… Only reads; returns the
    file's format. The commands call it before any work."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise unreadable_file(
            path, f"fichier introuvable : « {path} ». Vérifiez le chemin et le nom du fichier."
        ) from None
    except OSError as error:
        raise unreadable_file(
            path, f"impossible d'accéder à « {path} » ({error.strerror}) : vérifiez le chemin."
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise unreadable_file(
            path,
            f"« {path} » est un dossier, pas un fichier : indiquez le chemin du classeur "
            "(par exemple « registre.xlsx »).",
        )
    if info.st_size == 0:
        raise unreadable_file(
            path,
            f"le fichier « {path.name} » est vide (0 octet) : ce n'est pas un classeur. "
            "Restaurez une sauvegarde ou rouvrez l'original, puis " + _SAVE_AS_XLSX + ".",
        )
    try:
        with open(path, "rb") as stream:
            head = stream.read(512)
            if head.startswith(OLE2_MAGIC):
                # Old .xls, or a workbook encrypted with a password to open; the stream name
                # sits in the container's directory, anywhere in the file.
                encrypted = _ENCRYPTION_INFO in head + stream.read()
            else:
                encrypted = False
    except PermissionError:
        raise unreadable_file(
            path,
            f"accès refusé au fichier « {path.name} » : fermez-le s'il est ouvert dans un autre "
            "programme, vérifiez vos droits sur le fichier, puis relancez la commande.",
        ) from None
    except OSError as error:
        raise unreadable_file(
            path, f"impossible de lire « {path.name} » ({error.strerror}) : vérifiez le fichier."
        ) from None
    suffix = path.suffix.lower()
    fmt = format_of(head, suffix)
    if fmt is Format.XLS:
        if encrypted:
            raise _encrypted(path)
        return fmt
    if fmt is not None:
        if fmt is Format.XLSX and suffix == ".xlsb":
            raise unreadable_file(
                path,
                f"le fichier « {path.name} » est un classeur binaire (.xlsb), que suivi_xlsx ne "
                f"lit pas : ouvrez-le dans Excel et {_SAVE_AS_XLSX}.",
            )
        # Bombs, DTDs and duplicate parts are refused before anything inflates them.
        from suivi_xlsx.xlsx.guard import inspect_package

        inspect_package(path)
        if fmt is Format.XLSX:
            _refuse_other_documents(path)
        return fmt
    if head.startswith(b"%PDF"):
        raise _not_a_workbook(path, "un document PDF")
    if suffix in (".csv", ".txt", ".tsv") or _looks_like_text(head):
        raise unreadable_file(
            path,
            f"le fichier « {path.name} » contient du texte (CSV ?), pas un classeur Excel : "
            f"ouvrez-le dans Excel puis {_SAVE_AS_XLSX}.",
        )
    raise unreadable_file(
        path,
        f"le fichier « {path.name} » n'est pas un classeur Excel .xlsx : ouvrez-le dans Excel "
        f"puis {_SAVE_AS_XLSX}.",
    )


#: The part that tells which Office document a package is, when it is not a workbook.
_OTHER_DOCUMENTS = {
    "word/document.xml": "un document Word",
    "ppt/presentation.xml": "une présentation PowerPoint",
    "visio/document.xml": "un dessin Visio",
}


def _not_a_workbook(path: Path, kind: str) -> UnreadableFileError:
    return unreadable_file(
        path,
        f"le fichier « {path.name} » est {kind}, pas un classeur : indiquez le registre "
        "lui-même (le classeur .xlsx, .ods ou .xls où vous le tenez).",
    )


def _refuse_other_documents(path: Path) -> None:
    """A Word document or a presentation given for a register (renamed .xlsx, or chosen by
    mistake): say what it is, instead of suggesting Excel repair it."""
    import zipfile

    try:
        with open_zip(path) as package:
            names = {name.lower() for name in package.namelist()}
    except (zipfile.BadZipFile, OSError, ValueError):
        return  # the reader names the damage
    if "xl/workbook.xml" in names:
        return
    for part, kind in _OTHER_DOCUMENTS.items():
        if part in names:
            raise _not_a_workbook(path, kind)


def _looks_like_text(head: bytes) -> bool:
    if b"\x00" in head:
        return head.startswith((b"\xff\xfe", b"\xfe\xff"))  # UTF-16 text, with its BOM
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut by the end of the sample is still text.
        return error.start >= len(head) - 3 or _latin1_text(head)
    return True


def _latin1_text(head: bytes) -> bool:
    return all(byte >= 32 or byte in (9, 10, 13) for byte in head)


def is_reader_failure(error: BaseException) -> bool:
    """python-calamine's errors, and the Rust panics pyo3 raises as ``PanicException`` (a
    ``BaseException``: an absurd date serial, an impossible range…)."""
    kind = type(error)
    return kind.__name__ == "PanicException" or kind.__module__.startswith("python_calamine")


# python-calamine's details, in plain French (the first that matches).
_READER_DETAILS = (
    ("out of bounds", "une date ou une durée hors de toute date possible"),
    ("out of range", "une date ou une durée hors de toute date possible"),
    ("larger than its declared", "une partie est plus grande qu'annoncé"),
    ("deflate", "une partie compressée est tronquée ou altérée"),
    ("crc", "une partie ne correspond plus à sa somme de contrôle"),
    ("invalid checksum", "une partie ne correspond plus à sa somme de contrôle"),
    ("row component", "une référence de cellule est incomplète"),
    ("column component", "une référence de cellule est incomplète"),
    ("range", "une référence de cellule ou de plage est invalide"),
    ("xml", "le contenu XML d'une feuille est invalide"),
    ("utf", "un texte est mal encodé"),
    ("encoding", "un texte est mal encodé"),
    ("not found", "une partie attendue manque"),
    ("missing", "une partie attendue manque"),
    ("shared string", "la liste des textes partagés est incohérente"),
)


def _plain_detail(error: BaseException) -> str:
    """What went wrong, in French words rather than the reader's English details."""
    text = str(error).lower()
    for needle, french in _READER_DETAILS:
        if needle in text:
            return french
    return "contenu inattendu"


def calamine_error(path: Path, error: BaseException) -> UnreadableFileError:
    """A French message for what python-calamine could not read (or panicked on)."""
    kind = type(error).__name__
    fmt = sniff(path) or Format.XLSX
    if fmt is Format.ODS and kind != "PanicException":
        from suivi_xlsx.xlsx.guard import odf_problem

        problem = odf_problem(path)
        if problem is not None:
            return problem
    app = "LibreOffice" if fmt is Format.ODS else "Excel"
    if kind == "PasswordError":
        return _encrypted(path)
    if kind == "PanicException":
        return unreadable_file(
            path,
            f"le fichier « {path.name} » n'a pas pu être lu : il contient "
            f"{_plain_detail(error)} (par exemple une cellule au format date qui contient un "
            f"nombre immense ou négatif, affichée « ##### » dans {app}). Corrigez ou effacez "
            f"cette cellule dans {app}, enregistrez, puis relancez la commande.",
        )
    if fmt is Format.XLSX:
        again = f"ouvrez-le dans Excel qui proposera de le réparer, puis {_SAVE_AS_XLSX}"
    else:
        again = repair_advice(fmt)
    if kind == "ZipError" and fmt is not Format.XLS:
        return unreadable_file(
            path,
            f"le fichier « {path.name} » est endommagé ou incomplet (archive .{fmt.value} "
            f"illisible, copie interrompue ?) : restaurez une sauvegarde, ou {again}.",
        )
    if fmt is Format.XLSX:
        again = f"ouvrez-le dans Excel, qui proposera peut-être de le réparer, puis {_SAVE_AS_XLSX}"
    return unreadable_file(
        path,
        f"le fichier « {path.name} » n'a pas pu être lu comme un {kind_name(fmt)} "
        f"({_plain_detail(error)}) : {again}.",
    )


def is_zip(file: Path) -> bool:
    try:
        with open(file, "rb") as stream:
            return stream.read(4) in ZIP_MAGICS
    except OSError:
        return False
