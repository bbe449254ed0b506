"""The exceptions orbitsim raises for bad input, and what the CLI makes of them.

Every error a user can cause derives from :class:`OrbitsimError`; its message is one line that
names the file, line or field and says what was expected. The CLI prints it without a traceback and
exits with the class's ``exit_code``.
"""

from __future__ import annotations


class OrbitsimError(Exception):
    """Base class of all errors caused by user input. ``exit_code`` is the CLI's exit status."""

    exit_code = 1


class InputError(OrbitsimError, ValueError):
    """A value, file or record is not what was expected (exit code 1)."""

    exit_code = 1


class ParseError(InputError):
    """A file could not be read as the format it claims; names the file and line."""

    def __init__(self, message: str, path=None, line: int | None = None):
        where = ""
        if path is not None:
            where = f"{path}"
            if line is not None:
                where += f":{line}"
            where += ": "
        super().__init__(where + message)
        self.path = path
        self.line = line


class UsageError(OrbitsimError):
    """A bad command line (a missing or contradictory option) found after parsing (exit code 2)."""

    exit_code = 2


class ResourceError(OrbitsimError):
    """A request would exceed a stated budget (memory, fragment count) (exit code 4)."""

    exit_code = 4


class OutputExistsError(OrbitsimError):
    """An output exists and ``--force`` was not given (exit code 3)."""

    exit_code = 3
