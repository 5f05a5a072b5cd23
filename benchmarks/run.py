"""Benchmark of suivi_xlsx against the baselines of issue 5: ``python benchmarks/run.py``.

Generates registers (``generate.py``), then for each row of the table runs the job and its
baseline alternately (job, baseline, job, baseline…), each as a whole process started the way a
user starts it (the ``suivi`` / ``suivi-check`` console scripts next to this Python), and prints
medians, their ratio, the peak memory of each process and whether the target holds.

Peak memory is the child's own maximum resident set size, from ``os.wait4`` (Linux, macOS); on
Windows it is not measured (« n/d »). ``suivi update`` runs with ``--no-backup`` on a fresh copy
of the generated file at each repetition; the copy is made before the process starts and is not
timed. It is a report: the exit status is 0 even when a target is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402  (a sibling script, not a package)

TODAY = generate.TODAY.isoformat()
DEFAULT_SIZES = (10_000, 100_000)
QUICK_SIZES = (100, 1_000)
SMALL_ROWS = 20  # the start-up row: suivi-check on a 20-row register


@dataclass(frozen=True)
class Target:
    """What a row must achieve; every field set must hold."""

    ratio: float | None = None  # job median ≤ ratio × baseline median
    plus: float | None = None  # job median ≤ baseline median + plus seconds
    seconds: float | None = None  # job median ≤ seconds
    memory_mb: float | None = None  # job peak RSS ≤ memory_mb (10⁶ bytes)

    @property
    def informative(self) -> bool:
        """No target: a row shown for comparison only (e.g. what importing click costs)."""
        return self.ratio is None and self.plus is None and self.seconds is None

    def describe(self) -> str:
        if self.informative and self.memory_mb is None:
            return "(pour comparaison)"
        parts = []
        if self.ratio is not None:
            parts.append(f"≤ {fr(self.ratio, 2)} × réf.")
        if self.plus is not None:
            parts.append(f"≤ réf. + {fr(self.plus, 2)} s")
        if self.seconds is not None:
            parts.append(f"≤ {fr(self.seconds, 0)} s")
        if self.memory_mb is not None:
            parts.append(f"mémoire ≤ {self.memory_mb:.0f} Mo")
        return ", ".join(parts)


@dataclass
class Measure:
    seconds: float
    peak_bytes: int | None
    returncode: int
    stderr: str


@dataclass
class Case:
    """One row of the table: a job, its baseline and its target."""

    job_label: str
    rows: int | None
    job: list[str]
    baseline: list[str]
    baseline_label: str
    target: Target
    ok_codes: frozenset[int] = frozenset({0})
    baseline_ok_codes: frozenset[int] = frozenset({0})
    before_job: Callable[[], None] | None = None
    before_baseline: Callable[[], None] | None = None
    # A sanity check of the job's last result, given its stdout file: "" when right. Run once
    # every measurement is done, so that this process stays small while children run.
    verify: Callable[[Path], str] | None = None
    repeat: int | None = None  # runs of this row, when not --repeat (the large sheets: 1)
    jobs: list[Measure] = field(default_factory=list)
    baselines: list[Measure] = field(default_factory=list)
    error: str | None = None
    note: str | None = None


# ---------------------------------------------------------------------------------------------
# Formatting (French: decimal comma, space as thousands separator)


def fr(value: float, digits: int) -> str:
    text = f"{value:.{digits}f}"
    return text.replace(".", ",")


def fr_int(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def mb(peak: int | None) -> str:
    return "n/d" if peak is None else f"{peak / 1e6:.0f} Mo"


# ---------------------------------------------------------------------------------------------
# Running a process and measuring it


def gnu_time() -> str | None:
    """GNU time, when present: it reports the peak RSS of the command alone (``%M``)."""
    path = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").is_file() else None)
    if path is None or sys.platform == "win32":
        return None
    try:
        probe = subprocess.run(
            [path, "-f", "%M", "true"], capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    lines = probe.stderr.strip().splitlines()
    return path if probe.returncode == 0 and lines and lines[-1].isdigit() else None


GNU_TIME = gnu_time()


def measure(argv: Sequence[str], log_dir: Path, stem: str = "run") -> Measure:
    """Run ``argv`` to completion: wall time from start to exit, and its own peak RSS.

    The peak comes from GNU time when present, else from ``os.wait4``. Not from
    ``getrusage(RUSAGE_CHILDREN)``, which keeps the maximum over all children; and ``wait4``
    alone counts the memory the child had before ``exec``, i.e. this script's own (Linux keeps
    the pre-exec high-water mark), which GNU time's tiny process makes negligible.
    """
    stdout_path, stderr_path = log_dir / f"{stem}.out", log_dir / f"{stem}.err"
    peak_path = log_dir / f"{stem}.peak"
    command = list(argv)
    if GNU_TIME is not None:
        command = [GNU_TIME, "-f", "%M", "-o", str(peak_path), *command]
    peak: int | None = None
    with stdout_path.open("wb") as out, stderr_path.open("wb") as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        if hasattr(os, "wait4"):
            _, status, usage = os.wait4(process.pid, 0)
            seconds = time.perf_counter() - start
            process.returncode = code = os.waitstatus_to_exitcode(status)
            # Linux reports kibibytes, macOS bytes.
            peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
        else:  # Windows: no per-process peak without psutil
            code = process.wait()
            seconds = time.perf_counter() - start
    if GNU_TIME is not None:
        # "Command exited with non-zero status N" may come first; the figure is last (KiB).
        lines = peak_path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
        peak = int(lines[-1]) * 1024 if lines and lines[-1].isdigit() else None
    stderr = stderr_path.read_text(encoding="utf-8", errors="replace")
    return Measure(seconds, peak, code, stderr)


def console_script(name: str) -> list[str]:
    """The installed console script next to this Python, as a user runs it."""
    folder = Path(sys.executable).parent
    for candidate in (folder / name, folder / f"{name}.exe"):
        if candidate.is_file():
            return [str(candidate)]
    found = shutil.which(name)
    if found:
        return [found]
    entry = "main" if name == "suivi" else "check_main"
    return [sys.executable, "-c", f"from suivi_xlsx.cli import {entry}; {entry}()"]


# ---------------------------------------------------------------------------------------------
# The table of issue 5


def nominal(rows: int) -> int:
    """The issue's size whose target applies: 10,000 up to ~31,600 rows, else 100,000."""
    return 10_000 if rows * rows <= 10_000 * 100_000 else 100_000


