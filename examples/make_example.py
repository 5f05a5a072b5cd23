"""Generate ``examples/registre-exemple.xlsx``, the example register of the README.

A driving school's register as people really keep it: title rows above the header, one sheet
per year, the 2026 sheet with shorter headers and the regulatory columns, an extra column and
an extra sheet, a few dates typed as text, some late rows (today = 25/11/2026) and a few
mistakes for ``suivi-check`` to find:

- 2025: an invalid origin (« Réclamation »), a duplicated order number, a closing date typed
  before the date, a complaint closed after its due date, a survey answer left open;
- a *Paramètres* sheet (the school, its signatory and consumer mediator) and, on the 2026
  sheet, the answers given and the clients' addresses, so that ``suivi courrier`` writes
  letters from the example;
- 2026: a total rejection without means of redress, an overdue complaint (no answer after two
  months), an overdue improvement plan, a complaint not acknowledged after 10 days, an entry due
  in two days, a new complaint with no order number, year or due date (``suivi update`` fills
  them).

Deterministic (fixed dates, xlsxwriter's fixed zip timestamps): running it again gives the same
bytes, and a test checks the committed file against a fresh build.

Usage: ``python examples/make_example.py [PATH]``
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import math
import sys
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
OUTPUT = HERE / "registre-exemple.xlsx"
AGENCY = "1601"

MARTIN = "Mme MARTIN Sophie"
LEROY = "M. LEROY Julien"
BENALI = "Mme BENALI Nadia"

SEED_HEADERS = (
    "Année",
    "Date",
    "NOM Prénom Emetteur",
    "Numéro d'ordre aa.n°agence.n° d'ordre (ex : 12.1601.001)",
    'Origine (Mettre "FS" pour fiche signalétique si réclamation, ou "QS" pour Questionnaire '
    'de satisfaction, ou "PA" pour décision d\'amélioration)',
    "Objet",
    "Justificatif n° (le cas échéant)",
    "Suivi (Mettre date + commentaires du traitement)",
    "Nom de la personne chargée du dossier",
    "Date d'échéance",
    "Date de clôture",
)
# The 2026 sheet: the short headers a school ends up typing, then the regulatory columns.
HEADERS_2026 = (
    "Année",
    "Date de réception",
    "NOM Prénom Emetteur",
    "N° d'ordre",
    "Origine (FS / QS / PA)",
    "Objet",
    "Justificatif n°",
    "Suivi",
    "Personne chargée du dossier",
    "Date d'échéance",
    "DATE DE CLOTURE",
    "Date accusé de réception",
    "Date de réponse",
    "Décision",
    "Voies de recours indiquées",
    "Actions correctives",
    # Added later at the right, as schools do: what was answered, and where to write.
    "Réponse apportée",
    "Adresse",
    "CP",
    "Ville",
)

_AUTO = object()  # "compute it": the order number in sequence, the year of the date…


@dataclass(frozen=True)
class Row:
    """One entry of the example. Dates given as ``str`` are written as text, as people type."""

    date: dt.date | str
    origin: str
    issuer: str
    subject: str
    owner: str
    closed: dt.date | str | None = None
    follow_up: str | None = None
    due: dt.date | object | None = _AUTO
    number: str | object | None = _AUTO
    year: int | object | None = _AUTO
    evidence: str | None = None
    ack: dt.date | None = None
    answered: dt.date | None = None
    decision: str | None = None
    redress: str | None = None
    action: str | None = None  # corrective action recorded on a complaint
    remark: str | None = None
    answer: str | None = None  # the answer given to the client (2026 sheet)
    address: str | None = None  # the client's postal address (2026 sheet)
    postcode: str | int | None = None
    town: str | None = None


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return dt.date(year, month0 + 1, min(day.day, last))


def as_date(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.datetime.strptime(value, "%d/%m/%Y").date()


def d(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)


ROWS_2025: tuple[Row, ...] = (
    Row(
        d(2025, 1, 8),
        "FS",
        "PETIT Lucas",
        "Retard de l'inspecteur à l'examen pratique (45 min d'attente)",
        MARTIN,
        d(2025, 1, 20),
        "10/01/2025 : appel de l'élève, excuses ; 20/01/2025 : signalement à la DDT, "
        "réponse écrite envoyée",
    ),
    Row(
        d(2025, 1, 15),
        "QS",
        "DURAND Camille",
        "Questionnaire fin de formation : satisfaite, regrette l'attente au téléphone",
        LEROY,
        d(2025, 1, 31),
        "31/01/2025 : lu en réunion d'équipe",
    ),
    Row(
        d(2025, 1, 27),
        "FS",
        "MOREAU Emma (mère de Léa MOREAU)",
        "Demande de remboursement du forfait code non utilisé",
        MARTIN,
        d(2025, 2, 18),
        "03/02/2025 : étude du contrat ; 18/02/2025 : remboursement partiel accepté, virement",
        evidence="Courrier du 25/01",
        remark="Remboursement : 120 €",
    ),
    Row(
        d(2025, 2, 6),
        "PA",
        MARTIN.removeprefix("Mme "),
        "Standard téléphonique avec messagerie et rappel sous 24 h",
        MARTIN,
        d(2025, 4, 15),
        "06/02/2025 : devis demandé ; 15/04/2025 : messagerie en service",
    ),
    Row(
        d(2025, 2, 19),
        "FS",
        "GARCIA Hugo",
        "Comportement du moniteur jugé désagréable pendant la leçon",
        BENALI,
        d(2025, 3, 7),
        "21/02/2025 : entretien avec le moniteur ; 07/03/2025 : changement de moniteur "
        "proposé et accepté",
    ),
    Row(
        "05/03/2025",
        "QS",
        "ROUX Chloé",
        "Questionnaire : très satisfaite de la formation accélérée",
        LEROY,
        "14/03/2025",
        "14/03/2025 : transmis à l'équipe",
    ),
    Row(
        "12/03/2025",
        "FS",
        "FOURNIER Nathan",
        "Leçons de conduite annulées la veille à trois reprises",
        BENALI,
        d(2025, 4, 2),
        "13/03/2025 : appel de l'élève ; 02/04/2025 : 2 leçons offertes, planning revu",
        remark="Geste commercial",
    ),
    Row(
        d(2025, 3, 24),
        "PA",
        BENALI.removeprefix("Mme "),
        "Réservation des leçons de conduite en ligne par l'élève",
        BENALI,
        d(2025, 6, 20),
        "24/03/2025 : choix du logiciel ; 20/06/2025 : ouvert à tous les élèves",
    ),
    Row(  # mistake: closing date typed in April instead of May (before the date)
        d(2025, 4, 12),
        "PA",
        LEROY.removeprefix("M. "),
        "Affichage des tarifs et des conditions de remboursement à l'accueil",
        LEROY,
        d(2025, 4, 2),
        "02/05/2025 : affichage fait",
    ),
    Row(
        d(2025, 4, 22),
        "FS",
        "LAMBERT Inès",
        "Date d'examen du code reportée sans explication",
        MARTIN,
        d(2025, 5, 6),
        "23/04/2025 : appel au centre d'examen ; 06/05/2025 : nouvelle date, élève prévenue",
    ),
    Row(
        "29/04/2025",
        "QS",
        "BONNET Théo",
        "Questionnaire : salle de code trop bruyante",
        LEROY,
        d(2025, 5, 20),
        "20/05/2025 : rideaux et panneaux acoustiques commandés",
    ),
    Row(  # mistake: « Réclamation » is not an origin (FS was meant)
        d(2025, 5, 14),
        "Réclamation",
        "FRANCOIS Manon",
        "Erreur de facturation sur le forfait 20 heures",
        LEROY,
        d(2025, 5, 28),
        "28/05/2025 : facture corrigée et renvoyée",
        evidence="Facture 2025-118",
    ),
    Row(
        d(2025, 6, 3),
        "FS",
        "MERCIER Louis",
        "Véhicule école en panne, leçon non remplacée",
        BENALI,
        d(2025, 6, 12),
        "12/06/2025 : leçon reprogrammée et offerte",
    ),
    Row(
        d(2025, 6, 18),
        "QS",
        "BLANC Jade",
        "Questionnaire : ouvrir la salle de code le samedi",
        LEROY,
        d(2025, 7, 2),
        "02/07/2025 : décision d'amélioration prise (voir PA suivant)",
    ),
    Row(
        d(2025, 7, 1),
        "PA",
        MARTIN.removeprefix("Mme "),
        "Ouverture de la salle de code le samedi matin",
        MARTIN,
        d(2025, 9, 6),
        "06/09/2025 : ouverture le samedi de 9 h à 12 h",
    ),
    Row(  # closed ten days after its due date
        d(2025, 7, 9),
        "FS",
        "GUERIN Adam",
        "Délai trop long pour obtenir une date d'examen pratique",
        MARTIN,
        d(2025, 9, 19),
        "10/07/2025 : demande à la préfecture ; 19/09/2025 : date obtenue, élève prévenu",
    ),
    Row(
        d(2025, 8, 26),
        "QS",
        "ROBIN Lina",
        "Questionnaire : moniteurs à l'écoute, très bonne ambiance",
        LEROY,
        d(2025, 9, 5),
        "05/09/2025 : partagé avec l'équipe",
    ),
    Row(
        d(2025, 9, 10),
        "FS",
        "HENRY Paul",
        "Livret d'apprentissage non rempli après les leçons",
        BENALI,
        d(2025, 9, 24),
        "24/09/2025 : rappel aux moniteurs, livret mis à jour",
    ),
    Row(  # mistake: the previous number typed again
        d(2025, 9, 23),
        "QS",
        "MULLER Sarah",
        "Questionnaire : souhaite plus de leçons sur autoroute",
        LEROY,
        d(2025, 10, 3),
        "03/10/2025 : parcours autoroute ajouté au programme",
        number="25.1601.018",
    ),
    Row(
        d(2025, 10, 7),
        "PA",
        BENALI.removeprefix("Mme "),
        "Formation des moniteurs à l'accueil des élèves anxieux",
        BENALI,
        d(2025, 12, 12),
        "12/12/2025 : formation suivie par les 4 moniteurs",
    ),
    Row(
        d(2025, 10, 20),
        "FS",
        "FAURE Gabriel",
        "Refus de présenter l'élève à l'examen jugé injustifié",
        MARTIN,
        d(2025, 11, 14),
        "22/10/2025 : bilan de compétences ; 14/11/2025 : réponse écrite, 5 h proposées",
    ),
    Row(
        d(2025, 11, 5),
        "QS",
        "ANDRE Zoé",
        "Questionnaire : accueil très agréable",
        LEROY,
        d(2025, 11, 12),
        "12/11/2025 : RAS",
    ),
    Row(
        d(2025, 11, 24),
        "FS",
        "CHEVALIER Tom",
        "Demande de remboursement des frais d'inscription après déménagement",
        MARTIN,
        d(2025, 12, 19),
        "26/11/2025 : pièces demandées ; 19/12/2025 : remboursement accepté",
        remark="Remboursement : 80 €",
    ),
    Row(  # forgotten: still open, due 10/01/2026
        d(2025, 12, 10),
        "QS",
        "LEFEBVRE Alice",
        "Questionnaire : attente trop longue entre deux leçons",
        LEROY,
        None,
        "12/12/2025 : à voir en réunion",
    ),
)

_ACCEPTED = "acceptée"
_MEDIATOR = "Médiateur de la consommation (CNPM), indiqué dans la réponse"

ROWS_2026: tuple[Row, ...] = (
    Row(
        d(2026, 1, 6),
        "FS",
        "GIRARD Léo",
        "Examinateur arrivé avec 1 h de retard, examen écourté",
        MARTIN,
        d(2026, 1, 20),
        "08/01/2026 : AR ; 20/01/2026 : signalement à la DDT, réponse envoyée",
        ack=d(2026, 1, 8),
        answered=d(2026, 1, 20),
        decision=_ACCEPTED,
        action="Élèves convoqués 15 min plus tôt, contact direct du centre d'examen",
        answer=(
            "Le retard de l'examinateur a été signalé au centre d'examen ; votre examen a été "
            "reprogrammé en priorité."
        ),
        address="14 rue Carnot",
        postcode="74000",
        town="Annecy",
    ),
    Row(
        d(2026, 1, 14),
        "QS",
        "DUBOIS Lola",
        "Questionnaire : satisfaite, demande plus de créneaux en soirée",
        LEROY,
        d(2026, 1, 30),
        "30/01/2026 : créneaux 18 h-20 h ajoutés",
    ),
    Row(
        d(2026, 1, 29),
        "FS",
        "NICOLAS Maxime",
        "Remboursement du forfait permis demandé après abandon",
        MARTIN,
        d(2026, 2, 20),
        "03/02/2026 : AR ; 20/02/2026 : remboursement des leçons non prises seulement",
        evidence="FS-2026-03",
        ack=d(2026, 2, 3),
        answered=d(2026, 2, 20),
        decision="rejet partiel",
        redress=_MEDIATOR,
        answer=(
            "Les leçons non prises vous sont remboursées ; les frais de dossier et l'évaluation "
            "de départ, déjà réalisés, restent dus selon le contrat."
        ),
        address="2 allée des Tilleuls\nRésidence Le Parc",
        postcode=1210,  # typed as a number: Excel shows 1210, the letter 01210
        town="Ferney-Voltaire",
    ),
    Row(
        d(2026, 2, 10),
        "PA",
        MARTIN.removeprefix("Mme "),
        "Rappel SMS automatique la veille des leçons",
        MARTIN,
        d(2026, 4, 30),
        "30/04/2026 : rappels SMS en service",
    ),
    Row(
        d(2026, 2, 23),
        "FS",
        "PERRIN Anaïs",
        "Attitude du moniteur : remarques déplacées",
        BENALI,
        d(2026, 3, 10),
        "25/02/2026 : AR, entretien avec le moniteur ; 10/03/2026 : excuses écrites",
        ack=d(2026, 2, 25),
        answered=d(2026, 3, 10),
        decision=_ACCEPTED,
        answer="Nous vous présentons nos excuses ; le moniteur a été reçu en entretien.",
        address="7 chemin des Vignes",
        postcode="74940",
        town="Annecy-le-Vieux",
    ),
    Row(
        d(2026, 3, 9),
        "QS",
        "MOREL Ethan",
        "Questionnaire : le code en ligne est apprécié",
        LEROY,
        d(2026, 3, 20),
        "20/03/2026 : RAS",
    ),
    Row(
        d(2026, 3, 18),
        "FS",
        "ROUSSEL Clara",
        "Date d'examen du code non communiquée à temps",
        LEROY,
        d(2026, 4, 8),
        "20/03/2026 : AR ; 08/04/2026 : nouvelle convocation envoyée",
        ack=d(2026, 3, 20),
        answered=d(2026, 4, 8),
        decision=_ACCEPTED,
        answer="Une nouvelle convocation vous a été envoyée, avec nos excuses pour ce retard.",
        address="31 avenue de Genève",
        postcode="74000",
        town="Annecy",
    ),
    Row(
        d(2026, 4, 2),
        "QS",
        "FONTAINE Noah",
        "Questionnaire : véhicules propres et récents",
        LEROY,
        d(2026, 4, 10),
        "10/04/2026 : RAS",
    ),
    Row(  # mistake: total rejection, no means of redress given to the client
        d(2026, 4, 15),
        "FS",
        "CARON Louise",
        "Facturation de leçons annulées pour maladie (certificat fourni)",
        MARTIN,
        d(2026, 5, 12),
        "17/04/2026 : AR ; 12/05/2026 : refus, annulation hors délai de 48 h",
        evidence="Certificat médical",
        ack=d(2026, 4, 17),
        answered=d(2026, 5, 12),
        decision="rejet total",
        answer=(
            "Le règlement intérieur prévoit l'annulation au moins 48 heures à l'avance ; "
            "l'annulation ayant eu lieu le matin même, les leçons restent facturées."
        ),
        address="5 place des Romains",
        postcode="74000",
        town="Annecy",
    ),
    Row(
        d(2026, 5, 5),
        "PA",
        LEROY.removeprefix("M. "),
        "Procédure écrite d'annulation des leçons (délai de 48 h, justificatifs)",
        LEROY,
        d(2026, 7, 1),
        "01/07/2026 : procédure affichée et remise à chaque élève",
    ),
    Row(
        d(2026, 5, 20),
        "QS",
        "MASSON Jules",
        "Questionnaire : attente à l'accueil le mercredi",
        LEROY,
        d(2026, 6, 3),
        "03/06/2026 : deuxième personne à l'accueil le mercredi",
    ),
    Row(
        d(2026, 6, 8),
        "FS",
        "DUMONT Rose",
        "Leçons de conduite planifiées sans prévenir l'élève",
        BENALI,
        d(2026, 6, 26),
        "10/06/2026 : AR ; 26/06/2026 : leçons replanifiées avec l'élève",
        ack=d(2026, 6, 10),
        answered=d(2026, 6, 26),
        decision=_ACCEPTED,
        action="Confirmation par SMS de chaque leçon planifiée",
        answer="Vos leçons ont été replanifiées avec vous ; chaque leçon sera confirmée par SMS.",
        address="18 route de Thônes",
        postcode="74940",
        town="Annecy-le-Vieux",
    ),
    Row(  # overdue improvement plan
        d(2026, 6, 15),
        "PA",
        BENALI.removeprefix("Mme "),
        "Grille d'évaluation commune à tous les moniteurs",
        BENALI,
        None,
        "15/06/2026 : groupe de travail ; 10/09/2026 : projet de grille en relecture",
        due=d(2026, 9, 30),
    ),
    Row(
        d(2026, 7, 2),
        "QS",
        "BRUN Mila",
        "Questionnaire : très bon accompagnement le jour de l'examen",
        LEROY,
        d(2026, 7, 10),
        "10/07/2026 : RAS",
    ),
    Row(
        d(2026, 7, 16),
        "FS",
        "SCHMITT Arthur",
        "Examen pratique annulé par l'administration, aucune nouvelle date",
        MARTIN,
        d(2026, 8, 28),
        "20/07/2026 : AR ; 28/08/2026 : nouvelle date obtenue",
        ack=d(2026, 7, 20),
        answered=d(2026, 8, 28),
        decision=_ACCEPTED,
        answer="Une nouvelle date d'examen a été obtenue auprès de la préfecture.",
        address="9 rue du Pâquier",
        postcode="74000",
        town="Annecy",
    ),
    Row(  # overdue complaint: acknowledged, never answered
        d(2026, 8, 28),
        "FS",
        "MEYER Jeanne",
        "Demande de remboursement du forfait conduite (déménagement)",
        MARTIN,
        None,
        "01/09/2026 : AR envoyé ; 15/09/2026 : transfert du dossier demandé à Bordeaux",
        ack=d(2026, 9, 1),
        address="40 cours Victor Hugo",
        postcode="33000",
        town="Bordeaux",
    ),
    Row(
        d(2026, 9, 7),
        "QS",
        "BARBIER Hugo",
        "Questionnaire : salle de code trop chaude",
        LEROY,
        d(2026, 9, 18),
        "18/09/2026 : ventilateurs installés",
    ),
    Row(
        d(2026, 9, 21),
        "FS",
        "ARNAUD Eva",
        "Moniteur au téléphone pendant la leçon",
        BENALI,
        d(2026, 10, 5),
        "23/09/2026 : AR ; 05/10/2026 : rappel du règlement, leçon offerte",
        ack=d(2026, 9, 23),
        answered=d(2026, 10, 5),
        decision=_ACCEPTED,
        action="Téléphone rangé pendant les leçons (charte des moniteurs, PA du 01/10/2026)",
        answer="Le règlement a été rappelé au moniteur et une leçon vous est offerte.",
        address="3 impasse des Lilas",
        postcode="74370",
        town="Pringy",
    ),
    Row(
        d(2026, 10, 1),
        "PA",
        MARTIN.removeprefix("Mme "),
        "Charte de bonne conduite des moniteurs",
        MARTIN,
        None,
        "01/10/2026 : rédaction en cours",
        due=d(2027, 1, 15),
    ),
    Row(
        d(2026, 10, 14),
        "FS",
        "RENAUD Nina",
        "Délai pour obtenir une place d'examen pratique",
        MARTIN,
        d(2026, 11, 2),
        "16/10/2026 : AR ; 02/11/2026 : pas de place avant janvier, élève inscrit en liste",
        ack=d(2026, 10, 16),
        answered=d(2026, 11, 2),
        decision="rejet partiel",
        redress="Médiateur de la consommation",
        answer=(
            "Aucune place d'examen n'est disponible avant janvier : vous êtes inscrite sur la "
            "liste d'attente et serez prévenue dès qu'une place se libère."
        ),
        address="12 rue de la Paix",
        postcode="74100",
        town="Annemasse",
    ),
    Row(  # due in two days
        d(2026, 10, 27),
        "QS",
        "GAUTHIER Léon",
        "Questionnaire : souhaite des leçons le dimanche",
        LEROY,
        None,
        "27/10/2026 : à étudier en réunion",
    ),
    Row(  # not acknowledged 10 days after receipt
        d(2026, 11, 5),
        "FS",
        "COLIN Margaux",
        "Moniteur absent, leçon ni remplacée ni remboursée",
        BENALI,
        None,
        None,
        address="6 rue des Écoles",
        postcode="74960",
        town="Cran-Gevrier",
    ),
    Row(
        d(2026, 11, 12),
        "FS",
        "VIDAL Samuel",
        "Erreur dans le dossier ANTS, inscription retardée",
        LEROY,
        None,
        "13/11/2026 : AR envoyé, dossier ANTS corrigé",
        ack=d(2026, 11, 13),
        address="22 avenue de Brogny",
        postcode="74000",
        town="Annecy",
    ),
    Row(
        d(2026, 11, 18),
        "QS",
        "LEMAIRE Julia",
        "Questionnaire : très satisfaite, recommande l'auto-école",
        LEROY,
        d(2026, 11, 20),
        "20/11/2026 : RAS",
        year=None,
    ),
    Row(  # just typed in: no number, no year, no due date (suivi update fills them)
        d(2026, 11, 20),
        "FS",
        "ROCHE Enzo",
        "Comportement de l'examinateur jugé agressif",
        MARTIN,
        None,
        None,
        due=None,
        number=None,
        year=None,
    ),
)

_DUE_MONTHS = {"FS": 2, "QS": 1, "PA": 3}


def _resolved(rows: tuple[Row, ...], year: int) -> list[Row]:
    """Fill the ``_AUTO`` fields: numbers in sequence, year, due date by origin."""
    out: list[Row] = []
    seq = 0
    for row in rows:
        number = row.number
        if number is _AUTO:
            seq += 1
            number = f"{year % 100:02d}.{AGENCY}.{seq:03d}"
        due = row.due
        if due is _AUTO:
            due = add_months(as_date(row.date), _DUE_MONTHS.get(row.origin, 2))
        row_year = year if row.year is _AUTO else row.year
        out.append(replace(row, number=number, due=due, year=row_year))
    return out


def build_example() -> bytes:
    """The example register as ``.xlsx`` bytes (the same bytes on every run)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties(
        {
            "title": "Registre des réclamations — Auto-école Exemple",
            "author": "Auto-école Exemple",
            "created": dt.datetime(2026, 11, 25, 9, 0, 0),
        }
    )
    fmt = _Formats(book)
    _sheet_2025(book, fmt)
    _sheet_2026(book, fmt)
    _staff_sheet(book, fmt)
    _settings_sheet(book, fmt)
    book.close()
    return buffer.getvalue()


