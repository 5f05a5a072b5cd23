"""Rules about the sheet's columns and each entry's own fields."""

from __future__ import annotations

from collections.abc import Iterator

from suivi_xlsx.domain.findings import Finding, fr_date
from suivi_xlsx.domain.model import DATE_COLUMNS, LABELS, SEED_COLUMNS, Column
from suivi_xlsx.domain.procedure import is_open_at
from suivi_xlsx.domain.rules.base import Context, raw_text, rule
from suivi_xlsx.domain.values import FIELDS, YEAR_SOURCES, assumed_date
from suivi_xlsx.domain.vocabulary import DECISION_WORDINGS, date_word

# Date columns in the order a person reads them, for a stable order of findings per entry.
_DATE_COLUMNS = tuple(c for c in Column if c in DATE_COLUMNS)


@rule("colonne-manquante")
def missing_columns(ctx: Context) -> Iterator[Finding]:
    """Each of the seed's columns absent from a register sheet's header, at the header row."""
    for sheet in ctx.register.sheets:
        seen = ", ".join(f"« {' '.join(text.split())} »" for text in sheet.headers.values())
        for column in SEED_COLUMNS:
            if column not in sheet.columns:
                yield Finding.on_sheet(
                    sheet.name,
                    "colonne-manquante",
                    row=sheet.header_row,
                    colonne=LABELS[column],
                    ligne=sheet.header_row,
                    vus=f"en-têtes lus {seen}" if seen else "aucun en-tête lu",
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


@rule("date-invalide", "date-non-indiquee")
def invalid_dates(ctx: Context) -> Iterator[Finding]:
    """A date cell whose value is not a date. « en cours », « non », « - »… say the step is
    not done: no finding (the entry stays open). « clôturé », « fait », « oui »… say it is
    done without its date: ``date-non-indiquee``. Any other text: ``date-invalide``."""
    for e in ctx.entries:
        if e.invalid:
            for column in _DATE_COLUMNS:
                if column in e.invalid:
                    raw = e.invalid[column]
                    word = date_word(raw)
                    if word == "open" and column is not Column.DATE:
                        continue
                    code = "date-non-indiquee" if word == "closed" else "date-invalide"
                    yield Finding.at(e, column, code, colonne=LABELS[column], valeur=raw_text(raw))


@rule("date-texte", "date-sans-annee")
def text_dates(ctx: Context) -> Iterator[Finding]:
    """A date typed as text (``'05/03/2025``, « clos le 12/04/2025 », « 45665 »): read, but
    Excel sees no date there, so the highlighting cannot colour it; ``suivi update
    --convertir-dates`` converts it. A date typed without its year (« 3 mars ») is read in the
    year its row gives: ``date-sans-annee`` says which year and where it comes from."""
    for e in ctx.entries:
        if e.lenient:
            for column in _DATE_COLUMNS:
                if column in e.lenient:
                    raw = e.lenient[column]
                    assumed = assumed_date(e, column, raw)
                    if assumed is not None and getattr(e, FIELDS[column]) == assumed[0]:
                        yield Finding.at(
                            e,
                            column,
                            "date-sans-annee",
                            colonne=LABELS[column],
                            valeur=raw_text(raw),
                            date=fr_date(assumed[0]),
                            source=YEAR_SOURCES[assumed[1]],
                        )
                        continue
                    yield Finding.at(
                        e, column, "date-texte", colonne=LABELS[column], valeur=raw_text(raw)
                    )


@rule("origine-a-corriger")
def origin_words(ctx: Context) -> Iterator[Finding]:
    """An origin written in words (« Réclamation »): checked and counted as its code, with a
    warning that suggests the code."""
    origin = Column.ORIGIN
    for e in ctx.entries:
        if e.lenient and origin in e.lenient and e.origin is not None:
            yield Finding.at(
                e,
                origin,
                "origine-a-corriger",
                valeur=raw_text(e.lenient[origin]),
                origine=e.origin.value,
            )


@rule("decision-invalide")
def invalid_decision(ctx: Context) -> Iterator[Finding]:
    """A Décision that is none of the accepted wordings (« En attente », « ? »)."""
    decision = Column.DECISION
    for e in ctx.entries:
        if e.invalid and decision in e.invalid:
            yield Finding.at(
                e,
                decision,
                "decision-invalide",
                valeur=raw_text(e.invalid[decision]),
                formulations=DECISION_WORDINGS,
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


# Dates of what has already happened; a due or closing date may be typed ahead.
_PAST_EVENTS = (Column.DATE, Column.ACK_DATE, Column.ANSWER_DATE)


@rule("date-future")
def future_dates(ctx: Context) -> Iterator[Finding]:
    """A receipt, acknowledgement or answer dated after the reference date: not yet happened,
    so most often a typo in the year (2052 for 2025)."""
    today = ctx.today
    for e in ctx.entries:
        received, ack, answer = e.received_on, e.acknowledged_on, e.answered_on
        # cheap test first: nearly every entry is in the past
        if not (
            (received is not None and received > today)
            or (ack is not None and ack > today)
            or (answer is not None and answer > today)
        ):
            continue
        for column, day in zip(_PAST_EVENTS, (received, ack, answer), strict=True):
            if day is not None and day > today:
                yield Finding.at(
                    e,
                    column,
                    "date-future",
                    colonne=LABELS[column],
                    date=fr_date(day),
                    reference=fr_date(today),
                )


@rule("echeance-manquante")
def missing_due_date(ctx: Context) -> Iterator[Finding]:
    """An open entry with no Date d'échéance."""
    due, today = Column.DUE_DATE, ctx.today
    for e in ctx.entries:
        if e.due_on is None and due in e.columns and due not in e.invalid and is_open_at(e, today):
            yield Finding.at(e, due, "echeance-manquante")


@rule("responsable-manquant")
def missing_owner(ctx: Context) -> Iterator[Finding]:
    """An open entry with nobody in charge."""
    owner, today = Column.OWNER, ctx.today
    for e in ctx.entries:
        if e.owner is None and owner in e.columns and is_open_at(e, today):
            yield Finding.at(e, owner, "responsable-manquant")


@rule("suivi-manquant")
def missing_follow_up(ctx: Context) -> Iterator[Finding]:
    """A closed entry with no follow-up comment."""
    follow_up, today = Column.FOLLOW_UP, ctx.today
    for e in ctx.entries:
        if e.follow_up is None and follow_up in e.columns and not is_open_at(e, today):
            yield Finding.at(e, follow_up, "suivi-manquant")
