"""The library entry points: lint text or paths, get a LintResult; fix them. Nothing here
prints. The run itself lives in `run/`, one module per stage (plan, check, settle) and
its composition (`run.lint`, `run.fix`); the command line and the language server call
the same stages."""

from __future__ import annotations

from .run.check import lint_file
from .run.fix import MAX_FIX_ROUNDS, FixOutcome, fix_paths, write_fixes
from .run.lint import lint_paths, lint_text
from .run.plan import includes_of, plan, project_config
from .run.settle import rejected_by_aws

__all__ = ["MAX_FIX_ROUNDS", "FixOutcome", "fix_paths", "includes_of", "lint_file", "lint_paths", "lint_text", "plan",
           "project_config", "rejected_by_aws", "write_fixes"]
