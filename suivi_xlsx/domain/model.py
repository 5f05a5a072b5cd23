"""The register as data: columns, origins, entries, sheets and the whole register.

Pure data, no I/O. The reader (``reader.py``) builds these objects from a workbook; the rules,
the update planner and the statistics only read them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from types import MappingProxyType

from suivi_xlsx.domain.numbering import OrderNumber
from suivi_xlsx.domain.vocabulary import Decision, Origin, says_closed

__all__ = [
    "ADDRESS_COLUMNS",
    "DATE_COLUMNS",
    "HEADERS",
    "LABELS",
    "OPTIONAL_COLUMNS",
    "SEED_COLUMNS",
    "Calendar",
    "Column",
    "Decision",
    "Entry",
    "Origin",
    "Register",
    "RegisterSheet",
    "Settings",
]


class Column(Enum):
    """A column of the tracking sheet, recognised by its header (see ``columns.py``)."""

    # The seed's eleven columns, in the seed's order.
    YEAR = "year"
    DATE = "date"
    ISSUER = "issuer"
    ORDER_NUMBER = "order_number"
    ORIGIN = "origin"
    SUBJECT = "subject"
    EVIDENCE = "evidence"
    FOLLOW_UP = "follow_up"
    OWNER = "owner"
    DUE_DATE = "due_date"
    CLOSED_ON = "closed_on"
    # Optional regulatory columns of the complaints register.
    ACK_DATE = "ack_date"
    ANSWER_DATE = "answer_date"
    ANSWER = "answer"
    DECISION = "decision"
    REDRESS = "redress"
    PRODUCT = "product"
    PARTIES = "parties"
    PERSONS = "persons"
    DYSFUNCTIONS = "dysfunctions"
    CORRECTIVE_ACTIONS = "corrective_actions"
    # The client's postal address, for the letters (one column, or street, complement,
    # postcode and town apart).
    ADDRESS = "address"
    ADDRESS_EXTRA = "address_extra"
    POSTCODE = "postcode"
    TOWN = "town"


#: The client's postal address columns, in the order their lines are printed.
ADDRESS_COLUMNS: tuple[Column, ...] = (
    Column.ADDRESS,
    Column.ADDRESS_EXTRA,
    Column.POSTCODE,
    Column.TOWN,
)


#: The seed's columns, in its order. A register sheet missing one gets ``colonne-manquante``.
SEED_COLUMNS: tuple[Column, ...] = (
    Column.YEAR,
    Column.DATE,
    Column.ISSUER,
    Column.ORDER_NUMBER,
    Column.ORIGIN,
    Column.SUBJECT,
    Column.EVIDENCE,
    Column.FOLLOW_UP,
    Column.OWNER,
    Column.DUE_DATE,
    Column.CLOSED_ON,
)

#: Optional regulatory columns, in the template's order.
OPTIONAL_COLUMNS: tuple[Column, ...] = (
    Column.PRODUCT,
    Column.PARTIES,
    Column.PERSONS,
    Column.ACK_DATE,
    Column.ANSWER_DATE,
    Column.ANSWER,
    Column.DECISION,
    Column.REDRESS,
    Column.DYSFUNCTIONS,
    Column.CORRECTIVE_ACTIONS,
    *ADDRESS_COLUMNS,
)

#: Columns holding dates.
DATE_COLUMNS: frozenset[Column] = frozenset(
    {Column.DATE, Column.DUE_DATE, Column.CLOSED_ON, Column.ACK_DATE, Column.ANSWER_DATE}
)

#: The header each column gets in the template: the seed's wording for its eleven columns.
HEADERS: Mapping[Column, str] = MappingProxyType(
    {
        Column.YEAR: "Année",
        Column.DATE: "Date",
        Column.ISSUER: "NOM Prénom Emetteur",
        Column.ORDER_NUMBER: "Numéro d'ordre aa.n°agence.n° d'ordre (ex : 12.1601.001)",
        Column.ORIGIN: (
            'Origine (Mettre "FS" pour fiche signalétique si réclamation, ou "QS" pour '
            'Questionnaire de satisfaction, ou "PA" pour décision d\'amélioration)'
        ),
        Column.SUBJECT: "Objet",
        Column.EVIDENCE: "Justificatif n° (le cas échéant)",
        Column.FOLLOW_UP: "Suivi (Mettre date + commentaires du traitement)",
        Column.OWNER: "Nom de la personne chargée du dossier",
        Column.DUE_DATE: "Date d'échéance",
        Column.CLOSED_ON: "Date de clôture",
        Column.PRODUCT: "Produit/service visé",
        Column.PARTIES: "Intervenants",
        Column.PERSONS: "Personnes visées",
        Column.ACK_DATE: "Date accusé de réception",
        Column.ANSWER_DATE: "Date de réponse",
        Column.ANSWER: "Réponse apportée",
        Column.DECISION: "Décision",
        Column.REDRESS: "Voies de recours indiquées",
        Column.DYSFUNCTIONS: "Dysfonctionnements",
        Column.CORRECTIVE_ACTIONS: "Actions correctives",
        Column.ADDRESS: "Adresse du client",
        Column.ADDRESS_EXTRA: "Complément d'adresse",
        Column.POSTCODE: "Code postal",
        Column.TOWN: "Ville",
    }
)

#: Short French names of the columns, for messages (« la colonne Date d'échéance »).
LABELS: Mapping[Column, str] = MappingProxyType(
    {
        Column.YEAR: "Année",
        Column.DATE: "Date",
        Column.ISSUER: "Émetteur",
        Column.ORDER_NUMBER: "Numéro d'ordre",
        Column.ORIGIN: "Origine",
        Column.SUBJECT: "Objet",
        Column.EVIDENCE: "Justificatif",
        Column.FOLLOW_UP: "Suivi",
        Column.OWNER: "Personne chargée du dossier",
        Column.DUE_DATE: "Date d'échéance",
        Column.CLOSED_ON: "Date de clôture",
        Column.PRODUCT: "Produit/service visé",
        Column.PARTIES: "Intervenants",
        Column.PERSONS: "Personnes visées",
        Column.ACK_DATE: "Date accusé de réception",
        Column.ANSWER_DATE: "Date de réponse",
        Column.ANSWER: "Réponse apportée",
        Column.DECISION: "Décision",
        Column.REDRESS: "Voies de recours indiquées",
        Column.DYSFUNCTIONS: "Dysfonctionnements",
        Column.CORRECTIVE_ACTIONS: "Actions correctives",
        Column.ADDRESS: "Adresse du client",
        Column.ADDRESS_EXTRA: "Complément d'adresse",
        Column.POSTCODE: "Code postal",
        Column.TOWN: "Ville",
    }
)


class Calendar(Enum):
    """How the acknowledgement delay is counted."""

    CALENDAR_DAYS = "calendaires"  # the seed: 10 days from receipt
    WORKING_DAYS = "ouvrables"  # ACPR: Monday–Saturday minus French public holidays


_NO_INVALID: Mapping[Column, object] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of a register sheet (an FS, QS or PA), with its values read and typed.

    A field is ``None`` when its cell is empty, when the column is absent, or when the value could
    not be read; in that last case the raw value is in ``invalid`` under its column.
    """

    sheet: str
    row: int  # the row number as Excel shows it (1-based)
    columns: Mapping[Column, int]  # the sheet's column map (0-based index), shared by its entries
    year: int | None = None
    received_on: dt.date | None = None
    issuer: str | None = None
    order_text: str | None = None  # the order number cell as typed, trimmed
    order_number: OrderNumber | None = None  # parsed from order_text when valid
    origin: Origin | None = None
    subject: str | None = None
    evidence: str | None = None
    follow_up: str | None = None
    owner: str | None = None
    due_on: dt.date | None = None
    closed_on: dt.date | None = None
    acknowledged_on: dt.date | None = None
    answered_on: dt.date | None = None
    answer: str | None = None
    decision: Decision | None = None
    redress: str | None = None  # the means of redress given, as typed ("non" counts as none)
    product: str | None = None
    parties: str | None = None
    persons: str | None = None
    dysfunctions: str | None = None
    corrective_actions: str | None = None
    address: str | None = None  # the client's postal address (or its street line)
    address_extra: str | None = None
    postcode: str | None = None
    town: str | None = None
    invalid: Mapping[Column, object] = field(default_factory=lambda: _NO_INVALID)
    # Values read, but not as they should be typed: a date typed as text, « Réclamation » for
    # FS, ``25.1601.1`` for 25.1601.001. The raw value, for a warning that gives the fix.
    lenient: Mapping[Column, object] = field(default_factory=lambda: _NO_INVALID)

    @property
    def is_open(self) -> bool:
        """Not closed: no closing date, unless the closing cell says it is closed without
        giving the date (« clôturé », « fait »). Words such as « en cours » and any other
        unreadable text leave the entry open: a deadline is never assumed met."""
        # ``invalid`` is nearly always empty: test it first, hashing an Enum is a Python call
        if self.closed_on is not None:
            return False
        if not self.invalid:
            return True
        raw = self.invalid.get(Column.CLOSED_ON)
        return not (isinstance(raw, str) and says_closed(raw))

    @property
    def is_complaint(self) -> bool:
        return self.origin is Origin.FS

    def has_column(self, column: Column) -> bool:
        return column in self.columns


