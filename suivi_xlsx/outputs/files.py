"""Writing a new file the tool produces (the bilan, the follow-up workbook and calendar, the
letters): never over an existing file without ``force``, never over one open in Excel, Word or
LibreOffice, and never half a file (a temporary file in the same folder, then one replace).

The user's register is never written here: ``xlsx.write`` patches it with its own guarantees.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from suivi_xlsx.errors import FileLockedError, RefusedError

if TYPE_CHECKING:
    from xlsxwriter import Workbook


def existing_output(target: Path, option: str = "-o") -> RefusedError:
    """The refusal to replace an existing output without ``--remplacer``."""
    return RefusedError(
        f"« {target} » existe déjà : choisissez un autre nom avec {option}, ou ajoutez --remplacer "
        "pour le remplacer.",
        path=target,
    )


def is_open_elsewhere(path: Path) -> bool:
    """An Office owner file (``~$`` + the name; Word drops the first two letters of a long
    name) or LibreOffice's lock (``.~lock.name#``) beside ``path``."""
    folder, name = path.parent, path.name
    candidates = {f"~${name}", f"~${name[2:]}", f".~lock.{name}#"}
    return any((folder / candidate).exists() for candidate in candidates)


def _program(target: Path) -> str:
    """The program a user opens such a file with, for messages."""
    suffix = target.suffix.lower()
    if suffix in (".docx", ".doc", ".odt"):
        return "Word"
    if suffix in (".xlsx", ".xlsm", ".ods"):
        return "Excel"
    return "l'autre programme"


def write_new_file(
    target: Path,
    write: Callable[[Path], None],
    *,
    force: bool = False,
    option: str = "-o",
) -> Path:
    """Call ``write(temp)`` on a temporary file beside ``target``, then put it in place.

    Refuses (nothing written) an existing ``target`` without ``force`` (``option`` is the
    command's option for another name), and one open in another program."""
    if target.exists():
        if not force:
            raise existing_output(target, option)
        if is_open_elsewhere(target):
            where = _program(target)
            where = f"{where} ou LibreOffice" if where != "l'autre programme" else "un programme"
            raise FileLockedError(
                f"« {target.name} » est ouvert dans {where} : fermez-le puis relancez la commande.",
                path=target,
            )
    handle, temp_name = tempfile.mkstemp(
        prefix=f".{target.stem}-", suffix=".tmp", dir=target.parent
    )
    os.close(handle)
    temp = Path(temp_name)
    try:
        write(temp)
        # mkstemp makes the file private (0600): give the output the usual permissions.
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(temp, 0o666 & ~mask)
        try:
            os.replace(temp, target)
        except PermissionError as error:
            raise FileLockedError(
                f"impossible de remplacer « {target.name} » : fermez le fichier dans "
                f"{_program(target)} puis relancez la commande.",
                path=target,
            ) from error
    finally:
        temp.unlink(missing_ok=True)
    return target


#: Excel's day 0 as an ordinal (1900 system, dates from 1 March 1900 on): ``day.toordinal()
#: - EXCEL_EPOCH`` is the serial xlsxwriter stores, without its per-cell date conversion.
EXCEL_EPOCH = dt.date(1899, 12, 30).toordinal()


def new_workbook(path: Path, *, title: str, subject: str, day: dt.date) -> Workbook:
    """An xlsxwriter workbook for one of our outputs (bilan, relances): dates shown
    jj/mm/aaaa, and properties whose creation date is the reference ``day``, so that the same
    register gives the same bytes. The caller closes it."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"default_date_format": "dd/mm/yyyy"})
    workbook.set_properties(
        {
            "title": title,
            "subject": subject,
            "author": "suivi_xlsx",
            "created": dt.datetime.combine(day, dt.time()),
        }
    )
    return workbook
