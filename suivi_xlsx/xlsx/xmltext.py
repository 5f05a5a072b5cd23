"""SpreadsheetML as text: Excel-style escaping, ``<c>`` builders, date serial numbers."""

from __future__ import annotations

import datetime as dt
import re
from html import unescape

from suivi_xlsx.errors import DamagedFileError

_EPOCH_1900 = dt.date(1899, 12, 30)  # serial 60 is the phantom 29/02/1900 (Lotus bug)
_EPOCH_1904 = dt.date(1904, 1, 1)
_LEAP_BUG_END = dt.date(1900, 3, 1)

# Control characters XML 1.0 cannot carry; \t and \n can. \r would be normalised on reading.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
# Text that would itself read as an escape gets its underscore escaped, as Excel does.
_LOOKS_ESCAPED_RE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_UNESCAPE_X_RE = re.compile(r"_x([0-9A-Fa-f]{4})_")


class MalformedPart(DamagedFileError):
    """A part of the input is not what OOXML says (no root, unclosed element…): damage,
    exit 2. ``detail`` is French; the writer restates it with the file's name."""

    def __init__(self, detail: str, part: str | None = None) -> None:
        where = f" (partie « {part} »)" if part else ""
        super().__init__(
            f"le classeur est abîmé : {detail}{where}. Ouvrez-le dans Excel, qui proposera de "
            "le réparer, enregistrez-le, puis relancez la commande."
        )
        self.detail = detail
        self.part = part


def excel_serial(value: dt.date, *, date1904: bool = False) -> int:
    """The day number Excel stores for ``value`` (1900 system with its leap-year bug, or 1904)."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if date1904:
        return (value - _EPOCH_1904).days
    if value < _LEAP_BUG_END:
        return (value - _EPOCH_1900).days - 1
    return (value - _EPOCH_1900).days


def escape_xml(text: str) -> str:
    """Escape ``&``, ``<``, ``>`` for element text (and ``"`` for attribute values)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


# Anything escape_cell_text would change: most texts (order numbers…) have none of it.
_NEEDS_ESCAPE_RE = re.compile('[&<>"\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_')


def escape_cell_text(text: str) -> str:
    """Cell text as Excel writes it: ``_xHHHH_`` for control characters, then XML-escaped."""
    if _NEEDS_ESCAPE_RE.search(text) is None:
        return text
    text = _LOOKS_ESCAPED_RE.sub(r"_x005F_\1", text)
    text = _CONTROL_RE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
    return escape_xml(text)


def unescape_cell_text(text: str) -> str:
    """Inverse of ``escape_cell_text`` (for XML text as found between ``<t>`` tags)."""
    if "&" not in text and "_x" not in text:  # most texts: nothing to undo
        return text
    return _UNESCAPE_X_RE.sub(lambda m: chr(int(m.group(1), 16)), unescape(text))


def needs_preserve(text: str) -> bool:
    """Leading/trailing blanks or line breaks are kept only with ``xml:space="preserve"``."""
    return text != text.strip() or "\n" in text or "\t" in text


def inline_string_cell(prefix: str, ref: str, style: int | None, text: str) -> str:
    """``<c r="D6" s="3" t="inlineStr"><is><t>…</t></is></c>``; ``prefix``: ``x:`` or ``""``."""
    s = f' s="{style}"' if style else ""
    space = ' xml:space="preserve"' if needs_preserve(text) else ""
    return (
        f'<{prefix}c r="{ref}"{s} t="inlineStr"><{prefix}is><{prefix}t{space}>'
        f"{escape_cell_text(text)}</{prefix}t></{prefix}is></{prefix}c>"
    )


def number_cell(prefix: str, ref: str, style: int | None, number: int) -> str:
    """``<c r="A6" s="1"><v>2025</v></c>``."""
    s = f' s="{style}"' if style else ""
    return f'<{prefix}c r="{ref}"{s}><{prefix}v>{number}</{prefix}v></{prefix}c>'
