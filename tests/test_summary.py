"""The summary workbook (``summary.write_summary``): sheets, values read back, charts, formats,
refusals, nothing left behind, LibreOffice."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from suivi_xlsx.domain.model import Origin
from suivi_xlsx.domain.model import Settings as RegisterSettings
from suivi_xlsx.errors import FileLockedError, RefusedError
from suivi_xlsx.outputs.summary import workbook as summary_module
from suivi_xlsx.outputs.summary.stats import YearlyStats, yearly_stats
from suivi_xlsx.outputs.summary.texts import undated_text
from suivi_xlsx.outputs.summary.workbook import write_summary

from .conftest import LibreOffice
from .test_stats import TODAY, make_entry, make_register, sample

SHEETS = ["Synthèse", "Par mois", "Délais", "En cours", "Améliorations"]


def stats_2024() -> YearlyStats:
    return yearly_stats([sample()], 2024, TODAY)


def network() -> YearlyStats:
    lyon = make_register(
        [
            make_entry(
                2, dt.date(2024, 1, 2), number="24.1601.001", closed_on=dt.date(2024, 1, 12)
            ),
            make_entry(3, dt.date(2024, 2, 2), Origin.QS, number="24.1601.002"),
        ],
        "lyon.xlsx",
    )
    annecy = make_register(
        [make_entry(2, dt.date(2024, 1, 5), Origin.PA, closed_on=dt.date(2024, 1, 25))],
        "annecy.xlsx",
        RegisterSettings(agency="1602"),
    )
    return yearly_stats([lyon, annecy], 2024, TODAY)


def load(path: Path) -> Any:
    from openpyxl import load_workbook

    return load_workbook(path)  # the summary holds values, and formulas' cached values


def column_values(ws: Any, column: str, first: int, last: int) -> list[object]:
    return [ws[f"{column}{row}"].value for row in range(first, last + 1)]


def cached_values(path: Path, sheet_index: int) -> dict[str, str]:
    """Formula cells' cached values, from the sheet XML (openpyxl does not read them back)."""
    with zipfile.ZipFile(path) as package:
        xml = package.read(f"xl/worksheets/sheet{sheet_index}.xml").decode()
    return dict(re.findall(r'<c r="([A-Z]+\d+)"[^>]*><f>[^<]*</f><v>([^<]*)</v>', xml))


def test_sheets_and_overview_values(tmp_path: Path) -> None:
    out = write_summary(stats_2024(), tmp_path / "bilan-2024.xlsx")
    assert out == tmp_path / "bilan-2024.xlsx"
    wb = load(out)
    assert wb.sheetnames == SHEETS
    ws = wb["Synthèse"]
    assert ws["A1"].value == "Bilan annuel 2024"
    assert column_values(ws, "A", 6, 10) == [
        "Réclamations (FS)",
        "Questionnaires de satisfaction (QS)",
        "Décisions d'amélioration (PA)",
        "Origine vide ou illisible",
        "Total",
    ]
    assert column_values(ws, "B", 6, 9) == [4, 2, 2, 1]
    assert ws["B10"].value == "=SUM(B6:B9)"
    assert cached_values(out, 1)["B10"] == "9"
    labels = {ws[f"A{row}"].value: ws[f"B{row}"] for row in range(11, ws.max_row + 1)}
    assert labels["En cours"].value == 4
    assert labels["dont en retard (échéance, accusé de réception ou réponse)"].value == 2
    assert labels["Accusé de réception sous 10 jours"].value == pytest.approx(1 / 3)
    assert labels["Accusé de réception sous 10 jours"].number_format == "0%"
    # The counts behind the percentages (row 3 answered after the 10 days, row 4 never).
    assert labels["dont accusé de réception après le délai"].value == 1
    assert labels["dont sans accusé de réception daté, délai dépassé"].value == 1
    assert labels["Réponse sous 2 mois"].value == pytest.approx(2 / 3)
    assert labels["dont réponse après le délai"].value == 0
    assert labels["dont sans réponse datée, délai dépassé"].value == 1
    assert labels["Réclamations avec dysfonctionnement"].value == 0
    assert labels["dont sans action corrective ni fiche PA"].value == 0
    assert labels["Délai médian (jours)"].value == 30
    assert labels["Délai moyen (jours)"].value == pytest.approx(33.2)
    assert ws.freeze_panes == "A5"