class _Formats:
    def __init__(self, book: Any) -> None:
        self.title = book.add_format({"bold": True, "font_size": 14, "font_color": "#1F3864"})
        self.subtitle = book.add_format({"italic": True, "font_color": "#595959"})
        self.header = book.add_format(
            {
                "bold": True,
                "text_wrap": True,
                "valign": "vcenter",
                "align": "center",
                "bg_color": "#DDEBF7",
                "border": 1,
                "font_size": 9,
            }
        )
        self.text = book.add_format({"valign": "top", "border": 1, "border_color": "#BFBFBF"})
        self.wrap = book.add_format(
            {"valign": "top", "text_wrap": True, "border": 1, "border_color": "#BFBFBF"}
        )
        self.date = book.add_format(
            {"valign": "top", "num_format": "dd/mm/yyyy", "border": 1, "border_color": "#BFBFBF"}
        )
        self.bold = book.add_format({"bold": True})


def _write_date(sheet: Any, row: int, col: int, value: object, fmt: _Formats) -> None:
    if value is None:
        sheet.write_blank(row, col, None, fmt.date)
    elif isinstance(value, str):
        sheet.write_string(row, col, value, fmt.text)  # a date typed as text
    else:
        assert isinstance(value, dt.date)
        sheet.write_datetime(row, col, dt.datetime.combine(value, dt.time()), fmt.date)


