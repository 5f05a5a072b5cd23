"""The update planner: what ``suivi update`` will write, computed from the register alone.

Pure: no file is read or written here. ``plan_update`` returns an ``UpdatePlan`` (cell edits,
highlight rules, skipped entries); ``xlsx.write.apply_update`` writes exactly that plan and
``describe_plan`` renders it in French for the report and ``--dry-run``.

What the plan fills, and only in empty cells that hold no formula (nothing a person typed is
ever overwritten, even when it cannot be read):

- the order number ``aa.agence.nnn`` of every entry without one, continuing each (year, agency)
  series after the highest number used anywhere in the register (the numbering rule the
  check's ``numero-sequence`` shares: a late registration gets the next number);
- the *Année* column, with the year of the Date;
- the *Date d'échéance* of a complaint (FS): its answer deadline (``procedure``), the very date
  the check and the summary use.

With ``convert_dates`` only, it also replaces the dates typed as text in the date columns by
real dates, so that the highlighting sees them; words (« en cours ») are never touched.

An entry without a readable Date cannot be numbered or completed: it is listed in ``skipped``
and left as it is.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from operator import attrgetter

from suivi_xlsx.domain.a1 import cell_ref
from suivi_xlsx.domain.deadlines import Deadlines, public_holidays
from suivi_xlsx.domain.findings import fr_count, fr_date
from suivi_xlsx.domain.model import (
    DATE_COLUMNS,
    LABELS,
    Column,
    Entry,
    Origin,
    Register,
    RegisterSheet,
)
from suivi_xlsx.domain.numbering import (
    OrderNumber,
    format_order_number,
    highest_sequences,
    is_valid_agency,
    year2_of,
)
from suivi_xlsx.domain.plan import (
    CellEdit,
    Highlight,
    LeftAlone,
    Skipped,
    Uncoloured,
    UpdatePlan,
)
from suivi_xlsx.domain.procedure import complaint_due_date, is_late, is_open_at, is_overdue
from suivi_xlsx.domain.values import FIELDS
from suivi_xlsx.domain.vocabulary import date_word
from suivi_xlsx.errors import NoRegisterError, RefusedError

__all__ = [
    "HIGHLIGHT_MARGIN",
    "HighlightCounts",
    "UpdatePlan",
    "describe_highlights",
    "describe_plan",
    "highlight_counts",
    "plan_update",
    "resolve_agency",
    "sheet_ref",
]

#: Rows covered by the highlight rules below the last row in use, so that entries typed later
#: are coloured too without running the tool again.
HIGHLIGHT_MARGIN = 1000
MAX_ROW = 1_048_576  # the last row of an .xlsx sheet


@dataclass(frozen=True, slots=True)
class _Needs:
    """What one entry is missing that the update can fill."""

    number: bool
    year: bool
    due: bool


_ORDER, _YEAR, _DUE, _FS = Column.ORDER_NUMBER, Column.YEAR, Column.DUE_DATE, Origin.FS


def _needs(
    entry: Entry, columns: Mapping[Column, int], formulas: Collection[tuple[int, int]]
) -> _Needs | None:
    """What ``entry`` lacks among the columns its sheet has, ``None`` when nothing. A cell
    holding a formula is never empty, even when it shows nothing. Cheap tests first: this
    runs on every row of the register (``invalid`` is nearly always empty)."""
    invalid = entry.invalid
    number = not entry.order_text and _ORDER in columns and not (invalid and _ORDER in invalid)
    year = entry.year is None and _YEAR in columns and not (invalid and _YEAR in invalid)
    due = (
        entry.due_on is None
        and entry.origin is _FS
        and _DUE in columns
        and not (invalid and _DUE in invalid)
    )
    if formulas and (number or year or due):
        row = entry.row
        number = number and (row, columns[Column.ORDER_NUMBER]) not in formulas
        year = year and (row, columns[Column.YEAR]) not in formulas
        due = due and (row, columns[Column.DUE_DATE]) not in formulas
    return _Needs(number, year, due) if number or year or due else None


def resolve_agency(register: Register, agency: str | None) -> str:
    """The agency number for new order numbers: ``agency`` (``--agence``), else the parameters
    sheet, else the agency most existing valid numbers use.

    Raises ``RefusedError`` (exit 1) when the number given is not digits, or when none can be
    decided. A tie between agencies used equally often is refused too, rather than guessed:
    a wrong guess would be written into the register for good.
    """
    if agency is not None:
        given = agency.strip()
        if not is_valid_agency(given):
            raise RefusedError(
                f"numéro d'agence « {agency} » invalide : indiquez uniquement des chiffres, "
                "par exemple --agence 1601."
            )
        return given
    settings_agency = register.settings.agency
    if settings_agency is not None and settings_agency.strip():
        from_sheet = settings_agency.strip()
        if not is_valid_agency(from_sheet):
            raise RefusedError(
                f"le numéro d'agence « {settings_agency} » de la feuille de paramètres est "
                "invalide : corrigez-le (uniquement des chiffres) ou indiquez --agence 1601."
            )
        return from_sheet
    counts = Counter(
        entry.order_number.agency for entry in register.entries if entry.order_number is not None
    )
    if not counts:
        raise RefusedError(
            "impossible de savoir quel numéro d'agence utiliser pour les nouveaux numéros "
            "d'ordre : indiquez-le avec --agence (par exemple --agence 1601) ou dans la "
            "feuille de paramètres."
        )
    ranked = counts.most_common()
    best, best_count = ranked[0]
    tied = sorted(name for name, count in ranked if count == best_count)
    if len(tied) > 1:
        raise RefusedError(
            "les numéros d'ordre existants se répartissent à égalité entre les agences "
            f"{' et '.join([', '.join(tied[:-1]), tied[-1]])} : indiquez l'agence des nouveaux "
            f"numéros avec --agence (par exemple --agence {tied[0]})."
        )
    return best


def _skip_reason(entry: Entry, needs: _Needs) -> str:
    missing = []
    if needs.number:
        missing.append("le numéro d'ordre")
    if needs.year:
        missing.append("l'année")
    if needs.due:
        missing.append("la date d'échéance")
    what = missing[0] if len(missing) == 1 else ", ".join(missing[:-1]) + " et " + missing[-1]
    raw = entry.invalid.get(Column.DATE)
    if raw is not None:
        why = f"la Date « {raw} » n'est pas lisible"
    elif not entry.has_column(Column.DATE):
        why = "la feuille n'a pas de colonne Date"
    else:
        why = "la Date est vide"
    return f"{why} : impossible de compléter {what} ; corrigez la Date puis relancez."


def _highlight(
    sheet: RegisterSheet, soon_days: int, deadlines: Deadlines, today: dt.date
) -> Highlight | None:
    due = sheet.columns.get(Column.DUE_DATE)
    closed = sheet.columns.get(Column.CLOSED_ON)
    if due is None or closed is None:
        return None
    spanned = list(sheet.headers) or list(sheet.columns.values())
    # A late acknowledgement or answer colours the row too (``procedure.is_late``); counted
    # in working days, the formula carries the public holidays it needs.
    received = sheet.columns.get(Column.DATE)
    return Highlight(
        sheet=sheet.name,
        first_row=sheet.header_row + 1,
        last_row=min(max(sheet.last_row, sheet.header_row) + HIGHLIGHT_MARGIN, MAX_ROW),
        first_column=min(spanned),
        last_column=max(spanned),
        due_column=due,
        closed_column=closed,
        soon_days=soon_days,
        received_column=received,
        ack_column=sheet.columns.get(Column.ACK_DATE),
        answer_column=sheet.columns.get(Column.ANSWER_DATE),
        ack_days=deadlines.ack_days,
        answer_months=deadlines.answer_months,
        working_days=deadlines.working_days,
        holidays=_formula_holidays(sheet, deadlines, today) if deadlines.working_days else (),
    )


# A formula that stays true on the days after the update: the holidays of the years ahead too,
# for the rows typed later.
_YEARS_AHEAD = 2


def _formula_holidays(
    sheet: RegisterSheet, deadlines: Deadlines, today: dt.date
) -> tuple[dt.date, ...]:
    """The public holidays the red rule needs: those of every year an open entry's deadlines
    may fall in (its receipt year and the next), and of this year and the next ones."""
    years = set(range(today.year - 1, today.year + _YEARS_AHEAD + 1))
    for entry in sheet.entries:
        received = entry.received_on
        if received is not None and is_open_at(entry, today):
            years |= {received.year, received.year + 1}
    days: set[dt.date] = set()
    for year in years:
        days |= public_holidays(year, deadlines.alsace_moselle)
    return tuple(sorted(days))


def plan_update(
    register: Register,
    *,
    today: dt.date,
    agency: str | None = None,
    soon_days: int = 7,
    sheets: Iterable[str] | None = None,
    formulas: Mapping[str, Collection[tuple[int, int]]] | None = None,
    convert_dates: bool = False,
    fix_spellings: bool = False,
) -> UpdatePlan:
    """Every change ``suivi update`` makes to ``register``, as an ``UpdatePlan``.

    ``agency`` is ``--agence``; it wins over the parameters sheet and the agency most existing
    numbers use (see ``resolve_agency``; only asked for when some entry needs a number).
    ``sheets`` restricts the edits and highlights to those sheets (``--sheet``), while the
    numbering still continues after numbers used on every sheet. ``soon_days`` is the
    "due soon" window of the orange highlight. ``formulas`` gives, per sheet, the cells
    (Excel row, 0-based column) that hold a formula: never written, even when their cached
    value is empty. ``convert_dates`` (``--convertir-dates``) turns dates typed as text in the
    date columns into real dates; without it, the late rows that the highlighting cannot colour
    for that reason are listed in ``uncoloured``. ``today`` is the reference date for that list;
    the highlight rules compare with the workbook's own ``TODAY()``. ``fix_spellings``
    (``--corriger-ecritures``) writes the origins and order numbers read from another spelling
    (« récla », « 1601/25/8 ») as their code and number (FS, 25.1601.008).

    Raises ``RefusedError`` (exit 1) when an agency number is needed and none can be decided,
    or when the one given is invalid; ``NoRegisterError`` when ``sheets`` names a sheet that is
    not one of the register's.
    """
    if soon_days < 0:
        raise ValueError(f"soon_days must be >= 0, not {soon_days}")
    wanted = None if sheets is None else set(sheets)
    order = {sheet.name: index for index, sheet in enumerate(register.sheets)}
    unknown = sorted(wanted - order.keys()) if wanted is not None else []
    if unknown:
        raise NoRegisterError(
            f"la feuille « {unknown[0]} » n'est pas une feuille de registre de ce classeur "
            f"(feuilles de registre : {', '.join(order)})."
        )
    targets = [s for s in register.sheets if wanted is None or s.name in wanted]
    deadlines = Deadlines.from_settings(register.settings)
    no_formulas: frozenset[tuple[int, int]] = frozenset()

    edits: list[CellEdit] = []
    skipped: list[Skipped] = []
    uncoloured: list[Uncoloured] = []
    to_number: list[Entry] = []
    year_field, due_field = Column.YEAR, Column.DUE_DATE
    left_alone: list[LeftAlone] = []
    for sheet in targets:
        protected = formulas.get(sheet.name, no_formulas) if formulas else no_formulas
        name, year_column = sheet.name, sheet.columns.get(year_field)
        due_column = sheet.columns.get(due_field)
        for entry in sheet.entries:
            if entry.invalid or (entry.order_number is None and entry.order_text is not None):
                left_alone.extend(_left_alone(entry))
            if entry.lenient:
                if convert_dates:
                    edits.extend(_date_conversions(entry, protected))
                else:
                    uncoloured.extend(_uncoloured(entry, today))
                if fix_spellings:
                    edits.extend(_spelling_fixes(entry, protected))
            needs = _needs(entry, sheet.columns, protected)
            if needs is None:
                continue
            received = entry.received_on
            if received is None:
                skipped.append(Skipped(name, entry.row, _skip_reason(entry, needs)))
                continue
            if needs.number:
                to_number.append(entry)
            if needs.year:
                assert year_column is not None
                edits.append(CellEdit(name, entry.row, year_column, received.year, year_field))
            if needs.due:
                assert due_column is not None
                due = complaint_due_date(received, deadlines)
                edits.append(CellEdit(name, entry.row, due_column, due, due_field))

    # Validate --agence even when nothing needs a number: a typo should not pass silently.
    used_agency: str | None = None
    if to_number or agency is not None:
        used_agency = resolve_agency(register, agency)
    if to_number:
        assert used_agency is not None
        edits.extend(_numbers(register, to_number, used_agency, order))

    edits.sort(key=attrgetter("row", "column"))  # in C: a plan may hold 200,000 edits
    if len(targets) > 1:
        edits.sort(key=lambda e: order[e.sheet])  # stable: rows stay in order per sheet
    highlights = tuple(
        h for h in (_highlight(s, soon_days, deadlines, today) for s in targets) if h is not None
    )
    if not highlights:
        uncoloured.clear()  # nothing is coloured on such a sheet anyway
    return UpdatePlan(
        path=register.path,
        edits=tuple(edits),
        highlights=highlights,
        skipped=tuple(sorted(skipped, key=lambda s: (order[s.sheet], s.row))),
        agency=used_agency if to_number else None,
        uncoloured=tuple(uncoloured),
        left_alone=tuple(left_alone),
    )


#: Why a cell of each kind is left alone, as the update's summary says it.
_UNREADABLE = {
    **dict.fromkeys(DATE_COLUMNS, "date illisible"),
    Column.YEAR: "année illisible",
    Column.ORIGIN: "origine illisible",
    Column.DECISION: "décision illisible",
    Column.ORDER_NUMBER: "numéro d'ordre illisible",
}


def _left_alone(entry: Entry) -> Iterator[LeftAlone]:
    """The cells of ``entry`` that could not be read: the update writes nothing there (a word
    saying the step is not done yet, « en cours », is read, not left alone)."""
    cells: list[tuple[Column, object]] = [
        (column, raw)
        for column, raw in entry.invalid.items()
        if column in _UNREADABLE and not (column in DATE_COLUMNS and date_word(raw) is not None)
    ]
    if entry.order_number is None and entry.order_text is not None:
        cells.append((Column.ORDER_NUMBER, entry.order_text))
    for column, raw in sorted(cells, key=lambda item: entry.columns[item[0]]):
        cell = cell_ref(entry.row, entry.columns[column])
        text = raw if isinstance(raw, str) else str(raw)
        yield LeftAlone(entry.sheet, entry.row, cell, text, _UNREADABLE[column])


# The date columns ``--convertir-dates`` converts, in reading order.
_CONVERTIBLE = (
    Column.DATE,
    Column.DUE_DATE,
    Column.CLOSED_ON,
    Column.ACK_DATE,
    Column.ANSWER_DATE,
)


def _date_conversions(entry: Entry, protected: Collection[tuple[int, int]]) -> Iterator[CellEdit]:
    """The dates typed as text in ``entry``'s date columns, as real dates (the reader read
    them unambiguously: jj/mm/aaaa and the other French forms)."""
    for column in _CONVERTIBLE:
        raw = entry.lenient.get(column)
        if not isinstance(raw, str):
            continue
        value = getattr(entry, FIELDS[column])
        index = entry.columns[column]
        if isinstance(value, dt.date) and (entry.row, index) not in protected:
            yield CellEdit(entry.sheet, entry.row, index, value, column, replaces=raw)


def _spelling_fixes(entry: Entry, protected: Collection[tuple[int, int]]) -> Iterator[CellEdit]:
    """The origin and order number read from another spelling, written as they should be (the
    same readings every command makes: ``origine-a-corriger``, ``numero-a-corriger``)."""
    origin, number = entry.lenient.get(Column.ORIGIN), entry.lenient.get(Column.ORDER_NUMBER)
    fixes: list[tuple[Column, object, str | None]] = [
        (Column.ORIGIN, origin, entry.origin.value if entry.origin is not None else None),
        (
            Column.ORDER_NUMBER,
            number,
            str(entry.order_number) if entry.order_number is not None else None,
        ),
    ]
    for column, raw, value in fixes:
        if not isinstance(raw, str) or value is None or column not in entry.columns:
            continue
        index = entry.columns[column]
        if (entry.row, index) not in protected:
            yield CellEdit(entry.sheet, entry.row, index, value, column, replaces=raw)


def _uncoloured(entry: Entry, today: dt.date) -> Iterator[Uncoloured]:
    """A late entry whose due or closing date is typed as text: the red highlight cannot see
    it (a closing date typed as text leaves the row uncoloured only if it is not late)."""
    raw = entry.lenient.get(Column.DUE_DATE)
    if isinstance(raw, str) and is_overdue(entry, today):
        cell = cell_ref(entry.row, entry.columns[Column.DUE_DATE])
        yield Uncoloured(entry.sheet, entry.row, cell, raw)


def _used_numbers(register: Register) -> Iterator[OrderNumber]:
    """Every number used, those typed slightly wrong (``25.1601.7``) included, so that a new
    number never repeats one in its correct form."""
    for entry in register.entries:
        if entry.order_number is not None:
            yield entry.order_number


def _numbers(
    register: Register, entries: Sequence[Entry], agency: str, order: dict[str, int]
) -> list[CellEdit]:
    """New order numbers for ``entries`` (all with a Date), in Date order, ties by sheet then
    row, each series continuing after its highest number anywhere in the register."""
    highest = highest_sequences(_used_numbers(register))
    edits = []
    field = Column.ORDER_NUMBER
    for entry in sorted(entries, key=lambda e: (e.received_on, order[e.sheet], e.row)):
        assert entry.received_on is not None
        key = (year2_of(entry.received_on.year), agency)
        seq = highest.get(key, 0) + 1
        highest[key] = seq
        text = format_order_number(key[0], agency, seq)
        edits.append(CellEdit(entry.sheet, entry.row, entry.columns[field], text, field))
    return edits


@dataclass(frozen=True, slots=True)
class HighlightCounts:
    """How many rows the highlight rules colour on a given day (due dates planned included)."""

    today: dt.date
    overdue: int  # open, due date past: red
    due_soon: int  # open, due today or within soon_days: orange
    closed_late: int  # closed after the due date: yellow


def highlight_counts(register: Register, plan: UpdatePlan, today: dt.date) -> HighlightCounts:
    """What the plan's highlight rules will show on ``today``, once the plan is applied. Same
    meaning as the checks ``en-retard``, ``echeance-proche`` and ``cloture-tardive``."""
    planned = {
        (e.sheet, e.row): e.value
        for e in plan.edits
        if e.field is Column.DUE_DATE and isinstance(e.value, dt.date)
    }
    deadlines = Deadlines.from_settings(register.settings)

    def late(entry: Entry) -> bool:
        # the red rule colours a late step too, when its formula has the steps
        return not deadlines.working_days and is_late(entry, deadlines, today)

    overdue = soon = late_closed = 0
    for highlight in plan.highlights:
        for entry in register.sheet(highlight.sheet).entries:
            due = entry.due_on or planned.get((entry.sheet, entry.row))
            if entry.closed_on is not None and entry.closed_on <= today:
                late_closed += due is not None and entry.closed_on > due
            elif is_open_at(entry, today):
                if (due is not None and due < today) or late(entry):
                    overdue += 1
                elif due is not None and (due - today).days <= highlight.soon_days:
                    soon += 1
    return HighlightCounts(today, overdue, soon, late_closed)


# --- the French report -------------------------------------------------------------------

_PLAIN_SHEET = re.compile(r"^[^\W\d]\w*$")


def sheet_ref(sheet: str) -> str:
    """A sheet name as Excel writes it in a reference: quoted when it holds spaces and such."""
    if _PLAIN_SHEET.match(sheet):
        return sheet
    return "'" + sheet.replace("'", "''") + "'"


def _value_text(value: str | int | dt.date) -> str:
    return fr_date(value) if isinstance(value, dt.date) else str(value)


def describe_plan(plan: UpdatePlan) -> list[str]:
    """The plan in French, cell by cell and grouped by sheet, then the entries left as they
    are, the highlight rules and a one-line summary. Dates as ``dd/mm/yyyy``."""
    lines: list[str] = []
    by_sheet = plan.edits_by_sheet()
    for sheet, edits in by_sheet.items():
        lines.append(f"Feuille « {sheet} » :")
        prefix = sheet_ref(sheet)
        labels = {field: LABELS[field] for field in {edit.field for edit in edits}}
        for edit in edits:
            label = labels[edit.field]
            if edit.replaces is not None and edit.field in DATE_COLUMNS:
                label += f", date saisie en texte « {edit.replaces} » convertie"
            elif edit.replaces is not None:
                label += f", « {edit.replaces} » corrigé"
            lines.append(f"  {prefix}!{edit.cell} : {_value_text(edit.value)} ({label})")
    if plan.uncoloured:
        lines.append(
            "Dossiers en retard que le surlignage ne peut pas colorer (échéance saisie comme "
            "du texte) :"
        )
        for item in plan.uncoloured:
            lines.append(f"  {sheet_ref(item.sheet)}!{item.cell} : « {item.text} »")
        lines.append("  Relancez avec --convertir-dates pour changer ces textes en vraies dates.")
    if plan.left_alone:
        lines.append(
            "Cellules illisibles laissées telles quelles (suivi-check dit comment les corriger) :"
        )
        for alone in plan.left_alone:
            where = f"{sheet_ref(alone.sheet)}!{alone.cell}"
            lines.append(f"  {where} : « {alone.text} » ({alone.reason})")
    if plan.skipped:
        lines.append("Lignes laissées telles quelles :")
        for skip in plan.skipped:
            lines.append(f"  « {skip.sheet} », ligne {skip.row} : {skip.reason}")
    for highlight in plan.highlights:
        span = (
            f"{cell_ref(highlight.first_row, highlight.first_column)}:"
            f"{cell_ref(highlight.last_row, highlight.last_column)}"
        )
        lines.append(
            f"Surlignage des retards sur « {highlight.sheet} », cellules {span} (mis en place "
            "s'il manque) : rouge si en "
            f"retard, orange si l'échéance tombe dans les {highlight.soon_days} jours, jaune si "
            "clôturé après l'échéance."
        )
    lines.append(_summary(plan, len(by_sheet)))
    return lines


def describe_highlights(counts: HighlightCounts) -> str:
    """One French line: what the highlight rules colour on the reference date."""
    return (
        f"Au {fr_date(counts.today)} : "
        f"{fr_count(counts.overdue, 'dossier en retard', 'dossiers en retard')} (rouge), "
        f"{fr_count(counts.due_soon, 'échéance proche', 'échéances proches')} (orange), "
        f"{fr_count(counts.closed_late, 'dossier clôturé', 'dossiers clôturés')} après "
        "l'échéance (jaune)."
    )


def _summary(plan: UpdatePlan, sheets: int) -> str:
    if plan.edits:
        text = (
            f"{fr_count(len(plan.edits), 'cellule complétée', 'cellules complétées')} "
            f"dans {fr_count(sheets, 'feuille', 'feuilles')}"
        )
        numbers = sum(
            1 for e in plan.edits if e.field is Column.ORDER_NUMBER and e.replaces is None
        )
        converted = sum(1 for e in plan.edits if e.replaces is not None and e.field in DATE_COLUMNS)
        fixed = sum(1 for e in plan.edits if e.replaces is not None and e.field not in DATE_COLUMNS)
        details = []
        if numbers:
            details.append(
                f"{fr_count(numbers, 'numéro', 'numéros')} d'ordre (agence {plan.agency})"
            )
        if converted:
            details.append(f"{fr_count(converted, 'date convertie', 'dates converties')}")
        if fixed:
            details.append(f"{fr_count(fixed, 'écriture corrigée', 'écritures corrigées')}")
        if details:
            text += ", dont " + " et ".join(details)
    else:
        text = "Aucune cellule à compléter"
    if plan.skipped:
        count = len(plan.skipped)
        left = fr_count(count, "ligne laissée telle quelle", "lignes laissées telles quelles")
        text += f" ; {left}, à corriger"
    if plan.left_alone:
        count = len(plan.left_alone)
        left = fr_count(
            count,
            "cellule illisible laissée telle quelle",
            "cellules illisibles laissées telles quelles",
        )
        text += f" ; {left}"
    return text + "."
