"""Conditional-formatting rules that colour late rows, kept in the sheet XML.

Three expression rules over the register's range, with formulas relative to its first row:
late (``procedure.is_late``: open, and due date passed or a complaint's acknowledgement or
answer missing past its deadline) red, due soon orange, closed after the due date yellow. They are
recognised by their formulas on later runs, so they are added once and refreshed in place;
the user's own rules (and the x14 ones in ``extLst``) are never touched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

from suivi_xlsx.domain.a1 import cell_ref, column_letter
from suivi_xlsx.domain.plan import Highlight
from suivi_xlsx.domain.vocabulary import CLOSED_WORD_SEPARATORS, CLOSED_WORDS_TYPED
from suivi_xlsx.xlsx.styles import Styles, get_attr
from suivi_xlsx.xlsx.xmltext import excel_serial

OVERDUE = "overdue"
DUE_SOON = "due-soon"
CLOSED_LATE = "closed-late"
KINDS = (OVERDUE, DUE_SOON, CLOSED_LATE)

# Open, as ``procedure`` decides it (``vocabulary.says_closed``): no closing date, unless the
# closing cell is a word saying it is closed (« clôturé », « fait », « ✔ ») or starts with one
# and a separator (« clos le 12/04/2025 »). « en cours » or any other text leaves the row open.
# The separators become blanks, then each word plus a blank is compared with the cell's start
# plus a blank; « = » ignores case in Excel and LibreOffice, the table lists accented spellings.
_CLOSED_WORDS = "{" + ",".join(f'"{word}"' for word in CLOSED_WORDS_TYPED) + "}"
_BLANKED = "TRIM({k})"
for _separator in CLOSED_WORD_SEPARATORS[1:]:
    _BLANKED = f'SUBSTITUTE({_BLANKED},"{_separator}"," ")'
_STARTS_WITH_WORD = f'LEFT({_BLANKED}&" ",LEN({{words}})+1)={{words}}&" "'
_OPEN = f"NOT(ISNUMBER({{k}})),SUMPRODUCT(--({_STARTS_WITH_WORD}))=0"
_TEMPLATES = {
    OVERDUE: "AND(ISNUMBER({j}),{j}<TODAY()," + _OPEN + ")",
    DUE_SOON: "AND(ISNUMBER({j}),{j}>=TODAY(),{j}-TODAY()<={soon}," + _OPEN + ")",
    CLOSED_LATE: "AND(ISNUMBER({k}),ISNUMBER({j}),{k}>{j})",
}
# Our earlier formulas, recognised so that a register highlighted by an older version gets
# today's rules in their place instead of a second set.
# ``{words}`` stands for any list of closing words, so that a list grown since is recognised.
_LEGACY = {
    OVERDUE: (
        'AND({k}="",ISNUMBER({j}),{j}<TODAY())',
        "AND(ISNUMBER({j}),{j}<TODAY(),NOT(ISNUMBER({k})),ISNA(MATCH(TRIM({k}),{words},0)))",
    ),
    DUE_SOON: (
        'AND({k}="",ISNUMBER({j}),{j}>=TODAY(),{j}-TODAY()<={soon})',
        "AND(ISNUMBER({j}),{j}>=TODAY(),{j}-TODAY()<={soon},NOT(ISNUMBER({k})),"
        "ISNA(MATCH(TRIM({k}),{words},0)))",
    ),
}


# The red rule with a complaint's steps (``procedure.is_late``, calendar days): open, and its
# due date passed, or no acknowledgement (nor answer) once Date + {ack} days has passed, or no
# answer once EDATE(Date, {months}) has passed (EDATE clamps to month end as ``add_months``).
# A step is done on a date up to today, or by a word saying so (« fait »: not late either).
# One variant per set of columns the sheet has: {l} acknowledgement, {m} answer, {b} Date.
_DONE = (
    "OR(AND(ISNUMBER({x}),{x}<=TODAY()),SUMPRODUCT(--("
    + _STARTS_WITH_WORD.replace("{k}", "{x}")
    + "))>0)"
)


def _not_done(*cells: str) -> str:
    return ",".join("NOT(" + _DONE.replace("{x}", cell) + ")" for cell in cells)


# Working days (``deadlines``: Monday to Saturday, public holidays excepted). Not
# WORKDAY.INTL: Excel wants it as « _xlfn.WORKDAY.INTL » in the file, which LibreOffice reads as
# an unknown name. The number of working days in the days after {a} up to {e}: the days, less
# the Sundays (WEEKDAY(…,2) is 7 on a Sunday), less the holidays that fall on another day ({hol},
# an inline array of date serial numbers). A deadline N working days after {a} has passed on
# TODAY() once there are N working days from the day after {a} to yesterday.
_WORKING_DAYS = (
    "(({e})-({a})-INT((({e})-({a})+MOD(WEEKDAY({a},2),7))/7)"
    "-SUMPRODUCT(({hol}>({a}))*({hol}<=({e}))))"
)


def _working_days_after(a: str) -> str:
    return _WORKING_DAYS.replace("{a}", a).replace("{e}", "TODAY()-1")


# Past the acknowledgement deadline; past the answer deadline (2 months, moved to the next
# working day: passed once a working day has gone by since the day before the two months).
_ACK_LATE = {False: "TODAY()>{b}+{ack}", True: _working_days_after("{b}") + ">={ack}"}
_ANSWER_LATE = {
    False: "TODAY()>EDATE({b},{months})",
    True: _working_days_after("EDATE({b},{months})-1") + ">=1",
}


_SUNDAY = 6  # ``date.weekday()``


def _steps_template(ack: bool, answer: bool, working: bool = False) -> str:
    ack_cells = (("{l}",) if ack else ()) + (("{m}",) if answer else ())
    answer_cells = ("{m}",) if answer else ()
    late_answer = _ANSWER_LATE[working]
    parts = []
    if ack_cells:
        parts.append("AND(" + _not_done(*ack_cells) + "," + _ACK_LATE[working] + ")")
    parts.append(
        "AND(" + _not_done(*answer_cells) + "," + late_answer + ")" if answer_cells else late_answer
    )
    return (
        "AND(OR(AND(ISNUMBER({j}),{j}<TODAY()),AND(ISNUMBER({b}),OR("
        + ",".join(parts)
        + "))),"
        + _OPEN
        + ")"
    )


_STEP_TEMPLATES = {
    (ack, answer, working): _steps_template(ack, answer, working)
    for ack in (False, True)
    for answer in (False, True)
    for working in (False, True)
}


def _fill(template: str, k: str, j: str, soon: int, **more: str) -> str:
    """The formula of ``template`` for the closing cell ``k`` and the due cell ``j`` (and the
    Date, acknowledgement and answer cells, delays of the step variant in ``more``)."""
    text = template.replace("{k}", k).replace("{j}", j).replace("{soon}", str(soon))
    for name, value in more.items():
        text = text.replace("{" + name + "}", value)
    return text.replace("{words}", _CLOSED_WORDS)


# Light fill with dark text, as Excel's presets: red, orange, yellow.
DXFS = {
    OVERDUE: (
        '<dxf><font><color rgb="FF9C0006"/></font>'
        '<fill><patternFill><bgColor rgb="FFFFC7CE"/></patternFill></fill></dxf>'
    ),
    DUE_SOON: (
        '<dxf><font><color rgb="FF9C4A00"/></font>'
        '<fill><patternFill><bgColor rgb="FFFFD8A8"/></patternFill></fill></dxf>'
    ),
    CLOSED_LATE: (
        '<dxf><font><color rgb="FF7A6400"/></font>'
        '<fill><patternFill><bgColor rgb="FFFFF2A8"/></patternFill></fill></dxf>'
    ),
}


def _recogniser(template: str) -> re.Pattern[str]:
    cell = r"\$[A-Z]{1,3}[0-9]+"
    pattern = re.escape(template)
    for name in ("k", "j", "b", "l", "m"):
        pattern = pattern.replace(re.escape("{" + name + "}"), cell)
    for name in ("soon", "ack", "months"):
        pattern = pattern.replace(re.escape("{" + name + "}"), "[0-9]+")
    pattern = pattern.replace(re.escape("{hol}"), r"\{[0-9,]*\}")
    pattern = pattern.replace(re.escape("{words}"), r"\{[^{}]*\}")
    return re.compile(f"^{pattern}$")


_RECOGNISERS = [
    (kind, _recogniser(template))
    for kind, templates in (
        *((kind, (template,)) for kind, template in _TEMPLATES.items()),
        (OVERDUE, tuple(_STEP_TEMPLATES.values())),
        *_LEGACY.items(),
    )
    for template in templates
]

# Top-level worksheet children that come before conditionalFormatting (CT_Worksheet order).
_BEFORE = frozenset(
    {
        "sheetCalcPr",
        "sheetProtection",
        "protectedRanges",
        "scenarios",
        "autoFilter",
        "sortState",
        "dataConsolidate",
        "customSheetViews",
        "mergeCells",
        "phoneticPr",
        "conditionalFormatting",
    }
)
_TAG_RE = re.compile(
    r"<!--.*?-->|<\?.*?\?>|<(/?)([A-Za-z_][\w.:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>",
    re.DOTALL,
)
_PRIORITY_RE = re.compile(r"\spriority\s*=\s*[\"'](\d+)[\"']")


def kind_of(formula: str) -> str | None:
    """Which of our rules a formula is (None for any other formula)."""
    compact = formula.strip()
    for kind, pattern in _RECOGNISERS:
        if pattern.match(compact):
            return kind
    return None


def planned(highlight: Highlight, *, date1904: bool = False) -> tuple[str, dict[str, str]]:
    """(sqref, kind → formula) for one highlight; ``date1904``: the workbook's date system,
    for the holidays' serial numbers."""
    row = highlight.first_row
    k = f"${column_letter(highlight.closed_column)}{row}"
    j = f"${column_letter(highlight.due_column)}{row}"
    formulas = {
        kind: _fill(template, k, j, highlight.soon_days) for kind, template in _TEMPLATES.items()
    }
    if highlight.received_column is not None:
        ack, answer = highlight.ack_column, highlight.answer_column
        cells = {
            "b": f"${column_letter(highlight.received_column)}{row}",
            "l": f"${column_letter(ack)}{row}" if ack is not None else "",
            "m": f"${column_letter(answer)}{row}" if answer is not None else "",
            "ack": str(highlight.ack_days),
            "months": str(highlight.answer_months),
        }
        if highlight.working_days:
            # Sundays are already left out; serial 0 stands for « no holiday » (never a date
            # of the register).
            days = [day for day in highlight.holidays if day.weekday() != _SUNDAY]
            serials = [excel_serial(day, date1904=date1904) for day in days] or [0]
            cells["hol"] = "{" + ",".join(str(serial) for serial in serials) + "}"
        template = _STEP_TEMPLATES[(ack is not None, answer is not None, highlight.working_days)]
        formulas[OVERDUE] = _fill(template, k, j, highlight.soon_days, **cells)
    first = cell_ref(highlight.first_row, highlight.first_column)
    last = cell_ref(max(highlight.last_row, highlight.first_row), highlight.last_column)
    return f"{first}:{last}", formulas