def _write_text(sheet: Any, row: int, col: int, value: object, style: Any) -> None:
    if value is None:
        sheet.write_blank(row, col, None, style)
    elif isinstance(value, int):
        sheet.write_number(row, col, value, style)
    else:
        sheet.write_string(row, col, str(value), style)


def _row_height(row: Row) -> float:
    """Room for the wrapped subject and follow-up (xlsxwriter does not autofit rows)."""
    lines = max(
        math.ceil(len(row.subject) / 40),
        math.ceil(len(row.follow_up or "") / 52),
        math.ceil(len(row.redress or "") / 32),
        1,
    )
    return 15.0 * lines


def _write_seed_cells(sheet: Any, r: int, row: Row, fmt: _Formats) -> None:
    sheet.set_row(r, _row_height(row))
    _write_text(sheet, r, 0, row.year, fmt.text)
    _write_date(sheet, r, 1, row.date, fmt)
    _write_text(sheet, r, 2, row.issuer, fmt.text)
    _write_text(sheet, r, 3, row.number, fmt.text)
    _write_text(sheet, r, 4, row.origin, fmt.text)
    _write_text(sheet, r, 5, row.subject, fmt.wrap)
    _write_text(sheet, r, 6, row.evidence, fmt.text)
    _write_text(sheet, r, 7, row.follow_up, fmt.wrap)
    _write_text(sheet, r, 8, row.owner, fmt.text)
    _write_date(sheet, r, 9, row.due, fmt)
    _write_date(sheet, r, 10, row.closed, fmt)


