"""The ``suivi`` command group and the ``suivi-check`` shortcut.

A thin click layer: each command lives in its own module, loaded only when it runs (the group's
help lists them from a table), so that ``suivi --help`` and ``suivi-check`` start fast.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from suivi_xlsx.cli.common import FrenchGroup, prepare_console

# command name → ("module:attribute", line shown by ``suivi --help``). The modules import heavy
# libraries only inside functions; the help lines are here so that ``suivi --help`` imports none
# of them.
_COMMANDS: dict[str, tuple[str, str]] = {
    "controle": (
        "suivi_xlsx.cli.check:check",
        "Contrôle le registre : erreurs, retards, avertissements.",
    ),
    "complete": (
        "suivi_xlsx.cli.update:update",
        "Numérote, complète et surligne les retards dans le classeur.",
    ),
    "bilan": (
        "suivi_xlsx.cli.summary:summary",
        "Produit le bilan annuel (un nouveau classeur).",
    ),
    "init": ("suivi_xlsx.cli.init:init", "Crée un registre vierge à partir du modèle."),
    "courrier": (
        "suivi_xlsx.cli.courrier:courrier",
        "Rédige l'accusé de réception ou la réponse d'une réclamation (Word).",
    ),
    "relances": (
        "suivi_xlsx.cli.relances:relances",
        "Ce que chacun doit faire et pour quand : liste, classeur, agenda.",
    ),
    "modeles": (
        "suivi_xlsx.cli.modeles:modeles",
        "Copie les modèles de courrier, à modifier dans Word.",
    ),
}

# English name → command: the names of the first releases (and the English twin of each new
# command) still work, so that nothing written with them breaks.
_ALIASES: dict[str, str] = {
    "check": "controle",
    "update": "complete",
    "summary": "bilan",
    "templates": "modeles",
}


def _load(name: str) -> click.Command:
    module, _, attribute = _COMMANDS[_ALIASES.get(name, name)][0].partition(":")
    command = getattr(importlib.import_module(module), attribute)
    assert isinstance(command, click.Command)
    return command


class _LazyGroup(FrenchGroup):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return _load(cmd_name) if cmd_name in _COMMANDS or cmd_name in _ALIASES else None

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name and name not in _COMMANDS and name not in _ALIASES and not name.startswith("-"):
            import difflib

            names = [*_COMMANDS, *_ALIASES]
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
            hint = f" Vouliez-vous dire « {close[0]} » ?" if close else ""
            known = ", ".join(_COMMANDS)
            ctx.fail(f"commande inconnue : « {name} ».{hint} Commandes : {known}.")
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commandes"):
            formatter.write_dl([(name, line) for name, (_, line) in _COMMANDS.items()])
        former = ", ".join(f"{old} ({new})" for old, new in _ALIASES.items())
        formatter.write_paragraph()
        formatter.write_text(f"Noms anglais, toujours acceptés : {former}.")


@click.group(
    cls=_LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"]},
    subcommand_metavar="COMMANDE [ARGUMENTS]...",
)
@click.version_option(package_name="suivi_xlsx", message="%(prog)s %(version)s")
def group() -> None:
    """Registre des réclamations et tableau de suivi qualité, dans votre classeur Excel.

    Aide d'une commande : suivi COMMANDE --help (par exemple : suivi controle --help).
    """


def main(args: Any = None) -> None:
    """Entry point of ``suivi``."""
    prepare_console()
    group.main(args=args, prog_name="suivi")


def check_main(args: Any = None) -> None:
    """Entry point of ``suivi-check`` (the same as ``suivi controle``)."""
    prepare_console()
    _load("controle").main(args=args, prog_name="suivi-check")
