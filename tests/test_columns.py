"""Header recognition: wording variants → columns, and finding the header row."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suivi_xlsx.domain.model import HEADERS, SEED_COLUMNS, Column
from suivi_xlsx.reading.columns import find_header, missing_columns, normalize, recognize


def test_normalize_case_accents_apostrophes_numero_sign() -> None:
    assert normalize("N° d’ORDRE\n(aa.agence.nnn)") == "numero d ordre aa agence nnn"
    assert normalize("  Date   de\nclôture ") == "date de cloture"
    assert normalize("Nº") == "numero"
    assert normalize("No. d'ordre") == normalize("Num d'ordre") == "numero d ordre"


@pytest.mark.parametrize(("column", "header"), list(HEADERS.items()))
def test_template_headers_are_recognised(column: Column, header: str) -> None:
    assert recognize(header) is column


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("N° d'ordre", Column.ORDER_NUMBER),
        ("Numéro d'ordre", Column.ORDER_NUMBER),
        ("N°", Column.ORDER_NUMBER),
        ("Date de clôture", Column.CLOSED_ON),
        ("DATE DE CLOTURE", Column.CLOSED_ON),
        ("Clôturé le", Column.CLOSED_ON),
        ("Personne chargée du dossier", Column.OWNER),
        ("Responsable", Column.OWNER),
        ("Émetteur", Column.ISSUER),
        ("EMETTEUR", Column.ISSUER),
        ("Nom du client", Column.ISSUER),
        ("Echéance", Column.DUE_DATE),
        ("Date d'échéance", Column.DUE_DATE),
        ("Date limite", Column.DUE_DATE),
        ("Date de réception", Column.DATE),
        ("Date de la réclamation", Column.DATE),
        ("Date de réception de la réclamation", Column.DATE),
        ("DATE", Column.DATE),
        ("Date accusé de réception", Column.ACK_DATE),
        ("Date de l'accusé de réception", Column.ACK_DATE),
        ("Date AR", Column.ACK_DATE),
        ("Date de réponse", Column.ANSWER_DATE),
        ("Réponse", Column.ANSWER),
        ("Réponse apportée", Column.ANSWER),
        ("Décision", Column.DECISION),
        ("Voies de recours (indiquées)", Column.REDRESS),
        ("Voies de recours indiquées", Column.REDRESS),
        ("Produit/service visé", Column.PRODUCT),
        ("Contrat, produit ou service visé", Column.PRODUCT),
        ("Intervenants", Column.PARTIES),
        ("Personnes visées", Column.PERSONS),
        ("Dysfonctionnements (identifiés)", Column.DYSFUNCTIONS),
        ("Dysfonctionnements identifiés", Column.DYSFUNCTIONS),
        ("Actions correctives", Column.CORRECTIVE_ACTIONS),
        ("Origine", Column.ORIGIN),
        ("FS / QS / PA", Column.ORIGIN),
        ("Objet", Column.SUBJECT),
        ("Justificatif n°", Column.EVIDENCE),
        ("Suivi", Column.FOLLOW_UP),
        ("Commentaires", Column.FOLLOW_UP),
        ("Année", Column.YEAR),
        ("ANNEE", Column.YEAR),
        ("(Date)", Column.DATE),
        ("Type (FS/QS/PA)", Column.ORIGIN),
        ("Prénom NOM", Column.ISSUER),
        ("Nom et prénom", Column.ISSUER),
        ("Réception", Column.DATE),
    ],
)
def test_short_forms_and_variants(header: str, column: Column) -> None:
    assert recognize(header) is column


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("Adresse", Column.ADDRESS),
        ("Adresse postale", Column.ADDRESS),
        ("Adresse du client", Column.ADDRESS),
        ("ADRESSE CLIENT", Column.ADDRESS),
        ("Rue", Column.ADDRESS),
        ("N° et rue", Column.ADDRESS),
        ("Domicile du client", Column.ADDRESS),
        ("Complément d'adresse", Column.ADDRESS_EXTRA),
        ("Adresse 2", Column.ADDRESS_EXTRA),
        ("CP", Column.POSTCODE),
        ("Code postal", Column.POSTCODE),
        ("Ville", Column.TOWN),
        ("Commune", Column.TOWN),
        ("Localité", Column.TOWN),
        ("CP / Ville", Column.TOWN),
        ("Code postal et ville", Column.TOWN),
    ],
)
def test_the_clients_address_columns(header: str, column: Column) -> None:
    assert recognize(header) is column


@pytest.mark.parametrize(
    "header",
    [
        "Téléphone",
        "N° de téléphone",
        "Date de naissance",
        "Remarques",
        "Remarques (date, suivi)",
        "",
        "Montant",
        "Adresse e-mail",
        "Adresse mail du client",
        "Courriel",
    ],
)
def test_unknown_headers_are_not_columns(header: str) -> None:
    assert recognize(header) is None


_SEED_HEADERS: list[object] = [HEADERS[c] for c in SEED_COLUMNS]


@given(
    column=st.sampled_from(list(HEADERS)),
    upper=st.booleans(),
    break_at=st.integers(min_value=0, max_value=200),
    pad=st.sampled_from(["", " ", "  ", "\n", "\t"]),
)
def test_case_line_breaks_and_blanks_do_not_matter(
    column: Column, upper: bool, break_at: int, pad: str
) -> None:
    header = HEADERS[column]
    spaces = [i for i, ch in enumerate(header) if ch == " "]
    if spaces:  # a line break instead of one of the spaces, as Alt+Entrée makes
        at = spaces[break_at % len(spaces)]
        header = header[:at] + "\n" + header[at + 1 :]
    header = pad + (header.upper() if upper else header.lower()) + pad
    assert recognize(header) is column


def test_find_header_below_title_rows() -> None:
    rows: list[list[object]] = [
        ["Suivi des fiches signalétiques et des plans d'améliorations", "", ""],
        ["", "", ""],
        ["Agence 1601", "", "Mis à jour le 05/03/2025"],
        _SEED_HEADERS,
        [2025, "05/03/2025", "DUPONT Marie"],
    ]
    match = find_header(rows)
    assert match is not None
    assert (match.index, match.is_register) == (3, True)
    assert dict(match.columns) == {c: i for i, c in enumerate(SEED_COLUMNS)}


def test_find_header_other_order_and_extra_columns() -> None:
    rows = [["Téléphone", "Objet", "Date de réception", "Origine", "N° d'ordre", "Remarques"]]
    match = find_header(rows)
    assert match is not None
    assert dict(match.columns) == {
        Column.SUBJECT: 1,
        Column.DATE: 2,
        Column.ORIGIN: 3,
        Column.ORDER_NUMBER: 4,
    }
    assert match.headers[0] == "Téléphone" and match.headers[5] == "Remarques"
    assert match.is_register
    assert missing_columns(match.columns) == (
        Column.YEAR,
        Column.ISSUER,
        Column.EVIDENCE,
        Column.FOLLOW_UP,
        Column.OWNER,
        Column.DUE_DATE,
        Column.CLOSED_ON,
    )


def test_leftmost_duplicate_wins() -> None:
    match = find_header([["Date", "Objet", "Date de réception", "Origine"]])
    assert match is not None
    assert match.columns[Column.DATE] == 0


@pytest.mark.parametrize(
    ("header", "is_register"),
    [
        (["Date", "Objet", "Origine"], True),
        (["Date", "Objet"], False),  # Date and only one more seed column
        (["Objet", "Origine", "Émetteur", "Année"], False),  # no Date
        (["Date", "Réponse", "Décision", "Intervenants"], False),  # optional columns only
    ],
)
def test_is_register(header: list[str], is_register: bool) -> None:
    match = find_header([header])
    assert match is not None
    assert match.is_register is is_register


def test_header_beyond_search_rows_is_not_found() -> None:
    rows: list[list[object]] = [[""] for _ in range(30)]
    rows.append(list(_SEED_HEADERS))
    assert find_header(rows) is None
    assert find_header(rows[1:]) is not None


def test_no_header_in_numbers() -> None:
    assert find_header([[1.0, 2.0], ["", ""]]) is None
