"""``suivi courrier`` end to end: the letters' text, the refusals, ``--modele``,
``--a-envoyer``, ``--force``, and LibreOffice opening each letter."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from suivi_xlsx.cli import group
from suivi_xlsx.domain.model import OPTIONAL_COLUMNS, SEED_COLUMNS, Column

from .conftest import LibreOffice
from .workbooks import docx_lines, entry, make_register

D = dt.date
COLUMNS = [*SEED_COLUMNS, *OPTIONAL_COLUMNS]
TODAY = "2026-12-03"

SETTINGS: list[list[object]] = [
    ["Numéro d'agence", "1601"],
    ["Nom de l'auto-école", "Auto-école du Lac"],
    ["Adresse de l'auto-école", "12 rue du Lac\n74000 Annecy"],
    ["Signataire des courriers", "Claire Bernard, gérante"],
    ["Médiateur : nom", "CNPM Médiation Consommation"],
    ["Médiateur : adresse", "27 avenue de la Libération, 42400 Saint-Chamond"],
    ["Médiateur : site internet", "www.cnpm-mediation-consommation.eu"],
]

ROWS = [
    entry(
        D(2026, 11, 20),
        number="26.1601.001",
        issuer="Mme DUPONT Marie",
        subject="Leçon annulée sans prévenir",
        product="Forfait B 20 h",
    ),
    entry(
        D(2026, 9, 5),
        number="26.1601.002",
        issuer="M. MARTIN Paul",
        subject="Heures facturées non faites",
        answer="Après vérification du planning, les heures ont bien été faites.",
        decision="rejet partiel",
        ack_date=D(2026, 9, 8),
        answer_date=D(2026, 10, 20),
    ),
    entry(
        D(2026, 10, 1),
        number="26.1601.003",
        issuer="DURAND Léa",
        subject="Examen reporté",
        answer="Nous vous offrons une leçon.",
        decision="acceptée",
        ack_date=D(2026, 10, 2),
    ),
    entry(D(2026, 10, 2), number="26.1601.004", origin="QS", subject="Questionnaire"),
    entry(D(2026, 11, 28), number="26.1601.005", issuer="LEROY Jean", subject="Accueil"),
    entry(D(2026, 11, 2), number="26.1601.006", ack_date=D(2026, 11, 4)),
]


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(group, ["courrier", *args])
    # Never a traceback: only SystemExit may escape the command.
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def text_of(path: Path) -> str:
    from docx import Document

    return "\n".join(docx_lines(Document(str(path))))


@pytest.fixture()
def register(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_register(
        tmp_path / "registre.xlsx", ROWS, columns=COLUMNS, more_sheets={"Paramètres": SETTINGS}
    )


def test_acknowledgement(register: Path, tmp_path: Path) -> None:
    before = register.read_bytes()
    code, out, err = run(str(register), "26.1601.1", "--type", "accuse-reception", "--today", TODAY)
    assert (code, err) == (0, "")
    letter = tmp_path / "courrier-accuse-reception-26.1601.001.docx"
    assert f"Courrier écrit : {letter.name}" in out
    assert "Date accusé de réception (Registre!O2)" in out  # what to record after sending
    text = text_of(letter)
    for expected in (
        "Auto-école du Lac\n",
        "12 rue du Lac\n74000 Annecy",
        "Mme DUPONT Marie",
        "Annecy, le 3 décembre 2026",
        "Objet\u00a0: accusé de réception de votre réclamation du 20 novembre 2026",
        "réclamation n°\u00a026.1601.001",
        "Madame,",
        "«\u00a0Leçon annulée sans prévenir\u00a0» (prestation concernée\u00a0: Forfait B 20 h)",
        "au plus tard le 20 janvier 2027",
        "Claire Bernard, gérante",
    ):
        assert expected in text
    assert "{{" not in text and "médiateur" not in text.lower()
    assert register.read_bytes() == before  # the register is only read


def test_answer_to_a_rejection_gives_the_mediator(register: Path, tmp_path: Path) -> None:
    out_path = tmp_path / "reponse martin.docx"
    code, out, err = run(
        str(register), "26.1601.002", "--type", "reponse", "-o", str(out_path), "--today", TODAY
    )
    assert (code, err) == (0, "")
    assert "voies de recours (médiateur) incluses" in out
    assert "Voies de recours indiquées (Registre!S3)" in out
    text = text_of(out_path)
    for expected in (
        "M. MARTIN Paul",
        "Monsieur,",
        "Annecy, le 20 octobre 2026",  # the answer date recorded in the register
        "réponse à votre réclamation du 5 septembre 2026",
        "Après vérification du planning, les heures ont bien été faites.",
        "votre réclamation est rejetée en partie",
        "CNPM Médiation Consommation",
        "27 avenue de la Libération\n42400 Saint-Chamond",
        "www.cnpm-mediation-consommation.eu",
        "d'un an",
        "L612-1 et L612-2",
        "Claire Bernard, gérante",
    ):
        assert expected in text
    assert "{%" not in text


def test_answer_to_an_acceptance_has_no_redress(register: Path, tmp_path: Path) -> None:
    code, _, err = run(str(register), "26.1601.003", "--type", "reponse", "--today", TODAY)
    assert (code, err) == (0, "")
    text = text_of(tmp_path / "courrier-reponse-26.1601.003.docx")
    assert "Nous vous offrons une leçon." in text
    assert "votre réclamation est acceptée" in text
    assert "Le 3 décembre 2026" not in text and "Annecy, le 3 décembre 2026" in text
    for absent in ("médiateur", "CNPM", "un an", "L612"):
        assert absent not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("26.1601.099", "--type", "reponse"), "aucune ligne ne porte le numéro"),
        (("26.1601.004", "--type", "accuse-reception"), "pas une réclamation (FS)"),
        (("26.1601.001", "--type", "reponse"), "Réponse apportée"),
    ],
)
def test_refusals_write_nothing(
    register: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    code, out, err = run(str(register), *args, "--today", TODAY)
    assert code == 1 and out == ""
    assert err.startswith("Erreur : ") and message in err
    assert list(tmp_path.glob("*.docx")) == []


def test_rejection_without_mediator_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    book = make_register(
        tmp_path / "registre.xlsx", ROWS, columns=COLUMNS, more_sheets={"Paramètres": SETTINGS[:4]}
    )
    code, _, err = run(str(book), "26.1601.002", "--type", "reponse")
    assert code == 1
    assert "« Médiateur : nom », « Médiateur : adresse », « Médiateur : site internet »" in err
    assert list(tmp_path.glob("*.docx")) == []
    code, _, err = run(str(book), "26.1601.003", "--type", "reponse")  # acceptance: fine
    assert (code, err) == (0, "")


def test_existing_letter_needs_force(register: Path, tmp_path: Path) -> None:
    letter = tmp_path / "courrier-accuse-reception-26.1601.001.docx"
    letter.write_bytes(b"ancien")
    code, _, err = run(str(register), "26.1601.001", "--type", "accuse-reception")
    assert code == 1 and "existe déjà" in err and "--remplacer" in err
    assert letter.read_bytes() == b"ancien"
    code, _, err = run(str(register), "26.1601.001", "--type", "accuse-reception", "--force")
    assert (code, err) == (0, "")
    assert "Mme DUPONT Marie" in text_of(letter)


def test_own_template(register: Path, tmp_path: Path) -> None:
    from docx import Document

    document = Document()
    document.add_paragraph("{{ ecole.nom }} — {{ lieu_date }}")
    document.add_paragraph(
        "Cher client {{ client }}, dossier {{ numero }} du {{ date_reception }} ({{ objet }})."
    )
    document.add_paragraph("{%p if rejet %}")
    document.add_paragraph("Médiateur : {{ mediateur.nom }}, {{ mediateur.site }}, sous un an.")
    document.add_paragraph("{%p endif %}")
    document.add_paragraph("{{ signataire }}")
    template = tmp_path / "mon modèle.docx"
    document.save(str(template))
    code, _, err = run(str(register), "26.1601.002", "--type", "reponse", "--modele", str(template))
    assert (code, err) == (0, "")
    text = text_of(tmp_path / "courrier-reponse-26.1601.002.docx")
    assert text.splitlines() == [
        "Auto-école du Lac — Annecy, le 20 octobre 2026",
        "Cher client M. MARTIN Paul, dossier 26.1601.002 du 5 septembre 2026 (Heures facturées "
        "non faites).",
        "Médiateur : CNPM Médiation Consommation, www.cnpm-mediation-consommation.eu, sous un an.",
        "Claire Bernard, gérante",
    ]


_FULL_ANSWER = {
    "numero": "Dossier {{ numero }}.",
    "reçue": "Reçue le {{ date_reception }}.",
    "signataire": "{{ signataire }}",
    "nom": "Médiateur : {{ mediateur.nom }}.",
    "site": "Site : {{ mediateur.site }}.",
    "un an": "Vous pouvez le saisir dans un délai d'un an.",
}


@pytest.mark.parametrize(
    ("left_out", "named"),
    [
        ("numero", "le numéro d'ordre"),
        ("reçue", "la date de réception"),
        ("signataire", "le signataire"),
        ("nom", "le nom du médiateur"),
        ("site", "le site internet du médiateur"),
        ("un an", "le délai d'un an"),
    ],
)
def test_a_template_without_a_mandatory_mention_is_refused_and_nothing_recorded(
    register: Path, tmp_path: Path, left_out: str, named: str
) -> None:
    """Issue 17: a rejection's letter is said to carry the means of redress, and « oui » is to
    be recorded, only once the rendered document is seen to carry them."""
    from docx import Document

    document = Document()
    for key, paragraph in _FULL_ANSWER.items():
        if key != left_out:
            document.add_paragraph(paragraph)
    template = tmp_path / "sans.docx"
    document.save(str(template))
    code, out, err = run(
        str(register), "26.1601.002", "--type", "reponse", "--modele", str(template)
    )
    assert code == 2 and named in err and "Aucun courrier n'a été écrit" in err
    assert "incluses" not in out and "« oui »" not in out
    assert not (tmp_path / "courrier-reponse-26.1601.002.docx").exists()
    # with every mention, the same template is accepted and its claim is true
    full = Document()
    for paragraph in _FULL_ANSWER.values():
        full.add_paragraph(paragraph)
    full.save(str(template))
    code, out, err = run(
        str(register), "26.1601.002", "--type", "reponse", "--modele", str(template)
    )
    assert code == 0, err


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "introuvable"), (b"texte", "pas un document Word"), ("{{ inconnu }}", "inconnu")],
)
def test_bad_own_template_is_exit_2(
    register: Path, tmp_path: Path, content: bytes | str | None, message: str
) -> None:
    template = tmp_path / "modele.docx"
    if isinstance(content, bytes):
        template.write_bytes(content)
    elif isinstance(content, str):
        from docx import Document

        document = Document()
        document.add_paragraph(content)
        document.save(str(template))
    code, _, err = run(
        str(register), "26.1601.001", "--type", "accuse-reception", "--modele", str(template)
    )
    assert code == 2 and message in err and "Traceback" not in err
    assert not (tmp_path / "courrier-accuse-reception-26.1601.001.docx").exists()


def test_letters_to_send(register: Path, tmp_path: Path) -> None:
    code, out, err = run(str(register), "--a-envoyer", "--today", TODAY, "--dossier", "courriers")
    assert (code, err) == (0, "")
    folder = tmp_path / "courriers"
    # 001 and 005 wait; 002, 003 and 006 are acknowledged, 004 is a survey answer.
    assert sorted(p.name for p in folder.iterdir()) == [
        "courrier-accuse-reception-26.1601.001.docx",
        "courrier-accuse-reception-26.1601.005.docx",
    ]
    assert "2 réclamations attendent un accusé de réception au 3 décembre 2026" in out
    assert "2 courriers écrits." in out
    assert "LEROY Jean" in text_of(folder / "courrier-accuse-reception-26.1601.005.docx")
    # Again: nothing replaced without --force, then replaced with it.
    code, out, _ = run(str(register), "--a-envoyer", "--today", TODAY, "--dossier", "courriers")
    assert code == 0 and "0 courrier écrit, 2 déjà présents." in out
    code, out, _ = run(
        str(register), "--a-envoyer", "--today", TODAY, "--dossier", "courriers", "--force"
    )
    assert code == 0 and "2 courriers écrits." in out


def test_letters_to_send_reports_what_cannot_be_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    rows = [entry(D(2026, 11, 20), number="26.1601.001"), entry(D(2026, 11, 21), issuer=None)]
    book = make_register(
        tmp_path / "r.xlsx", rows, columns=COLUMNS, more_sheets={"Paramètres": SETTINGS}
    )
    code, out, err = run(str(book), "--a-envoyer", "--today", TODAY)
    assert code == 1
    assert "1 courrier écrit, 1 refusé." in out
    assert "Non écrit : la réclamation de la ligne 3 (Registre) n'a pas de numéro d'ordre" in err
    assert [p.name for p in tmp_path.glob("*.docx")] == [
        "courrier-accuse-reception-26.1601.001.docx"
    ]


def test_letters_to_send_without_school_settings_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    book = make_register(
        tmp_path / "r.xlsx", ROWS, columns=COLUMNS, more_sheets={"Paramètres": SETTINGS[:1]}
    )
    code, _, err = run(str(book), "--a-envoyer", "--today", TODAY)
    assert code == 1 and "« Signataire des courriers »" in err
    assert list(tmp_path.glob("*.docx")) == []


def test_nothing_to_send(register: Path) -> None:
    code, out, _ = run(str(register), "--a-envoyer", "--today", "2026-09-01")
    assert code == 0 and "Aucune réclamation en cours n'attend d'accusé de réception" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("26.1601.001",), "--type accuse-reception ou --type reponse"),
        (("--type", "reponse"), "indiquez le numéro d'ordre"),
        (("26.1601.001", "--a-envoyer"), "retirez le numéro"),
        (("--a-envoyer", "--type", "reponse"), "n'écrit que des accusés de réception"),
        (("--a-envoyer", "-o", "x.docx"), "--dossier"),
        (("26.1601.001", "--type", "reponse", "--dossier", "d"), "-o"),
        (("26.1601.001", "--type", "lettre"), "n'est pas parmi"),
        (("26.1601.003", "--type", "reponse", "-o", "lettre.pdf"), "doit être un fichier .docx"),
    ],
)
def test_usage_errors_are_exit_2(register: Path, args: tuple[str, ...], message: str) -> None:
    code, _, err = run(str(register), *args)
    assert code == 2 and message in err


def test_unreadable_register_is_exit_2(tmp_path: Path) -> None:
    code, _, err = run(str(tmp_path / "absent.xlsx"), "26.1601.001", "--type", "reponse")
    assert code == 2 and err.startswith("Erreur : ")


def test_listed_in_the_group_help() -> None:
    result = CliRunner().invoke(group, ["--help"])
    assert "courrier" in result.stdout and "accusé de réception" in result.stdout


def test_libreoffice_converts_each_letter_to_pdf(
    register: Path, tmp_path: Path, libreoffice: LibreOffice
) -> None:
    for number, kind in (("26.1601.001", "accuse-reception"), ("26.1601.002", "reponse")):
        code, _, err = run(str(register), number, "--type", kind, "--today", TODAY)
        assert (code, err) == (0, "")
        pdf = libreoffice.convert(
            tmp_path / f"courrier-{kind}-{number}.docx", "pdf", tmp_path / "pdf"
        )
        assert pdf.read_bytes().startswith(b"%PDF")
        # The PDF holds the letter's words (pdftotext when poppler is there).
        try:
            words = subprocess.run(
                ["pdftotext", str(pdf), "-"], capture_output=True, check=True, text=True
            ).stdout
        except FileNotFoundError:
            continue
        assert number in words and "Claire Bernard" in words
        if kind == "reponse":
            assert "CNPM" in words


def test_a_letter_open_in_word_is_not_replaced(register: Path, tmp_path: Path) -> None:
    letter = tmp_path / "courrier-accuse-reception-26.1601.001.docx"
    letter.write_bytes(b"ancien")
    (tmp_path / f"~${letter.name[2:]}").write_bytes(b"owner")  # Word's owner file
    code, _, err = run(str(register), "26.1601.001", "--type", "accuse-reception", "--force")
    assert code == 1 and "ouvert dans Word" in err
    assert letter.read_bytes() == b"ancien"


# --- no promise already broken ------------------------------------------------------------


def test_an_acknowledgement_in_time_promises_the_answer_date(
    register: Path, tmp_path: Path
) -> None:
    code, out, err = run(str(register), "26.1601.5", "--type", "accuse-reception", "--today", TODAY)
    assert (code, err) == (0, "")
    text = text_of(tmp_path / "courrier-accuse-reception-26.1601.005.docx")
    assert "au plus tard le 28 janvier 2027" in text  # received 28/11, dated 3/12
    assert "excuser" not in text and "retard" not in out and "dépassé" not in out


def test_a_late_acknowledgement_apologises_and_the_command_says_so(
    register: Path, tmp_path: Path
) -> None:
    # 001: received 20/11, its 10 days ended on 30/11; the letter is dated 3/12.
    code, out, err = run(str(register), "26.1601.1", "--type", "accuse-reception", "--today", TODAY)
    assert (code, err) == (0, "")
    text = text_of(tmp_path / "courrier-accuse-reception-26.1601.001.docx")
    assert "excuser de ne pas vous avoir adressé cet accusé de réception dans le délai de " in text
    assert "10 jours" in text
    assert "au plus tard le 20 janvier 2027" in text  # the answer's deadline is still ahead
    assert (
        "Attention : accusé de réception envoyé en retard : son délai a expiré le "
        "30 novembre 2026." in out
    )
    assert "délai de réponse dépassé" not in out


def test_an_acknowledgement_past_the_answer_deadline_promises_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The case: a letter of 5 December for a complaint received on 15 September.
    monkeypatch.chdir(tmp_path)
    rows = [entry(D(2026, 9, 15), number="26.1601.001", issuer="Mme DUPONT Marie")]
    book = make_register(
        tmp_path / "r.xlsx", rows, columns=COLUMNS, more_sheets={"Paramètres": SETTINGS}
    )
    code, out, err = run(
        str(book), "26.1601.001", "--type", "accuse-reception", "--today", "2026-12-05"
    )
    assert (code, err) == (0, "")
    text = text_of(tmp_path / "courrier-accuse-reception-26.1601.001.docx")
    assert "au plus tard" not in text
    assert "qui expirait le 15 novembre 2026, est dépassé" in text
    assert "ce dont nous vous prions de bien vouloir nous excuser" in text
    assert "en cours de préparation" in text
    assert "délai de réponse dépassé : il a expiré le 15 novembre 2026" in out
    assert "accusé de réception envoyé en retard" in out


def test_the_letters_to_send_warn_for_each_late_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    rows = [
        entry(D(2026, 9, 15), number="26.1601.001", issuer="DUPONT Marie"),
        entry(D(2026, 11, 20), number="26.1601.002", issuer="MARTIN Paul"),
        entry(D(2026, 12, 1), number="26.1601.003", issuer="LEROY Jean"),
    ]
    book = make_register(
        tmp_path / "r.xlsx", rows, columns=COLUMNS, more_sheets={"Paramètres": SETTINGS}
    )
    code, out, err = run(str(book), "--a-envoyer", "--today", "2026-12-05", "--dossier", "c")
    assert (code, err) == (0, "")
    blocks = out.split("  Écrit : ")[1:]
    assert len(blocks) == 3
    by_client = {block.split("(", 1)[1].split(",", 1)[0]: block for block in blocks}
    assert "délai de réponse dépassé" in by_client["DUPONT Marie"]
    assert "accusé de réception envoyé en retard" in by_client["DUPONT Marie"]
    assert "accusé de réception envoyé en retard" in by_client["MARTIN Paul"]
    assert "délai de réponse dépassé" not in by_client["MARTIN Paul"]
    assert "retard" not in by_client["LEROY Jean"] and "dépassé" not in by_client["LEROY Jean"]


def test_a_template_promising_a_past_date_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docx import Document

    monkeypatch.chdir(tmp_path)
    rows = [entry(D(2026, 9, 15), number="26.1601.001", issuer="Mme DUPONT Marie")]
    book = make_register(
        tmp_path / "r.xlsx", rows, columns=COLUMNS, more_sheets={"Paramètres": SETTINGS}
    )
    document = Document()
    document.add_paragraph("Réclamation {{ numero }} reçue le {{ date_reception }}.")
    document.add_paragraph("Réponse au plus tard le {{ echeance_reponse }}.")  # ignores the delay
    document.add_paragraph("{{ signataire }}")
    template = tmp_path / "ancien.docx"
    document.save(str(template))
    args = ["26.1601.001", "--type", "accuse-reception", "--modele", str(template)]
    code, out, err = run(str(book), *args, "--today", "2026-12-05")
    assert code == 2
    assert "promet « au plus tard le 15 novembre 2026 »" in err and "reponse_en_retard" in err
    assert "Aucun courrier n'a été écrit" in err and "Courrier écrit" not in out
    assert not (tmp_path / "courrier-accuse-reception-26.1601.001.docx").exists()
    # The same template, while the deadline is ahead, is fine.
    code, _, err = run(str(book), *args, "--today", "2026-09-20")
    assert (code, err) == (0, "")


# --- the client's address, in the envelope's window --------------------------------------

ADDRESS_COLUMNS = [*COLUMNS, Column.ADDRESS, Column.POSTCODE, Column.TOWN]


def _with_address(tmp_path: Path, *, window: str | None = None, **address: object) -> Path:
    settings = [*SETTINGS, *([["Fenêtre de l'enveloppe", window]] if window else [])]
    rows = [entry(D(2026, 11, 28), number="26.1601.001", issuer="Mme DUPONT Marie", **address)]
    return make_register(
        tmp_path / "r.xlsx", rows, columns=ADDRESS_COLUMNS, more_sheets={"Paramètres": settings}
    )


def test_the_address_columns_print_the_address_block(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    book = _with_address(
        tmp_path, address="3 impasse des Lilas\nBât. B", postcode=1000, town="Bourg-en-Bresse"
    )
    code, out, err = run(str(book), "26.1601.001", "--type", "accuse-reception", "--today", TODAY)
    assert (code, err) == (0, "")
    lines = text_of(tmp_path / "courrier-accuse-reception-26.1601.001.docx").splitlines()
    at = lines.index("Mme DUPONT Marie")
    assert lines[at + 1 : at + 4] == ["3 impasse des Lilas", "Bât. B", "01000 BOURG-EN-BRESSE"]
    assert "adresse" not in out


def test_without_an_address_the_letter_is_written_and_the_command_says_so(
    register: Path, tmp_path: Path
) -> None:
    code, out, err = run(str(register), "26.1601.5", "--type", "accuse-reception", "--today", TODAY)
    assert (code, err) == (0, "")
    assert "Attention : adresse du client absente du registre : à compléter avant envoi." in out
    lines = text_of(tmp_path / "courrier-accuse-reception-26.1601.005.docx").splitlines()
    assert lines[lines.index("LEROY Jean") + 1] == "Annecy, le 3 décembre 2026"  # no blank block


def _word_boxes(pdf: Path) -> list[tuple[str, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax) of page 1, in millimetres from the top left corner."""
    import html
    import re

    xhtml = subprocess.run(
        ["pdftotext", "-bbox", "-f", "1", "-l", "1", str(pdf), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    found = re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
        xhtml,
    )
    mm = 25.4 / 72
    return [
        (html.unescape(w), float(a) * mm, float(b) * mm, float(c) * mm, float(d) * mm)
        for a, b, c, d, w in found
    ]


@pytest.mark.parametrize(("window", "x_range"), [(None, (100, 200)), ("à gauche", (20, 120))])
def test_libreoffice_puts_the_address_in_the_window(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    libreoffice: LibreOffice,
    window: str | None,
    x_range: tuple[float, float],
) -> None:
    """A DL envelope's window (100 x 45 mm, 20 mm from the side, 15 mm from the bottom) sees,
    whichever way the folded A4 page slides in the 220 x 110 mm envelope, the part of the
    page from 50 to 84 mm below its top and, across, 100 to 200 mm (right window) or 20 to
    120 mm (left window) from its left edge."""
    monkeypatch.chdir(tmp_path)
    book = _with_address(
        tmp_path, window=window, address="8 chemin des Alpes", postcode="74960", town="Cran-Gevrier"
    )
    code, _, err = run(str(book), "26.1601.001", "--type", "accuse-reception", "--today", TODAY)
    assert (code, err) == (0, "")
    pdf = libreoffice.convert(
        tmp_path / "courrier-accuse-reception-26.1601.001.docx", "pdf", tmp_path / "pdf"
    )
    boxes = _word_boxes(pdf)
    block = [b for b in boxes if b[0] in ("DUPONT", "chemin", "Alpes", "74960", "CRAN-GEVRIER")]
    assert sorted(b[0] for b in block) == ["74960", "Alpes", "CRAN-GEVRIER", "DUPONT", "chemin"]
    low, high = x_range
    for word, x0, y0, x1, y1 in block:
        assert low <= x0 and x1 <= high, (word, x0, x1)
        assert y0 >= 50 and y1 <= 84, (word, y0, y1)
    # The school's name and address (« Auto-école du Lac », « 12 rue du Lac ») stay above it.
    school = [b for b in boxes if b[0] == "Lac" and b[2] < 100]
    assert len(school) == 2 and all(b[4] < 50 for b in school)
