"""One truth: ``suivi update``, the check and the summary decide the same way.

A property test generates registers (open, closed, late, words and text dates in date columns,
missing numbers, both day counts, both date systems), runs the update planner and writer, then
the check and the summary on the written file, and asserts that they agree.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from suivi_xlsx.domain.deadlines import Deadlines
from suivi_xlsx.domain.findings import Severity
from suivi_xlsx.domain.model import SEED_COLUMNS, Column
from suivi_xlsx.domain.procedure import complaint_due_date, is_late, is_overdue
from suivi_xlsx.domain.rules import CheckOptions, check_register
from suivi_xlsx.domain.update import plan_update
from suivi_xlsx.outputs.followup.compute import Action, follow_up
from suivi_xlsx.outputs.summary.stats import yearly_stats
from suivi_xlsx.reading.reader import load_register
from suivi_xlsx.xlsx.write import apply_update

D = dt.date
HEADER = [
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
]
NUMBER_CODES = {
    "numero-manquant",
    "numero-invalide",
    "numero-a-corriger",
    "numero-duplique",
    "numero-annee",
    "numero-sequence",
}

days = st.integers(0, 700).map(lambda n: D(2024, 1, 1) + dt.timedelta(days=n))
closing = st.one_of(
    st.none(),
    st.integers(0, 120),  # days after receipt
    st.sampled_from(["en cours", "clôturé", "?", "voir mail"]),
)
row_strategy = st.fixed_dictionaries(
    {
        "received": days,
        "as_text": st.booleans(),
        "origin": st.sampled_from(["FS", "FS", "QS", "PA", "Réclamation"]),
        "numbered": st.booleans(),
        "due": st.one_of(st.none(), st.integers(-10, 90)),
        "due_as_text": st.booleans(),
        "closed": closing,
        "ack": st.one_of(st.none(), st.integers(0, 30)),
        "answer": st.one_of(st.none(), st.integers(0, 90)),
    }
)


def fr(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def write_register(
    path: Path, rows: list[dict[str, object]], *, working_days: bool, date1904: bool
) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {"date_1904": date1904})
    ws = wb.add_worksheet("Registre")
    fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, HEADER)
    counters: dict[int, int] = {}
    for r, row in enumerate(rows, start=1):
        received = row["received"]
        assert isinstance(received, dt.date)

        def put(column: int, day: dt.date, as_text: bool, r: int = r) -> None:
            if as_text:
                ws.write_string(r, column, fr(day))
            else:
                ws.write_datetime(r, column, dt.datetime.combine(day, dt.time()), fmt)

        put(1, received, bool(row["as_text"]))
        ws.write_string(r, 2, f"CLIENT {r}")
        if row["numbered"]:
            seq = counters[received.year] = counters.get(received.year, 0) + 1
            ws.write_string(r, 3, f"{received.year % 100:02d}.1601.{seq:03d}")
        ws.write_string(r, 4, str(row["origin"]))
        ws.write_string(r, 5, "Objet")
        ws.write_string(r, 7, f"{fr(received)} reçu")
        ws.write_string(r, 8, "Mme Martin")
        if isinstance(row["due"], int):
            put(9, received + dt.timedelta(days=row["due"]), bool(row["due_as_text"]))
        closed = row["closed"]
        if isinstance(closed, int):
            put(10, received + dt.timedelta(days=closed), False)
        elif isinstance(closed, str):
            ws.write_string(r, 10, closed)
        if isinstance(row["ack"], int):
            put(11, received + dt.timedelta(days=row["ack"]), False)
        if isinstance(row["answer"], int):
            put(12, received + dt.timedelta(days=row["answer"]), False)
    settings_sheet = wb.add_worksheet("Paramètres")
    settings_sheet.write_row(0, 0, ["Numéro d'agence", "1601"])
    count = "jours ouvrables" if working_days else "jours calendaires"
    settings_sheet.write_row(1, 0, ["Décompte des délais", count])
    wb.close()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(row_strategy, min_size=1, max_size=12),
    working_days=st.booleans(),
    date1904=st.booleans(),
    convert=st.booleans(),
    today=days,
)
def test_update_check_and_summary_agree(
    tmp_path_factory: object,
    rows: list[dict[str, object]],
    working_days: bool,
    date1904: bool,
    convert: bool,
    today: dt.date,
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "registre.xlsx"
        write_register(path, rows, working_days=working_days, date1904=date1904)
        register = load_register(path)
        assert len(register.entries) == len(rows)
        plan = plan_update(register, today=today, convert_dates=convert)
        apply_update(path, plan, backup=False)

        after = load_register(path)
        deadlines = Deadlines.from_settings(after.settings)
        report = check_register(after, CheckOptions(today=today))
        written = {(e.row, e.column) for e in plan.edits}
        by_row = {e.row: e for e in after.entries}

        # 1. no numbering finding on a number the update gave
        numbers = {e.cell for e in plan.edits if e.field is Column.ORDER_NUMBER}
        assert not [f for f in report.findings if f.code in NUMBER_CODES and f.cell in numbers]
        assert not [f for f in report.findings if f.code == "numero-manquant"]

        # 2. every due date the update wrote is the deadline the check uses
        for edit in plan.edits:
            if edit.field is Column.DUE_DATE and edit.replaces is None:
                entry = by_row[edit.row]
                assert entry.received_on is not None
                assert entry.due_on == edit.value
                assert edit.value == complaint_due_date(entry.received_on, deadlines)
        due_cells = {
            e.cell for e in plan.edits if e.field is Column.DUE_DATE and e.replaces is None
        }
        assert not [
            f
            for f in report.findings
            if f.code == "echeance-depassant-delai" and f.cell in due_cells
        ]

        # 3. the check's late entries are exactly the summary's, year by year
        # (« en retard »: the rows with a ``retard`` finding, ``procedure.is_late``)
        late_rows = {f.row for f in report.findings if f.severity is Severity.LATE}
        assert late_rows == {e.row for e in after.entries if is_late(e, deadlines, today)}
        years = sorted({e.received_on.year for e in after.entries if e.received_on})
        summary_late = sum(yearly_stats([after], y, today).total.overdue for y in years)
        assert summary_late == len(late_rows)
        # ... and relances lists those first, as late; its « Donner des nouvelles » in retard
        # are exactly the check's client-sans-nouvelles (same rule, same 30-day default)
        reminders = follow_up([after], today).reminders
        steps = (Action.ACKNOWLEDGE, Action.ANSWER, Action.CLOSE)
        assert {r.entry.row for r in reminders if r.late and r.action in steps} == late_rows
        news = {f.row for f in report.findings if f.code == "client-sans-nouvelles"}
        assert {r.entry.row for r in reminders if r.late and r.action is Action.INFORM} == news
        answered = {r.entry.row for r in reminders if r.action is Action.ANSWER}
        informed = {r.entry.row for r in reminders if r.action is Action.INFORM}
        assert informed <= answered  # once answered: « Clôturer », never news

        # 4. converted text dates are real dates now; without the option, every late row
        # whose due date is text is named in the report
        if convert:
            assert not [f for f in report.findings if f.code == "date-texte"]
        else:
            texts = {
                e.row
                for e in after.entries
                if Column.DUE_DATE in e.lenient and is_overdue(e, today)
            }
            assert {item.row for item in plan.uncoloured} == texts
        # 5. the entries the update completed are the same entries, nothing else was read
        assert len(after.entries) == len(rows)
        assert {row for row, _ in written} <= set(by_row)


def test_working_days_due_date_is_the_checks_deadline(tmp_path: Path) -> None:
    """Received 08/03/2025, counted in jours ouvrables: the answer is due 09/05/2025 (08/05 is
    a public holiday). Update fills that date, and on 09/05 the check finds nothing late."""
    path = tmp_path / "registre.xlsx"
    write_register(
        path,
        [
            {
                "received": D(2025, 3, 8),
                "as_text": False,
                "origin": "FS",
                "numbered": True,
                "due": None,
                "due_as_text": False,
                "closed": None,
                "ack": 2,
                "answer": None,
            }
        ],
        working_days=True,
        date1904=False,
    )
    plan = plan_update(load_register(path), today=D(2025, 5, 9))
    assert [(e.cell, e.value) for e in plan.edits if e.field is Column.DUE_DATE] == [
        ("J2", D(2025, 5, 9))
    ]
    apply_update(path, plan, backup=False)
    codes = [
        f.code for f in check_register(load_register(path), CheckOptions(D(2025, 5, 9))).findings
    ]
    assert "en-retard" not in codes and "reponse-en-retard" not in codes
    later = check_register(load_register(path), CheckOptions(D(2025, 5, 10))).findings
    assert {f.code for f in later} >= {"en-retard", "reponse-en-retard"}


@settings(max_examples=400, deadline=None)
@given(
    received=days,
    ack=st.one_of(st.none(), st.integers(-5, 90)),
    answered=st.one_of(st.none(), st.integers(-5, 120)),
    closed=st.one_of(st.none(), st.integers(-5, 120)),
    today_after=st.integers(-10, 200),
    working_days=st.booleans(),
    ack_days=st.integers(1, 60),
    answer_months=st.integers(1, 4),
)
def test_the_shortcut_never_hides_a_late_step(
    received: dt.date,
    ack: int | None,
    answered: int | None,
    closed: int | None,
    today_after: int,
    working_days: bool,
    ack_days: int,
    answer_months: int,
) -> None:
    """``steps_surely_met`` (the check's fast path) is True only when both steps are met."""
    from suivi_xlsx.domain.model import Calendar, Entry, Origin
    from suivi_xlsx.domain.procedure import StepState, complaint_steps, steps_surely_met

    def after(days: int | None) -> dt.date | None:
        return None if days is None else received + dt.timedelta(days=days)

    columns = {Column.DATE: 1, Column.CLOSED_ON: 10, Column.ACK_DATE: 11, Column.ANSWER_DATE: 12}
    entry = Entry(
        sheet="R",
        row=2,
        columns=columns,
        received_on=received,
        origin=Origin.FS,
        acknowledged_on=after(ack),
        answered_on=after(answered),
        closed_on=after(closed),
    )
    calendar = Calendar.WORKING_DAYS if working_days else Calendar.CALENDAR_DAYS
    deadlines = Deadlines(ack_days=ack_days, answer_months=answer_months, calendar=calendar)
    today = received + dt.timedelta(days=today_after)
    if steps_surely_met(entry, deadlines, today):
        steps = complaint_steps(entry, deadlines, today)
        assert all(step is None or step.state is StepState.MET for step in steps)


def _late_everywhere(path: Path, today: dt.date) -> dict[str, set[tuple[str, int]]]:
    """The late rows as each command decides them, on the register at ``path``."""
    from suivi_xlsx.domain.update import highlight_counts

    register = load_register(path)
    deadlines = Deadlines.from_settings(register.settings)
    report = check_register(register, CheckOptions(today=today))
    years = sorted({e.received_on.year for e in register.entries if e.received_on})
    bilan = {
        (item.sheet, item.row)
        for year in years
        for item in yearly_stats([register], year, today).open_entries
        if item.overdue
    }
    steps = (Action.ACKNOWLEDGE, Action.ANSWER, Action.CLOSE)
    relances = {
        (r.entry.sheet, r.entry.row)
        for r in follow_up([register], today).reminders
        if r.late and r.action in steps
    }
    plan = plan_update(register, today=today)
    colours = {(e.sheet, e.row) for e in register.entries if is_late(e, deadlines, today)}
    assert highlight_counts(register, plan, today).overdue == len(colours)
    return {
        "check": {
            (f.sheet or "", f.row or 0) for f in report.findings if f.severity is Severity.LATE
        },
        "bilan": bilan,
        "relances": relances,
        "couleurs": colours,
    }


def test_every_command_lists_the_same_late_entries(tmp_path: Path) -> None:
    """On the example register and on a register filled by hand (text dates, no due dates, an
    acknowledgement 36 days late with its due date ahead, answered but not closed), check,
    the bilan, update's colours and relances name the same late entries."""
    from .workbooks import entry, make_register

    example = Path(__file__).parent.parent / "examples" / "registre-exemple.xlsx"
    today = D(2026, 12, 5)
    hand = make_register(
        tmp_path / "registre.xlsx",
        [
            # no acknowledgement 46 days after receipt, due date still ahead: late
            entry(D(2026, 10, 20), number="26.1601.001", due=D(2026, 12, 20)),
            # a text date, no due date, nothing done for 3 months: late
            entry("03/09/2026", number="26.1601.002"),
            # answered, not closed, due date ahead: not late
            entry(
                D(2026, 11, 2),
                number="26.1601.003",
                due=D(2027, 1, 2),
                ack_date=D(2026, 11, 4),
                answer_date=D(2026, 11, 20),
            ),
            # acknowledged in time, answer still in time: not late
            entry("25/11/2026", number="26.1601.004", ack_date="27/11/2026"),
            # a survey past its due date: late
            entry(D(2026, 10, 1), origin="QS", number="26.1601.005", due=D(2026, 11, 30)),
            # closed: not late
            entry(D(2026, 8, 1), number="26.1601.006", closed=D(2026, 9, 1), due=D(2026, 10, 1)),
        ],
        columns=[*SEED_COLUMNS, Column.ACK_DATE, Column.ANSWER_DATE],
    )
    found = _late_everywhere(hand, today)
    assert found["check"] == {("Registre", 2), ("Registre", 3), ("Registre", 6)}
    assert all(rows == found["check"] for rows in found.values()), found
    found = _late_everywhere(example, today)
    assert found["check"]
    assert all(rows == found["check"] for rows in found.values()), found