_SEED_WIDTHS = (7, 11, 26, 15, 14, 42, 16, 55, 20, 11, 11)


def _sheet_2025(book: Any, fmt: _Formats) -> None:
    sheet = book.add_worksheet("2025")
    headers = [*SEED_HEADERS, "Remarques"]
    sheet.merge_range(
        0,
        0,
        0,
        len(headers) - 1,
        "Auto-école Exemple — Suivi des fiches signalétiques et des plans d'améliorations "
        "Grand Public",
        fmt.title,
    )
    sheet.merge_range(
        1,
        0,
        1,
        len(headers) - 1,
        "Agence n° 1601 — 12 rue des Lilas, 16000 Angoulême",
        fmt.subtitle,
    )
    header_row = 3
    for col, (text, width) in enumerate(zip(headers, [*_SEED_WIDTHS, 22], strict=True)):
        sheet.write_string(header_row, col, text, fmt.header)
        sheet.set_column(col, col, width)
    sheet.set_row(header_row, 96)
    rows = _resolved(ROWS_2025, 2025)
    for offset, row in enumerate(rows, start=1):
        r = header_row + offset
        _write_seed_cells(sheet, r, row, fmt)
        _write_text(sheet, r, 11, row.remark, fmt.text)
    sheet.freeze_panes(header_row + 1, 0)
    sheet.autofilter(header_row, 0, header_row + len(rows), len(headers) - 1)
    _print_setup(sheet, header_row)


