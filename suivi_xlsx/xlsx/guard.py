"""Look at a package (.xlsx, or .ods: the zip and XML checks are the same) before anything
inflates it: refuse bombs, DTDs and duplicate parts, and find the worksheets whose cells
spread absurdly far (a stray cell typed at ``XFD1048576``).

``inspect_package`` is cheap enough to run on every command: it reads the zip's central
directory (declared sizes) and the first bytes of each XML part (the prolog, where a DTD would
be, and a worksheet's ``<dimension>``). Only a worksheet whose dimension is missing or claims a
huge range is read further (``scan_extent``): python-calamine allocates one cell per position
of the range its cells span, so one far cell costs hundreds of GiB and aborts the process.
``trimmed_parts`` then gives copies of those sheets without the cells far from the table, for
the reader to parse instead; the file itself is only read.

Declared sizes are enough to bound what is inflated: both ``zipfile`` and python-calamine's zip
reader stop with an error as soon as a member inflates past its declared size.

``validate_members`` is the update's stricter check: every member inflates to its declared
size with the right CRC, so that a part copied as-is cannot fail our own verification later.

Only the standard library: the command line runs ``inspect_package`` in its prefetch thread.
"""

from __future__ import annotations

import codecs
import os
import re
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from suivi_xlsx.xlsx import CHUNK
from suivi_xlsx.xlsx.ziplite import BadZip, LiteZip
from suivi_xlsx.xlsx.zipopen import open_zip

if TYPE_CHECKING:
    import zipfile
    from typing import Protocol

from suivi_xlsx.errors import DamagedFileError, UnreadableFileError

#: Uncompressed size above which one part is refused: no real register comes near it.
PART_LIMIT = 2 << 30
#: Uncompressed size of all parts together above which the package is refused.
TOTAL_LIMIT = 4 << 30
#: A part above RATIO_FROM bytes that inflates more than RATIO_LIMIT times is a bomb; real
#: parts stay below ~100 × (a sheet of empty styled cells is ~12 ×).
RATIO_LIMIT = 250
RATIO_FROM = 64 << 20
#: How much of an XML part is read to find its root element (prolog, DTD, dimension).
PROLOG_LIMIT = 64 << 10
#: A worksheet whose range covers more cells than this has its real extent scanned.
SCAN_CELLS = 20_000_000
#: The most cells a sheet may span once stray far cells are left out.
MAX_CELLS = 60_000_000
#: Cells beyond a gap of this many empty rows (columns) after the table are stray.
ROW_GAP = 10_000
COLUMN_GAP = 256
#: Worksheet parts up to this size are scanned whatever their dimension says.
SCAN_BELOW = 1 << 20
#: A worksheet part this large whose rows average HEAVY_ROW bytes or more holds long texts
#: (20,000 rows of 32,767-character cells): read in slices (``slices.py``), since one
#: calamine range plus the Python strings would hold them twice. A shared-strings part this
#: large makes every worksheet heavy: calamine would hold its strings once more.
HEAVY_PART = 128 << 20
HEAVY_ROW = 4 << 10
HEAVY_SST = 128 << 20
_SST_PART = "xl/sharedstrings.xml"  # where calamine looks for it (case-insensitive)

_XML_SUFFIXES = (".xml", ".rels")
_ROOT_RE = re.compile(rb"<(?![?!])([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)")
_DTD_RE = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DIMENSION_RE = re.compile(rb"<(?:[\w.-]+:)?dimension\b[^>]*?\sref\s*=\s*[\"']([^\"']*)[\"']")
_SHEET_DATA_RE = re.compile(rb"<(?:[\w.-]+:)?sheetData\b")
_RANGE_RE = re.compile(
    r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})(?::\$?([A-Za-z]{1,3})\$?([0-9]{1,7}))?$"
)
# Up to 20 digits and 4 letters: a reference beyond Excel's grid (A99999999999) is seen too.
_REF_RE = re.compile(rb"\sr\s*=\s*[\"']\s*\$?([A-Z]{0,4})\$?([0-9]{1,20})\s*[\"']")
_ROW_RE = re.compile(rb"<(?:[\w.-]+:)?row\b[^>]*?(?:/>|>.*?</(?:[\w.-]+:)?row>)", re.DOTALL)
_ROW_NUMBER_RE = re.compile(rb"^<(?:[\w.-]+:)?row\b[^>]*?\sr\s*=\s*[\"']\s*([0-9]+)")
_CELL_RE = re.compile(
    rb"<(?:[\w.-]+:)?c\b[^>]*?\sr\s*=\s*[\"']\s*\$?([A-Z]{1,4})\$?([0-9]+)\s*[\"'][^>]*?"
    rb"(?:/>|>.*?</(?:[\w.-]+:)?c>)",
    re.DOTALL,
)
_MAX_ROWS = 1_048_576
_MAX_COLUMNS = 16_384


