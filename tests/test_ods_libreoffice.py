"""Real .ods files: registers saved by LibreOffice (tests/corpus_ods) go through ``update``
byte-identical outside the edited cells, and LibreOffice opens what we wrote and colours the
late rows with our conditional format.

The LibreOffice checks are skipped when ``soffice`` is not installed, except in CI (see
``conftest.soffice``).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from suivi_xlsx.domain.plan import Highlight, UpdatePlan
from suivi_xlsx.domain.update import plan_update
from suivi_xlsx.ods.grid import rows, tables
from suivi_xlsx.ods.write import apply_update, formula_cells
from suivi_xlsx.reading.reader import load_register

from .conftest import LibreOffice
from .test_libreoffice import FILLS, fills_rendered

CORPUS = Path(__file__).parent / "corpus_ods"
BOOKS = sorted(CORPUS.glob("*.ods"))
TODAY = dt.date(2025, 6, 1)
_REPEAT_RE = re.compile(rb'\stable:number-rows-repeated="\d+"')
_OURS_RE = re.compile(
    rb"<calcext:conditional-format [^>]*>(?:(?!</calcext:conditional-format>).)*"
    rb"SuiviEnRetard.*?</calcext:conditional-format>",
    re.DOTALL,
)


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def _row_map(content: bytes, name: str) -> dict[int, bytes]:
    """Each row number of sheet ``name`` → its XML, repeat count left out (bounded)."""
    table = next(t for t in tables(content) if t.name == name)
    found: dict[int, bytes] = {}
    for row in rows(content, table):
        body = _REPEAT_RE.sub(b"", row.match.group(0))
        for number in range(row.first, min(row.first + row.count, 3000)):
            found[number] = body
    return found


def _updated(book: Path, tmp_path: Path) -> tuple[Path, UpdatePlan]:
    copy = tmp_path / book.name
    shutil.copyfile(book, copy)
    register = load_register(copy)
    sheets = [s.name for s in register.sheets]
    plan = plan_update(
        register,
        today=TODAY,
        agency="1601",
        formulas=formula_cells(copy, sheets),
        convert_dates=True,
    )
    assert plan.edits
    result = apply_update(copy, plan, backup=False)
    assert result.written
    return copy, plan


@pytest.mark.parametrize("book", BOOKS, ids=[b.name for b in BOOKS])
def test_round_trip_identical_outside_the_edited_cells(book: Path, tmp_path: Path) -> None:
    copy, plan = _updated(book, tmp_path)
    before, after = _members(book), _members(copy)
    assert list(after) == list(before)
    assert {n for n in before if before[n] != after[n]} == {"content.xml", "styles.xml"}
    with zipfile.ZipFile(copy) as package:
        first = package.infolist()[0]
        assert (first.filename, first.compress_type) == ("mimetype", zipfile.ZIP_STORED)
    old, new = before["content.xml"], after["content.xml"]
    edited = {(e.sheet, e.row) for e in plan.edits}
    for table in tables(old):
        old_rows, new_rows = _row_map(old, table.name), _row_map(new, table.name)
        assert old_rows.keys() == new_rows.keys()
        for number, body in old_rows.items():
            if (table.name, number) not in edited:
                assert new_rows[number] == body, (table.name, number)

    # Outside the rows: only our conditional formats and our date style were added.
    def outside(content: bytes) -> bytes:
        content = _OURS_RE.sub(b"", content).replace(
            b"<calcext:conditional-formats></calcext:conditional-formats>", b""
        )
        content = re.sub(
            rb"<number:date-style style:name=\"suivi-date\">.*?</number:date-style>"
            rb"<style:style style:name=\"suivi-ce-date\"[^>]*/>",
            b"",
            content,
        )
        return re.sub(
            rb"<table:table-row\b.*?</table:table-row>|<table:table-row\b[^>]*/>",
            b"",
            content,
            flags=re.DOTALL,
        )

    assert outside(new) == outside(old)
    # Every reading command sees the planned values.
    again = load_register(copy)
    cells = {(s.name, e.row): e for s in again.sheets for e in s.entries}
    for edit in plan.edits:
        assert (edit.sheet, edit.row) in cells
    assert plan_update(again, today=TODAY, agency="1601", convert_dates=True).edits == ()


@pytest.mark.parametrize("book", BOOKS, ids=[b.name for b in BOOKS])
def test_libreoffice_opens_what_we_wrote(
    book: Path, tmp_path: Path, libreoffice: LibreOffice
) -> None:
    copy, plan = _updated(book, tmp_path)
    resaved = libreoffice.convert(copy, "xlsx", tmp_path / "lo")
    workbook = CalamineWorkbook.from_path(str(resaved))
    for edit in plan.edits:
        grid = workbook.get_sheet_by_name(edit.sheet).to_python(skip_empty_area=False)
        value = grid[edit.row - 1][edit.column]
        expected = float(edit.value) if isinstance(edit.value, int) else edit.value
        assert value == expected, edit.cell
    pdf = libreoffice.convert(copy, "pdf", tmp_path / "pdf")
    assert pdf.stat().st_size > 1000


def test_libreoffice_colours_late_rows_of_an_ods(tmp_path: Path, libreoffice: LibreOffice) -> None:
    rows_ = [
        ("en retard", -3, None),
        ("bientôt", 3, None),
        ("aujourd'hui", 0, None),
        ("clos en retard", -30, -20),
        ("à jour", 30, None),
        ("clos à temps", 10, -1),
    ]
    # As highlight_book, but without our .xlsx rules (LibreOffice would convert them).
    import xlsxwriter

    bare = tmp_path / "nu.xlsx"
    wb = xlsxwriter.Workbook(str(bare))
    ws = wb.add_worksheet("R")
    day = wb.add_format({"num_format": "dd/mm/yyyy"})
    today = dt.datetime.combine(dt.date.today(), dt.time())
    ws.write_row(0, 0, ["Ligne", "Date d'échéance", "Date de clôture"])
    ws.set_column(0, 2, 16)
    for r, (label, due, closed) in enumerate(rows_, start=1):
        ws.write(r, 0, label)
        ws.write_datetime(r, 1, today + dt.timedelta(days=due), day)
        if closed is not None:
            ws.write_datetime(r, 2, today + dt.timedelta(days=closed), day)
    wb.close()
    ods = libreoffice.convert(bare, "ods", tmp_path / "ods")
    assert fills_rendered(ods, tmp_path / "before", libreoffice) == {k: 0 for k in FILLS}
    highlight = Highlight("R", 2, 60, 0, 2, due_column=1, closed_column=2, soon_days=7)
    result = apply_update(ods, UpdatePlan(None, (), (highlight,), ()), backup=False)
    assert result.highlighted_sheets == ("R",)
    counts = fills_rendered(ods, tmp_path / "after", libreoffice)
    assert all(counts[kind] > 0 for kind in FILLS), counts
    assert counts["due-soon"] > 1.5 * counts["overdue"]


def test_libreoffice_colours_a_late_acknowledgement_in_working_days_in_an_ods(
    tmp_path: Path, libreoffice: LibreOffice
) -> None:
    """The working-days red rule (Monday to Saturday, holidays in the formula) in OpenFormula
    notation: LibreOffice colours an .ods complaint whose acknowledgement is late, its due date
    ahead, as ``procedure.is_late`` says."""
    from suivi_xlsx.domain.deadlines import Deadlines
    from suivi_xlsx.domain.model import SEED_COLUMNS, Calendar, Column
    from suivi_xlsx.domain.procedure import is_late
    from suivi_xlsx.domain.update import plan_update
    from suivi_xlsx.reading.reader import load_register

    from .workbooks import entry, make_register

    today = dt.date.today()  # LibreOffice's TODAY()
    count = Deadlines(calendar=Calendar.WORKING_DAYS)
    late = next(
        today - dt.timedelta(days=back)
        for back in range(1, 60)
        if today - dt.timedelta(days=5)
        <= count.ack_deadline(today - dt.timedelta(days=back))
        <= today - dt.timedelta(days=2)
    )
    xlsx = make_register(
        tmp_path / "registre.xlsx",
        [entry(late, number="26.1601.001", due=today + dt.timedelta(days=40))],
        columns=[*SEED_COLUMNS, Column.ACK_DATE, Column.ANSWER_DATE],
        more_sheets={
            "Paramètres": [["Paramètre", "Valeur"], ["Décompte des délais", "jours ouvrables"]]
        },
    )
    ods = libreoffice.convert(xlsx, "ods", tmp_path / "ods")
    register = load_register(ods)
    deadlines = Deadlines.from_settings(register.settings)
    assert deadlines.working_days and is_late(register.entries[0], deadlines, today)
    assert fills_rendered(ods, tmp_path / "before", libreoffice)["overdue"] == 0
    apply_update(ods, plan_update(register, today=today), backup=False)
    assert b"MOD(WEEKDAY(" in zipfile.ZipFile(ods).read("content.xml")
    assert fills_rendered(ods, tmp_path / "after", libreoffice)["overdue"] > 0
