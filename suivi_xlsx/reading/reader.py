"""Workbook → ``Register``, with python-calamine. No rules, no writing: the file is only read.

Every worksheet whose header (found in its first rows) is a register is read, in workbook order;
the parameters sheet (« Paramètres ») gives the ``Settings``. Bad input raises an
``UnreadableFileError`` or ``NoRegisterError`` whose French message says what to do.

Row numbers are Excel's: python-calamine's ``iter_rows()`` pads the empty rows above the data
but not the empty columns left of it, so a column's Excel index is its position plus
``sheet.start[1]``.
"""

from __future__ import annotations

import dataclasses
import os
import re
import stat
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain, compress, islice, repeat, starmap
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

from suivi_xlsx.domain.model import (
    DATE_COLUMNS,
    HEADERS,
    LABELS,
    SEED_COLUMNS,
    Calendar,
    Column,
    Entry,
    Register,
    RegisterSheet,
    Settings,
)
from suivi_xlsx.domain.numbering import (
    OrderNumber,
    is_valid_agency,
    parse_loose_order_number,
    parse_order_number,
)
from suivi_xlsx.domain.values import (
    FIELDS,
    LENIENT,
    converter,
    number_text,
    plain,
    to_bool,
    to_text,
    with_assumed_years,
)
from suivi_xlsx.errors import NoRegisterError, UnreadableFileError
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
from suivi_xlsx.reading.columns import (
    HEADER_SEARCH_ROWS,
    Aliases,
    HeaderMatch,
    find_header,
    normalize,
    sniff_column,
)
from suivi_xlsx.reading.parsing import (
    SheetParser,
    is_settings_sheet,
    reading_order,
    take_prefetched,
)
from suivi_xlsx.reading.rowkinds import RowKind, classify_row
from suivi_xlsx.runtime.gcpause import gc_paused

if TYPE_CHECKING:
    from python_calamine import CalamineSheet, CalamineWorkbook

# An OOXML file encrypted with a password to open is an OLE2 container with this stream.
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")
_OOXML_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})
# Names calamine picks its reader from: a file whose content matches its name is read from
# its path, any other (a renamed .ods…) by its content.
_NAMED_SUFFIXES = {
    **dict.fromkeys(_OOXML_SUFFIXES, Format.XLSX),
    **dict.fromkeys(ODS_SUFFIXES, Format.ODS),
    **dict.fromkeys(XLS_SUFFIXES, Format.XLS),
}
_SAVE_AS_XLSX = (
    "enregistrez le fichier au format .xlsx (Fichier > Enregistrer sous > Classeur Excel)"
)


# --- errors ---------------------------------------------------------------------------------


def _unreadable(path: Path, message: str) -> UnreadableFileError:
    return UnreadableFileError(message, path=path)


