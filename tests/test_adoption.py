"""Adopting asl-lint in a real repository: configuration, suppressions, baseline, walking."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from asl_lint.api import lint_paths
from asl_lint.cli import main
from asl_lint.config import Config, ConfigError, config_from_file, find_config_file

UNREACHABLE = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "B": {"Type": "Succeed"}}}'
LAMBDA = ('{"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",'
          ' "Parameters": {"FunctionName": "f"}, "End": true}}}')


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def write(name: str, text: str) -> str:
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    Path(name).write_text(text, encoding="utf-8")
    return name


def run(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result


def rules(result) -> list[str]:
    return [d["rule"] for d in json.loads(result.stdout)["diagnostics"]]


# ---- configuration


def test_configuration_is_found_walking_up_and_the_first_one_wins(repo: Path) -> None:
    write("pyproject.toml", '[tool.asl-lint]\nignore = ["ASL203"]\n')
    write("service/.asl-lint.yaml", "ignore: [ASL406]\n")
    os.chdir("service")
    assert find_config_file() == repo / "service" / ".asl-lint.yaml"
    write("flow.asl.json", UNREACHABLE)
    assert rules(run("--format", "json", "flow.asl.json")) == ["ASL203"]  # only the nearer file counts


def test_pyproject_without_a_tool_table_is_not_a_configuration(repo: Path) -> None:
    write("pyproject.toml", '[project]\nname = "x"\n')
    assert find_config_file() is None


def test_command_line_overrides_the_file_and_isolated_ignores_it(repo: Path) -> None:
    write(".asl-lint.yaml", "ignore: [ASL203]\nfail-on: never\n")
    write("flow.asl.json", UNREACHABLE)
    assert run("flow.asl.json").exit_code == 0
    assert run("--fail-on", "error", "--format", "json", "flow.asl.json").exit_code == 0  # ASL203 still ignored
    isolated = run("--isolated", "--format", "json", "flow.asl.json")
    assert isolated.exit_code == 1 and rules(isolated) == ["ASL203"]
    explicit = write("other.yaml", "select: [ASL2]\nseverity: {unreachable-state: info}\n")
    result = run("--isolated", "--config", explicit, "--format", "json", "flow.asl.json")
    assert result.exit_code == 2  # --config and --isolated exclude each other
    result = run("--config", explicit, "--format", "json", "flow.asl.json")
    assert [d["severity"] for d in json.loads(result.stdout)["diagnostics"]] == ["info"]


def test_verbose_says_which_configuration_was_used(repo: Path) -> None:
    write(".asl-lint.yml", "jobs: 1\n")
    write("flow.asl.json", UNREACHABLE)
    result = subprocess.run([sys.executable, "-m", "asl_lint", "-v", "flow.asl.json"], capture_output=True, text=True)
    assert ".asl-lint.yml" in result.stderr


@pytest.mark.parametrize(("text", "where"), [
    ("selct: [ASL2]\n", ".asl-lint.yaml:1:1: selct: unknown key 'selct'"),
    ("select: [ASL999]\n", ".asl-lint.yaml:1:10: select: 'ASL999' names no rule"),
    ("severity: {ASL203: fatal}\n", ".asl-lint.yaml:1:12: severity.ASL203:"),
    ("per-file-ignores:\n  'legacy/*.json': [nothing-like-this]\n", ".asl-lint.yaml:2:21: per-file-ignores.legacy/*.json"),
    ("jobs: -1\n", ".asl-lint.yaml:1:1: jobs:"),
])
def test_bad_configuration_is_exit_two_naming_the_file_and_key(repo: Path, text: str, where: str) -> None:
    write(".asl-lint.yaml", text)
    write("flow.asl.json", UNREACHABLE)
    result = subprocess.run([sys.executable, "-m", "asl_lint", "flow.asl.json"], capture_output=True, text=True)
    assert result.returncode == 2
    assert where in result.stderr and result.stderr.count("\n") == 1, result.stderr


def test_pyproject_errors_name_the_table(repo: Path) -> None:
    write("pyproject.toml", '[tool.asl-lint]\nfail-on = "sometimes"\n')
    with pytest.raises(ConfigError, match=r"pyproject.toml:2:1: fail-on: must be one of"):
        config_from_file("pyproject.toml")


def test_every_key_of_the_configuration_takes_effect(repo: Path) -> None:
    write(".asl-lint.yaml", """select: [ASL2, ASL401]