@dataclass(slots=True)
class Element:
    """A top-level child of the worksheet, located in the text after ``sheetData``."""

    local: str
    start: int
    end: int


@dataclass(slots=True)
class Block:
    """A top-level ``conditionalFormatting`` element made of our rules only."""

    start: int
    end: int
    sqref: str
    formulas: dict[str, str]  # kind → formula
    dxf_ids: dict[str, int]
    priorities: dict[str, int]


def top_level(tail: str) -> list[Element]:
    """Top-level elements in ``tail`` (the sheet text after ``sheetData``), up to the root's end."""
    out: list[Element] = []
    depth = 0
    current: Element | None = None
    for match in _TAG_RE.finditer(tail):
        closing, name, _attrs, empty = match.groups()
        if name is None:  # comment or processing instruction
            continue
        local = name.rsplit(":", 1)[-1]
        if closing:
            depth -= 1
            if depth < 0:  # the root's end tag
                break
            if depth == 0 and current is not None:
                current.end = match.end()
                out.append(current)
                current = None
        elif empty:
            if depth == 0:
                out.append(Element(local, match.start(), match.end()))
        else:
            if depth == 0:
                current = Element(local, match.start(), -1)
            depth += 1
    return out


def _rules(element_text: str, prefix: str) -> list[tuple[str, str | None]]:
    """(cfRule start tag, first formula text unescaped) of each rule in a block."""
    p = re.escape(prefix)
    pattern = re.compile(
        rf"(<{p}cfRule\b[^>]*?)(?:/>|>(.*?)</{p}cfRule>)",
        re.DOTALL,
    )
    formula_re = re.compile(rf"<{p}formula>(.*?)</{p}formula>", re.DOTALL)
    out = []
    for match in pattern.finditer(element_text):
        body = match.group(2) or ""
        formula = formula_re.search(body)
        out.append((match.group(1) + ">", unescape(formula.group(1)) if formula else None))
    return out


