"""The procedure's two letters to the client, drafted from the register: which entry, whether
it can be written, and the values its template receives.

Pure: no file is touched here. ``docx_letters.py`` fills a Word template with
``Letter.context``; the command line (``cli/courrier.py``) only chooses and writes.

- ``find_entry``: the register line of an order number, however it is typed;
- ``build_letter``: refuses what cannot be written (not a complaint, no answer yet, a rejection
  without a consumer mediator in *Paramètres*…) and builds the template's values;
- ``to_acknowledge``: the open complaints still waiting for their acknowledgement, decided by
  ``procedure`` like every other command.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType

from suivi_xlsx.domain import procedure
from suivi_xlsx.domain.deadlines import Deadlines
from suivi_xlsx.domain.findings import FRENCH_MONTHS
from suivi_xlsx.domain.model import Column, Decision, Entry, Origin, Register, Settings
from suivi_xlsx.domain.numbering import OrderNumber, parse_loose_order_number, parse_order_number
from suivi_xlsx.domain.vocabulary import fold
from suivi_xlsx.errors import RefusedError

__all__ = [
    "PLACEHOLDERS",
    "SETTING_ROWS",
    "Letter",
    "LetterKind",
    "build_letter",
    "cell_of",
    "find_entry",
    "fr_long_date",
    "letter_file_name",
    "number_of",
    "postal_lines",
    "to_acknowledge",
    "town_of",
]


class LetterKind(Enum):
    """Which letter. The values are what users type after ``--type``."""

    ACKNOWLEDGEMENT = "accuse-reception"
    ANSWER = "reponse"

    @property
    def label(self) -> str:
        """The letter's name in French messages."""
        if self is LetterKind.ACKNOWLEDGEMENT:
            return "accusé de réception"
        return "réponse"


#: Values that come from the *Paramètres* sheet: placeholder → the row to fill there.
SETTING_ROWS: Mapping[str, str] = MappingProxyType(
    {
        "ecole.nom": "Nom de l'auto-école",
        "ecole.adresse": "Adresse de l'auto-école",
        "signataire": "Signataire des courriers",
        "mediateur.nom": "Médiateur : nom",
        "mediateur.adresse": "Médiateur : adresse",
        "mediateur.site": "Médiateur : site internet",
    }
)

#: Every placeholder a template can use, with what it holds (for the README and for the
#: message about an unknown placeholder in a user's template).
PLACEHOLDERS: Mapping[str, str] = MappingProxyType(
    {
        "numero": "numéro d'ordre de la réclamation (25.1601.007)",
        "client": "NOM Prénom Emetteur",
        "appel": "« Madame », « Monsieur » ou « Madame, Monsieur » selon la civilité saisie",
        "client_adresse": (
            "adresse postale du client (colonnes Adresse, Complément d'adresse, Code postal, "
            "Ville), une ligne par ligne ; vide si le registre ne la donne pas"
        ),
        "adresse_absente": "vrai quand le registre ne donne pas l'adresse du client",
        "fenetre_gauche": (
            "vrai quand Paramètres dit « Fenêtre de l'enveloppe : à gauche » (à droite par défaut)"
        ),
        "date_reception": "Date de la réclamation, en toutes lettres (5 mars 2025)",
        "objet": "Objet",
        "produit": "Produit/service visé (vide s'il n'est pas renseigné)",
        "personne_chargee": "Personne chargée du dossier (vide si non renseignée)",
        "reponse": "Réponse apportée",
        "decision": "« acceptée », « rejetée en partie » ou « rejetée »",
        "rejet": "vrai pour un rejet total ou partiel",
        "rejet_partiel": "vrai pour un rejet partiel",
        "date_reponse": "Date de réponse (pour la réponse : la date du courrier si vide)",
        "date_accuse_reception": "Date accusé de réception (pour l'accusé : date du courrier)",
        "echeance_reponse": "date limite de la réponse : réception + délai de réponse",
        "echeance_accuse": "date limite de l'accusé de réception : réception + délai d'accusé",
        "delai_accuse": "délai d'accusé de réception en toutes lettres (« 10 jours »)",
        "accuse_en_retard": "vrai quand l'accusé de réception part après son délai",
        "reponse_en_retard": (
            "vrai quand la date limite de la réponse est passée à la date du courrier : "
            "ne pas la promettre"
        ),
        "delai_reponse_mois": "délai de réponse en mois (Paramètres, 2 par défaut)",
        "date_courrier": "date du courrier : la date enregistrée de l'étape, sinon aujourd'hui",
        "date_du_jour": "date du jour (--date)",
        "lieu_date": "« Annecy, le 3 décembre 2026 » (ville de l'adresse de l'auto-école)",
        "ecole.nom": "Paramètres : Nom de l'auto-école",
        "ecole.adresse": "Paramètres : Adresse de l'auto-école",
        "ecole.ville": "ville de l'adresse de l'auto-école (vide si introuvable)",
        "signataire": "Paramètres : Signataire des courriers",
        "mediateur.nom": "Paramètres : Médiateur : nom",
        "mediateur.adresse": "Paramètres : Médiateur : adresse",
        "mediateur.site": "Paramètres : Médiateur : site internet",
    }
)