CHECK_TARGETS = {10_000: Target(ratio=0.25), 100_000: Target(ratio=0.3, memory_mb=300)}
UPDATE_TARGETS = {10_000: Target(ratio=0.2), 100_000: Target(ratio=0.15, memory_mb=400)}
# The brief's targets are ratios measured side by side: machines here differ by 2× from day to
# day, so absolute seconds are never a target.
SUMMARY_TARGET = Target(ratio=0.35)
RELANCES_TARGET = Target(ratio=1.3)
STARTUP_TARGET = Target(ratio=1.6)  # × ``python -c "import click"``, click's own floor

FILL_LABEL = "suivi update (sans numéros)"
# Rows measured unless --jobs says otherwise: every row of the table.
DEFAULT_JOBS = "check,update,fill,summary,relances,startup,ods"
ALL_JOBS = frozenset({"check", "update", "fill", "summary", "relances", "startup", "ods", "large"})
# The largest sheets Excel holds (issue 21): peak memory of check and update under 2 GiB.
# Minutes per run: measured once, with ``--jobs large``.
LARGE_TARGET = Target(memory_mb=2 * 1024**3 / 1e6)
NO_BACKUP = ("--no-backup",)
BASELINE_LARGE = "python-calamine, lecture seule du même classeur, toutes les valeurs"
BASELINE_READ = "openpyxl `load_workbook(read_only=True)`, toutes les valeurs"
BASELINE_UPDATE = "openpyxl : chargement, mêmes cellules, enregistrement"
BASELINE_PANDAS = "pandas `read_excel` (moteur openpyxl), toutes les feuilles"
BASELINE_CLICK = "`python -c 'import click'`"
BASELINE_CHECK = "`suivi-check` sur le même registre"
BASELINE_CALAMINE = "python-calamine, lecture seule du même .ods, toutes les valeurs"
BASELINE_ODFPY = "odfpy : chargement et enregistrement du même .ods"
ODS_CHECK_TARGETS = {10_000: Target(ratio=1.5), 100_000: Target(ratio=1.5, memory_mb=300)}
ODS_UPDATE_TARGETS = {10_000: Target(ratio=0.2), 100_000: Target(ratio=0.2, memory_mb=300)}


