"""Yearly figures (``stats.yearly_stats``) against hand-computed expectations."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from suivi_xlsx.domain.findings import Severity
from suivi_xlsx.domain.model import (
    SEED_COLUMNS,
    Calendar,
    Column,
    Entry,
    Origin,
    Register,
    RegisterSheet,
)
from suivi_xlsx.domain.model import Settings as RegisterSettings
from suivi_xlsx.domain.numbering import parse_order_number
from suivi_xlsx.domain.rules import CheckOptions, check_register
from suivi_xlsx.errors import MissingExtraError
from suivi_xlsx.outputs.render import summary_line
from suivi_xlsx.outputs.summary.stats import (
    Delays,
    Durations,
    OriginCounts,
    Share,
    Status,
    sheet_year,
    to_frames,
    yearly_stats,
)

D = dt.date
FULL = (*SEED_COLUMNS, Column.ACK_DATE, Column.ANSWER_DATE, Column.CORRECTIVE_ACTIONS)


def columns_of(columns: Sequence[Column]) -> MappingProxyType[Column, int]:
    return MappingProxyType({column: index for index, column in enumerate(columns)})


def make_entry(
    row: int,
    received: dt.date | None,
    origin: Origin | None = Origin.FS,
    *,
    columns: Sequence[Column] = FULL,
    number: str | None = None,
    **values: Any,
) -> Entry:
    return Entry(
        sheet="Registre",
        row=row,
        columns=columns_of(columns),
        received_on=received,
        origin=origin,
        order_text=number,
        order_number=parse_order_number(number) if number else None,
        subject=values.pop("subject", f"objet {row}"),
        **values,
    )


def make_register(
    entries: Sequence[Entry],
    name: str | None = "registre.xlsx",
    settings: RegisterSettings | None = None,
) -> Register:
    sheet = RegisterSheet(
        name="Registre",
        header_row=1,
        columns=entries[0].columns if entries else columns_of(FULL),
        headers={},
        entries=tuple(entries),
        last_row=1 + len(entries),
    )
    return Register(
        path=Path(name) if name else None,
        sheets=(sheet,),
        settings=settings or RegisterSettings(),
    )


TODAY = D(2024, 7, 1)
FS, QS, PA = Origin.FS, Origin.QS, Origin.PA


def sample() -> Register:
    """Nine entries of 2024, two of 2023, one of 2025, one undated (see the expectations)."""
    return make_register(
        [
            make_entry(
                2,
                D(2024, 1, 10),
                FS,
                acknowledged_on=D(2024, 1, 15),
                answered_on=D(2024, 2, 20),
                closed_on=D(2024, 2, 20),
                due_on=D(2024, 3, 10),
                owner="Mme Martin",
            ),
            make_entry(
                3,
                D(2024, 1, 25),
                FS,
                answered_on=D(2024, 2, 10),
                closed_on=D(2024, 3, 30),
                due_on=D(2024, 3, 25),
                owner=" Mme  Martin ",
                corrective_actions="Rappel des horaires aux moniteurs",
            ),
            make_entry(4, D(2024, 3, 31), FS, due_on=D(2024, 5, 31), owner="M. Durand"),
            make_entry(5, D(2024, 6, 25), FS, due_on=D(2024, 8, 25)),
            make_entry(6, D(2024, 2, 14), QS, closed_on=D(2024, 2, 24), owner="M. Durand"),
            make_entry(7, D(2024, 2, 28), QS, closed_on=D(2024, 3, 29), owner="M. Durand"),
            make_entry(8, D(2024, 3, 5), PA, due_on=D(2024, 6, 30), owner="Mme Martin"),
            make_entry(9, D(2024, 5, 2), PA, closed_on=D(2024, 5, 22), owner="Mme Martin"),
            make_entry(10, D(2023, 11, 10), FS, closed_on=D(2023, 11, 20)),
            make_entry(11, D(2023, 12, 1), QS),
            make_entry(12, D(2025, 1, 5), FS),
            make_entry(13, None, FS),
            # closed after the reference date: still open at it
            make_entry(14, D(2024, 4, 15), None, closed_on=D(2024, 7, 5), owner="Mme Martin"),
        ]
    )


def test_counts_by_origin_status_and_month() -> None:
    stats = yearly_stats([sample()], 2024, TODAY)
    total = stats.total
    assert total.entries == OriginCounts(fs=4, qs=2, pa=2, other=1)
    assert (total.entries.total, total.open, total.closed, total.overdue) == (9, 4, 5, 2)
    assert total.closed_late == 1
    assert [(m.fs, m.qs, m.pa, m.other) for m in total.monthly[:6]] == [
        (2, 0, 0, 0),
        (0, 2, 0, 0),
        (1, 0, 1, 0),
        (0, 0, 0, 1),
        (0, 0, 1, 0),
        (1, 0, 0, 0),
    ]
    assert all(m.total == 0 for m in total.monthly[6:])
    assert total.previous_monthly is not None
    assert [(i + 1, m.fs, m.qs) for i, m in enumerate(total.previous_monthly) if m.total] == [
        (11, 1, 0),
        (12, 0, 1),
    ]
    assert (stats.undated, stats.years) == (1, (2023, 2024, 2025))


def test_handling_times() -> None:
    total = yearly_stats([sample()], 2024, TODAY).total
    # closed: 41, 65 (FS, 2024 is a leap year), 10, 30 (QS), 20 (PA) days
    assert total.handling == Durations(count=5, median=30.0, mean=33.2, longest=65)
    assert total.handling_by_origin[FS] == Durations(2, 53.0, 53.0, 65)
    assert total.handling_by_origin[QS] == Durations(2, 20.0, 20.0, 30)
    assert total.handling_by_origin[PA] == Durations(1, 20.0, 20.0, 20)
    assert [
        (o.owner, o.handling.count, o.handling.median, o.open, o.overdue) for o in total.by_owner
    ] == [
        ("M. Durand", 2, 20.0, 1, 1),
        ("Mme Martin", 3, 41.0, 2, 1),
        (None, 0, None, 1, 0),
    ]


def test_complaint_delay_shares() -> None:
    total = yearly_stats([sample()], 2024, TODAY).total
    # row 2 in time; row 3 answered after the 10 days; row 4 never acknowledged; row 5 pending
    assert total.acknowledged == Share(met=1, measured=3, pending=1, late=1)
    assert (total.acknowledged.late, total.acknowledged.not_done) == (1, 1)
    # rows 2 and 3 answered within 2 months, row 4 not answered by 31/05, row 5 pending
    assert total.answered == Share(met=2, measured=3, pending=1)
    assert total.acknowledged.ratio == 1 / 3


def test_shares_need_their_columns() -> None:
    """No AR nor answer column: no 10-day share; the 2-month share falls back to closing."""
    entries = [
        make_entry(2, D(2024, 1, 10), closed_on=D(2024, 3, 11), columns=SEED_COLUMNS),
        make_entry(3, D(2024, 1, 10), closed_on=D(2024, 3, 10), columns=SEED_COLUMNS),
    ]
    total = yearly_stats([make_register(entries)], 2024, TODAY).total
    assert (total.acknowledged, total.answered) == (None, Share(met=1, measured=2, late=1))


def test_working_days_count_for_acknowledgement() -> None:
    # received Monday 02/09/2024, acknowledged Friday 13/09: the 10th working day, the 11th day
    entries = [make_entry(2, D(2024, 9, 2), acknowledged_on=D(2024, 9, 13))]
    calendar_days = make_register(entries)
    working_days = make_register(entries, settings=RegisterSettings(calendar=Calendar.WORKING_DAYS))
    today = D(2024, 12, 31)
    assert yearly_stats([calendar_days], 2024, today).total.acknowledged == Share(0, 1, late=1)
    assert yearly_stats([working_days], 2024, today).total.acknowledged == Share(1, 1)


def test_a_closed_complaint_without_dates_is_answered_at_its_closing() -> None:
    """Issue 9, item 4: the check and the summary decide through ``procedure``: closed on
    15/01 without AR nor answer date, the complaint was answered (and so acknowledged) then."""
    entries = [
        make_entry(2, D(2024, 1, 10), closed_on=D(2024, 1, 15)),  # both in time
        make_entry(3, D(2024, 1, 10), closed_on=D(2024, 4, 15)),  # both late
    ]
    total = yearly_stats([make_register(entries)], 2024, TODAY).total
    assert total.acknowledged == Share(met=1, measured=2, late=1)
    assert total.answered == Share(met=1, measured=2, late=1)


def test_a_step_said_done_without_its_date() -> None:
    """« fait » in the AR column: in time while the deadline is ahead, not proven after."""
    said = MappingProxyType({Column.ACK_DATE: "fait"})
    entries = [
        make_entry(2, D(2024, 6, 25), invalid=said),  # AR due 05/07: still in time
        make_entry(3, D(2024, 3, 1), invalid=said),  # AR due 11/03: not proven
    ]
    ack = yearly_stats([make_register(entries)], 2024, TODAY).total.acknowledged
    assert ack == Share(met=1, measured=2, undated=1)
    assert ack is not None and (ack.missed, ack.not_done) == (1, 0)


def test_delays_follow_the_settings() -> None:
    five_days = RegisterSettings(ack_days=5, answer_months=1, calendar=Calendar.WORKING_DAYS)
    stats = yearly_stats(
        [make_register([make_entry(2, D(2024, 1, 2))], settings=five_days)], 2024, TODAY
    )
    assert stats.delays == (Delays(5, 1, True),)
    assert (stats.delays[0].ack_text, stats.delays[0].answer_text) == (
        "5 jours ouvrables",
        "1 mois",
    )
    assert (Delays().ack_text, Delays(1).ack_text, Delays(1, 2, True).ack_text) == (
        "10 jours",
        "1 jour",
        "1 jour ouvrable",
    )
    lyon = make_register([make_entry(2, D(2024, 1, 2), number="24.1601.001")], "lyon.xlsx")
    annecy = make_register(
        [make_entry(2, D(2024, 1, 2), number="24.1602.001")], "annecy.xlsx", five_days
    )
    stats = yearly_stats([lyon, annecy], 2024, TODAY)
    assert stats.delays == (Delays(), Delays(5, 1, True))
    assert [a.delays for a in stats.agencies] == [(Delays(),), (Delays(5, 1, True),)]


def _sheet(name: str, entries: Sequence[Entry]) -> RegisterSheet:
    return RegisterSheet(
        name=name,
        header_row=1,
        columns=columns_of(FULL),
        headers={},
        entries=tuple(replace(e, sheet=name) for e in entries),
        last_row=1 + len(entries),
    )


def test_undated_entries_count_in_the_year_they_may_belong_to() -> None:
    """Issue 9, item 7: an entry without a readable Date counts in year N only when nothing
    says another year (Année, order number, a sheet named for a year); where they are is kept."""
    register = Register(
        path=Path("registre.xlsx"),
        sheets=(
            _sheet(
                "2024",
                [
                    make_entry(2, D(2024, 5, 1)),
                    make_entry(3, None),  # sheet 2024: belongs to 2024
                    make_entry(4, None, year=2025),  # Année says 2025, whatever the sheet
                ],
            ),
            _sheet(
                "Registre",
                [
                    make_entry(2, D(2025, 2, 1)),
                    make_entry(3, None, number="24.1601.009"),  # number says 2024
                    make_entry(4, None),  # nothing says: may be any year
                ],
            ),
        ),
    )
    stats_2024 = yearly_stats([register], 2024, TODAY)
    assert stats_2024.undated == 3
    assert stats_2024.undated_at == (
        ("registre.xlsx", "2024", 3),
        ("registre.xlsx", "Registre", 3),
        ("registre.xlsx", "Registre", 4),
    )
    stats_2025 = yearly_stats([register], 2025, TODAY)
    assert stats_2025.undated_at == (("registre.xlsx", "2024", 4), ("registre.xlsx", "Registre", 4))
    assert [a.undated for a in stats_2025.agencies] == [2]
    assert (sheet_year("2025"), sheet_year("Registre 2024"), sheet_year("Feuil1")) == (
        2025,
        2024,
        None,
    )
    assert sheet_year("2024-2025") is None


def test_improvements_show_what_answers_each_dysfunction() -> None:
    columns = (*FULL, Column.DYSFUNCTIONS)
    entries = [
        make_entry(
            2,
            D(2024, 2, 1),
            number="24.1601.001",
            columns=columns,
            dysfunctions="Moniteur absent",
            corrective_actions="Planning partagé",
        ),
        make_entry(
            3, D(2024, 2, 2), number="24.1601.002", columns=columns, dysfunctions="Facture erronée"
        ),
        make_entry(4, D(2024, 2, 3), number="24.1601.003", columns=columns, dysfunctions="Retard"),
        make_entry(5, D(2024, 2, 4), number="24.1601.004", columns=columns, dysfunctions="néant"),
        make_entry(
            6,
            D(2024, 3, 1),
            PA,
            number="24.1601.005",
            columns=columns,
            subject="Contrôle des factures",
            evidence="FS 24-1601-2",
        ),
    ]
    stats = yearly_stats([make_register(entries)], 2024, TODAY)
    assert (stats.total.dysfunctions, stats.total.without_action) == (3, 1)
    assert [(i.row, i.action, i.linked, i.missing_action) for i in stats.improvements] == [
        (2, "Planning partagé", (), False),
        (3, None, ("24.1601.005 Contrôle des factures",), False),
        (4, None, (), True),
        (6, None, ("24.1601.002",), False),
    ]
    overview = to_frames(stats)["overview"]
    assert overview[["dysfunctions", "without_action"]].values.tolist() == [[3, 1]]


def test_open_entries_oldest_first_overdue_marked() -> None:
    stats = yearly_stats([sample()], 2024, TODAY)
    assert [(i.row, i.days_open, i.days_late, i.status) for i in stats.open_entries] == [
        (8, 118, 1, Status.OVERDUE),
        (4, 92, 82, Status.OVERDUE),
        (14, 77, None, Status.OPEN),
        (5, 6, None, Status.OPEN),
    ]


def test_improvements_pa_and_corrective_actions() -> None:
    stats = yearly_stats([sample()], 2024, TODAY)
    assert [(i.row, i.origin, i.action, i.status) for i in stats.improvements] == [
        (3, FS, "Rappel des horaires aux moniteurs", Status.CLOSED),
        (8, PA, None, Status.OVERDUE),
        (9, PA, None, Status.CLOSED),
    ]


def test_other_years_are_left_out() -> None:
    stats = yearly_stats([sample()], 2023, TODAY)
    assert stats.total.entries == OriginCounts(fs=1, qs=1)
    assert stats.total.previous_monthly is None
    assert yearly_stats([sample()], 2030, TODAY).is_empty


def test_several_files_consolidate_by_agency() -> None:
    numbered = make_register(
        [
            make_entry(2, D(2024, 1, 2), FS, number="24.1601.001", closed_on=D(2024, 1, 12)),
            make_entry(3, D(2024, 2, 2), QS, number="24.1601.002"),
        ],
        "annecy.xlsx",
    )
    from_settings = make_register(
        [make_entry(2, D(2024, 1, 5), PA, closed_on=D(2024, 1, 25))],
        "chambery.xlsx",
        RegisterSettings(agency="1602"),
    )
    from_name = make_register(
        [make_entry(2, D(2024, 3, 1), FS, closed_on=D(2024, 3, 31))], "lyon.xlsx"
    )
    older_1601 = make_register([make_entry(2, D(2023, 5, 1), QS, number="23.1601.001")], "a23.xlsx")
    stats = yearly_stats([numbered, from_settings, from_name, older_1601], 2024, TODAY)
    assert [(a.agency, a.label, a.files, a.figures.entries.total) for a in stats.agencies] == [
        ("1601", "Agence 1601", ("annecy.xlsx", "a23.xlsx"), 2),
        ("1602", "Agence 1602", ("chambery.xlsx",), 1),
        ("lyon", "lyon", ("lyon.xlsx",), 1),
    ]
    assert stats.total.entries == OriginCounts(fs=2, qs=1, pa=1)
    assert stats.total.handling == Durations(3, 20.0, 20.0, 30)
    assert stats.agencies[0].figures.previous_monthly is not None
    assert stats.agencies[1].figures.previous_monthly is None
    assert [i.agency for i in stats.open_entries] == ["1601"]


def test_frames_without_pandas_say_which_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """pandas is an extra: without it, to_frames explains in French how to get it."""
    monkeypatch.setitem(sys.modules, "pandas", None)  # `import pandas` now raises ImportError
    with pytest.raises(MissingExtraError) as caught:
        to_frames(yearly_stats([sample()], 2024, TODAY))
    assert 'pip install "suivi_xlsx[pandas]"' in caught.value.message
    assert caught.value.exit_code == 2


def test_frames_for_scripts() -> None:
    frames = to_frames(yearly_stats([sample()], 2024, TODAY))
    overview = frames["overview"]
    assert overview[["scope", "fs", "total", "open", "overdue"]].values.tolist() == [
        ["total", 4, 9, 4, 2]
    ]
    monthly = frames["monthly"]
    assert len(monthly) == 24  # 2024 and 2023
    assert monthly.groupby("year")["total"].sum().to_dict() == {2023: 2, 2024: 9}
    assert frames["open_entries"]["status"].tolist() == [
        "en retard",
        "en retard",
        "en cours",
        "en cours",
    ]
    assert frames["improvements"]["origin"].tolist() == ["FS", "PA", "PA"]
    assert set(frames["handling_by_owner"]["owner"].dropna()) == {"M. Durand", "Mme Martin"}


# --- invariants over varied registers ----------------------------------------------------------

dates = st.one_of(st.none(), st.dates(min_value=D(2023, 1, 1), max_value=D(2025, 12, 31)))
entry_values = st.fixed_dictionaries(
    {
        "received": dates,
        "origin": st.sampled_from([FS, QS, PA, None]),
        "closed_after": st.one_of(st.none(), st.integers(min_value=-5, max_value=200)),
        "due_after": st.one_of(st.none(), st.integers(min_value=-5, max_value=90)),
        "ack_after": st.one_of(st.none(), st.integers(min_value=0, max_value=30)),
        "owner": st.sampled_from([None, "A", "B"]),
        "agency": st.sampled_from(["1601", "1602"]),
    }
)


def _build(values: dict[str, Any], row: int) -> Entry:
    received = values["received"]

    def after(key: str) -> dt.date | None:
        days = values[key]
        return received + dt.timedelta(days=days) if received and days is not None else None

    number = f"{received.year % 100:02d}.{values['agency']}.{row:03d}" if received else None
    return make_entry(
        row,
        received,
        values["origin"],
        number=number,
        closed_on=after("closed_after"),
        due_on=after("due_after"),
        acknowledged_on=after("ack_after"),
        owner=values["owner"],
    )


@settings(max_examples=60, deadline=None)
@given(
    files=st.lists(st.lists(entry_values, max_size=25), min_size=1, max_size=3),
    today=st.dates(min_value=D(2024, 1, 1), max_value=D(2025, 6, 30)),
)
def test_figures_add_up(files: list[list[dict[str, Any]]], today: dt.date) -> None:
    registers = [
        make_register([_build(v, row) for row, v in enumerate(values, start=2)], f"r{i}.xlsx")
        for i, values in enumerate(files)
    ]
    stats = yearly_stats(registers, 2024, today)
    total = stats.total
    in_year = [
        e for r in registers for e in r.entries if e.received_on and e.received_on.year == 2024
    ]
    assert total.entries.total == len(in_year)
    assert total.entries.total == sum(m.total for m in total.monthly)
    assert total.entries.total == total.open + total.closed
    assert total.overdue <= total.open == len(stats.open_entries)
    assert sum((a.figures.entries for a in stats.agencies), OriginCounts()) == total.entries
    assert sum(a.undated for a in stats.agencies) == stats.undated
    assert sum(o.open for o in total.by_owner) == total.open
    assert sum(o.handling.count for o in total.by_owner) == total.handling.count
    for share in (total.acknowledged, total.answered):
        assert share is None or share.met <= share.measured
        assert share is None or share.measured + share.pending == total.entries.fs
    received = [i.received_on for i in stats.open_entries]
    assert received == sorted(received)


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(entry_values, max_size=30),
    today=st.dates(min_value=D(2024, 1, 1), max_value=D(2025, 6, 30)),
    working=st.booleans(),
)
def test_open_and_late_are_the_checks(
    values: list[dict[str, Any]], today: dt.date, working: bool
) -> None:
    """One truth: the summary's « en retard » entries are exactly the rows the check reports
    with a ``retard`` finding (due date passed, acknowledgement or answer missing past its
    deadline), so the bilan's count is the M of check's « N retards sur M dossiers »."""
    calendar = Calendar.WORKING_DAYS if working else Calendar.CALENDAR_DAYS
    register = make_register(
        [_build(v, row) for row, v in enumerate(values, start=2)],
        settings=RegisterSettings(calendar=calendar),
    )
    stats = yearly_stats([register], 2024, today)
    rows_2024 = {e.row for e in register.entries if e.received_on and e.received_on.year == 2024}
    report = check_register(register, CheckOptions(today=today))
    late_rows = {f.row for f in report.findings if f.severity is Severity.LATE} & rows_2024
    assert stats.total.overdue == len(late_rows)
    if late_rows and late_rows == {f.row for f in report.findings if f.severity is Severity.LATE}:
        late = sum(f.severity is Severity.LATE for f in report.findings)
        dossiers = f" sur {len(late_rows)} dossier" if late != len(late_rows) else ""
        assert f"{late} retard" in summary_line(report) and dossiers in summary_line(report)
    assert {i.row for i in stats.open_entries if i.overdue} == late_rows


def test_people_are_grouped_and_named_as_in_the_follow_up_lists() -> None:
    """« Mme Martin », « mme  MARTIN » and « Martin » (civility, case, blanks) are one person
    in the summary's table by person, shown with the spelling used most, the name the
    follow-up lists show too."""
    from suivi_xlsx.outputs.followup.compute import follow_up

    register = make_register(
        [
            make_entry(2, D(2024, 1, 10), FS, owner="Mme Martin", closed_on=D(2024, 1, 20)),
            make_entry(3, D(2024, 2, 10), FS, owner="mme  MARTIN", due_on=D(2024, 4, 10)),
            make_entry(4, D(2024, 3, 10), QS, owner="Mme Martin"),
            make_entry(5, D(2024, 3, 12), QS, owner="M. Durand"),
            make_entry(6, D(2023, 3, 12), QS, owner="Martin", closed_on=D(2023, 3, 20)),
        ]
    )
    total = yearly_stats([register], 2024, TODAY).total
    assert [(o.owner, o.handling.count, o.open, o.overdue) for o in total.by_owner] == [
        ("M. Durand", 0, 1, 0),
        ("Mme Martin", 1, 2, 1),
    ]
    listed = {person.name for person in follow_up([register], TODAY).people}
    assert "Mme Martin" in listed and not listed & {"mme MARTIN", "Martin"}
