"""Keep native libraries' own lines off the console: only our French messages reach it.

python-calamine's Rust code prints a panic's message (« thread '<unnamed>' panicked at … ») on
file descriptor 2 before Python sees the panic as an exception, and the reader then recovers
(it reads the sheet again, the bad cell named as a finding). No Python setting silences that
hook, so the console scripts, which own their process, point descriptor 2 at the null device
and give Python's ``sys.stderr`` a duplicate of the real one: everything the program itself
prints on stderr (click, our messages) still appears; a native library's stray line does not.
``os.dup`` and ``os.dup2`` behave the same on Windows.
"""

from __future__ import annotations

import io
import os
import sys


def silence_native_stderr() -> None:
    """Send descriptor 2 to the null device, ``sys.stderr`` to a copy of the console's."""
    stream = sys.stderr
    try:
        fd = stream.fileno()
    except (AttributeError, ValueError, io.UnsupportedOperation):
        return  # no real descriptor behind it (an embedding, a test runner): nothing to do
    try:
        stream.flush()
        kept = os.dup(fd)
        null = os.open(os.devnull, os.O_WRONLY)
    except OSError:
        return
    try:
        os.dup2(null, fd)
    except OSError:
        os.close(kept)
        return
    finally:
        os.close(null)
    sys.stderr = io.TextIOWrapper(
        io.FileIO(kept, "w", closefd=True),
        encoding=stream.encoding,
        errors=stream.errors,
        line_buffering=True,
    )
