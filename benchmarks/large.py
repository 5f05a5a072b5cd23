"""Registers as large as Excel can hold, for the memory rows of ``benchmarks/run.py``.

``python benchmarks/large.py lignes FILE.xlsx``: one sheet of 1,048,576 rows (Excel's last
row) × the seed's 11 columns: a header and 1,048,575 entries.

``python benchmarks/large.py longs FILE.xlsx``: 20,000 entries whose *Objet* and *Suivi* cells
(the columns for long texts) each hold 32,767 characters (Excel's longest cell), all different.

``python benchmarks/large.py partagees FILE.xlsx``: the same 20,000 entries with their texts
in the shared-strings table, as Excel saves them (calamine would hold them once more).

The first two are written with xlsxwriter in constant-memory mode (texts as inline strings),
the third is converted from the second as it streams, so this process stays small however big
the file; the same arguments give the same file.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import zipfile
from pathlib import Path
from typing import BinaryIO

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
        sheet.write_string(r, 5, _long_text(r, 5) if kind == "longs" else _WORDS[r % len(_WORDS)])
        sheet.write_string(r, 7, _long_text(r, 7) if kind == "longs" else "RAS")
        sheet.write_string(r, 8, ("Mme Martin", "M. Leroy")[r % 2])
        due = day + dt.timedelta(days=60)
        sheet.write_datetime(r, 9, dt.datetime(due.year, due.month, due.day), dates)
        if r % 4:
            closed = day + dt.timedelta(days=20)
            sheet.write_datetime(r, 10, dt.datetime(closed.year, closed.month, closed.day), dates)
    book.close()


_INLINE_RE = re.compile(
    rb'<c r="([A-Z]+[0-9]+)"( s="[0-9]+")? t="inlineStr"><is><t>(.*?)</t></is></c>'
)
_SST_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
_SST_REL = (
    b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
_SST_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


class _Table:
    """The shared-strings table being written: long texts all different, short ones shared."""

    def __init__(self, stream: BinaryIO) -> None:
        self.stream = stream
        self.count = 0
        self.short: dict[bytes, int] = {}

    def cell(self, match: re.Match[bytes]) -> bytes:
        text = match[3]
        index = self.short.get(text)
        if index is None:
            index = self.count
            self.stream.write(b"<si><t>" + text + b"</t></si>")
            self.count += 1
            if len(text) < 256:
                self.short[text] = index
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (match[1], match[2] or b"", index)


def to_shared_strings(source: Path, target: Path) -> None:
    """``source`` with its inline strings moved to a shared-strings table, streaming."""
    sst = target.with_suffix(".sst.tmp")
    with zipfile.ZipFile(source) as book, sst.open("wb") as stream:
        stream.write(_SST_HEAD)
        table = _Table(stream)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
            for info in book.infolist():
                data = b""
                if info.filename == "xl/worksheets/sheet1.xml":
                    with book.open(info) as part, out.open(info.filename, "w") as sink:
                        carry = b""
                        while chunk := part.read(1 << 22):
                            data = carry + chunk
                            cut = data.rfind(b"</row>") + len(b"</row>")
                            sink.write(_INLINE_RE.sub(table.cell, data[:cut]))
                            carry = data[cut:]
                        sink.write(carry)
                    continue
                data = book.read(info)
                if info.filename == "xl/_rels/workbook.xml.rels":
                    data = data.replace(b"</Relationships>", _SST_REL)
                elif info.filename == "[Content_Types].xml":
                    data = data.replace(b"</Types>", _SST_TYPE)
                out.writestr(info, data)
            stream.write(b"</sst>")
            stream.close()
            with sst.open("rb") as part, out.open("xl/sharedStrings.xml", "w") as sink:
                while chunk := part.read(1 << 22):
                    sink.write(chunk)
    sst.unlink()


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in ("lignes", "longs", "partagees"):
        print(__doc__, file=sys.stderr)
        return 2
    target = Path(argv[1])
    if target.exists():
        return 0
    if argv[0] == "partagees":
        inline = target.with_name(target.stem + "-en-ligne.xlsx")
        if not inline.exists():
            write(inline, "longs")
        to_shared_strings(inline, target)
        inline.unlink()
    else:
        write(target, argv[0])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
