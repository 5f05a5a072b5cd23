"""``suivi modeles``: copy the letter templates and their guide into a folder, to edit them.

Thin: ``copy_templates`` does the work; the command says what was written and how to use it.
"""

from __future__ import annotations

from pathlib import Path

import click

from suivi_xlsx.cli.common import CONTEXT_SETTINGS, FrenchCommand, french_errors, replace_option


@click.command(
    "modeles",
    cls=FrenchCommand,
    context_settings=CONTEXT_SETTINGS,
    short_help="Copie les modèles de courrier, à modifier dans Word.",
)
@click.argument(
    "dossier",
    metavar="[DOSSIER]",
    required=False,
    default="modeles-courriers",
    type=click.Path(file_okay=True, dir_okay=True, path_type=Path),
)
@replace_option("Remplacer des modèles déjà présents dans le dossier.")
@french_errors
def modeles(dossier: Path, force: bool) -> None:
    """Copie les deux modèles Word des courriers (accusé de réception, réponse) dans DOSSIER
    (par défaut : « modeles-courriers » dans le dossier courant, créé au besoin), avec un
    guide « LISEZ-MOI » qui explique chaque champ {{ … }}. Modifiez-les dans Word, puis
    donnez-les à suivi courrier avec --modele. Des modèles déjà présents ne sont jamais
    remplacés sans --remplacer.

    Code de sortie : 0 modèles écrits, 1 refusé (fichiers déjà présents), 2 dossier impossible.

    \b
    Exemple :
      suivi modeles modeles-courriers
      suivi courrier registre.xlsx 26.1601.007 --type reponse
        --modele modeles-courriers/reponse.docx
    """
    from suivi_xlsx import GUIDE_NAME, copy_templates

    written = copy_templates(dossier, force=force)
    click.echo(f"Modèles de courrier écrits dans « {dossier} » :")
    for path in written:
        click.echo(f"  {path.name}")
    answer = dossier / "reponse.docx"
    click.echo(
        f"Lisez « {GUIDE_NAME} », modifiez les modèles dans Word, puis utilisez-les avec "
        "--modele, par exemple : suivi courrier registre.xlsx NUMERO --type reponse "
        f'--modele "{answer}"'
    )
