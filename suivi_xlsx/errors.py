"""Errors the user can act on. Each carries a French message and the CLI exit status.

Library code raises these; the CLI prints ``message`` on stderr and exits with ``exit_code``,
never a traceback. Exit 2: the input cannot be processed. Exit 1: the job was refused for a
reason the user can fix (file open in Excel, output exists, nothing for that year…).
"""

from __future__ import annotations

from pathlib import Path


class SuiviError(Exception):
    """Base class: a French message for the user and an exit status."""

    exit_code: int = 2
    code: str = "erreur"  # for programs: the ``error.code`` of ``--format json``

    def __init__(self, message: str, *, path: Path | str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = Path(path) if path is not None else None

    def __str__(self) -> str:
        return self.message


class UnreadableFileError(SuiviError):
    """Missing, empty, truncated, encrypted or not an .xlsx/.xlsm workbook (exit 2)."""

    exit_code = 2
    code = "fichier-illisible"


class NoRegisterError(SuiviError):
    """The workbook has no sheet whose header is a register (or not the one asked for) (exit 2)."""

    exit_code = 2
    code = "registre-introuvable"


class RefusedError(SuiviError):
    """The job was not done for a reason the user can fix; nothing was changed (exit 1)."""

    exit_code = 1
    code = "refuse"


class FileLockedError(RefusedError):
    """The workbook is open in Excel or LibreOffice, or Windows refused the replace (exit 1)."""

    code = "fichier-ouvert"


class DamagedFileError(UnreadableFileError):
    """The package is damaged or hostile: a corrupt or duplicated part, a zip or XML bomb, a
    DTD (exit 2). The message says « le classeur … est abîmé » and names the part."""

    exit_code = 2
    code = "fichier-abime"


class DiskFullError(RefusedError):
    """The disk (or the user's quota) filled up while writing; nothing was changed (exit 1)."""

    code = "disque-plein"


class MissingExtraError(SuiviError):
    """A feature needs an optional dependency that is not installed (exit 2)."""

    exit_code = 2
    code = "module-manquant"


class SuiviWarning(UserWarning):
    """Something the user should know that did not stop the job (the CLI prints it in French
    on stderr, « Attention : … »), e.g. stray cells far from the register that were ignored."""
