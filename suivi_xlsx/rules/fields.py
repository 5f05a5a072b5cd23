"""Rules about the sheet's columns and each entry's own fields."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding, fr_date
from ..model import DATE_COLUMNS, LABELS, SEED_COLUMNS, Column
from .base import Context, raw_text, rule

# Date columns in the order a person reads them, for a stable order of findings per entry.
_DATE_COLUMNS = tuple(c for c in Column if c in DATE_COLUMNS)


@rule("colonne-manquante")
def missing_columns(ctx: Context) -> Iterator[Finding]:
    """Each of the seed's columns absent from a register sheet's header, at the header row."""
    for sheet in ctx.register.sheets:
        for column in SEED_COLUMNS:
            if column not in sheet.columns:
                yield Finding.on_sheet(
                    sheet.name,
                    "colonne-manquante",
                    row=sheet.header_row,
                    colonne=LABELS[column],
                    ligne=sheet.header_row,
                )


@rule("champ-obligatoire")
def required_fields(ctx: Context) -> Iterator[Finding]:
    """Date, Émetteur, Origine, Objet empty. An unreadable value is not empty (it gets its own
    finding); a column absent from the sheet is reported once as ``colonne-manquante``."""
    code = "champ-obligatoire"
    date, issuer, origin, subject = Column.DATE, Column.ISSUER, Column.ORIGIN, Column.SUBJECT
    for e in ctx.entries:
        columns, invalid = e.columns, e.invalid
        if e.received_on is None and date in columns and date not in invalid:
            yield Finding.at(e, date, code, colonne=LABELS[date])
        if e.issuer is None and issuer in columns:
            yield Finding.at(e, issuer, code, colonne=LABELS[issuer])
        if e.origin is None and origin in columns and origin not in invalid:
            yield Finding.at(e, origin, code, colonne=LABELS[origin])
        if e.subject is None and subject in columns:
            yield Finding.at(e, subject, code, colonne=LABELS[subject])


@rule("date-invalide")
def invalid_dates(ctx: Context) -> Iterator[Finding]:
    """Any date cell whose value could not be read as a date."""
    for e in ctx.entries:
        if e.invalid:
            for column in _DATE_COLUMNS:
                if column in e.invalid:
                    yield Finding.at(
                        e,
                        column,
                        "date-invalide",
                        colonne=LABELS[column],
                        valeur=raw_text(e.invalid[column]),
                    )


@rule("origine-invalide")
def invalid_origin(ctx: Context) -> Iterator[Finding]:
    """An Origine other than FS, QS or PA (after trimming and case)."""
    origin = Column.ORIGIN
    for e in ctx.entries:
        if e.invalid and origin in e.invalid:
            yield Finding.at(e, origin, "origine-invalide", valeur=raw_text(e.invalid[origin]))


@rule("annee-incoherente")
def inconsistent_year(ctx: Context) -> Iterator[Finding]:
    """Année differs from the year of Date. An unreadable Année (``2O25``) is reported the same
    way, with the text as typed; nothing is reported while the Date itself is unknown."""
    year_column = Column.YEAR
    for e in ctx.entries:
        received = e.received_on
        if received is None:
            continue
        if e.year is not None:
            if e.year != received.year:
                yield Finding.at(
                    e, year_column, "annee-incoherente", annee=e.year, date=fr_date(received)
                )
        elif e.invalid and year_column in e.invalid:
            yield Finding.at(
                e,
                year_column,
                "annee-incoherente",
                annee=f"« {raw_text(e.invalid[year_column])} »",
                date=fr_date(received),
            )


# Dates that cannot come before the date of receipt.
_AFTER_RECEIPT = (Column.ACK_DATE, Column.ANSWER_DATE, Column.DUE_DATE, Column.CLOSED_ON)


@rule("dates-incoherentes")
def inconsistent_dates(ctx: Context) -> Iterator[Finding]:
    """Échéance or clôture (also accusé de réception, réponse) earlier than Date."""
    for e in ctx.entries:
        received = e.received_on
        if received is None:
            continue
        ack, answer, due, closed = e.acknowledged_on, e.answered_on, e.due_on, e.closed_on
        # cheap test first: most entries have nothing before their Date
        if not (
            (ack is not None and ack < received)
            or (answer is not None and answer < received)
            or (due is not None and due < received)
            or (closed is not None and closed < received)
        ):
            continue
        for column, other in zip(_AFTER_RECEIPT, (ack, answer, due, closed), strict=True):
            if other is not None and other < received:
                yield Finding.at(
                    e,
                    column,
                    "dates-incoherentes",
                    colonne=LABELS[column],
                    autre=fr_date(other),
                    date=fr_date(received),
                )


@rule("echeance-manquante")
def missing_due_date(ctx: Context) -> Iterator[Finding]:
    """An open entry with no Date d'échéance."""
    due = Column.DUE_DATE
    for e in ctx.entries:
        if e.due_on is None and e.is_open and due in e.columns and due not in e.invalid:
            yield Finding.at(e, due, "echeance-manquante")


@rule("responsable-manquant")
def missing_owner(ctx: Context) -> Iterator[Finding]:
    """An open entry with nobody in charge."""
    owner = Column.OWNER
    for e in ctx.entries:
        if e.owner is None and e.is_open and owner in e.columns:
            yield Finding.at(e, owner, "responsable-manquant")


@rule("suivi-manquant")
def missing_follow_up(ctx: Context) -> Iterator[Finding]:
    """A closed entry with no follow-up comment."""
    follow_up = Column.FOLLOW_UP
    for e in ctx.entries:
        if e.follow_up is None and not e.is_open and follow_up in e.columns:
            yield Finding.at(e, follow_up, "suivi-manquant")