def test_monthly_sheet_with_previous_year(tmp_path: Path) -> None:
    out = write_summary(stats_2024(), tmp_path / "bilan.xlsx")
    ws = load(out)["Par mois"]
    header = [cell.value for cell in ws[4]]
    assert header == [
        "Mois",
        "Réclamations (FS)",
        "Questionnaires de satisfaction (QS)",
        "Décisions d'amélioration (PA)",
        "Origine vide ou illisible",
        "Total 2024",
        "Total 2023",
        "Écart",
    ]
    assert [ws.cell(row, 1).value for row in (5, 16, 17)] == ["Janvier", "Décembre", "Total"]
    assert [ws.cell(5, c).value for c in range(2, 6)] == [2, 0, 0, 0]  # January: 2 FS
    assert ws["G15"].value == 1  # November 2023
    cached = cached_values(out, 2)
    assert (cached["F5"], cached["F17"], cached["G17"], cached["H17"]) == ("2", "9", "2", "7")


def test_delays_sheet(tmp_path: Path) -> None:
    ws = load(write_summary(stats_2024(), tmp_path / "bilan.xlsx"))["Délais"]
    rows = {ws.cell(r, 1).value: [ws.cell(r, c).value for c in range(2, 6)] for r in range(1, 40)}
    assert rows["Réclamations (FS)"] == [2, 53, 53, 65]
    assert rows["Toutes origines"] == [5, 30, 33.2, 65]
    assert rows["Accusé de réception (10 jours)"][:3] == [1, 2, 1]
    assert rows["M. Durand"] == [2, 20, 20, 30]
    assert rows["Non renseigné"] == [0, "n.d.", "n.d.", "n.d."]


def test_open_entries_sheet(tmp_path: Path) -> None:
    ws = load(write_summary(stats_2024(), tmp_path / "bilan.xlsx"))["En cours"]
    assert ws.freeze_panes == "A5"
    assert ws.auto_filter.ref == "A4:J8"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=8)]
    assert [(r[0], r[1].date(), r[7], r[8], r[9]) for r in rows] == [
        (None, dt.date(2024, 3, 5), 118, 1, "En retard"),
        (None, dt.date(2024, 3, 31), 92, 82, "En retard"),
        (None, dt.date(2024, 4, 15), 77, None, "En cours"),
        (None, dt.date(2024, 6, 25), 6, None, "En cours"),
    ]
    assert ws["B5"].number_format == "dd/mm/yyyy"


def test_improvements_sheet(tmp_path: Path) -> None:
    ws = load(write_summary(stats_2024(), tmp_path / "bilan.xlsx"))["Améliorations"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=ws.max_row)]
    assert [(r[0], r[5], r[6], r[11]) for r in rows] == [
        ("Réclamation (FS)", "Rappel des horaires aux moniteurs", None, "Clôturée"),
        ("Amélioration (PA)", None, None, "En retard"),
        ("Amélioration (PA)", None, None, "Clôturée"),
    ]


def test_improvements_answer_each_dysfunction(tmp_path: Path) -> None:
    """Issue 10: for each complaint with a dysfunction, the PA entry or the corrective action
    that answers it; a dysfunction nothing answers is said and tinted."""
    from suivi_xlsx.domain.model import Column

    from .test_stats import FULL

    columns = (*FULL, Column.DYSFUNCTIONS)
    register = make_register(
        [
            make_entry(
                2,
                dt.date(2024, 2, 1),
                number="24.1601.001",
                columns=columns,
                dysfunctions="Facture erronée",
            ),
            make_entry(
                3,
                dt.date(2024, 2, 2),
                number="24.1601.002",
                columns=columns,
                dysfunctions="Moniteur absent",
            ),
            make_entry(
                4,
                dt.date(2024, 3, 1),
                Origin.PA,
                number="24.1601.003",
                columns=columns,
                subject="Contrôle des factures",
                evidence="suite FS 24.1601.1",
            ),
        ]
    )
    stats = yearly_stats([register], 2024, TODAY)
    out = write_summary(stats, tmp_path / "bilan.xlsx")
    wb = load(out)
    ws = wb["Améliorations"]
    assert ws["G4"].value == "Fiche PA / réclamation liée"
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=ws.max_row)]
    assert [(r[0], r[2].date(), r[4], r[6]) for r in rows] == [
        (
            "Réclamation (FS)",
            dt.date(2024, 2, 1),
            "Facture erronée",
            "Fiche PA 24.1601.003 Contrôle des factures",
        ),
        (
            "Réclamation (FS)",
            dt.date(2024, 2, 2),
            "Moniteur absent",
            "Aucune action corrective ni fiche PA",
        ),
        ("Amélioration (PA)", dt.date(2024, 3, 1), None, "Réclamation 24.1601.001"),
    ]
    assert ws["A6"].fill.fgColor.rgb.endswith("FDE9E9")  # nothing answers row 3's dysfunction
    assert "1 dysfonctionnement sans action corrective" in ws["A2"].value
    synthese = wb["Synthèse"]
    labels = {synthese[f"A{r}"].value: synthese[f"B{r}"].value for r in range(5, 60)}
    assert labels["Réclamations avec dysfonctionnement"] == 2
    assert labels["dont sans action corrective ni fiche PA"] == 1


