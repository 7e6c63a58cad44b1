"""Reporters turn a LintResult into text on a stream; they know nothing of configuration."""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from ..diagnostics import LintResult


def _text(result: LintResult, stream: TextIO, color: str = "auto", quiet: int = 0,
          statistics: bool = False) -> None:
    from .text import report

    report(result, stream, color, quiet, statistics)


def _json(result: LintResult, stream: TextIO, color: str = "auto", quiet: int = 0,
          statistics: bool = False) -> None:
    from .json import report

    report(result, stream)


def _sarif(result: LintResult, stream: TextIO, color: str = "auto", quiet: int = 0,
          statistics: bool = False) -> None:
    from .sarif import report

    report(result, stream)


def _github(result: LintResult, stream: TextIO, color: str = "auto", quiet: int = 0,
          statistics: bool = False) -> None:
    from .github import report

    report(result, stream)


REPORTERS: dict[str, Callable[..., None]] = {
    "text": _text,
    "json": _json,
    "sarif": _sarif,
    "github": _github,
}
