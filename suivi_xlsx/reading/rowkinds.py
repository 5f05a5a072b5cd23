"""Rows of a register sheet that are not entries: totals, notes, continuation lines.

Pure. People put a totals row under their table (« Total | 14 », « Nb de réclamations »,
``=NBVAL(...)``), notes below it (« NB : … »), and a table pasted from Word splits one
entry's long Suivi over several rows. None of them is an entry: no finding, not counted,
never edited. The reader asks ``classify_row`` only about rows without a readable Date, so a
register's usual rows cost nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from enum import Enum

from suivi_xlsx.domain.model import Column
from suivi_xlsx.domain.values import FIELDS
from suivi_xlsx.domain.vocabulary import fold, read_origin


class RowKind(Enum):
    ENTRY = "entry"
    TOTAL = "total"  # a totals or count row
    NOTE = "note"  # a note under the table
    CONTINUATION = "continuation"  # more text of the entry above


# Folded beginnings of a totals label.
_TOTAL_STARTS = (
    "total",
    "totaux",
    "sous-total",
    "sous total",
    "nb de",
    "nb d",
    "nb total",
    "nbre",
    "nombre",
    "somme",
    "moyenne",
    "cumul",
    "compte",
    "effectif",
)
_TOTAL_WORDS = frozenset({"nb", "nb.", "total", "totaux", "nombre", "somme", "moyenne"})
# Folded beginnings of a note.
_NOTE_STARTS = (
    "nb:",
    "nb :",
    "nb -",
    "n.b",
    "note",
    "remarque",
    "rq:",
    "rq :",
    "legende",
    "attention",
    "important",
    "source",
    "*",
    "(*)",
    "(1)",
)
#: Free-text columns whose text may run on over the next rows.
CONTINUED: frozenset[Column] = frozenset(
    {
        Column.FOLLOW_UP,
        Column.SUBJECT,
        Column.ANSWER,
        Column.DYSFUNCTIONS,
        Column.CORRECTIVE_ACTIONS,
    }
)
_NO_EXTRA: Mapping[str, str] = {}


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _names_origin(text: str) -> bool:
    read = read_origin(text)
    return read is not None and read[1]


def classify_row(
    cells: Sequence[object], columns: Mapping[Column, int]
) -> tuple[RowKind, Mapping[str, str]]:
    """What a row without a readable Date is; for a continuation, the entry fields it adds
    to (field name → text). ``cells`` are the row's raw values, positions as in ``columns``."""
    filled = [(i, v) for i, v in enumerate(cells) if v is not None and v != ""]
    filled = [(i, v) for i, v in filled if not (isinstance(v, str) and not v.strip())]
    if not filled:
        return RowKind.NOTE, _NO_EXTRA
    texts = [(i, v.strip()) for i, v in filled if isinstance(v, str)]
    if any(_names_origin(text) for _, text in texts):
        return RowKind.ENTRY, _NO_EXTRA  # FS / QS / PA: someone's entry, however incomplete
    first = filled[0][1]
    if isinstance(first, str):
        label = fold(first)
        words = label.split()
        counted = any(_is_number(v) for _, v in filled)
        # « Total », « Nb de réclamations », or a longer label beside a count: a subject that
        # merely starts with « Total » (« Total absence de réponse ») is not a totals row.
        if (len(words) <= 3 or (counted and len(words) <= 6)) and (
            label.startswith(_TOTAL_STARTS) or (words and words[0] in _TOTAL_WORDS)
        ):
            return RowKind.TOTAL, _NO_EXTRA
        if label.startswith(_NOTE_STARTS) and len(filled) <= 2:
            return RowKind.NOTE, _NO_EXTRA
    if not texts and all(_is_number(v) for _, v in filled):
        return RowKind.TOTAL, _NO_EXTRA  # ``=SOMME(...)`` / ``=NBVAL(...)`` results only
    by_position = {position: column for column, position in columns.items()}
    continued = {by_position.get(i) for i, _ in filled}
    if continued <= CONTINUED and len(texts) == len(filled):
        return RowKind.CONTINUATION, {FIELDS[by_position[i]]: text for i, text in texts}
    if len(filled) == 1 and texts and len(texts[0][1].split()) >= 4:
        return RowKind.NOTE, _NO_EXTRA  # one sentence alone on its row
    return RowKind.ENTRY, _NO_EXTRA
