"""Generate realistic register workbooks for the benchmark (``python benchmarks/generate.py``).

A register as a driving school keeps it: a merged title row, the seed's eleven columns and a few
optional regulatory ones in an Excel table, one sheet per year (2025, 2026), real Excel dates
with a few French text dates among them, about 3 % of past-due entries still open (late), and
about 5 % of entries without an order number, for ``suivi update`` to fill in.

Written with xlsxwriter. By default with shared strings, as Excel saves a file (about 200 MB and
8 s for 100,000 rows); ``constant_memory=True`` streams instead, but then xlsxwriter writes
every text as an inline string and cannot add the Excel table, which Excel-saved files rarely
look like. The same seed gives the same workbook.

A JSON file beside the workbook lists the order numbers ``suivi update`` should write
(``missing``: sheet, cell, value), which the openpyxl baseline sets in the same cells.

``--sans-numeros`` (``legacy=True``) writes a register that never had order numbers nor years,
as a new user's first file: ``suivi update`` fills both on every row (``years`` lists the
Année cells, which the baseline sets too).
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import hashlib
import json
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

TODAY = dt.date(2026, 11, 25)  # the --today every benchmarked command gets
AGENCY = "1601"
TITLE = "Suivi des fiches signalétiques et des plans d'améliorations Grand Public"

# The seed's eleven headers, then optional regulatory columns, as a person would type them.
HEADERS: tuple[str, ...] = (
    "Année",
    "Date",
    "NOM Prénom Emetteur",
    "Numéro d'ordre aa.n°agence.n° d'ordre (ex : 12.1601.001)",
    'Origine (Mettre "FS" pour fiche signalétique si réclamation, ou "QS" pour Questionnaire de '
    'satisfaction, ou "PA" pour décision d\'amélioration)',
    "Objet",
    "Justificatif n° (le cas échéant)",
    "Suivi (Mettre date + commentaires du traitement)",
    "Nom de la personne chargée du dossier",
    "Date d'échéance",
    "Date de clôture",
    "Date accusé de réception",
    "Date de réponse",
    "Décision",
    "Voies de recours indiquées",
    "Actions correctives",
)
(
    YEAR,
    DATE,
    ISSUER,
    NUMBER,
    ORIGIN,
    SUBJECT,
    EVIDENCE,
    FOLLOW_UP,
    OWNER,
    DUE,
    CLOSED,
    ACK,
    ANSWER,
    DECISION,
    REDRESS,
    ACTIONS,
) = range(len(HEADERS))
DATE_COLUMNS = frozenset({DATE, DUE, CLOSED, ACK, ANSWER})
WIDTHS = (8, 12, 26, 16, 10, 38, 14, 44, 22, 13, 13, 13, 13, 13, 26, 36)

HEADER_ROW = 2  # 0-based: title on row 1, a blank row, the header on row 3 (as Excel shows it)

SURNAMES = (
    "DUPONT",
    "MARTIN",
    "BERNARD",
    "PETIT",
    "DURAND",
    "LEROY",
    "MOREAU",
    "SIMON",
    "LAURENT",
    "LEFEBVRE",
    "MICHEL",
    "GARCIA",
    "DAVID",
    "BERTRAND",
    "ROUX",
    "VINCENT",
    "FOURNIER",
    "MOREL",
    "GIRARD",
    "ANDRÉ",
)
FIRST_NAMES = (
    "Marie",
    "Lucas",
    "Léa",
    "Hugo",
    "Chloé",
    "Louis",
    "Emma",
    "Jules",
    "Inès",
    "Gabriel",
    "Zoé",
    "Noé",
    "Camille",
    "Théo",
    "Manon",
    "Raphaël",
)
SUBJECTS = {
    "FS": (
        "Retard de l'examinateur",
        "Heure de conduite annulée sans prévenir",
        "Facture contestée",
        "Comportement du moniteur",
        "Date d'examen non communiquée",
        "Remboursement du forfait demandé",
        "Véhicule en mauvais état",
    ),
    "QS": (
        "Questionnaire de fin de formation",
        "Satisfaction accueil",
        "Satisfaction code en ligne",
        "Questionnaire post-examen",
    ),
    "PA": (
        "Rappel des horaires aux moniteurs",
        "Nouveau planning en ligne",
        "Formation accueil client",
        "Contrôle mensuel des véhicules",
    ),
}
OWNERS = ("Mme Martin", "M. Petit", "Mme Roux", "M. Garcia", "Mme Faure")
ACTIONS_TEXT = (
    "Rappel de la procédure aux moniteurs",
    "Mise à jour du planning partagé",
    "Contrôle des véhicules chaque lundi",
    "Modèle de courrier de réponse revu",
)
REDRESS_TEXT = "Médiateur de la consommation (CNPM)"


@dataclass
class Generated:
    """What was generated, saved as JSON beside the workbook."""

    path: str
    rows: int
    sheets: dict[str, int]  # sheet name → entries
    late: int  # open entries past their due date on TODAY
    text_dates: int
    missing: list[tuple[str, str, str]] = field(default_factory=list)  # sheet, cell, number
    fingerprint: str = ""
    years: list[tuple[str, str, int]] = field(default_factory=list)  # sheet, cell, year

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self), ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> Generated:
        data = json.loads(path.read_text(encoding="utf-8"))
        data["missing"] = [tuple(m) for m in data["missing"]]
        data["years"] = [tuple(y) for y in data.get("years", [])]
        return cls(**data)


def fingerprint(rows: int, seed: int, constant_memory: bool, legacy: bool = False) -> str:
    """Changes when this file or the parameters change, so stale workbooks get regenerated."""
    source = Path(__file__).read_bytes()
    digest = hashlib.sha256(source + f"{rows}/{seed}/{constant_memory}/{legacy}".encode())
    return digest.hexdigest()[:16]


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the month's end (31/12 + 2 → 28/02)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _col_letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text_date(day: dt.date, rng: random.Random) -> str:
    return rng.choice(
        (
            f"{day.day:02d}/{day.month:02d}/{day.year}",
            f"{day.day}/{day.month}/{day.year % 100:02d}",
            f"{day.day:02d}.{day.month:02d}.{day.year}",
        )
    )


def _year_rows(year: int, count: int, rng: random.Random) -> list[list[object]]:
    """``count`` entries of one year, in Date order, each a list of cell values (None = empty)."""
    first = dt.date(year, 1, 2)
    last = min(dt.date(year, 12, 30), TODAY - dt.timedelta(days=5))
    span = (last - first).days
    out: list[list[object]] = []
    for i in range(count):
        received = first + dt.timedelta(days=(i * span) // max(count, 1))
        origin = rng.choices(("FS", "QS", "PA"), weights=(50, 35, 15))[0]
        due = add_months(received, 2) if origin == "FS" else received + dt.timedelta(days=30)
        if due >= TODAY:
            closed = None if rng.random() < 0.7 else received + dt.timedelta(days=rng.randint(1, 9))
        elif rng.random() < 0.03:
            closed = None  # late
        elif rng.random() < 0.03:  # closed after its due date
            closed = min(due + dt.timedelta(days=rng.randint(1, 20)), TODAY - dt.timedelta(days=1))
        else:
            closed = received + dt.timedelta(days=rng.randint(1, (due - received).days))
        row: list[object] = [None] * len(HEADERS)
        row[YEAR] = year
        row[DATE] = received
        row[ISSUER] = f"{rng.choice(SURNAMES)} {rng.choice(FIRST_NAMES)}"
        row[NUMBER] = f"{year % 100:02d}.{AGENCY}.{i + 1:03d}"
        row[ORIGIN] = origin
        row[SUBJECT] = rng.choice(SUBJECTS[origin])
        if rng.random() < 0.3:
            row[EVIDENCE] = f"J-{year}-{rng.randint(1, 9999):04d}"
        if closed is not None:
            row[FOLLOW_UP] = f"{closed:%d/%m/%Y} : dossier traité, client informé"
        elif rng.random() < 0.5:
            row[FOLLOW_UP] = f"{received + dt.timedelta(days=2):%d/%m/%Y} : en cours"
        row[OWNER] = None if rng.random() < 0.01 else rng.choice(OWNERS)
        row[DUE] = due
        row[CLOSED] = closed
        if origin == "FS":
            if rng.random() < 0.98:
                row[ACK] = received + dt.timedelta(days=rng.randint(1, 9))
            if closed is not None:
                row[ANSWER] = closed
                decision = rng.choices(
                    ("acceptée", "rejet partiel", "rejet total"), weights=(80, 15, 5)
                )[0]
                row[DECISION] = decision
                if decision != "acceptée" and rng.random() < 0.9:
                    row[REDRESS] = REDRESS_TEXT
            if rng.random() < 0.2:
                row[ACTIONS] = rng.choice(ACTIONS_TEXT)
        out.append(row)
    return out


def generate(
    path: Path,
    rows: int,
    *,
    seed: int = 2026,
    constant_memory: bool = False,
    legacy: bool = False,
) -> Generated:
    """Write a register of ``rows`` entries at ``path`` (two year sheets) and its JSON beside it.
    ``legacy``: no order number and no year on any row."""
    import xlsxwriter

    rng = random.Random(f"{seed}/{rows}")
    counts = {"2025": rows - rows // 2, "2026": rows // 2}
    info = Generated(
        path=str(path),
        rows=rows,
        sheets=counts,
        late=0,
        text_dates=0,
        fingerprint=fingerprint(rows, seed, constant_memory, legacy),
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = xlsxwriter.Workbook(
        str(path), {"constant_memory": constant_memory, "strings_to_numbers": False}
    )
    workbook.set_properties({"created": dt.datetime(2026, 1, 5, 9, 0, 0), "author": "Accueil"})
    title = workbook.add_format({"bold": True, "font_size": 14})
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    for name, count in counts.items():
        year = int(name)
        data = _year_rows(year, count, rng)
        # ~5 % of entries lose their order number: the update numbers them after the highest
        # number kept for the year, in Date order (the rows are in Date order already).
        dropped = sorted(rng.sample(range(count), k=round(count * 0.05)))
        if legacy:
            dropped = list(range(count))
            for i in dropped:
                data[i][YEAR] = None
                cell = f"{_col_letter(YEAR)}{HEADER_ROW + 2 + i}"
                info.years.append((name, cell, year))
        for i in dropped:
            data[i][NUMBER] = None
        dropped_set = set(dropped)
        kept = [i + 1 for i in range(count) if i not in dropped_set]
        next_seq = max(kept, default=0) + 1
        for i in dropped:
            cell = f"{_col_letter(NUMBER)}{HEADER_ROW + 2 + i}"
            info.missing.append((name, cell, f"{year % 100:02d}.{AGENCY}.{next_seq:03d}"))
            next_seq += 1

        sheet = workbook.add_worksheet(name)
        for col, width in enumerate(WIDTHS):
            sheet.set_column(col, col, width)
        sheet.freeze_panes(HEADER_ROW + 1, 0)
        sheet.merge_range(0, 0, 0, 7, TITLE, title)
        last_row = HEADER_ROW + max(count, 1)
        if constant_memory:
            sheet.write_row(HEADER_ROW, 0, HEADERS, header)
            sheet.autofilter(HEADER_ROW, 0, last_row, len(HEADERS) - 1)
        else:
            sheet.add_table(
                HEADER_ROW,
                0,
                last_row,
                len(HEADERS) - 1,
                {
                    "name": f"Registre{name}",
                    "style": "Table Style Medium 2",
                    "columns": [{"header": h, "header_format": header} for h in HEADERS],
                },
            )
        sheet.data_validation(
            HEADER_ROW + 1,
            ORIGIN,
            last_row,
            ORIGIN,
            {"validate": "list", "source": ["FS", "QS", "PA"]},
        )
        sheet.data_validation(
            HEADER_ROW + 1,
            DECISION,
            last_row,
            DECISION,
            {"validate": "list", "source": ["acceptée", "rejet partiel", "rejet total"]},
        )
        for i, values in enumerate(data):
            r = HEADER_ROW + 1 + i
            due = values[DUE]
            if values[CLOSED] is None and isinstance(due, dt.date) and due < TODAY:
                info.late += 1
            for col, value in enumerate(values):
                if value is None:
                    continue
                if col in DATE_COLUMNS and isinstance(value, dt.date):
                    if col == DATE and rng.random() < 0.02:
                        sheet.write_string(r, col, _text_date(value, rng))
                        info.text_dates += 1
                    else:
                        sheet.write_datetime(
                            r, col, dt.datetime.combine(value, dt.time()), date_format
                        )
                elif isinstance(value, int):
                    sheet.write_number(r, col, value)
                else:
                    sheet.write_string(r, col, str(value))
    workbook.close()
    info.save(path.with_suffix(".json"))
    return info


def ensure(
    path: Path,
    rows: int,
    *,
    seed: int = 2026,
    constant_memory: bool = False,
    legacy: bool = False,
) -> Generated:
    """The workbook at ``path``, generated again only when missing or made by other code."""
    meta = path.with_suffix(".json")
    if path.exists() and meta.exists():
        try:
            info = Generated.load(meta)
        except (ValueError, TypeError, KeyError):
            pass
        else:
            if info.fingerprint == fingerprint(rows, seed, constant_memory, legacy):
                return info
    return generate(path, rows, seed=seed, constant_memory=constant_memory, legacy=legacy)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Génère un registre de test réaliste.")
    parser.add_argument("sortie", type=Path, help="fichier .xlsx à écrire")
    parser.add_argument("--lignes", type=int, default=10_000, help="nombre de fiches")
    parser.add_argument("--graine", type=int, default=2026, help="graine aléatoire")
    parser.add_argument(
        "--constant-memory",
        action="store_true",
        help="mode constant_memory de xlsxwriter (chaînes en ligne, sans tableau Excel)",
    )
    parser.add_argument(
        "--si-besoin",
        action="store_true",
        help="ne régénère pas un fichier déjà produit par ce code avec ces paramètres",
    )
    parser.add_argument(
        "--sans-numeros",
        action="store_true",
        help="aucun numéro d'ordre ni aucune année : suivi update les remplit sur chaque ligne",
    )
    args = parser.parse_args(argv)
    make = ensure if args.si_besoin else generate
    info = make(
        args.sortie,
        args.lignes,
        seed=args.graine,
        constant_memory=args.constant_memory,
        legacy=args.sans_numeros,
    )
    print(
        f"{info.path} : {info.rows} fiches, {len(info.missing)} sans numéro, "
        f"{info.late} en retard, {info.text_dates} dates en texte"
    )


if __name__ == "__main__":
    main()
