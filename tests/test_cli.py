"""The command line: exit codes, inputs, options and output formats."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from asl_lint.cli import main

ROOT = Path(__file__).resolve().parents[1]
VALID = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}'
DANGLING = '{"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsNull": true, "Next": "B"}], "Default": "C"}, "C": {"Type": "Succeed"}}}'
ORPHAN = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "B": {"Type": "Succeed"}}}'
LOOP = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}, "C": {"Type": "Succeed"}}}'


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)

    def invoke(*args: str, stdin: str | None = None, env: dict | None = None):
        return CliRunner().invoke(main, list(args), input=stdin, env=env, catch_exceptions=False)

    return invoke


def write(name: str, text: str) -> str:
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    Path(name).write_text(text, encoding="utf-8")
    return name


def test_valid_file_exits_0(run) -> None:
    result = run(write("ok.asl.json", VALID))
    assert result.exit_code == 0
    assert "No problems in 1 file, 1 state machine." in result.output


def test_error_exits_1_and_shows_location_rule_and_state(run) -> None:
    result = run(write("bad.asl.json", DANGLING))
    assert result.exit_code == 1
    assert "bad.asl.json:1:109" in result.output
    assert "ASL202 transition-target-not-found" in result.output
    assert "'A'" in result.output and "'B'" in result.output
    assert "1 error, 0 warnings, 0 infos in 1 file, 1 state machine." in result.output


def test_missing_path_exits_2(run) -> None:
    result = run("no-such-file.json")
    assert result.exit_code == 2
    assert result.output == "asl-lint: no-such-file.json: no such file or directory\n"


def test_bad_option_and_unknown_rule_exit_2(run) -> None:
    write("ok.asl.json", VALID)
    assert run("--format", "xml", "ok.asl.json").exit_code == 2
    assert run("--select", "ASL999", "ok.asl.json").exit_code == 2
    assert run("--severity", "ASL203", "ok.asl.json").exit_code == 2


def test_stdin(run) -> None:
    result = run("--format", "json", "-", stdin=DANGLING)
    document = json.loads(result.stdout)
    assert result.exit_code == 1
    assert document["diagnostics"][0]["file"] == "<stdin>"
    assert document["diagnostics"][0]["rule"] == "ASL202"


def test_json_output_is_the_documented_contract(run) -> None:
    result = run("--format", "json", write("orphan.asl.json", ORPHAN))
    document = json.loads(result.stdout)
    assert set(document) == {"version", "diagnostics", "machines", "summary"}
    assert document["version"] == 1
    assert document["summary"] == {"files": 1, "machines": 1, "errors": 1, "warnings": 0, "infos": 0}
    assert document["diagnostics"] == [{
        "rule": "ASL203", "name": "unreachable-state", "severity": "error",
        "message": "state 'B' is not reachable: nothing in the top level transitions to it",
        "file": "orphan.asl.json", "line": 1, "column": 55, "end_line": 1, "end_column": 79,
        "machine": None, "pointer": "/States/B", "state": "B", "aws_code": "MISSING_TRANSITION_TARGET",
    }]
    assert document["machines"] == [{"file": "orphan.asl.json", "machine": None, "would_deploy": False}]


def test_diagnostics_are_sorted_by_file_line_column(run) -> None:
    write("b.asl.json", ORPHAN)
    write("a.asl.json", DANGLING)
    document = json.loads(run("--format", "json", "b.asl.json", "a.asl.json").stdout)
    keys = [(d["file"], d["line"], d["column"], d["rule"]) for d in document["diagnostics"]]
    assert keys == sorted(keys) and keys[0][0] == "a.asl.json"


def test_fail_on_threshold(run) -> None:
    write("loop.asl.json", LOOP)  # warnings only: a loop with no way out, an unreachable state is an error
    write("warn.asl.json", '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Wait", "Seconds": 1, "Next": "A"}, "C": {"Type": "Succeed"}}}')
    assert run("--ignore", "ASL203", "warn.asl.json").exit_code == 0
    assert run("--ignore", "ASL203", "--fail-on", "warning", "warn.asl.json").exit_code == 1
    assert run("--fail-on", "never", "loop.asl.json").exit_code == 0


def test_select_ignore_and_severity(run) -> None:
    write("orphan.asl.json", ORPHAN)
    assert run("--ignore", "unreachable-state", "orphan.asl.json").exit_code == 0
    assert run("--select", "ASL1", "orphan.asl.json").exit_code == 0
    assert run("--select", "flow", "orphan.asl.json").exit_code == 1
    demoted = run("--severity", "ASL203=warning", "--format", "json", "orphan.asl.json")
    assert demoted.exit_code == 0
    assert json.loads(demoted.stdout)["diagnostics"][0]["severity"] == "warning"


def test_directory_walk_skips_files_without_state_machines(run) -> None:
    write("defs/one.asl.json", VALID)
    write("defs/nested/two.yaml", "StartAt: A\nStates:\n  A: {Type: Succeed}\n")
    write("defs/package.json", '{"name": "x"}')
    write("defs/notes.txt", "not linted")
    result = run("--format", "json", "defs")
    document = json.loads(result.stdout)
    assert result.exit_code == 0
    assert document["summary"]["files"] == 2 and document["summary"]["machines"] == 2  # package.json: skipped
    assert document["diagnostics"] == []


def test_file_named_explicitly_without_state_machine_is_reported_as_info(run) -> None:
    result = run("--format", "json", write("package.json", '{"name": "x"}'))
    document = json.loads(result.stdout)
    assert result.exit_code == 0
    assert [(d["rule"], d["severity"]) for d in document["diagnostics"]] == [("ASL003", "info")]


def test_unreadable_file_is_a_diagnostic_and_the_run_goes_on(run) -> None:
    Path("latin1.json").write_bytes(b'{"Comment": "caf\xe9"}')
    write("bad.asl.json", DANGLING)
    document = json.loads(run("--format", "json", "latin1.json", "bad.asl.json").stdout)
    assert [d["rule"] for d in document["diagnostics"]] == ["ASL202", "ASL005"]


def test_text_output_escapes_markup_and_has_no_colour_when_piped(run) -> None:
    text = '{"StartAt": "[bold]A[/bold]", "States": {"[bold]A[/bold]": {"Type": "Pass", "Next": "[red]B"}}}'
    result = run(write("markup.asl.json", text))
    assert "'[red]B'" in result.output and "'[bold]A[/bold]'" in result.output
    assert "\x1b[" not in result.output


def test_colour_always_and_no_color(run) -> None:
    write("bad.asl.json", DANGLING)
    assert "\x1b[" in run("--color", "always", "bad.asl.json").output
    assert "\x1b[31" not in run("--color", "always", "bad.asl.json", env={"NO_COLOR": "1"}).output


def test_github_format_escapes_and_is_the_default_in_actions(run) -> None:
    write("bad.asl.json", DANGLING.replace('"Next": "B"', '"Next": "x,y%z"'))
    result = run("bad.asl.json", env={"GITHUB_ACTIONS": "true"})
    line = result.output.strip()
    assert line.startswith("::error file=bad.asl.json,line=1,col=109,endLine=1,endColumn=116,")
    assert "title=ASL202 transition-target-not-found::" in line
    assert "x,y%25z" in line


def test_sarif_output(run) -> None:
    document = json.loads(run("--format", "sarif", write("bad.asl.json", DANGLING)).stdout)
    run_ = document["runs"][0]
    assert document["version"] == "2.1.0"
    assert [rule["id"] for rule in run_["tool"]["driver"]["rules"]] == ["ASL202"]
    result = run_["results"][0]
    assert result["level"] == "error" and result["ruleId"] == "ASL202"
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 1
    assert result["partialFingerprints"]["aslLint/v1"]


def test_output_file(run) -> None:
    result = run("--format", "json", "-o", "report.json", write("bad.asl.json", DANGLING))
    assert result.exit_code == 1 and result.output == ""
    assert json.loads(Path("report.json").read_text())["summary"]["errors"] == 1


def test_list_rules_and_explain(run) -> None:
    listing = run("--list-rules").output
    assert "ASL203  unreachable-state" in listing and "ASL001  syntax-error" in listing
    explained = run("--explain", "unreachable-state")
    assert explained.exit_code == 0 and "Bad:" in explained.output and "Good:" in explained.output
    assert run("--explain", "ASL999").exit_code == 2


def test_python_dash_m_entry_point(tmp_path) -> None:
    path = tmp_path / "bad.asl.json"
    path.write_text(DANGLING, encoding="utf-8")
    completed = subprocess.run([sys.executable, "-m", "asl_lint", "--format", "json", str(path)],
                               capture_output=True, text=True, cwd=ROOT)
    assert completed.returncode == 1, completed.stderr
    assert json.loads(completed.stdout)["summary"]["errors"] == 1


_RUN_WITH_TEARDOWN_SIGN = (
    "import atexit, sys, threading\n"
    "atexit.register(lambda: sys.stderr.write('torn down\\n'))\n"
    "if sys.argv.pop(1) == 'thread':\n"
    "    threading.Thread(target=threading.Event().wait, daemon=True).start()  # alive to the end\n"
    "sys.argv[0] = 'asl-lint'\n"
    "from asl_lint.cli import run\n"
    "run()\n"
)


def test_the_command_ends_without_teardown_once_its_output_is_written(tmp_path) -> None:
    # Many files with findings: a report larger than a pipe holds must reach the reader
    # whole, with the status, when the process skips the interpreter's teardown.
    for index in range(150):
        (tmp_path / f"bad{index}.asl.json").write_text(DANGLING, encoding="utf-8")
    command = [sys.executable, "-c", _RUN_WITH_TEARDOWN_SIGN, "alone", "--format", "json", "-j", "1", str(tmp_path)]
    completed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert completed.returncode == 1, completed.stderr
    assert json.loads(completed.stdout)["summary"]["errors"] == 150
    assert "torn down" not in completed.stderr
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "ok.asl.json").write_text('{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}', encoding="utf-8")
    completed = subprocess.run(command[:4] + [str(clean)], capture_output=True, text=True, cwd=ROOT)
    assert completed.returncode == 0 and "torn down" not in completed.stderr
    usage = subprocess.run(command[:4] + ["--no-such-option"], capture_output=True, text=True, cwd=ROOT)
    assert usage.returncode == 2 and "No such option" in usage.stderr and "torn down" not in usage.stderr


def test_the_command_ends_the_usual_way_while_another_thread_runs(tmp_path) -> None:
    (tmp_path / "bad.asl.json").write_text(DANGLING, encoding="utf-8")
    command = [sys.executable, "-c", _RUN_WITH_TEARDOWN_SIGN, "thread", "--format", "json", str(tmp_path)]
    completed = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    assert completed.returncode == 1 and json.loads(completed.stdout)["summary"]["errors"] == 1
    assert "torn down" in completed.stderr


def test_workflow_type_option_and_template_type(run) -> None:
    write("sync.asl.json", '{"StartAt": "B", "States": {"B": {"Type": "Task", '
                           '"Resource": "arn:aws:states:::codebuild:startBuild.sync", "End": true}}}')
    assert run("sync.asl.json").exit_code == 0
    express = run("--type", "express", "--format", "json", "sync.asl.json")
    assert [d["rule"] for d in json.loads(express.stdout)["diagnostics"]] == ["ASL407"]
    write("template.yaml", "Resources:\n  F:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n"
                           "      Type: STANDARD\n      Definition:\n        StartAt: B\n        States:\n"
                           "          B: {Type: Task, Resource: 'arn:aws:states:::codebuild:startBuild.sync', End: true}\n")
    assert run("--type", "EXPRESS", "template.yaml").exit_code == 0  # the template says STANDARD


def test_rules_off_by_default_run_when_selected(run) -> None:
    write("c.asl.json", '{"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": ['
                        '{"Variable": "$.ok", "BooleanEquals": true, "Next": "D"}]}, "D": {"Type": "Succeed"}}}')
    assert json.loads(run("--format", "json", "c.asl.json").stdout)["diagnostics"] == []
    selected = json.loads(run("--format", "json", "--select", "ALL,choice-without-default", "c.asl.json").stdout)
    assert [d["rule"] for d in selected["diagnostics"]] == ["ASL510"]
