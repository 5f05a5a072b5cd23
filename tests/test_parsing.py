"""Background parsing: the sheet parser's order, skips and errors; the command line's prefetch
is used only for the same, unchanged file, and never changes what is read."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from suivi_xlsx.reading import parsing
from suivi_xlsx.reading.parsing import SheetParser, start_prefetch, take_prefetched
from suivi_xlsx.reading.reader import load_register

from .workbooks import entry, make_register, make_workbook


class FakeWorkbook:
    """Records the order of parses; refuses concurrent calls, as calamine does."""

    def __init__(self, fail: str | None = None) -> None:
        self.calls: list[str] = []
        self.busy = threading.Lock()
        self.fail = fail
        self.closed = False

    def get_sheet_by_name(self, name: str) -> str:
        if not self.busy.acquire(blocking=False):
            raise RuntimeError("Already borrowed")
        try:
            self.calls.append(name)
            if name == self.fail:
                raise ValueError(f"damaged {name}")
            return f"parsed {name}"
        finally:
            self.busy.release()

    def close(self) -> None:
        self.closed = True


def test_sheets_come_in_order_and_the_workbook_is_closed() -> None:
    book = FakeWorkbook()
    parser = SheetParser(book, ["a", "b", "c"])  # type: ignore[arg-type]
    assert [parser.sheet(n) for n in ("a", "b", "c")] == ["parsed a", "parsed b", "parsed c"]
    parser.close()
    assert book.calls == ["a", "b", "c"]
    assert book.closed


def test_skipped_sheets_are_not_waited_for() -> None:
    parser = SheetParser(FakeWorkbook(), ["a", "b", "c", "d"])  # type: ignore[arg-type]
    assert parser.sheet("c") == "parsed c"
    assert parser.sheet("d") == "parsed d"
    with pytest.raises(ValueError):
        parser.sheet("a")  # behind: sheets are taken in order
    parser.close()


def test_a_parse_error_is_raised_in_the_caller() -> None:
    parser = SheetParser(FakeWorkbook(fail="b"), ["a", "b"])  # type: ignore[arg-type]
    assert parser.sheet("a") == "parsed a"
    with pytest.raises(ValueError, match="damaged b"):
        parser.sheet("b")
    parser.close()


def test_close_without_taking_anything_stops_the_thread() -> None:
    book = FakeWorkbook()
    parser = SheetParser(book, [str(i) for i in range(50)])  # type: ignore[arg-type]
    parser.close()
    assert len(book.calls) <= 2  # never more than one sheet ahead of the caller
    assert book.closed


@pytest.fixture()
def two_years(tmp_path: Path) -> Path:
    rows_2025 = [entry(dt.date(2025, 3, 5), number="25.1601.001")]
    path = make_register(tmp_path / "registre.xlsx", rows_2025, sheet="2025")
    return path


def test_prefetch_gives_the_same_register(two_years: Path) -> None:
    expected = load_register(two_years)
    start_prefetch(["--today", "2026-11-25", str(two_years)])
    assert load_register(two_years) == expected
    assert parsing._prefetched is None  # handed out once


def test_prefetch_of_another_file_is_not_used(two_years: Path, tmp_path: Path) -> None:
    other = make_register(tmp_path / "autre.xlsx", [entry(number="25.1601.009")])
    start_prefetch([str(other)])
    assert take_prefetched(two_years) is None
    assert load_register(two_years).entries[0].order_text == "25.1601.001"
    prefetch = take_prefetched(other)
    assert prefetch is not None and prefetch.parser is not None
    prefetch.parser.close()


def test_prefetch_is_dropped_when_the_file_changed(two_years: Path) -> None:
    start_prefetch([str(two_years)])
    make_register(two_years, [entry(number="25.1601.042")], sheet="2025")
    stat = two_years.stat()
    os.utime(two_years, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert load_register(two_years).entries[0].order_text == "25.1601.042"


def test_prefetch_of_a_bad_file_leaves_the_reader_to_explain(tmp_path: Path) -> None:
    from suivi_xlsx.errors import UnreadableFileError

    bad = tmp_path / "faux.xlsx"
    bad.write_bytes(b"Date;Objet\n")
    start_prefetch([str(bad)])
    with pytest.raises(UnreadableFileError):
        load_register(bad)


def test_prefetch_ignores_what_is_not_an_existing_workbook(tmp_path: Path) -> None:
    start_prefetch(["init", str(tmp_path / "nouveau.xlsx"), "--agence", "1601"])
    assert parsing._prefetched is None
    start_prefetch([str(make_workbook(tmp_path / "a.csv", {"x": [[1]]}))])
    assert parsing._prefetched is None


def test_console_script_launcher_reads_the_file(two_years: Path) -> None:
    code = (
        "import sys; from suivi_xlsx.launch import check_main; "
        f"sys.argv = ['suivi-check', {str(two_years)!r}, '--today', '2026-11-25', "
        "'--format', 'json']; check_main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode in (0, 1), result.stderr
    assert '"entries": 1' in result.stdout
