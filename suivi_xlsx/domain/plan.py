"""What an update will change, as data: made by ``update.plan_update``, applied by
``xlsx.write.apply_update``, printed by ``--dry-run``. Pure, no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from suivi_xlsx.domain.a1 import cell_ref
from suivi_xlsx.domain.model import Column


@dataclass(frozen=True, slots=True)
class CellEdit:
    """Set one empty cell of a register sheet, or replace a date typed as text by that date
    (``replaces``). Never targets any other cell that holds anything, nor a formula."""

    sheet: str
    row: int  # Excel row (1-based)
    column: int  # 0-based column index
    value: str | int | dt.date
    field: Column  # which register column this fills (ORDER_NUMBER, YEAR, DUE_DATE…)
    # For a date typed as text turned into a real date (``--convertir-dates``): the text the
    # cell must still hold; the edit replaces it. ``None``: the cell must be empty.
    replaces: str | None = None

    @property
    def cell(self) -> str:
        return cell_ref(self.row, self.column)


@dataclass(frozen=True, slots=True)
class Highlight:
    """Conditional-formatting rules to keep on one register sheet, so that Excel and
    LibreOffice colour the rows themselves on later days: overdue (open, due date past) red,
    due within ``soon_days`` orange, closed after the due date yellow."""

    sheet: str
    first_row: int  # first data row (header row + 1)
    last_row: int  # last row covered (beyond the data, so rows typed later are covered too)
    first_column: int  # 0-based, the leftmost header cell
    last_column: int  # 0-based, the rightmost header cell
    due_column: int  # 0-based column of Date d'échéance
    closed_column: int  # 0-based column of Date de clôture
    soon_days: int = 7
    # The complaint's steps in the red rule (``procedure.is_late``): the Date column, the
    # acknowledgement and answer date columns when the sheet has them, and the delays.
    # ``received_column`` is None when the steps are left out (no Date column).
    received_column: int | None = None
    ack_column: int | None = None
    answer_column: int | None = None
    ack_days: int = 10
    answer_months: int = 2
    # Counting in working days (Monday to Saturday, public holidays excepted, as
    # ``deadlines``): the public holidays the formula must know, in date order.
    working_days: bool = False
    holidays: tuple[dt.date, ...] = ()


@dataclass(frozen=True, slots=True)
class Skipped:
    """An entry the update could not number or complete, and why (French)."""

    sheet: str
    row: int
    reason: str


@dataclass(frozen=True, slots=True)
class LeftAlone:
    """A cell the update could not read and so left as it is (an unreadable date, origin…):
    the summary names it, and why, so that « nothing to complete » is never the whole story."""

    sheet: str
    row: int
    cell: str
    text: str  # the value as typed
    reason: str  # French: « date illisible », « origine illisible »…


@dataclass(frozen=True, slots=True)
class Uncoloured:
    """A late entry the highlighting cannot colour: its due or closing date is typed as text,
    which the conditional formats cannot read (``--convertir-dates`` fixes it)."""

    sheet: str
    row: int
    cell: str  # the cell holding the text date
    text: str


@dataclass(frozen=True, slots=True)
class UpdatePlan:
    """Every change an update makes, in sheet then row order."""

    path: Path | None
    edits: tuple[CellEdit, ...]
    highlights: tuple[Highlight, ...]
    skipped: tuple[Skipped, ...]
    agency: str | None = None  # the agency number used for new order numbers
    uncoloured: tuple[Uncoloured, ...] = ()  # late rows the highlighting cannot colour
    left_alone: tuple[LeftAlone, ...] = ()  # unreadable cells, left as typed

    def edits_by_sheet(self) -> Mapping[str, tuple[CellEdit, ...]]:
        by_sheet: dict[str, list[CellEdit]] = {}
        for edit in self.edits:
            by_sheet.setdefault(edit.sheet, []).append(edit)
        return {name: tuple(edits) for name, edits in by_sheet.items()}


@dataclass(frozen=True, slots=True)
class UpdateResult:
    """What ``apply_update`` did."""

    written: bool  # False when there was nothing to change: the file was not touched
    backup: Path | None  # the backup of the original, when one was made
    highlighted_sheets: tuple[str, ...]  # sheets whose highlight rules were added or refreshed
