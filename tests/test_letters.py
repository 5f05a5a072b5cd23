"""The letters' domain (``letters.py``) and their Word documents (``docx_letters.py``,
``letter_templates.py``), on registers built in the test."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest

from suivi_xlsx.domain.model import OPTIONAL_COLUMNS, SEED_COLUMNS, Register
from suivi_xlsx.errors import RefusedError
from suivi_xlsx.outputs.letters.content import (
    PLACEHOLDERS,
    LetterKind,
    build_letter,
    find_entry,
    fr_long_date,
    letter_file_name,
    to_acknowledge,
    town_of,
)
from suivi_xlsx.outputs.letters.docx import (
    MissingSettingsError,
    TemplateError,
    render_letter,
    shipped_template,
)
from suivi_xlsx.outputs.letters.templates import PACKAGE_DIR, REPOSITORY_DIR, build_template
from suivi_xlsx.reading.reader import load_register

from .workbooks import docx_lines, entry, make_register

D = dt.date
TODAY = D(2026, 12, 3)
COLUMNS = [*SEED_COLUMNS, *OPTIONAL_COLUMNS]

SCHOOL: list[list[object]] = [
    ["Numéro d'agence", "1601"],
    ["Nom de l'auto-école", "Auto-école du Lac"],
    ["Adresse de l'auto-école", "12 rue du Lac, 74000 Annecy"],
    ["Signataire des courriers", "Claire Bernard, gérante"],
]
MEDIATOR: list[list[object]] = [
    ["Médiateur : nom", "CNPM Médiation Consommation"],
    ["Médiateur : adresse", "27 avenue de la Libération, 42400 Saint-Chamond"],
    ["Médiateur : site internet", "www.cnpm-mediation-consommation.eu"],
]


def make(
    tmp_path: Path, rows: Sequence[Mapping[object, object]], settings: list[list[object]]
) -> Register:
    path = make_register(
        tmp_path / "registre.xlsx",
        rows,  # type: ignore[arg-type]
        columns=COLUMNS,
        more_sheets={"Paramètres": settings},
    )
    return load_register(path)


def docx_text(data: bytes) -> str:
    """The letter's text as python-docx reads it back (line breaks as ``\\n``)."""
    from docx import Document

    return "\n".join(docx_lines(Document(io.BytesIO(data))))


# --- pure helpers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (D(2025, 3, 5), "5 mars 2025"),
        (D(2026, 8, 1), "1er août 2026"),
        (D(2026, 12, 31), "31 décembre 2026"),
        (D(2027, 2, 14), "14 février 2027"),
    ],
)
def test_french_long_dates(day: dt.date, text: str) -> None:
    assert fr_long_date(day) == text


@pytest.mark.parametrize(
    ("address", "town"),
    [
        ("12 rue du Lac, 74000 Annecy", "Annecy"),
        ("12 rue du Lac\n74940 ANNECY-LE-VIEUX", "Annecy-le-Vieux"),
        ("BP 12, 69003 Lyon Cedex 03", "Lyon"),
        ("3 place de la Mairie", None),
        (None, None),
    ],
)
def test_town_of_the_school_address(address: str | None, town: str | None) -> None:
    assert town_of(address) == town


def test_file_names_are_safe_on_windows() -> None:
    assert letter_file_name(LetterKind.ANSWER, "25.1601.007") == "courrier-reponse-25.1601.007.docx"
    assert letter_file_name(LetterKind.ACKNOWLEDGEMENT, 'A/B:"?') == (
        "courrier-accuse-reception-A-B.docx"
    )


# --- finding the entry -----------------------------------------------------------------------


@pytest.fixture()
def register(tmp_path: Path) -> Register:
    rows = [
        entry(D(2026, 11, 20), number="26.1601.001", issuer="Mme DUPONT Marie"),
        entry(
            D(2026, 9, 5),
            number="26.1601.2",  # typed without its zeros
            issuer="M. MARTIN Paul",
            subject="Heures facturées non faites",
            answer="Les heures ont bien été faites.",
            decision="rejet total",
            ack_date=D(2026, 9, 8),
            answer_date=D(2026, 10, 20),
        ),
        entry(D(2026, 9, 6), number="26.1601.003", origin="QS", subject="Questionnaire"),
        entry(D(2026, 9, 7), number="Réclamation Durand", issuer="DURAND Léa"),
    ]
    return make(tmp_path, rows, SCHOOL + MEDIATOR)


