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
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from suivi_xlsx.domain.plan import CellEdit, Highlight, UpdatePlan, UpdateResult
from suivi_xlsx.errors import RefusedError, SuiviError
from suivi_xlsx.ods.condfmt import apply_highlight, with_styles
from suivi_xlsx.ods.grid import PART, Table, check_namespaces, tables
from suivi_xlsx.ods.grid import formula_cells as grid_formulas
from suivi_xlsx.ods.patch import DATE_STYLES, patch_table
from suivi_xlsx.runtime.heap import release_freed_memory
from suivi_xlsx.xlsx import CHUNK
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
from suivi_xlsx.xlsx.zipopen import open_zip

STYLES_PART = "styles.xml"
_AUTOMATIC_END_RE = re.compile(rb"</office:automatic-styles>")
_AUTOMATIC_EMPTY_RE = re.compile(rb"<office:automatic-styles/>")
_BODY_RE = re.compile(rb"<office:body")


def _with_date_style(head: bytes | memoryview) -> list[bytes | memoryview]:
    """``head``, the part of ``content.xml`` before its first edited table (its automatic
    styles are there), with our date style added, as pieces."""
    view = memoryview(head)
    end = _AUTOMATIC_END_RE.search(view)
    if end is not None:
        return [view[: end.start()], DATE_STYLES, view[end.start() :]]
    empty = _AUTOMATIC_EMPTY_RE.search(view)
    if empty is not None:
        block = b"<office:automatic-styles>" + DATE_STYLES + b"</office:automatic-styles>"
        return [view[: empty.start()], block, view[empty.end() :]]
    body = _BODY_RE.search(view)
    if body is None:
        raise MalformedPart("pas de corps de document", PART)
    block = b"<office:automatic-styles>" + DATE_STYLES + b"</office:automatic-styles>"
    return [view[: body.start()], block, view[body.start() :]]


def patch_content(
    content: bytes | bytearray, plan: UpdatePlan
) -> tuple[list[bytes | memoryview] | None, tuple[str, ...]]:
    """``content.xml`` with the plan written, as pieces (views of ``content`` around what
    changes: nothing of the sheets is copied), or ``None`` when nothing changes; and the
    sheets whose highlighting was added or refreshed."""
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
            # The conditional formats come after the rows: in the last piece, untouched.
            refreshed = apply_highlight(table_pieces[-1], highlights[table.name])
            if refreshed is not None:
                table_pieces[-1:] = refreshed
                highlighted.append(table.name)
                changed = True
        pieces.append(view[last : table.start])
        pieces.extend(table_pieces)
        last = table.end
    if not changed:
        return None, ()
    pieces.append(view[last:])
    if needs_date_style:
        pieces[:1] = _with_date_style(pieces[0])
    return pieces, tuple(highlighted)


_FORMULA_ATTRIBUTE = b"table:formula="


def _mentions(package: zipfile.ZipFile, name: str, needle: bytes) -> bool:
    """Whether the member ``name`` holds ``needle``, read a chunk at a time."""
    keep = len(needle) - 1
    tail = b""
    with package.open(name) as stream:
        while chunk := stream.read(CHUNK):
            window = tail + chunk
            if needle in window:
                return True
            tail = window[-keep:]
    return False


def formula_cells(path: Path, sheets: Iterable[str]) -> Mapping[str, frozenset[tuple[int, int]]]:
    """For each sheet named, the cells (row, 0-based column) holding a formula."""
    wanted = set(sheets)
    with open_zip(path) as package:
        # Most registers hold no formula at all: a pass a chunk at a time says so without
        # holding the part (hundreds of MB at 100,000 rows) beside the register just read.
        if not _mentions(package, PART, _FORMULA_ATTRIBUTE):
            return {name: frozenset() for name in wanted}
        content = _read_part(package, PART)
    check_namespaces(content)
    return {t.name: grid_formulas(content, t) for t in tables(content) if t.name in wanted}


def _expected(value: str | int | dt.date) -> object:
    return float(value) if isinstance(value, int) else value


def _verify_values(temp: Path, plan: UpdatePlan) -> None:
    """Re-read the written file as every command will, and find each planned value. The
    rows are taken one at a time (a grid of the whole sheet as Python objects would be the
    update's peak) and only the edited ones looked at."""
    from python_calamine import CalamineWorkbook

    def failed(cell: str) -> RefusedError:
        return RefusedError(
            f"La vérification du classeur écrit a échoué (cellule {cell}) : le fichier "
            "d'origine n'a pas été modifié. Signalez ce problème avec une copie du classeur."
        )

    workbook = CalamineWorkbook.from_path(str(temp))
    try:
        for sheet_name, edits in plan.edits_by_sheet().items():
            sheet = workbook.get_sheet_by_name(sheet_name)
            by_row: dict[int, list[CellEdit]] = {}
            for edit in edits:
                by_row.setdefault(edit.row, []).append(edit)
            start_row, start_column = sheet.start or (0, 0)
            rows = iter(sheet.iter_rows())
            first = next(rows, None)
            # calamine pads the empty rows above the range (and maybe the columns left of
            # it): where the first row yielded stands is read off its content and width.
            padded = first is None or start_row == 0 or all(value == "" for value in first)
            number = 1 if padded else start_row + 1
            offset = start_column if first is not None and len(first) == sheet.width else 0
            row: Sequence[object] | None = first
            while row is not None and by_row:
                for edit in by_row.pop(number, ()):
                    index = edit.column - offset
                    found = row[index] if 0 <= index < len(row) else None
                    if found != _expected(edit.value):
                        raise failed(edit.cell)
                row = next(rows, None)
                number += 1
            for missing in by_row.values():
                raise failed(missing[0].cell)
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
        # Patched as pieces that are views of this buffer: the sheets are never copied.
        new_content, highlighted = patch_content(_read_part(package, PART), plan)
        if new_content is not None:
            replaced[PART] = new_content
        del new_content
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
        # The written bytes are what we meant: let the patched part go before calamine
        # reads the whole file again, so that the two do not add up.
        replaced.clear()
        release_freed_memory()
        _verify_values(temp, plan)

    new_data = [rewrite_package(data, replaced)]
    del data
    made_backup = replace_verified(path, state, new_data, verify, backup=backup)
    return UpdateResult(written=True, backup=made_backup, highlighted_sheets=highlighted)