_MONTHS = FRENCH_MONTHS


def fr_long_date(value: dt.date) -> str:
    """A date in French words, as a letter writes it: ``5 mars 2025``, ``1er août 2026``.
    No locale: the result is the same on every computer."""
    day = "1er" if value.day == 1 else str(value.day)
    return f"{day} {_MONTHS[value.month - 1]} {value.year}"


# --- the school's address -------------------------------------------------------------------

_POSTCODE_TOWN = re.compile(r"\b\d{5}\s+([^\n,;]+)")
_CEDEX = re.compile(r"\s+cedex\b.*$", re.IGNORECASE)
_LOWER_WORDS = frozenset({"le", "la", "les", "de", "du", "des", "sur", "sous", "en", "lès", "et"})


def _title_town(town: str) -> str:
    """« ANNECY-LE-VIEUX » → « Annecy-le-Vieux »: postal addresses write towns in capitals."""
    if town != town.upper():
        return town
    parts = re.split(r"([\s-]+)", town.lower())
    out = [
        part if index and part in _LOWER_WORDS else part[:1].upper() + part[1:]
        for index, part in enumerate(parts)
    ]
    return "".join(out)


def town_of(address: str | None) -> str | None:
    """The town of a French postal address: the words after its last postcode
    (``12 rue du Lac, 74000 Annecy`` → ``Annecy``); ``None`` when there is no postcode."""
    if not address:
        return None
    matches = _POSTCODE_TOWN.findall(address)
    if not matches:
        return None
    town = _CEDEX.sub("", matches[-1]).strip(" .")
    return _title_town(town) if town else None


def _address_lines(address: str | None) -> str | None:
    """An address typed on one line (``12 rue du Lac, 74000 Annecy``) gets its postcode on a
    line of its own, as on an envelope; an address already on several lines is kept."""
    if address is None or "\n" in address:
        return address
    return re.sub(r",\s*(?=\d{5}\b)", "\n", address)


def postal_lines(entry: Entry) -> tuple[str, ...]:
    """The client's postal address as an envelope shows it, from the register's address
    columns (one, or street, complement, postcode and town apart): one line per line typed,
    the postcode and town together on the last line in capitals (La Poste's usage); ``()``
    when the register gives none."""
    lines: list[str] = []
    for value in (entry.address, entry.address_extra):
        text = _address_lines(_text(value) or None)
        if text:
            lines.extend(line.strip() for line in text.split("\n") if line.strip())
    postcode = _text(entry.postcode)
    town = " ".join(_text(entry.town).split())
    if postcode and town.startswith(postcode):
        postcode = ""  # « 74000 Annecy » typed in Ville as well as 74000 in CP
    last = " ".join(part for part in (postcode, town.upper()) if part)
    if last:
        lines.append(last)
    return tuple(lines)


# --- finding the entry ----------------------------------------------------------------------


