"""A register sheet's rows → ``Entry`` objects: the header's columns, values converted column by
column a chunk at a time, rows that are not entries (totals, notes, continuations) set aside."""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from itertools import chain, compress, islice, repeat, starmap
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, cast

from suivi_xlsx.domain.model import (
    DATE_COLUMNS,
    Column,
    Entry,
    RegisterSheet,
)
from suivi_xlsx.domain.numbering import (
    OrderNumber,
    parse_loose_order_number,
    parse_order_number,
)
from suivi_xlsx.domain.values import (
    FIELDS,
    LENIENT,
    converter,
    to_text,
    with_assumed_years,
)
from suivi_xlsx.reading.columns import (
    HEADER_SEARCH_ROWS,
    Aliases,
    HeaderMatch,
    find_header,
    sniff_column,
)
from suivi_xlsx.reading.rowkinds import RowKind, classify_row

if TYPE_CHECKING:
    from python_calamine import CalamineSheet


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


_SNIFF_ROWS = 200  # data rows looked at to recognise a column by its content


def read_sheet(
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
    if start is None:
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
    end = sheet.end  # after the rows: a sheet read in slices knows it only then
    register_sheet = RegisterSheet(
        name=name,
        header_row=header_row,
        columns=columns,
        headers=headers,
        entries=tuple(entries),
        last_row=max(end[0] + 1, header_row) if end is not None else header_row,
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
