"""Regenerate ``docs/relances-exemple.png``: one person's sheet of ``suivi relances``.

Reads ``examples/registre-exemple.xlsx``, lists the reminders of one person at a fixed date
(what ``suivi relances examples/registre-exemple.xlsx --today 2026-11-25 --personne Martin
-o relances.xlsx`` writes), converts the workbook to PDF with LibreOffice (``soffice
--headless``) and renders the person's page with poppler's ``pdftoppm``::

    python docs/make_relances.py            # writes docs/relances-exemple.png
    python docs/make_relances.py --keep DIR # also keeps the .xlsx and .pdf in DIR

Needs LibreOffice and poppler-utils (``apt-get install -y libreoffice-calc-nogui poppler-utils``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path

from pagerender import keep_copies, render_page, tools

from suivi_xlsx.outputs.followup.compute import follow_up
from suivi_xlsx.outputs.followup.files import write_workbook
from suivi_xlsx.reading.reader import load_register

HERE = Path(__file__).resolve().parent
REGISTER = HERE.parent / "examples" / "registre-exemple.xlsx"
TODAY = dt.date(2026, 11, 25)
PERSON = "Martin"


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--keep", type=Path, help="folder where to keep the .xlsx and .pdf")
    parser.add_argument("--out", type=Path, default=HERE / "relances-exemple.png")
    args = parser.parse_args()
    tools()
    follow = follow_up([load_register(REGISTER)], TODAY, person=PERSON)
    if len(follow.people) != 1:
        print(f"Aucune relance pour {PERSON} au {TODAY:%d/%m/%Y}.", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        xlsx = write_workbook(follow, work / "relances.xlsx")
        # Page 1 is the overview (Synthèse), page 2 the person's sheet.
        pdf = render_page(xlsx, args.out, work, page=2, resolution=80)
        keep_copies(args.keep, xlsx, pdf)
    print(f"{args.out} ({args.out.stat().st_size // 1024} Ko)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
