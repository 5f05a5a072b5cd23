"""The live highlighting of late rows in an .ods: an ODF conditional format on the register's
range (``calcext:conditional-formats``, what LibreOffice reads and writes), whose formulas are
those of the .xlsx rules (``xlsx.condfmt.planned``: one truth) in OpenFormula notation, with
TODAY(): LibreOffice recolours the rows on later days without running the tool again.

The three cell styles it applies are named styles in ``styles.xml``, added once. Our format is
recognised on later runs by those style names and refreshed in place; the user's own
conditional formats are never touched.
"""

from __future__ import annotations

import re
from xml.sax.saxutils import quoteattr

from suivi_xlsx.domain.a1 import cell_ref
from suivi_xlsx.domain.plan import Highlight
from suivi_xlsx.xlsx.condfmt import CLOSED_LATE, DUE_SOON, KINDS, OVERDUE, planned

STYLE_NAMES = {
    OVERDUE: "SuiviEnRetard",
    DUE_SOON: "SuiviEcheanceProche",
    CLOSED_LATE: "SuiviClotureTardive",
}
# Light fill with dark text, as the .xlsx rules (xlsx.condfmt.DXFS).
_COLOURS = {
    OVERDUE: ("#ffc7ce", "#9c0006"),
    DUE_SOON: ("#ffd8a8", "#9c4a00"),
    CLOSED_LATE: ("#fff2a8", "#7a6400"),
}
_STRING_OR_REF_RE = re.compile(r'"[^"]*"|(\$?[A-Z]{1,3}\$?[0-9]+)|(,)')
_FORMATS_RE = re.compile(
    rb"<calcext:conditional-formats>(.*?)</calcext:conditional-formats>", re.DOTALL
)
_FORMAT_RE = re.compile(
    rb"<calcext:conditional-format\b[^>]*>.*?</calcext:conditional-format>", re.DOTALL
)
_APPLY_RE = re.compile(rb'calcext:apply-style-name="([^"]*)"')


def odf_formula(excel: str) -> str:
    """``AND(ISNUMBER($J5),…)`` → ``AND(ISNUMBER([.$J5]);…)``: references bracketed, commas
    (argument and inline-array column separators alike) become semicolons; strings kept."""

    def one(match: re.Match[str]) -> str:
        if match.group(1):
            return f"[.{match.group(1)}]"
        if match.group(2):
            return ";"
        return match.group(0)

    return _STRING_OR_REF_RE.sub(one, excel)


def _address(sheet: str, ref: str) -> str:
    return "'" + sheet.replace("'", "''") + "'." + ref


def render(highlight: Highlight) -> bytes:
    """Our ``calcext:conditional-format`` element for ``highlight``."""
    sqref, formulas = planned(highlight)
    first, last = sqref.split(":")
    target = f"{_address(highlight.sheet, first)}:{_address(highlight.sheet, last)}"
    base = _address(highlight.sheet, cell_ref(highlight.first_row, highlight.first_column))
    conditions = "".join(
        "<calcext:condition calcext:apply-style-name="
        + quoteattr(STYLE_NAMES[kind])
        + " calcext:value="
        + quoteattr(f"formula-is({odf_formula(formulas[kind])})")
        + " calcext:base-cell-address="
        + quoteattr(base)
        + "/>"
        for kind in KINDS
    )
    return (
        f"<calcext:conditional-format calcext:target-range-address={quoteattr(target)}>"
        f"{conditions}</calcext:conditional-format>"
    ).encode()


def _ours(element: bytes) -> bool:
    names = {name.decode() for name in _APPLY_RE.findall(element)}
    return bool(names) and names <= set(STYLE_NAMES.values())


_NAMED_EXPRESSIONS_RE = re.compile(rb"<table:named-expressions")


def apply_highlight(
    tail: bytes | memoryview, highlight: Highlight
) -> list[bytes | memoryview] | None:
    """``tail``, the end of a table's content after its last edited row (or the whole
    content), with our conditional format in place (replacing our previous one), as pieces
    that are views of ``tail`` around the new element: a sheet of 100 MB is not copied.
    ``None`` when it is already there as planned."""
    view = memoryview(tail)
    mine = render(highlight)
    found = _FORMATS_RE.search(view)
    if found is None:
        # After the rows, before a sheet's own named ranges (the order LibreOffice writes).
        named = _NAMED_EXPRESSIONS_RE.search(view)
        at = len(view) if named is None else named.start()
        block = b"<calcext:conditional-formats>" + mine + b"</calcext:conditional-formats>"
        return [view[:at], block, view[at:]]
    elements = [m.group(0) for m in _FORMAT_RE.finditer(found.group(1))]
    if mine in elements and sum(map(_ours, elements)) == 1:
        return None
    kept = b"".join(e for e in elements if not _ours(e))
    return [view[: found.start(1)], kept + mine, view[found.end(1) :]]


def _style(kind: str) -> bytes:
    background, text = _COLOURS[kind]
    return (
        f'<style:style style:name="{STYLE_NAMES[kind]}" style:family="table-cell" '
        'style:parent-style-name="Default">'
        f'<style:table-cell-properties fo:background-color="{background}"/>'
        f'<style:text-properties fo:color="{text}"/></style:style>'
    ).encode()


def with_styles(styles_xml: bytes) -> bytes | None:
    """``styles.xml`` with our three named cell styles added; ``None`` when all are there."""
    missing = [k for k in KINDS if f'style:name="{STYLE_NAMES[k]}"'.encode() not in styles_xml]
    if not missing:
        return None
    added = b"".join(_style(kind) for kind in missing)
    end = styles_xml.find(b"</office:styles>")
    if end >= 0:
        return styles_xml[:end] + added + styles_xml[end:]
    for anchor in (
        b"<office:automatic-styles",
        b"<office:master-styles",
        b"</office:document-styles>",
    ):
        at = styles_xml.find(anchor)
        if at >= 0:
            return (
                styles_xml[:at] + b"<office:styles>" + added + b"</office:styles>" + styles_xml[at:]
            )
    return None
