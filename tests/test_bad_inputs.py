"""Files that are not a readable register: a French message saying what to do, exit status 2,
and the file left exactly as it was."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import pytest

from suivi_xlsx.errors import NoRegisterError, SuiviError, UnreadableFileError
from suivi_xlsx.reading.reader import load_register
from tests.conftest import LibreOffice
from tests.workbooks import entry, make_register, make_workbook

SAVE_AS = "enregistrez le fichier au format .xlsx"


def _refused(path: Path, kind: type[SuiviError] = UnreadableFileError) -> str:
    """Load ``path``, expecting ``kind``; check exit 2 and that the file is unchanged."""
    before = path.read_bytes() if path.is_file() else None
    with pytest.raises(kind) as caught:
        load_register(path)
    error = caught.value
    assert type(error) is kind
    assert error.exit_code == 2
    assert path.name in error.message
    assert "Traceback" not in error.message
    if before is not None:
        assert path.read_bytes() == before
    return error.message


def _register(tmp_path: Path, name: str = "registre.xlsx") -> Path:
    return make_register(tmp_path / name, [entry(dt.date(2025, 3, 5))])


def test_missing_path(tmp_path: Path) -> None:
    message = _refused(tmp_path / "absent.xlsx")
    assert message.startswith("fichier introuvable") and "Vérifiez le chemin" in message


def test_folder(tmp_path: Path) -> None:
    folder = tmp_path / "registres.xlsx"
    folder.mkdir()
    assert "est un dossier, pas un fichier" in _refused(folder)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "vide.xlsx"
    path.write_bytes(b"")
    message = _refused(path)
    assert "est vide (0 octet)" in message and SAVE_AS in message


def test_truncated_zip(tmp_path: Path) -> None:
    whole = _register(tmp_path).read_bytes()
    path = tmp_path / "tronque.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    message = _refused(path)
    assert "endommagé ou incomplet" in message and SAVE_AS in message


def test_csv_renamed_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_text("Année;Date;Emetteur\n2025;05/03/2025;DUPONT Marie\n", encoding="utf-8")
    message = _refused(path)
    assert "contient du texte (CSV ?)" in message and SAVE_AS in message


def test_csv(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes("Année;Date\n2025;05/03/2025\n".encode("cp1252"))
    assert "contient du texte (CSV ?)" in _refused(path)


def test_other_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "photo.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    message = _refused(path)
    assert "n'est pas un classeur Excel .xlsx" in message and SAVE_AS in message


def _ole2(path: Path, body: bytes = b"") -> Path:
    # An OLE2 compound file starts with this signature; the reader looks no further for .xls.
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + body + bytes(512))
    return path


def test_damaged_xls(tmp_path: Path) -> None:
    message = _refused(_ole2(tmp_path / "registre.xls"))
    assert "n'a pas pu être lu comme un classeur Excel 97-2003 (.xls)" in message
    assert "ouvrez-le dans Excel qui proposera de le réparer" in message


def test_damaged_xls_renamed_xlsx(tmp_path: Path) -> None:
    assert "Excel 97-2003 (.xls)" in _refused(_ole2(tmp_path / "registre.xlsx"))


def test_password_protected_workbook(tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = _register(tmp_path, "clair.xlsx")
    path = tmp_path / "protege.xlsx"
    with plain.open("rb") as source, path.open("wb") as target:
        OOXMLFile(source).encrypt("secret", target)
    message = _refused(path)
    assert "protégé par un mot de passe" in message and "retirez le mot de passe" in message


def _ods(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as odf:
        odf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        odf.writestr("content.xml", "<office:document-content/>")
    return path


def test_damaged_ods(tmp_path: Path) -> None:
    message = _refused(_ods(tmp_path / "registre.ods"))
    assert "n'a pas pu être lu comme un classeur LibreOffice (.ods)" in message
    assert "ouvrez-le dans LibreOffice qui proposera de le réparer" in message


def test_damaged_ods_renamed_xlsx(tmp_path: Path) -> None:
    assert "classeur LibreOffice (.ods)" in _refused(_ods(tmp_path / "registre.xlsx"))


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    """A zip of some other kind (a Word document is named as such: test_absurd_cells)."""
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("photos/liste.xml", "<liste/>")
    message = _refused(path)
    assert "n'a pas pu être lu comme un classeur Excel" in message and SAVE_AS in message


def test_workbook_without_register_sheet(tmp_path: Path) -> None:
    path = make_workbook(
        tmp_path / "budget.xlsx",
        {"Budget": [["Poste", "Montant"], ["Loyer", 900]], "Notes": [["Date", "Objet"]]},
    )
    message = _refused(path, NoRegisterError)
    assert "aucune feuille de registre" in message
    assert "« Budget », « Notes »" in message
    assert "« Date »" in message and "« NOM Prénom Emetteur »" in message
    assert "Colonnes reconnues au mieux : Date, Objet." in message


def test_empty_workbook(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "vide.xlsx", {"Feuil1": []})
    assert "aucune feuille de registre" in _refused(path, NoRegisterError)


@pytest.mark.parametrize("suffix", ["xls", "ods"])
def test_real_files_saved_by_libreoffice_are_read(
    tmp_path: Path, libreoffice: LibreOffice, suffix: str
) -> None:
    source = _register(tmp_path)
    converted = libreoffice.convert(source, suffix, tmp_path / "out")
    expected = load_register(source).sheets[0].entries
    assert load_register(converted).sheets[0].entries[0].received_on == dt.date(2025, 3, 5)
    # Named after the wrong format, it is still read by its content.
    renamed = tmp_path / "renomme.xlsx"
    shutil.copy(converted, renamed)
    again = load_register(renamed).sheets[0].entries
    assert [(e.row, e.received_on, e.issuer) for e in again] == [
        (e.row, e.received_on, e.issuer) for e in expected
    ]