def copier(source: Path, target: Path) -> Callable[[], None]:
    def copy() -> None:
        shutil.copyfile(source, target)

    return copy


def verify_entries(rows: int) -> Callable[[Path], str]:
    """Did the (last) check read every entry (JSON ``entries``)?"""

    def check(stdout: Path) -> str:
        try:
            entries = json.loads(stdout.read_text(encoding="utf-8")).get("entries")
        except (ValueError, AttributeError):
            return "la sortie JSON est illisible"
        return "" if entries == rows else f"{entries} fiches lues sur {rows}"

    return check


def verify_numbers(path: Path, info: generate.Generated) -> Callable[[Path], str]:
    """After the (last) update: are the expected order numbers in their cells?"""

    def check(stdout: Path) -> str:
        from python_calamine import CalamineWorkbook

        workbook = CalamineWorkbook.from_path(str(path))
        sheets = {name: workbook.get_sheet_by_name(name).to_python() for name in info.sheets}
        wrong = 0
        for sheet, cell, expected in info.missing:
            letters = cell.rstrip("0123456789")
            row = int(cell[len(letters) :]) - 1
            col = generate.NUMBER
            values = sheets[sheet]
            found = values[row][col] if row < len(values) and col < len(values[row]) else None
            wrong += found != expected
        if wrong:
            return f"{wrong} des {len(info.missing)} numéros attendus ne sont pas écrits"
        return ""

    return check


