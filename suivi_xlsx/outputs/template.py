"""The blank register (``templates/registre_modele.xlsx``) and ``suivi init``.

``build_template()`` writes the workbook with xlsxwriter, reproducibly: fixed document dates and
fixed zip timestamps, so two builds are byte-identical and a test can compare the committed
template with a fresh build. ``suivi init`` builds it from code (never from the repository file),
so it works from an installed package too.

Regenerate the committed file with ``python -m suivi_xlsx.outputs.template``.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from suivi_xlsx.domain.model import DATE_COLUMNS, HEADERS, OPTIONAL_COLUMNS, SEED_COLUMNS, Column
from suivi_xlsx.domain.numbering import is_valid_agency
from suivi_xlsx.errors import RefusedError, SuiviError

#: Sheet names of the template.
REGISTER_SHEET = "Registre"
SETTINGS_SHEET = "Paramètres"
HELP_SHEET = "Mode d'emploi"

#: The template's columns, in order: the seed's eleven, then the optional regulatory ones.
TEMPLATE_COLUMNS: tuple[Column, ...] = SEED_COLUMNS + OPTIONAL_COLUMNS

#: Empty formatted rows of the Excel table below the header (Excel extends the table as rows
#: are typed below it).
EMPTY_ROWS = 200

#: Rows covered by the dropdowns and date checks (beyond the table, for long registers).
VALIDATED_ROWS = 5000

#: The parameters sheet: labels in column A exactly as the reader looks them up.
AGENCY_LABEL = "Numéro d'agence"
ACK_DAYS_LABEL = "Délai d'accusé de réception (jours)"
ANSWER_MONTHS_LABEL = "Délai de réponse (mois)"
CALENDAR_LABEL = "Décompte des jours (accusé de réception)"
ALSACE_MOSELLE_LABEL = "Alsace-Moselle"
AUTHORISED_LABEL = "Personnes habilitées à répondre aux réclamations"
INFORM_DAYS_LABEL = "Informer le client au moins tous les (jours)"
SCHOOL_NAME_LABEL = "Nom de l'auto-école"
SCHOOL_ADDRESS_LABEL = "Adresse de l'auto-école"
SIGNATORY_LABEL = "Signataire des courriers"
MEDIATOR_NAME_LABEL = "Médiateur : nom"
MEDIATOR_ADDRESS_LABEL = "Médiateur : adresse"
MEDIATOR_WEBSITE_LABEL = "Médiateur : site internet"
WINDOW_LABEL = "Fenêtre de l'enveloppe"

CALENDAR_CHOICES: tuple[str, ...] = ("jours calendaires", "jours ouvrables")
WINDOW_CHOICES: tuple[str, ...] = ("à droite", "à gauche")
ORIGIN_CHOICES: tuple[str, ...] = ("FS", "QS", "PA")
DECISION_CHOICES: tuple[str, ...] = ("acceptée", "rejet partiel", "rejet total")

# A fixed creation date keeps the bytes identical from one build to the next.
_CREATED = dt.datetime(2025, 1, 1, 0, 0, 0)

_WIDTHS: Mapping[Column, float] = MappingProxyType(
    {
        Column.YEAR: 8,
        Column.DATE: 12,
        Column.ISSUER: 24,
        Column.ORDER_NUMBER: 17,
        Column.ORIGIN: 24,
        Column.SUBJECT: 40,
        Column.EVIDENCE: 14,
        Column.FOLLOW_UP: 50,
        Column.OWNER: 20,
        Column.DUE_DATE: 12,
        Column.CLOSED_ON: 12,
        Column.PRODUCT: 22,
        Column.PARTIES: 20,
        Column.PERSONS: 20,
        Column.ACK_DATE: 13,
        Column.ANSWER_DATE: 13,
        Column.ANSWER: 40,
        Column.DECISION: 14,
        Column.REDRESS: 30,
        Column.DYSFUNCTIONS: 30,
        Column.CORRECTIVE_ACTIONS: 30,
        Column.ADDRESS: 30,
        Column.ADDRESS_EXTRA: 20,
        Column.POSTCODE: 11,
        Column.TOWN: 20,
    }
)

_LONG_TEXT_COLUMNS: frozenset[Column] = frozenset(
    {
        Column.SUBJECT,
        Column.FOLLOW_UP,
        Column.ANSWER,
        Column.REDRESS,
        Column.DYSFUNCTIONS,
        Column.CORRECTIVE_ACTIONS,
    }
)

_SETTINGS_ROWS: tuple[tuple[str, str], ...] = (
    (
        AGENCY_LABEL,
        "Votre numéro d'agence (chiffres seulement, ex. 1601) : il forme les numéros d'ordre "
        "aa.agence.nnn attribués par « suivi update ».",
    ),
    (
        ACK_DAYS_LABEL,
        "Délai pour accuser réception d'une réclamation (ou y répondre), à compter de sa "
        "réception : 10 jours.",
    ),
    (
        ANSWER_MONTHS_LABEL,
        "Délai pour répondre à une réclamation, à compter de sa réception : 2 mois. Sert aussi "
        "à calculer la date d'échéance des fiches signalétiques (FS).",
    ),
    (
        CALENDAR_LABEL,
        "« jours calendaires » : tous les jours comptent. « jours ouvrables » : du lundi au "
        "samedi hors jours fériés, comme le recommande l'ACPR ; une échéance tombant un jour "
        "non ouvrable passe au jour ouvrable suivant.",
    ),
    (
        ALSACE_MOSELLE_LABEL,
        "« oui » si l'agence est en Alsace-Moselle : le Vendredi saint et le 26 décembre sont "
        "alors fériés (décompte en jours ouvrables).",
    ),
    (
        AUTHORISED_LABEL,
        "Qui peut répondre aux réclamations et signer les courriers, noms séparés par « ; » "
        "(ex. Mme Durand ; M. Petit). suivi-check signale une réclamation confiée à une autre "
        "personne. Vide : pas de contrôle.",
    ),
    (
        INFORM_DAYS_LABEL,
        "Tant qu'une réclamation est en cours, le client doit avoir des nouvelles au moins tous "
        "les N jours : « suivi-check » signale une réclamation dont la dernière étape datée "
        "(réception, accusé de réception, date notée dans le Suivi, réponse) est plus ancienne.",
    ),
    (SCHOOL_NAME_LABEL, "Le nom de l'auto-école, tel qu'il figure sur les courriers."),
    (SCHOOL_ADDRESS_LABEL, "L'adresse postale de l'auto-école, pour l'en-tête des courriers."),
    (
        SIGNATORY_LABEL,
        "Nom et fonction de la personne qui signe les courriers aux clients (ex. Mme Durand, "
        "gérante).",
    ),
    (
        MEDIATOR_NAME_LABEL,
        "Le médiateur de la consommation auquel l'auto-école adhère : à indiquer au client "
        "quand sa réclamation est rejetée en tout ou partie (voies de recours).",
    ),
    (MEDIATOR_ADDRESS_LABEL, "L'adresse postale du médiateur."),
    (MEDIATOR_WEBSITE_LABEL, "Le site internet du médiateur, où le client peut le saisir."),
    (
        WINDOW_LABEL,
        "« à droite » (l'enveloppe DL de La Poste, par défaut) ou « à gauche » : les courriers "
        "placent l'adresse du client dans la fenêtre de vos enveloppes.",
    ),
)

#: Settings rows whose explanation is an input message on the value cell, not in column C.
_PROMPTED: frozenset[str] = frozenset({AUTHORISED_LABEL})

_HELP_LINES: tuple[tuple[str, str], ...] = (
    ("title", "Mode d'emploi du registre des réclamations et du tableau de suivi"),
    (
        "text",
        "Ce classeur est à la fois le registre des réclamations de l'auto-école et le tableau "
        "de suivi des fiches signalétiques, des questionnaires de satisfaction et des plans "
        "d'amélioration. Une ligne de la feuille « Registre » = une fiche.",
    ),
    ("heading", "Les colonnes"),
    ("text", "Année : l'année de la fiche (remplie par « suivi update » si vous la laissez vide)."),
    ("text", "Date : date de réception de la réclamation, du questionnaire ou de la décision."),
    ("text", "NOM Prénom Emetteur : qui est à l'origine de la fiche (client, parent, salarié…)."),
    (
        "text",
        "Numéro d'ordre : aa.agence.nnn, par exemple 25.1601.007 (année sur 2 chiffres, numéro "
        "d'agence, rang dans l'année). Laissez-le vide : « suivi update » le remplit.",
    ),
    (
        "text",
        "Origine : FS = fiche signalétique (une réclamation) ; QS = questionnaire de "
        "satisfaction ; PA = plan ou décision d'amélioration.",
    ),
    ("text", "Objet : de quoi il s'agit, en une phrase."),
    ("text", "Justificatif n° : la référence d'un document, le cas échéant."),
    ("text", "Suivi : la date et un commentaire à chaque étape du traitement."),
    ("text", "Nom de la personne chargée du dossier : qui s'en occupe."),
    (
        "text",
        "Date d'échéance : la date limite de traitement (pour une FS, au plus tard 2 mois après "
        "la réception ; « suivi update » la calcule si elle est vide).",
    ),
    ("text", "Date de clôture : la date où le dossier est terminé ; vide tant qu'il est en cours."),
    (
        "text",
        "Colonnes réglementaires du registre des réclamations : produit/service visé, "
        "intervenants, personnes visées, date d'accusé de réception, date de réponse, réponse "
        "apportée, décision, voies de recours indiquées, dysfonctionnements, actions correctives.",
    ),
    ("heading", "Les délais d'une réclamation (FS)"),
    (
        "text",
        "Accusé de réception : dans les 10 jours suivant la réception (sauf si la réponse "
        "elle-même est envoyée dans ce délai). Notez la date dans « Date accusé de réception ».",
    ),
    (
        "text",
        "Réponse : dans les 2 mois suivant la réception. Notez la date dans « Date de réponse » "
        "et la décision (acceptée, rejet partiel, rejet total).",
    ),
    (
        "text",
        "Rejet total ou partiel : indiquez au client les voies de recours dont il dispose (par "
        "exemple le médiateur de la consommation) et notez-les dans « Voies de recours "
        "indiquées ».",
    ),
    (
        "text",
        "Tenir le client informé : tant que la réclamation est en cours, donnez-lui des "
        "nouvelles au moins tous les 30 jours et notez la date dans « Suivi ».",
    ),
    (
        "text",
        "Adresse du client, complément d'adresse, code postal, ville : l'adresse postale où "
        "envoyer les courriers (« suivi courrier » la place dans la fenêtre de l'enveloppe).",
    ),
    (
        "text",
        "Réponse apportée, dysfonctionnements, actions correctives : notez la réponse donnée "
        "au client, les dysfonctionnements identifiés et, pour chacun, l'action corrective "
        "(dans « Actions correctives » ou dans une fiche PA qui cite le numéro d'ordre de la "
        "réclamation).",
    ),
    ("heading", "La feuille « Paramètres »"),
    (
        "text",
        "Numéro d'agence, délais d'accusé de réception et de réponse, décompte en jours "
        "calendaires ou ouvrables, Alsace-Moselle : les règles de calcul des délais.",
    ),
    (
        "text",
        "Personnes habilitées à répondre aux réclamations : les noms séparés par « ; ». "
        "« suivi-check » signale une réclamation confiée à une autre personne (majuscules, "
        "accents et « Mme », « M. » ne comptent pas). Laissez vide pour ne pas contrôler.",
    ),
    (
        "text",
        "Informer le client au moins tous les (jours) : 30 par défaut ; « suivi-check » "
        "signale une réclamation en cours sans étape datée depuis plus longtemps.",
    ),
    (
        "text",
        "Nom et adresse de l'auto-école, signataire des courriers, médiateur de la "
        "consommation (nom, adresse, site internet) : l'identité reprise dans les courriers "
        "aux clients ; le médiateur est la voie de recours à indiquer en cas de rejet.",
    ),
    ("heading", "Les commandes"),
    (
        "text",
        "suivi-check registre.xlsx : contrôle le registre et liste, cellule par cellule, les "
        "erreurs, les retards et les avertissements. À lancer avant chaque réunion qualité.",
    ),
    (
        "text",
        "suivi update registre.xlsx : attribue les numéros d'ordre manquants, complète l'année "
        "et l'échéance, et colore les lignes en retard. Ajoutez --dry-run pour voir les "
        "changements sans rien écrire. Une copie de sauvegarde est gardée à côté du fichier. "
        "Fermez le fichier dans Excel avant de lancer la commande.",
    ),
    (
        "text",
        "suivi summary registre.xlsx --year 2025 : produit le bilan annuel dans un nouveau "
        "classeur (bilan-2025.xlsx).",
    ),
    ("heading", "Conseils"),
    (
        "text",
        "Gardez la ligne d'en-tête telle quelle. Vous pouvez ajouter vos propres colonnes à "
        "droite, des feuilles, une feuille par année : elles sont conservées.",
    ),
    ("text", "Saisissez les dates au format jj/mm/aaaa."),
)


def build_template(agency: str | None = None) -> bytes:
    """The register template as ``.xlsx`` bytes; the same bytes for the same ``agency``.

    ``agency`` fills the agency number of the parameters sheet (left empty when ``None``).
    """
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties(
        {
            "title": "Registre des réclamations et tableau de suivi",
            "subject": "Suivi des fiches signalétiques et des plans d'amélioration",
            "author": "suivi_xlsx",
            "keywords": "réclamations, qualité, auto-école",
            "comments": "Modèle créé par suivi_xlsx (suivi init).",
            "created": _CREATED,
        }
    )
    _write_register_sheet(workbook)
    _write_settings_sheet(workbook, agency)
    _write_help_sheet(workbook)
    workbook.close()
    return buffer.getvalue()


def _write_register_sheet(workbook: Any) -> None:
    sheet = workbook.add_worksheet(REGISTER_SHEET)
    header = workbook.add_format(
        {"bold": True, "text_wrap": True, "valign": "top", "font_size": 9, "border": 1}
    )
    date = workbook.add_format({"num_format": "dd/mm/yyyy", "valign": "top"})
    year = workbook.add_format({"num_format": "0", "valign": "top"})
    long_text = workbook.add_format({"text_wrap": True, "valign": "top"})
    text = workbook.add_format({"num_format": "@", "valign": "top"})
    plain = workbook.add_format({"valign": "top"})

    def column_format(column: Column) -> Any:
        if column in DATE_COLUMNS:
            return date
        if column is Column.YEAR:
            return year
        if column is Column.ORDER_NUMBER:
            return text  # typed as text so that 25.1601.010 never becomes a number
        if column in _LONG_TEXT_COLUMNS:
            return long_text
        return plain

    last_col = len(TEMPLATE_COLUMNS) - 1
    last_row = EMPTY_ROWS  # 0-based: header on row 0, then EMPTY_ROWS rows
    for index, column in enumerate(TEMPLATE_COLUMNS):
        fmt = column_format(column)
        sheet.set_column(index, index, _WIDTHS[column], fmt)
        # Blank formatted cells: dates typed in the table look like dates at once.
        for row in range(1, last_row + 1):
            sheet.write_blank(row, index, None, fmt)
    sheet.add_table(
        0,
        0,
        last_row,
        last_col,
        {
            "name": "TableauDeSuivi",
            "style": "Table Style Medium 2",
            "columns": [
                {"header": HEADERS[c], "header_format": header, "format": column_format(c)}
                for c in TEMPLATE_COLUMNS
            ],
        },
    )
    sheet.set_row(0, 100)

    first, last = 1, VALIDATED_ROWS - 1
    for index, column in enumerate(TEMPLATE_COLUMNS):
        if column in DATE_COLUMNS:
            sheet.data_validation(
                first,
                index,
                last,
                index,
                {
                    "validate": "date",
                    "criteria": "between",
                    "minimum": dt.date(2000, 1, 1),
                    "maximum": dt.date(2099, 12, 31),
                    "error_title": "Date attendue",
                    "error_message": "Saisissez une date au format jj/mm/aaaa (ex. 05/03/2025).",
                },
            )
        elif column is Column.YEAR:
            sheet.data_validation(
                first,
                index,
                last,
                index,
                {
                    "validate": "integer",
                    "criteria": "between",
                    "minimum": 2000,
                    "maximum": 2099,
                    "error_title": "Année attendue",
                    "error_message": "Saisissez l'année sur 4 chiffres (ex. 2025), ou laissez "
                    "vide : « suivi update » la remplit.",
                },
            )
        elif column is Column.ORIGIN:
            sheet.data_validation(
                first,
                index,
                last,
                index,
                {
                    "validate": "list",
                    "source": list(ORIGIN_CHOICES),
                    "input_title": "Origine",
                    "input_message": "FS : réclamation\nQS : questionnaire\nPA : amélioration",
                    "error_title": "Origine inconnue",
                    "error_message": "Choisissez FS (fiche signalétique, réclamation), QS "
                    "(questionnaire de satisfaction) ou PA (décision d'amélioration).",
                },
            )
        elif column is Column.DECISION:
            sheet.data_validation(
                first,
                index,
                last,
                index,
                {
                    "validate": "list",
                    "source": list(DECISION_CHOICES),
                    "error_title": "Décision inconnue",
                    "error_message": "Choisissez acceptée, rejet partiel ou rejet total.",
                },
            )
        elif column is Column.REDRESS:
            sheet.data_validation(
                first,
                index,
                last,
                index,
                {
                    "validate": "any",
                    "input_title": "Voies de recours",
                    "input_message": "En cas de rejet total ou partiel : lesquelles ont été "
                    "indiquées au client (ex. médiateur de la consommation).",
                },
            )

    sheet.freeze_panes(1, 0)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_header("&CRegistre des réclamations et tableau de suivi")
    sheet.set_footer("&LImprimé le &D&RPage &P / &N")
    sheet.activate()


def _write_settings_sheet(workbook: Any, agency: str | None) -> None:
    sheet = workbook.add_worksheet(SETTINGS_SHEET)
    bold = workbook.add_format({"bold": True, "bottom": 1})
    label = workbook.add_format({"bold": True, "valign": "top"})
    value = workbook.add_format({"valign": "top", "bg_color": "#FFF2CC", "border": 1})
    text_value = workbook.add_format(
        {"valign": "top", "bg_color": "#FFF2CC", "border": 1, "num_format": "@"}
    )
    note = workbook.add_format({"text_wrap": True, "valign": "top", "font_color": "#595959"})
    sheet.set_column(0, 0, 42)
    sheet.set_column(1, 1, 30)
    sheet.set_column(2, 2, 80)
    sheet.write_string(0, 0, "Paramètre", bold)
    sheet.write_string(0, 1, "Valeur", bold)
    sheet.write_string(0, 2, "Explication", bold)

    values: dict[str, tuple[str | int | None, Any]] = {
        AGENCY_LABEL: (agency, text_value),
        ACK_DAYS_LABEL: (10, value),
        ANSWER_MONTHS_LABEL: (2, value),
        CALENDAR_LABEL: (CALENDAR_CHOICES[0], value),
        ALSACE_MOSELLE_LABEL: ("non", value),
        AUTHORISED_LABEL: (None, value),
        INFORM_DAYS_LABEL: (30, value),
        SCHOOL_NAME_LABEL: (None, value),
        SCHOOL_ADDRESS_LABEL: (None, value),
        SIGNATORY_LABEL: (None, value),
        MEDIATOR_NAME_LABEL: (None, value),
        MEDIATOR_ADDRESS_LABEL: (None, value),
        MEDIATOR_WEBSITE_LABEL: (None, value),
        WINDOW_LABEL: (WINDOW_CHOICES[0], value),
    }
    for row, (name, explanation) in enumerate(_SETTINGS_ROWS, start=1):
        sheet.write_string(row, 0, name, label)
        content, fmt = values[name]
        if content is None:
            sheet.write_blank(row, 1, None, fmt)
        elif isinstance(content, int):
            sheet.write_number(row, 1, content, fmt)
        else:
            sheet.write_string(row, 1, content, fmt)
        if name in _PROMPTED:
            # The reader takes every cell right of this label as a name (one per cell): the
            # explanation shows when the value cell is selected, and in the Mode d'emploi.
            sheet.data_validation(
                row,
                1,
                row,
                1,
                {"validate": "any", "input_title": name[:32], "input_message": explanation},
            )
        else:
            sheet.write_string(row, 2, explanation, note)
        sheet.set_row(row, 45)

    rows = {name: row for row, (name, _) in enumerate(_SETTINGS_ROWS, start=1)}
    sheet.data_validation(
        rows[AGENCY_LABEL],
        1,
        rows[AGENCY_LABEL],
        1,
        {
            "validate": "length",
            "criteria": "between",
            "minimum": 1,
            "maximum": 8,
            "input_title": "Numéro d'agence",
            "input_message": "Chiffres seulement, ex. 1601.",
        },
    )
    for name, unit in (
        (ACK_DAYS_LABEL, "jours"),
        (ANSWER_MONTHS_LABEL, "mois"),
        (INFORM_DAYS_LABEL, "jours"),
    ):
        sheet.data_validation(
            rows[name],
            1,
            rows[name],
            1,
            {
                "validate": "integer",
                "criteria": "between",
                "minimum": 1,
                "maximum": 366,
                "error_title": "Nombre attendu",
                "error_message": f"Saisissez un nombre entier de {unit}.",
            },
        )
    sheet.data_validation(
        rows[CALENDAR_LABEL],
        1,
        rows[CALENDAR_LABEL],
        1,
        {
            "validate": "list",
            "source": list(CALENDAR_CHOICES),
            "error_title": "Choix attendu",
            "error_message": "Choisissez « jours calendaires » ou « jours ouvrables ».",
        },
    )
    sheet.data_validation(
        rows[WINDOW_LABEL],
        1,
        rows[WINDOW_LABEL],
        1,
        {
            "validate": "list",
            "source": list(WINDOW_CHOICES),
            "error_title": "Choix attendu",
            "error_message": "Choisissez « à droite » ou « à gauche ».",
        },
    )
    sheet.data_validation(
        rows[ALSACE_MOSELLE_LABEL],
        1,
        rows[ALSACE_MOSELLE_LABEL],
        1,
        {
            "validate": "list",
            "source": ["non", "oui"],
            "error_title": "Choix attendu",
            "error_message": "Choisissez « oui » ou « non ».",
        },
    )
    sheet.freeze_panes(1, 0)
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)


_HELP_WIDTH = 80  # characters: fits an A4 page in portrait


def _write_help_sheet(workbook: Any) -> None:
    sheet = workbook.add_worksheet(HELP_SHEET)
    styles = {
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "heading": workbook.add_format({"bold": True, "font_size": 11, "top": 1}),
        "text": workbook.add_format({"text_wrap": True, "valign": "top"}),
    }
    sheet.set_column(0, 0, _HELP_WIDTH)
    for row, (kind, content) in enumerate(_HELP_LINES):
        sheet.write_string(row, 0, content, styles[kind])
        if kind == "title":
            sheet.set_row(row, 24)
        elif kind == "text":
            # Explicit heights: not every spreadsheet grows wrapped rows by itself.
            lines = -(-len(content) // (_HELP_WIDTH - 12))  # ceiling division, some slack
            sheet.set_row(row, 15 * lines + 3)
        else:
            sheet.set_row(row, 21)
    sheet.set_paper(9)
    sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    sheet.fit_to_pages(1, 0)


def build_template_ods(agency: str | None = None) -> bytes:
    """The register template as ``.ods`` bytes (LibreOffice's own format): the same sheets,
    columns, dropdown lists and guide as ``build_template``; the same bytes for the same
    ``agency``."""
    from suivi_xlsx.ods.build import CellSpec, SheetSpec, Validation, build_ods

    validations = [
        Validation(
            "origine",
            tuple(ORIGIN_CHOICES),
            "Choisissez FS (fiche signalétique, réclamation), QS (questionnaire de "
            "satisfaction) ou PA (décision d'amélioration).",
        ),
        Validation(
            "decision",
            tuple(DECISION_CHOICES),
            "Choisissez acceptée, rejet partiel ou rejet total.",
        ),
        Validation(
            "decompte",
            tuple(CALENDAR_CHOICES),
            "Choisissez « jours calendaires » ou « jours ouvrables ».",
        ),
        Validation("ouinon", ("non", "oui"), "Choisissez « oui » ou « non »."),
        Validation("fenetre", tuple(WINDOW_CHOICES), "Choisissez « à droite » ou « à gauche »."),
    ]

    def style(column: Column) -> str:
        if column in DATE_COLUMNS:
            return "date"
        if column is Column.ORDER_NUMBER:
            return "text"  # typed as text so that 25.1601.010 never becomes a number
        return "wrap" if column in _LONG_TEXT_COLUMNS else "plain"

    listed = {Column.ORIGIN: "origine", Column.DECISION: "decision"}
    register = SheetSpec(
        REGISTER_SHEET,
        [(_WIDTHS[c], style(c)) for c in TEMPLATE_COLUMNS],
        header_rows=1,
        landscape=True,
    )
    register.rows.append((100, [CellSpec(HEADERS[c], "header") for c in TEMPLATE_COLUMNS]))
    register.repeated.append(
        (EMPTY_ROWS, [CellSpec(None, style(c), listed.get(c)) for c in TEMPLATE_COLUMNS])
    )

    values: dict[str, str | int | None] = {
        AGENCY_LABEL: agency,
        ACK_DAYS_LABEL: 10,
        ANSWER_MONTHS_LABEL: 2,
        CALENDAR_LABEL: CALENDAR_CHOICES[0],
        ALSACE_MOSELLE_LABEL: "non",
        INFORM_DAYS_LABEL: 30,
        WINDOW_LABEL: WINDOW_CHOICES[0],
    }
    choices = {
        CALENDAR_LABEL: "decompte",
        ALSACE_MOSELLE_LABEL: "ouinon",
        WINDOW_LABEL: "fenetre",
    }
    settings = SheetSpec(
        SETTINGS_SHEET, [(42, "plain"), (30, "plain"), (80, "note")], header_rows=1, landscape=True
    )
    settings.rows.append(
        (None, [CellSpec(t, "bold") for t in ("Paramètre", "Valeur", "Explication")])
    )
    for name, explanation in _SETTINGS_ROWS:
        cells = [
            CellSpec(name, "bold"),
            CellSpec(values.get(name), "value", choices.get(name)),
        ]
        # The reader takes every cell right of this label as a name: its explanation stays
        # in the Mode d'emploi.
        if name not in _PROMPTED:
            cells.append(CellSpec(explanation, "note"))
        settings.rows.append((45, cells))

    guide = SheetSpec(HELP_SHEET, [(_HELP_WIDTH, "wrap")])
    for kind, content in _HELP_LINES:
        lines = -(-len(content) // (_HELP_WIDTH - 12))
        height = 24 if kind == "title" else 21 if kind == "heading" else 15 * lines + 3
        cell_style = {"title": "title", "heading": "bold", "text": "wrap"}[kind]
        guide.rows.append((height, [CellSpec(content, cell_style)]))
    return build_ods(
        [register, settings, guide], validations, "Registre des réclamations et tableau de suivi"
    )


def init_register(path: str | os.PathLike[str], agency: str, *, fmt: str | None = None) -> Path:
    """Create a new register at ``path`` with ``agency`` filled in; return its path. ``fmt``
    (« xlsx » or « ods ») defaults to the file name's.

    Refuses (``RefusedError``) to overwrite an existing file. The workbook is written to a
    temporary file beside the target, then moved into place, so a failure leaves nothing behind.
    """
    target = Path(path)
    agency = agency.strip()
    if not is_valid_agency(agency):
        raise SuiviError(
            f"numéro d'agence « {agency} » invalide : indiquez des chiffres seulement "
            "(ex. --agence 1601)."
        )
    if target.is_dir():
        raise SuiviError(
            f"« {target} » est un dossier : indiquez un nom de fichier, "
            f"ex. {target / 'registre.xlsx'}.",
            path=target,
        )
    fmt = fmt or ("ods" if target.suffix.lower() == ".ods" else "xlsx")
    if target.suffix.lower() != f".{fmt}":
        raise SuiviError(
            f"« {target} » : le nom du registre doit se terminer par .{fmt} (ex. registre.{fmt}).",
            path=target,
        )
    if target.exists():
        raise RefusedError(
            f"« {target} » existe déjà : il n'a pas été modifié. Choisissez un autre nom "
            "ou supprimez d'abord ce fichier.",
            path=target,
        )
    folder = target.parent
    if not folder.is_dir():
        raise SuiviError(
            f"le dossier « {folder} » n'existe pas : créez-le ou choisissez un autre emplacement.",
            path=target,
        )

    content = build_template_ods(agency) if fmt == "ods" else build_template(agency)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=folder)
    temp = Path(temp_name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        # Checked again just before the move: the file may have appeared meanwhile.
        if target.exists():
            raise RefusedError(f"« {target} » existe déjà : il n'a pas été modifié.", path=target)
        os.replace(temp, target)
    finally:
        if temp.exists():
            temp.unlink()
    return target


def default_template_path() -> Path:
    """Where the committed template lives in a source checkout."""
    return Path(__file__).resolve().parents[2] / "templates" / "registre_modele.xlsx"


def main(argv: list[str] | None = None) -> int:
    """``python -m suivi_xlsx.outputs.template [PATH]``: (re)write the committed template."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else default_template_path()
    if not target.parent.is_dir():
        # Installed (not a checkout): there is no templates/ folder to refresh.
        print(f"Erreur : le dossier « {target.parent} » n'existe pas.", file=sys.stderr)
        return 2
    target.write_bytes(build_template())
    print(f"Modèle écrit : {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