def cell_of(entry: Entry, column: Column = Column.ORDER_NUMBER) -> str:
    """``Registre!D7``: where the user finds the entry's cell in ``column`` (or its row)."""
    index = entry.columns.get(column)
    if index is None:
        return f"{entry.sheet}, ligne {entry.row}"
    letters = ""
    number = index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return f"{entry.sheet}!{letters}{entry.row}"


def _parsed(text: str) -> OrderNumber | None:
    return parse_order_number(text) or parse_loose_order_number(text)


def number_of(entry: Entry) -> str | None:
    """The entry's order number as it should be written (``25.1601.1`` → ``25.1601.001``),
    or as typed when it is not a number at all."""
    if entry.order_number is not None:
        return str(entry.order_number)
    if entry.order_text is None:
        return None
    loose = parse_loose_order_number(entry.order_text)
    return str(loose) if loose is not None else entry.order_text


def find_entry(register: Register, number: str) -> Entry:
    """The register line whose order number is ``number``, compared as numbers when both are
    order numbers (``25.1601.7``, ``25-1601-007`` and ``25.1601.007`` are one), otherwise as
    text. Refuses an unknown number and a number on several lines."""
    wanted_text = " ".join(number.split()).casefold()
    wanted = _parsed(number)
    found: list[Entry] = []
    for entry in register.entries:
        text = entry.order_text
        if text is None:
            continue
        if " ".join(text.split()).casefold() == wanted_text:
            found.append(entry)
            continue
        if wanted is not None and (entry.order_number or _parsed(text)) == wanted:
            found.append(entry)
    if not found:
        raise RefusedError(_unknown_number_message(register, number))
    if len(found) > 1:
        where = ", ".join(cell_of(entry) for entry in found)
        raise RefusedError(
            f"le numéro d'ordre « {number.strip()} » figure sur plusieurs lignes ({where}) : "
            "corrigez les doublons dans le registre (suivi-check les signale) ou choisissez "
            "la feuille avec --feuille."
        )
    return found[0]


def _unknown_number_message(register: Register, number: str) -> str:
    name = register.path.name if register.path is not None else "le registre"
    message = f"aucune ligne ne porte le numéro d'ordre « {number.strip()} » dans « {name} »"
    known = sorted(
        {
            text
            for entry in register.entries
            if entry.origin is Origin.FS and (text := number_of(entry)) is not None
        }
    )
    close = difflib.get_close_matches(number.strip(), known, n=3, cutoff=0.6)
    if close:
        message += " (numéros proches : " + ", ".join(close) + ")"
    return message + " : vérifiez le numéro, tel qu'il est écrit dans la colonne Numéro d'ordre."


# --- the letter -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Letter:
    """One letter to write: which, for which entry, and the values of its template.

    ``context`` maps each placeholder to its value: text, booleans, and the ``ecole`` and
    ``mediateur`` groups. A *Paramètres* value that is not filled in is ``None``: the document
    module refuses a template that prints it, naming the row (``SETTING_ROWS``).
    """

    kind: LetterKind
    entry: Entry
    number: str
    date: dt.date  # the date the letter bears
    context: Mapping[str, object]
    delays: procedure.LetterDelays  # the complaint's deadlines, judged at ``date``

    @property
    def file_name(self) -> str:
        return letter_file_name(self.kind, self.number)


_UNSAFE_IN_NAMES = re.compile(r'[<>:"/\\|?*\x00-\x1f]+')


def letter_file_name(kind: LetterKind, number: str) -> str:
    """``courrier-accuse-reception-25.1601.007.docx``, safe as a Windows file name."""
    safe = _UNSAFE_IN_NAMES.sub("-", number).strip(" .-") or "sans-numero"
    return f"courrier-{kind.value}-{safe}.docx"


_XML_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def _text(value: str | None) -> str:
    """A cell's text as the letter shows it: Windows line ends made plain line breaks,
    characters that Word cannot hold dropped, blanks at both ends trimmed."""
    if value is None:
        return ""
    plain = value.replace("\r\n", "\n").replace("\r", "\n")
    return _XML_UNSAFE.sub("", plain).strip()


