"""One page of a document as a PNG, the way a user sees it: LibreOffice (``soffice
--headless``) converts it to PDF, poppler's ``pdftoppm`` renders the page. Shared by the
``make_*.py`` scripts of this folder, which regenerate the README's pictures."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path


def tools() -> tuple[str, str]:
    """``soffice`` and ``pdftoppm``; stops with a French message when one is missing."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftoppm = shutil.which("pdftoppm")
    if soffice is None or pdftoppm is None:
        sys.exit("Il faut LibreOffice (soffice) et pdftoppm (poppler-utils).")
    return soffice, pdftoppm


def render_page(
    document: Path, png: Path, workdir: Path, *, page: int = 1, resolution: int = 72
) -> Path:
    """Write page ``page`` of ``document`` to ``png``; return the PDF made in ``workdir``."""
    soffice, pdftoppm = tools()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(workdir / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(workdir),
            str(document),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = workdir / f"{document.stem}.pdf"
    stem = workdir / f"{document.stem}-page"
    pages = ["-f", str(page), "-l", str(page)]
    subprocess.run(
        [pdftoppm, "-png", "-r", str(resolution), *pages, "-singlefile", str(pdf), str(stem)],
        check=True,
        timeout=120,
    )
    shutil.copyfile(f"{stem}.png", png)  # pdftoppm appends .png (names may hold dots)
    return pdf


def keep_copies(keep: Path | None, *files: Path) -> None:
    """``--keep``: copy the intermediate files (the workbook, its PDF) into ``keep``."""
    if keep is None:
        return
    keep.mkdir(parents=True, exist_ok=True)
    for file in files:
        shutil.copy(file, keep)