def _encrypted(path: Path) -> UnreadableFileError:
    return _unreadable(
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
        raise _unreadable(
            path, f"fichier introuvable : « {path} ». Vérifiez le chemin et le nom du fichier."
        ) from None
    except OSError as error:
        raise _unreadable(
            path, f"impossible d'accéder à « {path} » ({error.strerror}) : vérifiez le chemin."
        ) from None
    if stat.S_ISDIR(info.st_mode):
        raise _unreadable(
            path,
            f"« {path} » est un dossier, pas un fichier : indiquez le chemin du classeur "
            "(par exemple « registre.xlsx »).",
        )
    if info.st_size == 0:
        raise _unreadable(
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
        raise _unreadable(
            path,
            f"accès refusé au fichier « {path.name} » : fermez-le s'il est ouvert dans un autre "
            "programme, vérifiez vos droits sur le fichier, puis relancez la commande.",
        ) from None
    except OSError as error:
        raise _unreadable(
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
            raise _unreadable(
                path,
                f"le fichier « {path.name} » est un classeur binaire (.xlsb), que suivi_xlsx ne "
                f"lit pas : ouvrez-le dans Excel et {_SAVE_AS_XLSX}.",
            )
        # Bombs, DTDs and duplicate parts are refused before anything inflates them.
        from suivi_xlsx.xlsx.guard import inspect_package

        inspect_package(path)
        return fmt
    if suffix in (".csv", ".txt", ".tsv") or _looks_like_text(head):
        raise _unreadable(
            path,
            f"le fichier « {path.name} » contient du texte (CSV ?), pas un classeur Excel : "
            f"ouvrez-le dans Excel puis {_SAVE_AS_XLSX}.",
        )
    raise _unreadable(
        path,
        f"le fichier « {path.name} » n'est pas un classeur Excel .xlsx : ouvrez-le dans Excel "
        f"puis {_SAVE_AS_XLSX}.",
    )


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


def _is_reader_failure(error: BaseException) -> bool:
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


def _calamine_error(path: Path, error: BaseException) -> UnreadableFileError:
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
        return _unreadable(
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
        return _unreadable(
            path,
            f"le fichier « {path.name} » est endommagé ou incomplet (archive .{fmt.value} "
            f"illisible, copie interrompue ?) : restaurez une sauvegarde, ou {again}.",
        )
    if fmt is Format.XLSX:
        again = f"ouvrez-le dans Excel, qui proposera peut-être de le réparer, puis {_SAVE_AS_XLSX}"
    return _unreadable(
        path,
        f"le fichier « {path.name} » n'a pas pu être lu comme un {kind_name(fmt)} "
        f"({_plain_detail(error)}) : {again}.",
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

_FIELDS = dataclasses.fields(Entry)
_POSITION = {field.name: position for position, field in enumerate(_FIELDS)}


def _defaults() -> list[Any]:
    values: list[Any] = []
    for field in _FIELDS:
        if field.default is not dataclasses.MISSING:
            values.append(field.default)
        elif field.default_factory is not dataclasses.MISSING:
            values.append(field.default_factory())
        else:
            values.append(None)  # sheet, row, columns: set per sheet and row
    return values


def _slots_maker(cls: type[Any]) -> Callable[..., Any]:
    """A constructor of the frozen slots dataclass ``cls`` taking every field positionally.

    For speed (100,000 rows), it sets the slots directly, as the frozen dataclass' own
    ``__init__`` does, without its per-field global look-ups; it falls back to ``cls`` should
    the class ever gain a ``__post_init__`` or lose its slots.
    """
    if hasattr(cls, "__post_init__") or not hasattr(cls, "__slots__"):
        return cls
    names = [field.name for field in dataclasses.fields(cls)]
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    lines = [f"def make({', '.join(names)}):", "    made = _new(_cls)"]
    for name in names:
        namespace[f"_set_{name}"] = getattr(cls, name).__set__
        lines.append(f"    _set_{name}(made, {name})")
    lines.append("    return made")
    exec("\n".join(lines), namespace)  # the technique dataclasses itself uses
    maker: Callable[..., Any] = namespace["make"]
    return maker


_make_entry: Callable[..., Entry] = _slots_maker(Entry)


_INVALID = object()  # in a column's cache: the value cannot be read
_BLANK_TO_NONE: dict[object, None] = {"": None}
_CHUNK = 4096  # rows converted at a time, column by column


def _text(value: object) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else to_text(value)


def _read_entries(
    name: str,
    rows: Iterable[Sequence[object]],
    first_row: int,
    match: HeaderMatch,
    columns: MappingProxyType[Column, int],
    *,
    date1904: bool = False,
) -> list[Entry]:
    """The entries below the header. ``rows`` start right after the header, ``first_row`` is
    the Excel number of the first of them; positions are those of ``match``.

    Rows are taken a chunk at a time and converted column by column, so that the per-cell work
    runs in C: free text through ``str.strip``, other columns through a cache holding each
    distinct value's conversion (dates, origins and years repeat). A row is an entry when a
    recognised column other than Année holds something, unless it is a totals row, a note or
    a continuation of the entry above (see ``rows.classify``); only rows without a readable
    Date are looked at for that, so the usual row costs nothing more.
    """
    template = _defaults()
    template[_POSITION["sheet"]] = name
    template[_POSITION["columns"]] = columns
    row_pos = _POSITION["row"]
    invalid_pos = _POSITION["invalid"]
    lenient_pos = _POSITION["lenient"]
    number_pos = _POSITION["order_number"]
    date_pos = _POSITION["received_on"] if Column.DATE in match.columns else None
    texts: list[tuple[int, int]] = []
    # (position in the row, position in the entry, column, converter, cache, unreadable values,
    #  values read leniently, the leniency test)
    converted: list[
        tuple[
            int,
            int,
            Column,
            Callable[[object], object],
            dict[object, object],
            set[object],
            set[object],
            Callable[[object], bool] | None,
        ]
    ] = []
    for column, index in match.columns.items():
        convert = converter(column, date1904=date1904)
        if convert is to_text or column is Column.ORDER_NUMBER:
            texts.append((index, _POSITION[FIELDS[column]]))
        else:
            position = _POSITION[FIELDS[column]]
            converted.append(
                (index, position, column, convert, {"": None}, set(), set(), LENIENT.get(column))
            )
    content = [_POSITION[FIELDS[c]] for c in match.columns if c is not Column.YEAR]
    order_pos = _POSITION["order_text"] if Column.ORDER_NUMBER in match.columns else None
    blank = (None,) * len(content)
    make = _make_entry
    entries: list[Entry] = []
    continuations: list[tuple[int, Mapping[str, str]]] = []  # (Excel row, field → text)
    iterator = iter(rows)
    while chunk := list(islice(iterator, _CHUNK)):
        count = len(chunk)
        cells = list(zip(*chunk, strict=False))  # column i of the chunk; rows share one width
        fields: list[Iterable[object]] = [repeat(default, count) for default in template]
        fields[row_pos] = range(first_row, first_row + count)
        for index, position in texts:
            try:
                stripped: list[str | None] = list(map(str.strip, cells[index]))
            except TypeError:  # a number, a date, a boolean: as Excel shows it
                stripped = [_text(value) for value in cells[index]]
            fields[position] = list(map(_BLANK_TO_NONE.get, stripped, stripped))
        invalid: dict[int, dict[Column, object]] = {}
        lenient: dict[int, dict[Column, object]] = {}
        year_invalid: dict[int, object] = {}
        for index, position, column, convert, cache, unreadable, loose, is_loose in converted:
            raw = cells[index]
            for value in set(raw).difference(cache):
                try:
                    cache[value] = convert(value)
                except ValueError:
                    cache[value] = _INVALID
                    unreadable.add(value)
                    continue
                if is_loose is not None and cache[value] is not None and is_loose(value):
                    loose.add(value)
            values = list(map(cache.__getitem__, raw))
            if unreadable and not unreadable.isdisjoint(raw):
                for i, result in enumerate(values):
                    if result is _INVALID:
                        values[i] = None
                        if column is Column.YEAR:
                            year_invalid[i] = raw[i]
                        else:
                            invalid.setdefault(i, {})[column] = raw[i]
            if loose and not loose.isdisjoint(raw):
                for i, value in enumerate(raw):
                    if value in loose:
                        lenient.setdefault(i, {})[column] = value
            fields[position] = values
        if order_pos is not None:
            order_texts = cast("list[str | None]", fields[order_pos])
            numbers: list[OrderNumber | None] = [
                parse_order_number(text) if text is not None else None for text in order_texts
            ]
            # Numbers typed slightly wrong (rare): read as the number they mean.
            for i in [i for i, n in enumerate(numbers) if n is None and order_texts[i]]:
                text = order_texts[i]
                assert text is not None
                near = parse_loose_order_number(text)
                if near is not None:
                    numbers[i] = near
                    lenient.setdefault(i, {})[Column.ORDER_NUMBER] = text
            fields[number_pos] = numbers
        mask = list(map(blank.__ne__, zip(*(fields[p] for p in content), strict=True)))
        for i in invalid:
            mask[i] = True
        # Rows without a readable Date may be totals, notes or continuation rows.
        undated = (
            [i for i, value in enumerate(fields[date_pos]) if value is None and mask[i]]
            if date_pos is not None
            else [i for i in range(count) if mask[i]]
        )
        for i in undated:
            kind, extra = classify_row(chunk[i], match.columns)
            if kind is RowKind.ENTRY:
                continue
            mask[i] = False
            if kind is RowKind.CONTINUATION:
                continuations.append((first_row + i, extra))
        for i, value in year_invalid.items():
            if mask[i]:
                invalid.setdefault(i, {})[Column.YEAR] = value
        for position, found in ((invalid_pos, invalid), (lenient_pos, lenient)):
            if found:
                flags = list(fields[position])
                for i, by_column in found.items():
                    flags[i] = MappingProxyType(by_column)
                fields[position] = flags
        entries.extend(starmap(make, compress(zip(*fields, strict=True), mask)))
        first_row += count
    if continuations:
        _attach_continuations(entries, continuations)
    for i, entry in enumerate(entries):
        # Rare: an unreadable date may be one typed without its year (« 3 mars »).
        if entry.invalid and not DATE_COLUMNS.isdisjoint(entry.invalid):
            entries[i] = with_assumed_years(entry)
    return entries


def _attach_continuations(
    entries: list[Entry], continuations: Sequence[tuple[int, Mapping[str, str]]]
) -> None:
    """Append each continuation row's text to the entry above it (a table pasted from Word
    splits one entry's long Suivi or Objet over several rows)."""
    rows = [entry.row for entry in entries]
    for row, texts in continuations:
        index = bisect_left(rows, row) - 1
        if index < 0:
            continue  # nothing above: a stray note, left out
        entry = entries[index]
        joined = {
            field: f"{getattr(entry, field)}\n{text}" if getattr(entry, field) else text
            for field, text in texts.items()
        }
        entries[index] = dataclasses.replace(entry, **joined)  # type: ignore[arg-type]


# --- sheets ---------------------------------------------------------------------------------


def _rows_with_first_number(sheet: CalamineSheet) -> tuple[Iterator[list[Any]], int]:
    """The sheet's rows and the Excel number of the first one.

    calamine pads the empty rows above the data; should a version not, the first row holds
    data and is at ``start[0]``.
    """
    start = sheet.start
    rows = iter(sheet.iter_rows())
    if start is None or start[0] == 0:
        return rows, 1
    first = next(rows, None)
    if first is None:
        return rows, 1
    padded = all(value == "" for value in first)
    return chain([first], rows), 1 if padded else start[0] + 1


_DATE1904_RE = re.compile(
    rb"<(?:\w+:)?workbookPr\b[^>]*?\bdate1904\s*=\s*[\"'](?:1|true)[\"']", re.IGNORECASE
)


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


_SNIFF_ROWS = 200  # data rows looked at to recognise a column by its content


def _read_sheet(
    name: str,
    sheet: CalamineSheet,
    *,
    aliases: Aliases | None = None,
    date1904: bool = False,
) -> tuple[RegisterSheet | None, HeaderMatch | None]:
    """The sheet as a register, or ``None`` (with the best header found, for messages).
    ``aliases`` are the header wordings declared in the settings sheet; ``date1904`` says the
    workbook counts dates from 1904 (bare serial numbers in date columns)."""
    start = sheet.start
    end = sheet.end
    if start is None or end is None:
        return None, None
    rows, first_row = _rows_with_first_number(sheet)
    head = list(islice(rows, HEADER_SEARCH_ROWS))
    match = find_header(head, aliases=aliases or MappingProxyType({}))
    if match is None or not match.is_register:
        return None, match
    below_head = head[match.index + 1 :]
    match = _with_sniffed_columns(match, below_head[:_SNIFF_ROWS])
    offset = start[1]  # calamine does not pad the empty columns left of the data
    columns = MappingProxyType({c: i + offset for c, i in match.columns.items()})
    headers = MappingProxyType({i + offset: text for i, text in match.headers.items()})
    header_row = first_row + match.index
    below = chain(below_head, rows)
    entries = _read_entries(name, below, header_row + 1, match, columns, date1904=date1904)
    register_sheet = RegisterSheet(
        name=name,
        header_row=header_row,
        columns=columns,
        headers=headers,
        entries=tuple(entries),
        last_row=max(end[0] + 1, header_row),
    )
    return register_sheet, match


def _with_sniffed_columns(match: HeaderMatch, rows: Sequence[Sequence[object]]) -> HeaderMatch:
    """Recognise the origin and order-number columns by their content when no header names
    them (« Type » left blank, « Réf. interne »…)."""
    wanted = {Column.ORIGIN, Column.ORDER_NUMBER} - match.columns.keys()
    if not wanted or not rows:
        return match
    taken = set(match.columns.values())
    width = max(len(row) for row in rows)
    found: dict[Column, int] = {}
    for position in range(width):
        if position in taken:
            continue
        column = sniff_column([row[position] if position < len(row) else None for row in rows])
        if column in wanted and column not in found:
            found[column] = position
    if not found:
        return match
    return dataclasses.replace(match, columns=MappingProxyType({**match.columns, **found}))


def _int_in(value: object, low: int, high: int) -> int | None:
    """A whole number between ``low`` and ``high`` (``10``, ``10.0``, ``"10 jours"``)."""
    number: int | None = None
    if isinstance(value, float | int) and not isinstance(value, bool):
        number = int(value) if float(value).is_integer() else None
    elif isinstance(value, str):
        words = value.split()
        number = int(words[0]) if words and words[0].isdigit() else None
    return number if number is not None and low <= number <= high else None


_NAME_SEPARATORS = re.compile(r"[;,\n]+")


_NOT_A_NAME = re.compile(r"[:()\[\]0-9=?!]")


def _looks_like_names(text: str) -> bool:
    """Names, not an explanation written beside them: short parts, no digits or colons."""
    parts = [part.strip() for part in _NAME_SEPARATORS.split(text) if part.strip()]
    return bool(parts) and all(
        len(part.split()) <= 5 and not _NOT_A_NAME.search(part) for part in parts
    )


def _names(cells: Sequence[object]) -> tuple[str, ...]:
    """People named in the cells of a settings row: « ; » or « , » between names, or one per
    cell. The value cell is always read; the next cells only while they hold names (a
    template may explain the row in the cell to the right)."""
    names: list[str] = []
    for position, cell in enumerate(cells):
        text = to_text(cell) if cell is not None and cell != "" else None
        if text is None:
            continue
        if position > 0 and not _looks_like_names(text):
            break
        names.extend(part.strip() for part in _NAME_SEPARATORS.split(text) if part.strip())
    return tuple(names)


def _header_alias_target(words: Sequence[str]) -> Column | None:
    """The column a settings label such as « En-tête Date de clôture » or « Intitulé de la
    colonne Objet » declares an own wording for."""
    if not words:
        return None
    if words[0] in ("en", "entete") or words[0].startswith("intitule"):
        rest = list(words[2:] if words[:2] == ["en", "tete"] else words[1:])
        while rest and rest[0] in ("de", "la", "colonne", "du", "pour", "d", "l"):
            rest = rest[1:]
        from suivi_xlsx.reading.columns import recognize

        return recognize(" ".join(rest)) if rest else None
    return None


def read_settings(rows: Iterable[Sequence[object]]) -> Settings:
    """Settings from a parameters sheet: a label, then its value, on each row (columns A, B;
    the authorised people may also be one per cell along the row).

    Labels match by keywords, read with the same tolerance as headers; an unreadable value
    keeps the default.
    """
    found: dict[str, Any] = {}
    aliases: dict[str, Column] = {}
    for row in islice(rows, 200):
        # The label is the row's first non-empty cell, its value the cell right of it.
        first = next((i for i, cell in enumerate(row) if cell != "" and cell is not None), None)
        if first is None or first + 1 >= len(row) or not isinstance(row[first], str):
            continue
        value = row[first + 1]
        rest = row[first + 1 :]
        label = normalize(row[first]).split()  # type: ignore[arg-type]
        words = set(label)
        if words & {"habilite", "habilitee", "habilites", "habilitees", "autorise", "autorisees"}:
            found["authorised"] = _names(rest)
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        text = to_text(value)
        target = _header_alias_target(label)
        if target is not None and text is not None:
            for wording in _NAME_SEPARATORS.split(text):
                if normalize(wording):
                    aliases[normalize(wording)] = target
        elif "mediateur" in words:
            if words & {"site", "internet", "web", "url"}:
                found["mediator_website"] = text
            elif "adresse" in words:
                found["mediator_address"] = text
            else:
                found["mediator_name"] = text
        elif "signataire" in words or "signature" in words:
            found["signatory"] = text
        elif "ecole" in words or "etablissement" in words:
            if "adresse" in words:
                found["school_address"] = text
            elif "nom" in words or "raison" in words:
                found["school_name"] = text
        elif words & {"informer", "informe", "nouvelles", "information"}:
            days = _int_in(value, 1, 366)
            if days is not None:
                found["inform_days"] = days
        elif "agence" in words and "agency" not in found:
            number = number_text(value) if isinstance(value, float | int) else str(value)
            number = "".join(number.split())
            if is_valid_agency(number):
                found["agency"] = number
        elif words & {"decompte", "calcul", "comptage"} or "ouvrables" in words:
            kind = plain(str(value))
            if "ouvrable" in kind:
                found["calendar"] = Calendar.WORKING_DAYS
            elif "calendaire" in kind:
                found["calendar"] = Calendar.CALENDAR_DAYS
        elif words & {"alsace", "moselle"}:
            flag = to_bool(value)
            if flag is not None:
                found["alsace_moselle"] = flag
        elif "delai" in words and (words & {"accuse", "ar"}):
            days = _int_in(value, 1, 366)
            if days is not None:
                found["ack_days"] = days
        elif "delai" in words and "reponse" in words:
            months = _int_in(value, 1, 36)
            if months is not None:
                found["answer_months"] = months
    if aliases:
        found["header_aliases"] = MappingProxyType(aliases)
    return Settings(**found)


# --- workbook -------------------------------------------------------------------------------


def _open(path: Path, copy: bytes | None = None) -> CalamineWorkbook:
    """The workbook at ``path``, or the in-memory ``copy`` of it when given."""
    from python_calamine import CalamineWorkbook

    if copy is None and _NAMED_SUFFIXES.get(path.suffix.lower(), False) is sniff(path):
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
    with zipfile.ZipFile(source_file) as source, zipfile.ZipFile(buffer, "w") as copy:
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


def load_register(path: str | os.PathLike[str], *, sheet: str | None = None) -> Register:
    """Read every register sheet of the workbook at ``path`` (only ``sheet`` when given).

    Raises ``UnreadableFileError`` when the file is not a readable .xlsx/.xlsm workbook and
    ``NoRegisterError`` when no sheet (or not ``sheet``) is a register. The file is only read.
    """
    file = Path(path)
    check_file(file)
    prefetched = take_prefetched(file)  # parsing started by the command line, if any
    if prefetched is not None and prefetched.parser is not None:
        parser: SheetParser | None = prefetched.parser
        names, worksheets = prefetched.sheet_names, prefetched.worksheets
    else:
        workbook = _open_checked(file)
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
        parser = SheetParser(workbook, to_read)
    from python_calamine import CalamineError

    try:
        with gc_paused():
            return _read_workbook(file, names, target, settings_name, to_read, parser)
    except CalamineError as error:  # a damaged sheet part
        raise _calamine_error(file, error) from None
    except BaseException as error:  # a Rust panic is a BaseException
        if not _is_reader_failure(error):
            raise
        raise _calamine_error(file, error) from None
    finally:
        parser.close()


def _open_checked(file: Path) -> CalamineWorkbook:
    """Open the workbook with calamine, turning its failures into French messages.

    A worksheet whose cells spread absurdly far (a stray cell at ``XFD1048576``) would make
    calamine allocate one cell per position of that range and abort the process: such sheets
    are read from an in-memory copy without the stray cells, and a notice names them.
    """
    copy: bytes | None = None
    try:
        if file.suffix.lower() in _OOXML_SUFFIXES or _is_zip(file):
            from suivi_xlsx.xlsx.guard import inspect_package, trimmed_package

            inspection = inspect_package(file)
            trimmed = trimmed_package(file, inspection.to_scan) if inspection.to_scan else None
            if trimmed is not None:
                copy, notices = trimmed
                import warnings

                from suivi_xlsx.errors import SuiviWarning

                for notice in notices:
                    warnings.warn(notice, SuiviWarning, stacklevel=2)
        return _open(file, copy)
    except PermissionError:
        raise _unreadable(
            file,
            f"accès refusé au fichier « {file.name} » : fermez-le s'il est ouvert dans un autre "
            "programme, vérifiez vos droits sur le fichier, puis relancez la commande.",
        ) from None
    except (KeyboardInterrupt, SystemExit, MemoryError, UnreadableFileError):
        raise
    except BaseException as error:  # calamine's errors and panics, whatever their class
        if "nrecognized sheet" not in str(error):
            raise _calamine_error(file, error) from None
        try:
            return _open_without_macrosheets(file, copy)
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except BaseException:
            raise _calamine_error(file, error) from None


def _is_zip(file: Path) -> bool:
    try:
        with open(file, "rb") as stream:
            return stream.read(4) in ZIP_MAGICS
    except OSError:
        return False


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
        register_sheet, match = _read_sheet(name, parsed, aliases=aliases, date1904=date1904)
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
