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
    "is_open_at": "suivi_xlsx.procedure",
    "is_overdue": "suivi_xlsx.procedure",
    "complaint_due_date": "suivi_xlsx.procedure",
    "complaint_steps": "suivi_xlsx.procedure",
    "Step": "suivi_xlsx.procedure",
    "StepState": "suivi_xlsx.procedure",
    "follow_up": "suivi_xlsx.followup",
    "find_entry": "suivi_xlsx.letters",
    "build_letter": "suivi_xlsx.letters",
    "render_letter": "suivi_xlsx.docx_letters",
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
    "Step",
    "StepState",
    "SuiviError",
    "UpdatePlan",
    "apply_update",
    "build_letter",
    "check_register",
    "complaint_due_date",
    "complaint_steps",
    "find_entry",
    "follow_up",
    "init_register",
    "is_open_at",
    "is_overdue",
    "load_register",
    "plan_update",
    "render_letter",
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
    from .docx_letters import render_letter
    from .errors import SuiviError
    from .findings import CODES, Finding, Report, Severity
    from .followup import follow_up
    from .letters import build_letter, find_entry
    from .model import Calendar, Column, Decision, Entry, Origin, Register, RegisterSheet, Settings
    from .numbering import OrderNumber
    from .procedure import (
        Step,
        StepState,
        complaint_due_date,
        complaint_steps,
        is_open_at,
        is_overdue,
    )
    from .reader import load_register
    from .rules import CheckOptions, check_register
    from .stats import yearly_stats
    from .summary import write_summary
    from .template import init_register
    from .update import UpdatePlan, plan_update
    from .xlsx.write import apply_update
