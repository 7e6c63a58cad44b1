"""asl-lint: a linter and validator for AWS Step Functions state machines.

    from asl_lint import Config, lint_paths, lint_text

    result = lint_paths(["statemachines/"], Config(ignore=("ASL406",)))
    for diagnostic in result.diagnostics:
        print(diagnostic.file, diagnostic.line, diagnostic.rule, diagnostic.message)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .version import __version__  # noqa: E402 - the one place it is written

if TYPE_CHECKING:
    from .api import lint_paths, lint_text
    from .config import Config, ConfigError
    from .diagnostics import Diagnostic, LintResult, Severity

__all__ = ["Config", "ConfigError", "Diagnostic", "LintResult", "Severity", "__version__", "lint_paths",
           "lint_text"]

# Where each name of the API lives: imported when first used (PEP 562), so that the command
# line and the language server, which import the package first, load only what they use.
_HOMES = {"lint_paths": "api", "lint_text": "api", "Config": "config", "ConfigError": "config",
          "Diagnostic": "diagnostics", "LintResult": "diagnostics", "Severity": "diagnostics"}


def __getattr__(name: str) -> object:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'asl_lint' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