@pytest.mark.parametrize(
    ("typed", "row"),
    [
        ("26.1601.001", 2),
        ("26.1601.1", 2),
        (" 26-1601-001 ", 2),
        ("26 1601 1", 2),
        ("26.1601.002", 3),
        ("26.1601.2", 3),
        ("réclamation durand", 5),
    ],
)
def test_finds_the_entry_however_the_number_is_typed(
    register: Register, typed: str, row: int
) -> None:
    assert find_entry(register, typed).row == row


def test_unknown_number_is_refused_with_close_numbers(register: Register) -> None:
    with pytest.raises(RefusedError) as caught:
        find_entry(register, "26.1601.009")
    assert "aucune ligne ne porte le numéro d'ordre « 26.1601.009 »" in caught.value.message
    assert "26.1601.001" in caught.value.message
    assert caught.value.exit_code == 1


def test_a_number_on_two_lines_is_refused(tmp_path: Path) -> None:
    rows = [entry(D(2026, 3, 1), number="26.1601.001"), entry(D(2026, 3, 2), number="26.1601.1")]
    register = make(tmp_path, rows, SCHOOL)
    with pytest.raises(RefusedError, match="plusieurs lignes"):
        find_entry(register, "26.1601.001")


# --- building the letter ---------------------------------------------------------------------


def test_context_holds_every_placeholder(register: Register) -> None:
    letter = build_letter(register, find_entry(register, "26.1601.002"), LetterKind.ANSWER, TODAY)
    names = set()
    for key, value in letter.context.items():
        if isinstance(value, Mapping):
            names.update(f"{key}.{inner}" for inner in value)
        else:
            names.add(key)
    assert names == set(PLACEHOLDERS)
    context = letter.context
    assert letter.number == "26.1601.002"  # as it should be written
    assert context["numero"] == "26.1601.002"
    assert context["client"] == "M. MARTIN Paul"
    assert context["appel"] == "Monsieur"
    assert context["date_reception"] == "5 septembre 2026"
    assert context["echeance_reponse"] == "5 novembre 2026"
    assert context["date_reponse"] == "20 octobre 2026"
    assert context["date_courrier"] == "20 octobre 2026"  # the date recorded for the answer
    assert context["date_du_jour"] == "3 décembre 2026"
    assert context["lieu_date"] == "Annecy, le 20 octobre 2026"
    assert context["decision"] == "rejetée"
    assert context["rejet"] is True
    assert context["ecole"] == {
        "nom": "Auto-école du Lac",
        "adresse": "12 rue du Lac\n74000 Annecy",
        "ville": "Annecy",
    }
    assert context["mediateur"]["site"] == "www.cnpm-mediation-consommation.eu"  # type: ignore[index]


def test_acknowledgement_is_dated_today_until_recorded(register: Register) -> None:
    letter = build_letter(
        register, find_entry(register, "26.1601.001"), LetterKind.ACKNOWLEDGEMENT, TODAY
    )
    assert letter.date == TODAY
    assert letter.context["appel"] == "Madame"
    assert letter.context["echeance_reponse"] == "20 janvier 2027"
    assert letter.context["date_reponse"] == ""


def test_a_survey_answer_gets_no_letter(register: Register) -> None:
    entry_ = find_entry(register, "26.1601.003")
    with pytest.raises(RefusedError, match=r"entrée QS .* pas une réclamation \(FS\)"):
        build_letter(register, entry_, LetterKind.ACKNOWLEDGEMENT, TODAY)


def test_answer_without_its_text_is_refused(register: Register) -> None:
    entry_ = find_entry(register, "26.1601.001")
    with pytest.raises(RefusedError, match="Réponse apportée"):
        build_letter(register, entry_, LetterKind.ANSWER, TODAY)


def test_answer_without_decision_is_refused(tmp_path: Path) -> None:
    rows = [entry(D(2026, 9, 5), number="26.1601.001", answer="Nous avons remboursé.")]
    register = make(tmp_path, rows, SCHOOL + MEDIATOR)
    with pytest.raises(RefusedError, match="acceptée, rejet partiel ou rejet total"):
        build_letter(register, register.entries[0], LetterKind.ANSWER, TODAY)


def test_rejection_without_mediator_is_refused_naming_the_rows(tmp_path: Path) -> None:
    rows = [
        entry(D(2026, 9, 5), number="26.1601.001", answer="Refus motivé.", decision="rejet partiel")
    ]
    register = make(tmp_path, rows, [*SCHOOL, MEDIATOR[0]])
    with pytest.raises(RefusedError) as caught:
        build_letter(register, register.entries[0], LetterKind.ANSWER, TODAY)
    message = caught.value.message
    assert "« Médiateur : adresse », « Médiateur : site internet »" in message
    assert "« Médiateur : nom »" not in message  # that one is filled in


