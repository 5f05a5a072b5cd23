"""Turn a check ``Report`` into what users read: French text for a terminal, or JSON data.

Pure: returns strings and dicts; the CLI prints them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from suivi_xlsx.domain.findings import (
    CODES,
    FIXES,
    SEVERITY_ORDER,
    Finding,
    Report,
    Severity,
    fr_count,
    fr_date,
)

_HEADINGS: dict[Severity, tuple[str, str]] = {
    Severity.ERROR: ("Erreurs", "red"),
    Severity.LATE: ("Retards", "magenta"),
    Severity.WARNING: ("Avertissements", "yellow"),
}

Styler = Callable[..., str]


def _plain(text: str, **_: Any) -> str:
    return text


# C0 and C1 controls (ESC starts terminal sequences, BEL rings, NUL truncates), DEL, and the
# bidirectional overrides and isolates that reorder what a terminal shows (U+202A–202E,
# U+2066–2069), plus the invisible marks around them. Tab and line feed are kept.
_UNSAFE_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: str) -> str:
    """``text`` fit for a terminal: control and bidi characters shown as ``\\x1b``,
    ``\\u202e``… instead of acting on the terminal. Cell text reaches our output as typed."""
    return _UNSAFE_RE.sub(_visible, text) if _UNSAFE_RE.search(text) else text


def summary_line(report: Report) -> str:
    """One French line: how many entries were read and what was found."""
    name = report.file.name if report.file is not None else "registre"
    counts = report.counts
    read = fr_count(report.entries, "entrée lue", "entrées lues")
    if not report.findings:
        return f"{name} : {read}, aucun problème au {fr_date(report.today)}."
    late = fr_count(counts["retard"], "retard", "retards")
    # One late entry may miss several steps (its due date, its answer): say how many entries,
    # the number `suivi update` colours and `suivi relances` lists.
    late_entries = len({(f.sheet, f.row) for f in report.findings if f.severity is Severity.LATE})
    if late_entries != counts["retard"]:
        late += f" sur {fr_count(late_entries, 'dossier', 'dossiers')}"
    parts = [
        fr_count(counts["erreur"], "erreur", "erreurs"),
        late,
        fr_count(counts["avertissement"], "avertissement", "avertissements"),
    ]
    return f"{name} : {read} — {', '.join(parts)} au {fr_date(report.today)}."


def _where(finding: Finding) -> str:
    if finding.cell is not None:
        place = f"{finding.sheet}!{finding.cell}"
    elif finding.row is not None:
        place = f"{finding.sheet}, ligne {finding.row}"
    else:
        place = finding.sheet or ""
    return place


def render_text(report: Report, *, style: Styler | None = None) -> str:
    """Findings grouped by severity then sheet, each line with its cell and order number.

    ``style`` is ``click.style`` when colour is wanted; plain text otherwise.
    """
    paint = style or _plain
    lines: list[str] = []
    # Escaped line by line before colouring: our own ANSI colour codes must stay intact.
    for severity in SEVERITY_ORDER:
        group = [f for f in report.findings if f.severity is severity]
        if not group:
            continue
        title, colour = _HEADINGS[severity]
        lines.append(paint(f"{title} ({len(group)})", fg=colour, bold=True))
        width = max(len(safe_text(_where(f))) for f in group)
        for finding in group:
            number = f" [{safe_text(finding.order_number)}]" if finding.order_number else ""
            lines.append(
                f"  {paint(safe_text(_where(finding)).ljust(width), bold=True)}  "
                f"{paint(finding.code, fg=colour)}{number} : {safe_text(finding.message)}"
            )
        lines.append("")
    lines.append(paint(safe_text(summary_line(report)), bold=True))
    return "\n".join(lines)


#: How many findings of a code the grouped text shows; ``--detail`` shows them all.
SHOWN_PER_CODE = 5


def _cell_list(findings: list[Finding]) -> str:
    return ", ".join(
        safe_text(_where(f) + (f" [{f.order_number}]" if f.order_number else "")) for f in findings
    )


_RANK = {code: rank for rank, code in enumerate(CODES)}


def _display_order(item: tuple[str, list[Finding]]) -> int:
    return _RANK.get(item[0], len(_RANK))


def render_grouped(
    report: Report, *, style: Styler | None = None, shown: int = SHOWN_PER_CODE
) -> str:
    """Findings grouped by severity then code: each code with its count, its description,
    the command that fixes it (``FIXES``) and its first ``shown`` cells; a code found once
    keeps its full message. The summary line ends the text, as in ``render_text``.

    For a person about to meet: one screen whatever the register's size. ``render_text``
    gives every finding.
    """
    paint = style or _plain
    lines: list[str] = []
    for severity in SEVERITY_ORDER:
        group = [f for f in report.findings if f.severity is severity]
        if not group:
            continue
        title, colour = _HEADINGS[severity]
        lines.append(paint(f"{title} ({len(group)})", fg=colour, bold=True))
        by_code: dict[str, list[Finding]] = {}
        for finding in group:
            by_code.setdefault(finding.code, []).append(finding)
        for code, findings in sorted(by_code.items(), key=_display_order):
            head = f"  {paint(code, fg=colour)} ({len(findings)})"
            fix = FIXES.get(code)
            if len(findings) == 1:  # its own message says more than the code's description
                only = findings[0]
                lines.append(f"{head} — {_cell_list(findings)} : {safe_text(only.message)}")
            else:
                spec = CODES.get(code)
                lines.append(f"{head} : {spec.description}" if spec is not None else head)
                rest = len(findings) - shown
                more = f", … et {rest} {'autre' if rest == 1 else 'autres'}" if rest > 0 else ""
                lines.append(f"    {_cell_list(findings[:shown])}{more}")
            if fix is not None:
                lines.append(f"    Correction : {fix}.")
        lines.append("")
    if report.findings:
        lines.append("Chaque problème avec son message : ajoutez --detail.")
    lines.append(paint(safe_text(summary_line(report)), bold=True))
    return "\n".join(lines)


def finding_to_dict(finding: Finding) -> dict[str, Any]:
    """A finding as JSON-ready data, keys in a fixed order."""
    return {
        "code": finding.code,
        "severity": finding.severity.value,
        "sheet": finding.sheet,
        "row": finding.row,
        "cell": finding.cell,
        "order_number": finding.order_number,
        "message": finding.message,
    }


def report_to_dict(report: Report) -> dict[str, Any]:
    """The whole report as JSON-ready data, keys in a fixed order."""
    counts: dict[str, int] = dict(report.counts)
    counts["total"] = len(report.findings)
    return {
        "file": str(report.file) if report.file is not None else None,
        "today": report.today.isoformat(),
        "entries": report.entries,
        "findings": [finding_to_dict(f) for f in report.findings],
        "counts": counts,
        "exit_status": report.exit_status,
    }


def codes_table() -> list[tuple[str, str, str]]:
    """(code, severity, description) for every code, in display order: for docs and help."""
    return [(spec.code, spec.severity.value, spec.description) for spec in CODES.values()]
