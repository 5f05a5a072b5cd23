"""What every command shares: French help and errors, console set-up, error → exit status."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import sys
import warnings
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from suivi_xlsx import RefusedError, SuiviError, SuiviWarning

F = TypeVar("F", bound=Callable[..., Any])

# click's own texts (it looks them up through gettext at run time), in French.
_FRENCH: dict[str, str] = {
    "Usage:": "Utilisation :",
    "Options": "Options",
    "Commands": "Commandes",
    "Positional arguments": "Arguments",
    "Show this message and exit.": "Affiche cette aide et quitte.",
    "Show the version and exit.": "Affiche la version et quitte.",
    "Error: {message}": "Erreur : {message}",
    "Try '{command} {option}' for help.": "Tapez « {command} {option} » pour l'aide.",
    "Missing argument": "Argument manquant",
    "Missing option": "Option manquante",
    "Missing parameter": "Paramètre manquant",
    "Missing command.": "Commande manquante.",
    "Missing {param_type}": "{param_type} manquant",
    "Missing parameter: {param_name}": "Paramètre manquant : {param_name}",
    "No such command {name!r}.": "Commande inconnue : {name!r}.",
    "No such option {name!r}.": "Option inconnue : {name!r}.",
    "Option {name!r} does not take a value.": "L'option {name!r} ne prend pas de valeur.",
    "Option {name!r} requires an argument.": "L'option {name!r} attend une valeur.",
    "Option {name!r} requires {nargs} arguments.": "L'option {name!r} attend {nargs} valeurs.",
    "Invalid value for {param_hint}: {message}": "Valeur invalide pour {param_hint} : {message}",
    "Invalid value: {message}": "Valeur invalide : {message}",
    "Got unexpected extra argument ({args})": "Argument en trop : {args}",
    "Got unexpected extra arguments ({args})": "Arguments en trop : {args}",
    "Did you mean {possibility}?": "Vouliez-vous dire {possibility} ?",
    "(Did you mean one of: {possibilities}?)": "(Vouliez-vous dire : {possibilities} ?)",
    "{value!r} is not {choice}.": "{value!r} n'est pas {choice}.",
    "{value!r} is not one of {choices}.": "{value!r} n'est pas parmi {choices}.",
    "{value!r} does not match the format {format}.": "{value!r} n'a pas le format {format}.",
    "{value!r} does not match the formats {formats}.": "{value!r} n'a aucun des formats {formats}.",
    "{value!r} is not a valid {number_type}.": "{value!r} n'est pas un {number_type} valide.",
    "{value} is not in the range {range}.": "{value} n'est pas une valeur permise ({range}).",
    "integer": "nombre entier",
    "default: {default}": "par défaut : {default}",
    "required": "obligatoire",
    "Aborted!": "Interrompu.",
    "%(prog)s, version %(version)s": "%(prog)s, version %(version)s",
}


def _gettext(message: str) -> str:
    return _FRENCH.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def _install_french() -> None:
    """Make click speak French: its modules look ``_``/``ngettext`` up at call time."""
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.types,
    ):
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]


def _french_range(self: Any) -> str:
    """A numeric option's range in words (« de 1900 à 2999 », « 0 ou plus »), not click's
    ``1900<=x<=2999``."""
    low = self.min if not self.min_open or self.min is None else f"plus de {self.min}"
    high = self.max if not self.max_open or self.max is None else f"moins de {self.max}"
    if self.min is None:
        return f"au plus {high}" if not self.max_open else str(high)
    if self.max is None:
        return f"{low} ou plus" if not self.min_open else str(low)
    return f"de {low} à {high}"


def _install_french_ranges() -> None:
    import click.types

    base = getattr(click.types, "_NumberRangeBase", None)
    if base is not None and hasattr(base, "_describe_range"):
        base._describe_range = _french_range


_install_french()
_install_french_ranges()


class _FrenchFormatter(click.HelpFormatter):
    """Headings as French writes them: « Options : », a space before the colon."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading} :\n")


class _FrenchContext(click.Context):
    formatter_class = _FrenchFormatter


class FrenchCommand(click.Command):
    """A command whose ``--help`` option is described in French."""

    context_class = _FrenchContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Affiche cette aide et quitte."
        return option