def test_acceptance_needs_no_mediator(tmp_path: Path) -> None:
    rows = [entry(D(2026, 9, 5), number="26.1601.001", answer="Remboursé.", decision="acceptée")]
    register = make(tmp_path, rows, SCHOOL)
    letter = build_letter(register, register.entries[0], LetterKind.ANSWER, TODAY)
    text = docx_text(render_letter(letter))
    assert "Remboursé." in text and "médiateur" not in text.lower()


# --- which complaints need an acknowledgement ------------------------------------------------


def test_to_acknowledge_lists_open_complaints_without_acknowledgement(tmp_path: Path) -> None:
    rows = [
        entry(D(2026, 11, 25), number="26.1601.001"),  # waiting, in time
        entry(D(2026, 10, 1), number="26.1601.002"),  # waiting, late: still to send
        entry(D(2026, 11, 2), number="26.1601.003", ack_date=D(2026, 11, 5)),  # acknowledged
        entry(D(2026, 11, 2), number="26.1601.004", answer_date=D(2026, 11, 4)),  # answered
        entry(D(2026, 11, 2), number="26.1601.005", closed=D(2026, 11, 20)),  # closed
        entry(D(2026, 11, 2), number="26.1601.006", origin="QS"),  # not a complaint
        entry(D(2026, 11, 2), number="26.1601.007", ack_date="fait"),  # done, undated
        entry(D(2026, 12, 10), number="26.1601.008"),  # received after today
        entry(D(2026, 11, 2), number="26.1601.009", ack_date=D(2026, 12, 20)),  # future date
    ]
    register = make(tmp_path, rows, SCHOOL)
    numbers = [e.order_text for e in to_acknowledge(register, TODAY)]
    assert numbers == ["26.1601.001", "26.1601.002", "26.1601.009"]


def test_sheets_that_record_no_acknowledgement_are_left_out(tmp_path: Path) -> None:
    path = make_register(tmp_path / "r.xlsx", [entry(D(2026, 11, 25), number="26.1601.001")])
    assert to_acknowledge(load_register(path), TODAY) == ()


# --- the templates ---------------------------------------------------------------------------


def package_parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {name: package.read(name) for name in package.namelist()}


@pytest.mark.parametrize("kind", list(LetterKind))
def test_committed_templates_are_what_the_generator_makes(kind: LetterKind) -> None:
    fresh = package_parts(build_template(kind))
    for folder in (PACKAGE_DIR, REPOSITORY_DIR):
        committed = package_parts((folder / f"{kind.value}.docx").read_bytes())
        assert committed == fresh, (
            f"{folder} is stale: run python -m suivi_xlsx.outputs.letters.templates"
        )
    assert shipped_template(kind) == PACKAGE_DIR / f"{kind.value}.docx"


