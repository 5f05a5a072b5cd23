"""``suivi modeles``: the letter templates copied where a person can find and edit them, with a
short French guide to their fields.

The guide is generated from ``content.PLACEHOLDERS`` (the one table of the fields), so it
cannot drift from what the letters receive. It is plain text with a UTF-8 byte order mark and
Windows line ends: Notepad, the program a double click opens it with on Windows, shows its
accents and its lines.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from suivi_xlsx.errors import RefusedError, SuiviError
from suivi_xlsx.outputs.files import is_open_elsewhere
from suivi_xlsx.outputs.letters.content import PLACEHOLDERS, LetterKind
from suivi_xlsx.outputs.letters.docx import shipped_template

__all__ = ["GUIDE_NAME", "copy_templates", "guide_text"]

GUIDE_NAME = "LISEZ-MOI - modèles de courrier.txt"


def guide_text(folder: Path) -> str:
    """The guide to the templates written in ``folder``, with ``\\n`` line ends."""
    names = {kind: f"{kind.value}.docx" for kind in LetterKind}
    acknowledgement = folder / names[LetterKind.ACKNOWLEDGEMENT]
    answer = folder / names[LetterKind.ANSWER]
    width = max(len(name) for name in PLACEHOLDERS) + 6
    fields = "\n".join(
        f"  {('{{ ' + name + ' }}').ljust(width)} {meaning}"
        for name, meaning in PLACEHOLDERS.items()
    )
    return f"""Modèles des courriers de suivi_xlsx
====================================

Ce dossier contient les deux modèles Word des courriers aux clients :
  {names[LetterKind.ACKNOWLEDGEMENT]}  l'accusé de réception d'une réclamation
  {names[LetterKind.ANSWER]}  la réponse (avec les voies de recours en cas de rejet)

Pour changer la formulation : ouvrez le modèle dans Word (ou LibreOffice Writer), modifiez
le texte, enregistrez-le au format Document Word (.docx), puis donnez-le à la commande :

  suivi courrier registre.xlsx 26.1601.007 --type accuse-reception --modele "{acknowledgement}"
  suivi courrier registre.xlsx 26.1601.007 --type reponse --modele "{answer}"
  suivi courrier registre.xlsx --a-envoyer --modele "{acknowledgement}"

Les champs
----------
Un champ s'écrit entre doubles accolades : {{{{ client }}}}. Il est remplacé par la valeur du
registre ou de la feuille Paramètres. Un champ mal orthographié est refusé, jamais laissé en
blanc dans un courrier.

Un paragraphe qui ne doit apparaître que dans certains cas s'écrit entre deux paragraphes
qui ne contiennent que la balise :
  {{%p if rejet %}}
  Si cette réponse ne vous donne pas satisfaction, …
  {{%p endif %}}
Dans une phrase : {{% if produit %}} (prestation : {{{{ produit }}}}){{% endif %}}.
Avec une alternative : {{%p if reponse_en_retard %}} … {{%p else %}} … {{%p endif %}}.

{fields}

Ce que la commande vérifie dans le courrier écrit
-------------------------------------------------
Le courrier doit contenir le numéro de la réclamation, sa date de réception, le signataire
(s'il est indiqué dans Paramètres) et, pour un rejet, le nom et le site du médiateur et le
délai d'un an pour le saisir. Il ne doit jamais promettre une date déjà passée (« au plus
tard le … »). Sinon le courrier est refusé et le message dit quoi corriger dans le modèle.
"""


def copy_templates(folder: Path, *, force: bool = False) -> list[Path]:
    """Write the shipped letter templates and the guide into ``folder`` (created if needed);
    the paths written. Refuses, before writing anything, files that exist unless ``force``,
    and files open in Word or LibreOffice."""
    if folder.exists() and not folder.is_dir():
        raise SuiviError(f"« {folder} » n'est pas un dossier : indiquez un dossier.", path=folder)
    sources = {folder / f"{kind.value}.docx": shipped_template(kind) for kind in LetterKind}
    targets: Sequence[Path] = [*sources, folder / GUIDE_NAME]
    existing = [target for target in targets if target.exists()]
    if existing and not force:
        names = ", ".join(f"« {target.name} »" for target in existing)
        verb = "existe" if len(existing) == 1 else "existent"
        raise RefusedError(
            f"{names} {verb} déjà dans « {folder} » : vos modèles modifiés ne sont jamais "
            "remplacés sans --remplacer. Choisissez un autre dossier, ou ajoutez --remplacer.",
            path=folder,
        )
    busy = [target for target in existing if is_open_elsewhere(target)]
    if busy:
        raise RefusedError(
            f"« {busy[0].name} » est ouvert dans Word ou LibreOffice : fermez-le, puis relancez.",
            path=busy[0],
        )
    folder.mkdir(parents=True, exist_ok=True)  # OSError: the command line says it in French
    for target, source in sources.items():
        target.write_bytes(source.read_bytes())
    text = guide_text(folder).replace("\n", "\r\n")
    (folder / GUIDE_NAME).write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    return list(targets)