def build_cases(
    sizes: Sequence[int], jobs: set[str], out: Path, seed: int, constant_memory: bool
) -> list[Case]:
    python = sys.executable
    baselines = [python, str(HERE / "baselines.py")]
    suivi, suivi_check = console_script("suivi"), console_script("suivi-check")
    registers: dict[tuple[int, bool], tuple[Path, generate.Generated]] = {}

    def register(rows: int, legacy: bool = False) -> tuple[Path, generate.Generated]:
        if (rows, legacy) not in registers:
            name = f"registre-sans-numeros-{rows}.xlsx" if legacy else f"registre-{rows}.xlsx"
            path = out / name
            print(
                f"Registre {path.name} ({fr_int(rows)} fiches) : généré si besoin…", file=sys.stderr
            )
            # In a child process, so that this one stays small (see measure()).
            command = [python, str(HERE / "generate.py"), str(path), "--lignes", str(rows)]
            command += ["--graine", str(seed), "--si-besoin"]
            command += ["--constant-memory"] if constant_memory else []
            command += ["--sans-numeros"] if legacy else []
            made = subprocess.run(command, capture_output=True, text=True, check=False)
            if made.returncode != 0:
                sys.exit(f"La génération de {path.name} a échoué :\n{made.stderr}")
            info = generate.Generated.load(path.with_suffix(".json"))
            registers[(rows, legacy)] = (path, info)
        return registers[(rows, legacy)]

    cases: list[Case] = []
    if "check" in jobs:
        for rows in sizes:
            path, _ = register(rows)
            cases.append(
                Case(
                    "suivi-check",
                    rows,
                    [*suivi_check, str(path), "--today", TODAY, "--format", "json"],
                    [*baselines, "openpyxl-read", str(path)],
                    BASELINE_READ,
                    CHECK_TARGETS[nominal(rows)],
                    ok_codes=frozenset({0, 1}),
                    verify=verify_entries(rows),
                )
            )

    def update_case(label: str, rows: int, legacy: bool) -> Case:
        """``suivi update`` against openpyxl setting the same cells, each on a fresh copy."""
        path, info = register(rows, legacy=legacy)
        stem = "sans-numeros-" if legacy else ""
        job_copy = out / f"maj-suivi-{stem}{rows}.xlsx"
        base_copy = out / f"maj-openpyxl-{stem}{rows}.xlsx"
        return Case(
            label,
            rows,
            [
                *suivi,
                "update",
                str(job_copy),
                "--today",
                TODAY,
                "--agence",
                generate.AGENCY,
                "--no-backup",
            ],
            [*baselines, "openpyxl-update", str(base_copy), str(path.with_suffix(".json"))],
            BASELINE_UPDATE,
            UPDATE_TARGETS[nominal(rows)],
            before_job=copier(path, job_copy),
            before_baseline=copier(path, base_copy),
            verify=verify_numbers(job_copy, info),
        )

    if "update" in jobs:
        cases.extend(update_case("suivi update", rows, legacy=False) for rows in sizes)
    if "fill" in jobs:
        # A register that never had numbers nor years (a new user's first run): every row
        # gets both. The cost per filled cell must stay constant (issue 13).
        cases.append(update_case(FILL_LABEL, max(sizes), legacy=True))
    if "summary" in jobs:
        rows = max(sizes)
        path, _ = register(rows)
        cases.append(
            Case(
                "suivi summary",
                rows,
                [
                    *suivi,
                    "summary",
                    str(path),
                    "--year",
                    "2025",
                    "-o",
                    str(out / f"bilan-{rows}.xlsx"),
                    "--force",
                    "--today",
                    TODAY,
                ],
                [*baselines, "pandas-read", str(path)],
                BASELINE_PANDAS,
                SUMMARY_TARGET,
            )
        )
    if "relances" in jobs:
        rows = max(sizes)
        path, _ = register(rows)
        cases.append(
            Case(
                "suivi relances",
                rows,
                [*suivi, "relances", str(path), "--today", TODAY],
                [*suivi_check, str(path), "--today", TODAY, "--format", "json"],
                BASELINE_CHECK,
                RELANCES_TARGET,
                baseline_ok_codes=frozenset({0, 1}),  # suivi-check: 1 = late entries found
            )
        )
    if "ods" in jobs:
        for rows in sizes:
            path, info = register(rows)
            ods = path.with_suffix(".ods")
            if not ods.exists() or ods.stat().st_mtime < path.stat().st_mtime:
                # The same register as an .ods, written without LibreOffice (not timed).
                command = [*baselines, "to-ods", str(path), str(ods)]
                subprocess.run(command, check=True, capture_output=True)
            cases.append(
                Case(
                    "suivi-check (.ods)",
                    rows,
                    [*suivi_check, str(ods), "--today", TODAY, "--format", "json"],
                    [*baselines, "calamine-read", str(ods)],
                    BASELINE_CALAMINE,
                    ODS_CHECK_TARGETS[nominal(rows)],
                    ok_codes=frozenset({0, 1}),
                    verify=verify_entries(rows),
                )
            )
        for rows in sizes:
            path, info = register(rows)
            ods = path.with_suffix(".ods")
            job_copy, base_copy = out / f"maj-suivi-{rows}.ods", out / f"maj-odfpy-{rows}.ods"
            cases.append(
                Case(
                    "suivi update (.ods)",
                    rows,
                    [
                        *suivi,
                        "update",
                        str(job_copy),
                        "--today",
                        TODAY,
                        "--agence",
                        generate.AGENCY,
                        "--no-backup",
                    ],
                    [*baselines, "odfpy-update", str(base_copy)],
                    BASELINE_ODFPY,
                    ODS_UPDATE_TARGETS[nominal(rows)],
                    before_job=copier(ods, job_copy),
                    before_baseline=copier(ods, base_copy),
                    verify=verify_numbers(job_copy, info),
                )
            )
    if "large" in jobs:
        for kind, label, rows in (
            ("lignes", "1 048 576 lignes × 11 colonnes", 1_048_575),
            ("longs", "20 000 lignes, Objet et Suivi de 32 767 caractères", 20_000),
            ("partagees", "les mêmes, textes partagés comme Excel les enregistre", 20_000),
        ):
            path = out / f"grand-{kind}.xlsx"
            print(f"Registre {path.name} : généré si besoin (une minute)…", file=sys.stderr)
            subprocess.run([python, str(HERE / "large.py"), kind, str(path)], check=True)
            cases.append(
                Case(
                    f"suivi-check ({label})",
                    rows,
                    [*suivi_check, str(path), "--today", TODAY, "--format", "json"],
                    [*baselines, "calamine-read", str(path)],
                    BASELINE_LARGE,
                    LARGE_TARGET,
                    ok_codes=frozenset({0, 1}),
                    repeat=1,
                    verify=verify_entries(rows),
                )
            )
            copy = out / f"maj-grand-{kind}.xlsx"
            cases.append(
                Case(
                    f"suivi update ({label})",
                    rows,
                    [*suivi, "update", str(copy), "--today", TODAY, "--agence", "1601", *NO_BACKUP],
                    [*baselines, "calamine-read", str(path)],
                    BASELINE_LARGE,
                    LARGE_TARGET,
                    before_job=copier(path, copy),
                    repeat=1,
                )
            )
    if "startup" in jobs:
        small, _ = register(SMALL_ROWS)
        import_click = [python, "-c", "import click"]
        cases.append(
            Case(
                "suivi --help",
                None,
                [*suivi, "--help"],
                import_click,
                BASELINE_CLICK,
                STARTUP_TARGET,
            )
        )
        cases.append(
            Case(
                f"suivi-check ({SMALL_ROWS} lignes)",
                None,
                [*suivi_check, str(small), "--today", TODAY, "--format", "json"],
                import_click,
                BASELINE_CLICK,
                STARTUP_TARGET,
                ok_codes=frozenset({0, 1}),
                verify=verify_entries(SMALL_ROWS),
            )
        )
    return cases


