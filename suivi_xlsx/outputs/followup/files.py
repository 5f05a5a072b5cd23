"""The follow-up reminders (``followup.FollowUp``) as a workbook (xlsxwriter): an overview
sheet (« Synthèse ») and one sheet per person, printable (A4 landscape, one page wide, title
with the date, header row repeated on every page), each step linking to its cell in the
register (``calendar`` writes the same reminders as an agenda).

It writes to a temporary file beside the target and moves it into place once complete: a
failure leaves nothing behind. xlsxwriter is imported inside the functions.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from suivi_xlsx.domain.findings import fr_count, fr_date
from suivi_xlsx.outputs.files import EXCEL_EPOCH, new_workbook, write_new_file
from suivi_xlsx.outputs.followup.compute import FollowUp, PersonReminders, Reminder

OVERVIEW = "Synthèse"
SOON_DAYS = 7  # the overview's « dans les 7 jours » column, as suivi-check's --soon default

NAVY = "#1F3864"
GREY = "#595959"
LINE = "#D9D9D9"
LATE_FILL = "#FDE9E9"
LATE_TEXT = "#9C0006"

# Excel refuses these in a sheet name; and a name is at most 31 characters.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_MAX = 31
_MAX_LINKS = 65_530  # Excel's limit of hyperlinks per worksheet
_LINK_TIP = "Ouvrir le registre à cette ligne"


# --- common ----------------------------------------------------------------------------------


def _scope(follow: FollowUp) -> str:
    """What the list covers: files and filters, in French."""
    files = ", ".join(source.file_name for source in follow.sources)
    parts = [files]
    if follow.person is not None:
        parts.append(f"personne : {follow.person}")
    if follow.within is not None:
        days = fr_count(follow.within, "jour", "jours")
        parts.append(f"échéances dans les {days} et retards")
    return " — ".join(parts)


# --- workbook --------------------------------------------------------------------------------


def sheet_names(names: Sequence[str]) -> list[str]:
    """A valid, unique worksheet name for each person: without ``[]:*?/\\``, at most 31
    characters, not starting or ending with an apostrophe, unique ignoring case (as Excel
    compares them) and different from the overview sheet."""
    taken = {OVERVIEW.casefold()}
    out = []
    for name in names:
        base = " ".join(_SHEET_FORBIDDEN.sub(" ", name).split()).strip("'").strip()
        base = (base or "Personne")[:_SHEET_MAX].rstrip().rstrip("'")
        candidate, n = base, 1
        while candidate.casefold() in taken or candidate.casefold() == "history":
            n += 1
            suffix = f" ({n})"
            candidate = base[: _SHEET_MAX - len(suffix)].rstrip() + suffix
        taken.add(candidate.casefold())
        out.append(candidate)
    return out


def _url_escape(path: str) -> str:
    """A file path as an hyperlink target: what Excel escapes, plus ``#`` (which would start
    the location). xlsxwriter leaves an already escaped target alone."""
    for char, code in (
        ("%", "%25"),
        ('"', "%22"),
        (" ", "%20"),
        ("<", "%3c"),
        (">", "%3e"),
        ("[", "%5b"),
        ("]", "%5d"),
        ("^", "%5e"),
        ("`", "%60"),
        ("{", "%7b"),
        ("}", "%7d"),
        ("#", "%23"),
    ):
        path = path.replace(char, code)
    return path


def register_link(reminder: Reminder, folder: Path | None = None) -> str | None:
    """The hyperlink that opens the register at the step's cell: ``external:`` + the register's
    path + ``#'2026'!L14`` (Excel and LibreOffice open the file at that cell). Relative to
    ``folder``, the follow-up workbook's folder, so that the links still work once the folder
    is shared or moved; absolute only when no relative path exists (another Windows drive)."""
    path = reminder.source.path
    if path is None:
        return None
    target = str(path.resolve())
    if folder is not None:
        # another Windows drive (ValueError): only the absolute path reaches it
        with contextlib.suppress(ValueError):
            target = os.path.relpath(target, folder.resolve())
    return f"external:{_url_escape(target)}#{reminder.cell}"


class _Styles:
    def __init__(self, workbook: Any) -> None:
        add = workbook.add_format
        base = {"font_name": "Calibri", "font_size": 10, "valign": "top"}
        self.title = add({**base, "bold": True, "font_size": 16, "font_color": NAVY})
        self.subtitle = add({**base, "font_size": 10, "font_color": GREY})
        header = {**base, "bold": True, "font_color": "#FFFFFF", "bg_color": NAVY}
        header |= {"text_wrap": True, "valign": "vcenter", "border": 1, "border_color": "#FFFFFF"}
        self.th = add(header)
        self.th_number = add({**header, "align": "right"})
        cell = {**base, "bottom": 1, "bottom_color": LINE}
        late = {**cell, "bg_color": LATE_FILL}
        self.text = add(cell)
        self.text_late = add(late)
        self.wrap = add({**cell, "text_wrap": True})
        self.wrap_late = add({**late, "text_wrap": True})
        self.date = add({**cell, "num_format": "dd/mm/yyyy", "align": "left"})
        self.date_late = add({**late, "num_format": "dd/mm/yyyy", "align": "left"})
        self.day = add({**cell, "num_format": "dd/mm/yyyy", "align": "center"})
        self.when = add(cell)
        self.when_late = add({**late, "bold": True, "font_color": LATE_TEXT})
        self.link = add({**cell, "font_color": "#0563C1", "underline": 1})
        self.link_late = add({**late, "font_color": "#0563C1", "underline": 1})
        self.number = add({**cell, "num_format": "0"})
        self.number_late = add({**cell, "num_format": "0", "bold": True, "font_color": LATE_TEXT})
        total = {**base, "bold": True, "top": 1, "top_color": NAVY, "bottom": 2}
        total["bottom_color"] = NAVY
        self.total = add(total)
        self.total_number = add({**total, "num_format": "0"})
        self.note = add({**base, "italic": True, "font_color": GREY})


def _print_setup(sheet: Any, title: str, footer: str) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)  # one page wide, as many pages tall as needed
    sheet.set_margins(left=0.5, right=0.5, top=0.8, bottom=0.7)
    sheet.set_header(f'&C&"Calibri,Bold"&12{_header_text(title)}', {"margin": 0.3})
    footer = _header_text(footer)
    if footer[:1].isdigit():  # "&8" then a digit would read as another font size
        footer = " " + footer
    sheet.set_footer(f"&L&8{footer}&R&8Page &P / &N", {"margin": 0.3})
    sheet.hide_gridlines(2)


def _header_text(text: str) -> str:
    # "&" starts a code in page headers; Excel caps a header at 255 characters.
    return text.replace("&", "&&")[:200]


def write_workbook(follow: FollowUp, out: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write the reminders to the workbook ``out`` (.xlsx) and return its path. Refuses
    (``RefusedError``, nothing written) an existing ``out`` unless ``force``."""
    return write_new_file(Path(out), lambda path: _workbook(follow, path), force=force)


