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
from typing import Any

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
    "--ics-precedent",
    "previous_ics",
    metavar="FICHIER.ics",
    default=None,
    help="L'agenda écrit la fois précédente : les étapes qu'il contient et que le registre "
    "montre faites y sont écrites comme annulées (par défaut, l'agenda que --remplacer remplace).",
)
@click.option(
    "--ics-par-personne",
    "ics_folder",
    metavar="DOSSIER",
    default=None,
    help="Écrire un agenda par personne dans ce dossier (« relances - MARTIN Sophie.ics »).",
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
    previous_ics: str | None,
    ics_folder: str | None,
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
      suivi relances registre.xlsx --ics-par-personne agendas --remplacer
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
    if previous_ics is not None and calendar is None:
        raise SuiviError("--ics-precedent va avec --ics : indiquez aussi l'agenda à écrire.")
    folder = _folder(ics_folder)
    from suivi_xlsx import existing_output

    for out, option in ((workbook, "-o"), (calendar, "--ics")):
        if out is not None and out.exists() and not force:  # before computing: answer at once
            raise existing_output(out, option)
    previous = _previous(previous_ics, calendar, force)
    with saying("Calcul des relances"):
        follow = follow_up(registers, resolve_today(today), person=person, within=within)
    people_files = _people_files(follow, folder, force)
    if workbook is None and calendar is None and folder is None:
        # One write: a long list line by line through click is slow on Windows consoles.
        sys.stdout.write("\n".join(text_lines(follow)) + "\n")
        sys.stdout.flush()
        return
    from suivi_xlsx import write_workbook

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
        _write_calendar(follow, registers, calendar, previous, remind, force)
    if people_files is not None:
        _write_people_calendars(follow, registers, people_files, remind, force)


def _folder(name: str | None) -> Path | None:
    if name is None:
        return None
    folder = Path(name)
    if folder.exists() and not folder.is_dir():
        raise SuiviError(f"« {folder} » n'est pas un dossier : indiquez le dossier des agendas.")
    if not folder.exists() and not folder.parent.is_dir():
        raise SuiviError(f"le dossier « {folder.parent} » n'existe pas : créez-le d'abord.")
    return folder


def _previous(name: str | None, calendar: Path | None, force: bool) -> Any:
    """The previous calendar named by --ics-precedent (unreadable: exit 2), else the one
    --force replaces (unreadable: replaced without cancelling anything, and said)."""
    from suivi_xlsx import read_previous_calendar

    if name is not None:
        return read_previous_calendar(Path(name))
    if calendar is not None and force and calendar.exists():
        return _replaced(calendar)
    return None


def _replaced(path: Path) -> Any:
    from suivi_xlsx import read_previous_calendar

    try:
        return read_previous_calendar(path)
    except SuiviError:
        click.echo(
            f"Attention : l'agenda remplacé « {path.name} » n'a pas pu être relu : aucune "
            "étape n'y est annulée.",
            err=True,
        )
        return None


def _counts(plan: Any) -> str:
    from suivi_xlsx import fr_count

    text = fr_count(len(plan.reminders), "étape", "étapes")
    if plan.cancelled:
        done = fr_count(len(plan.cancelled), "étape faite", "étapes faites")
        text += f" ; {done} depuis l'agenda précédent, écrite(s) comme annulée(s)"
    return text


def _write_calendar(
    follow: Any, registers: list[Any], out: Path, previous: Any, remind: int, force: bool
) -> None:
    from suivi_xlsx import plan_calendar, step_states, write_calendar

    states = step_states(registers, follow.today) if previous is not None else None
    plan = plan_calendar(follow, previous=previous, states=states)
    from suivi_xlsx.cli.progress import saying

    with saying(f"Écriture de « {out.name} »"):
        written = write_calendar(follow, out, remind_days=remind, force=force, plan=plan)
    click.echo(f"Agenda écrit : {written} ({_counts(plan)})")


def _people_files(follow: Any, folder: Path | None, force: bool) -> tuple[Path, list[Any]] | None:
    """Each person's calendar in ``folder``; refused (exit 1) before anything is written when
    one exists without --force."""
    if folder is None:
        return None
    from suivi_xlsx import person_calendar_paths, refuse_existing_calendars

    targets = person_calendar_paths(follow, folder)
    refuse_existing_calendars([path for _, path in targets], force=force)
    return folder, targets


def _write_people_calendars(
    follow: Any, registers: list[Any], files: tuple[Path, list[Any]], remind: int, force: bool
) -> None:
    from suivi_xlsx import plan_calendar, step_states, write_calendar

    folder, targets = files
    if not targets:
        click.echo("Aucun agenda écrit : personne n'a d'étape à suivre.")
        return
    previous = {path: _replaced(path) for _, path in targets if path.exists()}
    states = step_states(registers, follow.today) if any(previous.values()) else None
    folder.mkdir(exist_ok=True)
    click.echo(f"Agendas écrits dans {folder} :")
    for person, path in targets:
        plan = plan_calendar(follow, person=person, previous=previous.get(path), states=states)
        write_calendar(follow, path, remind_days=remind, force=force, plan=plan)
        click.echo(f"  {path.name} ({_counts(plan)})")
