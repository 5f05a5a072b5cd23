"""What a letter must say, checked on the document actually rendered.

We only tell the user that a letter carries a mandatory mention, or suggest recording « oui »
in *Voies de recours indiquées*, after finding the mention in the text of the .docx written: a
user's own template (``--modele``) may leave out the mediator, or the reference. ``MENTIONS``
is the one table of those mentions; ``missing_mentions`` reads the rendered bytes (body,
headers, footers, text boxes: every run of every part joined).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from suivi_xlsx.domain.findings import FRENCH_MONTHS
from suivi_xlsx.outputs.letters.content import Letter

_PARTS_RE = re.compile(r"^word/(?:document|header\d*|footer\d*|footnotes|endnotes)\.xml$")
_BREAK_RE = re.compile(rb"</w:p>|<w:tab/>|<w:br/>|<w:cr/>")
_TAG_RE = re.compile(rb"<[^>]+>")
# The client may refer the dispute to the mediator within one year of the written complaint
# (Code de la consommation, L612-2): the letter must say how long.
_ONE_YEAR_RE = re.compile(r"\b(?:un|1)\s+an\b|\bdouze\s+mois\b|\b12\s+mois\b")


def document_text(docx: bytes) -> str:
    """The text a reader sees in the .docx ``docx``: lower case, blanks collapsed."""
    texts = []
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        for name in sorted(package.namelist()):
            if _PARTS_RE.match(name):
                xml = _BREAK_RE.sub(b" ", package.read(name))
                texts.append(html.unescape(_TAG_RE.sub(b"", xml).decode("utf-8", "replace")))
    return " ".join(" ".join(texts).replace("\u00a0", " ").lower().split())


def _value(letter: Letter, *keys: str) -> str | None:
    value: object = letter.context
    for key in keys:
        value = value.get(key) if isinstance(value, Mapping) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


def _contains(value: str | None) -> Callable[[str], bool]:
    """Whether the text shows ``value``; an unknown value (not in *Paramètres*) is never shown."""
    return lambda text: value is not None and " ".join(value.lower().split()) in text


@dataclass(frozen=True, slots=True)
class Mention:
    """A mention a letter must carry: its French name, the field that prints it, when it is
    required, and how to find it in the rendered text."""

    label: str
    field: str
    required: Callable[[Letter], bool]
    found: Callable[[Letter, str], bool]


def _rejection(letter: Letter) -> bool:
    return bool(letter.context.get("rejet"))


MENTIONS: tuple[Mention, ...] = (
    Mention(
        "le numéro d'ordre de la réclamation",
        "{{ numero }}",
        lambda letter: True,
        lambda letter, text: _contains(letter.number)(text),
    ),
    Mention(
        "la date de réception de la réclamation",
        "{{ date_reception }}",
        lambda letter: True,
        lambda letter, text: _contains(_value(letter, "date_reception"))(text),
    ),
    Mention(
        "le signataire (Paramètres : Signataire des courriers)",
        "{{ signataire }}",
        lambda letter: _value(letter, "signataire") is not None,
        lambda letter, text: _contains(_value(letter, "signataire"))(text),
    ),
    Mention(
        "le nom du médiateur de la consommation",
        "{{ mediateur.nom }}",
        _rejection,
        lambda letter, text: _contains(_value(letter, "mediateur", "nom"))(text),
    ),
    Mention(
        "le site internet du médiateur",
        "{{ mediateur.site }}",
        _rejection,
        lambda letter, text: _contains(_value(letter, "mediateur", "site"))(text),
    ),
    Mention(
        "le délai d'un an pour saisir le médiateur",
        "« dans un délai d'un an à compter de votre réclamation écrite »",
        _rejection,
        lambda letter, text: _ONE_YEAR_RE.search(text) is not None,
    ),
)


def missing_mentions(letter: Letter, docx: bytes) -> list[Mention]:
    """The mandatory mentions the rendered letter ``docx`` does not carry."""
    text = document_text(docx)
    return [m for m in MENTIONS if m.required(letter) and not m.found(letter, text)]


# « au plus tard le 15 novembre 2026 », « d'ici le 15/11/2026 », « avant le 1er décembre… »:
# a date the letter commits to.
_MONTH_NAMES = "|".join(FRENCH_MONTHS)
_PROMISE_RE = re.compile(
    r"(?:au plus tard|d['’]ici|avant)\s+(?:le\s+)?"
    rf"(?:(\d{{1,2}})(?:er)?\s+({_MONTH_NAMES})\s+(\d{{4}})|(\d{{1,2}})/(\d{{1,2}})/(\d{{4}}))"
)


def _promised(match: re.Match[str]) -> dt.date | None:
    day, month_name, year, d, m, y = match.groups()
    try:
        if month_name is not None:
            return dt.date(int(year), FRENCH_MONTHS.index(month_name) + 1, int(day))
        return dt.date(int(y), int(m), int(d))
    except ValueError:  # « 31 février »: not a date, hence no promise we can judge
        return None


def broken_promises(letter: Letter, docx: bytes) -> list[str]:
    """The commitments of the rendered letter ``docx`` (« au plus tard le … ») to a date
    already past at the letter's own date, as they read in the text."""
    text = document_text(docx)
    return [
        match.group(0)
        for match in _PROMISE_RE.finditer(text)
        if (day := _promised(match)) is not None and day < letter.date
    ]
