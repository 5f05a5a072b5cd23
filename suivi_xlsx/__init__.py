"""suivi_xlsx: the driving school's complaints register and quality tracking sheet, in Excel.

Public API (imported lazily so that the command line starts fast)::

    from suivi_xlsx import load_register, check_register, CheckOptions
    register = load_register("registre.xlsx")
    report = check_register(register, CheckOptions(today=date.today()))
    for finding in report.findings:
        print(finding.cell, finding.code, finding.message)
"""

from __future__ import annotations

import importlib

# Not ``from typing import TYPE_CHECKING``: importing typing costs 7 ms, before the console
# scripts can start parsing the workbook (see launch.py). Type checkers treat it the same.
TYPE_CHECKING = False

__version__ = "0.1.0"

# public name → module that defines it
_EXPORTS: dict[str, str] = {
    "load_register": "suivi_xlsx.reader",
    "check_register": "suivi_xlsx.rules",
    "CheckOptions": "suivi_xlsx.rules",
    "plan_update": "suivi_xlsx.update",
    "UpdatePlan": "suivi_xlsx.update",
    "apply_update": "suivi_xlsx.xlsx.write",
    "yearly_stats": "suivi_xlsx.stats",
    "write_summary": "suivi_xlsx.summary",
    "init_register": "suivi_xlsx.template",
    "Register": "suivi_xlsx.model",
    "RegisterSheet": "suivi_xlsx.model",
    "Entry": "suivi_xlsx.model",
    "Settings": "suivi_xlsx.model",
    "Column": "suivi_xlsx.model",
    "Origin": "suivi_xlsx.model",
    "Decision": "suivi_xlsx.model",
    "Calendar": "suivi_xlsx.model",
    "OrderNumber": "suivi_xlsx.numbering",
    "Finding": "suivi_xlsx.findings",
    "Report": "suivi_xlsx.findings",
    "Severity": "suivi_xlsx.findings",
    "CODES": "suivi_xlsx.findings",
    "SuiviError": "suivi_xlsx.errors",
}

__all__ = [
    "CODES",
    "Calendar",
    "CheckOptions",
    "Column",
    "Decision",
    "Entry",
    "Finding",
    "OrderNumber",
    "Origin",
    "Register",
    "RegisterSheet",
    "Report",
    "Settings",
    "Severity",
    "SuiviError",
    "UpdatePlan",
    "apply_update",
    "check_register",
    "init_register",
    "load_register",
    "plan_update",
    "write_summary",
    "yearly_stats",
]


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'suivi_xlsx' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])


if TYPE_CHECKING:
    from .errors import SuiviError
    from .findings import CODES, Finding, Report, Severity
    from .model import Calendar, Column, Decision, Entry, Origin, Register, RegisterSheet, Settings
    from .numbering import OrderNumber
    from .reader import load_register
    from .rules import CheckOptions, check_register
    from .stats import yearly_stats
    from .summary import write_summary
    from .template import init_register
    from .update import UpdatePlan, plan_update
    from .xlsx.write import apply_update
