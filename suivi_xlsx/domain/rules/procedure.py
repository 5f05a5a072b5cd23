"""Rules about the rest of the complaint procedure (the seed's « Plan de gestion des
réclamations »): the answer written down, a corrective action for each dysfunction, a dated
follow-up, the client kept informed, and the person in charge authorised to answer.

Open, answered and the answer's evidence come from ``procedure`` (the one truth every command
shares); which PA entry answers a complaint from ``procedure_links`` (shared with the annual
summary). Every rule is a tight loop over the entries with its cheapest test first: most
entries are not complaints, have no dysfunction, or were received recently.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from suivi_xlsx.domain.findings import Finding, fr_count, fr_date
from suivi_xlsx.domain.links import NumberKey, entry_key, has_corrective_action, pa_references
from suivi_xlsx.domain.model import Column, Entry, Origin
from suivi_xlsx.domain.numbering import parse_loose_order_number
from suivi_xlsx.domain.people import display_name, person_key
from suivi_xlsx.domain.procedure import answer, is_open_at
from suivi_xlsx.domain.rules.base import Context, rule
from suivi_xlsx.domain.values import dates_in_text, has_date
from suivi_xlsx.domain.vocabulary import says_nothing

_DIGIT = re.compile(r"[0-9]")
# The most common way to date a step, tested on the raw text before the thorough ``has_date``.
_QUICK_DATE = re.compile(r"(?<![0-9])[0-9]{1,2}\s*[/.\-]\s*[0-9]{1,2}(?![0-9])")
_STARTS_WITH_DATE = re.compile(r"[0-9]{1,2}\s*[/.\-]\s*[0-9]{1,2}(?![0-9])")  # the usual way
_EXCERPT = 40  # characters of a cell quoted in a message
_QUICK_UP_TO = 2000  # characters: the quick test first on texts up to this length


def _excerpt(text: str) -> str:
    """The start of a cell, on one line, for a message."""
    flat = " ".join(text[: 4 * _EXCERPT].split())  # the start is all a message quotes
    return flat if len(flat) <= _EXCERPT else flat[: _EXCERPT - 1].rstrip() + "…"


# --- reponse-manquante ---------------------------------------------------------------------


@rule("reponse-manquante")
def missing_answer_text(ctx: Context) -> Iterator[Finding]:
    """A complaint answered (Date de réponse) or closed, with no « Réponse apportée », on a
    sheet that has that column. The seed: « en indiquant la date et la réponse apportée »."""
    today, deadlines, fs, answer_column = ctx.today, ctx.deadlines, Origin.FS, Column.ANSWER
    for sheet in ctx.register.sheets:
        if answer_column not in sheet.columns:
            continue
        for e in sheet.entries:
            if e.origin is not fs:
                continue
            text = e.answer
            if text is not None and not says_nothing(text):
                continue
            step = answer(e, deadlines, today)
            if step is None or not step.done:
                continue
            if step.done_on is None:
                when = "indiquée comme répondue"
            elif step.evidence is Column.ANSWER_DATE:
                when = f"répondue le {fr_date(step.done_on)}"
            else:
                when = f"clôturée le {fr_date(step.done_on)}"
            yield Finding.at(e, answer_column, "reponse-manquante", quand=when)


# --- action-corrective-manquante -----------------------------------------------------------

_PA_REFERENCES = "procedure.pa_references"


def _referenced(ctx: Context) -> dict[NumberKey, list[Entry]]:
    """The order numbers PA entries refer to, computed once per check."""
    found = ctx.memo.get(_PA_REFERENCES)
    if found is None:
        found = ctx.memo[_PA_REFERENCES] = pa_references(ctx.entries)
    return found  # type: ignore[return-value]


@rule("action-corrective-manquante")
def missing_corrective_action(ctx: Context) -> Iterator[Finding]:
    """A complaint whose Dysfonctionnements names a failure, with no corrective action in its
    own row and no PA entry citing its order number. The seed: « déterminer et mettre en
    œuvre les actions correctives »."""
    fs, actions, dysfunctions = Origin.FS, Column.CORRECTIVE_ACTIONS, Column.DYSFUNCTIONS
    for e in ctx.entries:
        text = e.dysfunctions
        if text is None or e.origin is not fs or says_nothing(text) or has_corrective_action(e):
            continue
        key = entry_key(e)
        if key is not None and key in _referenced(ctx):
            continue
        number = e.order_number
        if number is None and e.order_text is not None:
            number = parse_loose_order_number(e.order_text)
        yield Finding.at(
            e,
            actions if actions in e.columns else dysfunctions,
            "action-corrective-manquante",
            dysfonctionnement=_excerpt(text),
            numero=f"le n° {number}" if number is not None else "son numéro d'ordre",
        )


# --- suivi-sans-date -----------------------------------------------------------------------


@rule("suivi-sans-date")
def undated_follow_up(ctx: Context) -> Iterator[Finding]:
    """A Suivi cell with text but no date in it: the column asks for « date + commentaires ».
    A cell saying nothing (« - », « néant ») is left to the rules about an empty Suivi."""
    follow_up, digit, quick = Column.FOLLOW_UP, _DIGIT.search, _QUICK_DATE.search
    starts = _STARTS_WITH_DATE.match
    for e in ctx.entries:
        text = e.follow_up
        if text is None or starts(text) is not None:
            continue
        if len(text) > _QUICK_UP_TO:  # a long text: one pass of has_date, not three
            if has_date(text):
                continue
        elif quick(text) is not None or (digit(text) is not None and has_date(text)):
            continue
        if says_nothing(text):
            continue
        yield Finding.at(e, follow_up, "suivi-sans-date", extrait=_excerpt(text))


# --- client-sans-nouvelles -----------------------------------------------------------------


def follow_up_dates(text: str, received: dt.date) -> list[dt.date]:
    """The dates written in a complaint's Suivi. A date without its year is in the year of
    receipt, or the next one when that would put it before the receipt (« 05/01 » written
    about a complaint received on 20/12)."""
    year = received.year
    dates = dates_in_text(text, year)
    if not dates or all(day >= received for day in dates):
        return dates
    # Read again with the next year: the dates that change were written without their year.
    later = dates_in_text(text, year + 1)
    if len(later) != len(dates):  # 29/02 valid in one year only: keep the first reading
        return dates
    return [
        shifted if day < received and shifted != day else day
        for day, shifted in zip(dates, later, strict=True)
    ]


def last_news(e: Entry, received: dt.date, today: dt.date) -> dt.date:
    """The last dated step of a complaint up to ``today``: receipt, acknowledgement, answer,
    or a date written in its Suivi."""
    last = received
    for day in (e.acknowledged_on, e.answered_on):
        if day is not None and last < day <= today:
            last = day
    text = e.follow_up
    if text is not None and _DIGIT.search(text) is not None:
        for day in follow_up_dates(text, received):
            if last < day <= today:
                last = day
    return last


@rule("client-sans-nouvelles")
def client_without_news(ctx: Context) -> Iterator[Finding]:
    """An open complaint not answered yet whose last dated step is more than
    ``inform_interval`` days old (Paramètres, 30 by default); ``suivi relances`` lists the same
    entries as « Donner des nouvelles ». The seed: « tenir le client informé du déroulement du
    traitement de sa réclamation »."""
    today, fs = ctx.today, Origin.FS
    interval = ctx.register.settings.inform_interval
    oldest = today - dt.timedelta(days=interval)  # a step on that day or later is recent news
    follow_up = Column.FOLLOW_UP
    for e in ctx.entries:
        if e.origin is not fs:
            continue
        received = e.received_on
        if received is None or received >= oldest or not is_open_at(e, today):
            continue
        last = last_news(e, received, today)
        if last >= oldest:
            continue
        step = answer(e, ctx.deadlines, today)
        if step is not None and step.done:
            continue  # answered: what is left is closing the file (relances: « Clôturer »)
        yield Finding.at(
            e,
            follow_up if follow_up in e.columns else Column.DATE,
            "client-sans-nouvelles",
            date=fr_date(last),
            depuis=f"il y a {fr_count((today - last).days, 'jour', 'jours')}",
            intervalle=fr_count(interval, "jour", "jours"),
        )


# --- responsable-non-habilite --------------------------------------------------------------

# Several people in one cell: « Mme Durand / M. Martin », « Durand et Martin ».
_OWNER_SEPARATORS = re.compile(r"\s*(?:[;,/&+]|\bet\b)\s*", re.IGNORECASE)


def is_authorised(owner: str, authorised: tuple[str, ...]) -> bool:
    """Whether the person in charge, as typed, is one of the ``authorised`` people.

    Names compare with ``people.person_key`` (case, accents, blanks, « Mme », « M. »). A name
    written shorter here or in the list counts when all its words are in the other one:
    « Mme Durand » for « Marie DURAND », « DURAND Marie » for « Mme Durand ». With several
    people in the cell, one authorised is enough.
    """
    names = [frozenset(person_key(name).split()) for name in authorised]
    for part in _OWNER_SEPARATORS.split(owner):
        words = frozenset(person_key(part).split())
        if words and any(name and (words <= name or name <= words) for name in names):
            return True
    return False


_LISTED = 5  # authorised names quoted in a message


@rule("responsable-non-habilite")
def unauthorised_owner(ctx: Context) -> Iterator[Finding]:
    """A complaint, open or closed, whose person in charge is not in the list of people
    authorised to answer complaints (Paramètres), when the list is not empty. The seed: « du
    niveau d'habilitation nécessaire »."""
    authorised = ctx.register.settings.authorised
    if not authorised:
        return
    shown = ", ".join(display_name(name) for name in authorised[:_LISTED])
    if len(authorised) > _LISTED:
        shown += "…"
    fs, owner_column = Origin.FS, Column.OWNER
    verdicts: dict[str, bool] = {}  # a register names the same few people again and again
    for e in ctx.entries:
        owner = e.owner
        if owner is None or e.origin is not fs:
            continue
        allowed = verdicts.get(owner)
        if allowed is None:
            allowed = verdicts[owner] = is_authorised(owner, authorised)
        if not allowed:
            yield Finding.at(
                e,
                owner_column,
                "responsable-non-habilite",
                nom=display_name(owner),
                habilites=shown,
            )
