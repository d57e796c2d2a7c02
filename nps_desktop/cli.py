"""The command line: ``nps-desktop [--workspace PATH] SUBCOMMAND …``; no subcommand opens the GUI.

Each subcommand lives in its own module under ``nps_desktop.commands`` with a ``register(subparsers)``
function that adds its parser and sets ``func``; modules are discovered, so a feature adds a file and
touches nothing here. Contract (DESIGN.md): exit 0 on success; on failure a one-line error on stderr and
a non-zero exit; with ``--json`` exactly one JSON document on stdout.
"""
from __future__ import annotations

from typing import NoReturn

import argparse
import importlib
import json
import os
import pkgutil
import re
import sqlite3
import sys
from datetime import date
from typing import Any, Callable

from . import commands
from .core import disk, privacy
from .core.workspace import Workspace, WorkspaceError, open_workspace


class CliError(Exception):
    """A failure whose message is shown to the user as is (exit code 1)."""


def common_parser() -> argparse.ArgumentParser:
    """Options every subcommand takes, also after the subcommand's name."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--workspace", metavar="PATH", default=argparse.SUPPRESS,
                   help="workspace file (default: the one in the user data directory)")
    p.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                   help="print one JSON document on stdout")
    return p


def date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from None


def add_date_range(p: argparse.ArgumentParser) -> None:
    p.add_argument("--from", dest="date_from", type=date_arg, metavar="DATE",
                   help="first day, inclusive (YYYY-MM-DD)")
    p.add_argument("--to", dest="date_to", type=date_arg, metavar="DATE",
                   help="last day, inclusive (YYYY-MM-DD)")


#: Seconds a command that changes the workspace waits for another window or process to let it go.
LOCK_WAIT = 5.0


def workspace_of(args: argparse.Namespace, *, create: bool = False, read_only: bool = False) -> Workspace:
    """The workspace a command works on. A reading command (``read_only``) never takes the writer lock
    (unless the file must first be upgraded), so it never keeps an import out; a changing one waits up
    to ``LOCK_WAIT`` seconds, saying so, for another process that has the workspace open for changes."""
    path = getattr(args, "workspace", None)
    if isinstance(path, str) and path.startswith(("postgresql://", "postgres://")):
        from .core.team.reading import open_for_reading  # psycopg only when a team database is named
        if not read_only:
            raise CliError(f"`{args.command}` changes the workspace, which works on workspace files only "
                           "for now: `nps-desktop team pull` makes an offline copy")
        return open_for_reading(path, args.command)
    if read_only:
        try:
            return open_workspace(path, create=create, read_only=True)
        except WorkspaceError as exc:
            if not exc.needs_upgrade:
                raise
    return open_workspace(path, create=create, wait=LOCK_WAIT, on_wait=lambda why: print(
        f"nps-desktop {args.command}: {why}; waiting up to {LOCK_WAIT:g} s…", file=sys.stderr, flush=True))


def emit(args: argparse.Namespace, document: dict[str, Any], text: str | Callable[[], str]) -> None:
    """Print ``document`` as JSON with ``--json``, else the human-readable ``text``."""
    if getattr(args, "json", False):
        json.dump(document, sys.stdout, ensure_ascii=False, default=str)
        sys.stdout.write("\n")
    else:
        print(text() if callable(text) else text)


class TextProgress:
    """A progress bar on stderr for long jobs: ``progress(done, total)``; silent when not a terminal."""

    def __init__(self, label: str, enabled: bool | None = None):
        self.label = label
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._last = -1

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled:
            return
        if total <= 0:  # the uncounted step between a job's stages (the importer's FINISHING): a new bar
            if 0 <= self._last < 100:
                sys.stderr.write("\n")
            self.label, self._last = "Finishing", -1
            return
        pct = int(100 * done / total)
        if pct != self._last:
            self._last = pct
            bar = "#" * (pct // 4)
            sys.stderr.write(f"\r{self.label} [{bar:<25}] {pct:3d}%")
            if done >= total:
                sys.stderr.write("\n")
            sys.stderr.flush()


class OneLineParser(argparse.ArgumentParser):
    """Argument errors in one line, and where to look: ``nps-desktop stats: argument --from: …; see
    nps-desktop stats --help`` (exit 2), never the usage block. Subcommands' parsers are of this class too."""

    def error(self, message: str) -> NoReturn:
        first = (message.strip().splitlines() or [""])[0]
        self.exit(2, f"{self.prog}: {first}; see {self.prog} --help\n")


