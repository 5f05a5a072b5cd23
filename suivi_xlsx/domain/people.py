"""People's names as staff write them: « Mme DURAND », « mme durand », « Durand  » are one
person. Pure.

Used wherever a name is compared: the authorised people of the settings sheet, the person in
charge of each entry, the follow-up lists grouped by person.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from suivi_xlsx.domain.vocabulary import fold

# Civilities and titles written before a name (folded, without dots).
_CIVILITIES = frozenset(
    {"m", "mr", "mme", "mmes", "mlle", "melle", "mle", "monsieur", "madame", "mademoiselle", "dr"}
)
_NOT_NAME = re.compile(r"[^a-z0-9]+")


@lru_cache(maxsize=4096)
def person_key(name: str) -> str:
    """A key equal for every way of writing one person's name: case, accents, blanks,
    hyphens and a civility before the name (« Mme », « M. », « Mr ») do not count."""
    words = _NOT_NAME.sub(" ", fold(name)).split()
    while len(words) > 1 and words[0] in _CIVILITIES:
        words = words[1:]
    return " ".join(words)


def same_person(first: str, second: str) -> bool:
    """Whether two names, as typed, name the same person."""
    return person_key(first) == person_key(second)


def display_name(name: str) -> str:
    """A name as typed, blanks collapsed: for headings and lists."""
    return " ".join(name.split())


class NameSpellings:
    """One name to show per person, whatever the ways it was typed: the spelling used most
    often (the first seen on a tie), grouped by ``person_key``. Every command that groups by
    person (summary, follow-up lists) shows the same name for the same person."""

    def __init__(self) -> None:
        self._seen: dict[str, Counter[str]] = {}

    def add(self, name: str, times: int = 1) -> str:
        """Count ``times`` uses of ``name``; its ``person_key`` ("" when it names no one)."""
        key = person_key(name)
        if key:
            counter = self._seen.get(key)
            if counter is None:
                counter = self._seen[key] = Counter()
            counter[display_name(name)] += times
        return key

    def name(self, key: str) -> str:
        """The spelling shown for ``key`` (a key returned by ``add``)."""
        return self._seen[key].most_common(1)[0][0]

    def names(self) -> dict[str, str]:
        """Every key seen → the spelling shown."""
        return {key: self.name(key) for key in self._seen}