class FrenchGroup(click.Group):
    """A group whose ``--help`` option is described in French."""

    command_class = FrenchCommand
    context_class = _FrenchContext

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.help = "Affiche cette aide et quitte."
        return option


CONTEXT_SETTINGS: dict[str, Any] = {"help_option_names": ["-h", "--help"]}


def prepare_console() -> None:
    """Never fail on an accent: consoles and redirections on Windows may not be UTF-8. And a
    closed terminal or a shutdown (SIGTERM) stops the command as Ctrl-C does: cleanly."""
    from suivi_xlsx import terminate_as_interrupt

    terminate_as_interrupt()
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # exotic streams
                reconfigure(errors="replace")


_show_warning = warnings.showwarning


def clear_progress() -> None:
    """Wipe the progress line (cli/progress.py) if one is shown: a message must start on a
    clean line. Not imported here: ``suivi --help`` loads no more than this module."""
    progress = sys.modules.get("suivi_xlsx.cli.progress")
    if progress is not None:
        progress.clear_active_line()


def _french_warning(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: Any = None,
    line: str | None = None,
) -> None:
    """Our notices as « Attention : … » on stderr; other warnings as Python shows them."""
    clear_progress()
    if issubclass(category, SuiviWarning):
        from suivi_xlsx import safe_text

        click.echo(f"Attention : {safe_text(str(message))}", err=True)
    else:
        _show_warning(message, category, filename, lineno, file, line)


# The file system is full, or the user's quota is: nothing the tool can do, the user can.
_DISK_FULL = frozenset(
    code for code in (errno.ENOSPC, getattr(errno, "EDQUOT", None)) if code is not None
)


def disk_full_message(filename: object) -> str:
    where = f" pour écrire « {filename} »" if filename else ""
    return (
        f"disque plein{where} : libérez de la place (ou demandez plus de quota) puis relancez "
        "la commande. Aucun fichier n'a été modifié."
    )


def fail(message: str, exit_code: int) -> None:
    """Print a French message on stderr and stop with ``exit_code``."""
    from suivi_xlsx import safe_text

    clear_progress()
    click.echo(f"Erreur : {safe_text(message)}", err=True)
    sys.exit(exit_code)


def french_errors(func: F) -> F:
    """Turn library errors into a French message on stderr and their exit status.

    ``SuiviError`` carries its own message and status. Anything else the user can meet without
    a bug of ours (a file vanishing, a full disk) is reported without a traceback, exit 2; so
    is a bug of ours, unless ``SUIVI_DEBUG`` is set.
    """

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with warnings.catch_warnings():  # our notices in French, whoever captures warnings
                warnings.showwarning = _french_warning
                warnings.simplefilter("always", SuiviWarning)
                return func(*args, **kwargs)
        except SuiviError as error:
            fail(error.message, error.exit_code)
        except PermissionError as error:
            fail(
                f"accès refusé à « {error.filename} » : fermez le fichier dans Excel ou "
                "vérifiez vos droits sur le dossier.",
                1,
            )
        except OSError as error:
            if error.errno in _DISK_FULL:
                fail(disk_full_message(error.filename), 1)
            where = f" « {error.filename} »" if error.filename else ""
            fail(f"problème d'accès au fichier{where} : {error.strerror or error}.", 2)
        except MemoryError:
            fail(
                "mémoire insuffisante pour traiter ce fichier : fermez d'autres programmes ou "
                "vérifiez que le classeur n'est pas anormalement gros. Il n'a pas été modifié.",
                2,
            )
        except KeyboardInterrupt as error:
            from suivi_xlsx import WrittenThenInterrupted, safe_text

            if isinstance(error, WrittenThenInterrupted):  # the file is in place: say so
                clear_progress()
                copy = f" (copie de l'original : {error.backup})" if error.backup else ""
                click.echo(
                    safe_text(
                        f"Interrompu une fois l'enregistrement fait : le classeur {error.path} "
                        f"est bien mis à jour{copy}."
                    )
                )
                sys.exit(0)
            fail("interrompu : votre registre n'a pas été modifié.", 130)
        except (SystemExit, GeneratorExit):
            raise
        except BaseException as error:  # a bug of ours (or a Rust panic): no traceback either
            if os.environ.get("SUIVI_DEBUG"):
                raise
            fail(
                f"erreur inattendue ({type(error).__name__} : {error}). Votre fichier n'a pas "
                "été modifié. Relancez avec la variable SUIVI_DEBUG=1 pour le détail et "
                "signalez le problème.",
                2,
            )
        return None

    return wrapper  # type: ignore[return-value]


