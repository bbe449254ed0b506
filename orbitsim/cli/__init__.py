"""The ``orbitsim`` command: argparse subcommands over the Python API.

Each subcommand lives in its own module ``orbitsim/cli/<name>_cmd.py`` with a function
``register(subparsers)`` that adds its parser and sets ``func`` (called with the parsed namespace,
returns an exit code). Modules here parse, call the API and print; no physics.

Exit codes
----------
0 success; 1 bad input (file, record or value); 2 bad command line; 3 output exists (use --force);
4 a request over a stated budget; 70 an internal error (a bug: please report it); 130 interrupted.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import os
import sys

from .._version import __version__
from ..errors import OrbitsimError

#: Subcommand modules, in the order ``orbitsim --help`` lists them (the pipeline's order).
COMMANDS = ["catalog", "breakup", "propagate", "decay", "screen", "simulate", "sweep", "ceiling", "report",
            "compare", "scenario", "validate"]

EPILOG = """\
the pipeline, one subcommand a stage:
  orbitsim catalog info                     what the embedded catalog holds
  orbitsim breakup --target-mass 900 --projectile-mass 20 --speed 9.4 --json
  orbitsim propagate FILE --start 2026-07-10 --duration 24 --step 60 --out eph.csv
  orbitsim decay FILE --years 25 --out decay.csv
  orbitsim screen FRAGMENTS.csv --start 2026-07-10 --days 7 --threshold-km 5 --out conj.csv
  orbitsim simulate cosmos-1408 --out runs/c1408          a whole ASAT-test scenario
  orbitsim sweep --target cosmos-1408 --altitudes 300 500 800 --out runs/sweep
  orbitsim ceiling cosmos-1408 --out runs/ceiling         altitude below which debris clears in 5 / 25 y
  orbitsim report runs/c1408                              tables, plots and report.html again
  orbitsim compare runs/c1408 runs/c1408-5cm             headline numbers side by side
  orbitsim scenario template > my-test.toml               every scenario field, commented
  orbitsim validate decay OLD.3le --until 2025-03-01 --out runs/hindcast   model vs. re-entry record

'orbitsim COMMAND --help' explains each one. Exit codes: 0 ok, 1 bad input, 2 bad command line,
3 output exists (use --force), 4 over a stated budget, 70 internal error, 130 interrupted.
"""


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``orbitsim: error: ...`` and exit code 2."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}\n(try '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="orbitsim",
        description="Model the debris of destructive anti-satellite (ASAT) tests and who it puts at risk.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"orbitsim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        modname = f"{__name__}.{name}_cmd"
        if importlib.util.find_spec(modname) is None:
            continue
        importlib.import_module(modname).register(sub)
    return parser


def main(argv=None) -> int:
    """Run the CLI; return the exit code (``python -m orbitsim`` and the console script use it)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        from ..executors.signals import sigterm_as_interrupt

        with sigterm_as_interrupt():  # SIGTERM cleans up like Ctrl-C: workers stopped, nothing partial
            return int(args.func(args) or 0)
    except OrbitsimError as exc:
        print(f"orbitsim: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except (FileNotFoundError, IsADirectoryError, PermissionError, NotADirectoryError) as exc:
        print(f"orbitsim: error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        if argv is None:  # the orbitsim command itself: a second Ctrl-C must not break the exit
            from ..executors.signals import ignore_interrupts_from_now

            ignore_interrupts_from_now()
        print("orbitsim: interrupted; no partial output was kept", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug, not bad input: one line, and the traceback on request
        if os.environ.get("ORBITSIM_DEBUG"):
            raise
        print(f"orbitsim: internal error: {type(exc).__name__}: {exc} "
              "(set ORBITSIM_DEBUG=1 for the traceback and please report it)", file=sys.stderr)
        return 70