def _workbook(follow: FollowUp, path: Path) -> None:
    title = f"Relances au {fr_date(follow.today)}"
    subject = "Registre des réclamations : étapes à suivre"
    workbook = new_workbook(path, title=title, subject=subject, day=follow.today)
    try:
        styles = _Styles(workbook)
        overview = workbook.add_worksheet(OVERVIEW)
        names = sheet_names([person.name for person in follow.people])
        _overview(overview, styles, follow, names)
        for person, name in zip(follow.people, names, strict=True):
            sheet = workbook.add_worksheet(name)
            _person_sheet(sheet, styles, follow, person, path.parent)
        overview.activate()
    finally:
        workbook.close()


def _overview(sheet: Any, styles: _Styles, follow: FollowUp, names: Sequence[str]) -> None:
    title = f"Relances au {fr_date(follow.today)}"
    _print_setup(sheet, title, _scope(follow))
    sheet.set_row(0, 24)
    sheet.write_string(0, 0, title, styles.title)
    sheet.write_string(1, 0, f"{_counts(follow)} — {_scope(follow)}", styles.subtitle)
    headers = (
        "Personne chargée du dossier",
        "Étapes",
        "En retard",
        f"Dans les {SOON_DAYS} jours",
        "Plus tard",
        "Prochaine échéance",
    )
    widths = (34, 10, 11, 13, 11, 18)
    top = 3
    for column, (header, width) in enumerate(zip(headers, widths, strict=True)):
        sheet.set_column(column, column, width)
        sheet.write_string(top, column, header, styles.th if column == 0 else styles.th_number)
    sheet.set_row(top, 30)
    sheet.repeat_rows(top)
    sheet.freeze_panes(top + 1, 0)
    if not follow.people:
        sheet.write_string(top + 1, 0, "Aucune étape à suivre.", styles.note)
        return
    row = top
    for person, name in zip(follow.people, names, strict=True):
        row += 1
        late = person.late
        soon = sum(1 for r in person.reminders if 0 <= r.days_left <= SOON_DAYS)
        later = len(person.reminders) - late - soon
        upcoming = [r.deadline for r in person.reminders if r.days_left >= 0]
        sheet.write_url(
            row,
            0,
            f"internal:{_quote_sheet(name)}!A1",
            styles.link,
            person.name,
            f"Voir la feuille de {person.name}",
        )
        sheet.write_number(row, 1, len(person.reminders), styles.number)
        sheet.write_number(row, 2, late, styles.number_late if late else styles.number)
        sheet.write_number(row, 3, soon, styles.number)
        sheet.write_number(row, 4, later, styles.number)
        if upcoming:
            sheet.write_number(row, 5, upcoming[0].toordinal() - EXCEL_EPOCH, styles.day)
        else:
            sheet.write_blank(row, 5, None, styles.text)
    first, last = top + 2, row + 1  # Excel rows of the people
    sheet.write_string(row + 1, 0, "Total", styles.total)
    for column, value in enumerate(
        (
            follow.count,
            follow.late,
            sum(1 for r in follow.reminders if 0 <= r.days_left <= SOON_DAYS),
            sum(1 for r in follow.reminders if r.days_left > SOON_DAYS),
        ),
        start=1,
    ):
        letter = "BCDE"[column - 1]
        sheet.write_formula(
            row + 1, column, f"=SUM({letter}{first}:{letter}{last})", styles.total_number, value
        )
    sheet.write_blank(row + 1, 5, None, styles.total)


