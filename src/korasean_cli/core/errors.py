"""The core's exception family; the CLI turns each into one message and one exit code."""

from __future__ import annotations

# Exit codes, documented in the README ("Exit codes").
EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_USAGE = 2
EXIT_DATA = 3
EXIT_OUTPUT = 4  # the output, or a file the system refused, could not be written or read
EXIT_BUG = 5
EXIT_INTERRUPTED = 130


class KoraseanError(Exception):
    """Base class: every error the core raises on purpose."""

    exit_code = EXIT_DATA


class UsageError(KoraseanError):
    """The user's arguments cannot be acted on (bad date, empty query, bad range)."""

    exit_code = EXIT_USAGE


class DateError(UsageError):
    """A date string is not one the tool understands."""


class NotFound(KoraseanError):
    """A lookup found nothing; carries suggestions to show the user."""

    exit_code = EXIT_NOT_FOUND

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.suggestions = suggestions or []


class DataError(KoraseanError):
    """The dataset is missing, unreadable or invalid."""

    exit_code = EXIT_DATA


class InvalidData(DataError):
    """The dataset failed validation; carries the full report."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems
