"""The update planner on hand-built registers: numbering, derived fields, skipped rows,
highlight ranges and the French description."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suivi_xlsx.domain.model import (
    SEED_COLUMNS,
    Column,
    Entry,
    Origin,
    Register,
    RegisterSheet,
    Settings,
)
from suivi_xlsx.domain.numbering import parse_loose_order_number, parse_order_number
from suivi_xlsx.domain.plan import Highlight, UpdatePlan
from suivi_xlsx.domain.update import (
    describe_highlights,
    describe_plan,
    highlight_counts,
    plan_update,
    sheet_ref,
)
from suivi_xlsx.errors import NoRegisterError, RefusedError

D = dt.date
TODAY = D(2025, 6, 1)
MARCH_5 = D(2025, 3, 5)
SEED_MAP = {column: index for index, column in enumerate(SEED_COLUMNS)}  # A..K


def entry(
    row: int,
    date: dt.date | None = MARCH_5,
    *,
    number: str | None = None,
    origin: Origin | None = Origin.QS,
    year: int | None = -1,
    due: dt.date | None = None,
    sheet: str = "Registre",
    columns: dict[Column, int] | None = None,
    invalid: dict[Column, object] | None = None,
) -> Entry:
    """An entry as the reader makes it. ``year=-1``: the year of ``date`` (filled in)."""
    return Entry(
        sheet=sheet,
        row=row,
        columns=SEED_MAP if columns is None else columns,
        year=(date.year if date else None) if year == -1 else year,
        received_on=date,
        order_text=number,
        # as the reader does: a near miss is read as the number it means
        order_number=(parse_order_number(number) or parse_loose_order_number(number))
        if number
        else None,
        origin=origin,
        due_on=due,
        invalid=invalid or {},
    )


def sheet(
    entries: Sequence[Entry],
    name: str = "Registre",
    *,
    header_row: int = 1,
    columns: dict[Column, int] | None = None,
    last_row: int | None = None,
) -> RegisterSheet:
    columns = SEED_MAP if columns is None else columns
    return RegisterSheet(
        name=name,
        header_row=header_row,
        columns=columns,
        headers={index: column.value for column, index in columns.items()},
        entries=tuple(entries),
        last_row=last_row if last_row is not None else max([header_row, *(e.row for e in entries)]),
    )


def register(*sheets: RegisterSheet, agency: str | None = "1601", **more: Any) -> Register:
    return Register(path=None, sheets=sheets, settings=Settings(agency=agency, **more))


def plan(reg: Register, **options: Any) -> UpdatePlan:
    return plan_update(reg, today=TODAY, **options)


def numbers(p: UpdatePlan) -> list[tuple[str, str, object]]:
    return [(e.sheet, e.cell, e.value) for e in p.edits if e.field is Column.ORDER_NUMBER]


def edits(p: UpdatePlan) -> list[tuple[str, str, object]]:
    return [(e.sheet, e.cell, e.value) for e in p.edits]


# --- order numbers -----------------------------------------------------------------------


def test_numbers_continue_after_highest_in_date_order_ties_by_row() -> None:
    reg = register(
        sheet(
            [
                entry(2, D(2025, 1, 10), number="25.1601.003"),
                entry(3, D(2025, 3, 1)),
                entry(4, D(2025, 2, 1)),
                entry(5, D(2025, 2, 1)),
                entry(6, D(2025, 1, 2), number="25.1601.001"),
            ]
        )
    )
    assert numbers(plan(reg)) == [
        ("Registre", "D3", "25.1601.006"),
        ("Registre", "D4", "25.1601.004"),
        ("Registre", "D5", "25.1601.005"),
    ]


def test_numbering_across_sheets_and_years() -> None:
    # One sheet per year, and a 2025 entry typed on the 2024 sheet: each (year, agency) series
    # continues after its highest number wherever it is; same-date ties go by sheet order.
    y2024 = sheet(
        [
            entry(2, D(2024, 11, 3), number="24.1601.007", sheet="2024"),
            entry(3, D(2024, 12, 20), sheet="2024"),
            entry(4, D(2025, 1, 5), sheet="2024"),
        ],
        "2024",
    )
    y2025 = sheet(
        [
            entry(2, D(2025, 1, 5), sheet="2025"),
            entry(3, D(2025, 1, 2), number="25.1601.012", sheet="2025"),
            entry(4, D(2025, 1, 1), number="25.0999.050", sheet="2025"),  # another agency
        ],
        "2025",
    )
    assert numbers(plan(register(y2024, y2025))) == [
        ("2024", "D3", "24.1601.008"),
        ("2024", "D4", "25.1601.013"),
        ("2025", "D2", "25.1601.014"),
    ]


def test_numbers_past_999_get_more_digits_and_a_new_series_starts_at_001() -> None:
    reg = register(
        sheet(
            [
                entry(2, D(2025, 1, 1), number="25.1601.999"),
                entry(3, D(2025, 5, 1)),
                entry(4, D(2026, 1, 3)),
            ]
        )
    )
    assert [v for _, _, v in numbers(plan(reg))] == ["25.1601.1000", "26.1601.001"]


def test_existing_and_invalid_numbers_are_never_changed() -> None:
    reg = register(
        sheet(
            [
                entry(2, D(2025, 1, 1), number="25.1601.004"),
                entry(
                    3,
                    D(2025, 1, 2),
                    number="25-1601-1",
                    invalid={Column.ORDER_NUMBER: "25-1601-1"},
                ),
                entry(4, D(2025, 1, 3), number="24.1601.001"),  # wrong year: not ours to fix
                # unreadable cell the reader could not even turn into text
                entry(5, D(2025, 1, 4), invalid={Column.ORDER_NUMBER: 3.5}),
                entry(6, D(2025, 1, 5)),
            ]
        )
    )
    assert numbers(plan(reg)) == [("Registre", "D6", "25.1601.005")]


def test_numbers_typed_slightly_wrong_are_not_repeated() -> None:
    reg = register(
        sheet(
            [
                entry(2, number="25.1601.7"),
                entry(3, number="25 . 1601 . 12"),
                entry(4, number="25.1601.003"),
                entry(5),
            ]
        )
    )
    assert numbers(plan(reg)) == [("Registre", "D5", "25.1601.013")]


def test_no_number_without_an_order_number_column() -> None:
    columns = {c: i for i, c in enumerate(c for c in SEED_COLUMNS if c is not Column.ORDER_NUMBER)}
    reg = register(
        sheet([entry(2, columns=columns)], columns=columns),
        agency=None,
    )
    p = plan(reg)
    assert (numbers(p), p.agency) == ([], None)


# --- which agency ------------------------------------------------------------------------


def _agency_register(agency: str | None, *existing: str) -> Register:
    rows = [entry(2 + i, D(2025, 1, 1), number=n) for i, n in enumerate(existing)]
    return register(sheet([*rows, entry(2 + len(rows), D(2025, 2, 1))]), agency=agency)


@pytest.mark.parametrize(
    ("option", "settings_agency", "existing", "expected"),
    [
        ("2202", "1601", ("25.0999.001",), "2202"),  # --agence wins
        (" 2202 ", None, (), "2202"),  # blanks around it are forgiven
        (None, "1601", ("25.0999.001",), "1601"),  # then the parameters sheet
        (None, None, ("25.0999.001", "25.1601.002", "25.0999.003"), "0999"),  # then most used
        (None, "  ", ("25.0999.001",), "0999"),  # a blank parameter counts as none
    ],
)
def test_agency_priority(
    option: str | None, settings_agency: str | None, existing: tuple[str, ...], expected: str
) -> None:
    p = plan(_agency_register(settings_agency, *existing), agency=option)
    assert (p.agency, numbers(p)[0][2].split(".")[1]) == (expected, expected)  # type: ignore[union-attr]


def test_no_agency_anywhere_is_refused_asking_for_agence() -> None:
    with pytest.raises(RefusedError) as info:
        plan(_agency_register(None))
    assert info.value.exit_code == 1
    assert "--agence" in info.value.message


def test_tie_between_agencies_is_refused_rather_than_guessed() -> None:
    with pytest.raises(RefusedError) as info:
        plan(_agency_register(None, "25.1601.001", "25.0999.001"))
    assert "0999 et 1601" in info.value.message


@pytest.mark.parametrize("bad", ["16A1", "", "16.01", "-1601"])
def test_invalid_agency_option_is_refused(bad: str) -> None:
    with pytest.raises(RefusedError):
        plan(_agency_register("1601"), agency=bad)


def test_invalid_agency_in_parameters_sheet_is_refused() -> None:
    with pytest.raises(RefusedError) as info:
        plan(_agency_register("agence 16"))
    assert "paramètres" in info.value.message


def test_agency_not_needed_when_every_entry_has_a_number() -> None:
    p = plan(_complete_register())
    assert (p.edits, p.agency) == ((), None)


def _complete_register() -> Register:
    return register(sheet([entry(2, number="25.1601.001")]), agency=None)


def test_invalid_agency_option_is_refused_even_with_nothing_to_number() -> None:
    with pytest.raises(RefusedError):
        plan(_complete_register(), agency="x")


# --- derived fields ----------------------------------------------------------------------


def test_year_and_due_date_filled_only_when_empty_and_due_only_for_complaints() -> None:
    reg = register(
        sheet(
            [
                entry(2, D(2024, 12, 31), number="24.1601.001", origin=Origin.FS, year=None),
                entry(3, D(2025, 3, 5), number="25.1601.001", origin=Origin.QS, year=None),
                entry(4, D(2025, 3, 5), number="25.1601.002", origin=Origin.PA),
                entry(5, D(2025, 3, 5), number="25.1601.003", origin=None),
                entry(6, D(2025, 3, 5), number="25.1601.004", origin=Origin.FS, due=D(2025, 4, 1)),
                entry(
                    7,
                    D(2025, 3, 5),
                    number="25.1601.005",
                    origin=Origin.FS,
                    year=None,
                    invalid={Column.YEAR: "deux mille", Column.DUE_DATE: "bientôt"},
                ),
            ]
        )
    )
    p = plan(reg)
    assert edits(p) == [
        ("Registre", "A2", 2024),
        ("Registre", "J2", D(2025, 2, 28)),  # 31/12 + 2 months, month-end clamped
        ("Registre", "A3", 2025),
    ]
    assert [e.field for e in p.edits] == [Column.YEAR, Column.DUE_DATE, Column.YEAR]


def test_due_date_uses_the_answer_delay_of_the_parameters_sheet() -> None:
    reg = register(
        sheet([entry(2, D(2025, 1, 31), number="25.1601.001", origin=Origin.FS)]),
        answer_months=1,
    )
    assert edits(plan(reg)) == [("Registre", "J2", D(2025, 2, 28))]


def test_no_derived_field_when_its_column_is_absent() -> None:
    columns = {Column.DATE: 0, Column.ORDER_NUMBER: 1, Column.ORIGIN: 2, Column.CLOSED_ON: 3}
    reg = register(
        sheet(
            [entry(2, D(2025, 1, 31), origin=Origin.FS, year=None, columns=columns)],
            columns=columns,
        )
    )
    assert edits(plan(reg)) == [("Registre", "B2", "25.1601.001")]


# --- skipped entries ---------------------------------------------------------------------


def test_entries_without_a_valid_date_are_skipped_and_left_as_they_are() -> None:
    reg = register(
        sheet(
            [
                entry(2, None, origin=Origin.FS),
                entry(3, None, invalid={Column.DATE: "31/02/2025"}),
                entry(4, None, number="25.1601.001", year=2025),  # nothing to fill: not listed
                entry(5, D(2025, 3, 1)),
            ]
        )
    )
    p = plan(reg)
    assert [(s.sheet, s.row) for s in p.skipped] == [("Registre", 2), ("Registre", 3)]
    assert edits(p) == [("Registre", "D5", "25.1601.002")]


def test_skipped_reason_message() -> None:
    reg = register(sheet([entry(2, None, origin=Origin.FS, invalid={Column.DATE: "32/01/2025"})]))
    assert plan(reg).skipped[0].reason == (
        "la Date « 32/01/2025 » n'est pas lisible : impossible de compléter le numéro d'ordre, "
        "l'année et la date d'échéance ; corrigez la Date puis relancez."
    )


# --- highlights and order ----------------------------------------------------------------


def test_highlight_ranges_per_sheet_with_due_and_closed_columns() -> None:
    columns = {Column.DATE: 2, Column.DUE_DATE: 5, Column.CLOSED_ON: 6}
    no_closed = {Column.DATE: 0, Column.DUE_DATE: 1}
    with_extra_headers = replace(
        sheet(
            [entry(5, number="25.1601.001", columns=columns)], "A", header_row=4, columns=columns
        ),
        headers={1: "Réf.", 2: "Date", 5: "Échéance", 6: "Clôture", 8: "Remarques"},
        last_row=9,
    )
    reg = register(
        with_extra_headers,
        sheet([], "B", columns=no_closed),
        sheet([], "C", header_row=3, columns=columns),  # empty: last_row is the header row
    )
    assert plan(reg, soon_days=3).highlights == (
        Highlight("A", 5, 1009, 1, 8, 5, 6, 3, received_column=2),
        Highlight("C", 4, 1003, 2, 6, 5, 6, 3, received_column=2),
    )


def test_highlight_stops_at_the_last_row_of_a_sheet() -> None:
    reg = register(sheet([], last_row=1_048_000))
    assert plan(reg).highlights[0].last_row == 1_048_576


def test_edits_sorted_by_sheet_in_workbook_order_then_row_then_column() -> None:
    first = sheet(
        [
            entry(3, D(2025, 1, 1), origin=Origin.FS, year=None, sheet="Z"),
            entry(2, D(2025, 2, 1), sheet="Z"),
        ],
        "Z",
    )
    second = sheet([entry(2, D(2024, 1, 1), year=None, sheet="A")], "A")
    p = plan(register(first, second))
    assert [(e.sheet, e.row, e.column) for e in p.edits] == [
        ("Z", 2, 3),
        ("Z", 3, 0),
        ("Z", 3, 3),
        ("Z", 3, 9),
        ("A", 2, 0),
        ("A", 2, 3),
    ]


def test_sheet_restriction_keeps_numbering_after_other_sheets() -> None:
    reg = register(
        sheet([entry(2, D(2025, 1, 1), number="25.1601.041", sheet="2025")], "2025"),
        sheet([entry(2, D(2025, 1, 3), sheet="Brouillon", year=None)], "Brouillon"),
        sheet([entry(2, D(2025, 1, 2), sheet="Autre")], "Autre"),
    )
    p = plan(reg, sheets=["Brouillon"])
    assert edits(p) == [("Brouillon", "A2", 2025), ("Brouillon", "D2", "25.1601.042")]
    assert [h.sheet for h in p.highlights] == ["Brouillon"]


def test_sheet_restriction_to_an_unknown_sheet_is_an_error() -> None:
    with pytest.raises(NoRegisterError):
        plan(register(sheet([entry(2)])), sheets=["Inconnue"])


# --- the French description --------------------------------------------------------------


def test_describe_plan() -> None:
    reg = register(
        sheet(
            [
                entry(2, D(2025, 1, 1), number="25.1601.003", sheet="Registre"),
                entry(6, D(2025, 3, 5), origin=Origin.FS, year=None, sheet="Registre"),
                entry(7, None, sheet="Registre"),
            ],
            "Registre",
        ),
        sheet([entry(2, D(2024, 12, 31), sheet="Année 2024")], "Année 2024", last_row=40),
    )
    assert describe_plan(plan(reg)) == [
        "Feuille « Registre » :",
        "  Registre!A6 : 2025 (Année)",
        "  Registre!D6 : 25.1601.004 (Numéro d'ordre)",
        "  Registre!J6 : 05/05/2025 (Date d'échéance)",
        "Feuille « Année 2024 » :",
        "  'Année 2024'!D2 : 24.1601.001 (Numéro d'ordre)",
        "Lignes laissées telles quelles :",
        "  « Registre », ligne 7 : la Date est vide : impossible de compléter le numéro "
        "d'ordre et l'année ; corrigez la Date puis relancez.",
        "Surlignage des retards sur « Registre », cellules A2:K1007 (mis en place s'il manque) : "
        "rouge si en retard, "
        "orange si l'échéance tombe dans les 7 jours, jaune si clôturé après l'échéance.",
        "Surlignage des retards sur « Année 2024 », cellules A2:K1040 (mis en place s'il manque) : "
        "rouge si en retard, "
        "orange si l'échéance tombe dans les 7 jours, jaune si clôturé après l'échéance.",
        "4 cellules complétées dans 2 feuilles, dont 2 numéros d'ordre (agence 1601) ; "
        "1 ligne laissée telle quelle, à corriger.",
    ]


def test_describe_empty_plan_summary() -> None:
    p = UpdatePlan(path=None, edits=(), highlights=(), skipped=())
    assert describe_plan(p) == ["Aucune cellule à compléter."]


def test_sheet_ref_quotes_like_excel() -> None:
    assert [sheet_ref(n) for n in ["Registre", "Année 2024", "2025", "L'an"]] == [
        "Registre",
        "'Année 2024'",
        "'2025'",
        "'L''an'",
    ]


def test_highlight_counts_include_planned_due_dates() -> None:
    def closed(row: int, due: dt.date, on: dt.date) -> Entry:
        return replace(entry(row, number=f"25.1601.{row:03d}", due=due), closed_on=on)

    reg = register(
        sheet(
            [
                entry(2, D(2025, 3, 5), origin=Origin.FS),  # due 05/05 planned: overdue
                entry(3, number="25.1601.003", due=D(2025, 5, 31)),  # overdue by a day
                entry(4, number="25.1601.004", due=D(2025, 6, 1)),  # due today: soon
                entry(5, number="25.1601.005", due=D(2025, 6, 4)),  # within 3 days: soon
                entry(6, number="25.1601.006", due=D(2025, 6, 5)),  # beyond: nothing
                closed(7, D(2025, 4, 1), D(2025, 4, 2)),  # closed late
                closed(8, D(2025, 4, 1), D(2025, 4, 1)),  # closed on time
                entry(9, number="25.1601.009", due=D(2025, 1, 1)),  # long overdue
            ]
        ),
        sheet(
            [entry(2, number="25.1601.010", due=D(2025, 1, 1), sheet="Sans")],
            "Sans",
            columns={Column.DATE: 0, Column.ORDER_NUMBER: 1, Column.DUE_DATE: 2},
        ),
    )
    p = plan(reg, soon_days=3)
    counts = highlight_counts(reg, p, TODAY)
    assert (counts.overdue, counts.due_soon, counts.closed_late) == (3, 2, 1)
    assert describe_highlights(counts) == (
        "Au 01/06/2025 : 3 dossiers en retard (rouge), 2 échéances proches (orange), "
        "1 dossier clôturé après l'échéance (jaune)."
    )


# --- property ----------------------------------------------------------------------------

_series = st.sampled_from([(2024, "1601"), (2025, "1601"), (2025, "0999")])


@settings(max_examples=150, deadline=None)
@given(
    existing=st.lists(st.tuples(_series, st.integers(1, 1500)), max_size=12),
    new_dates=st.lists(st.dates(D(2024, 1, 1), D(2025, 12, 31)), min_size=1, max_size=15),
    split=st.integers(0, 15),
)
def test_new_numbers_unique_never_collide_and_increase_with_date(
    existing: list[tuple[tuple[int, str], int]], new_dates: list[dt.date], split: int
) -> None:
    rows: list[Entry] = []
    for (year, agency), seq in existing:
        text = f"{year % 100:02d}.{agency}.{seq:03d}"
        rows.append(entry(len(rows) + 2, D(year, 6, 1), number=text))
    old = {e.order_text for e in rows}
    new_rows = [entry(len(rows) + 2 + i, d) for i, d in enumerate(new_dates)]
    # spread the entries over two sheets, as one-sheet-per-year registers do
    cut = min(split, len(rows) + len(new_rows))
    everything = rows + new_rows
    first = [replace(e, sheet="A") for e in everything[:cut]]
    second = [replace(e, sheet="B") for e in everything[cut:]]
    p = plan(register(sheet(first, "A"), sheet(second, "B")), agency="1601")

    given_numbers = [e for e in p.edits if e.field is Column.ORDER_NUMBER]
    texts = [str(e.value) for e in given_numbers]
    assert len(texts) == len(new_dates)
    assert len(set(texts)) == len(texts)
    assert not set(texts) & old
    dates = {(e.sheet, e.row): e.received_on for e in first + second}
    parsed = [
        (parse_order_number(t), dates[(e.sheet, e.row)])
        for t, e in zip(texts, given_numbers, strict=True)
    ]
    for number, date in parsed:
        assert number is not None and date is not None
        assert (number.year2, number.agency) == (date.year % 100, "1601")
        highest_old = max((s for (y, a), s in existing if (y % 100, a) == number.key), default=0)
        assert number.seq > highest_old
    by_series: dict[tuple[int, str], list[tuple[dt.date, int]]] = {}
    for number, date in parsed:
        assert number is not None and date is not None
        by_series.setdefault(number.key, []).append((date, number.seq))
    for values in by_series.values():
        values.sort(key=lambda pair: pair[1])
        assert [d for d, _ in values] == sorted(d for d, _ in values)
        assert [s for _, s in values] == list(range(values[0][1], values[0][1] + len(values)))


def test_planner_is_pure_and_light() -> None:
    # The planner never touches the package format nor the command line, and stays cheap to
    # import (update on 100k rows has a time budget).
    import subprocess
    import sys

    code = (
        "import sys, suivi_xlsx.domain.update; "
        "print(sorted(m for m in ('zipfile', 'click', 'openpyxl', 'xlsxwriter', 'pandas', "
        "'python_calamine') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
