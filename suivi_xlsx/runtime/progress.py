"""Progress of a long run, handed to whoever asked for it: the library never prints.

A ``Progress`` is any callable taking a short French text saying what is being done
(« Lecture de la feuille « 2025 » », « Contrôle de 100000 entrées »). ``load_register`` and
``check_register`` accept one; the command line shows the text on stderr, on terminals only;
a program using the library may pass its own, or none.
"""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[str], None]


def report(progress: Progress | None, text: str) -> None:
    """Tell ``progress`` (if any) what is being done."""
    if progress is not None:
        progress(text)