def _setting(value: str | None) -> str | None:
    text = _text(value)
    return text or None


_MADAME = frozenset({"mme", "madame", "mlle", "melle", "mademoiselle", "mmes"})
_MONSIEUR = frozenset({"m", "mr", "monsieur"})


def _salutation(client: str) -> str:
    """« Madame » or « Monsieur » when the name starts with a civility, else both."""
    words = re.split(r"[\s.]+", fold(client))
    if words and words[0] in _MADAME:
        return "Madame"
    if words and words[0] in _MONSIEUR:
        return "Monsieur"
    return "Madame, Monsieur"


_DECISION_WORDS: Mapping[Decision, str] = MappingProxyType(
    {
        Decision.ACCEPTED: "acceptée",
        Decision.PARTIAL_REJECTION: "rejetée en partie",
        Decision.TOTAL_REJECTION: "rejetée",
    }
)


def _refuse_unless_complaint(entry: Entry, number: str) -> None:
    if entry.origin is Origin.FS:
        return
    if entry.origin is None:
        what = "n'a pas d'origine lisible"
    else:
        names = {Origin.QS: "questionnaire de satisfaction", Origin.PA: "décision d'amélioration"}
        what = f"est une entrée {entry.origin.value} ({names[entry.origin]})"
    raise RefusedError(
        f"la ligne du numéro {number} ({cell_of(entry, Column.ORIGIN)}) {what}, pas une "
        "réclamation (FS) : les courriers ne concernent que les réclamations."
    )


def _required(entry: Entry, number: str, value: object, column: Column, what: str) -> None:
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RefusedError(
            f"la réclamation n° {number} n'a pas {what} lisible ({cell_of(entry, column)}) : "
            "complétez le registre puis relancez la commande."
        )


def build_letter(register: Register, entry: Entry, kind: LetterKind, today: dt.date) -> Letter:
    """The letter ``kind`` for ``entry``, or ``RefusedError`` with the reason and the fix:
    not a complaint, no order number, date, client or object; for the answer, no *Réponse
    apportée* or no readable *Décision*, and a rejection while the consumer mediator is
    missing from *Paramètres*."""
    number = number_of(entry)
    if number is None:
        raise RefusedError(
            f"la réclamation de la ligne {entry.row} ({entry.sheet}) n'a pas de numéro d'ordre :"
            " numérotez le registre (suivi update) puis relancez la commande."
        )
    _refuse_unless_complaint(entry, number)
    _required(entry, number, entry.received_on, Column.DATE, "de date de réception")
    _required(entry, number, entry.issuer, Column.ISSUER, "de nom de client")
    _required(entry, number, entry.subject, Column.SUBJECT, "d'objet")
    received = entry.received_on
    assert received is not None  # checked just above
    settings = register.settings
    deadlines = Deadlines.from_settings(settings)
    if kind is LetterKind.ANSWER:
        _check_answer(entry, number, settings)
        date = entry.answered_on or today
    else:
        date = entry.acknowledged_on or today
    decision = entry.decision
    rejection = decision is not None and decision.is_rejection
    client = _text(entry.issuer)
    school_address = _setting(settings.school_address)
    town = town_of(school_address)
    long_date = fr_long_date(date)
    answered = entry.answered_on
    acknowledged = entry.acknowledged_on
    # Judged at the letter's own date: a letter never promises a date already past.
    delays = procedure.letter_delays(received, deadlines, date)
    working = " ouvrables" if deadlines.working_days else ""
    address = postal_lines(entry)
    context: dict[str, object] = {
        "numero": number,
        "client": client,
        "appel": _salutation(client),
        "date_reception": fr_long_date(received),
        "objet": _text(entry.subject),
        "produit": _text(entry.product),
        "personne_chargee": _text(entry.owner),
        "reponse": _text(entry.answer),
        "decision": _DECISION_WORDS[decision] if decision is not None else "",
        "rejet": rejection,
        "rejet_partiel": decision is Decision.PARTIAL_REJECTION,
        "date_reponse": fr_long_date(answered)
        if answered is not None
        else (long_date if kind is LetterKind.ANSWER else ""),
        "date_accuse_reception": fr_long_date(acknowledged)
        if acknowledged is not None
        else (long_date if kind is LetterKind.ACKNOWLEDGEMENT else ""),
        "client_adresse": "\n".join(address),
        "adresse_absente": not address,
        "fenetre_gauche": settings.window_left,
        "echeance_reponse": fr_long_date(delays.answer_deadline),
        "echeance_accuse": fr_long_date(delays.ack_deadline),
        "delai_accuse": f"{deadlines.ack_days} jours{working}",
        "accuse_en_retard": delays.ack_late,
        "reponse_en_retard": delays.answer_late,
        "delai_reponse_mois": settings.answer_months,
        "date_courrier": long_date,
        "date_du_jour": fr_long_date(today),
        "lieu_date": f"{town}, le {long_date}" if town else f"Le {long_date}",
        "ecole": {
            "nom": _setting(settings.school_name),
            "adresse": _address_lines(school_address),
            "ville": town or "",
        },
        "signataire": _setting(settings.signatory),
        "mediateur": {
            "nom": _setting(settings.mediator_name),
            "adresse": _address_lines(_setting(settings.mediator_address)),
            "site": _setting(settings.mediator_website),
        },
    }
    return Letter(kind, entry, number, date, MappingProxyType(context), delays)