def our_blocks(tail: str, elements: list[Element], prefix: str) -> list[Block]:
    blocks = []
    for element in elements:
        if element.local != "conditionalFormatting":
            continue
        text = tail[element.start : element.end]
        rules = _rules(text, prefix)
        kinds = [kind_of(formula) if formula else None for _tag, formula in rules]
        if not rules or None in kinds or len(set(kinds)) != len(kinds):
            continue
        head = text[: text.index(">") + 1]
        block = Block(element.start, element.end, get_attr(head, "sqref") or "", {}, {}, {})
        for (tag, formula), kind in zip(rules, kinds, strict=True):
            assert kind is not None and formula is not None
            block.formulas[kind] = formula.strip()
            dxf = get_attr(tag, "dxfId")
            if dxf is not None and dxf.isdigit():
                block.dxf_ids[kind] = int(dxf)
            priority = get_attr(tag, "priority")
            if priority is not None and priority.isdigit():
                block.priorities[kind] = int(priority)
        blocks.append(block)
    return blocks


def _escape_formula(formula: str) -> str:
    return formula.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def render_block(
    prefix: str,
    sqref: str,
    formulas: dict[str, str],
    dxf_ids: dict[str, int],
    priorities: dict[str, int],
) -> str:
    p = prefix
    rules = "".join(
        f'<{p}cfRule type="expression" dxfId="{dxf_ids[kind]}" priority="{priorities[kind]}">'
        f"<{p}formula>{_escape_formula(formulas[kind])}</{p}formula></{p}cfRule>"
        for kind in KINDS
    )
    return f'<{p}conditionalFormatting sqref="{sqref}">{rules}</{p}conditionalFormatting>'


