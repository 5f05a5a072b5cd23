"""``styles.xml``: read which cell styles show dates; append the few entries edits need.

The part is edited as text: existing entries keep their index and bytes, new ``numFmt``,
``xf`` and ``dxf`` entries go at the end of their lists (counts updated), so every style a
sheet, a table or an x14 rule refers to stays valid.
"""

from __future__ import annotations

import re
from html import unescape

from suivi_xlsx.errors import RefusedError
from suivi_xlsx.xlsx.xmltext import MalformedPart

DATE_FORMAT = "dd/mm/yyyy"
_FIRST_CUSTOM_NUMFMT = 164
# Built-in number formats that show a date (14–17, 22 and the East Asian date formats).
_BUILTIN_DATE_IDS = frozenset({14, 15, 16, 17, 22, *range(27, 37), *range(50, 59)})
_QUOTED_RE = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_ROOT_RE = re.compile(r"<([A-Za-z_][\w.-]*:)?styleSheet\b[^>]*>")
_ATTR_RE_CACHE: dict[str, re.Pattern[str]] = {}
_CHILD = {"dxfs": "dxf", "cellXfs": "xf", "numFmts": "numFmt"}


def _attr_re(name: str) -> re.Pattern[str]:
    pattern = _ATTR_RE_CACHE.get(name)
    if pattern is None:
        pattern = re.compile(rf'\s{name}\s*=\s*("[^"]*"|\'[^\']*\')')
        _ATTR_RE_CACHE[name] = pattern
    return pattern


def get_attr(tag: str, name: str) -> str | None:
    """The unescaped value of attribute ``name`` in a start tag's text."""
    match = _attr_re(name).search(tag)
    return unescape(match.group(1)[1:-1]) if match else None


def set_attr(tag: str, name: str, value: str) -> str:
    """A start tag's text with attribute ``name`` set (replaced in place, or added at the end)."""
    match = _attr_re(name).search(tag)
    if match:
        return f'{tag[: match.start(1)]}"{value}"{tag[match.end(1) :]}'
    end = len(tag) - (2 if tag.endswith("/>") else 1)
    return f'{tag[:end].rstrip()} {name}="{value}"{tag[end:]}'


def is_date_format(code: str) -> bool:
    """A custom format code that shows a day or a year (``m`` alone may be minutes)."""
    bare = _QUOTED_RE.sub("", code).lower()
    return "general" not in bare and ("d" in bare or "y" in bare)


def _start_tag_end(text: str, pos: int) -> int:
    return text.index(">", pos) + 1


