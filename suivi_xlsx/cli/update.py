"""``suivi update``: number, complete and highlight the register in the user's own workbook.

Thin: check the path, read, plan (``update.plan_update``), print the plan in French, then
write it with ``xlsx.write.apply_update`` unless ``--dry-run``. The reader, the planner and the
writer are imported inside the command so that ``suivi --help`` stays fast.
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
    resolve_today,
    sheet_option,
    soon_option,
    today_option,
)

if TYPE_CHECKING:
    from suivi_xlsx import Progress, Register


def _read(
    path: Path, sheet: str | None, progress: Progress | None
) -> tuple[Register, list[str] | None]:
    """The register, with every register sheet so that new numbers continue after those used
    on any sheet, and the sheets to edit (``None``: all). ``--sheet`` is matched as the reader
    does (blanks and case aside)."""
    from suivi_xlsx import NoRegisterError, Register, load_register

    if sheet is None:
        return load_register(path, progress=progress), None
    try:
        register = load_register(path, progress=progress)
    except NoRegisterError:
        only = load_register(path, sheet=sheet)  # the reader's own French error, if any
        return only, [s.name for s in only.sheets]
    names = [s.name for s in register.sheets]
    if sheet in names:
        return register, [sheet]
    folded = [name for name in names if name.strip().casefold() == sheet.strip().casefold()]
    if len(folded) == 1:
        return register, folded
    # Not among the register sheets: the reader says why in French (missing, not a register).
    only = load_register(path, sheet=sheet)
    extra = tuple(s for s in only.sheets if s.name not in names)
    merged = Register(
        path=register.path, sheets=register.sheets + extra, settings=register.settings
    )
    return merged, [s.name for s in only.sheets]


@click.command(cls=FrenchCommand, context_settings=CONTEXT_SETTINGS)
@click.argument("fichier", metavar="FICHIER")
@today_option
@click.option(
    "--agence",
    metavar="NNNN",
    default=None,
    help="Numéro d'agence des nouveaux numéros d'ordre (par défaut : feuille Paramètres, "
    "sinon l'agence des numéros existants).",
)
@click.option(
    "--simulation",
    "--dry-run",
    "dry_run",
    is_flag=True,
    help="Affiche ce qui serait modifié, sans rien écrire.",
)
@click.option(
    "--sans-copie",
    "--no-backup",
    "no_backup",
    is_flag=True,
    help="Ne pas garder de copie datée du classeur d'origine.",
)
@click.option(
    "--convertir-dates",
    "convert_dates",
    is_flag=True,
    help="Convertit en vraies dates les dates saisies comme du texte dans les colonnes de "
    "dates (jj/mm/aaaa), pour que le surlignage les voie ; les mots (« en cours ») restent.",
)
@click.option(
    "--corriger-ecritures",
    "fix_spellings",
    is_flag=True,
    help="Écrit les origines et numéros d'ordre lus d'une autre écriture sous leur forme "
    "exacte (« récla » → FS, « 1601/25/8 » → 25.1601.008), comme suivi-check le propose.",
)
@sheet_option("Ne modifier que cette feuille.")
@soon_option("Surligner en orange les échéances des N prochains jours.")
@french_errors
def update(
    fichier: str,
    today: dt.date | None,
    agence: str | None,
    dry_run: bool,
    no_backup: bool,
    sheet: str | None,
    soon: int,
    convert_dates: bool,
    fix_spellings: bool,
) -> None:
    """Complète le registre FICHIER dans le classeur lui-même : numéros d'ordre manquants
    (aa.agence.nnn), Année, date d'échéance des réclamations (leur délai de réponse), et
    surlignage des retards qui reste à jour dans Excel et LibreOffice.

    Rien de ce qui a été saisi n'est remplacé ; le reste du classeur (autres feuilles,
    graphiques, macros, mises en forme) est conservé tel quel. Une copie datée de l'original
    est gardée à côté, sauf avec --sans-copie.

    Code de sortie : 0 fait (ou rien à faire), 1 non écrit pour une raison à corriger
    (fichier ouvert dans Excel, dossier en lecture seule, agence inconnue…), 2 fichier
    illisible.

    \b
    Exemple :
      suivi complete registre.xlsx --simulation
      suivi complete registre.xlsx --agence 1601
      suivi complete registre.xlsx --feuille 2026 --sans-copie
      suivi complete registre.xlsx --convertir-dates --corriger-ecritures

    Ancien nom, toujours accepté : suivi update.
    """
    from suivi_xlsx import (
        describe_highlights,
        describe_plan,
        formula_cells,
        highlight_counts,
        plan_update,
        writable_format,
    )

    path = Path(fichier)
    writable_format(path)  # before reading: a .xls is refused at once, in French
    # Recorded before reading: a change on disk during the run makes the writer refuse.
    mtime_ns = path.stat().st_mtime_ns
    from suivi_xlsx.cli.progress import progress_line, saying

    with progress_line() as progress:
        register, targets = _read(path, sheet, progress)
        day = resolve_today(today)
        edited = targets if targets is not None else [s.name for s in register.sheets]
        if progress is not None:
            progress(f"Préparation des modifications de « {path.name} »")
        plan = plan_update(
            register,
            today=day,
            agency=agence,
            soon_days=soon,
            sheets=targets,
            formulas=formula_cells(path, edited),
            convert_dates=convert_dates,
            fix_spellings=fix_spellings,
        )
        *details, summary = describe_plan(plan)
        report = [f"{path.name} :", *details]
        if plan.highlights:
            report.append(describe_highlights(highlight_counts(register, plan, day)))
        report.append(summary)
    del register  # the entries (130 MB at 100,000 rows) are not needed to write the plan
    from suivi_xlsx import release_freed_memory

    release_freed_memory()  # so that the write's peak does not add up with the read's
    from suivi_xlsx import safe_text

    # Sheet names, cell text and paths are the user's: escaped, they cannot drive the terminal.
    printed = safe_text("\n".join(report))
    if dry_run:
        from suivi_xlsx import clean_stale_temps

        clean_stale_temps(path.parent if str(path.parent) else Path("."))
        click.echo(printed)
        click.echo("Simulation : rien n'a été écrit.")
        return

    from suivi_xlsx import WrittenThenInterrupted, apply_update, written_backup

    try:
        with saying(f"Écriture de « {path.name} »"):
            result = apply_update(path, plan, backup=not no_backup, expected_mtime_ns=mtime_ns)
        # Printed once written: a refusal shows only its reason, not changes that did not
        # happen.
        click.echo(printed)
        if not result.written:
            click.echo("Rien à changer, fichier non modifié.")
            return
        if result.highlighted_sheets:
            names = ", ".join(f"« {name} »" for name in result.highlighted_sheets)
            click.echo(safe_text(f"Surlignage des retards mis en place : {names}."))
        click.echo(safe_text(f"Classeur enregistré : {path}."))
        if result.backup is not None:
            click.echo(safe_text(f"Copie de l'original : {result.backup}."))
    except KeyboardInterrupt as error:
        written, backup = written_backup(path)
        if written and not isinstance(error, WrittenThenInterrupted):
            raise WrittenThenInterrupted(path, backup) from None  # after the write: say so
        raise
