"""The progress line: what a long run is doing, on stderr, for a person at a terminal.

The library reports what it does through a ``Progress`` callback and never prints; this is the
command line's renderer. It shows nothing for runs shorter than a second, nothing when stderr
is not a terminal (a file, a pipe, a program reading our output) and nothing with
``--format json``. The line is redrawn in place with ``\\r`` and padded with blanks rather than
cleared with an ANSI code, which old Windows consoles would print; a small ASCII spinner turns
while a step lasts, so that a long read does not look stuck.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import threading
import time
from collections.abc import Iterator
from typing import TextIO

from suivi_xlsx import Progress

DELAY = 1.0  # seconds of silence first: a short run prints nothing
_TICK = 0.25  # seconds between two turns of the spinner
_SPINNER = "|/-\\"

_active: ProgressLine | None = None


def is_terminal(stream: TextIO | None) -> bool:
    """Whether ``stream`` is a terminal a person reads (not a file, a pipe, a test runner)."""
    try:
        return stream is not None and stream.isatty()
    except (OSError, ValueError):  # a closed or odd stream: no progress
        return False


class ProgressLine:
    """One line on ``stream``, rewritten as the run goes; call it with what is being done."""

    def __init__(self, stream: TextIO, *, delay: float | None = None) -> None:
        self.stream = stream
        self.delay = DELAY if delay is None else delay
        self.started = time.monotonic()
        self.text = ""
        self.width = max(20, min(79, shutil.get_terminal_size().columns - 1))
        self._turn = 0
        self._shown = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._spin, name="suivi-progression", daemon=True)
        self._thread.start()

    def __call__(self, text: str) -> None:
        with self._lock:
            self.text = "".join(c if c.isprintable() else "?" for c in text)
            self._draw()

    def _spin(self) -> None:
        while not self._stop.wait(_TICK):
            with self._lock:
                self._turn += 1
                self._draw()

    def _draw(self) -> None:
        if not self.text or time.monotonic() - self.started < self.delay:
            return
        spinner = _SPINNER[self._turn % len(_SPINNER)]
        line = f"{self.text}… {spinner}"[: self.width]
        try:
            self.stream.write(f"\r{line.ljust(self.width)}")
            self.stream.flush()
        except (OSError, ValueError):  # the console went away: progress is optional
            return
        self._shown = True

    def clear(self) -> None:
        """Wipe the line (before a message is printed, and at the end)."""
        with self._lock:
            self._wipe()

    def _wipe(self) -> None:
        if not self._shown:
            return
        self._shown = False
        try:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
        except (OSError, ValueError):
            return

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        with self._lock:
            self._wipe()
            self.text = ""


@contextlib.contextmanager
def progress_line(*, enabled: bool = True) -> Iterator[Progress | None]:
    """A ``ProgressLine`` on stderr while the block runs, wiped at its end; ``None`` (no
    thread, nothing printed) when stderr is not a terminal or ``enabled`` is false."""
    global _active
    stream = sys.stderr
    if not enabled or not is_terminal(stream):
        yield None
        return
    line = ProgressLine(stream)
    _active = line
    try:
        yield line
    finally:
        _active = None
        line.close()


@contextlib.contextmanager
def saying(text: str) -> Iterator[None]:
    """A progress line saying ``text`` while the block runs (a step the library reports
    nothing about: computing, writing)."""
    with progress_line() as progress:
        if progress is not None:
            progress(text)
        yield


def clear_active_line() -> None:
    """Wipe the progress line, if one is shown, so that a message starts on a clean line."""
    line = _active
    if line is not None:
        line.clear()
