"""Letters as Word documents: fill a template with docxtpl, write the .docx safely.

The I/O edge of the letters (``letters.py`` decides what they say). Templates are the ones the
package ships (``suivi_xlsx/templates/courriers/``) or the user's own (``--modele``).

Every value is escaped (docxtpl's autoescape), so ``&``, ``<``, ``>`` and quotes come out as
typed, and a line break typed in a cell (Alt+Entrée) becomes a line break in the letter
(docxtpl turns ``\\n`` inside a run into ``<w:br/>``). An unknown placeholder is an error,
never an empty blank in a letter sent to a client; so is a *Paramètres* value the template
prints while it is not filled in.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from suivi_xlsx.errors import RefusedError, SuiviError
from suivi_xlsx.outputs.files import existing_output, write_new_file
from suivi_xlsx.outputs.letters.content import (
    PLACEHOLDERS,
    SETTING_ROWS,
    Letter,
    LetterKind,
    fr_long_date,
)
from suivi_xlsx.outputs.letters.mentions import broken_promises, missing_mentions

if TYPE_CHECKING:
    from docxtpl import DocxTemplate  # type: ignore[import-untyped]
    from jinja2 import Environment

__all__ = [
    "MissingSettingsError",
    "TemplateError",
    "check_template",
    "existing_letter",
    "render_letter",
    "shipped_template",
    "write_document",
]


class TemplateError(SuiviError):
    """The template cannot be used: missing, not a .docx, a broken or unknown placeholder
    (exit 2)."""

    exit_code = 2


class MentionsError(TemplateError):
    """The rendered letter lacks a mandatory mention (``mentions.MENTIONS``): the template
    must be fixed (exit 2); nothing is written, nothing is to be recorded."""


class MissingSettingsError(RefusedError):
    """The template prints a *Paramètres* value that is not filled in (exit 1)."""


def shipped_template(kind: LetterKind) -> Path:
    """The package's template for ``kind`` (works from an installed package too)."""
    name = f"{kind.value}.docx"
    resource = (
        resources.files("suivi_xlsx").joinpath("templates").joinpath("courriers").joinpath(name)
    )
    path = Path(str(resource))
    if not path.is_file():  # a broken installation, not something the user did
        raise TemplateError(
            f"le modèle « {name} » manque dans l'installation de suivi_xlsx : réinstallez le "
            "programme, ou donnez votre propre modèle avec --modele."
        )
    return path


def check_template(path: Path) -> None:
    """Refuse at once a template that is missing or is not a Word .docx document."""
    if not path.exists():
        raise TemplateError(
            f"le modèle « {path} » est introuvable : vérifiez le chemin.", path=path
        )
    if path.is_dir():
        raise TemplateError(f"« {path} » est un dossier : indiquez le fichier .docx du modèle.")
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise TemplateError(
            f"le modèle « {path.name} » est au format Word 97-2003 (.doc) : ouvrez-le dans Word "
            "et enregistrez-le au format « Document Word (.docx) »."
        )
    if suffix in (".dotx", ".dotm"):
        raise TemplateError(
            f"le modèle « {path.name} » est un modèle Word ({suffix}) : enregistrez-le comme "
            "« Document Word (.docx) » et donnez ce fichier."
        )
    if suffix == ".odt":
        raise TemplateError(
            f"le modèle « {path.name} » est un document LibreOffice (.odt) : enregistrez-le au "
            "format Word (.docx)."
        )
    try:
        with zipfile.ZipFile(path) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        names = set()
    if "word/document.xml" not in names:
        raise TemplateError(
            f"le modèle « {path.name} » n'est pas un document Word .docx lisible : ouvrez-le "
            "dans Word et enregistrez-le au format « Document Word (.docx) ».",
            path=path,
        )


# --- rendering --------------------------------------------------------------------------------


