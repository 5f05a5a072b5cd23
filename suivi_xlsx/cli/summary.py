"""``suivi summary``: the annual summary workbook (*bilan annuel*) of one or several registers.

Thin: check the paths, read each register, compute the year's figures (``stats.yearly_stats``),
write the workbook (``summary.write_summary``), print a short French recap. The reader, the
statistics and xlsxwriter are imported inside the command so that ``suivi --help`` stays fast.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from suivi_xlsx.cli.common import (
    CONTEXT_SETTINGS,
    FrenchCommand,
    french_errors,
    output_option,
    output_path,
    register_paths,
    replace_option,
    resolve_today,
    sheet_option,
    today_option,
)

if TYPE_CHECKING:
    from suivi_xlsx import Share, YearlyStats


def _percent(share: Share | None) -> str:
    if share is None or share.ratio is None:
        return "n.d."
    return f"{round(share.ratio * 100)} %"


def _recap(stats: YearlyStats) -> list[str]:
    total = stats.total
    counts = total.entries
    origins = f"FS {counts.fs}, QS {counts.qs}, PA {counts.pa}"
    if counts.other:
        origins += f", origine vide ou illisible {counts.other}"
    lines = [
        f"Bilan {stats.year} : {counts.total} entrée{'s' if counts.total > 1 else ''} "
        f"({origins}) ; au {stats.today:%d/%m/%Y}, {total.open} en cours dont "
        f"{total.overdue} en retard."
    ]
    if len(stats.agencies) > 1:
        lines.append(
            f"{len(stats.agencies)} agences : "
            + ", ".join(f"{a.label} ({a.figures.entries.total})" for a in stats.agencies)
            + "."
        )
    from suivi_xlsx import ack_delay_text, answer_delay_text, undated_text, within

    if counts.fs:
        # The delays the registers' Paramètres set (« dans le délai » when they differ).
        lines.append(
            f"Réclamations : accusé de réception {within(ack_delay_text(stats))} "
            f"{_percent(total.acknowledged)}, réponse {within(answer_delay_text(stats))} "
            f"{_percent(total.answered)}."
        )
    undated = undated_text(stats)
    if undated is not None:
        lines.append(undated)
    return lines


@click.command(cls=FrenchCommand, context_settings=CONTEXT_SETTINGS)
@click.argument("fichiers", metavar="FICHIER...", nargs=-1, required=True)
@click.option(
    "--annee",
    "--year",
    "year",
    type=click.IntRange(1900, 2999),
    required=True,
    metavar="AAAA",
    help="Année du bilan : les entrées dont la Date tombe cette année-là.",
)
@output_option(
    "FICHIER",
    "Classeur du bilan à créer (par défaut : bilan-AAAA.xlsx dans le dossier courant).",
)
@today_option
@replace_option("Remplacer le bilan s'il existe déjà.")
@sheet_option("Ne lire que cette feuille de chaque registre.")
@french_errors
def summary(
    fichiers: tuple[str, ...],
    year: int,
    output: str | None,
    today: dt.date | None,
    force: bool,
    sheet: str | None,
) -> None:
    """Produit le bilan annuel (un nouveau classeur) à partir d'un ou plusieurs registres,
    un par agence : synthèse, entrées par mois, délais, dossiers en cours, améliorations,
    avec graphiques. Les registres sont seulement lus.

    Code de sortie : 0 bilan écrit, 1 refusé (bilan déjà présent, aucune entrée de l'année),
    2 si un registre est illisible.

    \b
    Exemple :
      suivi bilan registre.xlsx --annee 2025
      suivi bilan lyon.xlsx annecy.xlsx --annee 2025 -o bilan-reseau-2025.xlsx
      suivi bilan registre.xlsx --annee 2025 --date 2025-12-31 --remplacer

    Ancien nom, toujours accepté : suivi summary.
    """
    from suivi_xlsx import existing_output, load_register, write_summary, yearly_stats

    paths = register_paths(fichiers)
    # The registers first: a bad register is the problem to state, before anything about the
    # bilan to write (its name, or that it exists).
    from suivi_xlsx.cli.progress import progress_line, saying

    with progress_line() as progress:
        registers = [load_register(path, sheet=sheet, progress=progress) for path in paths]
    out = output_path(
        Path(output) if output else Path(f"bilan-{year}.xlsx"),
        what="le bilan",
        suffix=".xlsx",
        option="-o",
        example=f"bilan-{year}.xlsx",
        inputs=[(path, "un des registres lus") for path in paths],
    )
    if out.exists() and not force:  # before computing and writing: answer at once
        raise existing_output(out)
    with saying(f"Calcul du bilan {year}"):
        stats = yearly_stats(registers, year, resolve_today(today))
    with saying(f"Écriture de « {out.name} »"):
        written = write_summary(stats, out, force=force)
    for line in _recap(stats):
        click.echo(line)
    click.echo(f"Bilan écrit : {written}")
