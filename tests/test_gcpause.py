"""The cyclic collector: the command line freezes what it has read (its process is ours), a
library caller's process is left as it was, and freezing loses nothing."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from .workbooks import entry, make_register

_PROBE = """
import gc, sys
from suivi_xlsx.runtime import gcpause
if sys.argv[2] == "owned":
    gcpause.own_process()
from suivi_xlsx import CheckOptions, check_register, load_register
import datetime as dt
register = load_register(sys.argv[1])
after_read = gc.get_freeze_count()
report = check_register(register, CheckOptions(today=dt.date(2026, 11, 25)))
print(after_read, gc.get_freeze_count(), gc.isenabled(), len(register.entries),
      len(report.findings))
"""


def _probe(path: Path, mode: str) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", _PROBE, str(path), mode],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def _register(tmp_path: Path) -> Path:
    rows = [entry(dt.date(2025, 3, 5 + i), number=f"25.1601.{i + 1:03d}") for i in range(20)]
    rows.append(entry(dt.date(2025, 4, 1)))  # no number: one finding at least
    return make_register(tmp_path / "registre.xlsx", rows, sheet="2025")


def test_a_library_caller_keeps_its_collector_untouched(tmp_path: Path) -> None:
    frozen_read, frozen_checked, enabled, entries, _ = _probe(_register(tmp_path), "library")
    assert (frozen_read, frozen_checked, enabled, entries) == ("0", "0", "True", "21")


def test_the_command_line_freezes_what_it_read_and_reads_the_same(tmp_path: Path) -> None:
    path = _register(tmp_path)
    owned = _probe(path, "owned")
    library = _probe(path, "library")
    assert int(owned[0]) > 0  # the register is out of the collector's sight
    assert int(owned[1]) >= int(owned[0])
    assert owned[2] == "True"  # the collector still runs for what comes next
    assert owned[3:] == library[3:]  # the same entries and findings