class _Missing:
    """A *Paramètres* value not filled in: prints nothing but reports that it was printed;
    false in ``{% if %}``, so a template can test for it."""

    __slots__ = ("_key", "_used")

    def __init__(self, key: str, used: set[str]) -> None:
        self._key = key
        self._used = used

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        self._used.add(self._key)
        return ""

    def __html__(self) -> str:  # what Jinja's autoescape calls
        return str(self)


def _jinja_context(context: Mapping[str, object], used: set[str]) -> dict[str, object]:
    """The letter's values for Jinja, with ``_Missing`` for the empty *Paramètres* values."""
    out: dict[str, object] = {}
    for key, value in context.items():
        if isinstance(value, Mapping):
            out[key] = {
                name: _Missing(f"{key}.{name}", used)
                if inner is None and f"{key}.{name}" in SETTING_ROWS
                else inner
                for name, inner in value.items()
            }
        elif value is None and key in SETTING_ROWS:
            out[key] = _Missing(key, used)
        else:
            out[key] = value
    return out


def _environment() -> Environment:
    from jinja2 import Environment, StrictUndefined

    return Environment(autoescape=True, undefined=StrictUndefined)


def _open_template(path: Path) -> DocxTemplate:
    from docxtpl import DocxTemplate

    template = DocxTemplate(path)
    try:
        template.init_docx()
    except (KeyError, ValueError, OSError, zipfile.BadZipFile) as error:
        raise TemplateError(
            f"le modèle « {path.name} » n'est pas un document Word .docx lisible ({error}) : "
            "ouvrez-le dans Word et enregistrez-le au format « Document Word (.docx) ».",
            path=path,
        ) from None
    except Exception as error:  # python-docx: PackageNotFoundError, a wrong content type
        raise TemplateError(
            f"le modèle « {path.name} » n'est pas un document Word .docx utilisable ({error}) : "
            "enregistrez-le au format « Document Word (.docx) ».",
            path=path,
        ) from None
    return template


def _placeholder_list() -> str:
    return ", ".join("{{ " + name + " }}" for name in PLACEHOLDERS)


def _broken_template(path: Path, error: Exception) -> TemplateError:
    from jinja2 import TemplateSyntaxError, UndefinedError

    if isinstance(error, UndefinedError):
        return TemplateError(
            f"le modèle « {path.name} » utilise un champ inconnu ({error.message}) : corrigez-le "
            f"dans Word. Champs disponibles : {_placeholder_list()}.",
            path=path,
        )
    near = ""
    context = getattr(error, "docx_context", None)
    if context is not None:
        text = " ".join(" ".join(line.split()) for line in context if line.strip())
        near = f" (près de : « {text[:160]} »)" if text else ""
    what = error.message if isinstance(error, TemplateSyntaxError) else str(error)
    return TemplateError(
        f"le modèle « {path.name} » contient une balise {{{{ … }}}} ou {{% … %}} mal formée : "
        f"{what}{near}. Corrigez-la dans Word.",
        path=path,
    )


def _unknown_names(template: DocxTemplate, env: Environment, context: Mapping[str, Any]) -> None:
    """Every unknown top-level placeholder at once, before rendering."""
    unknown = template.get_undeclared_template_variables(jinja_env=env, context=dict(context))
    unknown -= set(env.globals)
    if unknown:
        names = ", ".join("{{ " + name + " }}" for name in sorted(unknown))
        raise TemplateError(
            f"le modèle « {template.template_file} » utilise des champs inconnus : {names}. "
            f"Corrigez-les dans Word ; champs disponibles : {_placeholder_list()}."
        )


