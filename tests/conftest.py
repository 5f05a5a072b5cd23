"""Shared fixtures: LibreOffice, the shared corpus, a fixed 'today'."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def soffice() -> str:
    """Path of LibreOffice's ``soffice``. Skips without it, unless CI demands it
    (``SUIVI_REQUIRE_SOFFICE=1``, set by ``.ci/run``), where its absence is a failure."""
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        if os.environ.get("SUIVI_REQUIRE_SOFFICE"):
            pytest.fail("LibreOffice (soffice) est requis en CI mais introuvable")
        pytest.skip("LibreOffice (soffice) absent")
    return path


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """``../shared/corpus`` beside the checkout (as in CI)."""
    if not CORPUS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"corpus introuvable : {CORPUS}")
        pytest.skip("corpus ../shared/corpus absent")
    return CORPUS