def test_the_package_data_ships_the_templates() -> None:
    import tomllib

    pyproject = tomllib.loads((REPOSITORY_DIR.parent.parent / "pyproject.toml").read_text("utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["suivi_xlsx"]
    assert "templates/courriers/*.docx" in patterns


# --- rendering -------------------------------------------------------------------------------


def test_characters_word_treats_specially_come_out_as_typed(tmp_path: Path) -> None:
    subject = 'Moniteur "absent" & <retard> l\'après-midi'
    answer = "Ligne 1 : excuses & geste.\nLigne 2 : <rien> d'autre.\r\nLigne 3 « fin »"
    rows = [
        entry(
            D(2026, 9, 5),
            number="26.1601.001",
            issuer="O'Brien & Fils",
            subject=subject,
            product="Forfait <B> & code",
            answer=answer,
            decision="acceptée",
        )
    ]
    register = make(tmp_path, rows, SCHOOL)
    letter = build_letter(register, register.entries[0], LetterKind.ANSWER, TODAY)
    data = render_letter(letter)
    text = docx_text(data)
    assert "O'Brien & Fils" in text
    assert f"«\u00a0{subject}\u00a0»" in text
    assert "(prestation concernée\u00a0: Forfait <B> & code)" in text
    assert "Ligne 1 : excuses & geste.\nLigne 2 : <rien> d'autre.\nLigne 3 « fin »" in text
    xml = package_parts(data)["word/document.xml"].decode()
    assert "&amp;amp;" not in xml and "&lt;retard&gt;" in xml
    assert xml.count("<w:br/>") >= 3  # the two lines of the school address, the answer's two


def test_missing_school_settings_are_refused_when_the_template_prints_them(
    tmp_path: Path,
) -> None:
    rows = [entry(D(2026, 9, 5), number="26.1601.001")]
    register = make(tmp_path, rows, [["Numéro d'agence", "1601"], SCHOOL[3]])
    letter = build_letter(register, register.entries[0], LetterKind.ACKNOWLEDGEMENT, TODAY)
    with pytest.raises(MissingSettingsError) as caught:
        render_letter(letter)
    message = caught.value.message
    assert "« Nom de l'auto-école », « Adresse de l'auto-école »" in message
    assert "Signataire" not in message
    assert caught.value.exit_code == 1


def own_template(path: Path, *paragraphs: str) -> Path:
    from docx import Document

    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    document.save(str(path))
    return path


def test_own_template_may_skip_the_school_rows(tmp_path: Path) -> None:
    rows = [entry(D(2026, 9, 5), number="26.1601.001")]
    register = make(tmp_path, rows, [["Numéro d'agence", "1601"]])
    letter = build_letter(register, register.entries[0], LetterKind.ACKNOWLEDGEMENT, TODAY)
    template = own_template(
        tmp_path / "mien.docx",
        "Réclamation {{ numero }} du {{ date_reception }} de {{ client|upper }}",
        "{% if ecole.nom %}{{ ecole.nom }}{% else %}Notre équipe{% endif %}",
    )
    text = docx_text(render_letter(letter, template))
    assert text.splitlines() == [
        "Réclamation 26.1601.001 du 5 septembre 2026 de DUPONT MARIE",
        "Notre équipe",
    ]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        ("Bonjour {{ cliente }}", r"champs inconnus : \{\{ cliente \}\}"),
        ("{{ ecole.nomm }}", r"champ inconnu .*nomm"),
        ("{% if rejet %}sans fin", "mal formée"),
        ("{{ client ", "mal formée"),
    ],
)
def test_broken_own_templates_are_bad_input(
    register: Register, tmp_path: Path, paragraph: str, expected: str
) -> None:
    letter = build_letter(
        register, find_entry(register, "26.1601.001"), LetterKind.ACKNOWLEDGEMENT, TODAY
    )
    template = own_template(tmp_path / "casse.docx", "Madame,", paragraph)
    with pytest.raises(TemplateError, match=expected) as caught:
        render_letter(letter, template)
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("absent.docx", None, "introuvable"),
        ("texte.docx", b"pas un document", "pas un document Word"),
        ("ancien.doc", b"\xd0\xcf\x11\xe0", "Word 97-2003"),
        ("modele.dotx", b"PK", "modèle Word"),
    ],
)
def test_unusable_template_files(
    register: Register, tmp_path: Path, name: str, content: bytes | None, expected: str
) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    letter = build_letter(
        register, find_entry(register, "26.1601.001"), LetterKind.ACKNOWLEDGEMENT, TODAY
    )
    with pytest.raises(TemplateError, match=expected):
        render_letter(letter, path)


def test_the_readme_lists_every_placeholder() -> None:
    readme = (REPOSITORY_DIR.parent.parent / "README.md").read_text("utf-8")
    section = readme.split("## Courriers : `suivi courrier`", 1)[1].split("\n## ", 1)[0]
    missing = [name for name in PLACEHOLDERS if f"`{name}`" not in section]
    assert missing == []


@pytest.mark.parametrize(
    ("typed", "left"),
    [(None, False), ("à droite", False), ("à gauche", True), ("GAUCHE", True), ("?", False)],
)
def test_the_envelope_window_setting(tmp_path: Path, typed: str | None, left: bool) -> None:
    settings: list[list[object]] = [["Numéro d'agence", "1601"]]
    if typed is not None:
        settings.append(["Fenêtre de l'enveloppe", typed])
    register = make(tmp_path, [entry(D(2026, 9, 5), number="26.1601.001")], settings)
    assert register.settings.window_left is left
    letter = build_letter(register, register.entries[0], LetterKind.ACKNOWLEDGEMENT, TODAY)
    assert letter.context["fenetre_gauche"] is left
    assert letter.context["adresse_absente"] is True and letter.context["client_adresse"] == ""


def test_an_address_typed_on_one_line_is_split_as_on_an_envelope(tmp_path: Path) -> None:
    rows = [
        entry(
            D(2026, 9, 5),
            number="26.1601.001",
            address="12 rue des Écoles, 74000 Annecy",
        )
    ]
    register = make(tmp_path, rows, [["Numéro d'agence", "1601"]])
    letter = build_letter(register, register.entries[0], LetterKind.ACKNOWLEDGEMENT, TODAY)
    assert letter.context["client_adresse"] == "12 rue des Écoles\n74000 Annecy"