def _synthese_labels(path: Path) -> dict[str, object]:
    ws = load(path)["Synthèse"]
    return {str(ws[f"A{r}"].value): ws[f"B{r}"].value for r in range(5, 60) if ws[f"A{r}"].value}


def test_labels_follow_the_settings(tmp_path: Path) -> None:
    """Issue 9, item 5: « 5 jours ouvrables », « 1 mois » when Paramètres say so."""
    from suivi_xlsx.domain.model import Calendar

    settings = RegisterSettings(ack_days=5, answer_months=1, calendar=Calendar.WORKING_DAYS)
    register = make_register([make_entry(2, dt.date(2024, 1, 2))], settings=settings)
    out = write_summary(yearly_stats([register], 2024, TODAY), tmp_path / "bilan.xlsx")
    labels = _synthese_labels(out)
    assert "Accusé de réception sous 5 jours ouvrables" in labels
    assert "Réponse sous 1 mois" in labels
    assert not any("10 jours" in label or "2 mois" in label for label in labels)
    assert any(label.startswith("Jours ouvrables : du lundi au samedi") for label in labels)
    delays = load(out)["Délais"]
    names = {delays.cell(r, 1).value for r in range(1, 40)}
    assert {"Accusé de réception (5 jours ouvrables)", "Réponse (1 mois)"} <= names


def test_agencies_with_different_delays_get_a_neutral_label(tmp_path: Path) -> None:
    lyon = make_register([make_entry(2, dt.date(2024, 1, 2), number="24.1601.001")], "lyon.xlsx")
    annecy = make_register(
        [make_entry(2, dt.date(2024, 1, 2), number="24.1602.001")],
        "annecy.xlsx",
        RegisterSettings(ack_days=5),
    )
    out = write_summary(yearly_stats([lyon, annecy], 2024, TODAY), tmp_path / "bilan.xlsx")
    labels = _synthese_labels(out)
    assert "Accusé de réception dans le délai" in labels
    assert "Réponse sous 2 mois" in labels  # the same for both
    assert (
        "Délais de chaque registre (Paramètres) : Agence 1601 : accusé 10 jours, réponse 2 mois"
        " · Agence 1602 : accusé 5 jours, réponse 2 mois." in labels
    )


def test_undated_entries_are_located(tmp_path: Path) -> None:
    """Issue 9, item 7: the note says how many may belong to the year, and where."""
    register = make_register(
        [make_entry(2, dt.date(2024, 1, 2)), make_entry(3, None), make_entry(4, None, year=2023)]
    )
    stats = yearly_stats([register], 2024, TODAY)
    assert undated_text(stats) == (
        "1 entrée sans date lisible, non comptée : feuille « Registre » ligne 3 (voir suivi-check)."
    )
    labels = _synthese_labels(write_summary(stats, tmp_path / "bilan.xlsx"))
    assert undated_text(stats) in labels


def test_workbook_holds_its_charts(tmp_path: Path) -> None:
    out = write_summary(stats_2024(), tmp_path / "bilan.xlsx")
    with zipfile.ZipFile(out) as package:
        charts = sorted(n for n in package.namelist() if re.match(r"xl/charts/chart\d+\.xml", n))
        xml = "".join(package.read(name).decode() for name in charts)
    assert len(charts) == 5  # pie + months (Synthèse), months, origins, owners (Délais)
    assert xml.count("<c:pieChart>") == 1
    assert xml.count('<c:grouping val="stacked"/>') == 2
    assert xml.count("<c:lineChart>") == 2  # the previous year over the months
    assert xml.count('<c:barDir val="bar"/>') == 2


def test_print_setup(tmp_path: Path) -> None:
    wb = load(write_summary(stats_2024(), tmp_path / "bilan.xlsx"))
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape"
        assert ws.page_setup.fitToWidth in (1, None)  # 1 is openpyxl's default
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        assert "Bilan annuel 2024" in ws.oddHeader.center.text
        assert ws.oddFooter.left.text == "Agence 1601" or ws.oddFooter.left.text == "registre"


