"""Writing an update back into the user's workbook, whatever its format: the one entry point the
CLI and scripts call. It names the format (``formats``) and hands the plan to the writer of that
format, ``xlsx.write`` or ``ods.write``, which share their safety (temp file, verification,
backup, atomic replace, lock files). An Excel 97-2003 file (.xls) is read by every command but
never written: it is refused here, in French, before anything is touched.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

from suivi_xlsx.domain.plan import UpdatePlan, UpdateResult
from suivi_xlsx.errors import UnreadableFileError
from suivi_xlsx.formats import Format
from suivi_xlsx.reading.filecheck import check_file


def writable_format(path: str | os.PathLike[str]) -> Format:
    """The format of the workbook at ``path`` if ``suivi update`` can write it (.xlsx, .ods);
    a French ``UnreadableFileError`` (exit 2) otherwise, the file untouched."""
    file = Path(path)
    fmt = check_file(file)
    if fmt is Format.XLS:
        raise UnreadableFileError(
            f"le classeur « {file.name} » est au format Excel 97-2003 (.xls) : suivi update ne "
            "complète que les classeurs .xlsx et .ods (les autres commandes lisent aussi le "
            ".xls). Ouvrez-le dans Excel, Fichier > Enregistrer sous > Classeur Excel (.xlsx), "
            "puis relancez la commande sur le fichier .xlsx. Le fichier n'a pas été modifié.",
            path=file,
        )
    return fmt


def formula_cells(
    path: str | os.PathLike[str], sheets: Iterable[str]
) -> Mapping[str, frozenset[tuple[int, int]]]:
    """Per sheet, the cells (Excel row, 0-based column) holding a formula: never written."""
    if writable_format(path) is Format.ODS:
        from suivi_xlsx.ods.write import formula_cells as ods_formula_cells

        return ods_formula_cells(Path(path), sheets)
    from suivi_xlsx.xlsx.formulas import formula_cells as xlsx_formula_cells

    return xlsx_formula_cells(Path(path), sheets)


def apply_update(
    path: str | os.PathLike[str],
    plan: UpdatePlan,
    *,
    backup: bool = True,
    expected_mtime_ns: int | None = None,
) -> UpdateResult:
    """Write ``plan`` into the workbook at ``path`` (.xlsx or .ods): see ``xlsx.write.
    apply_update`` for the contract, which both writers keep."""
    if writable_format(path) is Format.ODS:
        from suivi_xlsx.ods.write import apply_update as write_ods

        return write_ods(path, plan, backup=backup, expected_mtime_ns=expected_mtime_ns)
    from suivi_xlsx.xlsx.write import apply_update as write_xlsx

    return write_xlsx(path, plan, backup=backup, expected_mtime_ns=expected_mtime_ns)
