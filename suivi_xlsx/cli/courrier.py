"""``suivi courrier``: the acknowledgement or the answer of a complaint, as a Word document.

Thin: read the register, find the entry (``letters.find_entry``), build the letter
(``letters.build_letter``), fill the template and write it (``docx_letters``). With
``--a-envoyer``, one acknowledgement for every open complaint still waiting for one
(``letters.to_acknowledge``). The register is only read. docxtpl and the reader are imported
inside the command so that ``suivi --help`` stays fast.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import click

from suivi_xlsx import RefusedError, SuiviError
from suivi_xlsx.cli.common import (
    CONTEXT_SETTINGS,
    FrenchCommand,
    french_errors,
    output_option,
    output_path,
    replace_option,
    resolve_today,
    sheet_option,
    today_option,
)

if TYPE_CHECKING:
    from suivi_xlsx import Letter, LetterKind, Register

_TYPES = ("accuse-reception", "reponse")


def _check_arguments(
    numero: str | None, kind: str | None, to_send: bool, output: str | None, folder: str | None
) -> None:
    """The two ways of calling the command, each with its own options."""
    if to_send:
        if numero is not None:
            raise SuiviError(
                f"--a-envoyer écrit les accusés de réception de toutes les réclamations en "
                f"attente : retirez le numéro « {numero} », ou retirez --a-envoyer pour un seul "
                "courrier."
            )
        if kind == "reponse":
            raise SuiviError(
                "--a-envoyer n'écrit que des accusés de réception : pour une réponse, donnez le "
                "numéro de la réclamation (suivi courrier FICHIER NUMERO --type reponse)."
            )
        if output is not None:
            raise SuiviError(
                "-o ne sert que pour un seul courrier : avec --a-envoyer, choisissez le dossier "
                "des courriers avec --dossier."
            )
        return
    if numero is None:
        raise SuiviError(
            "indiquez le numéro d'ordre de la réclamation (suivi courrier FICHIER NUMERO --type "
            "accuse-reception|reponse), ou --a-envoyer pour tous les accusés de réception à "
            "envoyer."
        )
    if kind is None:
        raise SuiviError("indiquez le courrier voulu : --type accuse-reception ou --type reponse.")
    if folder is not None:
        raise SuiviError(
            "--dossier ne sert qu'avec --a-envoyer : pour un seul courrier, choisissez le "
            "fichier avec -o."
        )


def _output_path(output: str | None, letter: Letter, register: Path, template: Path | None) -> Path:
    return output_path(
        Path(output) if output else Path(letter.file_name),
        what="le courrier",
        suffix=".docx",
        option="-o",
        example=letter.file_name,
        inputs=[(register, "le registre"), (template, "le modèle")],
    )


def _template_path(modele: str | None) -> Path | None:
    from suivi_xlsx import check_template

    if modele is None:
        return None
    path = Path(modele)
    check_template(path)
    return path


def _load(fichier: str, sheet: str | None) -> tuple[Path, Register]:
    from suivi_xlsx import check_file, load_register

    path = Path(fichier)
    check_file(path)
    return path, load_register(path, sheet=sheet)


def _recap(letter: Letter) -> str:
    from suivi_xlsx import LetterKind

    entry = letter.entry
    client = " ".join((entry.issuer or "").split())
    if letter.kind is LetterKind.ACKNOWLEDGEMENT:
        return f"accusé de réception de la réclamation n° {letter.number} ({client})"
    decision = entry.decision.value if entry.decision is not None else ""
    redress = " : voies de recours (médiateur) incluses" if letter.context.get("rejet") else ""
    return f"réponse à la réclamation n° {letter.number} ({client}, {decision}{redress})"


def _warnings(letter: Letter) -> list[str]:
    """What the user must know before sending: a missing address, and the complaint's
    deadlines at the letter's date (judged by ``procedure.letter_delays``, as the check
    judges them)."""
    from suivi_xlsx import LetterKind, fr_long_date

    warnings = []
    if letter.context.get("adresse_absente"):
        warnings.append("adresse du client absente du registre : à compléter avant envoi")
    if letter.kind is not LetterKind.ACKNOWLEDGEMENT:
        return warnings
    delays = letter.delays
    if delays.ack_late:
        warnings.append(
            f"accusé de réception envoyé en retard : son délai a expiré le "
            f"{fr_long_date(delays.ack_deadline)}"
        )
    if delays.answer_late:
        warnings.append(
            f"délai de réponse dépassé : il a expiré le {fr_long_date(delays.answer_deadline)} ;"
            " envoyez la réponse au plus vite"
        )
    return warnings


def _reminder(letter: Letter) -> str | None:
    """What to record in the register once the letter is sent, if it is not there yet."""
    from suivi_xlsx import Column, LetterKind, cell_of, redress_given

    entry = letter.entry
    if letter.kind is LetterKind.ACKNOWLEDGEMENT:
        if entry.acknowledged_on is None and Column.ACK_DATE in entry.columns:
            return (
                "Après l'envoi, saisissez sa date dans la colonne Date accusé de réception "
                f"({cell_of(entry, Column.ACK_DATE)})."
            )
        return None
    todo = []
    if entry.answered_on is None and Column.ANSWER_DATE in entry.columns:
        todo.append(f"la Date de réponse ({cell_of(entry, Column.ANSWER_DATE)})")
    if (
        letter.context.get("rejet")
        and Column.REDRESS in entry.columns
        and not redress_given(entry.redress)
    ):
        todo.append(f"« oui » dans Voies de recours indiquées ({cell_of(entry, Column.REDRESS)})")
    if not todo:
        return None
    return "Après l'envoi, saisissez dans le registre " + " et ".join(todo) + "."


def _one_letter(
    fichier: str,
    numero: str,
    kind: LetterKind,
    template: Path | None,
    output: str | None,
    force: bool,
    today: dt.date,
    sheet: str | None,
) -> None:
    from suivi_xlsx import build_letter, existing_letter, find_entry, render_letter, write_document

    path, register = _load(fichier, sheet)
    letter = build_letter(register, find_entry(register, numero), kind, today)
    out = _output_path(output, letter, path, template)
    if out.exists() and not force:  # before filling the template: answer at once
        raise existing_letter(out)
    written = write_document(render_letter(letter, template), out, force=force)
    click.echo(f"Courrier écrit : {written} — {_recap(letter)}.")
    for warning in _warnings(letter):
        click.echo(f"Attention : {warning}.")
    reminder = _reminder(letter)
    if reminder:
        click.echo(reminder)


def _letters_to_send(
    fichier: str,
    template: Path | None,
    folder: str | None,
    force: bool,
    today: dt.date,
    sheet: str | None,
) -> None:
    from suivi_xlsx import (
        LetterKind,
        MissingSettingsError,
        build_letter,
        fr_count,
        fr_long_date,
        render_letter,
        to_acknowledge,
        write_document,
    )

    path, register = _load(fichier, sheet)
    target = Path(folder) if folder is not None else Path()
    if target.exists() and not target.is_dir():
        raise SuiviError(f"« {target} » n'est pas un dossier : choisissez --dossier DOSSIER.")
    entries = to_acknowledge(register, today)
    when = fr_long_date(today)
    if not entries:
        click.echo(f"Aucune réclamation en cours n'attend d'accusé de réception au {when}.")
        return
    click.echo(
        f"{fr_count(len(entries), 'réclamation attend', 'réclamations attendent')} un accusé de "
        f"réception au {when}."
    )
    # Everything is drafted in memory first: a missing Paramètres row stops the whole run
    # before any file is written.
    drafts: list[tuple[Letter, bytes]] = []
    refused: list[str] = []
    for entry in entries:
        try:
            letter = build_letter(register, entry, LetterKind.ACKNOWLEDGEMENT, today)
            drafts.append((letter, render_letter(letter, template)))
        except MissingSettingsError:
            raise
        except RefusedError as error:
            refused.append(error.message)
    if drafts:
        target.mkdir(parents=True, exist_ok=True)
    written = kept = 0
    for letter, data in drafts:
        out = target / letter.file_name
        if out.exists() and not force:
            kept += 1
            click.echo(f"  Déjà présent, non remplacé : {out} (--remplacer pour le remplacer)")
            continue
        write_document(data, out, force=force)
        written += 1
        client = " ".join((letter.entry.issuer or "").split())
        click.echo(f"  Écrit : {out} ({client}, reçue le {letter.context['date_reception']})")
        for warning in _warnings(letter):
            click.echo(f"    Attention : {warning}.")
    for message in refused:
        click.echo(f"  Non écrit : {message}", err=True)
    summary = f"{fr_count(written, 'courrier écrit', 'courriers écrits')}"
    if kept:
        summary += f", {fr_count(kept, 'déjà présent', 'déjà présents')}"
    if refused:
        summary += f", {fr_count(len(refused), 'refusé', 'refusés')}"
    click.echo(summary + ".")
    if written:
        click.echo(
            "Après l'envoi, saisissez leur date dans la colonne Date accusé de réception du "
            f"registre « {path.name} »."
        )
    if refused:
        raise SystemExit(1)


@click.command(cls=FrenchCommand, context_settings=CONTEXT_SETTINGS)
@click.argument("fichier", metavar="FICHIER")
@click.argument("numero", metavar="[NUMERO]", required=False)
@click.option(
    "--type",
    "kind",
    type=click.Choice(_TYPES),
    default=None,
    metavar="accuse-reception|reponse",
    help="Le courrier : accusé de réception ou réponse.",
)
@click.option(
    "--a-envoyer",
    "to_send",
    is_flag=True,
    help="Un accusé de réception pour chaque réclamation en cours qui n'en a pas encore.",
)
@click.option(
    "--modele",
    metavar="MODELE.docx",
    default=None,
    help="Votre propre modèle Word (par défaut : le modèle fourni).",
)
@output_option(
    "SORTIE.docx",
    "Courrier à créer (par défaut : courrier-TYPE-NUMERO.docx dans le dossier courant).",
)
@click.option(
    "--dossier",
    metavar="DOSSIER",
    default=None,
    help="Avec --a-envoyer : dossier des courriers (par défaut : le dossier courant).",
)
@today_option
@replace_option("Remplacer un courrier qui existe déjà.")
@sheet_option("Ne lire que cette feuille du registre.")
@french_errors
def courrier(
    fichier: str,
    numero: str | None,
    kind: str | None,
    to_send: bool,
    modele: str | None,
    output: str | None,
    dossier: str | None,
    today: dt.date | None,
    force: bool,
    sheet: str | None,
) -> None:
    """Rédige l'accusé de réception ou la réponse d'une réclamation (document Word .docx), à
    partir de sa ligne du registre et de la feuille Paramètres (auto-école, signataire,
    médiateur). La réponse indique les voies de recours (médiateur de la consommation) si la
    réclamation est rejetée en tout ou partie. Le registre est seulement lu.

    Code de sortie : 0 courrier écrit, 1 refusé (numéro inconnu, pas une réclamation, réponse
    non saisie, médiateur manquant, courrier déjà présent), 2 registre ou modèle illisible.

    \b
    Exemple :
      suivi courrier registre.xlsx 26.1601.003 --type accuse-reception
      suivi courrier registre.xlsx 26.1601.003 --type reponse -o reponse-dupont.docx
      suivi courrier registre.xlsx --a-envoyer --dossier courriers
    """
    from suivi_xlsx import LetterKind

    _check_arguments(numero, kind, to_send, output, dossier)
    template = _template_path(modele)
    day = resolve_today(today)
    if to_send:
        _letters_to_send(fichier, template, dossier, force, day, sheet)
        return
    assert numero is not None and kind is not None  # _check_arguments
    _one_letter(fichier, numero, LetterKind(kind), template, output, force, day, sheet)
