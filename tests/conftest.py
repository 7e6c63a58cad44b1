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
def private_user_cache(tmp_path_factory, monkeypatch: pytest.MonkeyPatch) -> None:
    """A user cache directory of the test's own (the result cache's secret lives there),
    and no ASL_LINT_CACHE_DIR from the environment."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("user-cache")))
    monkeypatch.delenv("ASL_LINT_CACHE_DIR", raising=False)


@pytest.fixture
def checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git work tree that is the current directory, with room beside it for what lies outside."""
    import subprocess

    root = tmp_path / "checkout"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    monkeypatch.chdir(root)
    return root


@pytest.fixture
def lint():
    """Lint a snippet as if it were a file; returns the diagnostics."""
    from asl_lint.config import Config
    from asl_lint.engine import lint_text

    def run(text: str, filename: str = "snippet.asl.json", config: Config | None = None):
        return lint_text(text, filename, config or Config()).diagnostics

    return run


@pytest.fixture
def check_in_fresh_interpreter(tmp_path: Path):
    """Check a definition in a new Python process; returns (the rules found, whether each
    of the named modules was imported by the check)."""
    import json
    import subprocess
    import sys

    def run(definition: dict, modules: tuple[str, ...]) -> tuple[list[str], dict[str, bool]]:
        (tmp_path / "flow.asl.json").write_text(json.dumps(definition), encoding="utf-8")
        script = ("import json, sys\nfrom asl_lint import lint_paths\n"
                  "found = lint_paths(['flow.asl.json'], jobs=1)\n"
                  f"print(json.dumps([sorted(d.rule for d in found.diagnostics), "
                  f"{{name: name in sys.modules for name in {list(modules)!r}}}]))")
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path,
                              check=True, env={"PYTHONPATH": str(ROOT), "PATH": "", "HOME": str(tmp_path)})
        rules, imported = json.loads(done.stdout.splitlines()[-1])
        return rules, imported

    return run
