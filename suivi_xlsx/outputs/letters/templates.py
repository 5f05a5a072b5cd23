"""The two Word templates of the letters, written by code with python-docx.

``build_template(kind)`` gives the bytes of ``accuse-reception.docx`` or ``reponse.docx``: a
French business letter (the school at the top left, the client, « Annecy, le … », « Objet : »,
the body, the signature), with docxtpl placeholders (``{{ client }}``, ``{%p if rejet %}``).
Fixed document properties make every build hold the same parts, so a test can compare the
committed files with a fresh build.

The package ships them as data (``suivi_xlsx/templates/courriers/``, read by
``docx_letters.py``); ``templates/courriers/`` at the root of the repository holds the same
files for users who want to change the wording in Word. Regenerate both with
``python -m suivi_xlsx.outputs.letters.templates``.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from suivi_xlsx.outputs.letters.content import LetterKind

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.text.paragraph import Paragraph

__all__ = ["PACKAGE_DIR", "REPOSITORY_DIR", "build_template", "template_name", "write_templates"]

#: Where the package keeps its templates, and the copy at the root of the repository.
PACKAGE_DIR = Path(__file__).resolve().parents[2] / "templates" / "courriers"
REPOSITORY_DIR = Path(__file__).resolve().parents[3] / "templates" / "courriers"

_FONT = "Arial"  # LibreOffice shows it with its metric twin, Liberation Sans
_INDENT_CM = 8.5  # the client, the place and date, the signature: right half of the page
_FIXED_DATE = dt.datetime(2026, 1, 1, 0, 0, 0)


def template_name(kind: LetterKind) -> str:
    """``accuse-reception.docx`` or ``reponse.docx``."""
    return f"{kind.value}.docx"


# A paragraph of the body: runs of (text, bold). Jinja tags stay inside one run each.
_Runs = Sequence[tuple[str, bool]]

# « (prestation concernée : Forfait B) » after the object, when the register names it.
_PRODUCT = "{% if produit %} (prestation concernée\u00a0: {{ produit }}){% endif %}"
_REFERENCE: _Runs = (("Réf.\u00a0: ", True), ("réclamation n°\u00a0{{ numero }}", False))

_ACKNOWLEDGEMENT_SUBJECT: _Runs = (
    ("Objet\u00a0: ", True),
    ("accusé de réception de votre réclamation du {{ date_reception }}", False),
)
_ACKNOWLEDGEMENT_BODY: tuple[_Runs, ...] = (
    (
        (
            "Nous avons bien reçu, le {{ date_reception }}, votre réclamation concernant\u00a0: "
            "«\u00a0{{ objet }}\u00a0»" + _PRODUCT + ".",
            False,
        ),
    ),
    (
        (
            "Elle est enregistrée dans notre registre des réclamations sous le numéro ",
            False,
        ),
        ("{{ numero }}", True),
        (
            ", à rappeler dans vos échanges avec nous."
            "{% if personne_chargee %} Son traitement est confié à {{ personne_chargee }}."
            "{% endif %}",
            False,
        ),
    ),
)
# A letter never promises a date already past at its own date: past the answer deadline it
# says so and apologises; an acknowledgement sent after its own deadline apologises too.
# Each {%p %} tag is a paragraph of its own, which docxtpl drops.
_ACKNOWLEDGEMENT_LATE: tuple[_Runs, ...] = (
    (("{%p if accuse_en_retard %}", False),),
    (
        (
            "Nous vous prions de nous excuser de ne pas vous avoir adressé cet accusé de "
            "réception dans le délai de {{ delai_accuse }} que nous nous sommes fixé.",
            False,
        ),
    ),
    (("{%p endif %}", False),),
    (("{%p if reponse_en_retard %}", False),),
    (
        (
            "Le délai de réponse de {{ delai_reponse_mois }} mois, qui expirait le "
            "{{ echeance_reponse }}, est dépassé, ce dont nous vous prions de bien vouloir nous "
            "excuser. Notre réponse écrite est en cours de préparation et vous parviendra dans "
            "les meilleurs délais. D'ici là, nous vous tiendrons informé(e) du déroulement de "
            "son traitement.",
            False,
        ),
    ),
    (("{%p else %}", False),),
    (
        (
            "Nous l'examinons avec attention et vous adresserons notre réponse écrite au plus "
            "tard le ",
            False,
        ),
        ("{{ echeance_reponse }}", True),
        (". D'ici là, nous vous tiendrons informé(e) du déroulement de son traitement.", False),
    ),
    (("{%p endif %}", False),),
)

_ANSWER_SUBJECT: _Runs = (
    ("Objet\u00a0: ", True),
    ("réponse à votre réclamation du {{ date_reception }}", False),
)
_ANSWER_BODY: tuple[_Runs, ...] = (
    (
        (
            "Vous nous avez adressé le {{ date_reception }} une réclamation concernant\u00a0: "
            "«\u00a0{{ objet }}\u00a0»" + _PRODUCT + ", "
            "enregistrée sous le numéro\u00a0{{ numero }}. Nous l'avons examinée avec attention et "
            "vous apportons la réponse suivante.",
            False,
        ),
    ),
    (("{{ reponse }}", False),),
    (
        ("En conséquence, votre réclamation est ", False),
        ("{{ decision }}", True),
        (".", False),
    ),
)
_REDRESS = (
    "Si cette réponse ne vous donne pas satisfaction, vous pouvez recourir gratuitement au "
    "médiateur de la consommation dont relève notre auto-école, dans un délai d'un an à "
    "compter de la réclamation écrite que vous nous avez adressée (articles L612-1 et L612-2 "
    "du Code de la consommation) :"
)
_MEDIATOR_LINES = ("{{ mediateur.nom }}", "{{ mediateur.adresse }}", "{{ mediateur.site }}")


def _set_fixed_properties(document: DocumentObject, kind: LetterKind) -> None:
    """Same properties on every build (python-docx would stamp the current time)."""
    props = document.core_properties
    props.title = f"Modèle de courrier : {kind.label}"
    props.subject = "Registre des réclamations"
    props.author = "suivi_xlsx"
    props.last_modified_by = "suivi_xlsx"
    props.comments = "Modèle docxtpl : voir la liste des champs dans le README de suivi_xlsx."
    props.keywords = "réclamation, courrier"
    props.language = "fr-FR"
    props.revision = 1
    props.created = _FIXED_DATE
    props.modified = _FIXED_DATE


def _set_page_and_styles(document: DocumentObject) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4, not python-docx's Letter
    section.top_margin, section.bottom_margin = Cm(2), Cm(2)
    section.left_margin, section.right_margin = Cm(2.5), Cm(2)
    normal = document.styles["Normal"]
    normal.font.name = _FONT
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(8)
    normal.paragraph_format.line_spacing = 1.1
    run_props = normal.element.get_or_add_rPr()
    fonts = run_props.find(qn("w:rFonts"))
    if fonts is not None:  # Word picks the font per script: set them all
        for attribute in ("w:eastAsia", "w:cs"):
            fonts.set(qn(attribute), _FONT)
    language = OxmlElement("w:lang")  # French spelling and hyphenation in Word
    language.set(qn("w:val"), "fr-FR")
    language.set(qn("w:eastAsia"), "fr-FR")
    run_props.append(language)


def _paragraph(
    document: DocumentObject,
    runs: _Runs,
    *,
    indent: bool = False,
    after: float | None = None,
    size: float | None = None,
    keep: bool = False,
) -> Paragraph:
    from docx.shared import Cm, Pt

    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    if indent:
        fmt.left_indent = Cm(_INDENT_CM)
    if after is not None:
        fmt.space_after = Pt(after)
    if keep:
        fmt.keep_with_next = True
    for text, bold in runs:
        run = paragraph.add_run(text)
        run.bold = bold or None
        if size is not None:
            run.font.size = Pt(size)
    return paragraph


# The head is a borderless table with fixed columns and row heights, so that the client's
# address lands in the window of a DL envelope (220 × 110 mm, window 100 × 45 mm at 20 mm from
# the side and 15 mm from the bottom) with the A4 page folded in three. Wherever the page
# slides in the envelope, the window shows 50 to 84 mm below the top of the page, and 100 to
# 200 mm (right window) or 20 to 120 mm (left window) from its left edge: the block starts
# 52 mm down, 110 mm or 25 mm across. Floating frames would do too, but Word and LibreOffice
# do not lay them out alike.
_HEAD_LEFT_CM = 8.5  # from the 2.5 cm margin to 11 cm: the right window starts there
_HEAD_RIGHT_CM = 8.0  # to the 2 cm right margin
_SCHOOL_ROW_CM = 3.2  # from the 2 cm top margin to 5.2 cm: just inside the window
_ADDRESS_ROW_CM = 4.0  # the window's height seen through, the letter moving in the envelope

# The client in the cell under the window: left or right, as *Paramètres* says.
_CLIENT_LEFT = "{% if fenetre_gauche %}{{ client }}{% endif %}"
_ADDRESS_LEFT = "{% if fenetre_gauche %}{{ client_adresse }}{% endif %}"
_CLIENT_RIGHT = "{% if not fenetre_gauche %}{{ client }}{% endif %}"
_ADDRESS_RIGHT = "{% if not fenetre_gauche %}{{ client_adresse }}{% endif %}"


def _cell_paragraph(
    cell: object, text: str, *, bold: bool = False, size: float | None = None, first: bool = False
) -> None:
    from docx.shared import Pt
    from docx.table import _Cell

    assert isinstance(cell, _Cell)
    paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold = bold or None
    if size is not None:
        run.font.size = Pt(size)


def _letter_head(document: DocumentObject) -> None:
    """The school, the client under the envelope's window, the place and date."""
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = document.add_table(rows=2, cols=2)
    table.autofit = False
    layout = OxmlElement("w:tblLayout")  # fixed widths: Word must not resize the columns
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, (_HEAD_LEFT_CM, _HEAD_RIGHT_CM), strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)
    for row, height in zip(table.rows, (_SCHOOL_ROW_CM, _ADDRESS_ROW_CM), strict=True):
        row.height = Cm(height)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST  # a long address grows, never clipped
    school, _ = table.rows[0].cells
    _cell_paragraph(school, "{{ ecole.nom }}", bold=True, size=13, first=True)
    _cell_paragraph(school, "{{ ecole.adresse }}")
    left, right = table.rows[1].cells
    _cell_paragraph(left, _CLIENT_LEFT, bold=True, first=True)
    _cell_paragraph(left, _ADDRESS_LEFT)
    _cell_paragraph(right, _CLIENT_RIGHT, bold=True, first=True)
    _cell_paragraph(right, _ADDRESS_RIGHT)
    _paragraph(document, (("{{ lieu_date }}", False),), indent=True, after=24)


