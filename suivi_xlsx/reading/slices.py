"""Read a worksheet whose texts are too large for one python-calamine range, a slice of rows
at a time, so that the register's texts are held once in memory and not three times.

python-calamine parses a whole sheet into one range before Python sees a value: for 20,000
rows of 32,767-character cells (Excel's limit), that range alone is 1.3 GB, the shared-strings
table the same again, and the Python strings the reader keeps a third copy. A sheet the guard
calls *heavy* (``guard.is_heavy``) is therefore cut, as it streams out of the zip, into slices
of about SLICE_BYTES of whole rows; each slice is put in a small in-memory workbook (the
original's workbook, styles and other small parts, with only the shared strings that slice
uses) and parsed by calamine there, so values are converted exactly as for any other sheet.
Only one slice is parsed at a time; the shared strings wait in a temporary file meanwhile.

The rows come out as calamine's own ``iter_rows()`` would give them, with absolute positions
(from row 1 and column A, ``start == (0, 0)``), all as wide as the widest row seen; ``end`` is
known once every row has been read.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
import zlib
from array import array
from collections.abc import Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from suivi_xlsx.errors import UnreadableFileError
from suivi_xlsx.reading.filecheck import calamine_error, is_reader_failure
from suivi_xlsx.xlsx import CHUNK
from suivi_xlsx.xlsx.package import WorkbookInfo, read_workbook_info
from suivi_xlsx.xlsx.xmltext import MalformedPart
from suivi_xlsx.xlsx.zipopen import open_zip

if TYPE_CHECKING:
    from suivi_xlsx.runtime.progress import Progress

_Slice = tuple[int, int, list[list[Any]]]  # first row, first column (0-based), the rows

#: Bytes of sheet XML parsed at a time.
SLICE_BYTES = 32 << 20
#: A shared-strings part up to this size goes whole into every slice's workbook.
SMALL_SST = 16 << 20
#: Other small parts (content types, relationships, theme…) are copied into each slice's
#: workbook; larger ones (images, other sheets) are left out: calamine never reads them here.
_SMALL_PART = 1 << 20
_SST_PART = "xl/sharedstrings.xml"  # where calamine looks for it (case-insensitive)

_ROOT_RE = re.compile(rb"<(?![?!])([A-Za-z_][\w.-]*:)?worksheet\b[^>]*>")
_SST_ROOT_RE = re.compile(rb"<(?![?!])([A-Za-z_][\w.-]*:)?sst\b[^>]*?(/?)>")
_COUNT_ATTRS_RE = re.compile(rb"\s(?:count|uniqueCount)\s*=\s*(?:\"[^\"]*\"|'[^']*')")
_ATTRS = rb"(?:[^>\"']|\"[^\"]*\"|'[^']*')*?"
# A cell whose value is an index into the shared strings: ``<c … t="s"…><v>12</v>``.
_SHARED_CELL_RE = re.compile(
    rb"(<(?:[\w.-]+:)?c\b"
    + _ATTRS
    + rb"\st\s*=\s*[\"']s[\"']"
    + _ATTRS
    + rb">\s*<(?:[\w.-]+:)?v>)\s*([0-9]+)\s*(?=</)"
)
_EMPTY_SHEET = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData/></worksheet>"
)


class NotSliceable(Exception):
    """The sheet cannot be read in slices (not UTF-8, rows without numbers…): the caller
    reads it whole, as any other sheet."""


def _read_until(stream: IO[bytes], head: bytes, pattern: re.Pattern[bytes]) -> tuple[bytes, Any]:
    """Read ``stream`` onto ``head`` until ``pattern`` matches (within the first MiBs)."""
    while True:
        found = pattern.search(head)
        if found is not None:
            return head, found
        more = stream.read(CHUNK)
        if not more or len(head) > 8 * CHUNK:
            raise NotSliceable("no root element")
        head += more


def _check_utf8(head: bytes) -> None:
    prolog = head[: head.find(b"?>") + 2] if head.startswith(b"<?xml") else b""
    declared = re.search(rb"encoding\s*=\s*[\"']([^\"']+)", prolog)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or (
        declared is not None and declared.group(1).lower().replace(b"-", b"") != b"utf8"
    ):
        raise NotSliceable("not UTF-8")


class _SharedStrings:
    """The shared strings' ``<si>`` items, kept in a temporary file with their offsets, so
    that each slice's workbook gets only those it uses."""

    def __init__(self, stream: IO[bytes]) -> None:
        head, root = _read_until(stream, stream.read(CHUNK), _SST_ROOT_RE)
        _check_utf8(head)
        self.prefix = root.group(1) or b""
        p = re.escape(self.prefix)
        self.open_tag = _COUNT_ATTRS_RE.sub(b"", root.group(0)).replace(b"/>", b">")
        self.prolog = head[: root.start()]
        self.file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.offsets = array("q", [0])
        item = re.compile(rb"<" + p + rb"si\b(?:[^>]*/>|.*?</" + p + rb"si>)", re.DOTALL)
        buffer = b"" if root.group(2) else head[root.end() :]
        more = b"" if root.group(2) else b"-"
        while more:
            more = stream.read(CHUNK)
            buffer += more
            done = 0
            for found in item.finditer(buffer):
                self.file.write(found.group(0))
                self.offsets.append(self.file.tell())
                done = found.end()
            buffer = buffer[done:]

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def renumbered(self, rows: bytes, used: dict[int, int]) -> tuple[bytes, int]:
        """``rows`` with their shared-string indices renumbered in the order of ``used``
        (original index → new one, completed here), and the bytes of the items added."""
        added = 0
        count = len(self)
        offsets = self.offsets

        def renumber(match: re.Match[bytes]) -> bytes:
            nonlocal added
            index = int(match.group(2))
            if index >= count:  # a damaged index: calamine reads it as it would anyway
                return match.group(0)
            new = used.get(index)
            if new is None:
                new = used[index] = len(used)
                added += offsets[index + 1] - offsets[index]
            return match.group(1) + str(new).encode("ascii")

        return _SHARED_CELL_RE.sub(renumber, rows), added

    def part(self, indices: list[int]) -> bytes:
        """A shared-strings part holding the items ``indices``, in that order."""
        pieces = [self.prolog, self.open_tag]
        for index in indices:
            start, end = self.offsets[index], self.offsets[index + 1]
            self.file.seek(start)
            pieces.append(self.file.read(end - start))
        pieces.append(b"</" + self.prefix + b"sst>")
        return b"".join(pieces)

    def close(self) -> None:
        self.file.close()


