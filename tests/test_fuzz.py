"""A seeded mutation fuzzer (issue 13): registers built by code, the README's example and real
workbooks of the shared corpus are damaged at random (bit flips, truncations, parts removed,
renamed or doubled, broken XML, absurd numbers, dimensions and far cells, DTDs), then
``check`` (text and JSON), ``update`` and ``summary`` run on each mutant.

Every answer must be a clean one: exit 0, 1 or 2, no traceback, no « erreur inattendue », JSON
that parses, and the file unchanged unless ``update`` said it wrote it. Each mutant runs in a
child process with a memory limit (``RLIMIT_AS``, where ``resource`` exists) and a generous
timeout that only catches hangs and crashes: a Rust abort kills the child and fails the test.

``SUIVI_FUZZ_CASES`` sets the number of mutants (default 60, under a minute on two cores);
``SUIVI_FUZZ_SEED`` the seed.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from .workbooks import entry, make_register

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO.parent / "shared" / "corpus"
CASES = int(os.environ.get("SUIVI_FUZZ_CASES", "60"))
SEED = int(os.environ.get("SUIVI_FUZZ_SEED", "20261203"))
MEMORY_LIMIT = 3_000_000_000  # bytes of address space per child: far above a real run
TIMEOUT_S = 120  # per mutant (four commands): only a hang gets near it

# Runs in the child: every command in process (click's CliRunner), one JSON line per run.
CHILD = r"""
import json, sys
limit = int(sys.argv[2])
try:
    import resource
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
except (ImportError, ValueError, OSError):
    pass
from click.testing import CliRunner
from suivi_xlsx.cli import group
for args in json.loads(sys.argv[1]):
    result = CliRunner().invoke(group, args)
    exception = result.exception
    if isinstance(exception, SystemExit):
        exception = None
    print(json.dumps({
        "args": args,
        "code": result.exit_code,
        "stdout": result.stdout,
        "stderr": result.stderr,
        "exception": None if exception is None else repr(exception),
    }), flush=True)