def test_several_agencies(tmp_path: Path) -> None:
    out = write_summary(network(), tmp_path / "bilan.xlsx")
    wb = load(out)
    ws = wb["Synthèse"]
    assert [ws.cell(4, c).value for c in range(1, 5)] == [
        "Indicateur",
        "Ensemble",
        "Agence 1601",
        "Agence 1602",
    ]
    assert [[ws.cell(r, c).value for c in range(2, 5)] for r in range(6, 9)] == [
        [1, 1, 0],
        [1, 1, 0],
        [1, 0, 1],
    ]
    months = wb["Par mois"]
    first = next(
        r for r in range(1, 80) if months.cell(r, 1).value == "Entrées par agence et par mois"
    )
    assert [months.cell(first + 1, c).value for c in range(1, 5)] == [
        "Mois",
        "Agence 1601",
        "Agence 1602",
        "Ensemble",
    ]
    assert [months.cell(first + 2, c).value for c in range(2, 4)] == [1, 1]  # January
    assert wb["En cours"]["A4"].value == "Agence"
    assert wb["Synthèse"].oddFooter.left.text == "Réseau de 2 agences"


def test_refuses_existing_output_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "bilan.xlsx"
    out.write_bytes(b"mine")
    with pytest.raises(RefusedError) as refused:
        write_summary(stats_2024(), out)
    assert (refused.value.exit_code, out.read_bytes()) == (1, b"mine")
    assert "--remplacer" in refused.value.message
    write_summary(stats_2024(), out, force=True)
    assert zipfile.is_zipfile(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bilan.xlsx"]


def test_refuses_to_replace_a_summary_open_in_excel(tmp_path: Path) -> None:
    out = tmp_path / "bilan.xlsx"
    out.write_bytes(b"open")
    (tmp_path / "~$bilan.xlsx").write_bytes(b"")
    with pytest.raises(FileLockedError):
        write_summary(stats_2024(), out, force=True)
    assert out.read_bytes() == b"open"


def test_empty_year_writes_nothing(tmp_path: Path) -> None:
    with pytest.raises(RefusedError) as refused:
        write_summary(yearly_stats([sample()], 2030, TODAY), tmp_path / "bilan.xlsx")
    assert refused.value.message == (
        "aucune entrée datée de 2030 dans « registre.xlsx » (années présentes : 2023, 2024, "
        "2025) : vérifiez l'année demandée (--annee) ou les colonnes Date."
    )
    assert list(tmp_path.iterdir()) == []


def test_failure_leaves_nothing_behind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(stats: YearlyStats, path: Path) -> None:
        path.write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(summary_module, "_write_workbook", broken)
    with pytest.raises(OSError):
        write_summary(stats_2024(), tmp_path / "bilan.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_windows_lock_on_replace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "bilan.xlsx"
    out.write_bytes(b"old")

    def refused(src: object, dst: object) -> None:
        raise PermissionError(13, "Permission denied", str(dst))

    monkeypatch.setattr(summary_module.os, "replace", refused)
    with pytest.raises(FileLockedError) as locked:
        write_summary(stats_2024(), out, force=True)
    assert "fermez le fichier dans Excel" in locked.value.message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bilan.xlsx"]
    assert out.read_bytes() == b"old"


def test_same_figures_same_bytes(tmp_path: Path) -> None:
    first = write_summary(stats_2024(), tmp_path / "a.xlsx").read_bytes()
    second = write_summary(stats_2024(), tmp_path / "b.xlsx").read_bytes()
    assert first == second


def test_no_open_entry_nor_improvement(tmp_path: Path) -> None:
    register = make_register(
        [make_entry(2, dt.date(2024, 1, 2), Origin.QS, closed_on=dt.date(2024, 1, 3))]
    )
    wb = load(write_summary(yearly_stats([register], 2024, TODAY), tmp_path / "bilan.xlsx"))
    assert wb["En cours"]["A5"].value == "Aucun dossier de 2024 en cours au 01/07/2024."
    assert wb["Améliorations"]["A5"].value.startswith("Aucune décision d'amélioration")


def test_libreoffice_converts_to_pdf(tmp_path: Path, libreoffice: LibreOffice) -> None:
    out = write_summary(stats_2024(), tmp_path / "bilan.xlsx")
    pdf = libreoffice.convert(out, "pdf", tmp_path)
    assert pdf.exists()
    data = pdf.read_bytes()
    assert (
        data.startswith(b"%PDF") and data.count(b"/Type /Page\n") + data.count(b"/Type/Page") >= 1
    )


@given(st.integers(0, 1_000_000))
def test_count_axes_step_in_whole_round_numbers(highest: int) -> None:
    from suivi_xlsx.outputs.summary.months import whole_number_axis

    axis = whole_number_axis(highest)
    step, top = axis["major_unit"], axis["max"]
    assert isinstance(step, int) and step >= 1 and axis["num_format"] == "0"
    assert top >= highest and top % step == 0 and top // step <= 7
    assert int(str(step).rstrip("0") or "1") in (1, 2, 5)
