"""Interrupts (Ctrl-C, a closed terminal, a shutdown) that never leave a false account.

An update is written to a temp file and put in place by one ``os.replace``. An interrupt that
lands between that replace and the code that notes it would make the command say
« interrompu » (and remove the backup) while the workbook *was* updated. ``deferred_interrupts``
holds SIGINT and SIGTERM over that short section; ``WrittenThenInterrupted`` is the
``KeyboardInterrupt`` raised when one arrived once the file was in place, so that the command
line can say the truth: the workbook is updated.

``terminate_as_interrupt`` makes SIGTERM (and Windows' Ctrl-Break) behave as Ctrl-C in the
command line's process, so that the same clean-up runs and no temp file is left behind.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

__all__ = [
    "Pending",
    "WrittenThenInterrupted",
    "deferred_interrupts",
    "mark_written",
    "terminate_as_interrupt",
    "written_backup",
]


class WrittenThenInterrupted(KeyboardInterrupt):
    """An interrupt that arrived after the workbook at ``path`` was replaced by its updated
    version (``backup``: the copy of the original, if one was made)."""

    def __init__(self, path: Path, backup: Path | None = None) -> None:
        super().__init__(str(path))
        self.path = path
        self.backup = backup


# Workbooks replaced by their update in this process → their backup: noted inside the held
# section, so that an interrupt arriving any time later is known to come after the write.
_written: dict[Path, Path | None] = {}


def mark_written(path: Path, backup: Path | None) -> None:
    """Note that ``path`` now holds its update (call it where interrupts are held)."""
    _written[path.resolve()] = backup


def written_backup(path: Path) -> tuple[bool, Path | None]:
    """Whether ``path`` was replaced by its update in this process, and its backup."""
    key = path.resolve()
    return key in _written, _written.get(key)


def _signals() -> list[signal.Signals]:
    names = ("SIGINT", "SIGTERM", "SIGBREAK")  # SIGBREAK: Windows' Ctrl-Break
    return [getattr(signal, name) for name in names if hasattr(signal, name)]


class Pending:
    """What ``deferred_interrupts`` saw: the signals that arrived while it held them."""

    def __init__(self) -> None:
        self.received: list[int] = []

    def __bool__(self) -> bool:
        return bool(self.received)


@contextmanager
def deferred_interrupts() -> Iterator[Pending]:
    """Hold SIGINT, SIGTERM (and SIGBREAK) for the block: they are noted in the ``Pending``
    yielded instead of interrupting it. Outside the main thread, where Python cannot set
    handlers, nothing is held."""
    pending = Pending()
    if threading.current_thread() is not threading.main_thread():
        yield pending
        return

    def note(signum: int, frame: FrameType | None) -> None:
        pending.received.append(signum)

    previous = {}
    try:
        for sig in _signals():
            previous[sig] = signal.signal(sig, note)
        yield pending
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _as_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def terminate_as_interrupt() -> None:
    """In the command line's process: SIGTERM and SIGBREAK raise ``KeyboardInterrupt``, as
    Ctrl-C does, so that temp files are removed and the message says what happened."""
    if threading.current_thread() is not threading.main_thread():
        return
    for name in ("SIGTERM", "SIGBREAK"):
        sig = getattr(signal, name, None)
        if sig is not None:
            signal.signal(sig, _as_interrupt)