def render_letter(letter: Letter, template_path: Path | None = None) -> bytes:
    """The letter as .docx bytes, from ``template_path`` or the shipped template. Nothing is
    written: a refusal leaves no file behind."""
    from jinja2 import TemplateError as JinjaError

    path = template_path if template_path is not None else shipped_template(letter.kind)
    check_template(path)
    template = _open_template(path)
    env = _environment()
    used: set[str] = set()
    context = _jinja_context(letter.context, used)
    try:
        _unknown_names(template, env, context)
        template.render(context, jinja_env=env, autoescape=True)
    except JinjaError as error:
        raise _broken_template(path, error) from None
    except SyntaxError as error:  # lxml's XMLSyntaxError: tags cutting across paragraphs
        raise TemplateError(
            f"le modèle « {path.name} » donne un document Word invalide ({error}) : une balise "
            "{% … %} ouvre probablement un paragraphe ou un tableau et le ferme dans un autre ; "
            "utilisez {%p … %} pour un paragraphe entier.",
            path=path,
        ) from None
    if used:
        rows = ", ".join(f"« {SETTING_ROWS[key]} »" for key in SETTING_ROWS if key in used)
        raise MissingSettingsError(
            f"le courrier doit indiquer {_what_missing(used)} : remplissez dans la feuille "
            f"Paramètres du registre les lignes {rows}, puis relancez. Aucun courrier n'a été "
            "écrit."
        )
    _set_properties(template, letter)
    buffer = io.BytesIO()
    template.save(buffer)
    rendered = buffer.getvalue()
    # What the command then says (« voies de recours incluses », « oui » to record) must be
    # true of this very document, whatever the template.
    missing = missing_mentions(letter, rendered)
    if missing:
        lacks = " ; ".join(f"{m.label} ({m.field})" for m in missing)
        raise MentionsError(
            f"le courrier produit avec le modèle « {path.name} » ne contient pas : {lacks}. "
            "Ajoutez-les au modèle, puis relancez. Aucun courrier n'a été écrit et rien n'est à "
            "noter dans le registre.",
            path=path,
        )
    broken = broken_promises(letter, rendered)
    if broken:
        said = ", ".join(f"« {text} »" for text in broken)
        raise MentionsError(
            f"le courrier produit avec le modèle « {path.name} » promet {said}, date déjà "
            f"passée au {fr_long_date(letter.date)} (date du courrier) : le délai est dépassé. "
            "Dans le modèle, dites-le plutôt avec {%p if reponse_en_retard %} … {%p else %} … "
            "{%p endif %} (voir le modèle fourni), puis relancez. Aucun courrier n'a été écrit.",
            path=path,
        )
    return rendered


def _what_missing(used: set[str]) -> str:
    parts = []
    if used & {"ecole.nom", "ecole.adresse"}:
        parts.append("le nom et l'adresse de l'auto-école")
    if "signataire" in used:
        parts.append("le signataire")
    if any(key.startswith("mediateur.") for key in used):
        parts.append("le médiateur de la consommation")
    return " et ".join(parts)


def _set_properties(template: DocxTemplate, letter: Letter) -> None:
    props = template.docx.core_properties
    what = "Accusé de réception" if letter.kind is LetterKind.ACKNOWLEDGEMENT else "Réponse"
    props.title = f"{what} — réclamation n° {letter.number}"
    props.subject = f"Réclamation n° {letter.number}"
    school = letter.context.get("ecole")
    name = school.get("nom") if isinstance(school, Mapping) else None
    props.author = name if isinstance(name, str) else ""
    props.last_modified_by = "suivi_xlsx"
    props.comments = ""
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0, tzinfo=None)
    props.created = now
    props.modified = now
    props.revision = 1


# --- writing ----------------------------------------------------------------------------------


def existing_letter(target: Path) -> RefusedError:
    """The refusal to replace an existing letter without ``--force``."""
    return existing_output(target)


def write_document(data: bytes, target: Path, *, force: bool = False) -> Path:
    """Write ``data`` to ``target`` through a temporary file in the same folder, so that a
    failure never leaves half a letter. Refuses an existing ``target`` without ``force``, and
    one open in Word or LibreOffice."""

    def write(temp: Path) -> None:
        temp.write_bytes(data)

    return write_new_file(target, write, force=force)
