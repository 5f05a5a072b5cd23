"""The package's rooms and which may import which: the layout is the architecture.

Every import of every module is read (module level, inside functions, under TYPE_CHECKING), so
a lazy import cannot hide a forbidden dependency.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "suivi_xlsx"

# room → the rooms it may import (besides itself). "api" is ``suivi_xlsx/__init__.py``.
ALLOWED: dict[str, set[str]] = {
    "domain": {"errors", "runtime"},
    "runtime": set(),
    "errors": set(),
    "xlsx": {"domain", "errors", "runtime", "formats"},
    "ods": {"domain", "errors", "runtime", "formats", "xlsx"},
    "formats": set(),
    "reading": {"domain", "errors", "runtime", "formats", "xlsx", "ods"},
    "writeback": {"domain", "errors", "runtime", "formats", "reading", "xlsx", "ods"},
    "outputs": {"domain", "errors", "runtime", "ods"},  # ods.build writes new .ods files
    "cli": {"api"},
    "launch": {"cli", "reading", "runtime"},
    "api": {
        "domain",
        "errors",
        "runtime",
        "formats",
        "xlsx",
        "ods",
        "reading",
        "outputs",
        "writeback",
    },
}

# The pure rooms never touch files, processes or the libraries that write them.
FILE_MODULES = {"os", "io", "zipfile", "tempfile", "shutil", "subprocess", "socket"}
WRITERS = {"click", "xlsxwriter", "openpyxl", "python_calamine", "pandas", "docx", "docxtpl"}
PURE = {"domain": FILE_MODULES | WRITERS | {"icalendar"}}
# The CLI is a thin click layer: the public API, click and the standard library.
THIRD_PARTY_FOR = {"cli": {"click"}}
THIRD_PARTY = WRITERS | {"icalendar", "holidays", "jinja2", "msoffcrypto", "rich"}


def _room(module: str) -> str:
    parts = module.split(".")
    if parts == ["suivi_xlsx"]:
        return "api"
    return parts[1]


def _modules() -> list[tuple[str, Path]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        found.append((".".join(parts), path))
    return found


def _imports(path: Path, module: str) -> list[tuple[int, str]]:
    """(line, imported module) for every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            out.append((node.lineno, target))
    return out


def _violations() -> list[str]:
    problems = []
    for module, path in _modules():
        room = _room(module)
        where = path.relative_to(PACKAGE.parent)
        for line, target in _imports(path, module):
            top = target.split(".")[0]
            if top == "suivi_xlsx":
                other = _room(target)
                if other != room and other not in ALLOWED[room]:
                    problems.append(f"{where}:{line}: {room} imports {target}")
            elif top in PURE.get(room, set()):
                problems.append(f"{where}:{line}: {room} is pure but imports {target}")
            elif room in THIRD_PARTY_FOR and top in THIRD_PARTY - THIRD_PARTY_FOR[room]:
                problems.append(f"{where}:{line}: {room} imports {target} (not the public API)")
    return problems


def test_every_room_imports_only_what_it_may() -> None:
    assert _violations() == []


def test_every_module_belongs_to_a_known_room() -> None:
    rooms = {_room(module) for module, _ in _modules()}
    assert rooms <= set(ALLOWED), rooms - set(ALLOWED)


@pytest.mark.parametrize(
    ("room", "source", "forbidden"),
    [
        ("domain", "from suivi_xlsx.reading.reader import load_register\n", True),
        ("domain", "import zipfile\n", True),
        ("domain", "def f():\n    from ...outputs import files\n", True),
        ("domain", "from suivi_xlsx.domain.model import Entry\n", False),
        ("cli", "from suivi_xlsx.reading.reader import load_register\n", True),
        ("cli", "from suivi_xlsx import load_register\n", False),
        ("cli", "import xlsxwriter\n", True),
        ("outputs", "from suivi_xlsx.cli import group\n", True),
    ],
)
def test_the_check_catches_a_forbidden_import(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, room: str, source: str, forbidden: bool
) -> None:
    """The layering check itself fails on a forbidden import (a module planted in a copy)."""
    fake = tmp_path / "suivi_xlsx"
    (fake / room / "sub").mkdir(parents=True)
    (fake / "__init__.py").write_text("", encoding="utf-8")
    (fake / room / "__init__.py").write_text("", encoding="utf-8")
    (fake / room / "sub" / "__init__.py").write_text("", encoding="utf-8")
    (fake / room / "sub" / "planted.py").write_text(source, encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PACKAGE", fake)
    assert bool(_violations()) is forbidden
