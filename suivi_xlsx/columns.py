"""Header recognition: which column of the tracking sheet each header cell is, and where the
header row is.

Pure: works on cell values already read. People word their headers in many ways (the seed's long
headers, short forms, capitals, no accents, line breaks inside a cell), so a header is first
normalised (``normalize``), then matched by keywords, most specific first: « Date de clôture »
is not the Date column, nor is « Date d'échéance » or « Date accusé de réception ».
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from .model import SEED_COLUMNS, Column

#: How many rows at the top of a sheet may hold title rows before the header.
HEADER_SEARCH_ROWS = 30

#: A register's header has the Date column and at least this many other seed columns.
MIN_OTHER_SEED_COLUMNS = 2

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "′": "'"})
# "n°", "nº", "n °" before accents are stripped: NFKD turns "º" into a plain "o".
_NUMERO_SIGN_RE = re.compile(r"\bn\s*[°º]", re.IGNORECASE)
_NON_WORD_RE = re.compile(r"[^a-z0-9]+")
_PARENTHESES_RE = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# Abbreviations of « numéro », as whole words once punctuation is gone.
_NUMERO_WORDS = frozenset({"n", "no", "num", "numero", "nr", "nro"})


def normalize(text: str) -> str:
    """Lower case, no accents, apostrophes and punctuation as spaces, « n° » as ``numero``.

    ``normalize("N° d’ORDRE\\n(aa.agence.nnn)") == "numero d ordre aa agence nnn"``.
    """
    text = _NUMERO_SIGN_RE.sub(" numero ", text.translate(_APOSTROPHES))
    decomposed = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    words = _NON_WORD_RE.sub(" ", plain).split()
    return " ".join("numero" if word in _NUMERO_WORDS else word for word in words)


def _has(words: Sequence[str], *prefixes: str) -> bool:
    return any(word.startswith(prefixes) for word in words)


# Words that may follow « Date » in the header of the Date column (date of receipt).
_DATE_WORDS = frozenset(
    {
        "date",
        "de",
        "d",
        "la",
        "l",
        "le",
        "du",
        "reception",
        "recu",
        "recue",
        "reclamation",
        "demande",
        "fiche",
        "saisie",
        "entree",
        "arrivee",
        "signalement",
        "evenement",
        "depot",
        "ouverture",
        "creation",
        "enregistrement",
        "plainte",
    }
)
_PHONE_WORDS = frozenset({"telephone", "tel", "portable", "mobile", "siret", "agence", "permis"})


def _match(words: Sequence[str]) -> Column | None:
    """The column a normalised header names, most specific keyword first."""
    if not words:
        return None
    first = words[0]
    wordset = set(words)
    if first == "suivi" or _has(words, "comment", "historique"):
        return Column.FOLLOW_UP
    if _has(words, "justif", "preuve", "piece"):
        return Column.EVIDENCE
    if _has(words, "clotur", "clos", "fermeture"):
        return Column.CLOSED_ON
    if _has(words, "echeance") or ("date" in wordset and "limite" in wordset):
        return Column.DUE_DATE
    if _has(words, "accuse") or "ar" in wordset:
        return Column.ACK_DATE
    if _has(words, "dysfonction", "manquement"):
        return Column.DYSFUNCTIONS
    if _has(words, "action") and _has(words, "correct"):
        return Column.CORRECTIVE_ACTIONS
    if _has(words, "recours"):
        return Column.REDRESS
    if _has(words, "decision"):
        return Column.DECISION
    if _has(words, "reponse", "repondu"):
        return Column.ANSWER_DATE if "date" in wordset or _has(words, "repondu") else Column.ANSWER
    if _has(words, "intervenant"):
        return Column.PARTIES
    if _has(words, "personne") and _has(words, "vise", "concern"):
        return Column.PERSONS
    if _has(words, "charge", "responsable", "pilote", "referent"):
        return Column.OWNER
    if _has(words, "produit", "service", "contrat", "prestation"):
        return Column.PRODUCT
    if _has(words, "origine") or len(wordset & {"fs", "qs", "pa"}) >= 2:
        return Column.ORIGIN
    if "ordre" in wordset or (first == "numero" and not wordset & _PHONE_WORDS):
        return Column.ORDER_NUMBER
    if first in ("ref", "reference"):
        return Column.ORDER_NUMBER
    if _has(words, "objet", "motif", "sujet"):
        return Column.SUBJECT
    if _has(words, "emetteur", "client", "reclamant", "demandeur", "eleve", "prenom") or (
        first == "nom"
    ):
        return Column.ISSUER
    if first in ("annee", "exercice", "an"):
        return Column.YEAR
    if wordset & {"date", "reception", "recu", "recue"} and wordset <= _DATE_WORDS:
        return Column.DATE
    return None


@lru_cache(maxsize=4096)
def recognize(header: str) -> Column | None:
    """The column a header cell names, or ``None`` for a column of the person's own.

    Text in parentheses is an explanation (the seed's « Origine (Mettre "FS" pour …) »): the
    words before it decide, unless the whole header is in parentheses.
    """
    main = normalize(_PARENTHESES_RE.sub(" ", header))
    column = _match(main.split())
    if column is None:  # « Type (FS/QS/PA) »: the explanation is all there is to go on
        column = _match(normalize(header).split())
    return column


@dataclass(frozen=True, slots=True)
class HeaderMatch:
    """The header row found in a sheet's first rows."""

    index: int  # position of the header row among the rows given (0 = first)
    columns: Mapping[Column, int]  # recognised column → position in the row
    headers: Mapping[int, str]  # every non-empty header cell: position → text as typed

    @property
    def is_register(self) -> bool:
        """Date and at least two more of the seed's columns: the sheet is a register."""
        if Column.DATE not in self.columns:
            return False
        seed = sum(1 for column in SEED_COLUMNS if column in self.columns)
        return seed - 1 >= MIN_OTHER_SEED_COLUMNS


def match_header(cells: Sequence[object]) -> tuple[dict[Column, int], dict[int, str]]:
    """Recognise one row taken as a header: column → position (leftmost wins) and the texts."""
    columns: dict[Column, int] = {}
    headers: dict[int, str] = {}
    for position, value in enumerate(cells):
        if value is None or value == "":
            continue
        if isinstance(value, str):
            if not value.strip():
                continue
            headers[position] = value
            column = recognize(value)
            if column is not None and column not in columns:
                columns[column] = position
        else:
            headers[position] = str(value)
    return columns, headers


def find_header(
    rows: Iterable[Sequence[object]], *, limit: int = HEADER_SEARCH_ROWS
) -> HeaderMatch | None:
    """The first row among the first ``limit`` whose columns make a register; failing that,
    the row that recognises the most columns (the first on a tie), for messages; ``None`` when
    no row names any column. Rows below a register's header are data: they are not looked at
    (names and comments would only cost time to recognise)."""
    best: HeaderMatch | None = None
    for index, cells in enumerate(rows):
        if index >= limit:
            break
        columns, headers = match_header(cells)
        if columns and (best is None or len(columns) > len(best.columns)):
            best = HeaderMatch(index, MappingProxyType(columns), MappingProxyType(headers))
            if best.is_register:
                break
    return best


def missing_columns(columns: Iterable[Column]) -> tuple[Column, ...]:
    """The seed's columns absent from a sheet, in the seed's order."""
    present = set(columns)
    return tuple(column for column in SEED_COLUMNS if column not in present)
