"""The register's closed vocabularies, each in one table: origins, decisions, words typed in
date columns (open or closed), and what people type to say no means of redress was given.

Pure. Every reader, rule, planner and renderer asks these tables; none keeps its own list.
Words are compared after ``fold`` (lower case, no accents, blanks collapsed, trailing
punctuation dropped), so « Clôturé. », « CLOTURE » and « clôturée » are the same word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from enum import Enum
from functools import lru_cache
from types import MappingProxyType


class Origin(Enum):
    """Where an entry comes from."""

    FS = "FS"  # fiche signalétique: a complaint
    QS = "QS"  # questionnaire de satisfaction: a survey answer
    PA = "PA"  # plan / décision d'amélioration: an improvement decision


class Decision(Enum):
    """The answer given to a complaint."""

    ACCEPTED = "acceptée"
    PARTIAL_REJECTION = "rejet partiel"
    TOTAL_REJECTION = "rejet total"

    @property
    def is_rejection(self) -> bool:
        return self is not Decision.ACCEPTED


_TRAILING = " .!;:,"


# The combining marks of Latin letters (é = e + U+0301), dropped by one regular expression;
# U+034F (the grapheme joiner) is in that block but is not a combining mark.
_LATIN_MARKS = re.compile("[\u0300-\u034e\u0350-\u036f]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _drop_if_mark(match: re.Match[str]) -> str:
    return "" if unicodedata.combining(match.group()) else match.group()


def without_marks(decomposed: str) -> str:
    """``decomposed`` (NFKD) without its combining marks. In C for the Latin ones, then one
    look at each other non-ASCII character only: a 32,767-character Suivi cell costs
    microseconds, not the tens of milliseconds of a per-character loop."""
    if decomposed.isascii():
        return decomposed
    stripped = _LATIN_MARKS.sub("", decomposed)
    return stripped if stripped.isascii() else _NON_ASCII.sub(_drop_if_mark, stripped)


@lru_cache(maxsize=4096)
def fold(text: str) -> str:
    """Lower case, accents removed, blanks collapsed, trailing punctuation dropped."""
    plain = without_marks(unicodedata.normalize("NFKD", text.strip().lower()))
    return " ".join(plain.split()).rstrip(_TRAILING) or plain.strip()


# --- origins ---------------------------------------------------------------------------------

#: Words (folded, punctuation and blanks removed) read as an origin other than its code.
#: Reading them never switches a rule off: the entry is checked as that origin, and a warning
#: suggests the code.
ORIGIN_WORDS: Mapping[str, Origin] = MappingProxyType(
    {
        # FS: fiche signalétique, a complaint
        "fichesignaletique": Origin.FS,
        "fiche": Origin.FS,
        "reclamation": Origin.FS,
        "reclamations": Origin.FS,
        "plainte": Origin.FS,
        "plaintes": Origin.FS,
        # QS: questionnaire de satisfaction
        "questionnaire": Origin.QS,
        "questionnairedesatisfaction": Origin.QS,
        "questionnairesatisfaction": Origin.QS,
        "enquete": Origin.QS,
        "enquetedesatisfaction": Origin.QS,
        "enquetesatisfaction": Origin.QS,
        "satisfaction": Origin.QS,
        # PA: plan / décision d'amélioration
        "planaction": Origin.PA,
        "plandaction": Origin.PA,
        "plandamelioration": Origin.PA,
        "planamelioration": Origin.PA,
        "amelioration": Origin.PA,
        "decisiondamelioration": Origin.PA,
        "decisionamelioration": Origin.PA,
        "actiondamelioration": Origin.PA,
    }
)

#: Abbreviations staff type (folded, punctuation and blanks removed). Besides these, a word of
#: four letters or more that begins one of ``ORIGIN_WORDS`` of a single origin is read as it
#: (« récla », « réclam. », « quest. », « amélio », « questionn »).
ORIGIN_ABBREVIATIONS: Mapping[str, Origin] = MappingProxyType(
    {
        "qsat": Origin.QS,
        "qsatisf": Origin.QS,
        "qsatisfaction": Origin.QS,
        "satisf": Origin.QS,
        "fsig": Origin.FS,
        "fsignal": Origin.FS,
        "pamelio": Origin.PA,
        "pamelioration": Origin.PA,
    }
)
_MIN_PREFIX = 4  # « plan » is PA; « pla », « que », « rec » say too little

_CODES: Mapping[str, Origin] = MappingProxyType({o.value.lower(): o for o in Origin})
_NOT_LETTERS = re.compile(r"[^a-z]+")


def _origin_prefix(word: str) -> Origin | None:
    """The origin of the words ``word`` begins (« recla » → FS), when they share one."""
    if len(word) < _MIN_PREFIX:
        return None
    found = {origin for full, origin in ORIGIN_WORDS.items() if full.startswith(word)}
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=1024)  # a register repeats the same few wordings
def read_origin(text: str) -> tuple[Origin, bool] | None:
    """The origin ``text`` names and whether it is written exactly as its code (``FS``, any
    case, nothing around it); ``None`` when it names none. « Réclamation », « F.S. », « FS. »
    and « récla » are ``(FS, False)``: read as FS, with a warning that gives the code."""
    folded = fold(text)
    code = _CODES.get(folded)
    if code is not None:
        return code, text.strip().lower() == folded
    letters = _NOT_LETTERS.sub(" ", folded).split()
    if not letters:
        return None
    joined = "".join(letters)
    if joined in _CODES:  # "F.S.", "f s": the code with dots or blanks
        return _CODES[joined], len(letters) == 1
    if joined in ORIGIN_WORDS:
        return ORIGIN_WORDS[joined], False
    if joined in ORIGIN_ABBREVIATIONS:
        return ORIGIN_ABBREVIATIONS[joined], False
    first = letters[0]
    codes = {word for word in letters if word in _CODES}
    if len(codes) > 1:  # "FS/QS": which one?
        return None
    if first in codes and len(letters) > 1:  # "FS - réclamation", "PA (amélioration)"
        return _CODES[first], False
    if first == "fiche" and len(letters) > 1 and letters[1].startswith("signal"):
        return Origin.FS, False
    if first in ("questionnaire", "enquete"):
        return Origin.QS, False
    if first in ("plan", "decision", "action") and any(w.startswith("amelior") for w in letters):
        return Origin.PA, False
    if first == "plan" and "action" in letters:
        return Origin.PA, False
    abbreviated = _origin_prefix(joined)
    if abbreviated is not None:
        return abbreviated, False
    return None


# --- decisions -------------------------------------------------------------------------------

#: The wordings listed to the user when a Décision cannot be read.
DECISION_WORDINGS = "acceptée, rejet partiel, rejet total (ou : refusée, partiellement acceptée)"

_PARTIAL = re.compile(r"\bpartiel")
_REJECTED = re.compile(
    r"\b(rejet|rejete|refus|defavorable|non accept|non fonde|infonde|irrecevable|pas fonde)"
)
_ACCEPTED = re.compile(r"\b(accept|accord|favorable|fonde|recevable|valide|geste commercial)")


def read_decision(text: str) -> Decision | None:
    """acceptée / rejet partiel / rejet total, in the ways people write them; ``None`` when
    the text is none of them (« En attente », « Non », « ? »)."""
    folded = fold(text)
    if not folded:
        return None
    if _PARTIAL.search(folded):  # rejet partiel, partiellement acceptée / rejetée
        return Decision.PARTIAL_REJECTION
    if _REJECTED.search(folded):
        return Decision.TOTAL_REJECTION
    if _ACCEPTED.search(folded):
        return Decision.ACCEPTED
    return None


# --- words in date columns ---------------------------------------------------------------------

#: Words that, in a date column, say the step is not done yet (the entry stays open).
OPEN_WORDS: frozenset[str] = frozenset(
    {
        "en cours",
        "encours",
        "non",
        "no",
        "n",
        "-",
        "--",
        "?",
        "??",
        "/",
        "...",
        "voir mail",
        "voir e-mail",
        "voir email",
        "voir courriel",
        "a faire",
        "a voir",
        "en attente",
        "attente",
        "pas encore",
        "non clos",
        "non cloture",
        "non traite",
        "ouvert",
        "nc",
        "na",
        "n/a",
        "tbd",
        "a definir",
        "a completer",
    }
)
_OPEN_PREFIXES = ("en cours", "en attente", "a faire", "voir ", "pas encore", "non ")

#: Words that, in a date column, say the step is done, without giving its date; as typed,
#: with and without accents, because the highlighting rules' formula lists them too (Excel
#: compares text ignoring case, but not accents).
CLOSED_WORDS_TYPED: tuple[str, ...] = (
    "clôturé",
    "clôturée",
    "clôturés",
    "cloturé",
    "cloturée",
    "clôture",
    "cloture",
    "clos",
    "close",
    "fait",
    "faite",
    "fini",
    "terminé",
    "terminée",
    "termine",
    "oui",
    "ok",
    "soldé",
    "soldée",
    "réglé",
    "réglée",
    "traité",
    "traitée",
    "envoyé",
    "envoyée",
    "répondu",
    # ticks: a box ticked by hand
    "x",
    "✔",
    "✓",
    "✅",
    "☑",
    "✔️",
)


#: The same words compared as ``fold`` writes them.
CLOSED_WORDS: frozenset[str] = frozenset(map(fold, CLOSED_WORDS_TYPED))
# Longest first, so that « clôturée le … » is not read as « clos » + « turée le … ».
_CLOSED_BY_LENGTH: tuple[str, ...] = tuple(sorted(CLOSED_WORDS, key=len, reverse=True))


def is_open_word(text: str) -> bool:
    """« en cours », « non », « - », « voir mail »…: not done yet."""
    folded = fold(text)
    return folded in OPEN_WORDS or (folded.startswith(_OPEN_PREFIXES) and not is_closed_word(text))


#: After a closing word, what may come before the date: « clos le 12/04/2025 », « terminé :
#: 15/06 », « clôturé en date du 3/5 ».
_CLOSED_DATE_LEAD = re.compile(r"^[\s:,\-–]*(?:(?:le|du|au|en date du|depuis le)\s+)?(?=\d)")


def is_closed_word(text: str) -> bool:
    """« clôturé », « fait », « oui », « ✔ »…: done, but the date is missing."""
    return fold(text) in CLOSED_WORDS


def closed_word_date(text: str) -> str | None:
    """The date part of « clos le 12/04/2025 », « terminé 15/06/2025 », « ✔ 3/5 »: a closing
    word, then a date (as typed, for the date reader); ``None`` for any other text."""
    folded = fold(text)
    for word in _CLOSED_BY_LENGTH:
        if folded.startswith(word) and folded[len(word) : len(word) + 1] in CLOSED_WORD_SEPARATORS:
            lead = _CLOSED_DATE_LEAD.match(folded[len(word) :])
            if lead is not None:
                return folded[len(word) + lead.end() :]
    return None


#: What may follow a closing word that starts a cell (« clos le … », « fait : … », « OK, … »).
#: The highlighting formula (``xlsx.condfmt``) reads the cell the same way.
CLOSED_WORD_SEPARATORS = (" ", ":", ",", "-", ".", ";")


def says_closed(text: str) -> bool:
    """The cell says the step is done: it is a closing word, or starts with one followed by
    a separator (« clos le 12/04/2025 », « fait, client prévenu », « ✔ 3/5 »)."""
    folded = fold(text)
    if folded in CLOSED_WORDS:
        return True
    return any(
        folded.startswith(word) and folded[len(word) : len(word) + 1] in CLOSED_WORD_SEPARATORS
        for word in _CLOSED_BY_LENGTH
    )


def date_word(value: object) -> str | None:
    """What a non-date value of a date column says: ``"open"``, ``"closed"`` or ``None``
    (not a word of either table: an unreadable date)."""
    if not isinstance(value, str):
        return None
    if says_closed(value):
        return "closed"
    if is_open_word(value):
        return "open"
    return None


# --- means of redress ----------------------------------------------------------------------

#: What people type in « Voies de recours indiquées » to say that none were given.
NO_REDRESS_WORDS: frozenset[str] = frozenset(
    {
        "",
        "-",
        "--",
        "0",
        "n",
        "non",
        "no",
        "aucun",
        "aucune",
        "neant",
        "faux",
        "false",
        "nc",
        "na",
        "n/a",
        "sans",
        "?",
        "a faire",
        "en attente",
        "en cours",
        "pas encore",
        "non communique",
        "non communiquee",
        "non communiques",
        "non communiquees",
        "non indique",
        "non indiquee",
        "non indiques",
        "non indiquees",
        "non precise",
        "non precisees",
        "pas indique",
        "pas indiquees",
    }
)
_NO_REDRESS_PREFIXES = ("non ", "pas ", "aucun", "a faire", "a envoyer", "en attente", "oubli")


@lru_cache(maxsize=1024)  # a register repeats the same few wordings
def redress_given(text: str | None) -> bool:
    """True when the cell says means of redress were given (anything but empty, « non »,
    « NC », « néant », « non communiquées », « à faire »…)."""
    if text is None:
        return False
    folded = fold(text)
    if folded in NO_REDRESS_WORDS or set(folded) <= {"-", " ", ".", "?"}:
        return False
    return not folded.startswith(_NO_REDRESS_PREFIXES)


# --- nothing to report -----------------------------------------------------------------------

#: What people type in a free-text cell (Dysfonctionnements, Actions correctives, Suivi) to say
#: there is nothing: the cell is as good as empty.
NOTHING_WORDS: frozenset[str] = frozenset(
    {
        "",
        "-",
        "--",
        "/",
        "?",
        "0",
        "n",
        "no",
        "non",
        "aucun",
        "aucune",
        "neant",
        "rien",
        "ras",
        "nc",
        "na",
        "n/a",
        "nr",
        "sans",
        "sans objet",
        "so",
        "rien a signaler",
        "non concerne",
        "non concernee",
        "non applicable",
        "non renseigne",
        "non renseignee",
        "pas concerne",
        "a definir",
        "a determiner",
    }
)

# « aucun dysfonctionnement constaté », « pas d'action corrective nécessaire »: a negation, then
# only these words. « Aucune réponse du secrétariat » names a failure: it is not nothing.
_NOTHING_NEGATIONS = frozenset({"aucun", "aucune", "aucuns", "aucunes", "pas", "sans", "rien"})
_NOTHING_FILLERS = frozenset(
    {
        "de",
        "d",
        "du",
        "des",
        "a",
        "en",
        "particulier",
        "particuliere",
        "dysfonctionnement",
        "dysfonctionnements",
        "action",
        "actions",
        "corrective",
        "correctives",
        "correctif",
        "correctifs",
        "mesure",
        "mesures",
        "probleme",
        "problemes",
        "anomalie",
        "anomalies",
        "manquement",
        "manquements",
        "identifie",
        "identifies",
        "identifiee",
        "identifiees",
        "constate",
        "constates",
        "constatee",
        "constatees",
        "releve",
        "releves",
        "relevee",
        "relevees",
        "necessaire",
        "necessaires",
        "signaler",
        "prevoir",
        "prevue",
        "prevues",
        "objet",
    }
)
_NOT_WORD = re.compile(r"[^a-z0-9/?]+")
# Longer than any way of saying « nothing to report » (« aucun dysfonctionnement constaté »,
# « pas d'action corrective nécessaire »…), with room for blanks and punctuation.
_LONGEST_NOTHING = 200


@lru_cache(maxsize=1024)  # a register repeats the same few wordings
def says_nothing(text: str | None) -> bool:
    """True when a free-text cell says there is nothing to report: empty, « non », « aucun »,
    « néant », « - », « RAS », « sans objet », « aucun dysfonctionnement constaté »…"""
    if text is None:
        return True
    if len(text) > _LONGEST_NOTHING and text.strip(" -?/_0.\n\t"):
        return False  # a long text says something: no need to fold all of it
    folded = fold(text).replace(".", "")
    if folded in NOTHING_WORDS or set(folded) <= {"-", " ", "?", "/", "_", "0"}:
        return True
    words = _NOT_WORD.sub(" ", folded).split()
    if not words:
        return True
    if " ".join(words) in NOTHING_WORDS:
        return True
    return words[0] in _NOTHING_NEGATIONS and all(w in _NOTHING_FILLERS for w in words[1:])
