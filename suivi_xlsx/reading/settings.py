"""The parameters sheet (« Paramètres ») → ``Settings``: agency, delays, day count, authorised
people, information interval, school identity, mediator."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from itertools import islice
from types import MappingProxyType
from typing import Any

from suivi_xlsx.domain.model import (
    Calendar,
    Column,
    Settings,
)
from suivi_xlsx.domain.numbering import (
    is_valid_agency,
)
from suivi_xlsx.domain.values import (
    number_text,
    plain,
    to_bool,
    to_text,
)
from suivi_xlsx.reading.columns import (
    normalize,
)


def _int_in(value: object, low: int, high: int) -> int | None:
    """A whole number between ``low`` and ``high`` (``10``, ``10.0``, ``"10 jours"``)."""
    number: int | None = None
    if isinstance(value, float | int) and not isinstance(value, bool):
        number = int(value) if float(value).is_integer() else None
    elif isinstance(value, str):
        words = value.split()
        number = int(words[0]) if words and words[0].isdigit() else None
    return number if number is not None and low <= number <= high else None


_NAME_SEPARATORS = re.compile(r"[;,\n]+")


_NOT_A_NAME = re.compile(r"[:()\[\]0-9=?!]")


def _looks_like_names(text: str) -> bool:
    """Names, not an explanation written beside them: short parts, no digits or colons."""
    parts = [part.strip() for part in _NAME_SEPARATORS.split(text) if part.strip()]
    return bool(parts) and all(
        len(part.split()) <= 5 and not _NOT_A_NAME.search(part) for part in parts
    )


def _names(cells: Sequence[object]) -> tuple[str, ...]:
    """People named in the cells of a settings row: « ; » or « , » between names, or one per
    cell. The value cell is always read; the next cells only while they hold names (a
    template may explain the row in the cell to the right)."""
    names: list[str] = []
    for position, cell in enumerate(cells):
        text = to_text(cell) if cell is not None and cell != "" else None
        if text is None:
            continue
        if position > 0 and not _looks_like_names(text):
            break
        names.extend(part.strip() for part in _NAME_SEPARATORS.split(text) if part.strip())
    return tuple(names)


def _header_alias_target(words: Sequence[str]) -> Column | None:
    """The column a settings label such as « En-tête Date de clôture » or « Intitulé de la
    colonne Objet » declares an own wording for."""
    if not words:
        return None
    if words[0] in ("en", "entete") or words[0].startswith("intitule"):
        rest = list(words[2:] if words[:2] == ["en", "tete"] else words[1:])
        while rest and rest[0] in ("de", "la", "colonne", "du", "pour", "d", "l"):
            rest = rest[1:]
        from suivi_xlsx.reading.columns import recognize

        return recognize(" ".join(rest)) if rest else None
    return None


def read_settings(rows: Iterable[Sequence[object]]) -> Settings:
    """Settings from a parameters sheet: a label, then its value, on each row (columns A, B;
    the authorised people may also be one per cell along the row).

    Labels match by keywords, read with the same tolerance as headers; an unreadable value
    keeps the default.
    """
    found: dict[str, Any] = {}
    aliases: dict[str, Column] = {}
    for row in islice(rows, 200):
        # The label is the row's first non-empty cell, its value the cell right of it.
        first = next((i for i, cell in enumerate(row) if cell != "" and cell is not None), None)
        if first is None or first + 1 >= len(row) or not isinstance(row[first], str):
            continue
        value = row[first + 1]
        rest = row[first + 1 :]
        label = normalize(row[first]).split()  # type: ignore[arg-type]
        words = set(label)
        if words & {"habilite", "habilitee", "habilites", "habilitees", "autorise", "autorisees"}:
            found["authorised"] = _names(rest)
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        text = to_text(value)
        target = _header_alias_target(label)
        if target is not None and text is not None:
            for wording in _NAME_SEPARATORS.split(text):
                if normalize(wording):
                    aliases[normalize(wording)] = target
        elif "mediateur" in words:
            if words & {"site", "internet", "web", "url"}:
                found["mediator_website"] = text
            elif "adresse" in words:
                found["mediator_address"] = text
            else:
                found["mediator_name"] = text
        elif "fenetre" in words:
            side = plain(str(value))
            if "gauche" in side:
                found["window_left"] = True
            elif "droite" in side:
                found["window_left"] = False
        elif "signataire" in words or "signature" in words:
            found["signatory"] = text
        elif "ecole" in words or "etablissement" in words:
            if "adresse" in words:
                found["school_address"] = text
            elif "nom" in words or "raison" in words:
                found["school_name"] = text
        elif words & {"informer", "informe", "nouvelles", "information"}:
            days = _int_in(value, 1, 366)
            if days is not None:
                found["inform_days"] = days
        elif "agence" in words and "agency" not in found:
            number = number_text(value) if isinstance(value, float | int) else str(value)
            number = "".join(number.split())
            if is_valid_agency(number):
                found["agency"] = number
        elif words & {"decompte", "calcul", "comptage"} or "ouvrables" in words:
            kind = plain(str(value))
            if "ouvrable" in kind:
                found["calendar"] = Calendar.WORKING_DAYS
            elif "calendaire" in kind:
                found["calendar"] = Calendar.CALENDAR_DAYS
        elif words & {"alsace", "moselle"}:
            flag = to_bool(value)
            if flag is not None:
                found["alsace_moselle"] = flag
        elif "delai" in words and (words & {"accuse", "ar"}):
            days = _int_in(value, 1, 366)
            if days is not None:
                found["ack_days"] = days
        elif "delai" in words and "reponse" in words:
            months = _int_in(value, 1, 36)
            if months is not None:
                found["answer_months"] = months
    if aliases:
        found["header_aliases"] = MappingProxyType(aliases)
    return Settings(**found)


# --- workbook -------------------------------------------------------------------------------
