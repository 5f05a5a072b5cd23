"""Regenerate ``docs/bilan-exemple.png``: the first page of an example annual summary.

Builds a realistic register in code (about fifty entries of 2024 and forty of 2023), writes its
summary with ``write_summary``, converts it to PDF with LibreOffice (``soffice --headless``)
and renders page 1 with poppler's ``pdftoppm``::

    python docs/make_screenshot.py            # writes docs/bilan-exemple.png
    python docs/make_screenshot.py --keep DIR # also keeps the .xlsx and .pdf in DIR

Needs LibreOffice and poppler-utils (``apt-get install -y libreoffice-calc-nogui poppler-utils``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
from pathlib import Path
from types import MappingProxyType

from pagerender import keep_copies, render_page, tools

from suivi_xlsx.domain.model import (
    OPTIONAL_COLUMNS,
    SEED_COLUMNS,
    Entry,
    Origin,
    Register,
    RegisterSheet,
    Settings,
)
from suivi_xlsx.domain.numbering import format_order_number, parse_order_number
from suivi_xlsx.outputs.summary.stats import yearly_stats
from suivi_xlsx.outputs.summary.workbook import write_summary

HERE = Path(__file__).resolve().parent
YEAR = 2024
TODAY = dt.date(2025, 1, 15)

COMPLAINTS = (
    ("Moniteur en retard à la leçon de conduite", "Ponctualité des moniteurs"),
    ("Contestation de la facture des heures supplémentaires", "Information sur les tarifs"),
    ("Date d'examen pratique repoussée sans explication", "Planification des examens"),
    ("Accueil téléphonique désagréable", "Accueil"),
    ("Leçon annulée le jour même", "Planification des leçons"),
    ("Demande de remboursement du forfait code", "Conditions de remboursement"),
    ("Véhicule école mal entretenu", "Entretien des véhicules"),
    ("Livret d'apprentissage non rempli", "Suivi pédagogique"),
)
SURVEYS = (
    "Questionnaire de fin de formation B",
    "Questionnaire de fin de formation AAC",
    "Avis laissé sur la plateforme en ligne",
    "Questionnaire de satisfaction code",
)
IMPROVEMENTS = (
    "Rappel SMS des leçons la veille",
    "Formation des secrétaires à l'accueil téléphonique",
    "Affichage des tarifs détaillés à l'accueil",
    "Planning des examens partagé avec les élèves",
    "Contrôle mensuel des véhicules",
    "Révision du livret d'accueil de l'élève",
)
OWNERS = ("Mme Martin", "M. Durand", "Mme Petit", "M. Lefèvre")
NAMES = (
    "BERNARD Léa",
    "THOMAS Hugo",
    "ROBERT Chloé",
    "RICHARD Lucas",
    "DUBOIS Emma",
    "MOREAU Nathan",
    "LAURENT Manon",
    "SIMON Enzo",
    "MICHEL Camille",
    "GARCIA Louis",
    "ROUX Inès",
    "FOURNIER Jules",
)
COLUMNS = MappingProxyType(
    {column: index for index, column in enumerate((*SEED_COLUMNS, *OPTIONAL_COLUMNS))}
)


def example_entries(year: int, count: int, rng: random.Random, first_row: int) -> list[Entry]:
    """``count`` entries of ``year``, numbered in Date order, a few late or still open."""
    days = sorted(rng.randrange(0, 365) for _ in range(count))
    entries = []
    for seq, offset in enumerate(days, start=1):
        received = dt.date(year, 1, 1) + dt.timedelta(days=offset)
        origin = rng.choices((Origin.FS, Origin.QS, Origin.PA), weights=(5, 4, 2))[0]
        owner = rng.choice(OWNERS)
        number = format_order_number(year % 100, "1601", seq)
        values: dict[str, object] = {}
        if origin is Origin.FS:
            subject, dysfunction = rng.choice(COMPLAINTS)
            due = received + dt.timedelta(days=61)
            handling = rng.choice((8, 12, 18, 25, 30, 41, 55, 70))
            ack = received + dt.timedelta(days=rng.choice((2, 3, 5, 7, 9, 14)))
            closed = received + dt.timedelta(days=handling)
            values = {
                "acknowledged_on": ack if ack <= TODAY else None,
                "answered_on": closed if closed <= TODAY else None,
                "dysfunctions": dysfunction,
                "corrective_actions": (rng.choice(IMPROVEMENTS) if rng.random() < 0.4 else None),
            }
            issuer = rng.choice(NAMES)
        elif origin is Origin.QS:
            subject = rng.choice(SURVEYS)
            due = received + dt.timedelta(days=30)
            closed = received + dt.timedelta(days=rng.choice((3, 5, 7, 10, 14)))
            issuer = rng.choice(NAMES)
        else:
            subject = rng.choice(IMPROVEMENTS)
            due = received + dt.timedelta(days=rng.choice((60, 90, 120)))
            closed = received + dt.timedelta(days=rng.choice((35, 50, 80, 100, 130)))
            issuer = owner
        closed_on: dt.date | None = closed
        if closed > TODAY or (received.month >= 11 and rng.random() < 0.5):
            closed_on = None
        entries.append(
            Entry(
                sheet=str(year),
                row=first_row + seq,
                columns=COLUMNS,
                year=year,
                received_on=received,
                issuer=issuer,
                order_text=number,
                order_number=parse_order_number(number),
                origin=origin,
                subject=subject,
                follow_up=f"{received:%d/%m} : dossier ouvert",
                owner=owner,
                due_on=due,
                closed_on=closed_on,
                **values,  # type: ignore[arg-type]
            )
        )
    return entries


def example_register() -> Register:
    rng = random.Random(1601)
    sheets = []
    for year, count in ((YEAR - 1, 41), (YEAR, 52)):
        entries = example_entries(year, count, rng, 1)
        sheets.append(RegisterSheet(str(year), 1, COLUMNS, {}, tuple(entries), 1 + len(entries)))
    return Register(Path("registre-1601.xlsx"), tuple(sheets), Settings(agency="1601"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", type=Path, help="folder where to keep the .xlsx and .pdf")
    parser.add_argument("--out", type=Path, default=HERE / "bilan-exemple.png")
    args = parser.parse_args()
    tools()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        xlsx = write_summary(
            yearly_stats([example_register()], YEAR, TODAY), work / f"bilan-{YEAR}.xlsx"
        )
        pdf = render_page(xlsx, args.out, work, resolution=110)
        keep_copies(args.keep, xlsx, pdf)
    print(f"{args.out} ({args.out.stat().st_size // 1024} Ko)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
