"""Findings as data: the code table, ``Finding`` and ``Report``.

The code table is the single declaration of every finding code: its severity, its French message
template and a one-line French description. Rules, ``--ignore``, the JSON output and the README
all read it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from suivi_xlsx.domain.a1 import cell_ref

if TYPE_CHECKING:
    from suivi_xlsx.domain.model import Column, Entry


class Severity(Enum):
    """How serious a finding is. The values are what users see."""

    ERROR = "erreur"
    LATE = "retard"
    WARNING = "avertissement"


@dataclass(frozen=True, slots=True)
class CodeSpec:
    """One finding code: severity, French message template, French one-line description."""

    code: str
    severity: Severity
    template: str
    description: str


def _table(*specs: CodeSpec) -> Mapping[str, CodeSpec]:
    return MappingProxyType({spec.code: spec for spec in specs})


_E, _R, _W = Severity.ERROR, Severity.LATE, Severity.WARNING

#: Every finding code, in display order within each severity.
CODES: Mapping[str, CodeSpec] = _table(
    # erreur
    CodeSpec(
        "colonne-manquante",
        _E,
        "Colonne « {colonne} » introuvable dans l'en-tête (ligne {ligne} : {vus}). Renommez "
        "l'en-tête de cette colonne, ou gardez le vôtre et déclarez-le dans la feuille "
        "Paramètres : une ligne « En-tête {colonne} » suivie de votre intitulé.",
        "une colonne du tableau de suivi manque dans l'en-tête",
    ),
    CodeSpec(
        "champ-obligatoire",
        _E,
        "{colonne} vide : ce champ est obligatoire.",
        "Date, Émetteur, Origine ou Objet vide",
    ),
    CodeSpec(
        "date-invalide",
        _E,
        "{colonne} : « {valeur} » n'est pas une date lisible (attendu jj/mm/aaaa).",
        "une date illisible",
    ),
    CodeSpec(
        "origine-invalide",
        _E,
        "Origine « {valeur} » inconnue : indiquez FS, QS ou PA.",
        "une origine autre que FS, QS ou PA",
    ),
    CodeSpec(
        "numero-invalide",
        _E,
        "Numéro d'ordre « {valeur} » invalide : format attendu aa.agence.nnn (ex. 25.1601.007).",
        "un numéro d'ordre qui n'est pas de la forme aa.agence.nnn",
    ),
    CodeSpec(
        "numero-ambigu",
        _E,
        "Numéro d'ordre « {valeur} » ambigu : {lectures} ? Écrivez-le aa.agence.nnn.",
        "numéro d'ordre lisible de deux façons (année et agence à deux chiffres)",
    ),
    CodeSpec(
        "numero-duplique",
        _E,
        "Numéro d'ordre {numero} déjà utilisé ({premier}).",
        "un numéro d'ordre déjà utilisé (dans n'importe quelle feuille)",
    ),
    CodeSpec(
        "numero-annee",
        _E,
        "Numéro d'ordre {numero} : l'année « {aa} » ne correspond pas à la date du {date}.",
        "l'année du numéro d'ordre diffère de l'année de la date",
    ),
    CodeSpec(
        "annee-incoherente",
        _E,
        "Année {annee} différente de l'année de la date du {date}.",
        "la colonne Année diffère de l'année de la date",
    ),
    CodeSpec(
        "dates-incoherentes",
        _E,
        "{colonne} du {autre} antérieure à la date du {date}.",
        "date de clôture ou d'échéance antérieure à la date",
    ),
    CodeSpec(
        "voies-de-recours-manquantes",
        _E,
        "Réclamation en {decision} sans voies de recours indiquées au client.",
        "réclamation rejetée en tout ou partie sans voies de recours indiquées",
    ),
    # retard
    CodeSpec(
        "en-retard",
        _R,
        "En retard : échéance du {echeance} dépassée de {jours}, dossier non clôturé.",
        "dossier non clôturé dont l'échéance est passée",
    ),
    CodeSpec(
        "reponse-en-retard",
        _R,
        "Réclamation reçue le {date} sans réponse : réponse due au plus tard le {limite}.",
        "réclamation sans réponse 2 mois après sa réception",
    ),
    CodeSpec(
        "accuse-reception-en-retard",
        _R,
        "Réclamation reçue le {date} sans accusé de réception : dû au plus tard le {limite}.",
        "réclamation sans accusé de réception ni réponse 10 jours après sa réception",
    ),
    # avertissement
    CodeSpec(
        "numero-manquant",
        _W,
        "Numéro d'ordre manquant (« suivi complete » peut l'attribuer).",
        "ligne sans numéro d'ordre",
    ),
    CodeSpec(
        "date-future",
        _W,
        "{colonne} du {date}, postérieure à la date de référence du {reference} : vérifiez "
        "l'année (faute de frappe ?).",
        "une date de réception, d'accusé de réception ou de réponse après la date de référence",
    ),
    CodeSpec(
        "echeance-manquante",
        _W,
        "Date d'échéance manquante pour un dossier en cours.",
        "dossier en cours sans date d'échéance",
    ),
    CodeSpec(
        "echeance-proche",
        _W,
        "Échéance proche : le {echeance} ({quand}).",
        "dossier en cours dont l'échéance tombe dans les 7 jours (--proche)",
    ),
    CodeSpec(
        "cloture-tardive",
        _W,
        "Clôturé le {cloture}, après l'échéance du {echeance} ({jours} de retard).",
        "dossier clôturé après son échéance",
    ),
    CodeSpec(
        "echeance-depassant-delai",
        _W,
        "Échéance du {echeance} au-delà du délai de réponse de {mois} mois (le {limite}).",
        "réclamation dont l'échéance dépasse le délai de réponse de 2 mois",
    ),
    CodeSpec(
        "responsable-manquant",
        _W,
        "Aucune personne chargée du dossier alors qu'il est en cours.",
        "dossier en cours sans personne chargée du dossier",
    ),
    CodeSpec(
        "suivi-manquant",
        _W,
        "Dossier clôturé sans commentaire de suivi.",
        "dossier clôturé sans suivi renseigné",
    ),
    CodeSpec(
        "numero-sequence",
        _W,
        "Numéro {numero} hors séquence : {detail}.",
        "numéros d'ordre sautés ou en double emploi dans une série (par année et agence) ; "
        "un numéro attribué après coup à une fiche plus ancienne n'est pas signalé",
    ),
    CodeSpec(
        "accuse-reception-tardif",
        _W,
        "Accusé de réception {quand}, après le délai du {limite} (réclamation reçue le {date}).",
        "réclamation dont l'accusé de réception est parti après le délai de 10 jours (sauf "
        "réponse dans ce délai)",
    ),
    CodeSpec(
        "reponse-tardive",
        _W,
        "Réponse {quand}, après le délai du {limite} (réclamation reçue le {date}).",
        "réclamation répondue après le délai de 2 mois",
    ),
    CodeSpec(
        "date-texte",
        _W,
        "{colonne} : « {valeur} » est une date saisie comme du texte ; Excel ne la voit pas "
        "comme une date (pas de surlignage des retards). « suivi complete --convertir-dates » la "
        "convertit.",
        "date saisie comme du texte",
    ),
    CodeSpec(
        "date-sans-annee",
        _W,
        "{colonne} : « {valeur} » n'a pas d'année ; lue comme le {date} (année prise dans "
        "{source}) : écrivez la date entière (jj/mm/aaaa). « suivi complete --convertir-dates » "
        "l'écrit ainsi.",
        "date sans année (« 3 mars », « 03/03 ») : lue avec l'année de la ligne",
    ),
    CodeSpec(
        "date-non-indiquee",
        _W,
        "{colonne} : « {valeur} » dit que c'est fait, sans la date : indiquez la date "
        "(jj/mm/aaaa).",
        "« clôturé », « fait », « oui »… à la place d'une date",
    ),
    CodeSpec(
        "origine-a-corriger",
        _W,
        "Origine « {valeur} » lue comme {origine} : écrivez {origine}.",
        "origine écrite en toutes lettres (« Réclamation » pour FS…)",
    ),
    CodeSpec(
        "numero-a-corriger",
        _W,
        "Numéro d'ordre « {valeur} » lu comme {numero} : écrivez {numero}.",
        "numéro d'ordre mal écrit mais compréhensible (25.1601.1, 25-1601-002…)",
    ),
    CodeSpec(
        "decision-invalide",
        _W,
        "Décision « {valeur} » illisible : indiquez {formulations}.",
        "décision autre qu'acceptée, rejet partiel ou rejet total",
    ),
    CodeSpec(
        "reponse-manquante",
        _W,
        "Réclamation {quand} sans « Réponse apportée » : notez la réponse donnée au client.",
        "réclamation répondue ou clôturée sans réponse apportée notée (si la colonne existe)",
    ),
    CodeSpec(
        "action-corrective-manquante",
        _W,
        "Dysfonctionnement relevé (« {dysfonctionnement} ») sans action corrective : "
        "notez-la dans « Actions correctives » ou dans une fiche PA qui cite {numero}.",
        "réclamation avec dysfonctionnement, sans action corrective ni fiche PA qui la cite",
    ),
    CodeSpec(
        "suivi-sans-date",
        _W,
        "Suivi sans date (« {extrait} ») : notez la date de chaque étape (jj/mm/aaaa).",
        "commentaire de suivi sans aucune date",
    ),
    CodeSpec(
        "client-sans-nouvelles",
        _W,
        "Réclamation en cours : dernière étape datée le {date} ({depuis}), au-delà de "
        "{intervalle} sans nouvelles pour le client. Informez-le et notez la date dans Suivi.",
        "réclamation en cours dont la dernière étape datée remonte à plus de 30 jours (Paramètres)",
    ),
    CodeSpec(
        "responsable-non-habilite",
        _W,
        "« {nom} » n'est pas dans la liste des personnes habilitées à répondre aux "
        "réclamations (Paramètres : {habilites}).",
        "réclamation confiée à une personne absente de la liste des personnes habilitées",
    ),
)

#: The command that fixes a code's findings, for the codes one does: the check's grouped text
#: names it beside the count. Only commands that change the register so that the finding goes
#: away (tests/test_cli_readable.py runs them and checks again); number-neutral wording.
FIXES: Mapping[str, str] = MappingProxyType(
    {
        "numero-manquant": "« suivi complete » attribue les numéros d'ordre (lignes datées)",
        "echeance-manquante": "« suivi complete » inscrit celle des réclamations (FS)",
        "date-texte": "« suivi complete --convertir-dates » les convertit en dates",
        "date-sans-annee": "« suivi complete --convertir-dates » écrit les dates entières",
        "origine-a-corriger": "« suivi complete --corriger-ecritures » écrit le bon code",
        "numero-a-corriger": "« suivi complete --corriger-ecritures » écrit le bon numéro",
    }
)

_SPECS: dict[str, CodeSpec] = dict(CODES)  # a plain dict: faster look-ups than the proxy

SEVERITY_ORDER: tuple[Severity, ...] = (Severity.ERROR, Severity.LATE, Severity.WARNING)


def fr_count(count: int, singular: str, plural: str) -> str:
    """``count`` and its noun, with French agreement: 0 and 1 take the singular."""
    return f"{count} {singular if count <= 1 else plural}"


def fr_days_until(count: int) -> str:
    """When a date ``count`` days ahead falls: ``aujourd'hui``, ``demain``, ``dans 3 jours``."""
    if count == 0:
        return "aujourd'hui"
    if count == 1:
        return "demain"
    return f"dans {fr_count(count, 'jour', 'jours')}"


