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
    "apply_update": "suivi_xlsx.writeback",
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
    "Progress": "suivi_xlsx.runtime.progress",
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
    # The rest of what the command line uses: cli/ imports nothing of ours but this module
    # (tests/test_layering.py), so every step of a command is a public, documented call.
    "Letter": "suivi_xlsx.outputs.letters.content",
    "LetterKind": "suivi_xlsx.outputs.letters.content",
    "MissingSettingsError": "suivi_xlsx.outputs.letters.docx",
    "NoRegisterError": "suivi_xlsx.errors",
    "RefusedError": "suivi_xlsx.errors",
    "Share": "suivi_xlsx.outputs.summary.stats",
    "SuiviWarning": "suivi_xlsx.errors",
    "YearlyStats": "suivi_xlsx.outputs.summary.stats",
    "ack_delay_text": "suivi_xlsx.outputs.summary.texts",
    "answer_delay_text": "suivi_xlsx.outputs.summary.texts",
    "cell_of": "suivi_xlsx.outputs.letters.content",
    "check_file": "suivi_xlsx.reading.filecheck",
    "check_template": "suivi_xlsx.outputs.letters.docx",
    "describe_highlights": "suivi_xlsx.domain.update",
    "describe_plan": "suivi_xlsx.domain.update",
    "existing_letter": "suivi_xlsx.outputs.letters.docx",
    "existing_output": "suivi_xlsx.outputs.files",
    "formula_cells": "suivi_xlsx.writeback",
    "fr_count": "suivi_xlsx.domain.findings",
    "fr_long_date": "suivi_xlsx.outputs.letters.content",
    "highlight_counts": "suivi_xlsx.domain.update",
    "is_valid_agency": "suivi_xlsx.domain.numbering",
    "redress_given": "suivi_xlsx.domain.vocabulary",
    "release_freed_memory": "suivi_xlsx.runtime.heap",
    "render_grouped": "suivi_xlsx.outputs.render",
    "render_text": "suivi_xlsx.outputs.render",
    "report_to_dict": "suivi_xlsx.outputs.render",
    "safe_text": "suivi_xlsx.outputs.render",
    "text_lines": "suivi_xlsx.outputs.followup.compute",
    "to_acknowledge": "suivi_xlsx.outputs.letters.content",
    "undated_text": "suivi_xlsx.outputs.summary.texts",
    "within": "suivi_xlsx.outputs.summary.texts",
    "writable_format": "suivi_xlsx.writeback",
    "write_calendar": "suivi_xlsx.outputs.followup.calendar",
    "plan_calendar": "suivi_xlsx.outputs.followup.calendar",
    "read_previous_calendar": "suivi_xlsx.outputs.followup.calendar",
    "person_calendar_paths": "suivi_xlsx.outputs.followup.calendar",
    "refuse_existing_calendars": "suivi_xlsx.outputs.followup.calendar",
    "step_states": "suivi_xlsx.outputs.followup.compute",
    "write_document": "suivi_xlsx.outputs.letters.docx",
    "copy_templates": "suivi_xlsx.outputs.letters.guide",
    "WrittenThenInterrupted": "suivi_xlsx.runtime.interrupts",
    "terminate_as_interrupt": "suivi_xlsx.runtime.interrupts",
    "written_backup": "suivi_xlsx.runtime.interrupts",
    "clean_stale_temps": "suivi_xlsx.xlsx.write",
    "GUIDE_NAME": "suivi_xlsx.outputs.letters.guide",
    "write_workbook": "suivi_xlsx.outputs.followup.files",
}

