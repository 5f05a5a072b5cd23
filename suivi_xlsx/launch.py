"""Console entry points (``suivi``, ``suivi-check``).

Before anything else, start parsing the workbook named on the command line in a background
thread (``parsing.start_prefetch``): python-calamine parses it on the second core while
Python imports click and the rest of the program. The command itself then runs as usual.
"""

from __future__ import annotations

import sys


def _prepare() -> None:
    """What every command does first, in this order."""
    from suivi_xlsx.reading.parsing import start_prefetch
    from suivi_xlsx.runtime.gcpause import own_process
    from suivi_xlsx.runtime.heap import single_arena
    from suivi_xlsx.runtime.stderr import silence_native_stderr

    own_process()  # the collector may leave what is read alone (runtime.gcpause)
    silence_native_stderr()  # before the parse starts: a Rust panic line must not show
    single_arena()  # before the parse's thread starts (runtime.heap)
    start_prefetch(sys.argv[1:])


def main() -> None:
    """``suivi``."""
    _prepare()
    from suivi_xlsx.cli import main as run

    run()


def check_main() -> None:
    """``suivi-check``."""
    _prepare()
    from suivi_xlsx.cli import check_main as run

    run()