def _sheet_2026(book: Any, fmt: _Formats) -> None:
    sheet = book.add_worksheet("2026")
    sheet.merge_range(
        0,
        0,
        0,
        len(HEADERS_2026) - 1,
        "Auto-école Exemple — Registre des réclamations et suivi qualité 2026 (agence 1601)",
        fmt.title,
    )
    header_row = 2
    widths = (*_SEED_WIDTHS, 13, 13, 13, 34, 34, 40, 28, 8, 16)
    for col, (text, width) in enumerate(zip(HEADERS_2026, widths, strict=True)):
        sheet.write_string(header_row, col, text, fmt.header)
        sheet.set_column(col, col, width)
    sheet.set_row(header_row, 32)
    rows = _resolved(ROWS_2026, 2026)
    for offset, row in enumerate(rows, start=1):
        r = header_row + offset
        _write_seed_cells(sheet, r, row, fmt)
        _write_date(sheet, r, 11, row.ack, fmt)
        _write_date(sheet, r, 12, row.answered, fmt)
        _write_text(sheet, r, 13, row.decision, fmt.text)
        _write_text(sheet, r, 14, row.redress, fmt.wrap)
        _write_text(sheet, r, 15, row.action, fmt.wrap)
        _write_text(sheet, r, 16, row.answer, fmt.wrap)
        _write_text(sheet, r, 17, row.address, fmt.wrap)
        if isinstance(row.postcode, int):
            sheet.write_number(r, 18, row.postcode)
        else:
            _write_text(sheet, r, 18, row.postcode, fmt.text)
        _write_text(sheet, r, 19, row.town, fmt.text)
    sheet.freeze_panes(header_row + 1, 3)
    sheet.autofilter(header_row, 0, header_row + len(rows), len(HEADERS_2026) - 1)
    sheet.data_validation(
        header_row + 1,
        4,
        header_row + 500,
        4,
        {"validate": "list", "source": ["FS", "QS", "PA"]},
    )
    _print_setup(sheet, header_row)
    sheet.activate()


