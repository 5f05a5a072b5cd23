"""The follow-up reminders (``outputs.followup.compute``): which steps, for whom, by when."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest

from suivi_xlsx.domain.deadlines import Deadlines
from suivi_xlsx.domain.model import (
    OPTIONAL_COLUMNS,
    SEED_COLUMNS,
    Calendar,
    Column,
    Entry,
    Origin,
    Register,
    RegisterSheet,
    Settings,
)
from suivi_xlsx.domain.numbering import parse_order_number
from suivi_xlsx.outputs.followup.calendar import event_summary
from suivi_xlsx.outputs.followup.compute import (
    NO_OWNER,
    Action,
    FollowUp,
    follow_up,
    pending_steps,
    text_lines,
)
from suivi_xlsx.outputs.followup.files import register_link, sheet_names
from suivi_xlsx.reading.reader import load_register

from .workbooks import entry, make_register

D = dt.date
TODAY = D(2026, 11, 25)
# A, B… K: the seed's columns; then L Produit, M Intervenants, N Personnes visées, O Date AR,
# P Date de réponse…
COLUMNS = MappingProxyType(
    {column: index for index, column in enumerate((*SEED_COLUMNS, *OPTIONAL_COLUMNS))}
)
SEED_ONLY = MappingProxyType({column: index for index, column in enumerate(SEED_COLUMNS)})


def make_entry(
    row: int,
    received: dt.date | None,
    *,
    origin: Origin = Origin.FS,
    number: str | None = None,
    owner: str | None = "Mme Martin",
    issuer: str = "DUPONT Marie",
    sheet: str = "2026",
    columns: Any = COLUMNS,
    **fields: Any,
) -> Entry:
    return Entry(
        sheet=sheet,
        row=row,
        columns=columns,
        year=received.year if received else None,
        received_on=received,
        issuer=issuer,
        order_text=number,
        order_number=parse_order_number(number) if number else None,
        origin=origin,
        subject="Leçon annulée",
        owner=owner,
        **fields,
    )


def make_register_of(
    *entries: Entry, settings: Settings | None = None, path: str = "registre.xlsx"
) -> Register:
    sheets: dict[str, list[Entry]] = {}
    for item in entries:
        sheets.setdefault(item.sheet, []).append(item)
    return Register(
        Path(path),
        tuple(
            RegisterSheet(name, 1, COLUMNS, {}, tuple(rows), max(e.row for e in rows))
            for name, rows in sheets.items()
        ),
        settings or Settings(),
    )


def steps(item: Entry, today: dt.date = TODAY, **settings: Any) -> list[tuple[Action, dt.date]]:
    config = Settings(**settings)
    return pending_steps(item, Deadlines.from_settings(config), today, config.inform_days)


# --- which steps -------------------------------------------------------------------------------


def test_a_new_complaint_must_be_acknowledged_answered_and_closed() -> None:
    item = make_entry(2, D(2026, 11, 20), due_on=D(2027, 1, 20))
    assert steps(item) == [
        (Action.ACKNOWLEDGE, D(2026, 11, 30)),
        (Action.ANSWER, D(2027, 1, 20)),
        (Action.CLOSE, D(2027, 1, 20)),
    ]


def test_an_acknowledged_complaint_still_needs_its_answer() -> None:
    item = make_entry(2, D(2026, 11, 20), acknowledged_on=D(2026, 11, 22))
    assert steps(item) == [(Action.ANSWER, D(2027, 1, 20))]


def test_an_acknowledgement_dated_after_today_is_not_done_yet() -> None:
    item = make_entry(2, D(2026, 11, 20), acknowledged_on=D(2026, 11, 28))
    assert [action for action, _ in steps(item)] == [Action.ACKNOWLEDGE, Action.ANSWER]


def test_an_answered_complaint_only_needs_closing() -> None:
    # The answer also counts as the acknowledgement (« ou y répondre immédiatement »).
    item = make_entry(2, D(2026, 10, 20), answered_on=D(2026, 10, 25), due_on=D(2026, 12, 20))
    assert steps(item) == [(Action.CLOSE, D(2026, 12, 20))]


def test_a_closed_entry_has_nothing_left() -> None:
    item = make_entry(2, D(2026, 10, 20), closed_on=D(2026, 11, 2), due_on=D(2026, 12, 20))
    assert steps(item) == []
    # Closed after the reference date: still open at that date, its acknowledgement late.
    assert steps(item, today=D(2026, 11, 1)) == [
        (Action.ACKNOWLEDGE, D(2026, 10, 30)),
        (Action.ANSWER, D(2026, 12, 20)),
        (Action.CLOSE, D(2026, 12, 20)),
    ]


def test_a_closing_word_without_date_closes_the_entry() -> None:
    item = make_entry(
        2, D(2026, 10, 20), due_on=D(2026, 12, 20), invalid={Column.CLOSED_ON: "clôturé"}
    )
    assert steps(item) == []


def test_surveys_and_improvements_only_need_closing_by_their_due_date() -> None:
    survey = make_entry(2, D(2026, 11, 2), origin=Origin.QS, due_on=D(2026, 12, 2))
    plan = make_entry(3, D(2026, 6, 2), origin=Origin.PA, due_on=D(2026, 9, 30))
    no_due = make_entry(4, D(2026, 6, 2), origin=Origin.PA)
    assert steps(survey) == [(Action.CLOSE, D(2026, 12, 2))]
    assert steps(plan) == [(Action.CLOSE, D(2026, 9, 30))]
    assert steps(no_due) == []


def test_a_sheet_without_acknowledgement_columns_asks_only_for_the_answer() -> None:
    # The seed's eleven columns: no AR column, the answer is the closing.
    item = make_entry(2, D(2026, 11, 20), columns=SEED_ONLY)
    assert steps(item) == [(Action.ANSWER, D(2027, 1, 20))]


def test_giving_news_counts_from_the_last_dated_step() -> None:
    item = make_entry(2, D(2026, 10, 1), acknowledged_on=D(2026, 10, 5))
    # Last dated step: the acknowledgement, 05/10 + 30 days.
    assert (Action.INFORM, D(2026, 11, 4)) in steps(item, inform_days=30)


def test_giving_news_follows_the_check_with_its_default() -> None:
    """Without a Paramètres sheet, the check's client-sans-nouvelles (30 days) and the late
    « Donner des nouvelles » are the same entries; an answered complaint, not closed, only
    has « Clôturer » left."""
    from suivi_xlsx.domain.rules import CheckOptions, check_register

    register = make_register_of(
        make_entry(2, D(2026, 10, 1), number="26.1601.001", acknowledged_on=D(2026, 10, 5)),
        make_entry(3, D(2026, 11, 10), number="26.1601.002", acknowledged_on=D(2026, 11, 12)),
        make_entry(
            4,
            D(2026, 9, 1),
            number="26.1601.003",
            acknowledged_on=D(2026, 9, 3),
            answered_on=D(2026, 9, 20),
            due_on=D(2026, 11, 1),
        ),
    )
    report = check_register(register, CheckOptions(today=TODAY))
    unheard = {f.row for f in report.findings if f.code == "client-sans-nouvelles"}
    follow = follow_up([register], TODAY)
    late_news = {r.entry.row for r in follow.reminders if r.action is Action.INFORM and r.late}
    assert unheard == late_news == {2}
    answered = [r.action for r in follow.reminders if r.entry.row == 4]
    assert answered == [Action.CLOSE]


def test_giving_news_counts_from_the_last_date_written_in_suivi() -> None:
    item = make_entry(
        2,
        D(2026, 10, 1),
        acknowledged_on=D(2026, 10, 5),
        follow_up="05/10 : AR envoyé ; 16/11 : appel de la cliente ; 12/12 : RDV prévu",
    )
    # 16/11 + 15 days; 12/12 is after the reference date: a plan, not news.
    assert (Action.INFORM, D(2026, 12, 1)) in steps(item, inform_days=15)


def test_giving_news_is_only_for_complaints() -> None:
    survey = make_entry(2, D(2026, 11, 2), origin=Origin.QS, due_on=D(2026, 12, 2))
    assert steps(survey, inform_days=15) == [(Action.CLOSE, D(2026, 12, 2))]


def test_deadlines_in_working_days() -> None:
    # Received Thursday 30/04/2026: 1 May and Ascension (14 May) are holidays, Sundays do not
    # count: the 10th working day is Friday 15/05; in calendar days, 10/05.
    item = make_entry(2, D(2026, 4, 30))
    today = D(2026, 5, 5)
    assert steps(item, today)[0] == (Action.ACKNOWLEDGE, D(2026, 5, 10))
    working = steps(item, today, calendar=Calendar.WORKING_DAYS)
    assert working[0] == (Action.ACKNOWLEDGE, D(2026, 5, 15))
    assert working[1] == (Action.ANSWER, D(2026, 6, 30))


def test_working_days_from_the_parameters_sheet(tmp_path: Path) -> None:
    path = make_register(
        tmp_path / "registre.xlsx",
        [entry(D(2026, 4, 30), number="26.1601.001", owner="Mme Martin")],
        columns=[*SEED_COLUMNS, Column.ACK_DATE, Column.ANSWER_DATE],
        more_sheets={"Paramètres": [["Paramètre", "Valeur"], ["Décompte des délais", "ouvrables"]]},
    )
    follow = follow_up([load_register(path)], D(2026, 5, 5))
    first = follow.reminders[0]
    assert (first.action, first.deadline) == (Action.ACKNOWLEDGE, D(2026, 5, 15))


# --- grouping, order, filters -------------------------------------------------------------------


@pytest.fixture()
def follow() -> FollowUp:
    register = make_register_of(
        make_entry(2, D(2026, 11, 5), number="26.1601.001", owner="Mme MARTIN"),
        make_entry(3, D(2026, 11, 20), number="26.1601.002", owner="Martin", issuer="ROCHE Enzo"),
        make_entry(4, D(2026, 11, 22), number="26.1601.003", owner="Martin "),
        make_entry(5, D(2026, 11, 21), number="26.1601.004", owner=None, issuer="VIDAL Samuel"),
        make_entry(
            6,
            D(2026, 9, 1),
            origin=Origin.PA,
            number="26.1601.005",
            owner="M. Leroy",
            due_on=D(2026, 11, 28),
        ),
        make_entry(7, D(2026, 11, 1), number="26.1601.006", owner="M. Léroy", closed_on=TODAY),
    )
    return follow_up([register], TODAY)


def test_people_are_matched_as_they_write_their_names(follow: FollowUp) -> None:
    # « Mme MARTIN », « Martin », « Martin  »: one person, shown as most often written.
    assert [p.name for p in follow.people] == ["M. Leroy", "Martin", NO_OWNER]
    martin = follow.people[1]
    assert {r.entry.order_text for r in martin.reminders} == {
        "26.1601.001",
        "26.1601.002",
        "26.1601.003",
    }
    assert follow.people[2].reminders[0].entry.issuer == "VIDAL Samuel"


def test_most_frequent_spelling_is_shown() -> None:
    register = make_register_of(
        make_entry(2, D(2026, 11, 20), owner="mme durand"),
        make_entry(3, D(2026, 11, 21), owner="Mme DURAND"),
        make_entry(4, D(2026, 11, 22), owner="Mme DURAND"),
    )
    assert [p.name for p in follow_up([register], TODAY).people] == ["Mme DURAND"]


def test_late_steps_first_then_by_date(follow: FollowUp) -> None:
    martin = follow.people[1]
    listed = [(r.entry.order_text, r.action, r.deadline, r.days_left) for r in martin.reminders]
    assert listed[0] == ("26.1601.001", Action.ACKNOWLEDGE, D(2026, 11, 15), -10)
    deadlines = [deadline for _, _, deadline, _ in listed]
    assert deadlines == sorted(deadlines)
    assert martin.reminders[0].when == "en retard de 10 jours"
    assert martin.late == 1
    assert follow.late == 1
    assert follow.count == len(follow.reminders) == 13


def test_filter_one_person_by_any_spelling(follow: FollowUp) -> None:
    register = make_register_of(*(r.entry for r in follow.reminders))
    only = follow_up([register], TODAY, person="MARTIN")
    assert [p.name for p in only.people] == ["Martin"]
    nobody = follow_up([register], TODAY, person="sans responsable")
    assert [p.name for p in nobody.people] == [NO_OWNER]
    unknown = follow_up([register], TODAY, person="Durand")
    assert unknown.people == ()
    assert unknown.known_people == ("M. Leroy", "Martin")
    assert "Personne ne s'appelle « Durand »" in text_lines(unknown)[1]


def test_filter_by_days_keeps_late_steps(follow: FollowUp) -> None:
    register = make_register_of(*{id(r.entry): r.entry for r in follow.reminders}.values())
    soon = follow_up([register], TODAY, within=5)
    kept = [(r.action, r.deadline) for r in soon.reminders]
    assert kept == [
        (Action.CLOSE, D(2026, 11, 28)),  # Leroy
        (Action.ACKNOWLEDGE, D(2026, 11, 15)),  # late
        (Action.ACKNOWLEDGE, D(2026, 11, 30)),
    ]
    assert "échéance dans les 5 jours ou dépassée" in soon.headline()
    assert follow_up([register], TODAY, within=0).count == 1  # only the late one


def test_several_registers_say_their_agency() -> None:
    lyon = make_register_of(make_entry(2, D(2026, 11, 20), number="26.1601.001"), path="lyon.xlsx")
    annecy = make_register_of(
        make_entry(2, D(2026, 11, 20), number="26.7401.001"), path="annecy.xlsx"
    )
    follow = follow_up([lyon, annecy], TODAY)
    assert follow.several
    labels = [r.source.label for r in follow.reminders]
    assert labels == ["agence 1601", "agence 7401"] * 3
    lines = text_lines(follow)
    assert any("26.7401.001" in line and "agence 7401" in line for line in lines)
    # One register: no agency on the lines.
    alone = follow_up([lyon], TODAY)
    assert alone.reminders[0].source.label is None
    assert not any("agence" in line for line in text_lines(alone))


def test_text_report(follow: FollowUp) -> None:
    lines = text_lines(follow)
    assert lines[0] == "Relances au 25/11/2026 : 13 étapes, dont 1 en retard, pour 3 personnes."
    assert "Martin (9 étapes, dont 1 en retard)" in lines
    late = next(line for line in lines if "en retard de 10 jours" in line)
    assert late.split() == [
        "26.1601.001",
        "DUPONT",
        "Marie",
        "Accuser",
        "réception",
        "15/11/2026",
        "en",
        "retard",
        "de",
        "10",
        "jours",
        "'2026'!O2",  # the Date accusé de réception cell of that row
    ]
    assert lines[-4] == f"{NO_OWNER} (3 étapes)"


def test_nothing_to_do() -> None:
    register = make_register_of(make_entry(2, D(2026, 1, 5), closed_on=D(2026, 2, 1)))
    follow = follow_up([register], TODAY)
    assert text_lines(follow) == ["Relances au 25/11/2026 : aucune étape à suivre."]


# --- references, identifiers ---------------------------------------------------------------------


def test_cells_point_where_the_step_is_recorded() -> None:
    register = make_register_of(
        make_entry(14, D(2026, 11, 20), number="26.1601.010", due_on=D(2027, 1, 20)),
        settings=Settings(inform_days=30),
    )
    cells = {r.action: r.cell for r in follow_up([register], TODAY).reminders}
    assert cells == {
        Action.ACKNOWLEDGE: "'2026'!O14",
        Action.ANSWER: "'2026'!P14",
        Action.INFORM: "'2026'!H14",
        Action.CLOSE: "'2026'!K14",
    }


def test_uids_are_stable_and_distinct() -> None:
    first = make_register_of(make_entry(2, D(2026, 11, 20), number="26.1601.010"))
    # Later: the row moved and a date was written in Suivi; same order number, same steps.
    later = make_register_of(
        make_entry(9, D(2026, 11, 20), number="26.1601.010", follow_up="22/11 : appel"),
        settings=Settings(inform_days=10),
    )
    uids = {r.action: r.uid for r in follow_up([first], TODAY).reminders}
    again = {r.action: r.uid for r in follow_up([later], TODAY).reminders}
    assert uids[Action.ACKNOWLEDGE] == again[Action.ACKNOWLEDGE]
    assert uids[Action.ANSWER] == again[Action.ANSWER]
    assert len(set(again.values())) == 3
    assert all(uid.endswith("@suivi-xlsx") for uid in again.values())
    # Without an order number: sheet and row.
    unnumbered = make_register_of(make_entry(5, D(2026, 11, 20)))
    (ack, _, _) = follow_up([unnumbered], TODAY).reminders
    assert ack.uid not in uids.values()
    assert ack.order == "sans n°, ligne 5"


def test_event_summary_and_link() -> None:
    register = make_register_of(
        make_entry(14, D(2026, 11, 20), number="26.1601.010"), path="/srv/registre #2.xlsx"
    )
    reminder = follow_up([register], TODAY).reminders[0]
    assert event_summary(reminder) == "[26.1601.010] Accuser réception — DUPONT Marie"
    link = register_link(reminder)
    assert link is not None
    assert link.startswith("external:")
    assert link.endswith("registre%20%232.xlsx#'2026'!O14")


def test_sheet_names_are_valid_and_unique() -> None:
    names = sheet_names(
        [
            "Mme MARTIN Sophie",
            "martin / durand [accueil]",
            "Synthèse",
            "A" * 40,
            "a" * 40,
            "'Quoted'",
            "?*:",
        ]
    )
    assert names[0] == "Mme MARTIN Sophie"
    assert names[1] == "martin durand accueil"
    assert names[2] == "Synthèse (2)"
    assert names[3] == "A" * 31
    assert names[4] == "a" * 27 + " (2)"
    assert names[5] == "Quoted"
    assert names[6] == "Personne"
    for name in names:
        assert len(name) <= 31
        assert not set(name) & set("[]:*?/\\")
    assert len({name.casefold() for name in names}) == len(names)


def test_filter_by_part_of_a_name() -> None:
    register = make_register_of(
        make_entry(2, D(2026, 11, 20), owner="Mme MARTIN Sophie"),
        make_entry(3, D(2026, 11, 20), owner="M. Martin Paul"),
        make_entry(4, D(2026, 11, 20), owner="Mme Benali Nadia"),
    )
    only = follow_up([register], TODAY, person="mme benali")
    assert [p.name for p in only.people] == ["Mme Benali Nadia"]
    assert [p.name for p in follow_up([register], TODAY, person="Sophie").people] == [
        "Mme MARTIN Sophie"
    ]
    both = follow_up([register], TODAY, person="Martin")
    assert both.people == ()
    assert both.ambiguous == ("M. Martin Paul", "Mme MARTIN Sophie")
    assert "« Martin » désigne plusieurs personnes" in text_lines(both)[1]