def _check_answer(entry: Entry, number: str, settings: Settings) -> None:
    """The answer letter needs the answer's text, its decision and, on a rejection, the
    consumer mediator (the means of redress are mandatory)."""
    if Column.ANSWER not in entry.columns:
        raise RefusedError(
            f"la feuille « {entry.sheet} » n'a pas de colonne « Réponse apportée » : ajoutez-la "
            f"au registre, saisissez la réponse de la réclamation n° {number}, puis relancez."
        )
    if not _text(entry.answer):
        raise RefusedError(
            f"la réclamation n° {number} n'a pas de réponse saisie : remplissez la colonne "
            f"« Réponse apportée » ({cell_of(entry, Column.ANSWER)}) puis relancez la commande."
        )
    if entry.decision is None:
        raise RefusedError(
            f"la décision de la réclamation n° {number} n'est pas renseignée "
            f"({cell_of(entry, Column.DECISION)}) : indiquez acceptée, rejet partiel ou rejet "
            "total, pour que la réponse donne les voies de recours en cas de rejet."
        )
    if entry.decision.is_rejection:
        missing = [
            SETTING_ROWS[key]
            for key, value in (
                ("mediateur.nom", settings.mediator_name),
                ("mediateur.adresse", settings.mediator_address),
                ("mediateur.site", settings.mediator_website),
            )
            if _setting(value) is None
        ]
        if missing:
            rows = ", ".join(f"« {row} »" for row in missing)
            raise RefusedError(
                f"la réclamation n° {number} est rejetée ({entry.decision.value}) : la réponse "
                "doit indiquer le médiateur de la consommation, que le client peut saisir "
                "gratuitement. Remplissez dans la feuille Paramètres du registre : "
                f"{rows}, puis relancez. Aucun courrier n'a été écrit."
            )


# --- the acknowledgements to send -----------------------------------------------------------


def to_acknowledge(register: Register, today: dt.date) -> Sequence[Entry]:
    """The complaints received by ``today``, still open, whose acknowledgement is not done:
    neither an acknowledgement date nor an answer (``procedure.acknowledgement``). Sheets that
    record neither acknowledgements nor answers are not considered: nothing says what was
    sent."""
    deadlines = Deadlines.from_settings(register.settings)
    pending: list[Entry] = []
    for entry in register.entries:
        received = entry.received_on
        if received is None or received > today:
            continue
        step = procedure.acknowledgement(entry, deadlines, today)
        if step is None or step.done or not procedure.is_open_at(entry, today):
            continue
        pending.append(entry)
    return tuple(pending)
