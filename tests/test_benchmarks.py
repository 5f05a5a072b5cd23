"""The benchmark script runs on a tiny size, and its pieces judge and verify what they should.

No timing is asserted: the numbers depend on the machine.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def _load(name: str) -> ModuleType:
    # benchmarks/ is a folder of scripts, not a package: load each by path.
    if str(BENCH) not in sys.path:
        sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


run = _load("run")
generate = run.generate  # the very module run.py uses
baselines = _load("baselines")


def _table_rows(stdout: str) -> list[tuple[str, str]]:
    """(job, rows) of each line of the text table."""
    lines = stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("tâche "))
    out = []
    for line in lines[start + 2 :]:
        if not line.strip():
            break
        job, rows = re.split(r"\s{2,}", line.strip())[:2]  # columns are 2+ spaces apart
        out.append((job, rows))
    return out


def test_quick_run_prints_every_row_of_the_table(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    assert _table_rows(result.stdout) == [
        ("suivi-check", "100"),
        ("suivi-check", "1 000"),
        ("suivi update", "100"),
        ("suivi update", "1 000"),
        ("suivi update (sans numéros)", "1 000"),
        ("suivi summary", "1 000"),
        ("suivi relances", "1 000"),
        ("suivi-check (.ods)", "100"),
        ("suivi-check (.ods)", "1 000"),
        ("suivi update (.ods)", "100"),
        ("suivi update (.ods)", "1 000"),
        ("suivi --help", "–"),
        ("suivi-check (20 lignes)", "–"),
    ]
    assert "Traceback" not in result.stderr


def test_markdown_table_is_dated_and_describes_the_machine(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--quick",
            "--jobs",
            "startup",
            "--markdown",
            "--out",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    header, _, table = result.stdout.partition("\n\n")
    assert header.startswith("Mesuré le ")
    assert f"Python {sys.version_info.major}.{sys.version_info.minor}" in header
    rows = [line.split(" | ")[0] for line in table.splitlines() if line.startswith("| `")]
    assert rows == ["| `suivi --help`", "| `suivi-check (20 lignes)`"]
    # start-up is measured against click's own import, the floor of any click program
    lines = [line for line in table.splitlines() if line.startswith("| `")]
    assert all(line.endswith("| `python -c 'import click'` |") for line in lines)
    assert all("≤ 1,60 × réf." in line for line in lines)


def test_bad_sizes_are_refused_in_french(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--sizes", "dix", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    assert (result.returncode, "--sizes attend des nombres" in result.stderr) == (2, True)


def test_targets_of_other_sizes_are_those_of_the_nearest_issue_size() -> None:
    assert [run.nominal(n) for n in (100, 10_000, 31_000, 32_000, 100_000, 500_000)] == [
        10_000,
        10_000,
        10_000,
        100_000,
        100_000,
        100_000,
    ]


def _case(target: object, job: list[tuple[float, int]], base: list[float]) -> Any:
    case = run.Case("suivi-check", 10_000, ["j"], ["b"], "réf", target)
    case.jobs = [run.Measure(s, int(m * 1e6), 0, "") for s, m in job]
    case.baselines = [run.Measure(s, 50_000_000, 0, "") for s in base]
    return case


@pytest.mark.parametrize(
    ("target", "job", "base", "verdict"),
    [
        (run.Target(ratio=0.25), [(0.2, 50)] * 3, [1.0] * 3, "OK"),
        (run.Target(ratio=0.25), [(0.3, 50)] * 3, [1.0] * 3, "ÉCHEC (rapport)"),
        (run.Target(ratio=0.3, memory_mb=300), [(0.2, 301)], [1.0], "ÉCHEC (mémoire)"),
        (run.Target(ratio=0.3, memory_mb=300), [(0.2, 299)], [1.0], "OK"),
        (run.Target(seconds=3), [(2.9, 50)], [9.0], "OK"),
        (run.Target(seconds=3), [(3.1, 50)], [9.0], "ÉCHEC (durée)"),
        (run.Target(plus=0.12), [(0.13, 20)], [0.02], "OK"),
        (run.Target(plus=0.12), [(0.15, 20)], [0.02], "ÉCHEC (démarrage)"),
        # the median decides, not one slow run
        (run.Target(ratio=0.25), [(0.2, 50), (0.9, 50), (0.2, 50)], [1.0] * 3, "OK"),
    ],
)
def test_verdict_follows_the_target(
    target: object, job: list[tuple[float, int]], base: list[float], verdict: str
) -> None:
    assert run.summarise(_case(target, job, base)).verdict == verdict


def test_a_failed_job_is_an_error_with_the_baseline_still_shown() -> None:
    case = _case(run.Target(ratio=0.25), [], [0.5, 0.7, 0.6])
    case.error = "`suivi-check` a échoué (code 2)"
    line = run.summarise(case)
    assert (line.verdict, line.job_s, line.base_s) == ("ERREUR", "–", "0,60")


def test_an_uncaught_exception_is_a_failure_even_with_an_accepted_exit_status() -> None:
    ok = frozenset({0, 1})
    assert [
        run.failed(run.Measure(0.1, None, 1, ""), ok),
        run.failed(run.Measure(0.1, None, 2, ""), ok),
        run.failed(run.Measure(0.1, None, 1, "Traceback (most recent call last):\n"), ok),
    ] == [False, True, True]


def test_measure_reports_status_and_the_child_s_own_peak_memory(tmp_path: Path) -> None:
    grow = "b = bytearray(80_000_000); b[::4096] = b'x' * len(b[::4096])"
    big = run.measure([sys.executable, "-c", grow], tmp_path)
    small = run.measure([sys.executable, "-c", "import sys; sys.exit(3)"], tmp_path)
    assert (big.returncode, small.returncode) == (0, 3)
    if big.peak_bytes is not None and small.peak_bytes is not None:  # n/d on Windows
        assert big.peak_bytes > 80_000_000 > small.peak_bytes


@pytest.mark.skipif(run.GNU_TIME is None, reason="GNU time absent: wait4 alone is used")
def test_measure_does_not_count_the_memory_of_the_benchmark_itself(tmp_path: Path) -> None:
    ballast = bytearray(150_000_000)
    ballast[::4096] = b"x" * len(ballast[::4096])  # touch every page: resident
    result = run.measure([sys.executable, "-c", "pass"], tmp_path)
    assert result.peak_bytes is not None and result.peak_bytes < 100_000_000
    del ballast


def test_generated_register_and_the_numbers_update_should_write(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    path = tmp_path / "registre.xlsx"
    info = generate.generate(path, 400)
    assert (info.sheets, len(info.missing), info.rows) == ({"2025": 200, "2026": 200}, 20, 400)
    assert generate.Generated.load(path.with_suffix(".json")) == info
    assert [m[2] for m in info.missing if m[0] == "2025"][:2] == ["25.1601.201", "25.1601.202"]
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("2026").to_python()
    assert rows[2][: generate.ORIGIN + 1] == list(generate.HEADERS[: generate.ORIGIN + 1])
    assert len(rows) == 3 + 200
    # Before the update the cells are empty; after the openpyxl baseline they hold the numbers.
    check = run.verify_numbers(path, info)
    assert check(tmp_path / "unused.out") == "20 des 20 numéros attendus ne sont pas écrits"
    copy = tmp_path / "copie.xlsx"
    shutil.copyfile(path, copy)
    assert baselines.openpyxl_update(copy, path.with_suffix(".json")) == 20
    assert run.verify_numbers(copy, info)(tmp_path / "unused.out") == ""


def test_generation_is_reproducible_and_cached(tmp_path: Path) -> None:
    first = generate.ensure(tmp_path / "a.xlsx", 60)
    again = generate.ensure(tmp_path / "a.xlsx", 60)
    other = generate.generate(tmp_path / "b.xlsx", 60)
    assert (first.missing, first.late, first.fingerprint) == (
        other.missing,
        other.late,
        again.fingerprint,
    )
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_check_output_is_verified_against_the_number_of_entries(tmp_path: Path) -> None:
    out = tmp_path / "unused.out"
    verify = run.verify_entries(20)
    results = []
    for text in ('{"entries": 20}', '{"entries": 19}', "pas du JSON"):
        out.write_text(text, encoding="utf-8")
        results.append(verify(out))
    assert results == ["", "19 fiches lues sur 20", "la sortie JSON est illisible"]
