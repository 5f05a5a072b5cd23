"""``suivi update`` with hostile files, links and disks (issue 13): symbolic and hard links,
read-only files, names near the length limit, a full disk, temps left by a killed run, damaged
parts, and a column to fill on every row. The user's file is never lost or half-written."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import shutil
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from suivi_xlsx.domain.a1 import cell_ref
from suivi_xlsx.domain.model import Column
from suivi_xlsx.domain.plan import CellEdit, UpdatePlan
from suivi_xlsx.xlsx import patch as patch_module
from suivi_xlsx.xlsx import write as write_module
from suivi_xlsx.xlsx.patch import patch_sheet, read_values
from suivi_xlsx.xlsx.write import backup_path, fit_name, remove_stale_temps

from .test_hardening_reader import SHEET_PART, TODAY, part, rezip, run
from .workbooks import entry, make_register

D = dt.date


def to_number(path: Path) -> Path:
    """A register with two entries, the second without an order number (update fills it)."""
    rows = [entry(D(2025, 1, 10), number="25.1601.001"), entry(D(2025, 3, 5))]
    return make_register(path, rows)


def update(path: Path | str, *more: str) -> tuple[int, str, str]:
    return run("update", str(path), "--today", TODAY, "--agence", "1601", *more)


def numbers(path: Path) -> list[str | None]:
    from suivi_xlsx.reading.reader import load_register

    return [e.order_text for e in load_register(path).entries]


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# --- links ----------------------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_a_symbolic_link_updates_its_target_and_stays_a_link(tmp_path: Path) -> None:
    (tmp_path / "vrai").mkdir()
    real = to_number(tmp_path / "vrai" / "registre.xlsx")
    link = tmp_path / "lien.xlsx"
    try:
        link.symlink_to(real)
    except OSError:  # Windows without the privilege
        pytest.skip("symbolic links not allowed here")
    code, _out, err = update(link)
    assert code == 0, err
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert numbers(real) == ["25.1601.001", "25.1601.002"]
    # The backup and any temp live beside the real file, not beside the link.
    assert names(tmp_path) == ["lien.xlsx", "vrai"]
    assert [n for n in names(real.parent) if "sauvegarde" in n] != []


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links")
def test_a_dangling_link_is_unreadable(tmp_path: Path) -> None:
    link = tmp_path / "lien.xlsx"
    try:
        link.symlink_to(tmp_path / "absent.xlsx")
    except OSError:
        pytest.skip("symbolic links not allowed here")
    code, _out, err = update(link)
    assert code == 2 and "Erreur :" in err


def test_a_hard_link_is_refused_and_both_names_keep_their_content(tmp_path: Path) -> None:
    path = to_number(tmp_path / "registre.xlsx")
    other = tmp_path / "autre-nom.xlsx"
    try:
        os.link(path, other)
    except OSError:
        pytest.skip("hard links not supported here")
    before = path.read_bytes()
    code, _out, err = update(path)
    assert code == 1
    assert "porte 2 noms sur le disque (liens physiques)" in err
    assert path.read_bytes() == before == other.read_bytes()
    assert os.stat(path).st_ino == os.stat(other).st_ino
    assert names(tmp_path) == ["autre-nom.xlsx", "registre.xlsx"]


# --- read-only, long names ------------------------------------------------------------------


def test_a_read_only_file_is_refused(tmp_path: Path) -> None:
    path = to_number(tmp_path / "registre.xlsx")
    before = path.read_bytes()
    path.chmod(stat.S_IREAD)  # 0o400; on Windows, the read-only attribute
    try:
        code, _out, err = update(path)
        assert code == 1
        assert "Le classeur registre.xlsx est en lecture seule" in err
        assert path.read_bytes() == before
        assert names(tmp_path) == ["registre.xlsx"]
    finally:
        path.chmod(stat.S_IREAD | stat.S_IWRITE)


def test_names_near_the_limit_keep_backup_and_temp_within_it(tmp_path: Path) -> None:
    stem = "r" * 240 + "é" * 5  # 250 bytes in UTF-8, 255 with ".xlsx"
    try:
        path = to_number(tmp_path / f"{stem}.xlsx")
    except OSError:
        pytest.skip("this file system takes shorter names")
    code, _out, err = update(path)
    assert code == 0, err
    produced = names(tmp_path)
    assert len(produced) == 2 and all(len(os.fsencode(n)) <= 255 for n in produced)
    backup = next(n for n in produced if ".sauvegarde-" in n)
    assert re.search(r"\.sauvegarde-\d{8}-\d{6}\.xlsx$", backup)
    assert numbers(path) == ["25.1601.001", "25.1601.002"]


def test_fit_name_shortens_the_stem_only() -> None:
    assert fit_name("é" * 200, ".sauvegarde-20261125-143210.xlsx", 255).endswith(
        "é.sauvegarde-20261125-143210.xlsx"
    )
    assert len(os.fsencode(fit_name("é" * 200, ".x", 255))) <= 255
    assert fit_name("registre", ".xlsx") == "registre.xlsx"
    long = Path("d") / ("n" * 253 + ".xlsx")
    assert len(os.fsencode(backup_path(long).name)) <= 255


# --- the disk -------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)])
@pytest.mark.parametrize("where", ["temp", "backup"])
def test_a_full_disk_changes_nothing_and_leaves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, where: str
) -> None:
    path = to_number(tmp_path / "registre.xlsx")
    before = path.read_bytes()

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(code, os.strerror(code))

    if where == "temp":
        monkeypatch.setattr(os, "fsync", full)
    else:
        monkeypatch.setattr(shutil, "copy2", full)
    exit_code, _out, err = update(path)
    assert exit_code == 1
    assert "Erreur : disque plein" in err and "n'a pas été modifié" in err
    assert path.read_bytes() == before
    assert names(tmp_path) == ["registre.xlsx"]


def test_a_full_disk_elsewhere_is_still_disk_full(tmp_path: Path) -> None:
    from suivi_xlsx.cli.common import french_errors

    @french_errors
    def job() -> None:
        raise OSError(errno.ENOSPC, "No space left on device", "bilan.xlsx")

    with pytest.raises(SystemExit) as info:
        job()
    assert info.value.code == 1


# --- temps left by a killed run -------------------------------------------------------------


def _dead_pid() -> int:
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_stale_temps_of_a_killed_run_are_removed_and_only_those(tmp_path: Path) -> None:
    path = to_number(tmp_path / "registre.xlsx")
    host = write_module._host_tag()
    dead = tmp_path / f"~suivi-{host}-{_dead_pid()}-abc123xy.tmp.xlsx"
    alive = tmp_path / f"~suivi-{host}-{os.getppid()}-abc123xy.tmp.xlsx"  # our parent: alive
    foreign = tmp_path / "~suivi-notes.xlsx"  # the user's own file, whatever its name
    other_host = tmp_path / "~suivi-00000000-1-abc123xy.tmp.xlsx"  # another computer's
    old = tmp_path / "~suivi-k2j4h5g6.xlsx"  # what an earlier version left
    for stale in (dead, alive, foreign, other_host, old):
        stale.write_bytes(b"PK partial")
    long_ago = time.time() - 2 * write_module.STALE_AFTER_S
    os.utime(old, (long_ago, long_ago))
    os.utime(foreign, (long_ago, long_ago))
    code, _out, err = update(path)
    assert code == 0, err
    left = names(tmp_path)
    if os.name == "posix":
        assert dead.name not in left
    assert old.name not in left
    assert {alive.name, foreign.name, other_host.name} <= set(left)


def test_old_temps_of_another_computer_are_removed(tmp_path: Path) -> None:
    other = tmp_path / "~suivi-00000000-1-abc123xy.tmp.xlsx"
    other.write_bytes(b"")
    assert remove_stale_temps(tmp_path) == [] and other.exists()
    long_ago = time.time() - 2 * write_module.STALE_AFTER_S
    os.utime(other, (long_ago, long_ago))
    assert remove_stale_temps(tmp_path) == [] and not other.exists()


def test_the_temp_is_named_unmistakably(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = to_number(tmp_path / "registre.xlsx")
    seen: list[str] = []
    real_verify = write_module._verify

    def spy(temp: Path, *args: object) -> None:
        seen.append(temp.name)
        real_verify(temp, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(write_module, "_verify", spy)
    assert update(path)[0] == 0
    assert len(seen) == 1
    assert write_module._TEMP_RE.match(seen[0])
    assert seen[0].startswith(f"~suivi-{write_module._host_tag()}-{os.getpid()}-")


# --- damaged input is named as such ---------------------------------------------------------


def _corrupt_crc(source: Path, target: Path, name: str) -> Path:
    """``source`` with one byte of member ``name`` changed in place (stored, not deflated):
    its CRC no longer matches."""
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            method = zipfile.ZIP_STORED if info.filename == name else zipfile.ZIP_DEFLATED
            out.writestr(info, src.read(info), method)
    data = bytearray(target.read_bytes())
    with zipfile.ZipFile(target) as package:
        info = package.getinfo(name)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0x01
    target.write_bytes(bytes(data))
    return target


def test_a_damaged_part_update_copies_is_damage_not_our_fault(tmp_path: Path) -> None:
    source = to_number(tmp_path / "registre.xlsx")
    damaged = _corrupt_crc(source, tmp_path / "abime.xlsx", "docProps/app.xml")
    before = damaged.read_bytes()
    code, _out, err = update(damaged)
    assert code == 2
    assert "Erreur : le classeur « abime.xlsx » est abîmé" in err
    assert "(partie « docProps/app.xml »)" in err and "Signalez" not in err
    assert damaged.read_bytes() == before
    assert names(tmp_path) == ["abime.xlsx", "registre.xlsx"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("xl/workbook.xml", b'<?xml version="1.0" encoding="klingon"?><workbook/>'),
        ("xl/_rels/workbook.xml.rels", b"<Relationships><Relationship"),
        ("xl/styles.xml", b"\xff\xfe\x00<\x00s"),
    ],
)
def test_broken_parts_update_parses_are_damage(tmp_path: Path, name: str, content: bytes) -> None:
    source = to_number(tmp_path / "registre.xlsx")
    plan_ = UpdatePlan(
        None, (CellEdit("Registre", 3, 3, "25.1601.002", Column.ORDER_NUMBER),), (), ()
    )
    broken = rezip(source, tmp_path / "casse.xlsx", {name: content})
    before = broken.read_bytes()
    from suivi_xlsx.errors import DamagedFileError

    with pytest.raises(DamagedFileError) as info:
        write_module.apply_update(broken, plan_)
    assert "est abîmé" in info.value.message and f"« {name} »" in info.value.message
    assert broken.read_bytes() == before


# --- a column to fill on every row: constant work per cell ----------------------------------


def _legacy_sheet(rows: int) -> bytes:
    """A sheet with a header and ``rows`` entries whose column D (numbers) is empty, under a
    ``<col>`` style for D."""
    body = "".join(
        f'<row r="{r}"><c r="A{r}" s="1"><v>2025</v></c><c r="B{r}" s="2"><v>45000</v></c>'
        f'<c r="C{r}" t="inlineStr"><is><t>x</t></is></c></row>'
        for r in range(2, rows + 2)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:C{rows + 1}"/><cols><col min="4" max="4" style="7"/></cols>'
        '<sheetData><row r="1"><c r="D1" s="3" t="inlineStr"><is><t>N°</t></is></c></row>'
        f"{body}</sheetData></worksheet>"
    ).encode()


def test_filling_an_empty_column_looks_at_each_row_a_bounded_number_of_times(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows = 3_000
    calls = 0
    real = patch_module.SheetXml.style_in_row

    def counted(self: patch_module.SheetXml, index: int, column: int) -> int:
        nonlocal calls
        calls += 1
        return real(self, index, column)

    monkeypatch.setattr(patch_module.SheetXml, "style_in_row", counted)
    edits = [
        CellEdit("R", r, 3, f"25.1601.{r:04d}", Column.ORDER_NUMBER) for r in range(2, rows + 2)
    ]
    result = patch_sheet(_legacy_sheet(rows), edits, (), None, first_entry_row=2)
    assert result.data is not None
    assert calls <= 3 * rows  # was up to 400 rows looked at per filled cell
    values = read_values(result.data, [(r, 3) for r in range(2, rows + 2)])
    assert all(values[(r, 3)] == f"25.1601.{r:04d}" for r in range(2, rows + 2))
    # Every new cell took the column's style (no neighbour cell in D below the header).
    assert result.data.count(b' s="7" t="inlineStr"') == rows


def test_neighbour_style_is_the_nearest_cell_above_else_below() -> None:
    sheet = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="D1" s="9"/></row><row r="2"><c r="A2"/></row>'
        b'<row r="3"><c r="D3" s="4"/></row><row r="4"><c r="A4"/></row>'
        b'<row r="5"><c r="A5"/></row><row r="6"><c r="D6" s="5"/></row>'
        b"</sheetData></worksheet>"
    )
    text = patch_module.SheetXml(sheet)
    styles = patch_module.NeighbourStyles(text, lowest=2)
    # Row 2: nothing above from row 2 on (row 1 is the header): the nearest below, D3.
    assert [styles.style(r, 3) for r in (2, 4, 5)] == [4, 4, 4]
    fresh = patch_module.NeighbourStyles(text, lowest=2)
    assert [fresh.style(r, 3) for r in (7, 8)] == [5, 5]
    assert patch_module.NeighbourStyles(text, lowest=2).style(4, 0) == 0  # A2: no s


def test_a_register_that_never_had_numbers_is_numbered(tmp_path: Path) -> None:
    rows = [entry(D(2025, 1, 1) + dt.timedelta(days=i % 300)) for i in range(400)]
    path = make_register(tmp_path / "registre.xlsx", rows)
    code, _out, err = update(path, "--no-backup")
    assert code == 0, err
    got = numbers(path)
    assert len(got) == 400 and all(n is not None and n.startswith("25.1601.") for n in got)
    assert len(set(got)) == 400
    assert cell_ref(2, 3) == "D2"  # the number column of make_register's layout
    assert b"D401" in part(path, SHEET_PART)


def test_the_link_target_is_in_another_folder_with_its_lock(tmp_path: Path) -> None:
    if not hasattr(os, "symlink"):
        pytest.skip("no symbolic links")
    (tmp_path / "vrai").mkdir()
    real = to_number(tmp_path / "vrai" / "registre.xlsx")
    link = tmp_path / "lien.xlsx"
    try:
        link.symlink_to(real)
    except OSError:
        pytest.skip("symbolic links not allowed here")
    (real.parent / "~$registre.xlsx").write_bytes(b"")  # Excel has the target open
    before = real.read_bytes()
    code, _out, err = update(link)
    assert code == 1 and "ouvert dans Excel" in err
    assert real.read_bytes() == before
    shutil.rmtree(tmp_path / "vrai")


def test_update_of_a_register_with_a_stray_far_cell_keeps_that_cell(tmp_path: Path) -> None:
    path = to_number(tmp_path / "registre.xlsx")
    xml = part(path, SHEET_PART).decode("utf-8")
    stray = '<row r="1048576"><c r="XFD1048576"><v>7</v></c></row>'
    xml = xml.replace("</sheetData>", stray + "</sheetData>")
    xml = re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:XFD1048576"', xml)
    far = rezip(path, tmp_path / "loin.xlsx", {SHEET_PART: xml.encode("utf-8")})
    code, _out, err = update(far, "--no-backup")
    assert code == 0, err
    assert "Attention : dans la feuille « Registre », 1 cellule isolée" in err
    written = part(far, SHEET_PART)
    assert b'<c r="XFD1048576"><v>7</v></c>' in written  # the user's cell is left alone
    assert b"25.1601.002" in written


# --- interrupts -------------------------------------------------------------------------------


def test_ctrl_c_before_the_replace_leaves_the_workbook_and_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = to_number(tmp_path / "registre.xlsx")
    before = path.read_bytes()

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(write_module, "check_unchanged", interrupted)
    code, _out, err = update(path)
    assert code == 130
    assert err.strip() == "Erreur : interrompu : votre registre n'a pas été modifié."
    assert path.read_bytes() == before and names(tmp_path) == ["registre.xlsx"]


@pytest.mark.parametrize("name", ["SIGINT", "SIGTERM"])
def test_an_interrupt_during_the_replace_reports_the_update(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """Ctrl-C (or SIGTERM) landing the instant the file is put in place: held until the
    update is noted, then the command says that the workbook is updated, exit 0, and the
    backup is kept."""
    import signal

    sig = getattr(signal, name, None)
    if sig is None:
        pytest.skip(f"{name} absent")
    path = to_number(tmp_path / "registre.xlsx")
    real_replace = os.replace

    def replace_then_signal(source: object, target: object) -> None:
        real_replace(source, target)  # type: ignore[arg-type]
        signal.raise_signal(sig)

    monkeypatch.setattr(write_module.os, "replace", replace_then_signal)
    previous = signal.getsignal(signal.SIGTERM) if hasattr(signal, "SIGTERM") else None
    try:
        from suivi_xlsx.runtime.interrupts import terminate_as_interrupt

        terminate_as_interrupt()
        code, out, err = update(path)
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    assert (code, err) == (0, "")
    assert "Interrompu une fois l'enregistrement fait" in out and "est bien mis à jour" in out
    assert numbers(path) == ["25.1601.001", "25.1601.002"]
    backups = [n for n in names(tmp_path) if "sauvegarde" in n]
    assert len(backups) == 1 and backups[0] in out
    assert not [n for n in names(tmp_path) if n.startswith("~suivi-")]


def test_ctrl_c_while_the_result_is_printed_reports_the_update(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import click

    path = to_number(tmp_path / "registre.xlsx")
    real_echo = click.echo

    def echo(message: object = None, *args: object, **kwargs: object) -> None:
        if isinstance(message, str) and message.startswith("Classeur enregistré"):
            raise KeyboardInterrupt
        real_echo(message, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(click, "echo", echo)
    code, out, err = update(path)
    assert code == 0, err
    assert "est bien mis à jour" in out and numbers(path) == ["25.1601.001", "25.1601.002"]


def test_sigterm_in_the_command_line_process_is_a_clean_interrupt(tmp_path: Path) -> None:
    """A closed terminal or a shutdown (SIGTERM) during the verification: no temp is left,
    the original is unchanged, the French message says so."""
    path = to_number(tmp_path / "registre.xlsx")
    before = path.read_bytes()
    script = (
        "import os, signal, sys\n"
        "from suivi_xlsx.xlsx import write\n"
        "real = write._verify\n"
        "def verify(*a, **k):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    return real(*a, **k)\n"
        "write._verify = verify\n"
        "from suivi_xlsx.cli import main\n"
        "main(sys.argv[1:])\n"
    )
    if not hasattr(write_module, "_verify"):
        pytest.skip("the writer's verification step moved")
    result = subprocess.run(
        [sys.executable, "-c", script, "update", str(path), "--today", TODAY, "--agence", "1601"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 130, result.stderr
    assert "interrompu : votre registre n'a pas été modifié" in result.stderr
    assert "Traceback" not in result.stderr
    assert path.read_bytes() == before and names(tmp_path) == ["registre.xlsx"]


def test_a_simulation_removes_the_temps_of_a_killed_run(tmp_path: Path) -> None:
    path = to_number(tmp_path / "registre.xlsx")
    dead = tmp_path / f"~suivi-{write_module._host_tag()}-{_dead_pid()}-abc123xy.tmp.xlsx"
    old = tmp_path / "~suivi-k2j4h5g6.xlsx"  # what an earlier version left
    for stale in (dead, old):
        stale.write_bytes(b"PK partial")
    long_ago = time.time() - 2 * write_module.STALE_AFTER_S
    os.utime(old, (long_ago, long_ago))
    before = path.read_bytes()
    code, out, err = update(path, "--simulation")
    assert code == 0, err
    assert "Simulation : rien n'a été écrit." in out
    assert old.name not in names(tmp_path)
    if os.name == "posix":
        assert dead.name not in names(tmp_path)
    assert path.read_bytes() == before


def _name_not_utf8(path: Path) -> Path:
    """The register with ``docProps/core.xml`` renamed to bytes that are not UTF-8 while the
    entry's flag says they are (as some zip tools write)."""
    import struct

    data = bytearray(path.read_bytes())
    old, new = b"docProps/core.xml", b"docProps/c\xf4re.xml"
    for sig, name_at, length_at, flag_at in (
        (b"PK\x03\x04", 30, 26, 6),
        (b"PK\x01\x02", 46, 28, 8),
    ):
        pos = data.find(sig)
        while pos >= 0:
            (length,) = struct.unpack_from("<H", data, pos + length_at)
            if data[pos + name_at : pos + name_at + length] == old:
                data[pos + name_at : pos + name_at + length] = new
                (flags,) = struct.unpack_from("<H", data, pos + flag_at)
                struct.pack_into("<H", data, pos + flag_at, flags | 0x800)
            pos = data.find(sig, pos + 4)
    target = path.with_name("nom-brut.xlsx")
    target.write_bytes(bytes(data))
    return target


def test_a_member_name_that_is_not_utf8_is_read_and_kept_by_every_command(
    tmp_path: Path,
) -> None:
    path = _name_not_utf8(to_number(tmp_path / "registre.xlsx"))
    code, _out, err = run("check", str(path), "--today", TODAY)
    assert code in (0, 1) and "Traceback" not in err
    bilan = tmp_path / "bilan.xlsx"
    code, _out, err = run(
        "summary", str(path), "--year", "2025", "--today", TODAY, "-o", str(bilan)
    )
    assert code == 0, err
    code, out, err = update(path)
    assert code == 0, err
    assert "Classeur enregistré" in out
    assert numbers(path) == ["25.1601.001", "25.1601.002"]
    assert b"docProps/c\xf4re.xml" in path.read_bytes()  # copied as it was, name included
