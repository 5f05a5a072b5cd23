"""``suivi init FICHIER --agence NNNN``: create a blank register from the template."""

from __future__ import annotations

from pathlib import Path

import click

from suivi_xlsx import is_valid_agency
from suivi_xlsx.cli.common import CONTEXT_SETTINGS, FrenchCommand, french_errors


def _agency(ctx: click.Context, param: click.Parameter, value: str) -> str:
    value = value.strip()
    if not is_valid_agency(value):
        raise click.BadParameter(
            f"« {value} » n'est pas un numéro d'agence : indiquez des chiffres seulement "
            "(ex. --agence 1601)."
        )
    return value


@click.command(
    "init",
    cls=FrenchCommand,
    context_settings=CONTEXT_SETTINGS,
    short_help="Crée un registre vierge à partir du modèle.",
)
@click.argument("fichier", metavar="FICHIER", type=click.Path(dir_okay=True, path_type=Path))
@click.option(
    "--agence",
    "agency",
    required=True,
    metavar="NNNN",
    callback=_agency,
    help="Numéro d'agence (chiffres seulement), utilisé dans les numéros d'ordre aa.agence.nnn.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "ods"]),
    default=None,
    help="Format du classeur : xlsx (Excel) ou ods (LibreOffice). Par défaut : celui du nom "
    "du fichier.",
)
@french_errors
def init(fichier: Path, agency: str, fmt: str | None) -> None:
    """Crée un registre vierge FICHIER (.xlsx, ou .ods pour LibreOffice) à partir du modèle.

    Le registre contient la feuille « Registre » (les onze colonnes du tableau de suivi puis
    les colonnes réglementaires, listes déroulantes, dates jj/mm/aaaa), la feuille
    « Paramètres » (numéro d'agence, délais) et un « Mode d'emploi ». Un fichier existant
    n'est jamais remplacé.

    \b
    Exemple :
      suivi init registre-2026.xlsx --agence 1601
      suivi init registre-2026.ods --agence 1601 --format ods
    """
    from suivi_xlsx import init_register

    created = init_register(fichier, agency, fmt=fmt)
    click.echo(f"Registre créé : {created} (agence {agency}).")
    click.echo(
        "Ouvrez-le dans Excel ou LibreOffice, saisissez vos fiches dans la feuille "
        f"« Registre », puis contrôlez-le avec : suivi-check {created}"
    )
    click.echo(
        "Les courriers aux clients (suivi courrier) utilisent des modèles Word : pour les "
        "adapter, copiez-les à côté du registre avec : suivi modeles "
        f'"{created.parent / "modeles-courriers"}"'
    )
