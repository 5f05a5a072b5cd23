"""The baselines the benchmark runs beside each job, one whole process each.

``python benchmarks/baselines.py openpyxl-read FILE``: openpyxl read-only, every value of every
sheet (what ``suivi-check`` is compared with).
``python benchmarks/baselines.py openpyxl-update FILE CELLS.json``: openpyxl load, set the cells
``suivi update`` sets (the ``missing`` list written by ``generate.py``), save in place.
``python benchmarks/baselines.py pandas-read FILE``: pandas ``read_excel`` of every sheet with
the openpyxl engine (what ``suivi summary`` is compared with).
``python benchmarks/baselines.py calamine-read FILE.ods``: python-calamine's bare read of every
value of every sheet (what ``suivi-check`` on an .ods is compared with).
``python benchmarks/baselines.py odfpy-update FILE.ods``: odfpy load and save in place (what
``suivi update`` on an .ods is compared with).
``python benchmarks/baselines.py to-ods FILE.xlsx FILE.ods``: not a baseline: the same register
as an .ods (values, dates, text), written without LibreOffice, for the .ods rows.
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


def calamine_read(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(str(path))
    cells = 0
    for name in workbook.sheet_names:
        for row in workbook.get_sheet_by_name(name).iter_rows():
            cells += sum(value != "" for value in row)
    return cells


def odfpy_update(path: Path) -> int:
    from odf.opendocument import load

    document = load(str(path))
    document.save(str(path))
    return 1


def to_ods(source: Path, target: Path) -> int:
    import datetime as dt

    from python_calamine import CalamineWorkbook

    from suivi_xlsx.ods.build import CellSpec, SheetSpec, build_ods

    workbook = CalamineWorkbook.from_path(str(source))
    sheets = []
    for name in workbook.sheet_names:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        width = max((len(row) for row in rows), default=1)
        sheet = SheetSpec(name, [(14.0, "plain")] * width)
        for row in rows:
            cells = []
            for value in row:
                if value == "" or value is None:
                    cells.append(CellSpec())
                elif isinstance(value, dt.date):
                    day = value.date() if isinstance(value, dt.datetime) else value
                    cells.append(CellSpec(day, "date"))
                elif isinstance(value, float) and value.is_integer():
                    cells.append(CellSpec(int(value)))
                else:
                    cells.append(CellSpec(str(value)))
            sheet.rows.append((None, cells))
        sheets.append(sheet)
    target.write_bytes(build_ods(sheets, [], "registre"))
    return len(sheets)


def main(argv: list[str]) -> int:
    match argv:
        case ["openpyxl-read", path]:
            openpyxl_read(Path(path))
        case ["openpyxl-update", path, cells]:
            openpyxl_update(Path(path), Path(cells))
        case ["pandas-read", path]:
            pandas_read(Path(path))
        case ["calamine-read", path]:
            calamine_read(Path(path))
        case ["odfpy-update", path]:
            odfpy_update(Path(path))
        case ["to-ods", source, target]:
            to_ods(Path(source), Path(target))
        case _:
            print(__doc__, file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