@dataclass(frozen=True, slots=True)
class RegisterSheet:
    """A sheet recognised as a register: where its header is and the entries below it."""

    name: str
    header_row: int  # Excel row number of the header
    columns: Mapping[Column, int]  # recognised columns → 0-based column index
    headers: Mapping[int, str]  # every non-empty header cell (0-based column → text as typed)
    entries: tuple[Entry, ...]
    last_row: int  # the last Excel row holding anything (header row when empty)


@dataclass(frozen=True, slots=True)
class Settings:
    """Values of the register's parameters sheet (``Paramètres``), defaults otherwise."""

    agency: str | None = None
    ack_days: int = 10
    answer_months: int = 2
    calendar: Calendar = Calendar.CALENDAR_DAYS
    alsace_moselle: bool = False  # count Good Friday and 26 December as public holidays
    # People allowed to answer complaints (« Personnes habilitées… »); empty: not checked.
    authorised: tuple[str, ...] = ()
    # « Informer le client au moins tous les (jours) »; None when the sheet does not say.
    inform_days: int | None = None
    # The school and its consumer mediator, for the letters.
    school_name: str | None = None
    school_address: str | None = None
    signatory: str | None = None
    mediator_name: str | None = None
    mediator_address: str | None = None
    mediator_website: str | None = None
    # Where the window of the school's envelopes is (« Fenêtre de l'enveloppe »): the letters
    # put the client's address there. La Poste's usual DL envelope has it on the right.
    window_left: bool = False
    # The user's own header wordings declared in the sheet: normalised header → column.
    header_aliases: Mapping[str, Column] = field(default_factory=lambda: MappingProxyType({}))

    #: Default of ``inform_days`` for the check when the sheet does not set it.
    DEFAULT_INFORM_DAYS = 30

    @property
    def inform_interval(self) -> int:
        """Days within which the client must hear news of an open complaint."""
        return self.inform_days if self.inform_days is not None else self.DEFAULT_INFORM_DAYS


@dataclass(frozen=True, slots=True)
class Register:
    """A workbook's register sheets, in workbook order, and its settings."""

    path: Path | None
    sheets: tuple[RegisterSheet, ...]
    settings: Settings = field(default_factory=Settings)

    @property
    def entries(self) -> tuple[Entry, ...]:
        """Every entry of every register sheet, in workbook then row order."""
        return tuple(entry for sheet in self.sheets for entry in sheet.entries)

    def sheet(self, name: str) -> RegisterSheet:
        for sheet in self.sheets:
            if sheet.name == name:
                return sheet
        raise KeyError(name)
