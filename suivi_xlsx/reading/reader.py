"""Workbook → ``Register``, with python-calamine. No rules, no writing: the file is only read.

Every worksheet whose header (found in its first rows) is a register is read, in workbook order;
the parameters sheet (« Paramètres ») gives the ``Settings``. Bad input raises an
``UnreadableFileError`` or ``NoRegisterError`` whose French message says what to do. The stages
live beside it: ``filecheck`` (what the file is), ``entries`` (rows → entries), ``settings``.

Row numbers are Excel's: python-calamine's ``iter_rows()`` pads the empty rows above the data
but not the empty columns left of it, so a column's Excel index is its position plus
``sheet.start[1]``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from suivi_xlsx.domain.model import (
    HEADERS,
    LABELS,
    SEED_COLUMNS,
    Column,
    Register,
    RegisterSheet,
    Settings,
)
from suivi_xlsx.errors import NoRegisterError, UnreadableFileError
from suivi_xlsx.formats import Format, sniff
from suivi_xlsx.reading.columns import (
    HEADER_SEARCH_ROWS,
    HeaderMatch,
)
from suivi_xlsx.reading.entries import read_sheet
from suivi_xlsx.reading.filecheck import (
    NAMED_SUFFIXES,
    OOXML_SUFFIXES,
    calamine_error,
    check_file,
    is_reader_failure,
    is_zip,
    unreadable_file,
)
from suivi_xlsx.reading.parsing import (
    SheetParser,
    is_settings_sheet,
    reading_order,
    take_prefetched,
)
from suivi_xlsx.reading.settings import read_settings
from suivi_xlsx.runtime.gcpause import gc_paused
from suivi_xlsx.runtime.progress import Progress, report
from suivi_xlsx.xlsx.zipopen import open_zip

if TYPE_CHECKING:
    from python_calamine import CalamineWorkbook

_DATE1904_RE = re.compile(
    rb"<(?:\w+:)?workbookPr\b[^>]*?\bdate1904\s*=\s*[\"'](?:1|true)[\"']", re.IGNORECASE
)


def _quoted(names: Iterable[str]) -> str:
    return ", ".join(f"« {name} »" for name in names) or "aucune"


def _short_header(column: Column) -> str:
    """The seed's header without its explanation: « Origine », « Numéro d'ordre »."""
    if column is Column.ORDER_NUMBER:
        return LABELS[column]
    return HEADERS[column].split(" (")[0]


_EXPECTED = (
    f"La ligne d'en-tête d'un registre (dans les {HEADER_SEARCH_ROWS} premières lignes de la "
    f"feuille) contient au moins la colonne « {HEADERS[Column.DATE]} » et deux autres colonnes "
    "du tableau de suivi parmi : "
    + ", ".join(f"« {_short_header(c)} »" for c in SEED_COLUMNS if c is not Column.DATE)
    + "."
)


# --- entries --------------------------------------------------------------------------------


def uses_1904_dates(path: Path) -> bool:
    """Whether the workbook counts dates from 1904 (Mac Excel's old default): then a bare
    serial number in a date column means another day. Reads the start of workbook.xml only;
    anything unexpected means the usual 1900 system (calamine reports damaged files)."""
    from suivi_xlsx.xlsx.ziplite import LiteZip  # not zipfile: the check's start stays light

    try:
        with LiteZip(path) as package:
            member = next(
                (m for m in package.infolist() if m.filename.lower() == "xl/workbook.xml"), None
            )
            if member is None:
                return False
            with package.open(member) as stream:
                return _DATE1904_RE.search(stream.read(65536)) is not None
    except Exception:
        return False


def _open(path: Path, copy: bytes | None = None) -> CalamineWorkbook:
    """The workbook at ``path``, or the in-memory ``copy`` of it when given."""
    from python_calamine import CalamineWorkbook

    if copy is None and NAMED_SUFFIXES.get(path.suffix.lower(), False) is sniff(path):
        return CalamineWorkbook.from_path(path)
    # calamine picks its reader from the suffix; for any other name, from the content.
    import io

    return CalamineWorkbook.from_filelike(io.BytesIO(copy or path.read_bytes()))


_MACROSHEET_REL_RE = re.compile(
    rb'<Relationship\b[^>]*?(?:Id="([^"]+)"[^>]*?Type="[^"]*[mM]acro[sS]heet"'
    rb'|Type="[^"]*[mM]acro[sS]heet"[^>]*?Id="([^"]+)")'
)


def _open_without_macrosheets(path: Path, data: bytes | None = None) -> CalamineWorkbook:
    """Open a workbook holding Excel 4 macro sheets, which calamine refuses outright
    (« Unrecognized sheet type »): read an in-memory copy whose sheet list leaves them out.
    The file itself (or ``data``, an in-memory copy of it) is only read."""
    import io
    import zipfile

    from python_calamine import CalamineWorkbook

    buffer = io.BytesIO()
    source_file = io.BytesIO(data) if data is not None else path
    with open_zip(source_file) as source, zipfile.ZipFile(buffer, "w") as copy:
        rels = source.read("xl/_rels/workbook.xml.rels")
        ids = [a or b for a, b in _MACROSHEET_REL_RE.findall(rels)]
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/workbook.xml":
                for rid in ids:
                    data = re.sub(
                        rb'<sheet\b[^>]*?:id="' + re.escape(rid) + rb'"[^>]*/>', b"", data
                    )
            copy.writestr(info, data)
    buffer.seek(0)
    return CalamineWorkbook.from_filelike(buffer)


def _pick_sheet(path: Path, names: Sequence[str], wanted: str) -> str:
    if wanted in names:
        return wanted
    folded = [name for name in names if name.strip().casefold() == wanted.strip().casefold()]
    if len(folded) == 1:
        return folded[0]
    raise NoRegisterError(
        f"la feuille « {wanted} » n'existe pas dans « {path.name} ». "
        f"Feuilles du classeur : {_quoted(names)}.",
        path=path,
    )


def load_register(
    path: str | os.PathLike[str], *, sheet: str | None = None, progress: Progress | None = None
) -> Register:
    """Read every register sheet of the workbook at ``path`` (only ``sheet`` when given).
    ``progress``, when given, is told which sheet is being read (nothing is printed).

    Raises ``UnreadableFileError`` when the file is not a readable .xlsx/.xlsm workbook and
    ``NoRegisterError`` when no sheet (or not ``sheet``) is a register. The file is only read.
    """
    file = Path(path)
    check_file(file)
    report(progress, f"Lecture de « {file.name} »")
    prefetched = take_prefetched(file)  # parsing started by the command line, if any
    if prefetched is not None and prefetched.parser is not None:
        parser: SheetParser | None = prefetched.parser
        names, worksheets = prefetched.sheet_names, prefetched.worksheets
        heavy_parts: tuple[str, ...] = ()  # the prefetch leaves such files to the reader
    else:
        workbook, heavy_parts = _open_checked(file)
        names, worksheets = _sheet_names(workbook)
        parser = None
    target = _pick_sheet(file, names, sheet) if sheet is not None else None
    settings_name = next(
        (name for name in worksheets if is_settings_sheet(name) and name != target), None
    )
    to_read = reading_order(
        [name for name in worksheets if target is None or name in (target, settings_name)]
    )
    if parser is None:
        parser = SheetParser(workbook, to_read, _sliced_sheets(file, heavy_parts, to_read))
    parser.progress = progress
    from python_calamine import CalamineError

    try:
        with gc_paused():
            return _read_workbook(file, names, target, settings_name, to_read, parser)
    except CalamineError as error:  # a damaged sheet part
        raise calamine_error(file, error) from None
    except BaseException as error:  # a Rust panic is a BaseException
        if not is_reader_failure(error):
            raise
        failure = error
    finally:
        parser.close()
    # One absurd number in a date cell (-1e12) makes calamine panic on the whole sheet: read
    # a copy where such numbers are text, so that only their own cells are unreadable.
    copy = _absurd_numbers_as_text(file)
    if copy is None:
        raise calamine_error(file, failure) from None
    parser = SheetParser(_open(file, copy), to_read)
    parser.progress = progress
    try:
        with gc_paused():
            return _read_workbook(file, names, target, settings_name, to_read, parser)
    except BaseException as error:
        if not is_reader_failure(error) and not isinstance(error, CalamineError):
            raise
        raise calamine_error(file, failure) from None
    finally:
        parser.close()


def _absurd_numbers_as_text(file: Path) -> bytes | None:
    """``guard.absurd_numbers_as_text`` for an OOXML workbook; ``None`` for other formats or
    when the copy cannot be made (the first failure is then reported)."""
    if not is_zip(file) or sniff(file) is not Format.XLSX:
        return None
    from suivi_xlsx.xlsx.guard import absurd_numbers_as_text

    try:
        return absurd_numbers_as_text(file)
    except (KeyboardInterrupt, SystemExit, MemoryError):
        raise
    except Exception:
        return None


def _sliced_sheets(
    file: Path, parts: Sequence[str], to_read: Sequence[str]
) -> dict[str, Callable[[Progress | None], object]]:
    """For each heavy worksheet to read (``parts``), a maker of its ``SlicedSheet``."""
    if not parts:
        return {}
    from suivi_xlsx.reading.slices import SlicedSheet
    from suivi_xlsx.xlsx.package import read_workbook_info

    with open_zip(file) as package:
        by_name = {sheet.name: sheet.part for sheet in read_workbook_info(package).sheets}

    def maker(name: str, part: str) -> Callable[[Progress | None], object]:
        return lambda progress: SlicedSheet(file, name, part, progress=progress)

    return {
        name: maker(name, by_name[name])
        for name in to_read
        if name in by_name and by_name[name] in parts
    }


def _open_checked(file: Path) -> tuple[CalamineWorkbook, tuple[str, ...]]:
    """Open the workbook with calamine, turning its failures into French messages; with it,
    the worksheet parts to read in slices (long texts: see ``slices.py``).

    A worksheet whose cells spread absurdly far (a stray cell at ``XFD1048576``) would make
    calamine allocate one cell per position of that range and abort the process: such sheets
    are read from an in-memory copy without the stray cells, and a notice names them.
    """
    copy: bytes | None = None
    heavy: tuple[str, ...] = ()
    try:
        if file.suffix.lower() in OOXML_SUFFIXES or is_zip(file):
            from suivi_xlsx.xlsx.guard import inspect_package, trimmed_package

            inspection = inspect_package(file)
            heavy = inspection.heavy
            if inspection.big_strings:
                from suivi_xlsx.reading.slices import outline_package

                try:
                    copy = outline_package(file)
                except Exception:  # calamine opens the file itself and says what is wrong
                    copy = None
            trimmed = trimmed_package(file, inspection.to_scan) if inspection.to_scan else None
            if trimmed is not None:
                copy, notices = trimmed
                import warnings

                from suivi_xlsx.errors import SuiviWarning

                for notice in notices:
                    warnings.warn(notice, SuiviWarning, stacklevel=2)
        return _open(file, copy), heavy
    except PermissionError:
        raise unreadable_file(
            file,
            f"accès refusé au fichier « {file.name} » : fermez-le s'il est ouvert dans un autre "
            "programme, vérifiez vos droits sur le fichier, puis relancez la commande.",
        ) from None
    except (KeyboardInterrupt, SystemExit, MemoryError, UnreadableFileError):
        raise
    except BaseException as error:  # calamine's errors and panics, whatever their class
        if "nrecognized sheet" not in str(error):
            raise calamine_error(file, error) from None
        try:
            return _open_without_macrosheets(file, copy), heavy
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except BaseException:
            raise calamine_error(file, error) from None


def _sheet_names(workbook: CalamineWorkbook) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Every sheet's name, and the worksheets' (not chart, macro or dialog sheets)."""
    from python_calamine import SheetTypeEnum

    metadata = workbook.sheets_metadata
    return (
        tuple(meta.name for meta in metadata),
        tuple(meta.name for meta in metadata if meta.typ == SheetTypeEnum.WorkSheet),
    )


def _read_workbook(
    path: Path,
    names: Sequence[str],
    target: str | None,
    settings_name: str | None,
    to_read: Sequence[str],
    parser: SheetParser,
) -> Register:
    settings: Settings | None = None
    sheets: list[RegisterSheet] = []
    best: HeaderMatch | None = None
    date1904 = uses_1904_dates(path)
    for name in to_read:  # the settings sheet first: it may declare header wordings
        parsed = parser.sheet(name)
        if name == settings_name:
            settings = read_settings(parsed.iter_rows())
            continue
        aliases = settings.header_aliases if settings is not None else None
        register_sheet, match = read_sheet(name, parsed, aliases=aliases, date1904=date1904)
        del parsed  # free calamine's copy of the sheet before the next one is taken
        if register_sheet is not None:
            sheets.append(register_sheet)
        elif match is not None and (best is None or len(match.columns) > len(best.columns)):
            best = match
    if not sheets:
        raise _no_register(path, names, target, best)
    return Register(path=path, sheets=tuple(sheets), settings=settings or Settings())


def _no_register(
    path: Path, names: Sequence[str], target: str | None, best: HeaderMatch | None
) -> NoRegisterError:
    if target is not None:
        message = (
            f"la feuille « {target} » de « {path.name} » n'est pas un registre : son en-tête "
            f"n'a pas été reconnu. {_EXPECTED} Feuilles du classeur : {_quoted(names)}."
        )
    else:
        message = (
            f"aucune feuille de registre dans « {path.name} » (feuilles : {_quoted(names)}). "
            f"{_EXPECTED} Vérifiez les intitulés de la ligne d'en-tête."
        )
    if best is not None and best.columns:
        seen = ", ".join(LABELS[column] for column in best.columns)
        message += f" Colonnes reconnues au mieux : {seen}."
    return NoRegisterError(message, path=path)
