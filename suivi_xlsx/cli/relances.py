"""``suivi relances``: what each person in charge must do next, by when.

Thin: check the paths, read each register, compute the reminders (``followup.follow_up``),
print them, or write them to a workbook (``-o``) and/or a calendar (``--ics``) with
``followup_output``. The registers are only read. The reader, xlsxwriter and icalendar are
imported inside the command so that ``suivi --help`` stays fast.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from suivi_xlsx import SuiviError
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


def _output(
    name: str | None, suffix: str, option: str, example: str, registers: list[Path]
) -> Path | None:
    if name is None:
        return None
    return output_path(
        Path(name),
        what="la liste des relances" if suffix == ".xlsx" else "l'agenda",
        suffix=suffix,
        option=option,
        example=example,
        inputs=[(path, "un des registres lus") for path in registers],
    )


def _former_within(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    """``--jours N``, the first name of ``--dans N``: still read as such. Elsewhere ``--jours``
    means calendar or working days (suivi controle --jours ouvrables): said, not guessed."""
    if value is None:
        return None
    text = value.strip()
    if text.isdigit():
        return int(text)
    raise click.BadParameter(
        f"« {text} » : pour les relances, --jours s'écrit maintenant --dans N (les étapes à "
        "faire dans les N jours). Pour compter les délais en jours ouvrables ou calendaires, "
        "remplissez la ligne « Décompte des jours (accusé de réception) » de la feuille "
        "Paramètres du registre.",
        ctx,
        param,
    )


@click.command(cls=FrenchCommand, context_settings=CONTEXT_SETTINGS)
@click.argument("fichiers", metavar="FICHIER...", nargs=-1, required=True)
@today_option
@click.option(
    "--personne",
    "person",
    metavar="NOM",
    default=None,
    help="Ne garder qu'une personne, quelle que soit l'écriture du nom (« mme MARTIN "
    "Sophie », « Martin » s'il n'y a qu'une personne de ce nom ; « Sans responsable » : les "
    "dossiers sans personne chargée).",
)
@click.option(
    "--dans",
    "within",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Ne garder que les étapes à faire dans les N jours, et celles en retard.",
)
@click.option("--jours", "former_within", default=None, hidden=True, callback=_former_within)
@sheet_option("Ne lire que cette feuille de chaque registre.")
@output_option(
    "FICHIER.xlsx",
    "Écrire les relances dans un classeur : une synthèse et une feuille par personne.",
)
@click.option(
    "--ics",
    "ics",
    metavar="FICHIER.ics",
    default=None,
    help="Écrire les relances dans un agenda (Outlook, Google Agenda, Thunderbird).",
)
@click.option(
    "--rappel",
    "remind",
    type=click.IntRange(0, 365),
    default=2,
    show_default=True,
    metavar="N",
    help="Dans l'agenda, rappel N jours avant chaque échéance.",
)
@replace_option("Remplacer le classeur ou l'agenda s'il existe déjà.")
@french_errors
def relances(
    fichiers: tuple[str, ...],
    today: dt.date | None,
    person: str | None,
    within: int | None,
    former_within: int | None,
    sheet: str | None,
    output: str | None,
    ics: str | None,
    remind: int,
    force: bool,
) -> None:
    """Ce que chaque personne chargée d'un dossier doit faire, et pour quand : accuser
    réception, répondre, donner des nouvelles (si la feuille Paramètres en fixe le rythme),
    clôturer. Les étapes en retard d'abord, puis par date. Les registres sont seulement lus.

    Code de sortie : 0 fait, 1 refusé (fichier de sortie déjà présent sans --remplacer),
    2 si un registre est illisible.

    \b
    Exemple :
      suivi relances registre.xlsx
      suivi relances registre.xlsx --personne "Mme Martin" --dans 15
      suivi relances lyon.xlsx annecy.xlsx -o relances.xlsx --ics relances.ics
    """
    from suivi_xlsx import follow_up, load_register, text_lines

    if within is None:
        within = former_within

    paths = register_paths(fichiers)
    # The registers first: a bad register is the problem to state, before anything about the
    # files to write (their names, or that they exist).
    from suivi_xlsx.cli.progress import progress_line, saying

    with progress_line() as progress:
        registers = [load_register(path, sheet=sheet, progress=progress) for path in paths]
    workbook = _output(output, ".xlsx", "-o", "relances.xlsx", paths)
    calendar = _output(ics, ".ics", "--ics", "relances.ics", paths)
    if workbook is not None and calendar is not None and workbook.resolve() == calendar.resolve():
        raise SuiviError("le classeur et l'agenda doivent être deux fichiers différents.")
    from suivi_xlsx import existing_output

    for out, option in ((workbook, "-o"), (calendar, "--ics")):
        if out is not None and out.exists() and not force:  # before computing: answer at once
            raise existing_output(out, option)
    with saying("Calcul des relances"):
        follow = follow_up(registers, resolve_today(today), person=person, within=within)
    if workbook is None and calendar is None:
        # One write: a long list line by line through click is slow on Windows consoles.
        sys.stdout.write("\n".join(text_lines(follow)) + "\n")
        sys.stdout.flush()
        return
    from suivi_xlsx import write_calendar, write_workbook

    lines = text_lines(follow)
    click.echo(lines[0])
    for line in lines[1:]:
        if line and not line.startswith(" "):  # the people's headings, and notes
            click.echo(f"  {line}")
    if workbook is not None:
        with saying(f"Écriture de « {workbook.name} »"):
            written = write_workbook(follow, workbook, force=force)
        click.echo(f"Classeur écrit : {written}")
    if calendar is not None:
        with saying(f"Écriture de « {calendar.name} »"):
            written = write_calendar(follow, calendar, remind_days=remind, force=force)
        click.echo(f"Agenda écrit : {written}")
