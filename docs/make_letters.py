"""Regenerate ``docs/courrier-accuse-reception.png`` and ``docs/courrier-reponse.png``: the
first page of each letter of ``suivi courrier``, as LibreOffice prints it.

Builds two complaints of an example register in code, fills the shipped templates
(``letters.build_letter`` + ``docx_letters.render_letter``), converts the letters to PDF with
LibreOffice (``soffice --headless``) and renders page 1 with poppler's ``pdftoppm``::

    python docs/make_letters.py            # writes the two PNG files in docs/
    python docs/make_letters.py --keep DIR # also keeps the .docx and .pdf in DIR

Needs LibreOffice and poppler-utils (``apt-get install -y libreoffice-writer-nogui
poppler-utils``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from pathlib import Path
from types import MappingProxyType

from pagerender import render_page

from suivi_xlsx.domain.model import (
    OPTIONAL_COLUMNS,
    SEED_COLUMNS,
    Decision,
    Entry,
    Origin,
    Register,
    RegisterSheet,
    Settings,
)
from suivi_xlsx.domain.numbering import parse_order_number
from suivi_xlsx.outputs.letters.content import LetterKind, build_letter
from suivi_xlsx.outputs.letters.docx import render_letter

HERE = Path(__file__).resolve().parent
TODAY = dt.date(2026, 12, 3)
COLUMNS = MappingProxyType({c: i for i, c in enumerate((*SEED_COLUMNS, *OPTIONAL_COLUMNS))})

SETTINGS = Settings(
    agency="1601",
    school_name="Auto-école du Lac",
    school_address="12 rue du Lac\n74000 Annecy",
    signatory="Claire Bernard, gérante",
    mediator_name="CNPM Médiation Consommation",
    mediator_address="27 avenue de la Libération\n42400 Saint-Chamond",
    mediator_website="www.cnpm-mediation-consommation.eu",
)


def _entry(row: int, number: str, **values: object) -> Entry:
    return Entry(
        sheet="Registre",
        row=row,
        columns=COLUMNS,
        year=2026,
        order_text=number,
        order_number=parse_order_number(number),
        origin=Origin.FS,
        **values,  # type: ignore[arg-type]
    )


ACKNOWLEDGEMENT = _entry(
    2,
    "26.1601.014",
    received_on=dt.date(2026, 11, 27),
    issuer="Mme DUPONT Marie",
    address="8 chemin des Alpes\nRésidence Les Pins",
    postcode="74960",
    town="Cran-Gevrier",
    subject="Leçon de conduite annulée le jour même sans prévenir",
    product="Forfait permis B 20 heures",
    owner="Mme Martin",
)
ANSWER = _entry(
    3,
    "26.1601.011",
    received_on=dt.date(2026, 10, 6),
    issuer="M. MARTIN Paul",
    address="3 place de l'Hôtel de Ville",
    postcode="74100",
    town="Annemasse",
    subject="Contestation de trois heures de conduite facturées",
    product="Heures de conduite supplémentaires",
    owner="Mme Martin",
    acknowledged_on=dt.date(2026, 10, 8),
    answered_on=dt.date(2026, 12, 3),
    decision=Decision.PARTIAL_REJECTION,
    answer=(
        "Après vérification du planning et des fiches de suivi signées, deux des trois heures "
        "contestées ont bien été effectuées avec votre moniteur, les 14 et 21 septembre.\n"
        "La troisième, annulée par nos soins le 28 septembre, vous a été facturée par erreur : "
        "nous vous la remboursons (45 €) par virement sous huit jours."
    ),
)


def _register() -> Register:
    entries = (ACKNOWLEDGEMENT, ANSWER)
    sheet = RegisterSheet("Registre", 1, COLUMNS, {}, entries, 3)
    return Register(None, (sheet,), SETTINGS)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="garder les .docx et .pdf dans ce dossier")
    args = parser.parse_args(argv)
    register = _register()
    with tempfile.TemporaryDirectory() as temp:
        workdir = args.keep or Path(temp)
        workdir.mkdir(parents=True, exist_ok=True)
        for kind, entry in (
            (LetterKind.ACKNOWLEDGEMENT, ACKNOWLEDGEMENT),
            (LetterKind.ANSWER, ANSWER),
        ):
            letter = build_letter(register, entry, kind, TODAY)
            docx = workdir / letter.file_name
            docx.write_bytes(render_letter(letter))
            png = HERE / f"courrier-{kind.value}.png"
            render_page(docx, png, workdir)
            print(f"Écrit : {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
