"""Parse a workbook's worksheets in a background thread, one sheet ahead of the reader.

python-calamine releases the GIL while it parses a sheet, so on two cores the parsing of the
next sheet overlaps the Python conversion of the current one, and the command line can start
parsing the file it was given while Python is still importing click and our modules
(``start_prefetch``). The reader then takes what was parsed (``take_prefetched``), provided
the file is still the same; anything that goes wrong in the background is simply discarded
and the reader opens the file itself, so errors keep their French messages.

Only the standard library and python-calamine are imported here: this module runs before the
rest of the program is loaded.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

TYPE_CHECKING = False  # not typing's: see suivi_xlsx/__init__.py


if TYPE_CHECKING:
    from python_calamine import CalamineSheet, CalamineWorkbook

    from suivi_xlsx.runtime.progress import Progress

_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".ods", ".xls")
_SETTINGS_WORDS = ("parametr", "reglage", "configuration")


def is_settings_sheet(name: str) -> bool:
    """« Paramètres », « Parametres », « Réglages »…: the register's settings sheet."""
    import unicodedata  # already loaded by the interpreter: free

    decomposed = unicodedata.normalize("NFKD", name.lower())
    plain = "".join(ch if ch.isalnum() else " " for ch in decomposed if ch.isascii())
    return any(word.startswith(_SETTINGS_WORDS) for word in plain.split())


def reading_order(worksheets: Sequence[str]) -> tuple[str, ...]:
    """The worksheets in the order the reader takes them: the settings sheet first (it may
    declare the user's own header wordings), then the others in workbook order."""
    settings = [name for name in worksheets if is_settings_sheet(name)][:1]
    return (*settings, *(name for name in worksheets if name not in settings))