class SlicedSheet:
    """The worksheet ``name`` (part ``part``) of the workbook at ``path``, read in slices.

    Duck-types what the reader uses of a ``CalamineSheet``: ``start``, ``end`` and
    ``iter_rows()`` (once). ``progress`` is told how far the reading is.
    """

    start = (0, 0)

    def __init__(
        self, path: Path, name: str, part: str, *, progress: Progress | None = None
    ) -> None:
        self.path = path
        self.name = name
        self.part = part
        self.progress = progress
        self._end: tuple[int, int] | None = None

    @property
    def end(self) -> tuple[int, int] | None:
        """The last row and column holding a value (0-based), once the rows are read."""
        return self._end

    def iter_rows(self) -> Iterator[list[Any]]:
        started = False
        try:
            for row in self._sliced_rows():
                started = True
                yield row
        except NotSliceable:
            if started:
                raise calamine_error(self.path, ValueError("sheetData")) from None
            yield from self._whole_rows()
        except (KeyboardInterrupt, SystemExit, MemoryError, UnreadableFileError):
            raise
        except (MalformedPart, zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise calamine_error(self.path, error) from None

    def _whole_rows(self) -> Iterator[list[Any]]:
        """The sheet read whole by calamine, as any other: for a sheet the slicer cannot cut
        (a UTF-16 part, say), correct if heavier."""
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_path(self.path)
        try:
            sheet = workbook.get_sheet_by_name(self.name)
        finally:
            workbook.close()
        start, self._end = sheet.start, sheet.end
        if start is None:
            return
        for row in sheet.iter_rows():
            yield [""] * start[1] + row if start[1] else row

    def _sliced_rows(self) -> Iterator[list[Any]]:
        with open_zip(self.path) as package:
            info = read_workbook_info(package)
            names = {entry.lower(): entry for entry in package.namelist()}
            sst_entry = names.get(_SST_PART)
            shared: _SharedStrings | None = None
            whole_sst: bytes | None = None
            try:
                if sst_entry is not None:
                    if package.getinfo(sst_entry).file_size <= SMALL_SST:
                        whole_sst = package.read(sst_entry)
                    else:
                        with package.open(sst_entry) as stream:
                            shared = _SharedStrings(stream)
                base = _small_parts(package, info, {sst_entry, self.part})
                if whole_sst is not None and sst_entry is not None:
                    base[sst_entry] = whole_sst
                with package.open(self.part) as stream:
                    yield from self._rows(stream, base, sst_entry, shared)
            finally:
                if shared is not None:
                    shared.close()

    def _rows(
        self,
        stream: IO[bytes],
        base: dict[str, bytes],
        sst_entry: str | None,
        shared: _SharedStrings | None,
    ) -> Iterator[list[Any]]:
        head, root = _read_until(stream, stream.read(CHUNK), _ROOT_RE)
        _check_utf8(head)
        prefix = root.group(1) or b""
        p = re.escape(prefix)
        data_re = re.compile(rb"<" + p + rb"sheetData\b[^>]*?(/?)>")
        head, data = _read_until(stream, head, data_re)
        if data.group(1):  # <sheetData/>: no rows
            self._end = None
            return
        opening = head[: root.end()] + b"<" + prefix + b"sheetData>"
        closing = b"</" + prefix + b"sheetData></" + prefix + b"worksheet>"
        width = 0
        last = -1  # the last row yielded (0-based)
        end_row = end_col = -1
        pieces = _row_pieces(stream, head[data.end() :], prefix)
        for rows, strings in _slices(pieces, prefix, shared):
            xml = opening + rows + closing
            del rows
            if strings is not None and sst_entry is not None:
                base[sst_entry] = strings
            del strings
            parsed = _parse(base, self.part, xml, self.name)
            del xml
            if parsed is not None:
                first, first_col, values = parsed
                end_row = max(end_row, first + len(values) - 1)
                for row in values:
                    end_col = max(end_col, first_col + len(row) - 1)
                width = max(width, end_col + 1)
                empty = [""] * width
                while last < first - 1:  # the rows between two slices' data
                    last += 1
                    yield empty[:]
                for row in values:
                    last += 1
                    full = [""] * first_col + row if first_col else row
                    if len(full) < width:
                        full += empty[len(full) :]
                    yield full
            if self.progress is not None:
                self.progress(f"Lecture de la feuille « {self.name} » : {last + 1} lignes")
        self._end = (end_row, end_col) if end_row >= 0 else None


def _small_parts(
    package: zipfile.ZipFile, info: WorkbookInfo, leave_out: set[str | None]
) -> dict[str, bytes]:
    """What calamine needs of the package to open it and read one sheet: the workbook, its
    styles and the small parts, every worksheet emptied, without the parts ``leave_out``."""
    worksheets = {sheet.part for sheet in info.sheets if sheet.is_worksheet}
    keep = {info.workbook_part, info.styles_part}
    parts: dict[str, bytes] = {}
    for member in package.infolist():
        entry = member.filename
        if entry in leave_out or member.is_dir():
            continue
        if entry in worksheets:
            parts[entry] = _EMPTY_SHEET
        elif entry in keep or member.file_size <= _SMALL_PART:
            parts[entry] = package.read(entry)
    return parts


def outline_package(path: Path) -> bytes:
    """A copy of the package at ``path`` with its worksheets empty and no shared strings:
    what calamine opens to list the sheets when every worksheet is read in slices (opening
    the file itself would load its huge shared-strings table)."""
    with open_zip(path) as package:
        info = read_workbook_info(package)
        names = {entry.lower(): entry for entry in package.namelist()}
        parts = _small_parts(package, info, {names.get(_SST_PART)})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as book:
        for entry, data in parts.items():
            book.writestr(entry, data)
    return buffer.getvalue()


def _row_pieces(stream: IO[bytes], rest: bytes, prefix: bytes) -> Iterator[bytes]:
    """The content of ``<sheetData>`` (after ``rest``, already read) in pieces of whole rows
    of about CHUNK bytes (one row at least)."""
    close_tag = b"</" + prefix + b"sheetData>"
    row_open = b"<" + prefix + b"row"
    data = rest
    while True:
        more = stream.read(CHUNK)
        data += more
        closed = data.find(close_tag, max(0, len(data) - len(more) - len(close_tag)))
        if closed >= 0 or not more:
            if closed < 0:
                raise NotSliceable("sheetData not closed")
            if data[:closed].strip():
                yield data[:closed]
            return
        cut = _last_row_start(data, row_open)
        if cut > 0:  # else one row larger than a piece: read on
            yield data[:cut]
            data = data[cut:]


def _last_row_start(data: bytes, row_open: bytes) -> int:
    """Where the last ``<row`` start tag of ``data`` begins (-1: none)."""
    at = len(data)
    while True:
        at = data.rfind(row_open, 0, at)
        if at < 0 or data[at + len(row_open) : at + len(row_open) + 1] in _AFTER_NAME:
            return at


_AFTER_NAME = (b" ", b">", b"/", b"\t", b"\r", b"\n")


def _slices(
    pieces: Iterator[bytes], prefix: bytes, shared: _SharedStrings | None
) -> Iterator[tuple[bytes, bytes | None]]:
    """Whole rows in slices of about SLICE_BYTES, each with the shared-strings part holding
    what it uses (``None`` when the whole part goes in every slice). The strings a slice uses
    count in its size, so that a few rows referring to long texts make a slice of their own."""
    pending: list[bytes] = []
    size = 0
    used: dict[int, int] = {}
    if shared is None:
        for piece in pieces:
            pending.append(piece)
            size += len(piece)
            if size >= SLICE_BYTES:
                yield b"".join(pending), None
                pending, size = [], 0
        if pending:
            yield b"".join(pending), None
        return
    row_start = re.compile(rb"<" + re.escape(prefix) + rb"row[\s>/]")
    for piece in pieces:
        starts = [found.start() for found in row_start.finditer(piece)][1:]
        for begin, end in zip([0, *starts], [*starts, len(piece)], strict=True):
            row, added = shared.renumbered(piece[begin:end], used)
            pending.append(row)
            size += len(row) + added
            if size >= SLICE_BYTES:
                yield b"".join(pending), shared.part(list(used))
                pending, size, used = [], 0, {}
    if pending:
        yield b"".join(pending), shared.part(list(used))


def _parse(base: dict[str, bytes], part: str, xml: bytes, name: str) -> _Slice | None:
    """calamine's reading of one slice; ``None`` when it holds no value.

    A number outside Excel's dates in a date-formatted cell makes calamine panic: the slice is
    then read again with such numbers as text, as the reader does for a whole workbook."""
    try:
        return _parse_once(base, part, xml, name)
    except BaseException as error:  # a Rust panic is a BaseException
        if not is_reader_failure(error):
            raise
        from suivi_xlsx.xlsx.guard import absurd_numbers_fixed

        fixed = absurd_numbers_fixed(xml)
        if fixed == xml:
            raise
        return _parse_once(base, part, fixed, name)


def _parse_once(base: dict[str, bytes], part: str, xml: bytes, name: str) -> _Slice | None:
    from python_calamine import CalamineWorkbook

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as book:
        for entry, data in base.items():
            book.writestr(entry, data)
        book.writestr(part, xml)
    buffer.seek(0)
    workbook = CalamineWorkbook.from_filelike(buffer)
    del buffer
    try:
        sheet = workbook.get_sheet_by_name(name)
        start = sheet.start
        if start is None:
            return None
        values: list[list[Any]] = sheet.to_python(skip_empty_area=True)
        del sheet
    finally:
        workbook.close()
    return start[0], start[1], values