def apply_highlights(
    tail: str,
    prefix: str,
    highlights: list[Highlight],
    styles: Styles | None,
    *,
    date1904: bool = False,
) -> str | None:
    """The sheet text after ``sheetData`` with our rules added or refreshed; None when every
    planned rule is already there as planned."""
    elements = top_level(tail)
    blocks = our_blocks(tail, elements, prefix)
    max_priority = max((int(m) for m in _PRIORITY_RE.findall(tail)), default=0)
    replaced: list[tuple[int, int, str]] = []  # (start, end, text) edits of the tail
    new_blocks: list[str] = []
    free = list(blocks)
    for highlight in highlights:
        sqref, formulas = planned(highlight, date1904=date1904)
        same = next((b for b in free if b.sqref == sqref and b.formulas == formulas), None)
        if same is not None:
            free.remove(same)
            continue
        reuse = next((b for b in free if b.sqref == sqref), None) or (free[0] if free else None)
        dxf_ids: dict[str, int] = {}
        priorities: dict[str, int] = {}
        for kind in KINDS:
            if reuse is not None and kind in reuse.dxf_ids:
                dxf_ids[kind] = reuse.dxf_ids[kind]
            else:
                if styles is None:
                    raise ValueError("a styles part is needed for new highlight rules")
                dxf_ids[kind] = styles.add_dxf(DXFS[kind])
            if reuse is not None and kind in reuse.priorities:
                priorities[kind] = reuse.priorities[kind]
            else:
                max_priority += 1
                priorities[kind] = max_priority
        text = render_block(prefix, sqref, formulas, dxf_ids, priorities)
        if reuse is not None:
            free.remove(reuse)
            replaced.append((reuse.start, reuse.end, text))
        else:
            new_blocks.append(text)
    if not replaced and not new_blocks:
        return None
    if new_blocks:
        existing = [e for e in elements if e.local == "conditionalFormatting"]
        if existing:
            pos = existing[-1].end
        else:
            after = next((e for e in elements if e.local not in _BEFORE), None)
            pos = after.start if after is not None else _root_close(tail)
        replaced.append((pos, pos, "".join(new_blocks)))
    for start, end, text in sorted(replaced, reverse=True):
        tail = tail[:start] + text + tail[end:]
    return tail


def _root_close(tail: str) -> int:
    """Where the worksheet's end tag starts in ``tail``."""
    pos = tail.rfind("</")
    if pos < 0:
        raise ValueError("no worksheet end tag")
    return pos