extend-select: [ASL512]
ignore: [ASL206]
severity: {ASL2: warning, ASL203: info}
fail-on: warning
kind: asl
type: express
exclude: [generated/]
extend-exclude: ['*.bak.json']
per-file-ignores: {'legacy/*.json': [ASL203]}
jobs: 1
respect-gitignore: false
max-file-size: 2
allow-outside-references: true
""")
    config = config_from_file(".asl-lint.yaml")
    assert config.select == ("ASL2", "ASL401") and config.extend_select == ("ASL512",)
    assert config.kind == "asl" and config.workflow_type == "EXPRESS" and config.jobs == 1
    assert config.max_file_bytes == 2 * 1024 * 1024
    # The one key a project's own configuration cannot set (tests/test_untrusted_checkout.py).
    assert not config.allow_outside_references and "allow-outside-references" in config.notices[0]
    write("legacy/old.json", UNREACHABLE)
    write("generated/x.asl.json", UNREACHABLE)
    write("keep.bak.json", UNREACHABLE)
    write("flow.asl.json", LAMBDA)
    result = run("--format", "json", ".")
    found = [(d["file"], d["rule"], d["severity"]) for d in json.loads(result.stdout)["diagnostics"]]
    assert found == [("flow.asl.json", "ASL512", "warning")] and result.exit_code == 1


@pytest.mark.parametrize("token", ["ASL203", "unreachable-state", "ASL2", "flow", "ALL", "asl203"])
def test_severity_takes_every_form_select_takes(repo: Path, token: str) -> None:
    write("flow.asl.json", UNREACHABLE)
    result = run("--format", "json", "--severity", f"{token}=info", "flow.asl.json")
    assert [d["severity"] for d in json.loads(result.stdout)["diagnostics"]] == ["info"]


def test_the_most_specific_severity_selector_wins(repo: Path) -> None:
    write("flow.asl.json", UNREACHABLE)
    result = run("--format", "json", "--severity", "ASL203=info", "--severity", "ALL=warning", "flow.asl.json")
    assert [d["severity"] for d in json.loads(result.stdout)["diagnostics"]] == ["info"]


def test_a_severity_that_names_nothing_is_exit_two(repo: Path) -> None:
    write("flow.asl.json", UNREACHABLE)
    assert run("--severity", "nothing-like-this=info", "flow.asl.json").exit_code == 2


# ---- suppressions


def test_yaml_comments_silence_on_the_line_the_next_line_and_the_file(repo: Path) -> None:
    write("flow.asl.yaml", """StartAt: A
States:
  A: {Type: Succeed}
  B: {Type: Succeed}  # asl-lint: disable=ASL203
  # asl-lint: disable-next-line=unreachable-state
  C: {Type: Succeed}
  D: {Type: Succeed}
""")
    result = lint_paths("flow.asl.yaml", Config())
    assert [(d.rule, d.line) for d in result.diagnostics] == [("ASL203", 7)]
    assert [(d.rule, d.line) for d in result.suppressed] == [("ASL203", 4), ("ASL203", 6)]
    write("flow.asl.yaml", Path("flow.asl.yaml").read_text() + "# asl-lint: disable-file=all\n")
    assert lint_paths("flow.asl.yaml", Config()).diagnostics == []


def test_comment_fields_and_template_metadata_silence_their_scope(repo: Path) -> None:
    write("template.yaml", """Resources:
  Quiet:
    Type: AWS::Serverless::StateMachine
    Metadata:
      asl-lint: {ignore: [lambda-without-retry]}
    Properties:
      Definition:
        StartAt: T
        States:
          T: {Type: Task, Resource: "arn:aws:states:::lambda:invoke", Parameters: {FunctionName: f}, End: true}
  Loud:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: T
        States:
          T: {Type: Task, Resource: "arn:aws:states:::lambda:invoke", Parameters: {FunctionName: f}, End: true}
