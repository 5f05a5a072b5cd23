"""The ``suivi`` command group and the ``suivi-check`` shortcut.

A thin click layer: each command lives in its own module, loaded only when it runs or when the
help lists it, so that ``suivi --help`` and ``suivi-check`` start fast.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from .common import FrenchGroup, prepare_console

# command name → "module:attribute"; the modules import heavy libraries only inside functions.
_COMMANDS: dict[str, str] = {
    "check": "suivi_xlsx.cli.check:check",
    "update": "suivi_xlsx.cli.update:update",
    "summary": "suivi_xlsx.cli.summary:summary",
    "init": "suivi_xlsx.cli.init:init",
}


def _load(spec: str) -> click.Command:
    module, _, attribute = spec.partition(":")
    command = getattr(importlib.import_module(module), attribute)
    assert isinstance(command, click.Command)
    return command


class _LazyGroup(FrenchGroup):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(_COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        spec = _COMMANDS.get(cmd_name)
        return _load(spec) if spec is not None else None


@click.group(cls=_LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="suivi_xlsx", message="%(prog)s %(version)s")
def group() -> None:
    """Registre des réclamations et tableau de suivi qualité, dans votre classeur Excel.

    \b
    suivi check FICHIER     contrôle le registre (erreurs, retards, avertissements)
    suivi update FICHIER    numérote, complète et surligne les retards
    suivi summary FICHIER   produit le bilan annuel
    suivi init FICHIER      crée un registre vierge à partir du modèle
    """


def main(args: Any = None) -> None:
    """Entry point of ``suivi``."""
    prepare_console()
    group.main(args=args, prog_name="suivi")


def check_main(args: Any = None) -> None:
    """Entry point of ``suivi-check`` (the same as ``suivi check``)."""
    prepare_console()
    _load(_COMMANDS["check"]).main(args=args, prog_name="suivi-check")
