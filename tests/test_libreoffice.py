"""A real client: LibreOffice opens what ``apply_update`` wrote, sees the new values and
colours late rows with our rules; and a LibreOffice-saved workbook is patched surgically.

Skipped when ``soffice`` is not installed, except in CI (see ``conftest.soffice``).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from python_calamine import CalamineWorkbook

from suivi_xlsx.domain.model import Column
from suivi_xlsx.domain.plan import CellEdit, Highlight, UpdatePlan
from suivi_xlsx.xlsx.write import apply_update

from .conftest import LibreOffice
from .test_xlsx_write import EDITS, HIGHLIGHT, SHEET, rich_workbook
from .xlsxparts import changed_parts, elements_except, parts, sheet_part


def test_libreoffice_reads_the_new_values(tmp_path: Path, libreoffice: LibreOffice) -> None:
    book = rich_workbook(tmp_path / "registre.xlsx")
    apply_update(book, UpdatePlan(None, EDITS, (HIGHLIGHT,), ()), backup=False)
    resaved = libreoffice.convert(book, "xlsx", tmp_path / "lo")
    rows = CalamineWorkbook.from_path(str(resaved)).get_sheet_by_name(SHEET).to_python()
    assert [rows[r][c] for r, c in ((2, 3), (3, 0), (3, 3), (3, 9))] == [
        "25.1601.003",
        2025,
        "25.1601.004",
        dt.date(2025, 6, 2),
    ]
    # LibreOffice kept our three rules (it re-exports what it understood).
    sheet = parts(resaved)[sheet_part(resaved, SHEET)]
    assert sheet.count(b"TODAY()") >= 2 and b"ISNUMBER" in sheet


def test_libreoffice_saved_workbook_is_patched_surgically(
    tmp_path: Path, libreoffice: LibreOffice
) -> None:
    from suivi_xlsx.domain.update import plan_update
    from suivi_xlsx.reading.reader import load_register

    source = rich_workbook(tmp_path / "source.xlsx")
    book = libreoffice.convert(source, "xlsx", tmp_path / "lo")  # now saved by LibreOffice
    register = load_register(book)
    plan = plan_update(register, today=dt.date(2025, 6, 1), agency="1601")
    assert plan.edits
    before = parts(book)
    result = apply_update(book, plan, backup=False)
    assert result.written
    part = sheet_part(book, SHEET)
    after = parts(book)
    assert changed_parts(before, after) <= {part, "xl/styles.xml"}
    skip = ("sheetData", "conditionalFormatting", "dimension")
    assert elements_except(after[part], *skip) == elements_except(before[part], *skip)
    again = load_register(book)
    assert [e.order_text for e in again.sheet(SHEET).entries if e.order_text is None] == []
    check = libreoffice.convert(book, "xlsx", tmp_path / "lo2")
    rows = CalamineWorkbook.from_path(str(check)).get_sheet_by_name(SHEET).to_python()
    expected = {(e.row - 1, e.column): e.value for e in plan.edits}
    assert {key: rows[key[0]][key[1]] for key in expected} == expected


# -- the highlight rules, evaluated by LibreOffice itself -----------------------------------
FILLS = {
    "overdue": (0xFF, 0xC7, 0xCE),
    "due-soon": (0xFF, 0xD8, 0xA8),
    "closed-late": (0xFF, 0xF2, 0xA8),
}


def highlight_book(path: Path, rows: list[tuple[str, int | None, int | str | None]]) -> Path:
    """Rows (label, due in days from today, closed in days from today or a word typed in the
    closing cell), highlighted."""
    import xlsxwriter

    today = dt.datetime.combine(dt.date.today(), dt.time())
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("R")
    day = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, ["Ligne", "Date d'échéance", "Date de clôture"])
    ws.set_column(0, 2, 16)
    for r, (label, due, closed) in enumerate(rows, start=1):
        ws.write(r, 0, label)
        if due is not None:
            ws.write_datetime(r, 1, today + dt.timedelta(days=due), day)
        if isinstance(closed, str):
            ws.write_string(r, 2, closed)
        elif closed is not None:
            ws.write_datetime(r, 2, today + dt.timedelta(days=closed), day)
    wb.close()
    highlight = Highlight("R", 2, 60, 0, 2, due_column=1, closed_column=2, soon_days=7)
    apply_update(path, UpdatePlan(None, (), (highlight,), ()), backup=False)
    return path


def fills_rendered(book: Path, tmp_path: Path, libreoffice: LibreOffice) -> dict[str, int]:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        if os.environ.get("SUIVI_REQUIRE_SOFFICE"):  # CI installs it: never skip there
            pytest.fail("pdftoppm (poppler-utils) is required in CI")
        pytest.skip("pdftoppm absent")
    pdf = libreoffice.convert(book, "pdf", tmp_path / f"pdf-{book.stem}")
    subprocess.run(
        [pdftoppm, "-r", "40", "-f", "1", "-l", "1", str(pdf), str(tmp_path / book.stem)],
        check=True,
        timeout=60,
    )
    ppm = next(tmp_path.glob(f"{book.stem}*.ppm"))
    data = ppm.read_bytes()
    # P6 header: magic, width, height, maxval, then RGB bytes.
    fields = data.split(maxsplit=4)
    width, height = int(fields[1]), int(fields[2])
    pixels = fields[4][: width * height * 3]
    counts = {}
    for kind, rgb in FILLS.items():
        counts[kind] = sum(1 for i in range(0, len(pixels), 3) if tuple(pixels[i : i + 3]) == rgb)
    return counts


def test_libreoffice_colours_late_rows(tmp_path: Path, libreoffice: LibreOffice) -> None:
    book = highlight_book(
        tmp_path / "retards.xlsx",
        [
            ("en retard", -3, None),
            ("bientôt", 3, None),
            ("aujourd'hui", 0, None),
            ("clos en retard", -30, -20),
            ("à jour", 30, None),
            ("clos à temps", 10, -1),
        ],
    )
    counts = fills_rendered(book, tmp_path, libreoffice)
    assert all(counts[kind] > 0 for kind in FILLS), counts
    # Two rows due soon (in 3 days, today) against one overdue and one closed late.
    assert counts["due-soon"] > 1.5 * counts["overdue"]


def test_libreoffice_reads_closing_words_as_the_check_does(
    tmp_path: Path, libreoffice: LibreOffice
) -> None:
    """« en cours » in the closing cell: open, so a late row is red; « Clôturé » or « FAIT »:
    closed, not red; the same decision as ``procedure.is_open_at``."""
    late_open = highlight_book(
        tmp_path / "en-cours.xlsx", [("en cours", -3, "en cours"), ("point", -3, "?")]
    )
    assert fills_rendered(late_open, tmp_path, libreoffice)["overdue"] > 0
    late_closed = highlight_book(
        tmp_path / "clos.xlsx", [("clos", -3, "Clôturé"), ("fait", -3, " FAIT ")]
    )
    assert fills_rendered(late_closed, tmp_path, libreoffice) == {kind: 0 for kind in FILLS}


@pytest.mark.parametrize(
    "closing",
    ["clos le 12/04/2025", "clôturé le 3/5", "Terminé 15/06/2025", "✔", "✓", "x", "OK", "fait, vu"],
)
def test_libreoffice_reads_closing_words_with_a_date_and_ticks_as_closed(
    tmp_path: Path, libreoffice: LibreOffice, closing: str
) -> None:
    """What a person writes to close an entry, a closing word with its date or a tick: the
    live highlighting leaves a row that is past its due date plain, as ``says_closed`` (and so
    check, the bilan and relances) decides; « non clos » beside it stays red."""
    from suivi_xlsx.domain.vocabulary import says_closed

    assert says_closed(closing) and not says_closed("non clos")
    book = highlight_book(tmp_path / "clos.xlsx", [("clos", -3, closing)])
    assert fills_rendered(book, tmp_path, libreoffice) == {kind: 0 for kind in FILLS}
    still_open = highlight_book(tmp_path / "ouvert.xlsx", [("ouvert", -3, "non clos")])
    assert fills_rendered(still_open, tmp_path, libreoffice)["overdue"] > 0


def test_libreoffice_leaves_rows_on_time_plain(tmp_path: Path, libreoffice: LibreOffice) -> None:
    book = highlight_book(
        tmp_path / "a-jour.xlsx",
        [("à jour", 30, None), ("clos à temps", 10, -1), ("sans date", None, None)],
    )
    assert fills_rendered(book, tmp_path, libreoffice) == {kind: 0 for kind in FILLS}


def test_edit_cells_without_style_are_readable(tmp_path: Path, libreoffice: LibreOffice) -> None:
    # A plain openpyxl-made register (no table), a new row below the data.
    from .workbooks import entry, make_register

    book = make_register(tmp_path / "simple.xlsx", [entry(), entry(dt.date(2025, 3, 9))])
    plan = UpdatePlan(
        None,
        (
            CellEdit("Registre", 4, 3, "25.1601.010", Column.ORDER_NUMBER),
            CellEdit("Registre", 4, 9, dt.date(2025, 7, 1), Column.DUE_DATE),
        ),
        (),
        (),
    )
    apply_update(book, plan, backup=False)
    csv = libreoffice.convert(
        book, "csv:Text - txt - csv (StarCalc):44,34,76,1,,1036", tmp_path / "csv"
    )
    lines = csv.read_text(encoding="utf-8").splitlines()
    assert lines[3].split(",")[3] == "25.1601.010"
    assert lines[3].split(",")[9] == "01/07/2025"  # French locale: a date, shown as a date


@pytest.mark.parametrize(
    "name", ["libreoffice-registre-logo-graphique.xlsx", "libreoffice-registre-multi-annees.xlsx"]
)
def test_corpus_registers_reopen_in_libreoffice(
    name: str, tmp_path: Path, libreoffice: LibreOffice
) -> None:
    from suivi_xlsx.domain.update import plan_update
    from suivi_xlsx.reading.reader import load_register

    from .xlsxparts import CORPUS

    if not (CORPUS / name).exists():
        pytest.skip("corpus absent")
    book = tmp_path / name
    shutil.copyfile(CORPUS / name, book)
    plan = plan_update(load_register(book), today=dt.date(2025, 6, 1), agency="1601")
    assert apply_update(book, plan, backup=False).written
    resaved = libreoffice.convert(book, "xlsx", tmp_path / "lo")
    workbook = CalamineWorkbook.from_path(str(resaved))
    for edit in plan.edits:
        rows = workbook.get_sheet_by_name(edit.sheet).to_python(skip_empty_area=False)
        assert rows[edit.row - 1][edit.column] == edit.value, edit
    sheets = {s.name for s in load_register(resaved).sheets}
    assert {h.sheet for h in plan.highlights} <= sheets


def test_libreoffice_colours_a_late_acknowledgement_whatever_the_due_date(
    tmp_path: Path, libreoffice: LibreOffice
) -> None:
    """A complaint received 46 days ago without any acknowledgement (36 days past its 10-day
    deadline), its due date still 15 days ahead: ``suivi update`` colours it red, as the check
    reports it late (``procedure.is_late``). Before, only the due date drove the colour."""
    from suivi_xlsx.domain.model import SEED_COLUMNS
    from suivi_xlsx.domain.rules import CheckOptions, check_register
    from suivi_xlsx.domain.update import plan_update
    from suivi_xlsx.reading.reader import load_register

    from .workbooks import entry, make_register

    today = dt.date.today()  # LibreOffice's TODAY()
    columns = [*SEED_COLUMNS, Column.ACK_DATE, Column.ANSWER_DATE]
    path = make_register(
        tmp_path / "registre.xlsx",
        [
            entry(
                today - dt.timedelta(days=46),
                number="26.1601.001",
                due=today + dt.timedelta(days=15),
            )
        ],
        columns=columns,
    )
    register = load_register(path)
    report = check_register(register, CheckOptions(today=today))
    assert "accuse-reception-en-retard" in {f.code for f in report.findings}
    apply_update(path, plan_update(register, today=today), backup=False)
    counts = fills_rendered(path, tmp_path, libreoffice)
    assert counts["overdue"] > 0, counts


def test_libreoffice_colours_a_late_acknowledgement_in_working_days(
    tmp_path: Path, libreoffice: LibreOffice
) -> None:
    """Counted in working days (Paramètres), a complaint whose acknowledgement is 2 working days
    late, its due date ahead, is red after ``suivi update``; one still in time is not; a second
    update recognises the rules and leaves the sheet as it is."""
    from suivi_xlsx.domain.deadlines import Deadlines
    from suivi_xlsx.domain.model import SEED_COLUMNS, Calendar
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
    path = make_register(
        tmp_path / "registre.xlsx",
        [entry(late, number="26.1601.001", due=today + dt.timedelta(days=40))],
        columns=[*SEED_COLUMNS, Column.ACK_DATE, Column.ANSWER_DATE],
        more_sheets={
            "Paramètres": [["Paramètre", "Valeur"], ["Décompte des délais", "jours ouvrables"]]
        },
    )
    register = load_register(path)
    deadlines = Deadlines.from_settings(register.settings)
    assert deadlines.working_days and is_late(register.entries[0], deadlines, today)
    apply_update(path, plan_update(register, today=today), backup=False)
    assert fills_rendered(path, tmp_path, libreoffice)["overdue"] > 0

    def rules() -> int:
        with zipfile.ZipFile(path) as archive:
            return archive.read("xl/worksheets/sheet1.xml").count(b"<cfRule")

    first = rules()
    assert first == 3
    apply_update(path, plan_update(load_register(path), today=today), backup=False)
    assert rules() == first


_ROW = st.fixed_dictionaries(
    {
        "received": st.integers(0, 150),  # days before today
        "due": st.one_of(st.none(), st.integers(-40, 40)),  # days from today
        "closed": st.one_of(
            st.none(), st.integers(0, 150), st.sampled_from(["clôturé", "en cours"])
        ),
        "ack": st.one_of(st.none(), st.integers(0, 60), st.just("fait")),  # days after receipt
        "answer": st.one_of(st.none(), st.integers(0, 90)),
    }
)


@settings(
    max_examples=3, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(_ROW, min_size=20, max_size=40))
@pytest.mark.parametrize("working", [False, True], ids=["jours-calendaires", "jours-ouvrables"])
def test_libreoffice_red_rule_is_procedure_is_late(
    working: bool, rows: list[dict[str, Any]], tmp_path: Path, libreoffice: LibreOffice
) -> None:
    """The red rule's formula, computed by LibreOffice on random rows, is ``procedure.is_late``
    row by row (calendar days, and working days with the public holidays the formula carries;
    closing dates up to today)."""
    from openpyxl import Workbook

    from suivi_xlsx.domain.deadlines import Deadlines
    from suivi_xlsx.domain.procedure import is_late
    from suivi_xlsx.reading.reader import load_register
    from suivi_xlsx.xlsx.condfmt import OVERDUE, planned

    today = dt.date.today()  # LibreOffice's TODAY()
    folder = tmp_path / f"rule-{len(list(tmp_path.iterdir()))}"
    folder.mkdir()
    holidays: tuple[dt.date, ...] = ()
    if working:
        from suivi_xlsx.domain.deadlines import public_holidays

        years = range(today.year - 1, today.year + 2)
        holidays = tuple(sorted(d for y in years for d in public_holidays(y)))
    highlight = Highlight(
        "Registre",
        2,
        200,
        0,
        12,
        9,
        10,
        7,
        received_column=1,
        ack_column=11,
        answer_column=12,
        working_days=working,
        holidays=holidays,
    )
    formula = planned(highlight)[1][OVERDUE]
    wb = Workbook()
    ws = wb.active
    ws.title = "Registre"
    ws.append(
        [
            "Année",
            "Date",
            "NOM Prénom Emetteur",
            "Numéro d'ordre",
            "Origine",
            "Objet",
            "Justificatif n°",
            "Suivi",
            "Personne chargée du dossier",
            "Date d'échéance",
            "Date de clôture",
            "Date accusé de réception",
            "Date de réponse",
            "Calcul",
        ]
    )
    known = [  # always there: a late acknowledgement, a late answer, one on time
        {"received": 46, "due": 15, "closed": None, "ack": None, "answer": None},
        {"received": 70, "due": 5, "closed": None, "ack": 3, "answer": None},
        {"received": 5, "due": 50, "closed": None, "ack": None, "answer": None},
    ]
    if working:  # the last day of each delay, and the day after, counted in working days
        from suivi_xlsx.domain.model import Calendar

        count = Deadlines(calendar=Calendar.WORKING_DAYS)
        for back in range(1, 120):
            received = today - dt.timedelta(days=back)
            for deadline, ack in (
                (count.ack_deadline(received), None),
                (count.answer_deadline(received), 1),
            ):
                if deadline in (today, today - dt.timedelta(days=1)):
                    known.append(
                        {"received": back, "due": 50, "closed": None, "ack": ack, "answer": None}
                    )
    for r, row in enumerate([*known, *rows], start=2):
        received = today - dt.timedelta(days=row["received"])

        def after(days: object, received: dt.date = received) -> object:
            if isinstance(days, int):
                return min(received + dt.timedelta(days=days), today)
            return days

        due = today + dt.timedelta(days=row["due"]) if row["due"] is not None else None
        cells = [2026, received, "X", None, "FS", "Objet", None, "suivi", "Mme Martin", due]
        cells += [after(row["closed"]), after(row["ack"]), after(row["answer"])]
        ws.append([*cells, "=" + re.sub(r"(\$[A-Z]+)2\b", rf"\g<1>{r}", formula)])
    if working:
        wb.create_sheet("Paramètres").append(["Décompte des délais", "jours ouvrables"])
    path = folder / "registre.xlsx"
    wb.save(path)
    register = load_register(path)
    deadlines = Deadlines.from_settings(register.settings)
    assert deadlines.working_days is working
    expected = [is_late(e, deadlines, today) for e in register.entries]
    csv = libreoffice.convert(path, "csv", folder / "csv")
    computed = [
        line.rsplit(",", 1)[-1] == "TRUE"
        for line in csv.read_bytes().decode("latin-1").splitlines()[1:]
    ]
    assert expected[:3] == [True, True, False]
    assert computed == expected
