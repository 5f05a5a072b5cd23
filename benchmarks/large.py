"""Registers as large as Excel can hold, for the memory rows of ``benchmarks/run.py``.

``python benchmarks/large.py lignes FILE.xlsx``: one sheet of 1,048,576 rows (Excel's last
row) × the seed's 11 columns: a header and 1,048,575 entries.

``python benchmarks/large.py longs FILE.xlsx``: 20,000 entries whose *Suivi* cell (the column
for long texts) holds 32,767 characters (Excel's longest cell), all different.

Both are written with xlsxwriter in constant-memory mode (texts as inline strings), so this
process stays small however big the file; the same arguments give the same file.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

HEADERS = (
    "Année",
    "Date",
    "NOM Prénom Emetteur",
    "Numéro d'ordre",
    "Origine",
    "Objet",
    "Justificatif n°",
    "Suivi",
    "Personne chargée du dossier",
    "Date d'échéance",
    "Date de clôture",
)
EXCEL_ROWS = 1_048_576
LONGEST_CELL = 32_767
LONG_ROWS = 20_000
_WORDS = (
    "leçon",
    "annulée",
    "moniteur",
    "examen",
    "planning",
    "facture",
    "remboursement",
    "accueil",
    "code",
    "conduite",
)


def _long_text(row: int, column: int) -> str:
    """32,767 characters, different for every cell."""
    head = f"{row}-{column} "
    words: list[str] = []
    size = len(head)
    index = row * 7 + column
    while size < LONGEST_CELL:
        word = _WORDS[index % len(_WORDS)]
        words.append(word)
        size += len(word) + 1
        index += 3
    return (head + " ".join(words))[:LONGEST_CELL]


def write(path: Path, kind: str) -> None:
    import xlsxwriter

    rows = EXCEL_ROWS - 1 if kind == "lignes" else LONG_ROWS
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    book.set_properties({"created": dt.datetime(2026, 1, 1)})
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    sheet = book.add_worksheet("Registre")
    sheet.write_row(0, 0, HEADERS)
    start = dt.date(2020, 1, 1)
    for r in range(1, rows + 1):
        day = start + dt.timedelta(days=r % 2500)
        year = day.year
        sheet.write_number(r, 0, year)
        sheet.write_datetime(r, 1, dt.datetime(day.year, day.month, day.day), dates)
        sheet.write_string(r, 2, f"CLIENT{r % 997} Prénom")
        sheet.write_string(r, 3, f"{year % 100:02d}.1601.{r:07d}")
        sheet.write_string(r, 4, ("FS", "QS", "PA")[r % 3])
        sheet.write_string(r, 5, _WORDS[r % len(_WORDS)])
        sheet.write_string(r, 7, _long_text(r, 7) if kind == "longs" else "RAS")
        sheet.write_string(r, 8, ("Mme Martin", "M. Leroy")[r % 2])
        due = day + dt.timedelta(days=60)
        sheet.write_datetime(r, 9, dt.datetime(due.year, due.month, due.day), dates)
        if r % 4:
            closed = day + dt.timedelta(days=20)
            sheet.write_datetime(r, 10, dt.datetime(closed.year, closed.month, closed.day), dates)
    book.close()


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("lignes", "longs"):
        print(__doc__, file=sys.stderr)
        return 2
    target = Path(argv[1])
    if not target.exists():
        write(target, argv[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
