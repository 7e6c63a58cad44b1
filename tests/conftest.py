from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="Rewrite fixtures/golden from current output.")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def lint():
    """Lint a snippet as if it were a file; returns the diagnostics."""
    from asl_lint.config import Config
    from asl_lint.engine import lint_text

    def run(text: str, filename: str = "snippet.asl.json", config: Config | None = None):
        return lint_text(text, filename, config or Config()).diagnostics

    return run
