"""The conventions users of ruff and cfn-lint reach for: --show-settings, --show-files,
--exit-zero, --output-format, --watch, shell completion, and a language server that
answers --help."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from asl_lint.cli import main

BROKEN = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Gone"}}}\n'
CLEAN = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}\n'


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ASL_LINT_CACHE_DIR", raising=False)
    return tmp_path


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def settings_of(output: str) -> dict[str, tuple[str, str]]:
    found = {}
    for line in output.splitlines():
        if line.startswith("#"):
            continue
        key, _, rest = line.partition(" = ")
        value, _, source = rest.partition("  # ")
        found[key] = (value, source)
    return found


def test_show_settings_says_where_each_value_comes_from(repo: Path) -> None:
    (repo / ".asl-lint.yaml").write_text("fail-on: warning\nignore: [ASL203]\ncache-dir: .cache-here\n")
    result = run("--show-settings", "--select", "ASL2", env={"ASL_LINT_CACHE_DIR": "env-cache"})
    assert result.exit_code == 0
    settings = settings_of(result.stdout)
    assert settings["select"] == ('["ASL2"]', "command line (--select)")
    assert settings["fail-on"] == ("warning", ".asl-lint.yaml:1:1")
    assert settings["ignore"] == ('["ASL203"]', ".asl-lint.yaml:2:1")
    assert settings["cache-dir"] == ('"env-cache"', "environment (ASL_LINT_CACHE_DIR)")
    assert settings["respect-gitignore"] == ("true", "default")
    assert settings["max-file-size"] == ("10", "default")
    assert result.stdout.startswith("# configuration file: ") and ".asl-lint.yaml" in result.stdout.splitlines()[0]


def test_show_settings_shows_what_a_projects_configuration_may_not_set(repo: Path) -> None:
    (repo / ".asl-lint.yaml").write_text("allow-outside-references: true\n")
    output = run("--show-settings").stdout
    assert settings_of(output)["allow-outside-references"] == ("false", "default")
    assert "# not taken: .asl-lint.yaml:1:1: allow-outside-references" in output


def test_show_files_lists_what_is_checked_and_what_is_passed_over(repo: Path) -> None:
    (repo / "flows").mkdir()
    (repo / "flows" / "a.asl.json").write_text(BROKEN)
    (repo / "flows" / "generated").mkdir()
    (repo / "flows" / "generated" / "b.asl.json").write_text(BROKEN)
    (repo / "flows" / "old.asl.json").write_text(BROKEN)
    (repo / "node_modules").mkdir()
    (repo / ".gitignore").write_text("generated/\n")
    result = run("--show-files", "--extend-exclude", "old.asl.json", "flows", "node_modules")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "flows/a.asl.json  # found by walking" in lines
    assert "flows/generated/  # skipped: ignored by .gitignore" in lines
    assert "flows/old.asl.json  # skipped: excluded by exclude / --exclude" in lines
    assert not any(line.startswith("flows/generated/b") for line in lines)


def test_exit_zero_reports_but_never_fails(repo: Path) -> None:
    (repo / "flow.asl.json").write_text(BROKEN)
    result = run("--exit-zero", "flow.asl.json")
    assert result.exit_code == 0 and "ASL202" in result.stdout
    assert run("--exit-zero", "--select", "NOPE", "flow.asl.json").exit_code == 2  # could not run: still 2


def test_output_format_is_format(repo: Path) -> None:
    (repo / "flow.asl.json").write_text(BROKEN)
    assert run("--output-format", "json", "flow.asl.json").stdout == run("--format", "json", "flow.asl.json").stdout


def test_watch_checks_again_when_a_file_changes(repo: Path) -> None:
    (repo / "flow.asl.json").write_text(BROKEN)
    process = subprocess.Popen([sys.executable, "-m", "asl_lint", "--no-cache", "--watch", "--format", "json",
                                "."], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=repo, text=True)
    try:
        first = process.stderr.readline()
        assert "watching 1 files" in first
        time.sleep(0.2)
        (repo / "flow.asl.json").write_text(CLEAN)
        assert "a file changed" in process.stderr.readline()
        assert "watching" in process.stderr.readline()
    finally:
        process.terminate()
        output = process.communicate(timeout=30)[0]
    reports = [chunk for chunk in output.split("\n}\n") if chunk.strip()]
    assert len(reports) >= 2 and '"ASL202"' in reports[0] and '"ASL202"' not in reports[1]


def test_shell_completion_is_there(repo: Path) -> None:
    script = subprocess.run([sys.executable, "-m", "asl_lint"], env={**os.environ, "_ASL_LINT_COMPLETE": "bash_source"},
                            capture_output=True, text=True)
    completion = subprocess.run(["asl-lint"], env={**os.environ, "_ASL_LINT_COMPLETE": "bash_source"},
                                capture_output=True, text=True) if _on_path("asl-lint") else script
    assert "complete" in completion.stdout and "_ASL_LINT_COMPLETE" in completion.stdout


def _on_path(name: str) -> bool:
    import shutil

    return shutil.which(name) is not None


def test_the_language_server_answers_help_without_waiting() -> None:
    pytest.importorskip("pygls")
    for flag in ("--help", "-h"):
        done = subprocess.run([sys.executable, "-m", "asl_lint.lsp.server", flag], capture_output=True, text=True,
                              timeout=30, stdin=subprocess.PIPE)
        assert done.returncode == 0 and done.stdout.startswith("usage: asl-lint-lsp")
    version = subprocess.run([sys.executable, "-m", "asl_lint.lsp.server", "--version"], capture_output=True,
                             text=True, timeout=30, stdin=subprocess.PIPE)
    assert version.stdout.startswith("asl-lint-lsp ")
