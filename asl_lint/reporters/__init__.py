"""Reporters turn a LintResult into text on a stream; they know nothing of configuration.

Each is called as `REPORTERS[name](result, stream, color="auto", quiet=0, statistics=False,
fail_on=Severity.ERROR, root=None)` and takes what it needs of those: the text report its
colour and verbosity, JUnit the threshold that makes a finding a failure, SARIF, GitHub
and GitLab the repository root their paths are relative to.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TextIO

from ..diagnostics import LintResult, Severity

FORMATS = ("text", "json", "sarif", "github", "junit", "gitlab")


def _reporter(module: str, *wanted: str) -> Callable[..., None]:
    def report(result: LintResult, stream: TextIO, color: str = "auto", quiet: int = 0, statistics: bool = False,
               fail_on: Severity | None = Severity.ERROR, root: str | None = None) -> None:
        given = {"color": color, "quiet": quiet, "statistics": statistics, "fail_on": fail_on, "root": root}
        importlib.import_module(f"{__name__}.{module}").report(result, stream, **{key: given[key] for key in wanted})

    return report


REPORTERS: dict[str, Callable[..., None]] = {
    "text": _reporter("text", "color", "quiet", "statistics"),
    "json": _reporter("json"),
    "sarif": _reporter("sarif", "root"),
    "github": _reporter("github", "root"),
    "junit": _reporter("junit", "fail_on"),
    "gitlab": _reporter("gitlab", "root"),
}
