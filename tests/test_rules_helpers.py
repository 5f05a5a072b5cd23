"""Helpers shared by the ``test_rules_*`` files (no tests here): hand-built registers for the
logic, workbooks built with ``tests/workbooks.py`` and read by the reader for the codes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from suivi_xlsx.domain.findings import Report
from suivi_xlsx.domain.model import (
    OPTIONAL_COLUMNS,
    SEED_COLUMNS,
    Column,
    Entry,
    Register,
    RegisterSheet,
    Settings,
)
from suivi_xlsx.domain.numbering import parse_loose_order_number, parse_order_number
from suivi_xlsx.domain.rules import CheckOptions, check_register
from tests.workbooks import Row, make_register, make_workbook, register_rows

D = dt.date
TODAY = D(2025, 6, 2)  # a Monday
ALL_COLUMNS: tuple[Column, ...] = SEED_COLUMNS + OPTIONAL_COLUMNS
SEED_MAP: Mapping[Column, int] = {c: i for i, c in enumerate(SEED_COLUMNS)}  # A..K
ALL_MAP: Mapping[Column, int] = {c: i for i, c in enumerate(ALL_COLUMNS)}  # A..U


def make_entry(
    row: int,
    *,
    sheet: str = "Registre",
    columns: Mapping[Column, int] = SEED_MAP,
    number: str | None = None,
    **fields: Any,
) -> Entry:
    """An entry as the reader makes it: a valid, complete, open QS received on 05/03/2025
    unless ``fields`` say otherwise (``number`` is parsed like the reader does)."""
    from suivi_xlsx.domain.model import Origin

    base: dict[str, Any] = {
        "year": 2025,
        "received_on": D(2025, 3, 5),
        "issuer": "DUPONT Marie",
        "origin": Origin.QS,
        "subject": "Accueil",
        "owner": "Mme Martin",
        "due_on": D(2025, 12, 31),
    }
    base.update(fields)
    parsed = parse_order_number(number) if number else None
    if parsed is None and number:  # a near miss, read as the number it means
        parsed = parse_loose_order_number(number)
        if parsed is not None:
            base["lenient"] = {**base.get("lenient", {}), Column.ORDER_NUMBER: number}
    return Entry(
        sheet=sheet,
        row=row,
        columns=columns,
        order_text=number,
        order_number=parsed,
        **base,
    )


def make_sheet(name: str, entries: Sequence[Entry], *, header_row: int = 1) -> RegisterSheet:
    columns = entries[0].columns if entries else SEED_MAP
    entries = tuple(replace(e, sheet=name) for e in entries)
    return RegisterSheet(
        name=name,
        header_row=header_row,
        columns=columns,
        headers={i: c.value for c, i in columns.items()},
        entries=entries,
        last_row=max((e.row for e in entries), default=header_row),
    )


def make_reg(*sheets: RegisterSheet, settings: Settings | None = None) -> Register:
    return Register(path=None, sheets=sheets, settings=settings or Settings())


def one_sheet(*entries: Entry) -> Register:
    return make_reg(make_sheet("Registre", entries))


def run(register: Register, today: dt.date = TODAY, **options: Any) -> Report:
    return check_register(register, CheckOptions(today=today, **options))


def at(report: Report, *codes: str) -> list[tuple[str, str | None]]:
    """``(code, cell)`` of the findings, only of ``codes`` when given."""
    return [(f.code, f.cell) for f in report.findings if not codes or f.code in codes]


def load(path: Path) -> Register:
    reader = pytest.importorskip("suivi_xlsx.reading.reader")
    register: Register = reader.load_register(path)
    return register


def check_rows(
    tmp_path: Path,
    rows: Sequence[Row],
    *,
    columns: Sequence[Column] = SEED_COLUMNS,
    today: dt.date = TODAY,
    **options: Any,
) -> Report:
    """Write a register sheet (header in row 1, entries from row 2), read it back, check it."""
    path = make_register(tmp_path / "r.xlsx", rows, columns=columns)
    return run(load(path), today, **options)


def check_sheets(
    tmp_path: Path,
    sheets: Mapping[str, Sequence[Row]],
    *,
    columns: Sequence[Column] = SEED_COLUMNS,
    today: dt.date = TODAY,
    **options: Any,
) -> Report:
    """Several register sheets in one workbook, in the given order."""
    path = make_workbook(
        tmp_path / "r.xlsx",
        {name: register_rows(rows, columns=columns) for name, rows in sheets.items()},
    )
    return run(load(path), today, **options)
