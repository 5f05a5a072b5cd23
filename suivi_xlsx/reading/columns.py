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

from suivi_xlsx.domain.model import SEED_COLUMNS, Column

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


# An e-mail or web address is not where a letter goes.
_NOT_POSTAL = frozenset({"mail", "email", "courriel", "electronique", "web", "site", "ip", "url"})
_TOWN_WORDS = frozenset({"ville", "commune", "localite"})
_EMAIL = frozenset({"mail", "email", "courriel", "mel"})


def _address(words: Sequence[str], wordset: set[str]) -> Column | None:
    """The client's postal address columns: « Adresse », « Adresse postale du client »,
    « Rue », « Complément d'adresse », « CP », « Code postal », « Ville », « CP Ville »."""
    if wordset & _NOT_POSTAL:
        return None
    if wordset & _TOWN_WORDS:
        return Column.TOWN  # « Ville », « CP / Ville »: printed as typed, after the street
    if "cp" in wordset or ("code" in wordset and _has(words, "postal")):
        return Column.POSTCODE
    if _has(words, "complement") or (words[0] == "adresse" and wordset & {"2", "suite"}):
        return Column.ADDRESS_EXTRA
    if (
        words[0] in ("adresse", "adr", "rue", "domicile")
        or ("rue" in wordset and "ordre" not in wordset)
        or (
            "adresse" in wordset
            and wordset & {"client", "postale", "eleve", "emetteur", "domicile"}
        )
    ):
        return Column.ADDRESS
    return None


def _match(words: Sequence[str]) -> Column | None:
    """The column a normalised header names, most specific keyword first."""
    if not words:
        return None
    first = words[0]
    wordset = set(words)
    if wordset & _EMAIL:  # « Adresse mail du client »: a contact column, not the issuer's
        return None
    address = _address(words, wordset)
    if address is not None:
        return address
    if first == "suivi" and len(words) > 1 and words[1] == "par":  # « Suivi par »: a person
        return Column.OWNER
    if first == "suivi" or _has(words, "comment", "historique", "observation"):
        return Column.FOLLOW_UP
    if _has(words, "justif", "preuve", "piece"):
        return Column.EVIDENCE
    if _has(words, "clotur", "clos", "clot", "fermeture", "ferme") or (
        "date" in wordset and "fin" in wordset
    ):
        return Column.CLOSED_ON
    if (
        _has(words, "echeance")
        or first in ("ech", "delai")
        or ("date" in wordset and "limite" in wordset)
    ):
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
    if _has(words, "charge", "responsable", "pilote", "referent", "gestionnaire") or first in (
        "resp",
        "traite",
    ):
        return Column.OWNER
    if _has(words, "produit", "service", "contrat", "prestation"):
        return Column.PRODUCT
    if (
        _has(words, "origine")
        or first in ("orig", "type")
        or len(wordset & {"fs", "qs", "pa"}) >= 2
    ):
        return Column.ORIGIN
    if "ordre" in wordset or (first == "numero" and not wordset & _PHONE_WORDS):
        return Column.ORDER_NUMBER
    if first in ("ref", "reference", "references"):
        return Column.ORDER_NUMBER
    if _has(words, "objet", "motif", "sujet"):
        return Column.SUBJECT
    if _has(
        words, "emetteur", "client", "reclamant", "demandeur", "eleve", "prenom", "plaignant"
    ) or (first == "nom"):
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


Aliases = Mapping[str, Column]  # the user's own wordings (normalised) → column
_NO_ALIASES: Aliases = MappingProxyType({})