# ---------------------------------------------------------------------------------------------
# Running the table


def run_case(case: Case, repeat: int, warmup: int, log_dir: Path, stem: str) -> None:
    def job() -> Measure:
        if case.before_job:
            case.before_job()
        return measure(case.job, log_dir, f"{stem}-tache")

    def baseline() -> Measure:
        if case.before_baseline:
            case.before_baseline()
        return measure(case.baseline, log_dir, f"{stem}-ref")

    name = case.job_label + (f" ({fr_int(case.rows)} lignes)" if case.rows else "")
    # Once the job fails it is not run again, but its baseline still is, for the record.
    if case.repeat is not None:
        repeat, warmup = case.repeat, 0
    for i in range(-warmup, repeat):  # negative i: warm-up runs (.pyc files, disk cache)
        if i >= 0:
            print(f"  {name} : {i + 1}/{repeat}", file=sys.stderr)
        if case.error is None:
            result = job()
            if failed(result, case.ok_codes):
                case.error = describe_failure(case.job, result)
            elif i >= 0:
                case.jobs.append(result)
        reference = baseline()
        if failed(reference, case.baseline_ok_codes):
            case.error = (
                (case.error or "") + "référence : " + describe_failure(case.baseline, reference)
            )
            return
        if i >= 0:
            case.baselines.append(reference)


def failed(result: Measure, ok_codes: frozenset[int]) -> bool:
    # An uncaught exception exits with 1, which suivi-check also uses for "findings".
    return result.returncode not in ok_codes or "Traceback (most recent call last)" in result.stderr


def describe_failure(argv: Sequence[str], result: Measure) -> str:
    last = [line for line in result.stderr.strip().splitlines() if line.strip()][-3:]
    command = " ".join(Path(argv[0]).name if i == 0 else a for i, a in enumerate(argv))
    return f"`{command}` a échoué (code {result.returncode}) : " + " / ".join(last)


@dataclass
class Line:
    job: str
    rows: str
    job_s: str
    base_s: str
    ratio: str
    job_mem: str
    base_mem: str
    target: str
    verdict: str
    baseline: str