def build_parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The parser; with ``argv``, only the command it names is registered (all when it names none)."""
    parser = OneLineParser(prog="nps-desktop", parents=[common_parser()],
                                     description="Run a Net Promoter Score program offline.")
    parser.add_argument("--version", action=_Version, nargs=0, help="show the program's version and exit")
    parser.add_argument("--demo", action="store_true",
                        help="open the GUI on the demo workspace (built first if there is none)")
    parser.add_argument("--smoke", action="store_true", help=argparse.SUPPRESS)  # packaging check
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in _modules(argv):
        importlib.import_module(f"{commands.__name__}.{name}").register(sub, common_parser())
    return parser


class _Version(argparse.Action):
    """``--version``: the version is looked up only when asked for (reading it takes a while)."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        from . import __version__
        print(f"{parser.prog} {__version__}")
        parser.exit()


#: How a command module names its commands: ``sub.add_parser("name"`` (read from its source, so that
#: a command's run imports its own module only, and a feature still adds a file and touches nothing here).
_NAMES = re.compile(r"""\bsub\.add_parser\(\s*["']([\w-]+)["']""")
#: Options before the command that take a value.
_VALUED = ("--workspace",)


def _modules(argv: list[str] | None) -> list[str]:
    """The command modules to load: the one that defines the command ``argv`` names; none for
    ``--version`` or no command (the window opens); all of them for help, or a name no module defines
    (argparse then refuses it, listing them)."""
    found = sorted(m.name for m in pkgutil.iter_modules(commands.__path__))
    command = "--help" if argv is None else _command_word(argv)
    if command in ("--version", None):
        return []
    if command == "--help":
        return found
    folder = os.path.dirname(commands.__file__ or "")
    for name in found:
        try:
            with open(os.path.join(folder, f"{name}.py"), encoding="utf-8") as fh:
                if command in _NAMES.findall(fh.read()):
                    return [name]
        except OSError:
            return found
    return found


def _command_word(argv: list[str]) -> str | None:
    """The first word of ``argv`` that is not an option or an option's value (None without one);
    ``--help`` or ``--version`` when that is asked for before it."""
    skip = False
    for word in argv:
        if skip:
            skip = False
        elif word in ("-h", "--help"):
            return "--help"
        elif word == "--version":
            return word
        elif word in _VALUED:
            skip = True
        elif not word.startswith("-"):
            return word
    return None


def main(argv: list[str] | None = None) -> int:
    privacy.private_by_default()
    parser = build_parser(sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    if not args.command:
        from .ui.app import run_gui
        return run_gui(getattr(args, "workspace", None), demo=args.demo, smoke=args.smoke)
    first, last = getattr(args, "date_from", None), getattr(args, "date_to", None)
    if first and last and first > last:
        parser.exit(2, f"nps-desktop {args.command}: --from {first} is after --to {last}; "
                       f"see nps-desktop {args.command} --help\n")
    try:
        code = args.func(args) or 0
        sys.stdout.flush()  # here, where a closed pipe can still be answered quietly
        return code
    except (CliError, WorkspaceError) as exc:
        print(f"nps-desktop {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"nps-desktop {args.command}: cancelled", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader stopped early (| head): no traceback, as a killed pipe writer
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    except ValueError as exc:
        print(f"nps-desktop {args.command}: {one_line(exc)}", file=sys.stderr)
        return 2
    except (OSError, sqlite3.Error) as exc:  # a full disk, read-only media, a file that went away
        where = f"{exc.filename}: " if isinstance(exc, OSError) and exc.filename else ""
        print(f"nps-desktop {args.command}: {where}{disk.reason(exc)}; nothing was changed.", file=sys.stderr)
        return 1
    except Exception as exc:  # noqa: BLE001 - the contract: one line, never a traceback
        if os.environ.get("NPS_DESKTOP_TRACEBACK"):
            raise
        print(f"nps-desktop {args.command}: unexpected error ({type(exc).__name__}: {one_line(exc)}); "
              "set NPS_DESKTOP_TRACEBACK=1 to see where", file=sys.stderr)
        return 1


def one_line(exc: BaseException) -> str:
    """An exception's message in one line (its first), or its type's name when it has none."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