if TYPE_CHECKING:  # click >= 8.5 makes ParamType generic; older releases are not subscriptable
    import datetime

    _DateParamBase = click.ParamType[datetime.date]
else:
    _DateParamBase = click.ParamType


class DateParam(_DateParamBase):
    """A date typed as ``2026-11-25`` or ``25/11/2026``; French error otherwise."""

    name = "date"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        import datetime as dt

        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        day, month, year = [*text.split("/"), "", ""][:3]
        iso = f"{year}-{month.zfill(2)}-{day.zfill(2)}" if "/" in text else text
        try:  # not strptime: importing _strptime would add to every start
            return dt.date.fromisoformat(iso)
        except ValueError:
            pass
        self.fail(
            f"« {text} » n'est pas une date (attendu AAAA-MM-JJ, ex. 2026-11-25).", param, ctx
        )


DATE = DateParam()


def today_option(func: F) -> F:
    """``--date`` (or ``--today``): the reference date for deadlines (default: the computer's
    date)."""
    return click.option(
        "--date",
        "--today",
        "today",
        type=DATE,
        default=None,
        metavar="AAAA-MM-JJ",
        help="Date de référence pour les délais (par défaut : aujourd'hui).",
    )(func)


def resolve_today(value: Any) -> Any:
    """The ``--date`` value, or the computer's date."""
    import datetime as dt

    return value if value is not None else dt.date.today()


def sheet_option(help_text: str) -> Callable[[F], F]:
    """``--feuille FEUILLE`` (or ``--sheet``): restrict the command to one register sheet."""
    return click.option("--feuille", "--sheet", "sheet", metavar="FEUILLE", help=help_text)


def soon_option(help_text: str) -> Callable[[F], F]:
    """``--proche N`` (or ``--soon``): how many days ahead a due date counts as close (7 by
    default)."""
    return click.option(
        "--proche",
        "--soon",
        "soon",
        type=click.IntRange(min=0),
        default=7,
        show_default=True,
        metavar="N",
        help=help_text,
    )


def register_paths(names: tuple[str, ...]) -> list[Path]:
    """The registers named on the command line, each checked before any is read (click.Path
    would answer in English), duplicates dropped."""
    from suivi_xlsx import check_file

    paths: list[Path] = []
    seen: set[Path] = set()
    for name in names:
        path = Path(name)
        check_file(path)
        key = path.resolve()
        if key not in seen:
            seen.add(key)
            paths.append(path)
    return paths


def output_path(
    out: Path,
    *,
    what: str,
    suffix: str,
    option: str,
    example: str,
    inputs: Iterable[tuple[Path | None, str]] = (),
) -> Path:
    """Check the path of a file a command creates (``what``: « le bilan »): its suffix, an
    existing folder, and never one of the files it reads (``inputs``: path, « le registre »).
    The refusal to replace an existing file without ``--remplacer`` is the writer's."""
    if out.suffix.lower() != suffix:
        raise SuiviError(
            f"{what} « {out} » doit être un fichier {suffix} : choisissez par exemple "
            f"{option} {example}."
        )
    if out.is_dir():
        raise SuiviError(f"« {out} » est un dossier : indiquez le nom du fichier à créer.")
    if not out.parent.is_dir():
        raise SuiviError(
            f"le dossier « {out.parent} » n'existe pas : créez-le ou choisissez {option}."
        )
    if out.exists():
        for other, name in inputs:
            if other is not None and os.path.samefile(out, other):
                raise RefusedError(
                    f"« {out} » est {name} : {what} ne le remplace jamais. Choisissez un autre "
                    f"nom avec {option}."
                )
    return out


def replace_option(help_text: str) -> Callable[[F], F]:
    """``--remplacer`` (or ``--force``): replace the file a command creates if it exists."""
    return click.option("--remplacer", "--force", "force", is_flag=True, help=help_text)


def output_option(metavar: str, help_text: str) -> Callable[[F], F]:
    """``-o``/``--sortie`` (or ``--output``): the file a command creates."""
    return click.option(
        "-o", "--sortie", "--output", "output", metavar=metavar, default=None, help=help_text
    )