def summarise(case: Case) -> Line:
    rows = fr_int(case.rows) if case.rows else "–"
    target = case.target.describe()
    base_peaks = [m.peak_bytes for m in case.baselines if m.peak_bytes is not None]
    base_peak = max(base_peaks) if base_peaks else None
    if case.error or not case.jobs or not case.baselines:
        base_text = (
            fr(statistics.median(m.seconds for m in case.baselines), 2) if case.baselines else "–"
        )
        base_mem = mb(base_peak) if case.baselines else "–"
        return Line(
            case.job_label,
            rows,
            "–",
            base_text,
            "–",
            "–",
            base_mem,
            target,
            "ERREUR",
            case.baseline_label,
        )
    job_s = statistics.median(m.seconds for m in case.jobs)
    base_s = statistics.median(m.seconds for m in case.baselines)
    peaks = [m.peak_bytes for m in case.jobs if m.peak_bytes is not None]
    peak = max(peaks) if peaks else None
    ratio = job_s / base_s if base_s > 0 else float("inf")
    missed = []
    t = case.target
    if t.ratio is not None and ratio > t.ratio:
        missed.append("rapport")
    if t.plus is not None and job_s > base_s + t.plus:
        missed.append("démarrage")
    if t.seconds is not None and job_s > t.seconds:
        missed.append("durée")
    if t.memory_mb is not None and peak is not None and peak > t.memory_mb * 1e6:
        missed.append("mémoire")
    verdict = "ÉCHEC (" + ", ".join(missed) + ")" if missed else "OK"
    if t.informative and not missed:
        verdict = "–"
    if case.note:
        verdict += " ⚠"
    return Line(
        case.job_label,
        rows,
        fr(job_s, 2),
        fr(base_s, 2),
        f"{fr(ratio, 3)} ×",
        mb(peak),
        mb(base_peak),
        target,
        verdict,
        case.baseline_label,
    )


HEADINGS = (
    "tâche",
    "lignes",
    "tâche (s)",
    "référence (s)",
    "rapport",
    "mémoire max",
    "mémoire réf.",
    "cible",
    "résultat",
)


def text_table(lines: list[Line]) -> str:
    cells = [list(HEADINGS)] + [
        [
            line.job,
            line.rows,
            line.job_s,
            line.base_s,
            line.ratio,
            line.job_mem,
            line.base_mem,
            line.target,
            line.verdict,
        ]
        for line in lines
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(HEADINGS))]
    right = {1, 2, 3, 4, 5, 6}
    out = []
    for n, row in enumerate(cells):
        out.append(
            "  ".join(
                value.rjust(widths[i]) if i in right else value.ljust(widths[i])
                for i, value in enumerate(row)
            ).rstrip()
        )
        if n == 0:
            out.append("  ".join("-" * w for w in widths))
    return "\n".join(out)


def markdown_table(lines: list[Line]) -> str:
    head = (
        "| tâche | lignes | tâche (s) | référence (s) | rapport | mémoire max | cible | résultat "
        "| référence |"
    )
    out = [head, "|---|---:|---:|---:|---:|---:|---|---|---|"]
    for line in lines:
        out.append(
            f"| `{line.job}` | {line.rows} | {line.job_s} | {line.base_s} | {line.ratio} "
            f"| {line.job_mem} | {line.target} | {line.verdict} | {line.baseline} |"
        )
    return "\n".join(out)


def load_average() -> float | None:
    """The 1-minute load average, when the system gives it."""
    try:
        return os.getloadavg()[0]
    except (AttributeError, OSError):  # Windows
        return None


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for text in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if text.startswith("model name"):
                cpu = text.split(":", 1)[1].strip()
                break
        for text in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if text.startswith("MemTotal:"):
                memory = f", {int(text.split()[1]) / 1024 / 1024:.0f} Gio de mémoire"
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cœurs{memory}, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