""")
    write("flow.asl.json", '{"Comment": "asl-lint: disable=ASL203", "StartAt": "A", "States": {"A": {"Type": '
                           '"Parallel", "End": true, "Comment": "asl-lint: disable=ASL406", "Branches": [{"StartAt":'
                           ' "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",'
                           ' "Parameters": {"FunctionName": "f"}, "End": true}}}]}, "B": {"Type": "Succeed"}}}')
    result = lint_paths(["template.yaml", "flow.asl.json"], Config())
    assert [(d.rule, d.machine) for d in result.diagnostics] == [("ASL406", "Loud")]
    assert sorted(d.rule for d in result.suppressed) == ["ASL203", "ASL406", "ASL406"]


def test_suppressions_are_counted_and_listed_in_sarif(repo: Path) -> None:
    write("flow.asl.yaml", "StartAt: A\nStates:\n  A: {Type: Succeed}\n  B: {Type: Succeed}  # asl-lint: disable=ASL203\n")
    text = run("flow.asl.yaml")
    assert "(1 suppressed)" in text.output and text.exit_code == 0
    assert json.loads(run("--format", "json", "flow.asl.yaml").stdout)["summary"]["suppressed"] == 1
    sarif = json.loads(run("--format", "sarif", "flow.asl.yaml").stdout)
    assert [r["suppressions"] for r in sarif["runs"][0]["results"]] == [[{"kind": "inSource"}]]


def test_an_unused_suppression_is_reported_unless_its_rule_is_ignored(repo: Path) -> None:
    write("flow.asl.yaml", "StartAt: A\nStates:\n  A: {Type: Succeed}  # asl-lint: disable=ASL203\n")
    assert rules(run("--format", "json", "flow.asl.yaml")) == ["ASL016"]
    assert rules(run("--format", "json", "--ignore", "ASL016", "flow.asl.yaml")) == []
    assert rules(run("--format", "json", "--ignore", "ASL203", "flow.asl.yaml")) == []  # its rule is off


# ---- baseline


def test_baseline_round_trip_survives_lines_moving(repo: Path) -> None:
    write("flow.asl.json", UNREACHABLE)
    assert run("--write-baseline", "asl-baseline.json", "flow.asl.json").exit_code == 0
    assert json.loads(Path("asl-baseline.json").read_text())["findings"][0]["rule"] == "ASL203"
    write("flow.asl.json", "\n\n\n" + UNREACHABLE.replace('"A": {', '"A": {"Comment": "moved", '))
    result = run("--baseline", "asl-baseline.json", "flow.asl.json")
    assert result.exit_code == 0 and "1 in the baseline" in result.output
    write("flow.asl.json", UNREACHABLE.replace('"B"', '"C"'))  # a new finding, and the old one fixed
    result = run("--baseline", "asl-baseline.json", "--format", "json", "flow.asl.json")
    document = json.loads(result.stdout)
    assert [d["message"] for d in document["diagnostics"]] == [
        "state 'C' is not reachable: nothing in the top level transitions to it"]
    assert document["summary"]["baseline"] == {"matched": 0, "unmatched": 1}


def test_baseline_from_the_configuration_and_from_another_directory(repo: Path) -> None:
    write("defs/flow.asl.json", UNREACHABLE)
    run("--write-baseline", "asl-baseline.json", "defs")
    write(".asl-lint.yaml", "baseline: asl-baseline.json\n")
    assert run("defs").exit_code == 0
    os.chdir("defs")
    assert run("flow.asl.json").exit_code == 0  # paths are matched relative to the baseline file


def test_an_unreadable_baseline_is_exit_two(repo: Path) -> None:
    write("flow.asl.json", UNREACHABLE)
    write("asl-baseline.json", "not json")
    result = subprocess.run([sys.executable, "-m", "asl_lint", "--baseline", "asl-baseline.json", "flow.asl.json"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "not a baseline asl-lint can read: not JSON at line 1, column 1" in result.stderr


# ---- walking a repository


def test_exclude_and_extend_exclude_use_gitwildmatch(repo: Path) -> None:
    for name in ("a/keep.asl.json", "a/gen/skip.asl.json", "b/skip.asl.json", "a/old.asl.json"):
        write(name, UNREACHABLE)
    result = run("--format", "json", "--exclude", "gen/", "--exclude", "/b", "--extend-exclude", "old.*", ".")
    assert sorted({d["file"] for d in json.loads(result.stdout)["diagnostics"]}) == ["a/keep.asl.json"]


def test_gitignore_is_respected_in_a_git_work_tree(repo: Path) -> None:
    subprocess.run(["git", "init", "-q"], check=True)
    write(".gitignore", "build/\n*.tmp.json\n")
    write("sub/.gitignore", "local.asl.json\n")
    for name in ("flow.asl.json", "build/out.asl.json", "x.tmp.json", "sub/local.asl.json", "sub/kept.asl.json"):
        write(name, UNREACHABLE)
    found = lambda *extra: sorted({d["file"] for d in json.loads(run("--format", "json", *extra, ".").stdout)["diagnostics"]})  # noqa: E731
    assert found() == ["flow.asl.json", "sub/kept.asl.json"]
    assert len(found("--no-respect-gitignore")) == 5


def test_force_exclude_applies_to_named_files(repo: Path) -> None:
    write("gen/flow.asl.json", UNREACHABLE)
    assert run("--exclude", "gen/", "gen/flow.asl.json").exit_code == 1
    assert run("--exclude", "gen/", "--force-exclude", "gen/flow.asl.json").exit_code == 0


def test_walked_files_that_are_not_definitions_are_skipped_quietly(repo: Path) -> None:
    write("tsconfig.json", '{"compilerOptions": {} // comments are fine in tsconfig\n}')
    write("chart/templates/deploy.yaml", "apiVersion: v1\nkind: {{ .Values.kind }}\n")
    write("k8s/all.yml", "kind: A\n---\nkind: B\n")
    write("tool.template", '{"Resources": ')
    write("template.yaml", "Resources: [broken")  # its name says template: reported
    write("flow.asl.json", UNREACHABLE)
    document = json.loads(run("--format", "json", ".").stdout)
    assert sorted((d["file"], d["rule"]) for d in document["diagnostics"]) == [
        ("flow.asl.json", "ASL203"), ("template.yaml", "ASL001"), ("tool.template", "ASL001")]
    assert document["summary"]["files"] == 3
    named = json.loads(run("--format", "json", "tsconfig.json").stdout)
    assert [d["rule"] for d in named["diagnostics"]] == ["ASL001"]  # named: still an error
    skipped = json.loads(run("--format", "json", "--skip-unrecognized", "tsconfig.json").stdout)
    assert skipped["diagnostics"] == [] and skipped["summary"]["files"] == 0


def test_yaml_streams_are_read_document_by_document(repo: Path) -> None:
    write("flows.asl.yaml", "StartAt: A\nStates:\n  A: {Type: Succeed}\n---\nStartAt: X\nStates:\n  A: {Type: Succeed}\n")
    result = lint_paths("flows.asl.yaml", Config())
    assert result.machines == 2 and [(d.rule, d.line) for d in result.diagnostics] == [("ASL201", 5)]
