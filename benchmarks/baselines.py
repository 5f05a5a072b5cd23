"""The baselines the benchmark runs beside each job, one whole process each.

``python benchmarks/baselines.py openpyxl-read FILE``: openpyxl read-only, every value of every
sheet (what ``suivi-check`` is compared with).
``python benchmarks/baselines.py openpyxl-update FILE CELLS.json``: openpyxl load, set the cells
``suivi update`` sets (the ``missing`` list written by ``generate.py``), save in place.
``python benchmarks/baselines.py pandas-read FILE``: pandas ``read_excel`` of every sheet with
the openpyxl engine (what ``suivi summary`` is compared with).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path


def openpyxl_read(path: Path) -> int:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    cells = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells += sum(value is not None for value in row)
    workbook.close()
    return cells


def openpyxl_update(path: Path, cells_json: Path) -> int:
    from openpyxl import load_workbook

    cells = json.loads(cells_json.read_text(encoding="utf-8"))
    missing = cells["missing"] + cells.get("years", [])  # years: a register without them
    workbook = load_workbook(path)
    for sheet, cell, value in missing:
        workbook[sheet][cell] = value
    workbook.save(path)
    return len(missing)


def pandas_read(path: Path) -> int:
    import pandas as pd

    frames = pd.read_excel(path, sheet_name=None, engine="openpyxl")
    return sum(len(frame) for frame in frames.values())


def main(argv: list[str]) -> int:
    match argv:
        case ["openpyxl-read", path]:
            openpyxl_read(Path(path))
        case ["openpyxl-update", path, cells]:
            openpyxl_update(Path(path), Path(cells))
        case ["pandas-read", path]:
            pandas_read(Path(path))
        case _:
            print(__doc__, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
