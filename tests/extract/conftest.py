"""What the template and Terraform tests share: a scratch project and its findings."""

from __future__ import annotations

from pathlib import Path

import pytest

from asl_lint.api import lint_paths
from asl_lint.config import Config


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Write files into a scratch project that is the current directory."""
    monkeypatch.chdir(tmp_path)

    def write(name: str, text: str) -> str:
        Path(name).parent.mkdir(parents=True, exist_ok=True)
        Path(name).write_text(text, encoding="utf-8")
        return name

    return write


@pytest.fixture
def found():
    """(file, line, column, rule, machine) of each diagnostic of linting `paths`."""

    def lint(*paths: str, config: Config | None = None, rule: str | None = None) -> list[tuple]:
        result = lint_paths(list(paths), config or Config())
        return [(d.file, d.line, d.column, d.rule, d.machine) for d in result.diagnostics
                if rule is None or d.rule == rule]

    return lint