def _size(n: int) -> str:
    """A size in French units: « 3,2 Go », « 540 Mo »."""
    if n >= 1 << 30:
        return f"{n / (1 << 30):.1f} Go".replace(".", ",")
    return f"{max(1, round(n / (1 << 20)))} Mo"


def damaged(file: Path, part: str, detail: str) -> DamagedFileError:
    """« le classeur … est abîmé : detail (partie « part ») » and what to do (in the program
    of its format: Excel, LibreOffice), exit 2."""
    from suivi_xlsx.formats import Format, repair_advice, sniff

    advice = repair_advice(sniff(file) or Format.XLSX)
    return DamagedFileError(
        f"le classeur « {file.name} » est abîmé : {detail} (partie « {part} »). Restaurez une "
        f"sauvegarde, ou {advice} et relancez la commande.",
        path=file,
    )


#: The part of an OpenDocument spreadsheet that holds its sheets.
ODF_CONTENT = "content.xml"


def odf_problem(path: Path) -> DamagedFileError | None:
    """Why an OpenDocument package the reader could not read is damaged: its ``content.xml``
    is missing or is not well-formed XML (``None``: neither). Asked only once the reader has
    failed, so a sound file never pays for the parse."""
    from xml.parsers import expat

    package = _open_zip(path)
    if package is None:
        return None
    with package:
        member = next((m for m in package.infolist() if m.filename == ODF_CONTENT), None)
        if member is None:
            return damaged(path, ODF_CONTENT, "la partie qui contient les feuilles manque")
        parser = expat.ParserCreate()
        try:
            for chunk in _inflate(package, member):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError:
            return damaged(path, ODF_CONTENT, "le contenu XML des feuilles est mal formé")
        except _MEMBER_ERRORS:
            return damaged(path, ODF_CONTENT, "la partie est tronquée ou illisible")
    return None


def _bomb(file: Path, part: str, size: int) -> DamagedFileError:
    return DamagedFileError(
        f"le classeur « {file.name} » est abîmé ou piégé : sa partie « {part} » se décompresse "
        f"en {_size(size)}, bien plus qu'aucun classeur réel. suivi_xlsx refuse de l'ouvrir ; "
        "restaurez une sauvegarde ou demandez l'original à son auteur.",
        path=file,
    )


def _column_index(letters: str) -> int:
    n = 0
    for char in letters.upper():
        n = n * 26 + ord(char) - 64
    return n - 1


def range_cells(ref: str) -> tuple[int, int, int, int] | None:
    """``A1:XFD1048576`` → (first row, first column, last row, last column), 1-based rows and
    0-based columns; ``None`` when it is not a range."""
    match = _RANGE_RE.match(ref.strip())
    if match is None:
        return None
    a_col, a_row, b_col, b_row = match.groups()
    rows = (int(a_row), int(b_row or a_row))
    cols = (_column_index(a_col), _column_index(b_col or a_col))
    return min(rows), min(cols), max(rows), max(cols)


def _area(box: tuple[int, int, int, int]) -> int:
    return (box[2] - box[0] + 1) * (box[3] - box[1] + 1)


@dataclass(frozen=True, slots=True)
class Inspection:
    """What ``inspect_package`` found: the worksheet parts whose cells span more than
    SCAN_CELLS positions, to be trimmed (``trimmed_package``) before calamine reads them, and
    the heavy ones (long texts), to be read in slices."""

    to_scan: tuple[str, ...]
    heavy: tuple[str, ...] = ()
    #: The shared strings are HEAVY_SST or more: every worksheet is heavy, and calamine must
    #: not open the file itself (it would load them all).
    big_strings: bool = False