def _closing(document: DocumentObject, text: str) -> None:
    """The polite closing and the signature, kept together on one page."""
    _paragraph(document, ((text, False),), keep=True, after=30)
    _paragraph(document, (("{{ signataire }}", True),), indent=True, after=0, keep=True)
    _paragraph(document, (("{{ ecole.nom }}", False),), indent=True, after=0)


def _acknowledgement(document: DocumentObject) -> None:
    _letter_head(document)
    _paragraph(document, _ACKNOWLEDGEMENT_SUBJECT, after=2)
    _paragraph(document, _REFERENCE, after=24)
    _paragraph(document, (("{{ appel }},", False),), after=12)
    for runs in (*_ACKNOWLEDGEMENT_BODY, *_ACKNOWLEDGEMENT_LATE):
        _paragraph(document, runs)
    _closing(
        document,
        "Nous vous prions d'agréer, {{ appel }}, l'expression de nos salutations distinguées.",
    )


def _answer(document: DocumentObject) -> None:
    from docx.shared import Cm

    _letter_head(document)
    _paragraph(document, _ANSWER_SUBJECT, after=2)
    _paragraph(document, _REFERENCE, after=24)
    _paragraph(document, (("{{ appel }},", False),), after=12)
    for runs in _ANSWER_BODY:
        _paragraph(document, runs)
    # The means of redress, only on a rejection (total or partial): docxtpl drops the
    # {%p %} paragraphs themselves.
    _paragraph(document, (("{%p if rejet %}", False),))
    _paragraph(document, ((_REDRESS, False),), keep=True, after=4)
    for index, line in enumerate(_MEDIATOR_LINES):
        last = index == len(_MEDIATOR_LINES) - 1
        paragraph = _paragraph(document, ((line, index == 0),), after=8 if last else 0)
        paragraph.paragraph_format.left_indent = Cm(1)
        paragraph.paragraph_format.keep_with_next = not last
    _paragraph(document, (("{%p endif %}", False),))
    _closing(
        document,
        "Nous restons à votre disposition pour tout renseignement complémentaire et vous "
        "prions d'agréer, {{ appel }}, l'expression de nos salutations distinguées.",
    )


def build_template(kind: LetterKind) -> bytes:
    """The template of ``kind`` as .docx bytes."""
    from docx import Document

    document = Document()
    _set_fixed_properties(document, kind)
    _set_page_and_styles(document)
    if kind is LetterKind.ACKNOWLEDGEMENT:
        _acknowledgement(document)
    else:
        _answer(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def write_templates(folders: Sequence[Path]) -> list[Path]:
    """Write both templates into each folder (created if needed); the paths written."""
    written: list[Path] = []
    for kind in LetterKind:
        data = build_template(kind)
        for folder in folders:
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / template_name(kind)
            target.write_bytes(data)
            written.append(target)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m suivi_xlsx.outputs.letters.templates``: regenerate the package's templates
    and, in a checkout, the copies in ``templates/courriers/``."""
    del argv
    folders = [PACKAGE_DIR]
    if (REPOSITORY_DIR.parent.parent / "pyproject.toml").is_file():
        folders.append(REPOSITORY_DIR)
    for path in write_templates(folders):
        print(f"Modèle écrit : {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