def _staff_sheet(book: Any, fmt: _Formats) -> None:
    sheet = book.add_worksheet("Équipe")
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 40)
    sheet.write_row(0, 0, ["Nom", "Rôle"], fmt.bold)
    staff = (
        (MARTIN, "Gérante, responsable qualité"),
        (LEROY, "Secrétariat, accueil"),
        (BENALI, "Responsable pédagogique"),
        ("M. ROSSI Marco", "Enseignant de la conduite"),
        ("Mme NGUYEN Linh", "Enseignante de la conduite"),
    )
    for r, (name, role) in enumerate(staff, start=1):
        sheet.write_row(r, 0, [name, role])


# The school's settings: its identity and its consumer mediator, for « suivi courrier ».
SETTINGS: tuple[tuple[str, str | int], ...] = (
    ("Numéro d'agence", AGENCY),
    ("Délai d'accusé de réception (jours)", 10),
    ("Délai de réponse (mois)", 2),
    ("Nom de l'auto-école", "Auto-école Exemple"),
    ("Adresse de l'auto-école", "8 rue Royale\n74000 Annecy"),
    ("Signataire des courriers", "Sophie Martin, gérante"),
    ("Médiateur : nom", "CNPM Médiation Consommation"),
    ("Médiateur : adresse", "27 avenue de la Libération\n42400 Saint-Chamond"),
    ("Médiateur : site internet", "www.cnpm-mediation-consommation.eu"),
    ("Fenêtre de l'enveloppe", "à droite"),
)


def _settings_sheet(book: Any, fmt: _Formats) -> None:
    sheet = book.add_worksheet("Paramètres")
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 1, 40)
    sheet.write_row(0, 0, ["Paramètre", "Valeur"], fmt.bold)
    for r, (label, value) in enumerate(SETTINGS, start=1):
        sheet.write_string(r, 0, label)
        _write_text(sheet, r, 1, value, fmt.wrap)


def _print_setup(sheet: Any, header_row: int) -> None:
    sheet.set_landscape()
    sheet.set_paper(9)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(header_row)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else OUTPUT
    target.write_bytes(build_example())
    print(f"Exemple écrit : {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