class Styles:
    """The styles part as text, with what the writer asks of it."""

    def __init__(self, text: str) -> None:
        self.original = text
        self.text = text
        root = _ROOT_RE.search(text)
        if root is None:
            raise MalformedPart("la feuille de styles n'a pas de balise styleSheet")
        self.prefix = root.group(1) or ""
        self._root_end = root.end()
        self.num_formats: dict[int, str] = {}
        for tag in self._find_all("numFmt", self._section("numFmts")):
            fmt_id = get_attr(tag, "numFmtId")
            if fmt_id is not None and fmt_id.strip().isdigit():
                self.num_formats[int(fmt_id)] = get_attr(tag, "formatCode") or ""
        self.cell_xfs: list[str] = self._elements("xf", self._section("cellXfs"))
        self.dxf_count = len(self._elements("dxf", self._section("dxfs")))
        self._new_num_format: int | None = None
        self._date_variants: dict[int, int] = {}
        self._new_xfs: list[str] = []
        self._new_dxfs: list[str] = []

    @property
    def changed(self) -> bool:
        return bool(self._new_xfs or self._new_dxfs or self._new_num_format is not None)

    # -- reading -------------------------------------------------------------------------
    def _section(self, name: str) -> str:
        """The text of the top-level ``<name>`` element (empty when absent)."""
        span = self._span(name)
        return self.text[span[0] : span[1]] if span else ""

    def _span(self, name: str) -> tuple[int, int] | None:
        p = re.escape(self.prefix)
        match = re.compile(rf"<{p}{name}\b[^>]*?(/?)>").search(self.text, self._root_end)
        if match is None:
            return None
        if match.group(1):
            return match.start(), match.end()
        close = self.text.find(f"</{self.prefix}{name}>", match.end())
        if close < 0:
            return None
        return match.start(), close + len(f"</{self.prefix}{name}>")

    def _find_all(self, name: str, section: str) -> list[str]:
        p = re.escape(self.prefix)
        return re.findall(rf"<{p}{name}\b[^>]*>", section)

    def _elements(self, name: str, section: str) -> list[str]:
        """Whole child elements ``<name …/>`` or ``<name …>…</name>`` in a section."""
        p = re.escape(self.prefix)
        pattern = re.compile(rf"<{p}{name}\b[^>]*?(?:/>|>.*?</{p}{name}>)", re.DOTALL)
        return pattern.findall(section)

    def number_format_of(self, xf_index: int) -> tuple[int, str | None]:
        """(numFmtId, custom format code or None) of a cell style."""
        if not 0 <= xf_index < len(self.cell_xfs):
            return 0, None
        xf = self.cell_xfs[xf_index]
        raw = get_attr(xf[: xf.index(">") + 1], "numFmtId") or "0"
        fmt_id = int(raw) if raw.strip().isdigit() else 0
        return fmt_id, self.num_formats.get(fmt_id)

    def is_date_style(self, xf_index: int) -> bool:
        fmt_id, code = self.number_format_of(xf_index)
        if code is not None:
            return is_date_format(code)
        return fmt_id in _BUILTIN_DATE_IDS

    # -- appending -----------------------------------------------------------------------
    def _date_num_format(self) -> int:
        for fmt_id, code in self.num_formats.items():
            if code.lower() == DATE_FORMAT:
                return fmt_id
        if self._new_num_format is None:
            self._new_num_format = max([_FIRST_CUSTOM_NUMFMT - 1, *self.num_formats]) + 1
        return self._new_num_format

    def date_style(self, base: int) -> int:
        """A cell style showing dates: ``base`` if it already does, else ``base`` with the
        ``dd/mm/yyyy`` number format (appended once per base style)."""
        if self.is_date_style(base):
            return base
        if base in self._date_variants:
            return self._date_variants[base]
        if not self.cell_xfs:
            raise RefusedError(
                "La feuille de styles du classeur n'a aucun style de cellule : "
                "ouvrez le fichier dans Excel et enregistrez-le de nouveau."
            )
        source = self.cell_xfs[base] if 0 <= base < len(self.cell_xfs) else self.cell_xfs[0]
        head_end = source.index(">") + 1
        head = source[:head_end]
        head = set_attr(head, "numFmtId", str(self._date_num_format()))
        head = set_attr(head, "applyNumberFormat", "1")
        index = len(self.cell_xfs) + len(self._new_xfs)
        self._new_xfs.append(head + source[head_end:])
        self._date_variants[base] = index
        return index

    def add_dxf(self, xml: str) -> int:
        """Append a differential style (``<dxf>…</dxf>`` without prefix); its index."""
        if self.prefix:
            xml = re.sub(r"<(/?)(?=[A-Za-z])", rf"<\1{self.prefix}", xml)
        self._new_dxfs.append(xml)
        return self.dxf_count + len(self._new_dxfs) - 1

    def render(self) -> str:
        """The styles part with the appended entries (the original text when none)."""
        text = self.text
        if self._new_dxfs:
            text = self._append(
                text,
                "dxfs",
                "".join(self._new_dxfs),
                len(self._new_dxfs),
                after=(
                    "cellStyles",
                    "cellXfs",
                    "cellStyleXfs",
                    "borders",
                    "fills",
                    "fonts",
                    "numFmts",
                ),
            )
        if self._new_xfs:
            text = self._append(
                text,
                "cellXfs",
                "".join(self._new_xfs),
                len(self._new_xfs),
                after=("cellStyleXfs", "borders", "fills", "fonts", "numFmts"),
            )
        if self._new_num_format is not None:
            code = DATE_FORMAT
            element = (
                f'<{self.prefix}numFmt numFmtId="{self._new_num_format}" formatCode="{code}"/>'
            )
            text = self._append(text, "numFmts", element, 1, after=())
        return text

    def _append(
        self, text: str, name: str, children: str, added: int, after: tuple[str, ...]
    ) -> str:
        saved, self.text = self.text, text
        try:
            span = self._span(name)
            p = self.prefix
            if span is None:
                # Create the list where the schema puts it: after the last present predecessor.
                pos = self._root_end
                for previous in after:
                    prev_span = self._span(previous)
                    if prev_span is not None:
                        pos = prev_span[1]
                        break
                block = f'<{p}{name} count="{added}">{children}</{p}{name}>'
                return text[:pos] + block + text[pos:]
            start, end = span
            head_end = _start_tag_end(text, start)
            head = text[start:head_end]
            existing = len(self._elements(_CHILD[name], text[start:end]))
            if head.endswith("/>"):
                new_head = set_attr(head[:-2].rstrip() + ">", "count", str(existing + added))
                return text[:start] + new_head + children + f"</{p}{name}>" + text[end:]
            if get_attr(head, "count") is not None:
                head = set_attr(head, "count", str(existing + added))
            close = end - len(f"</{p}{name}>")
            return text[:start] + head + text[head_end:close] + children + text[close:]
        finally:
            self.text = saved
