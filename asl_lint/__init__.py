"""asl-lint: a linter and validator for AWS Step Functions state machines.

    from asl_lint import Config, lint_paths, lint_text

    result = lint_paths(["statemachines/"], Config(ignore=("ASL406",)))
    for diagnostic in result.diagnostics:
        print(diagnostic.file, diagnostic.line, diagnostic.rule, diagnostic.message)
"""

from __future__ import annotations

from .version import __version__  # noqa: E402 - the one place it is written

from .api import lint_paths, lint_text  # noqa: E402
from .config import Config, ConfigError  # noqa: E402
from .diagnostics import Diagnostic, LintResult, Severity  # noqa: E402

__all__ = ["Config", "ConfigError", "Diagnostic", "LintResult", "Severity", "__version__", "lint_paths",
           "lint_text"]