_cache: dict[tuple[str, int, int], Inspection] = {}


def _stamp(path: Path) -> tuple[str, int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (os.path.abspath(path), info.st_size, info.st_mtime_ns)


if TYPE_CHECKING:  # protocols cost time to create: types only

    class _Member(Protocol):
        """A zip member as ``zipfile.ZipInfo`` and ``ziplite.Member`` both describe it."""

        @property
        def filename(self) -> str: ...
        @property
        def file_size(self) -> int: ...
        @property
        def compress_size(self) -> int: ...

    class _Package(Protocol):
        """What the guard reads of a package: ``zipfile.ZipFile`` or the lighter ``LiteZip``
        (the check's start does not pay for importing ``zipfile``)."""

        def infolist(self) -> Sequence[Any]: ...
        def open(self, name: Any, /) -> Any: ...


def _open_zip(path: Path) -> LiteZip | None:
    try:
        return LiteZip(path)
    except (BadZip, OSError, ValueError, EOFError):
        return None  # the reader says what is wrong with it


def inspect_package(path: Path) -> Inspection:
    """Refuse (``DamagedFileError``) a package with duplicate parts, a part or a total that
    inflates absurdly, or an XML part with a DTD; return the worksheets to scan. A file that
    is not a readable zip is left to the reader, which explains it. Results are cached per
    file version: the command line's prefetch and the reader both ask."""
    stamp = _stamp(path)
    if stamp is not None and stamp in _cache:
        return _cache[stamp]
    package = _open_zip(path)
    if package is None:
        return Inspection(())
    with package:
        check_declared(path, package)
        to_scan: list[str] = []
        heavy: list[str] = []
        members = package.infolist()
        big_sst = any(m.filename.lower() == _SST_PART and m.file_size >= HEAVY_SST for m in members)
        for info in members:
            if not info.filename.lower().endswith(_XML_SUFFIXES) or info.file_size == 0:
                continue
            try:
                head = _prolog(package, info)
            except _Unreadable:
                continue  # a part nobody may need; the reader says so if it does
            root = _check_prolog(path, info.filename, head)
            if root != b"worksheet":
                continue
            # A small sheet is always scanned (a few ms): its dimension may be missing or lie.
            # A large one is searched for a reference beyond its dimension (the dimension may
            # lie too): a few hundredths of a second, where the scan costs as much as the read.
            box = _dimension(head)
            if (
                info.file_size <= SCAN_BELOW
                or _needs_scan(head)
                or _beyond_dimension(package, info, head)
            ):
                try:
                    extent = scan_extent(package, info)
                except _MEMBER_ERRORS:
                    continue  # the reader will say the sheet is damaged, if it reads it
                box = extent.box
                if extent.beyond_grid or (box is not None and _area(box) > SCAN_CELLS):
                    to_scan.append(info.filename)
                    continue
            if big_sst or (
                info.file_size >= HEAVY_PART
                and box is not None
                and info.file_size >= HEAVY_ROW * (box[2] - box[0] + 1)
            ):
                heavy.append(info.filename)
    result = Inspection(tuple(to_scan), tuple(heavy), big_sst and not to_scan)
    if stamp is not None:
        _cache.clear()  # one file at a time: keep the cache tiny
        _cache[stamp] = result
    return result


def check_declared(path: Path, package: _Package) -> None:
    """Duplicate part names and declared sizes, from the central directory alone."""
    seen: set[str] = set()
    total = 0
    for info in package.infolist():
        folded = info.filename.replace("\\", "/").lower()
        if folded in seen:
            raise damaged(path, info.filename, "deux parties du fichier portent ce même nom")
        seen.add(folded)
        size = info.file_size
        total += size
        ratio_bomb = size > RATIO_FROM and size > RATIO_LIMIT * max(info.compress_size, 1)
        if size > PART_LIMIT or ratio_bomb:
            raise _bomb(path, info.filename, size)
    if total > TOTAL_LIMIT:
        raise DamagedFileError(
            f"le classeur « {path.name} » est abîmé ou piégé : il se décompresse en "
            f"{_size(total)}, bien plus qu'aucun classeur réel. suivi_xlsx refuse de l'ouvrir.",
            path=path,
        )


class _Unreadable(Exception):
    """A member that cannot be inflated (bad header, CRC, method, encryption)."""


_MEMBER_ERRORS: tuple[type[BaseException], ...] = (
    BadZip,
    zlib.error,
    EOFError,
    NotImplementedError,
    RuntimeError,
    OSError,
    ValueError,
)


def _prolog(package: _Package, info: _Member) -> bytes:
    """The start of an XML part, up to its root element's name (at most PROLOG_LIMIT); for a
    worksheet, up to its ``<sheetData>`` (the dimension comes before it)."""
    try:
        with package.open(info) as stream:
            head: bytes = stream.read(4096)
            while len(head) < PROLOG_LIMIT:
                text = _ascii(head)
                root = _ROOT_RE.search(text)
                if root is not None and (
                    root.group(2) != b"worksheet" or _SHEET_DATA_RE.search(text, root.end())
                ):
                    break
                more = stream.read(16384)
                if not more:
                    break
                head += more
    except _MEMBER_ERRORS as error:
        raise _Unreadable(str(error)) from error
    return head


def _ascii(head: bytes) -> bytes:
    """UTF-16 markup as bytes the patterns can read (ASCII markup is all they look for)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return head.replace(b"\x00", b"")
    return head


def _check_prolog(path: Path, part: str, head: bytes) -> bytes | None:
    """Refuse a DTD or a part with no XML root; the root element's local name otherwise."""
    text = _ascii(head)
    root = _ROOT_RE.search(text)
    if _DTD_RE.search(text, 0, root.start() if root else len(text)):
        raise damaged(
            path,
            part,
            "une partie XML contient une DTD (déclaration <!DOCTYPE> ou <!ENTITY>), "
            "ce qu'un classeur ne contient jamais",
        )
    if root is None:
        if len(head) >= PROLOG_LIMIT or not text.strip():
            raise damaged(path, part, "une partie XML ne contient pas de XML lisible")
        return None
    return root.group(2)


def _dimension(head: bytes) -> tuple[int, int, int, int] | None:
    """The box of a worksheet's ``<dimension>``, when it has a readable one."""
    found = _DIMENSION_RE.search(_ascii(head))
    return range_cells(found.group(1).decode("ascii", "replace")) if found else None


def _needs_scan(head: bytes) -> bool:
    """A worksheet with cells whose dimension is missing or spans more than SCAN_CELLS."""
    text = _ascii(head)
    if _SHEET_DATA_RE.search(text) is None:
        return len(head) >= PROLOG_LIMIT  # sheetData not reached: do not trust the sheet
    found = _DIMENSION_RE.search(text)
    box = range_cells(found.group(1).decode("ascii", "replace")) if found else None
    return box is None or _area(box) > SCAN_CELLS


# Every cell reference as its shape: letters as ``A``, digits as ``0``, single quotes as
# double, blanks and ``$`` gone, so that a few ``bytes.find`` (C speed) tell whether any
# reference has more letters or digits than a dimension's last cell.
_SHAPES = bytes(
    ord("A") if 65 <= b <= 90 else ord("0") if 48 <= b <= 57 else ord('"') if b == 39 else b
    for b in range(256)
)
_SHAPE_DROP = b"$ \t\n\r"


def reference_shapes(box: tuple[int, int, int, int]) -> tuple[tuple[bytes, ...], int]:
    """What a reference certainly beyond ``box`` (a dimension's range) looks like once
    shaped: more column letters than its last column, or more row digits than its last row
    (cell references and ``<row r=…>`` alike); and how many cells a sheet may span with no
    such reference, which the caller compares with what calamine can hold."""
    last_row, last_col = box[2], box[3]
    letters = 1
    while _column_index("Z" * letters) < last_col:
        letters += 1
    digits = len(str(last_row))
    shapes = [b'r="' + b"A" * (letters + 1)]
    shapes.extend(b'r="' + b"A" * k + b"0" * (digits + 1) for k in range(letters + 1))
    widest = min(_column_index("Z" * letters) + 1, _MAX_COLUMNS)
    highest = min(10**digits - 1, _MAX_ROWS)
    return tuple(shapes), widest * highest


def _beyond_dimension(package: _Package, info: Any, head: bytes) -> bool:
    """Whether a large worksheet whose dimension looks sane may still hold a cell beyond it
    (a dimension may lie): True when the dimension cannot be read, when what the search
    cannot rule out is more than calamine can hold, or when a reference beyond it is found.
    One pass over the part, a fraction of what the full scan costs (``scan_extent``)."""
    found = _DIMENSION_RE.search(_ascii(head))
    box = range_cells(found.group(1).decode("ascii", "replace")) if found else None
    if box is None:
        return True
    shapes, undetected = reference_shapes(box)
    if undetected > MAX_CELLS:
        return True
    carry = b""
    try:
        for chunk in _inflate(package, info):
            text = (carry + chunk).translate(_SHAPES, _SHAPE_DROP)
            if any(shape in text for shape in shapes):
                return True
            carry = chunk[-64:]  # a reference cut between two chunks
    except _MEMBER_ERRORS:
        return False  # the reader will say the sheet is damaged, if it reads it
    return False


def _inflate(package: _Package, part: Any) -> Iterator[bytes]:
    """The part's bytes, a chunk at a time (bounded by its declared size: see module doc)."""
    with package.open(part) as stream:
        while chunk := stream.read(CHUNK):
            yield chunk


@dataclass(frozen=True, slots=True)
class Extent:
    """Where a worksheet's cells really are."""

    rows: bytearray  # rows[n] == 1 when row n holds a cell
    columns: bytearray  # columns[c] == 1 when column c (0-based) holds a cell
    # A reference beyond Excel's grid (row 99999999999): calamine would try to allocate the
    # whole range and abort the process, so such a sheet is always trimmed.
    beyond_grid: bool = False

    @property
    def box(self) -> tuple[int, int, int, int] | None:
        first_row, last_row = _used_bounds(self.rows)
        first_col, last_col = _used_bounds(self.columns)
        if first_row < 0 or first_col < 0:
            return None
        return first_row, first_col, last_row, last_col

    def table(self) -> tuple[int, int, int, int] | None:
        """The box of the table: from the first used row (column) up to the first gap of more
        than ROW_GAP empty rows (COLUMN_GAP columns); what lies beyond is stray."""
        box = self.box
        if box is None:
            return None
        last_row = _before_gap(self.rows, box[0], ROW_GAP)
        last_col = _before_gap(self.columns, box[1], COLUMN_GAP)
        return box[0], box[1], last_row, last_col


def _used_bounds(flags: bytearray) -> tuple[int, int]:
    first = flags.find(1)
    return (first, flags.rfind(1)) if first >= 0 else (-1, -1)


def _before_gap(flags: bytearray, first: int, gap: int) -> int:
    last = first
    while True:
        following = flags.find(1, last + 1)
        if following < 0 or following - last > gap:
            return last
        last = following


def scan_extent(package: _Package, part: Any) -> Extent:
    """Rows and columns that hold cells, streaming through the part (bounded memory)."""
    numbers: set[bytes] = set()
    letters: set[bytes] = set()
    carry = b""
    for chunk in _inflate(package, part):
        text = carry + chunk
        cut = text.rfind(b">") + 1  # never split an attribute between chunks
        carry = text[cut:]
        found = _REF_RE.findall(text, 0, cut)
        if found:
            some_letters, some_numbers = zip(*found, strict=True)
            letters.update(some_letters)  # distinct values only: a few per sheet
            numbers.update(some_numbers)
    rows = bytearray(_MAX_ROWS + 2)
    beyond = False
    for digits in numbers:
        if 0 < (number := int(digits)) <= _MAX_ROWS:
            rows[number] = 1
        else:
            beyond = True
    columns = bytearray(_MAX_COLUMNS + 1)
    for name in letters:
        if name and (column := _column_index(name.decode("ascii"))) < _MAX_COLUMNS:
            columns[column] = 1
        elif name:
            beyond = True
    return Extent(rows, columns, beyond)


@dataclass(frozen=True, slots=True)
class Trimmed:
    """A worksheet part without its stray far cells, and which cells were left out."""

    part: str
    data: bytes
    left_out: tuple[str, ...]  # references of the cells left out, e.g. ``XFD1048576``
    count: int  # how many cells were left out


def trim_sheet(path: Path, package: zipfile.ZipFile, part: str) -> Trimmed | None:
    """The part without the cells outside its table, when its cells span more than
    SCAN_CELLS; ``None`` when it needs no trimming. Refuses (``UnreadableFileError``) a sheet
    whose table itself spans more than MAX_CELLS."""
    extent = scan_extent(package, part)
    box = extent.box
    if not extent.beyond_grid and (box is None or _area(box) <= SCAN_CELLS):
        return None
    found_table = extent.table()
    table = found_table or (1, 0, 0, -1)  # only cells beyond the grid: none is kept
    if _area(table) > MAX_CELLS:
        rows, cols = table[2] - table[0] + 1, table[3] - table[1] + 1
        raise UnreadableFileError(
            f"une feuille de « {path.name} » (partie « {part} ») s'étend sur {rows} lignes × "
            f"{cols} colonnes remplies, trop pour être lue : supprimez les lignes et colonnes "
            "inutiles (ou déplacez le registre dans un classeur à part), enregistrez, puis "
            "relancez la commande.",
            path=path,
        )
    data = b"".join(_inflate(package, part))
    left_out: list[str] = []
    first_row, first_col, last_row, last_col = table

    def cell(match: re.Match[bytes]) -> bytes:
        number = int(match.group(2))
        column = _column_index(match.group(1).decode("ascii"))
        if first_row <= number <= last_row and first_col <= column <= last_col:
            return match.group(0)
        left_out.append(f"{match.group(1).decode('ascii')}{number}")
        return b""

    def row(match: re.Match[bytes]) -> bytes:
        text = match.group(0)
        found = _ROW_NUMBER_RE.match(text)
        if found is not None and int(found.group(1)) > _MAX_ROWS:  # beyond the grid: drop it
            left_out.extend(
                f"{m.group(1).decode('ascii')}{m.group(2).decode()}"
                for m in _CELL_RE.finditer(text)
            )
            return b""
        if found is not None and first_row <= int(found.group(1)) <= last_row:
            refs = _REF_RE.findall(text)
            columns = [_column_index(a.decode("ascii")) for a, _ in refs if a]
            if not columns or (first_col <= min(columns) and max(columns) <= last_col):
                return text  # the common case: a row of the table, kept as it is
        return _CELL_RE.sub(cell, text)

    trimmed = _ROW_RE.sub(row, data)
    if found_table is not None:
        trimmed = _DIMENSION_RE.sub(
            lambda m: m.group(0).replace(m.group(1), _box_ref(table).encode("ascii")), trimmed, 1
        )
    return Trimmed(part, trimmed, tuple(left_out[:5]), len(left_out))


def _box_ref(box: tuple[int, int, int, int]) -> str:
    from suivi_xlsx.domain.a1 import column_letter

    return f"{column_letter(box[1])}{box[0]}:{column_letter(box[3])}{box[2]}"


def validate_members(path: Path, package: zipfile.ZipFile) -> None:
    """Every member inflates, to its declared size, with the right CRC: what the update copies
    as-is and verifies afterwards. ``DamagedFileError`` names the first broken part."""
    import zipfile

    check_declared(path, package)
    errors: tuple[type[BaseException], ...] = (zipfile.BadZipFile, *_MEMBER_ERRORS)
    for info in package.infolist():
        try:
            with package.open(info) as stream:
                while stream.read(CHUNK):
                    pass
        except errors as error:
            raise damaged(path, info.filename, _member_problem(error)) from error


def _member_problem(error: BaseException) -> str:
    text = str(error).lower()
    if "crc" in text:
        return "une partie ne correspond plus à sa somme de contrôle (copie altérée)"
    if isinstance(error, NotImplementedError) or "compression" in text:
        return "une partie est compressée d'une façon qu'Excel n'utilise pas"
    if "encrypt" in text or "password" in text:
        return "une partie est chiffrée"
    return "une partie est tronquée ou illisible"


def far_cells_notice(sheet: str, trimmed: Trimmed) -> str:
    """The French notice for cells left out of a sheet (printed as « Attention : … »)."""
    shown = ", ".join(trimmed.left_out) + ("…" if trimmed.count > len(trimmed.left_out) else "")
    what = (
        "1 cellule isolée loin du tableau a été ignorée"
        if trimmed.count == 1
        else f"{trimmed.count} cellules isolées loin du tableau ont été ignorées"
    )
    return (
        f"dans la feuille « {sheet} », {what} ({shown}). Dans Excel, Ctrl+Fin mène à la "
        "dernière cellule utilisée : supprimez les lignes et colonnes en trop au-delà du "
        "tableau, puis enregistrez."
    )


def trimmed_package(path: Path, parts: tuple[str, ...]) -> tuple[bytes, list[str]] | None:
    """A copy of the package whose worksheets ``parts`` lose their stray far cells, and the
    French notices naming those cells; ``None`` when no sheet needed it."""

    from suivi_xlsx.xlsx.package import read_workbook_info
    from suivi_xlsx.xlsx.zipcopy import rewrite_package

    with open_zip(path) as package:
        trims = [t for part in parts if (t := trim_sheet(path, package, part)) is not None]
        if not trims:
            return None
        try:
            names = {sheet.part: sheet.name for sheet in read_workbook_info(package).sheets}
        except Exception:  # names are only for the notice; the part name will do
            names = {}
    copy = rewrite_package(path.read_bytes(), {t.part: t.data for t in trims})
    return copy, [far_cells_notice(names.get(t.part, t.part), t) for t in trims]


# A number cell without a formula: its value outside Excel's dates (serial 0 to 2,958,465, the
# 31/12/9999) makes python-calamine's date conversion panic when the cell has a date format.
_NUMBER_CELL_RE = re.compile(
    rb"<c\b(?P<attrs>(?:[^>\"'/]|\"[^\"]*\"|'[^']*')*)>\s*<v>(?P<value>[-+0-9.eE]+)</v>\s*</c>"
)
_TYPE_ATTR_RE = re.compile(rb"\st\s*=\s*[\"'](?P<type>\w*)[\"']")
_LAST_EXCEL_SERIAL = 2_958_465


def _absurd_as_text(match: re.Match[bytes]) -> bytes:
    attrs, raw = match.group("attrs"), match.group("value")
    kind = _TYPE_ATTR_RE.search(attrs)
    if kind is not None and kind.group("type") not in (b"", b"n"):
        return match.group(0)
    try:
        value = float(raw)
    except ValueError:
        return match.group(0)
    if 0 <= value <= _LAST_EXCEL_SERIAL:
        return match.group(0)
    text = str(int(value)) if value.is_integer() and abs(value) < 1e17 else raw.decode("ascii")
    attrs = _TYPE_ATTR_RE.sub(b"", attrs)
    return b'<c%s t="inlineStr"><is><t>%s</t></is></c>' % (attrs, text.encode("ascii"))


def absurd_numbers_fixed(sheet: bytes) -> bytes:
    """The worksheet XML ``sheet`` with every number cell outside Excel's dates as text."""
    return _NUMBER_CELL_RE.sub(_absurd_as_text, sheet)


def absurd_numbers_as_text(path: Path) -> bytes | None:
    """A copy of the package in which every number cell outside Excel's dates holds its value
    as text, so that a date-formatted cell holding one (a typo such as -1e12, « ##### » in
    Excel) reads as an unreadable date on its own cell instead of failing the whole sheet;
    ``None`` when no sheet holds such a number. Only used once a read has failed."""

    from suivi_xlsx.xlsx.package import read_workbook_info
    from suivi_xlsx.xlsx.zipcopy import rewrite_package

    replacements: dict[str, bytes] = {}
    to_trim = set(inspect_package(path).to_scan)
    with open_zip(path) as package:
        for sheet in read_workbook_info(package).sheets:
            if not sheet.is_worksheet or sheet.part not in package.NameToInfo:
                continue
            # Start from the copy the first read used: without its stray far cells.
            trimmed = trim_sheet(path, package, sheet.part) if sheet.part in to_trim else None
            data = trimmed.data if trimmed is not None else package.read(sheet.part)
            fixed = absurd_numbers_fixed(data)
            if fixed != data or trimmed is not None:
                replacements[sheet.part] = fixed
    if not replacements:
        return None
    return rewrite_package(path.read_bytes(), replacements)
