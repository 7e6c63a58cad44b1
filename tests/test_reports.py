"""What people, editors and scripts read: the text report's forms, the command line's
helpers and the Python API."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

import asl_lint
from asl_lint import Config, ConfigError, LintResult, lint_paths, lint_text
from asl_lint.cli import main
from asl_lint.reporters.text import report as text_report

UNREACHABLE = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "B": {"Type": "Succeed"}, "C": {"Type": "Succeed"}}}'
ESCAPE = re.compile(r"\x1b\[")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    (tmp_path / "flow.asl.json").write_text(UNREACHABLE, encoding="utf-8")
    return tmp_path


def run(*args: str, **kwargs):
    return CliRunner().invoke(main, list(args), catch_exceptions=False, **kwargs)


def test_text_lines_start_with_file_line_column_and_a_colon(here: Path) -> None:
    lines = run("flow.asl.json").output.splitlines()
    assert lines[1].startswith("flow.asl.json:1:55: error    ASL203 unreachable-state")
    assert re.match(r"^([^:]+):(\d+):(\d+):", lines[1])  # Vim's and editors' default error format


class Terminal:
    """A stream that says it is a terminal."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True

    @property
    def text(self) -> str:
        return "".join(self.parts)


@pytest.mark.parametrize(("color", "environment", "escapes"), [
    ("never", {}, False), ("never", {"FORCE_COLOR": "1"}, False), ("auto", {"NO_COLOR": "1"}, False),
    ("auto", {}, True), ("always", {"NO_COLOR": "1"}, True),
])
def test_colour_on_a_terminal_follows_the_option_then_the_conventions(here: Path, monkeypatch, color: str,
                                                                       environment: dict, escapes: bool) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    stream = Terminal()
    text_report(lint_paths("flow.asl.json", Config()), stream, color)
    assert bool(ESCAPE.search(stream.text)) is escapes  # never: not even bold or dim


def test_force_color_colours_a_pipe_unless_the_option_says_never(here: Path, monkeypatch) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert ESCAPE.search(run("flow.asl.json").output)
    assert not ESCAPE.search(run("--color", "never", "flow.asl.json").output)


def test_quiet_prints_the_summary_and_quieter_nothing_when_clean(here: Path) -> None:
    (here / "ok.asl.json").write_text('{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}')
    assert run("-q", "flow.asl.json").output == "2 errors, 0 warnings, 0 infos in 1 file, 1 state machine.\n"
    assert run("-q", "ok.asl.json").output == "No problems in 1 file, 1 state machine.\n"
    assert run("-qq", "ok.asl.json").output == ""
    assert run("-qq", "flow.asl.json").output.startswith("2 errors")


def test_statistics_count_findings_per_rule(here: Path) -> None:
    result = run("--statistics", "flow.asl.json")
    assert result.output.splitlines() == ["2  ASL203 unreachable-state (error)",
                                          "2 errors, 0 warnings, 0 infos in 1 file, 1 state machine."]


def test_stdin_filename_lints_standard_input_as_that_file(here: Path) -> None:
    (here / "sam").mkdir()
    (here / "sam" / "flow.asl.json").write_text('{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Z"}}}')
    template = "Resources:\n  F:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      DefinitionUri: flow.asl.json\n"
    result = run("--format", "json", "--stdin-filename", "sam/template.yaml", input=template)
    rows = [(d["file"], d["rule"], d["machine"]) for d in json.loads(result.stdout)["diagnostics"]]
    assert ("sam/flow.asl.json", "ASL202", "F") in rows  # the reference is read relative to the named file
    named = run("--format", "json", "--stdin-filename", "x.asl.json", "-", input='["not", "a", "machine"]')
    assert [(d["file"], d["rule"]) for d in json.loads(named.stdout)["diagnostics"]] == [("x.asl.json", "ASL014")]


def test_list_rules_as_json_is_machine_readable() -> None:
    document = json.loads(run("--list-rules", "--format", "json").stdout)
    rules = {rule["id"]: rule for rule in document["rules"]}
    assert rules["ASL203"] == {"id": "ASL203", "name": "unreachable-state", "severity": "error", "tags": ["flow"],
                               "summary": "A state that nothing transitions to", "enabled_by_default": True,
                               "aws_code": "MISSING_TRANSITION_TARGET", "aws_rejects": True}
    assert rules["ASL510"]["enabled_by_default"] is False


def test_help_lists_exit_statuses_and_walked_extensions() -> None:
    text = run("--help").output
    assert "Exit status:" in text and "2  asl-lint could not run as asked" in text
    assert all(extension in text for extension in (".json", ".yaml", ".yml", ".asl", ".template"))


def test_the_python_api(here: Path) -> None:
    assert {"lint_paths", "lint_text", "Config"} <= set(asl_lint.__all__)
    by_string = lint_paths("flow.asl.json")  # one path as a string: not its characters
    by_path = lint_paths(Path("flow.asl.json"))
    by_list = lint_paths([Path("flow.asl.json"), "flow.asl.json"])
    assert isinstance(by_string, LintResult) and by_string.files == by_path.files == 1 and by_list.files == 1  # one real file, checked once
    assert [d.rule for d in by_string.diagnostics] == ["ASL203", "ASL203"]
    result = lint_text(UNREACHABLE, "flow.asl.json", Config(ignore=("ASL203",)))
    assert result.diagnostics == [] and result.machines == 1
    with pytest.raises(ConfigError, match="'ASL999' names no rule"):
        Config(select=("ASL999",))


def test_a_closed_pipe_on_standard_output_is_exit_status_two(here: Path) -> None:
    import subprocess
    import sys

    reader = subprocess.Popen([sys.executable, "-m", "asl_lint", "flow.asl.json"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    reader.stdout.close()  # the reader went away (asl-lint ... | head -0)
    _, errors = reader.communicate()
    assert reader.returncode in (1, 2)  # 2 when the write failed, 1 when it was done before
    assert b"Traceback" not in errors


def test_the_json_report_is_written_as_json_dumps_indents_it() -> None:
    """reporters/json.indented writes what json.dumps(indent=2, ensure_ascii=False) does,
    character for character: flat objects through the C encoder, the rest member by member."""
    import random

    from asl_lint.reporters.json import indented

    rng = random.Random(5)
    keys = ["rule", "ü", "\n", '"q"', "k1", 1, None, True, 2.5]
    leaves = [1, -2, 0, True, False, None, "x", "é\u2028", 'a"b\\c', "\x01", 10**30, "", "😀", 1.5, -0.0, 1e300]

    def value(depth: int = 0) -> object:
        roll = rng.random()
        if depth < 4 and roll < 0.2:
            return {rng.choice(keys): value(depth + 1) for _ in range(rng.randint(0, 4))}
        if depth < 4 and roll < 0.35:
            return [value(depth + 1) for _ in range(rng.randint(0, 4))]
        if depth < 4 and roll < 0.45:  # objects of scalars only, as a report's machines are
            return [{rng.choice(keys): rng.choice(leaves) for _ in range(rng.randint(1, 4))}
                    for _ in range(rng.randint(1, 4))]
        return rng.choice(leaves)

    for _ in range(3000):
        document = {"diagnostics": [value() for _ in range(3)], "summary": value()}
        assert indented(document) == json.dumps(document, indent=2, ensure_ascii=False)
