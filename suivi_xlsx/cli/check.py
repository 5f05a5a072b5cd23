"""``suivi check`` / ``suivi-check``: read the register, run the checks, print the findings."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sys
from collections.abc import Iterator

import click

from suivi_xlsx import CODES
from suivi_xlsx.cli.common import (
    CONTEXT_SETTINGS,
    FrenchCommand,
    french_errors,
    resolve_today,
    sheet_option,
    soon_option,
    today_option,
)


def _validate_ignore(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> frozenset[str]:
    unknown = sorted(code for code in value if code not in CODES)
    if unknown:
        known = ", ".join(CODES)
        raise click.BadParameter(
            f"code inconnu : {', '.join(unknown)}. Codes possibles : {known}.", ctx, param
        )
    return frozenset(value)


@click.command(cls=FrenchCommand, context_settings=CONTEXT_SETTINGS)
@click.argument("fichier", metavar="FICHIER")
@today_option
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Présentation du résultat : texte lisible ou JSON pour un autre programme.",
)
@sheet_option("Ne contrôler que cette feuille.")
@soon_option("Signaler les échéances des N prochains jours.")
@click.option(
    "--ignorer",
    "--ignore",
    "ignore",
    multiple=True,
    metavar="CODE",
    callback=_validate_ignore,
    help="Ne pas signaler ce code (option répétable), ex. --ignorer numero-sequence.",
)
@click.option(
    "--jours",
    type=click.Choice(["calendaires", "ouvrables"]),
    default=None,
    help="Décompte du délai d'accusé de réception (par défaut : feuille Paramètres, "
    "sinon calendaires).",
)
@click.option(
    "--detail",
    is_flag=True,
    help="Chaque problème sur sa ligne, avec son message (par défaut : regroupés par code, "
    "les premières cellules de chacun).",
)
@click.option(
    "--alsace-moselle/--hors-alsace-moselle",
    "alsace_moselle",
    default=None,
    help="Jours fériés d'Alsace-Moselle (Vendredi saint, 26 décembre) en jours ouvrables.",
)
@french_errors
def check(
    fichier: str,
    today: dt.date | None,
    output_format: str,
    sheet: str | None,
    soon: int,
    ignore: frozenset[str],
    jours: str | None,
    alsace_moselle: bool | None,
    detail: bool,
) -> None:
    """Contrôle le registre FICHIER : erreurs, retards et avertissements, avec la cellule
    à corriger.

    Code de sortie : 0 sans erreur ni retard, 1 s'il y en a, 2 si le fichier est illisible.

    \b
    Exemple :
      suivi controle registre.xlsx
      suivi controle registre.xlsx --date 2026-11-25 --format json
      suivi controle registre.xlsx --feuille 2026 --ignorer numero-sequence
      suivi controle registre.xlsx --detail

    suivi-check FICHIER est la même commande (ancien nom : suivi check).
    """
    # A program reading stdout gets one JSON object whatever happens.
    errors = json_errors(fichier) if output_format == "json" else contextlib.nullcontext()
    with errors:
        from suivi_xlsx import (
            Calendar,
            CheckOptions,
            check_register,
            load_register,
            render_grouped,
            render_text,
            report_to_dict,
        )
        from suivi_xlsx.cli.progress import progress_line

        with progress_line(enabled=output_format != "json") as progress:
            register = load_register(fichier, sheet=sheet, progress=progress)
            options = CheckOptions(
                today=resolve_today(today),
                soon_days=soon,
                ignore=ignore,
                calendar=Calendar(jours) if jours is not None else None,
                alsace_moselle=alsace_moselle,
            )
            report = check_register(register, options, progress=progress)
        if output_format == "json":
            # One line: with an indent, json falls back to its pure-Python encoder (3× slower).
            click.echo(json.dumps(report_to_dict(report), ensure_ascii=False))
        else:
            render = render_text if detail else render_grouped
            click.echo(render(report, style=click.style))
        sys.exit(report.exit_status)


@contextlib.contextmanager
def json_errors(fichier: str) -> Iterator[None]:
    """Turn a failure into ``{"file": ..., "error": {"code": ..., "message": ...}}`` on
    stdout (the French message also goes to stderr, and the exit status is kept)."""
    from suivi_xlsx import SuiviError

    try:
        yield
    except SuiviError as error:
        payload = {"file": fichier, "error": {"code": error.code, "message": error.message}}
        click.echo(json.dumps(payload, ensure_ascii=False))
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except Exception as error:  # still valid JSON; french_errors says the rest on stderr
        payload = {
            "file": fichier,
            "error": {"code": "erreur-inattendue", "message": f"{type(error).__name__}"},
        }
        click.echo(json.dumps(payload, ensure_ascii=False))
        raise
