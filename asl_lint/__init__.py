"""asl-lint: a linter and validator for AWS Step Functions state machines."""

from __future__ import annotations

__version__ = "0.1.0"

from .api import lint_paths  # noqa: E402
from .config import Config  # noqa: E402
from .diagnostics import Diagnostic, LintResult, Severity  # noqa: E402

__all__ = ["Config", "Diagnostic", "LintResult", "Severity", "__version__", "lint_paths"]
