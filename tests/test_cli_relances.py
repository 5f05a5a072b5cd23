"""``suivi relances`` end to end on registers built in the test: the terminal list, the
workbook (read back with openpyxl, converted by LibreOffice), the calendar (parsed back with
icalendar), refusals and exit codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from icalendar import Calendar

from suivi_xlsx.cli import group
from suivi_xlsx.domain.model import SEED_COLUMNS, Column

from .conftest import LibreOffice
from .workbooks import entry, make_register

D = dt.date
TODAY = "2026-11-25"
COLUMNS = [*SEED_COLUMNS, Column.ACK_DATE, Column.ANSWER_DATE]
# A…K the seed's columns, L Date accusé de réception, M Date de réponse.


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(group, ["relances", *args])
    # Never a traceback: only SystemExit may escape the command.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def params(*rows: list[object]) -> dict[str, list[list[object]]]:
    return {"Paramètres": [["Paramètre", "Valeur"], *rows]}


@pytest.fixture()
def register(tmp_path: Path) -> Path:
    rows = [
        # row 2: late acknowledgement (due 15/11), then answer and closing
        entry(D(2026, 11, 5), number="26.1601.001", owner="Mme Martin", due=D(2027, 1, 5)),
        # row 3: acknowledged, answer pending; a comma and a semicolon in names and object
        entry(
            D(2026, 11, 10),
            number="26.1601.002",
            owner="LEROY, Julien; accueil",
            issuer="DUPONT, Marie; fille",
            subject="Leçon annulée, non remboursée; relance",
            ack_date=D(2026, 11, 12),
        ),
        # row 4: answered, not closed: closing only
        entry(
            D(2026, 10, 1),
            number="26.1601.003",
            owner="martin",
            due=D(2026, 12, 1),
            ack_date=D(2026, 10, 3),
            answer_date=D(2026, 10, 20),
        ),
        # row 5: closed: nothing
        entry(D(2026, 9, 1), number="26.1601.004", closed=D(2026, 9, 20), due=D(2026, 11, 1)),
        # row 6: improvement without anyone in charge, late
        entry(
            D(2026, 6, 1),
            origin="PA",
            number="26.1601.005",
            owner=None,
            issuer="Direction",
            subject="Affichage des tarifs",
            due=D(2026, 11, 20),
        ),
    ]
    path = tmp_path / "registre.xlsx"
    return make_register(
        path,
        rows,
        sheet="2026",
        columns=COLUMNS,
        more_sheets=params(["Informer le client au moins tous les (jours)", 30]),
    )


def test_lists_each_persons_steps(register: Path) -> None:
    before = register.read_bytes()
    code, out, err = run(str(register), "--today", TODAY)
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "Relances au 25/11/2026 : 8 étapes, dont 2 en retard, pour 3 personnes."
    headings = [line for line in lines if line and not line.startswith(" ")][1:]
    assert headings == [
        "LEROY, Julien; accueil (2 étapes)",
        "Mme Martin (5 étapes, dont 1 en retard)",
        "Sans responsable (1 étape, dont 1 en retard)",
    ]
    martin = lines[lines.index(headings[1]) + 1 :][:5]
    assert martin[0].split()[0] == "26.1601.001"
    assert "Accuser réception" in martin[0]
    assert "15/11/2026" in martin[0] and "en retard de 10 jours" in martin[0]
    assert martin[0].endswith("'2026'!L2")
    # Late first, then by date.
    assert [line.split()[0][-3:] for line in martin] == ["001", "003", "001", "001", "001"]
    assert not any("26.1601.004" in line for line in lines)  # closed
    # Answered but open: « Clôturer » by the due date, never « Donner des nouvelles » (the
    # client has the answer; the check reports no client-sans-nouvelles either).
    answered = [line for line in lines if "26.1601.003" in line]
    assert len(answered) == 1
    assert "Clôturer" in answered[0] and "01/12/2026" in answered[0]
    # « Donner des nouvelles »: the setting is there; after the acknowledgement of 12/11.
    news = next(line for line in lines if "26.1601.002" in line and "nouvelles" in line)
    assert "12/12/2026" in news
    assert register.read_bytes() == before  # only read


def test_filters(register: Path) -> None:
    code, out, _ = run(str(register), "--today", TODAY, "--personne", "MARTIN")
    assert code == 0
    assert "pour Mme Martin." in out.splitlines()[0]
    assert "LEROY" not in out
    code, out, _ = run(str(register), "--today", TODAY, "--jours", "7")
    assert code == 0
    # Late ones and those due by 02/12: closing of 26.1601.003 (01/12).
    assert "3 étapes, dont 2 en retard, pour 2 personnes" in out.splitlines()[0]
    code, out, _ = run(str(register), "--today", TODAY, "--personne", "Sans responsable")
    assert "26.1601.005" in out and "26.1601.001" not in out
    code, out, _ = run(str(register), "--today", TODAY, "--personne", "Durand")
    assert code == 0
    assert "aucune étape" in out
    assert "Personne ne s'appelle « Durand »" in out


def test_several_registers(register: Path, tmp_path: Path) -> None:
    other = make_register(
        tmp_path / "annecy.xlsx",
        [entry(D(2026, 11, 20), number="26.7401.001", owner="Mme MARTIN")],
        columns=COLUMNS,
    )
    code, out, _ = run(str(register), str(other), "--today", TODAY)
    assert code == 0
    line = next(line for line in out.splitlines() if "26.7401.001" in line)
    assert "agence 7401" in line
    assert any("26.1601.001" in x and "agence 1601" in x for x in out.splitlines())
    # Mme MARTIN of Annecy and Mme Martin of Lyon: one person.
    # (Annecy has no Paramètres sheet: « donner des nouvelles » every 30 days, as the check.)
    assert "Mme Martin (8 étapes, dont 1 en retard)" in out.splitlines()


def test_workbook_sheets_links_and_print_setup(register: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "relances.xlsx"
    code, stdout, err = run(str(register), "--today", TODAY, "-o", str(out))
    assert (code, err) == (0, "")
    assert f"Classeur écrit : {out}" in stdout
    book = load_workbook(out)
    assert book.sheetnames == [
        "Synthèse",
        "LEROY, Julien; accueil",
        "Mme Martin",
        "Sans responsable",
    ]
    overview = book["Synthèse"]
    assert overview["A1"].value == "Relances au 25/11/2026"
    assert [overview.cell(5 + i, 1).value for i in range(3)] == [
        "LEROY, Julien; accueil",
        "Mme Martin",
        "Sans responsable",
    ]
    assert overview["A6"].hyperlink.location == "'Mme Martin'!A1"
    assert [overview.cell(6, c).value for c in range(2, 6)] == [5, 1, 1, 3]
    assert overview["B8"].value == "=SUM(B5:B7)"
    sheet = book["Mme Martin"]
    assert sheet["A1"].value == "Relances de Mme Martin au 25/11/2026"
    headers = [cell.value for cell in sheet[4]]
    assert headers[:7] == [
        "N° d'ordre",
        "Émetteur",
        "Objet",
        "Étape",
        "Échéance",
        "Délai",
        "Dans le registre",
    ]
    first = [cell.value for cell in sheet[5]]
    assert first[0] == "26.1601.001"
    assert first[3] == "Accuser réception"
    assert first[4] == dt.datetime(2026, 11, 15)
    assert first[5] == "en retard de 10 jours"
    assert first[6] == "'2026'!L2"
    link = sheet["G5"].hyperlink
    assert link.location == "'2026'!L2"
    assert link.target.replace("\\", "/").endswith(register.name)
    assert sheet.max_row == 9
    # Printable: A4 landscape, one page wide, header row on every page, title with the date.
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == "9"
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    # fitToWidth 1 is the default, which xlsxwriter leaves out
    assert (sheet.page_setup.fitToWidth or 1, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$4:$4"
    assert "25/11/2026" in sheet.oddHeader.center.text


def test_calendar(register: Path, tmp_path: Path) -> None:
    out = tmp_path / "relances.ics"
    code, stdout, err = run(str(register), "--today", TODAY, "--ics", str(out))
    assert (code, err) == (0, "")
    assert f"Agenda écrit : {out}" in stdout
    raw = out.read_bytes()
    # RFC 5545: CRLF line ends, lines folded at 75 octets.
    assert raw.endswith(b"\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert max(len(line) for line in raw.split(b"\r\n")) <= 75
    calendar = Calendar.from_ical(raw)
    assert str(calendar["version"]) == "2.0"
    assert "suivi-xlsx" in str(calendar["prodid"])
    events = calendar.walk("VEVENT")
    assert len(events) == 8
    by_summary = {str(event["summary"]): event for event in events}
    # Late since 15/11: on the reference date, its deadline in the title, its alarm that day.
    ack = by_summary[
        "[26.1601.001] Accuser réception — DUPONT Marie (en retard, échéance du 15/11/2026)"
    ]
    assert ack.decoded("dtstart") == D(2026, 11, 25)  # all day: a date, not a date-time
    assert ack.decoded("dtend") == D(2026, 11, 26)
    assert [str(c) for c in ack["categories"].cats] == ["Mme Martin"]
    assert "Personne chargée du dossier : Mme Martin" in str(ack["description"])
    assert "registre.xlsx, cellule '2026'!L2" in str(ack["description"])
    assert "dtstamp" in ack
    (alarm,) = ack.walk("VALARM")
    assert str(alarm["action"]) == "DISPLAY"
    assert alarm.decoded("trigger") == dt.timedelta(0)
    # No event before the reference date, no alarm before it either.
    for event in events:
        assert event.decoded("dtstart") >= D(2026, 11, 25)
        trigger = event.walk("VALARM")[0].decoded("trigger")
        assert event.decoded("dtstart") + trigger >= D(2026, 11, 25)
    # A name and an object with a comma and a semicolon: escaped, read back whole.
    leroy = by_summary["[26.1601.002] Répondre — DUPONT, Marie; fille"]
    assert [str(c) for c in leroy["categories"].cats] == ["LEROY, Julien; accueil"]
    assert "Objet : Leçon annulée, non remboursée; relance" in str(leroy["description"])
    assert b"CATEGORIES:LEROY\\, Julien\\; accueil" in raw
    # Stable UIDs: a second run (another day, another reminder delay) gives the same ones.
    uids = {str(event["summary"]): str(event["uid"]) for event in events}
    assert len(set(uids.values())) == 8
    code, _, _ = run(
        str(register), "--today", "2026-11-26", "--ics", str(out), "--force", "--rappel", "5"
    )
    assert code == 0
    again = Calendar.from_ical(out.read_bytes()).walk("VEVENT")
    assert {str(e["summary"]): str(e["uid"]) for e in again} == uids
    triggers = {e.walk("VALARM")[0].decoded("trigger") for e in again}
    assert -dt.timedelta(days=5) in triggers and min(triggers) == -dt.timedelta(days=5)


def test_refuses_to_overwrite_without_force(register: Path, tmp_path: Path) -> None:
    out = tmp_path / "relances.xlsx"
    out.write_bytes(b"mine")
    code, _, err = run(str(register), "--today", TODAY, "-o", str(out))
    assert code == 1
    assert "existe déjà" in err and "--remplacer" in err
    assert out.read_bytes() == b"mine"
    ics = tmp_path / "agenda.ics"
    ics.write_bytes(b"mine")
    code, _, err = run(str(register), "--today", TODAY, "--ics", str(ics))
    assert code == 1 and "--ics" in err
    assert ics.read_bytes() == b"mine"
    code, _, _ = run(str(register), "--today", TODAY, "-o", str(out), "--force")
    assert code == 0
    assert out.read_bytes()[:2] == b"PK"
    # Never over a register.
    code, _, err = run(str(register), "--today", TODAY, "-o", str(register), "--force")
    assert code == 1 and "registres lus" in err


def test_bad_input(register: Path, tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "absent.xlsx"))
    assert code == 2 and "introuvable" in err
    text = tmp_path / "registre.csv"
    text.write_text("a;b\n", encoding="utf-8")
    assert run(str(text))[0] == 2
    code, _, err = run(str(register), "-o", str(tmp_path / "relances.pdf"))
    assert code == 2 and ".xlsx" in err
    code, _, err = run(str(register), "--ics", str(tmp_path / "absent" / "a.ics"))
    assert code == 2 and "n'existe pas" in err
    assert not list(tmp_path.glob("*.tmp"))


def test_listed_in_the_help() -> None:
    result = CliRunner().invoke(group, ["--help"])
    assert "relances" in result.stdout
    result = CliRunner().invoke(group, ["relances", "--help"])
    assert result.exit_code == 0
    assert "--personne" in result.stdout and "--rappel" in result.stdout


def test_libreoffice_converts_the_workbook(
    register: Path, tmp_path: Path, libreoffice: LibreOffice
) -> None:
    out = tmp_path / "relances.xlsx"
    assert run(str(register), "--today", TODAY, "-o", str(out))[0] == 0
    pdf = libreoffice.convert(out, "pdf", tmp_path / "pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_workbook_links_are_relative_and_survive_a_moved_folder(
    register: Path, tmp_path: Path, libreoffice: LibreOffice
) -> None:
    """The links to the register are relative (not ``file:///`` paths of this machine): once
    the folder is moved or shared, LibreOffice still finds the register through them."""
    import shutil
    import zipfile

    from openpyxl import load_workbook

    out = register.parent / "relances" / "relances.xlsx"
    out.parent.mkdir()
    code, _, err = run(str(register), "--today", TODAY, "-o", str(out))
    assert (code, err) == (0, "")
    with zipfile.ZipFile(out) as package:
        rels = [n for n in package.namelist() if n.startswith("xl/worksheets/_rels/")]
        targets = "".join(package.read(n).decode() for n in rels)
    assert "file:" not in targets and str(tmp_path) not in targets
    moved = tmp_path.parent / f"{tmp_path.name}-moved"
    shutil.move(str(tmp_path), moved)
    try:
        book = moved / "relances" / "relances.xlsx"
        resaved = libreoffice.convert(book, "xlsx", moved / "lo")
        link = load_workbook(resaved)["Mme Martin"]["G5"].hyperlink
        assert link is not None and link.target is not None
        target = link.target.replace("\\", "/").removeprefix("file://")
        # LibreOffice writes the link back relative to where it saved the file (lo/)
        assert (resaved.parent / target).resolve() == (moved / register.name).resolve()
    finally:
        shutil.move(str(moved), tmp_path)


# --- the calendar over time: steps done are cancelled, one file per person -------------------


def _events(path: Path) -> dict[str, object]:
    return {str(e["uid"]): e for e in Calendar.from_ical(path.read_bytes()).walk("VEVENT")}


def _rows(*, acknowledged: bool = False, closed: bool = False) -> list[dict[str, object]]:
    return [
        entry(
            D(2026, 11, 5),
            number="26.1601.001",
            owner="Mme Martin",
            due=D(2027, 1, 5),
            ack_date=D(2026, 11, 20) if acknowledged else None,
        ),
        entry(
            D(2026, 10, 1),
            number="26.1601.003",
            owner="martin",
            due=D(2026, 12, 1),
            ack_date=D(2026, 10, 3),
            answer_date=D(2026, 10, 20),
            closed=D(2026, 11, 24) if closed else None,
        ),
        entry(D(2026, 11, 10), number="26.1601.006", owner="M. Leroy", ack_date=D(2026, 11, 12)),
    ]


def _register(path: Path, rows: list[dict[str, object]]) -> Path:
    return make_register(path, rows, sheet="2026", columns=COLUMNS)


def test_calendar_cancels_the_steps_done_since_the_previous_file(tmp_path: Path) -> None:
    register = _register(tmp_path / "registre.xlsx", _rows())
    out = tmp_path / "relances.ics"
    assert run(str(register), "--today", TODAY, "--ics", str(out))[0] == 0
    before = _events(out)
    summaries = {str(e["summary"]).split(" (")[0].split(" — ")[0]: uid for uid, e in before.items()}
    ack = summaries["[26.1601.001] Accuser réception"]
    close = summaries["[26.1601.003] Clôturer"]
    assert all("sequence" not in e for e in before.values())  # a first file: sequence 0

    # The acknowledgement is recorded and 26.1601.003 is closed: the next file cancels both.
    _register(register, _rows(acknowledged=True, closed=True))
    code, stdout, err = run(str(register), "--today", TODAY, "--ics", str(out), "--force")
    assert (code, err) == (0, "")
    assert "2 étapes faites depuis l'agenda précédent, écrite(s) comme annulée(s)" in stdout
    after = _events(out)
    for uid in (ack, close):
        event = after[uid]
        assert str(event["status"]) == "CANCELLED"
        assert int(event["sequence"]) == 1
        assert event.decoded("dtstart") == before[uid].decoded("dtstart")
        assert not event.walk("VALARM")
    # The steps still to do keep their UID, with a higher sequence (an updated event).
    kept = set(before) - {ack, close}
    assert kept <= set(after)
    for uid in kept:
        assert "status" not in after[uid] and int(after[uid]["sequence"]) == 1

    # A third run does not cancel them again: they were cancelled in the file it replaces.
    code, stdout, _ = run(str(register), "--today", TODAY, "--ics", str(out), "--force")
    assert code == 0 and "annulée" not in stdout
    assert ack not in _events(out) and close not in _events(out)


def test_calendar_never_cancels_what_it_cannot_show_done(tmp_path: Path) -> None:
    register = _register(tmp_path / "registre.xlsx", _rows())
    out = tmp_path / "relances.ics"
    assert run(str(register), "--today", TODAY, "--ics", str(out))[0] == 0
    before = set(_events(out))
    # A filter leaves steps out; a deleted row is not shown done: nothing is cancelled.
    _register(register, _rows()[:2])
    code, stdout, _ = run(
        str(register), "--today", TODAY, "--ics", str(out), "--force", "--personne", "Leroy"
    )
    assert code == 0 and "annulée" not in stdout
    assert all("status" not in e for e in _events(out).values())
    code, stdout, _ = run(
        str(register), "--today", TODAY, "--ics", str(out), "--force", "--personne", "Martin"
    )
    assert code == 0 and "annulée" not in stdout
    assert set(_events(out)) < before


def test_calendar_previous_file_named_or_unreadable(tmp_path: Path) -> None:
    register = _register(tmp_path / "registre.xlsx", _rows())
    first = tmp_path / "relances-1.ics"
    assert run(str(register), "--today", TODAY, "--ics", str(first))[0] == 0
    _register(register, _rows(acknowledged=True))
    second = tmp_path / "relances-2.ics"
    code, stdout, _ = run(
        str(register), "--today", TODAY, "--ics", str(second), "--ics-precedent", str(first)
    )
    assert code == 0 and "1 étape faite depuis l'agenda précédent" in stdout
    assert [str(e["status"]) for e in _events(second).values() if "status" in e] == ["CANCELLED"]
    assert first.read_bytes()  # the previous file is only read

    garbage = tmp_path / "autre.ics"
    garbage.write_bytes(b"\x00\xffpas un agenda")
    code, _, err = run(
        str(register), "--ics", str(second), "--force", "--ics-precedent", str(garbage)
    )
    assert code == 2 and "n'est pas un agenda iCalendar lisible" in err
    code, _, err = run(str(register), "--ics-precedent", str(first))
    assert code == 2 and "--ics-precedent va avec --ics" in err
    # The file --force replaces is not ours: replaced, nothing cancelled, and said.
    code, stdout, err = run(str(register), "--today", TODAY, "--ics", str(garbage), "--force")
    assert code == 0 and "n'a pas pu être relu : aucune étape n'y est annulée" in err
    assert Calendar.from_ical(garbage.read_bytes()).walk("VEVENT")


def test_one_calendar_per_person(tmp_path: Path) -> None:
    rows = [*_rows(), entry(D(2026, 11, 18), number="26.1601.007", owner='A/B: "accueil"?')]
    register = _register(tmp_path / "registre.xlsx", rows)
    folder = tmp_path / "agendas"
    code, stdout, err = run(str(register), "--today", TODAY, "--ics-par-personne", str(folder))
    assert (code, err) == (0, "")
    names = sorted(path.name for path in folder.iterdir())
    assert names == [
        "relances - A B accueil.ics",
        "relances - M. Leroy.ics",
        "relances - Mme Martin.ics",
    ]
    assert f"Agendas écrits dans {folder} :" in stdout
    martin = Calendar.from_ical((folder / "relances - Mme Martin.ics").read_bytes())
    assert "Mme Martin" in str(martin["x-wr-calname"])
    cats = {str(c) for e in martin.walk("VEVENT") for c in e["categories"].cats}
    assert cats == {"Mme Martin"}  # « martin » is the same person: one calendar
    # Existing files: refused before anything is written, then replaced with --force.
    stamp = {p.name: p.read_bytes() for p in folder.iterdir()}
    workbook = tmp_path / "relances.xlsx"
    code, _, err = run(
        str(register), "--today", TODAY, "--ics-par-personne", str(folder), "-o", str(workbook)
    )
    assert code == 1 and "existe déjà" in err and "--remplacer" in err
    assert not workbook.exists()
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == stamp
    _register(register, [*_rows(acknowledged=True), rows[-1]])
    code, stdout, _ = run(
        str(register), "--today", TODAY, "--ics-par-personne", str(folder), "--force"
    )
    assert code == 0
    assert "relances - Mme Martin.ics (" in stdout and "1 étape faite" in stdout
    file = tmp_path / "fichier"
    file.write_text("x")
    code, _, err = run(str(register), "--ics-par-personne", str(file))
    assert code == 2 and "n'est pas un dossier" in err
