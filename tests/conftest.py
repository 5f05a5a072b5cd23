"""Shared fixtures: LibreOffice, the shared corpus, a fixed 'today'."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
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


@dataclass(frozen=True)
class LibreOffice:
    """Headless LibreOffice conversions, with a profile of our own: runs sharing the default
    profile block each other."""

    soffice: str
    profile: Path

    def convert(self, source: Path, target_format: str, outdir: Path) -> Path:
        """Convert ``source`` (``--convert-to target_format``) into ``outdir``; the path of
        ``source.stem`` + the format's extension (a multi-sheet CSV export names its files
        ``stem-Sheet.csv`` instead: look in ``outdir``)."""
        outdir.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                self.soffice,
                f"-env:UserInstallation={self.profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                target_format,
                "--outdir",
                str(outdir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return outdir / f"{source.stem}.{target_format.split(':')[0]}"


@pytest.fixture(scope="session")
def libreoffice(soffice: str, tmp_path_factory: pytest.TempPathFactory) -> LibreOffice:
    return LibreOffice(soffice, tmp_path_factory.mktemp("lo-profile"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """``../shared/corpus`` beside the checkout (as in CI)."""
    if not CORPUS.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"corpus introuvable : {CORPUS}")
        pytest.skip("corpus ../shared/corpus absent")
    return CORPUS
