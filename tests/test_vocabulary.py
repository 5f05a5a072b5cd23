"""The closed vocabularies: what people type for origins, decisions, closing and redress."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from suivi_xlsx.domain.model import Decision, Origin
from suivi_xlsx.domain.vocabulary import date_word, read_decision, read_origin, redress_given


@pytest.mark.parametrize(
    ("text", "decision"),
    [
        ("acceptée", Decision.ACCEPTED),
        ("Accord", Decision.ACCEPTED),
        ("rejet partiel", Decision.PARTIAL_REJECTION),
        ("Partiellement acceptée", Decision.PARTIAL_REJECTION),
        ("rejet total", Decision.TOTAL_REJECTION),
        ("Refus", Decision.TOTAL_REJECTION),
        ("refusée", Decision.TOTAL_REJECTION),
        ("Non fondée", Decision.TOTAL_REJECTION),
        ("En attente", None),
        ("Non", None),
        ("?", None),
    ],
)
def test_decisions(text: str, decision: Decision | None) -> None:
    assert read_decision(text) is decision


@pytest.mark.parametrize(
    ("text", "given"),
    [
        ("Médiateur CM2C indiqué", True),
        ("oui", True),
        ("Non communiquées", False),
        ("à faire", False),
        ("NC", False),
        ("néant", False),
        ("non", False),
        ("-", False),
        ("", False),
    ],
)
def test_redress_words(text: str, given: bool) -> None:
    assert redress_given(text) is given


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("en cours", "open"),
        ("EN COURS", "open"),
        ("non", "open"),
        ("-", "open"),
        ("?", "open"),
        ("voir mail", "open"),
        ("à faire", "open"),
        ("en attente de la réponse", "open"),
        ("clôturé", "closed"),
        ("Clôturée.", "closed"),
        ("fait", "closed"),
        ("terminé", "closed"),
        ("oui", "closed"),
        ("le lendemain", None),
    ],
)
def test_words_in_date_columns(text: str, word: str | None) -> None:
    assert date_word(text) == word


@pytest.mark.parametrize(
    ("text", "origin", "as_code"),
    [
        ("FS", Origin.FS, True),
        ("Réclamation", Origin.FS, False),
        ("Plainte", Origin.FS, False),
        ("Questionnaire", Origin.QS, False),
        ("Enquête de satisfaction", Origin.QS, False),
        ("Plan d'action", Origin.PA, False),
        ("Amélioration", Origin.PA, False),
        ("P.A.", Origin.PA, False),
    ],
)
def test_origin_words(text: str, origin: Origin, as_code: bool) -> None:
    assert read_origin(text) == (origin, as_code)


def test_unknown_origins() -> None:
    assert read_origin("FS/QS") is None
    assert read_origin("divers") is None


@given(st.text())
@example("e\u0301\u034f")  # U+034F sits among the Latin marks but is not one
def test_without_marks_drops_exactly_the_combining_characters(text: str) -> None:
    import unicodedata

    from suivi_xlsx.domain.vocabulary import without_marks

    decomposed = unicodedata.normalize("NFKD", text)
    expected = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    assert without_marks(decomposed) == expected


def test_a_long_text_says_something_without_being_folded_whole() -> None:
    from suivi_xlsx.domain.vocabulary import says_nothing

    assert not says_nothing("12/03 : appel du client. " * 2000)
    assert says_nothing("-" * 5000)  # a long line of dashes still says nothing
    assert says_nothing("  Néant.  ")