"""

Mutator = Callable[[random.Random, bytes], bytes]


# --- mutations ------------------------------------------------------------------------------


def _members(data: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return [(info, package.read(info)) for info in package.infolist()]


def _pack(members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for info, content in members:
            package.writestr(info, content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _xml_parts(members: list[tuple[zipfile.ZipInfo, bytes]]) -> list[int]:
    return [i for i, (info, _) in enumerate(members) if info.filename.endswith((".xml", ".rels"))]


def _sheets(members: list[tuple[zipfile.ZipInfo, bytes]]) -> list[int]:
    found = [i for i, (info, _) in enumerate(members) if "worksheets/sheet" in info.filename]
    return found or _xml_parts(members)


def _text_parts(members: list[tuple[zipfile.ZipInfo, bytes]]) -> list[int]:
    return [i for i, (_, content) in enumerate(members) if b"<t>" in content] or [0]


def _edit_part(
    pick: Callable[[list[tuple[zipfile.ZipInfo, bytes]]], list[int]],
    change: Callable[[random.Random, bytes], bytes],
) -> Mutator:
    def mutate(rng: random.Random, data: bytes) -> bytes:
        members = _members(data)
        i = rng.choice(pick(members))
        info, content = members[i]
        members[i] = (info, change(rng, content))
        return _pack(list(members))

    return mutate


def flip_bits(rng: random.Random, data: bytes) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        out[rng.randrange(len(out))] ^= 1 << rng.randrange(8)
    return bytes(out)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) // 4, len(data))]


def remove_part(rng: random.Random, data: bytes) -> bytes:
    members = _members(data)
    del members[rng.randrange(len(members))]
    return _pack(list(members))


def rename_part(rng: random.Random, data: bytes) -> bytes:
    members: list[tuple[zipfile.ZipInfo | str, bytes]] = list(_members(data))
    i = rng.randrange(len(members))
    info, content = members[i]
    name = info.filename if isinstance(info, zipfile.ZipInfo) else info
    members[i] = (name.replace("/", "/x", 1) if rng.random() < 0.5 else name.upper(), content)
    return _pack(members)


def double_part(rng: random.Random, data: bytes) -> bytes:
    members: list[tuple[zipfile.ZipInfo | str, bytes]] = list(_members(data))
    info, content = members[rng.randrange(len(members))]
    members.append((info.filename if isinstance(info, zipfile.ZipInfo) else info, content[::-1]))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate name: wanted
        return _pack(members)


def _break_xml(rng: random.Random, content: bytes) -> bytes:
    if not content:
        return content
    at = rng.randrange(len(content))
    kind = rng.randrange(3)
    if kind == 0:
        return content[:at] + content[at + rng.randint(1, 40) :]  # a cut
    if kind == 1:
        return content[:at] + rng.choice([b"<", b">", b"&", b'"', b"\x00", b"\xff"]) + content[at:]
    return content[:at] + b"</unexpected>" + content[at:]


def _absurd_values(rng: random.Random, content: bytes) -> bytes:
    absurd = rng.choice([b"-1", b"-1e12", b"1e308", b"-0.5", b"2958466", b"NaN", b"1e12"])
    values = list(re.finditer(rb"<v>[^<]*</v>", content))
    if not values:
        return content
    for match in rng.sample(values, min(len(values), rng.randint(1, 5))):
        content = content.replace(match.group(0), b"<v>" + absurd + b"</v>", 1)
    return content


def _absurd_dimension(rng: random.Random, content: bytes) -> bytes:
    ref = rng.choice([b"A1:XFD1048576", b"A1:ZZZ9999999", b"A:B", b"", b"A1:A0"])
    return re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="' + ref + b'"', content, count=1)


def _far_cell(rng: random.Random, content: bytes) -> bytes:
    ref = rng.choice([b"XFD1048576", b"XFD2", b"A1048576", b"ZZ500000"])
    row = re.sub(rb"[A-Z]", b"", ref)
    cell = b'<row r="' + row + b'"><c r="' + ref + b'"><v>1</v></c></row>'
    return content.replace(b"</sheetData>", cell + b"</sheetData>", 1)


def _dtd(rng: random.Random, content: bytes) -> bytes:
    dtd = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
    if content.startswith(b"<?xml"):
        end = content.find(b"?>") + 2
        return content[:end] + dtd + content[end:]
    return dtd + content


def _hostile_text(rng: random.Random, content: bytes) -> bytes:
    text = rng.choice([b"_x001B_[2J_x0007_", b"\xe2\x80\xae", b"=HYPERLINK(1)", b"_x0000_"])
    return re.sub(rb"<t>", b"<t>" + text, content, count=rng.randint(1, 20))


MUTATORS: list[tuple[str, Mutator]] = [
    ("bits", flip_bits),
    ("tronqué", truncate),
    ("partie retirée", remove_part),
    ("partie renommée", rename_part),
    ("partie en double", double_part),
    ("XML cassé", _edit_part(_xml_parts, _break_xml)),
    ("valeurs absurdes", _edit_part(_sheets, _absurd_values)),
    ("dimension absurde", _edit_part(_sheets, _absurd_dimension)),
    ("cellule lointaine", _edit_part(_sheets, _far_cell)),
    ("DTD", _edit_part(_xml_parts, _dtd)),
    ("texte hostile", _edit_part(_text_parts, _hostile_text)),
]


# --- seeds ----------------------------------------------------------------------------------


def _seeds(folder: Path) -> list[Path]:
    import datetime as dt

    rows = [entry(dt.date(2025, 1, 2) + dt.timedelta(days=3 * i)) for i in range(30)]
    seeds = [make_register(folder / "construit.xlsx", rows)]
    example = REPO / "examples" / "registre-exemple.xlsx"
    if example.is_file():
        seeds.append(example)
    for name in (
        "libreoffice-registre-multi-annees.xlsx",
        "libreoffice-registre-logo-graphique.xlsx",
    ):
        if (CORPUS / name).is_file():
            seeds.append(CORPUS / name)
    return seeds


def _commands(target: Path, out: Path) -> list[list[str]]:
    today = ["--today", "2026-11-25"]
    return [
        ["check", str(target), *today],
        ["check", str(target), *today, "--format", "json"],
        ["summary", str(target), *today, "--year", "2025", "-o", str(out), "--force"],
        ["update", str(target), *today, "--agence", "1601", "--no-backup"],
    ]


def _run_child(commands: list[list[str]]) -> tuple[int, list[dict[str, object]], str]:
    limit = MEMORY_LIMIT if sys.platform.startswith("linux") else 0
    env = {**os.environ, "RUST_BACKTRACE": "0"}
    env.pop("SUIVI_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(commands), str(limit)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=TIMEOUT_S,
        env=env,
        cwd=REPO,
    )
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    return done.returncode, lines, done.stderr


def test_mutated_workbooks_always_get_a_clean_answer(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    seeds = _seeds(tmp_path)
    problems: list[str] = []
    ran = 0
    for case in range(CASES):
        seed = seeds[case % len(seeds)]
        label, mutate = (
            MUTATORS[case % len(MUTATORS)] if case < len(MUTATORS) * 2 else rng.choice(MUTATORS)
        )
        try:
            data = mutate(rng, seed.read_bytes())
        except (zipfile.BadZipFile, ValueError, IndexError):
            continue  # a seed this mutation cannot apply to
        ran += 1
        target = tmp_path / f"mutant-{case:03d}.xlsx"
        target.write_bytes(data)
        where = f"cas {case} ({label}, {seed.name}, graine {SEED})"
        code, results, stderr = _run_child(_commands(target, tmp_path / f"bilan-{case}.xlsx"))
        if code != 0 or len(results) != 4:
            problems.append(f"{where} : processus fils arrêté (code {code}) : {stderr[-500:]}")
            continue
        for result in results:
            command = " ".join(str(a) for a in result["args"][:1])  # type: ignore[index]
            err, out = str(result["stderr"]), str(result["stdout"])
            if result["code"] not in (0, 1, 2):
                problems.append(f"{where} {command} : code {result['code']}")
            if result["exception"] is not None or "Traceback" in err:
                problems.append(f"{where} {command} : exception {result['exception']}")
            if "erreur inattendue" in err:
                problems.append(f"{where} {command} : {err.strip()[:600]}")
            if "--format" in result["args"] and out.strip():  # type: ignore[operator]
                try:
                    json.loads(out)
                except ValueError:
                    problems.append(f"{where} {command} : JSON invalide {out[:200]!r}")
        update_code = results[3]["code"]
        if update_code != 0 and target.read_bytes() != data:
            problems.append(f"{where} update : fichier modifié malgré le code {update_code}")
        leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith("~suivi-")]
        if leftovers:
            problems.append(f"{where} : fichiers temporaires laissés {leftovers}")
        target.unlink()
    assert problems == []
    assert ran >= CASES * 3 // 4  # the mutations applied: the commands really ran


def test_the_mutators_do_mutate(tmp_path: Path) -> None:
    seed = _seeds(tmp_path)[0].read_bytes()
    rng = random.Random(1)
    for label, mutate in MUTATORS:
        assert mutate(rng, seed) != seed, label


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS is Linux's")
def test_the_memory_limit_applies_to_the_child(monkeypatch: pytest.MonkeyPatch) -> None:
    """The harness itself: a child over its limit either dies without answering or answers with
    the MemoryError it caught (which interpreter pages are already mapped decides which); the fuzz
    test counts both as a problem, never as a pass."""
    assert _run_child([["--version"]])[:2] == (0, [_version_result()])
    monkeypatch.setattr(sys.modules[__name__], "MEMORY_LIMIT", 20_000_000)
    code, results, _ = _run_child([["--version"]])
    died = code != 0 and results == []
    assert died or any(result["exception"] is not None for result in results)


def _version_result() -> dict[str, object]:
    from click.testing import CliRunner

    from suivi_xlsx.cli import group

    result = CliRunner().invoke(group, ["--version"])
    return {
        "args": ["--version"],
        "code": result.exit_code,
        "stdout": result.stdout,
        "stderr": result.stderr,
        "exception": None,
    }