# ---------------------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Mesure suivi-check, suivi update et suivi summary face à leurs références.",
    )
    parser.add_argument(
        "--sizes",
        default=",".join(str(s) for s in DEFAULT_SIZES),
        help="nombres de fiches des registres générés, séparés par des virgules "
        "(par défaut : %(default)s)",
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="exécutions de chaque mesure (défaut : %(default)s)"
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=1,
        help="exécutions de chauffe non comptées (défaut : %(default)s)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"essai rapide : tailles {','.join(map(str, QUICK_SIZES))}, une exécution, "
        "sans chauffe",
    )
    parser.add_argument(
        "--jobs",
        default=DEFAULT_JOBS,
        help="lignes du tableau à mesurer, parmi check, update, fill (mise à jour qui numérote "
        "chaque ligne d'un registre sans numéros), summary, relances, startup, ods, large "
        "(feuilles aussi grandes qu'Excel le permet, mémoire ≤ 2 Gio ; plusieurs minutes) "
        "(défaut : %(default)s)",
    )
    parser.add_argument(
        "--markdown", action="store_true", help="tableau Markdown daté, prêt pour le README"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE / "out",
        help="dossier des registres générés (défaut : benchmarks/out)",
    )
    parser.add_argument("--seed", type=int, default=2026, help="graine des registres générés")
    parser.add_argument(
        "--constant-memory",
        action="store_true",
        help="registres écrits en mode constant_memory (chaînes en ligne, sans tableau Excel)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat, args.warmup = ",".join(map(str, QUICK_SIZES)), 1, 0
    try:
        args.size_list = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes attend des nombres séparés par des virgules, par ex. 10000,100000")
    if not args.size_list or min(args.size_list) < 1 or args.repeat < 1 or args.warmup < 0:
        parser.error("tailles et --repeat doivent être positifs")
    args.job_set = {j.strip() for j in args.jobs.split(",") if j.strip()}
    unknown = args.job_set - ALL_JOBS
    if unknown:
        parser.error(f"tâches inconnues : {', '.join(sorted(unknown))}")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    log_dir = out / "logs"
    log_dir.mkdir(exist_ok=True)
    cases = build_cases(args.size_list, args.job_set, out, args.seed, args.constant_memory)
    load_before = load_average()
    for n, case in enumerate(cases, start=1):
        run_case(case, args.repeat, args.warmup, log_dir, f"{n:02d}")
    load_after = load_average()
    for n, case in enumerate(cases, start=1):
        if case.verify is not None and case.jobs and case.error is None:
            case.note = case.verify(log_dir / f"{n:02d}-tache.out") or None
    lines = [summarise(case) for case in cases]

    when = dt.datetime.now().strftime("%d/%m/%Y %H:%M")
    header = (
        f"Mesuré le {when} sur {machine()} ; médiane de {args.repeat} exécution(s), "
        "processus entiers, tâche et référence alternées ; "
        "`suivi update` avec `--no-backup`, sur une copie fraîche à chaque exécution."
    )
    print(header)
    print()
    print(markdown_table(lines) if args.markdown else text_table(lines))
    if not args.markdown:
        print()
        for case in cases:
            label = case.job_label + (f" {fr_int(case.rows)}" if case.rows else "")
            print(f"référence de {label} : {case.baseline_label.replace('`', '')}")
    if args.quick or any(nominal(s) != s for s in args.size_list):
        print()
        print(
            "Les cibles sont celles de 10 000 et 100 000 lignes ; "
            "sur d'autres tailles elles sont indicatives."
        )
    # This script keeps about one core busy itself; more than 1.5 means other programs ran.
    busy = [x for x in (load_before, load_after) if x is not None and x > 1.5]
    if busy:
        print()
        print(
            f"⚠ machine occupée par d'autres programmes (charge moyenne sur une minute : "
            f"{fr(max(busy), 2)}, dont environ 1 pour cette mesure) : les durées sont bruitées, "
            "les rapports un peu moins."
        )
    problems = [c for c in cases if c.error or c.note]
    if problems:
        print()
        for case in problems:
            label = case.job_label + (f" {fr_int(case.rows)}" if case.rows else "")
            print(f"⚠ {label} : {case.error or case.note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