#: French month names, January first (letters, the bilan's monthly table).
FRENCH_MONTHS: tuple[str, ...] = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


@lru_cache(maxsize=4096)  # a register's dates repeat: a few hundred days a year
def fr_date(value: dt.date) -> str:
    """A date as French users write it: ``05/03/2025``."""
    return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a register: where it is and what it is, in French."""

    code: str
    severity: Severity
    sheet: str | None
    row: int | None  # the row number as Excel shows it
    cell: str | None  # e.g. ``J14``
    order_number: str | None  # the entry's order number as typed, when it has one
    message: str

    @classmethod
    def at(cls, entry: Entry, column: Column | None, code: str, **params: object) -> Finding:
        """A finding about ``entry``, pointing at its cell in ``column`` when the sheet has it."""
        spec = _SPECS[code]
        index = entry.columns.get(column) if column is not None else None
        row = entry.row
        # Positional: called for every finding, tens of thousands on a large register.
        return cls(
            code,
            spec.severity,
            entry.sheet,
            row,
            cell_ref(row, index) if index is not None else None,
            entry.order_text,
            spec.template.format(**params),
        )

    @classmethod
    def on_sheet(
        cls,
        sheet: str,
        code: str,
        *,
        row: int | None = None,
        cell: str | None = None,
        **params: object,
    ) -> Finding:
        """A finding about a sheet as a whole (e.g. a missing column)."""
        spec = CODES[code]
        return cls(
            code=code,
            severity=spec.severity,
            sheet=sheet,
            row=row,
            cell=cell,
            order_number=None,
            message=spec.template.format(**params),
        )


@dataclass(frozen=True, slots=True)
class Report:
    """The result of checking a register."""

    file: Path | None
    today: dt.date
    entries: int  # how many entries were read
    findings: tuple[Finding, ...]

    @property
    def counts(self) -> dict[str, int]:
        """Number of findings by severity value (``erreur``, ``retard``, ``avertissement``)."""
        counts = {severity.value: 0 for severity in SEVERITY_ORDER}
        for finding in self.findings:
            counts[finding.severity.value] += 1
        return counts

    @property
    def exit_status(self) -> int:
        """0 when there is no ``erreur`` and no ``retard``, else 1."""
        bad = (Severity.ERROR, Severity.LATE)
        return 1 if any(f.severity in bad for f in self.findings) else 0