__all__ = [
    "CODES",
    "GUIDE_NAME",
    "Calendar",
    "CheckOptions",
    "Column",
    "Deadlines",
    "Decision",
    "Entry",
    "Finding",
    "Letter",
    "LetterKind",
    "MissingSettingsError",
    "NoRegisterError",
    "OrderNumber",
    "Origin",
    "Progress",
    "RefusedError",
    "Register",
    "RegisterSheet",
    "Report",
    "Settings",
    "Severity",
    "Share",
    "Step",
    "StepState",
    "SuiviError",
    "SuiviWarning",
    "UpdatePlan",
    "WrittenThenInterrupted",
    "YearlyStats",
    "ack_delay_text",
    "answer_delay_text",
    "apply_update",
    "build_letter",
    "cell_of",
    "check_file",
    "check_register",
    "check_template",
    "clean_stale_temps",
    "complaint_due_date",
    "complaint_steps",
    "copy_templates",
    "describe_highlights",
    "describe_plan",
    "existing_letter",
    "existing_output",
    "find_entry",
    "follow_up",
    "formula_cells",
    "fr_count",
    "fr_long_date",
    "highlight_counts",
    "init_register",
    "is_open_at",
    "is_overdue",
    "is_valid_agency",
    "load_register",
    "person_calendar_paths",
    "plan_calendar",
    "plan_update",
    "read_previous_calendar",
    "redress_given",
    "refuse_existing_calendars",
    "release_freed_memory",
    "render_grouped",
    "render_letter",
    "render_text",
    "report_to_dict",
    "safe_text",
    "step_states",
    "terminate_as_interrupt",
    "text_lines",
    "to_acknowledge",
    "to_frames",
    "undated_text",
    "within",
    "writable_format",
    "write_calendar",
    "write_document",
    "write_summary",
    "write_workbook",
    "written_backup",
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
    from suivi_xlsx.domain.findings import CODES, Finding, Report, Severity, fr_count
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
    from suivi_xlsx.domain.numbering import OrderNumber, is_valid_agency
    from suivi_xlsx.domain.procedure import (
        Step,
        StepState,
        complaint_due_date,
        complaint_steps,
        is_open_at,
        is_overdue,
    )
    from suivi_xlsx.domain.rules import CheckOptions, check_register
    from suivi_xlsx.domain.update import (
        UpdatePlan,
        describe_highlights,
        describe_plan,
        highlight_counts,
        plan_update,
    )
    from suivi_xlsx.domain.vocabulary import redress_given
    from suivi_xlsx.errors import NoRegisterError, RefusedError, SuiviError, SuiviWarning
    from suivi_xlsx.outputs.files import existing_output
    from suivi_xlsx.outputs.followup.calendar import (
        person_calendar_paths,
        plan_calendar,
        read_previous_calendar,
        refuse_existing_calendars,
        write_calendar,
    )
    from suivi_xlsx.outputs.followup.compute import follow_up, step_states, text_lines
    from suivi_xlsx.outputs.followup.files import write_workbook
    from suivi_xlsx.outputs.letters.content import (
        Letter,
        LetterKind,
        build_letter,
        cell_of,
        find_entry,
        fr_long_date,
        to_acknowledge,
    )
    from suivi_xlsx.outputs.letters.docx import (
        MissingSettingsError,
        check_template,
        existing_letter,
        render_letter,
        write_document,
    )
    from suivi_xlsx.outputs.letters.guide import GUIDE_NAME, copy_templates
    from suivi_xlsx.outputs.render import render_grouped, render_text, report_to_dict, safe_text
    from suivi_xlsx.outputs.summary.stats import Share, YearlyStats, to_frames, yearly_stats
    from suivi_xlsx.outputs.summary.texts import (
        ack_delay_text,
        answer_delay_text,
        undated_text,
        within,
    )
    from suivi_xlsx.outputs.summary.workbook import write_summary
    from suivi_xlsx.outputs.template import init_register
    from suivi_xlsx.reading.filecheck import check_file
    from suivi_xlsx.reading.reader import load_register
    from suivi_xlsx.runtime.heap import release_freed_memory
    from suivi_xlsx.runtime.interrupts import (
        WrittenThenInterrupted,
        terminate_as_interrupt,
        written_backup,
    )
    from suivi_xlsx.runtime.progress import Progress
    from suivi_xlsx.writeback import apply_update, formula_cells, writable_format
    from suivi_xlsx.xlsx.write import clean_stale_temps