def _counts(follow: FollowUp) -> str:
    """« 7 étapes, dont 3 en retard, pour 2 personnes »."""
    if not follow.count:
        return "Aucune étape à suivre"
    late = f", dont {follow.late} en retard" if follow.late else ""
    people = fr_count(len(follow.people), "personne", "personnes")
    return f"{fr_count(follow.count, 'étape', 'étapes')}{late}, pour {people}"


def _quote_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _person_sheet(
    sheet: Any, styles: _Styles, follow: FollowUp, person: PersonReminders, folder: Path
) -> None:
    title = f"Relances de {person.name} au {fr_date(follow.today)}"
    _print_setup(sheet, title, _scope(follow))
    sheet.set_row(0, 24)
    sheet.write_string(0, 0, title, styles.title)
    count = fr_count(len(person.reminders), "étape", "étapes")
    late = f", dont {person.late} en retard" if person.late else ""
    sheet.write_string(1, 0, f"{count}{late} — {_scope(follow)}", styles.subtitle)
    several = follow.several
    # (header, width, value, kind); kind: text, wrap, date, when, link
    columns: list[tuple[str, float, Callable[[Reminder], Any], str]] = [
        ("N° d'ordre", 13, lambda r: r.entry.order_text or "(sans n°)", "text"),
    ]
    if several:
        columns.append(("Agence", 12, lambda r: r.source.agency, "text"))
    columns += [
        ("Émetteur", 24, lambda r: r.client, "wrap"),
        ("Objet", 40, lambda r: r.subject, "wrap"),
        ("Étape", 20, lambda r: r.action.value, "text"),
        ("Échéance", 11, lambda r: r.deadline, "date"),
        ("Délai", 20, lambda r: r.when, "when"),
        ("Dans le registre", 26 if several else 14, _link_text(several), "link"),
        ("Fait le", 12, lambda r: "", "text"),  # to fill in by hand on the printed sheet
    ]
    top = 3
    for column, (header, width, _, _) in enumerate(columns):
        sheet.set_column(column, column, width)
        sheet.write_string(top, column, header, styles.th)
    sheet.set_row(top, 22)
    sheet.repeat_rows(top)
    sheet.freeze_panes(top + 1, 0)
    last = len(columns) - 1
    if not person.reminders:  # pragma: no cover - a person is listed only with a step
        return
    sheet.autofilter(top, 0, top + len(person.reminders), last)
    links = 0
    row = top
    for reminder in person.reminders:
        row += 1
        is_late = reminder.days_left < 0
        height = 1
        for column, (_, width, get, kind) in enumerate(columns):
            value = get(reminder)
            if kind == "date":
                fmt = styles.date_late if is_late else styles.date
                sheet.write_number(row, column, value.toordinal() - EXCEL_EPOCH, fmt)
            elif kind == "link":
                url = register_link(reminder, folder)
                fmt = styles.link_late if is_late else styles.link
                if url is not None and links < _MAX_LINKS:
                    links += 1
                    sheet.write_url(
                        row, column, url, fmt, value, "Ouvrir le registre à cette ligne"
                    )
                else:
                    sheet.write_string(
                        row, column, value, styles.text_late if is_late else styles.text
                    )
            elif kind == "when":
                sheet.write_string(row, column, value, styles.when_late if is_late else styles.when)
            else:
                wrap = kind == "wrap"
                fmt = (
                    (styles.wrap_late if is_late else styles.wrap)
                    if wrap
                    else (styles.text_late if is_late else styles.text)
                )
                sheet.write_string(row, column, value, fmt)
                if wrap and value:
                    height = max(height, -(-len(value) // int(width * 1.1)))
        if height > 1:  # LibreOffice does not recompute row heights of wrapped text
            sheet.set_row(row, 13.5 * min(height, 6))


def _link_text(several: bool) -> Callable[[Reminder], str]:
    if several:
        return lambda r: f"{r.source.file_name} {r.cell}"
    return lambda r: r.cell