class SheetParser:
    """Parses the sheets ``names`` of an open workbook in order, in a background thread,
    staying at most two sheets ahead of the caller (bounded memory).

    The caller takes sheets in the same order, and may skip some. The workbook must not be
    used by anyone else until ``close()``: calamine refuses two calls at once on one workbook.
    ``progress``, when set, is told of each sheet taken (in the caller's thread). The sheets
    named in ``heavy`` are not parsed here: taking one returns what its function makes (a
    ``slices.SlicedSheet``, read in slices as the caller consumes it).
    """

    _AHEAD = 1  # sheets parsed beyond the one the caller will take next

    def __init__(
        self,
        workbook: CalamineWorkbook,
        names: Sequence[str],
        heavy: Mapping[str, Callable[[Progress | None], Any]] | None = None,
    ) -> None:
        self.workbook = workbook
        self.names = tuple(names)
        self.heavy = dict(heavy or {})
        self._parsed: dict[int, CalamineSheet | BaseException] = {}
        self._cursor = 0  # position of the next sheet the caller will take
        self._closing = False
        self._changed = threading.Condition()
        self.progress: Progress | None = None
        self._thread = threading.Thread(target=self._run, name="suivi-lecture", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        for position, name in enumerate(self.names):
            with self._changed:
                self._changed.wait_for(partial(self._may_parse, position))
                if self._closing:
                    return
                if position < self._cursor or name in self.heavy:  # skipped, or not ours
                    continue
            try:
                result: CalamineSheet | BaseException = self.workbook.get_sheet_by_name(name)
            except BaseException as error:  # handed to the caller, in its thread
                result = error
            with self._changed:
                if position >= self._cursor:
                    self._parsed[position] = result
                self._changed.notify_all()

    def _may_parse(self, position: int) -> bool:
        return self._closing or position <= self._cursor + self._AHEAD

    def sheet(self, name: str) -> CalamineSheet:
        """The parsed sheet ``name``, after those already taken; waits for it if need be."""
        position = self.names.index(name, self._cursor)  # ValueError: not ahead
        if self.progress is not None:
            self.progress(f"Lecture de la feuille « {name} »")
        if name in self.heavy:
            with self._changed:
                for skipped in [p for p in self._parsed if p <= position]:
                    del self._parsed[skipped]
                self._cursor = position + 1
                self._changed.notify_all()
            sliced: CalamineSheet = self.heavy[name](self.progress)
            return sliced
        with self._changed:
            self._cursor = position
            for skipped in [p for p in self._parsed if p < position]:
                del self._parsed[skipped]
            self._changed.notify_all()
            self._changed.wait_for(lambda: position in self._parsed)
            result = self._parsed.pop(position)
            self._cursor = position + 1
            self._changed.notify_all()
        if isinstance(result, BaseException):
            raise result
        return result

    def close(self) -> None:
        """Stop parsing, wait for the thread, close the workbook."""
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self._thread.join()
        self._parsed.clear()
        self.workbook.close()


class _Prefetch:
    """A workbook being opened and parsed in the background, for ``take_prefetched``."""

    def __init__(self, path: str, stamp: tuple[int, int]) -> None:
        self.path = path
        self.stamp = stamp
        self.parser: SheetParser | None = None
        self.sheet_names: tuple[str, ...] = ()
        self.worksheets: tuple[str, ...] = ()
        self._opened = threading.Event()
        threading.Thread(target=self._open, name="suivi-ouverture", daemon=True).start()

    def _open(self) -> None:
        try:
            from pathlib import Path

            from python_calamine import CalamineWorkbook, SheetTypeEnum

            from suivi_xlsx.xlsx.guard import inspect_package

            # Never let calamine inflate a bomb, a far-flung sheet or a sheet of long texts:
            # such files are left to the reader, which refuses them or reads them otherwise.
            inspection = inspect_package(Path(self.path))
            if inspection.to_scan or inspection.heavy:
                raise LookupError("sheets to trim or slice")
            workbook = CalamineWorkbook.from_path(self.path)
            metadata = workbook.sheets_metadata
            self.sheet_names = tuple(meta.name for meta in metadata)
            self.worksheets = tuple(
                meta.name for meta in metadata if meta.typ == SheetTypeEnum.WorkSheet
            )
            self.parser = SheetParser(workbook, reading_order(self.worksheets))
        except BaseException:  # the reader will open the file itself and say what is wrong
            self.parser = None
        finally:
            self._opened.set()

    def wait(self) -> SheetParser | None:
        self._opened.wait()
        return self.parser


_prefetched: _Prefetch | None = None


def _stamp(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_size, info.st_mtime_ns)


def start_prefetch(arguments: Sequence[str]) -> None:
    """Start parsing the first existing .xlsx/.xlsm/.ods/.xls file named in ``arguments``
    (the command line), if any. Never fails: at worst the work is wasted."""
    global _prefetched
    _prefetched = None  # a previous one (a library caller's) is simply dropped
    if not os.environ.get("SUIVI_DEBUG"):
        # A Rust panic in the reader (an absurd date) is reported in French by the reader;
        # a Rust backtrace on the user's terminal would only frighten.
        os.environ["RUST_BACKTRACE"] = "0"
    for argument in arguments:
        if argument.lower().endswith(_WORKBOOK_SUFFIXES) and os.path.isfile(argument):
            stamp = _stamp(argument)
            if stamp is not None:
                _prefetched = _Prefetch(os.path.abspath(argument), stamp)
            return


def take_prefetched(path: str | os.PathLike[str]) -> _Prefetch | None:
    """The background parse of ``path``, when one was started and the file has not changed
    since; it is handed out once. ``None`` otherwise (the caller opens the file itself)."""
    global _prefetched
    prefetch = _prefetched
    if prefetch is None or prefetch.path != os.path.abspath(path):
        return None
    _prefetched = None
    parser = prefetch.wait()
    if parser is None:
        return None
    if _stamp(prefetch.path) != prefetch.stamp:
        parser.close()
        return None
    return prefetch
