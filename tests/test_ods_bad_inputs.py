"""Damaged .ods files get the guard's French messages and exit 2, never a traceback, never a
hang: the same mechanism as for .xlsx (zip limits, bombs, DTD, XML well-formedness)."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from suivi_xlsx.cli import group
from suivi_xlsx.domain.model import HEADERS, SEED_COLUMNS
from suivi_xlsx.errors import DamagedFileError, UnreadableFileError
from suivi_xlsx.reading.reader import load_register

from .odsbuild import make_ods

ROWS: list[list[object]] = [
    [HEADERS[c] for c in SEED_COLUMNS],
    [2025, dt.date(2025, 3, 5), "DUPONT Marie", "25.1601.001", "FS", "Retard"],
]


def good(path: Path) -> Path:
    return make_ods(path, {"Registre": ROWS})


def test_a_sound_ods_built_by_code_is_read(tmp_path: Path) -> None:
    register = load_register(good(tmp_path / "registre.ods"))
    (only,) = register.sheets[0].entries
    assert (only.row, only.received_on, only.order_text) == (2, dt.date(2025, 3, 5), "25.1601.001")


def _truncated(path: Path) -> None:
    data = good(path).read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _changed(change: Callable[[str, bytes], bytes | None]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        make_ods(path, {"Registre": ROWS}, change=change)

    return make


def _bomb(path: Path) -> None:
    good(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as package:
        package.writestr("Pictures/vide.xml", b"<a>" + b" " * (300 << 20) + b"</a>")


def _content(change: Callable[[bytes], bytes]) -> Callable[[str, bytes], bytes | None]:
    return lambda name, data: change(data) if name == "content.xml" else data


DTD = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>'
CASES: dict[str, tuple[Callable[[Path], None], type[UnreadableFileError], str]] = {
    "tronque": (_truncated, UnreadableFileError, "endommagé ou incomplet (archive .ods"),
    "sans-content": (
        _changed(lambda name, data: None if name == "content.xml" else data),
        DamagedFileError,
        "la partie qui contient les feuilles manque (partie « content.xml »)",
    ),
    "xml-invalide": (
        _changed(_content(lambda data: data[: len(data) // 2])),
        DamagedFileError,
        "le contenu XML des feuilles est mal formé (partie « content.xml »)",
    ),
    "dtd": (
        _changed(_content(lambda data: data.replace(b"?>", b"?>" + DTD, 1))),
        DamagedFileError,
        "contient une DTD",
    ),
    "bombe": (_bomb, DamagedFileError, "se décompresse en 300 Mo"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_damaged_ods_french_message_exit_2(tmp_path: Path, name: str) -> None:
    make, kind, expected = CASES[name]
    path = tmp_path / f"{name}.ods"
    make(path)
    before = path.read_bytes()
    with pytest.raises(kind) as caught:
        load_register(path)
    assert type(caught.value) is kind and caught.value.exit_code == 2
    assert expected in caught.value.message
    assert "Excel" not in caught.value.message  # the advice names LibreOffice, if any
    for command in ("check", "update"):
        result = CliRunner().invoke(group, [command, str(path)])
        assert result.exit_code == 2, result.output
        assert expected in result.stderr
        assert "Traceback" not in result.output + result.stderr
    assert path.read_bytes() == before
