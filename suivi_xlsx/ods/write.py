"""Apply an ``UpdatePlan`` to an .ods on disk, losslessly: only ``content.xml`` (the edited
rows, our conditional format, our date style when needed) and ``styles.xml`` (our three
highlight styles, once) are rewritten; every other member, ``mimetype`` first and stored
included, is copied byte for byte. The safety is the .xlsx writer's (``replace_verified``:
temp file, verification, backup, atomic replace, refusal while the file is open); the
verification re-reads the written file with python-calamine and finds the planned values.
"""

from __future__ import annotations

import datetime as dt
import os
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path

from suivi_xlsx.domain.plan import CellEdit, Highlight, UpdatePlan, UpdateResult
from suivi_xlsx.errors import RefusedError, SuiviError
from suivi_xlsx.ods.condfmt import apply_highlight, with_styles
from suivi_xlsx.ods.grid import PART, Table, check_namespaces, tables
from suivi_xlsx.ods.grid import formula_cells as grid_formulas
from suivi_xlsx.ods.patch import DATE_STYLES, patch_table
from suivi_xlsx.xlsx.guard import damaged, validate_members
from suivi_xlsx.xlsx.locks import changed_on_disk, check_not_open, file_state
from suivi_xlsx.xlsx.write import (
    _INPUT_ERRORS,
    _input_problem,
    _open_package,
    _read_part,
    _verify,
    real_file,
    replace_verified,
)
from suivi_xlsx.xlsx.xmltext import MalformedPart
from suivi_xlsx.xlsx.zipcopy import Content, rewrite_package

STYLES_PART = "styles.xml"


def _with_date_style(content: bytes) -> bytes:
    end = content.find(b"</office:automatic-styles>")
    if end >= 0:
        return content[:end] + DATE_STYLES + content[end:]
    empty = content.find(b"<office:automatic-styles/>")
    if empty >= 0:
        tag = b"<office:automatic-styles/>"
        return (
            content[:empty]
            + b"<office:automatic-styles>"
            + DATE_STYLES
            + b"</office:automatic-styles>"
            + content[empty + len(tag) :]
        )
    body = content.find(b"<office:body")
    if body < 0:
        raise MalformedPart("pas de corps de document", PART)
    block = b"<office:automatic-styles>" + DATE_STYLES + b"</office:automatic-styles>"
    return content[:body] + block + content[body:]


def patch_content(content: bytes, plan: UpdatePlan) -> tuple[bytes | None, tuple[str, ...]]:
    """``content.xml`` with the plan written (``None``: nothing changes), and the sheets
    whose highlighting was added or refreshed."""
    check_namespaces(content)
    edits: dict[str, list[CellEdit]] = {}
    for edit in plan.edits:
        edits.setdefault(edit.sheet, []).append(edit)
    highlights: dict[str, Highlight] = {h.sheet: h for h in plan.highlights}
    by_name: dict[str, Table] = {table.name: table for table in tables(content)}
    for name in [*edits, *highlights]:
        if name not in by_name:
            raise RefusedError(f"La feuille « {name} » est introuvable dans le classeur.")
    pieces: list[bytes | memoryview] = []
    last = 0
    changed = False
    needs_date_style = False
    highlighted: list[str] = []
    view = memoryview(content)
    for table in sorted(by_name.values(), key=lambda t: t.start):
        if table.name not in edits and table.name not in highlights:
            continue
        table_pieces: list[bytes | memoryview]
        if table.name in edits:
            table_pieces, date_style = patch_table(content, table, edits[table.name])
            needs_date_style = needs_date_style or date_style
            changed = True
        else:
            table_pieces = [view[table.start : table.end]]
        if table.name in highlights:
            joined = b"".join(table_pieces)
            refreshed = apply_highlight(joined, highlights[table.name])
            if refreshed is not None:
                table_pieces = [refreshed]
                highlighted.append(table.name)
                changed = True
        pieces.append(view[last : table.start])
        pieces.extend(table_pieces)
        last = table.end
    if not changed:
        return None, ()
    pieces.append(view[last:])
    new = b"".join(pieces)
    if needs_date_style:
        new = _with_date_style(new)
    return new, tuple(highlighted)


def formula_cells(path: Path, sheets: Iterable[str]) -> Mapping[str, frozenset[tuple[int, int]]]:
    """For each sheet named, the cells (row, 0-based column) holding a formula."""
    wanted = set(sheets)
    with zipfile.ZipFile(path) as package:
        content = bytes(_read_part(package, PART))
    check_namespaces(content)
    return {t.name: grid_formulas(content, t) for t in tables(content) if t.name in wanted}


def _expected(value: str | int | dt.date) -> object:
    return float(value) if isinstance(value, int) else value


def _verify_values(temp: Path, plan: UpdatePlan) -> None:
    """Re-read the written file as every command will, and find each planned value."""
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(temp))
    try:
        for sheet, edits in plan.edits_by_sheet().items():
            # From A1, empty rows and columns included: indexes are the plan's.
            grid = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            for edit in edits:
                row = grid[edit.row - 1] if edit.row - 1 < len(grid) else []
                found = row[edit.column] if edit.column < len(row) else None
                if found != _expected(edit.value):
                    raise RefusedError(
                        f"La vérification du classeur écrit a échoué (cellule {edit.cell}) : "
                        "le fichier d'origine n'a pas été modifié. Signalez ce problème avec "
                        "une copie du classeur."
                    )
    finally:
        workbook.close()


def apply_update(
    path: str | os.PathLike[str],
    plan: UpdatePlan,
    *,
    backup: bool = True,
    expected_mtime_ns: int | None = None,
) -> UpdateResult:
    """Write ``plan`` into the .ods at ``path``: the same contract as the .xlsx writer
    (``xlsx.write.apply_update``), errors included."""
    link = Path(path)
    check_not_open(link)
    path = real_file(link)
    if path != link:
        check_not_open(path)
    data, package = _open_package(path)
    state = file_state(path, data)
    if expected_mtime_ns is not None and state.mtime_ns != expected_mtime_ns:
        raise changed_on_disk(path)
    validate_members(path, package)
    part = PART
    replaced: dict[str, Content] = {}
    try:
        content = bytes(_read_part(package, PART))
        new_content, highlighted = patch_content(content, plan)
        del content
        if new_content is not None:
            replaced[PART] = new_content
        if highlighted:
            part = STYLES_PART
            styles = with_styles(bytes(_read_part(package, STYLES_PART)))
            if styles is not None:
                replaced[STYLES_PART] = styles
    except MalformedPart as exc:
        raise damaged(path, exc.part or part, exc.detail) from exc
    except SuiviError:
        raise
    except (*_INPUT_ERRORS, zipfile.BadZipFile) as exc:
        raise damaged(path, part, _input_problem(exc)) from exc
    if not replaced:
        return UpdateResult(written=False, backup=None, highlighted_sheets=())

    def verify(temp: Path) -> None:
        _verify(temp, path, package, replaced, {}, False)
        _verify_values(temp, plan)

    new_data = [rewrite_package(data, replaced)]
    del data
    made_backup = replace_verified(path, state, new_data, verify, backup=backup)
    return UpdateResult(written=True, backup=made_backup, highlighted_sheets=highlighted)