def match_header(
    cells: Sequence[object], aliases: Aliases = _NO_ALIASES
) -> tuple[dict[Column, int], dict[int, str]]:
    """Recognise one row taken as a header: column → position (leftmost wins) and the texts.
    A wording declared in the settings sheet (``aliases``) wins over the usual ones."""
    columns: dict[Column, int] = {}
    headers: dict[int, str] = {}
    for position, value in enumerate(cells):
        if value is None or value == "":
            continue
        if isinstance(value, str):
            if not value.strip():
                continue
            headers[position] = value
            column = aliases.get(normalize(value)) if aliases else None
            if column is None:
                column = recognize(value)
            if column is not None and column not in columns:
                columns[column] = position
        else:
            headers[position] = str(value)
    return columns, headers


def _is_header_row(cells: Sequence[object], aliases: Aliases) -> dict[Column, int] | None:
    """The columns a row names when it is made only of header wordings (the second row of a
    two-row header: « Échéance | Clôture » under a merged « Dates »), else ``None``."""
    columns, headers = match_header(cells, aliases)
    if not columns or len(columns) < len(headers) / 2:
        return None
    from suivi_xlsx.domain.values import parse_date_text

    for position in headers:
        value = cells[position]
        if not isinstance(value, str):
            return None
        try:  # a date typed as text: a data row, not a header
            parse_date_text(value)
        except ValueError:
            continue
        return None
    return columns


def find_header(
    rows: Sequence[Sequence[object]],
    *,
    limit: int = HEADER_SEARCH_ROWS,
    aliases: Aliases = _NO_ALIASES,
) -> HeaderMatch | None:
    """The first row among the first ``limit`` whose columns make a register; failing that,
    the row that recognises the most columns (the first on a tie), for messages; ``None`` when
    no row names any column. Rows below a register's header are data: they are not looked at
    (names and comments would only cost time to recognise).

    A header on two rows (a merged group title such as « Dates » above « Échéance |
    Clôture ») is read as one: the second row's wordings fill the columns the first does not
    name, and ``index`` is the second row's, so that data starts below it.
    """
    best: HeaderMatch | None = None
    for index, cells in enumerate(rows):
        if index >= limit:
            break
        columns, headers = match_header(cells, aliases)
        if columns and (best is None or len(columns) > len(best.columns)):
            best = HeaderMatch(index, MappingProxyType(columns), MappingProxyType(headers))
            if best.is_register:
                break
    if best is None or not best.is_register or best.index + 1 >= min(len(rows), limit):
        return best
    below = rows[best.index + 1]
    more = _is_header_row(below, aliases)
    if more is None:
        return best
    columns = dict(best.columns)
    headers = dict(best.headers)
    taken = set(columns.values())
    for column, position in more.items():
        if column not in columns and position not in taken:
            columns[column] = position
    for position, value in enumerate(below):
        if isinstance(value, str) and value.strip():
            headers[position] = f"{headers[position]} / {value}" if position in headers else value
    return HeaderMatch(best.index + 1, MappingProxyType(columns), MappingProxyType(headers))


def sniff_column(values: Sequence[object]) -> Column | None:
    """The column a header-less (or unknown-header) column is, by its content, when that is
    unambiguous: nearly all its values are FS/QS/PA (the origin) or order numbers
    ``aa.agence.nnn`` (the order number)."""
    from suivi_xlsx.domain.numbering import parse_loose_order_number
    from suivi_xlsx.domain.vocabulary import read_origin

    texts = [v.strip() for v in values if isinstance(v, str) and v.strip()]
    if len(texts) < 3 or len(texts) < len([v for v in values if v not in (None, "")]) * 0.9:
        return None
    origins = sum(1 for text in texts if (read := read_origin(text)) is not None and read[1])
    if origins >= 0.9 * len(texts):
        return Column.ORIGIN
    numbers = sum(1 for text in texts if parse_loose_order_number(text) is not None)
    if numbers >= 0.9 * len(texts):
        return Column.ORDER_NUMBER
    return None


def missing_columns(columns: Iterable[Column]) -> tuple[Column, ...]:
    """The seed's columns absent from a sheet, in the seed's order."""
    present = set(columns)
    return tuple(column for column in SEED_COLUMNS if column not in present)
