"""The small zip reader used before calamine reads a workbook agrees with ``zipfile``."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from suivi_xlsx.xlsx.ziplite import BadZip, LiteZip

from .conftest import corpus_dir as _corpus_dir  # noqa: F401  (fixture)

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "registre-exemple.xlsx"


def _same_as_zipfile(path: Path) -> None:
    with zipfile.ZipFile(path) as reference, LiteZip(path) as lite:
        mine = lite.infolist()
        theirs = reference.infolist()
        assert [(m.filename, m.file_size, m.compress_size) for m in mine] == [
            (i.filename, i.file_size, i.compress_size) for i in theirs
        ]
        for member, info in zip(mine, theirs, strict=True):
            if info.flag_bits & 1 or info.compress_type not in (0, 8):
                continue
            with lite.open(member) as stream:
                whole = stream.read()
            assert whole == reference.read(info)
            with lite.open(member) as stream:  # small reads give the same bytes
                parts = []
                while chunk := stream.read(1000):
                    parts.append(chunk)
            assert b"".join(parts) == whole


def test_the_example_and_every_corpus_workbook(corpus_dir: Path) -> None:
    _same_as_zipfile(EXAMPLE)
    for path in sorted(corpus_dir.glob("*.xls[xm]")):
        _same_as_zipfile(path)


def test_stored_members_zip64_and_declared_sizes(tmp_path: Path) -> None:
    path = tmp_path / "mixte.zip"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("stored.xml", b"<a/>" * 100, compress_type=zipfile.ZIP_STORED)
        package.writestr("deflated.xml", b"<b>" + b"x" * 100_000 + b"</b>", zipfile.ZIP_DEFLATED)
        with package.open("big.xml", "w", force_zip64=True) as big:
            big.write(b"<c/>" * 1000)
    _same_as_zipfile(path)


def test_not_a_zip_is_bad(tmp_path: Path) -> None:
    path = tmp_path / "texte.xlsx"
    path.write_bytes(b"Date;Objet\n05/03/2025;Retard\n")
    with pytest.raises(BadZip):
        LiteZip(path)
    truncated = tmp_path / "coupe.xlsx"
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as package:
        package.writestr("a.xml", b"<a/>")
    truncated.write_bytes(data.getvalue()[:-30])
    with pytest.raises(BadZip):
        LiteZip(truncated)
