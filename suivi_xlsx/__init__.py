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
    "load_register": "suivi_xlsx.reading.reader",
    "check_register": "suivi_xlsx.domain.rules",
    "CheckOptions": "suivi_xlsx.domain.rules",
    "plan_update": "suivi_xlsx.domain.update",
    "UpdatePlan": "suivi_xlsx.domain.update",
    "apply_update": "suivi_xlsx.xlsx.write",
    "yearly_stats": "suivi_xlsx.outputs.summary.stats",
    "to_frames": "suivi_xlsx.outputs.summary.stats",
    "Deadlines": "suivi_xlsx.domain.deadlines",
    "write_summary": "suivi_xlsx.outputs.summary.workbook",
    "init_register": "suivi_xlsx.outputs.template",
    "Register": "suivi_xlsx.domain.model",
    "RegisterSheet": "suivi_xlsx.domain.model",
    "Entry": "suivi_xlsx.domain.model",
    "Settings": "suivi_xlsx.domain.model",
    "Column": "suivi_xlsx.domain.model",
    "Origin": "suivi_xlsx.domain.model",
    "Decision": "suivi_xlsx.domain.model",
    "Calendar": "suivi_xlsx.domain.model",
    "OrderNumber": "suivi_xlsx.domain.numbering",
    "Finding": "suivi_xlsx.domain.findings",
    "Report": "suivi_xlsx.domain.findings",
    "Severity": "suivi_xlsx.domain.findings",
    "CODES": "suivi_xlsx.domain.findings",
    "SuiviError": "suivi_xlsx.errors",
    "is_open_at": "suivi_xlsx.domain.procedure",
    "is_overdue": "suivi_xlsx.domain.procedure",
    "complaint_due_date": "suivi_xlsx.domain.procedure",
    "complaint_steps": "suivi_xlsx.domain.procedure",
    "Step": "suivi_xlsx.domain.procedure",
    "StepState": "suivi_xlsx.domain.procedure",
    "follow_up": "suivi_xlsx.outputs.followup.compute",
    "find_entry": "suivi_xlsx.outputs.letters.content",
    "build_letter": "suivi_xlsx.outputs.letters.content",
    "render_letter": "suivi_xlsx.outputs.letters.docx",
}

__all__ = [
    "CODES",
    "Calendar",
    "CheckOptions",
    "Column",
    "Deadlines",
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
    "to_frames",
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
    from suivi_xlsx.domain.deadlines import Deadlines
    from suivi_xlsx.domain.findings import CODES, Finding, Report, Severity
    from suivi_xlsx.domain.model import (
        Calendar,
        Column,
        Decision,
        Entry,
        Origin,
        Register,
        RegisterSheet,
        Settings,
    )
    from suivi_xlsx.domain.numbering import OrderNumber
    from suivi_xlsx.domain.procedure import (
        Step,
        StepState,
        complaint_due_date,
        complaint_steps,
        is_open_at,
        is_overdue,
    )
    from suivi_xlsx.domain.rules import CheckOptions, check_register
    from suivi_xlsx.domain.update import UpdatePlan, plan_update
    from suivi_xlsx.errors import SuiviError
    from suivi_xlsx.outputs.followup.compute import follow_up
    from suivi_xlsx.outputs.letters.content import build_letter, find_entry
    from suivi_xlsx.outputs.letters.docx import render_letter
    from suivi_xlsx.outputs.summary.stats import to_frames, yearly_stats
    from suivi_xlsx.outputs.summary.workbook import write_summary
    from suivi_xlsx.outputs.template import init_register
    from suivi_xlsx.reading.reader import load_register
    from suivi_xlsx.xlsx.write import apply_update
