"""asl-lint as a CI gate: it never passes silently, speaks every CI system's report format,
and ships a GitHub Action whose scripts run as GitHub runs them."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from asl_lint import Config, lint_paths, lint_text
from asl_lint.cli import main

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = Path(__file__).resolve().parent / "schemas"
EXAMPLES = ROOT / "fixtures" / "examples"
BROKEN = ('{"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": true,'
          ' "Next": "Missing"}], "Default": "Done"}, "Done": {"Type": "Succeed"}}}')


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def cli(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def write(name: str, text: str) -> None:
    Path(name).parent.mkdir(parents=True, exist_ok=True)
    Path(name).write_text(text, encoding="utf-8")


# ---- never a silent pass


def test_a_gitignored_directory_named_on_the_command_line_is_linted(repo: Path) -> None:
    write(".gitignore", "cdk.out/\n.aws-sam/\n")
    write("cdk.out/Stack.template.json", json.dumps({"Resources": {"Flow": {
        "Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": BROKEN}}}}))
    named = cli("--format", "json", "cdk.out/")
    assert named.exit_code == 1 and [d["rule"] for d in json.loads(named.stdout)["diagnostics"]] == ["ASL202"]
    walked = cli("--format", "json", ".")
    assert walked.exit_code == 0 and json.loads(walked.stdout)["summary"]["machines"] == 0
    assert "every file found is excluded" in walked.stderr
    forced = cli("--format", "json", "--force-exclude", "cdk.out/")  # pre-commit's behaviour
    assert forced.exit_code == 0 and json.loads(forced.stdout)["summary"]["files"] == 0


@pytest.mark.parametrize(("files", "reason"), [
    ({}, "no file under the paths given has a name asl-lint reads"),
    ({"package.json": '{"name": "x"}'}, "1 file read, none holds an ASL definition"),
    ({".gitignore": "*.json\n", "flow.asl.json": BROKEN}, "every file found is excluded (1 paths"),
])
def test_a_run_that_checks_nothing_says_why_and_can_fail(repo: Path, files: dict, reason: str) -> None:
    for name, text in files.items():
        write(name, text)
    result = cli(".")
    assert result.exit_code == 0 and f"asl-lint: warning: no state machine was checked: {reason}" in result.stderr
    github = cli("--format", "github", ".")
    assert f"::warning title=asl-lint::no state machine was checked: {reason}" in github.stdout
    assert cli("--require-machines", ".").exit_code == 1
    write("../settings/.asl-lint.yaml", "require-machines: true\n")
    assert cli("--config", "../settings/.asl-lint.yaml", ".").exit_code == 1


def test_no_path_lints_the_configurations_paths_or_here(repo: Path) -> None:
    write("flows/flow.asl.json", BROKEN)
    assert [d["file"] for d in json.loads(cli("--format", "json").stdout)["diagnostics"]] == ["flows/flow.asl.json"]
    write("other/x.asl.json", BROKEN)
    write(".asl-lint.yaml", "paths: [other]\n")
    assert [d["file"] for d in json.loads(cli("--format", "json").stdout)["diagnostics"]] == ["other/x.asl.json"]


# ---- report formats


def _xsd():
    xmlschema = pytest.importorskip("xmlschema")
    return xmlschema.XMLSchema(str(SCHEMAS / "junit-10.xsd"))


def test_junit_of_the_examples_is_valid_and_fails_per_finding(monkeypatch) -> None:
    import xml.etree.ElementTree as ElementTree

    monkeypatch.chdir(ROOT)
    result = cli("--format", "junit", "fixtures/examples")
    _xsd().validate(result.stdout)
    tree = ElementTree.fromstring(result.stdout)
    errors = json.loads(cli("--format", "json", "fixtures/examples").stdout)["summary"]["errors"]
    failures = tree.findall(".//failure")
    assert len(failures) == errors and int(tree.get("failures")) > 0
    assert all(re.match(r"^[^:]+:\d+:\d+: error ASL\d{3} ", failure.text) for failure in failures)
    machines = json.loads(cli("--format", "json", "fixtures/examples").stdout)["machines"]
    assert len(tree.findall(".//testcase")) >= len(machines)
    warned = cli("--format", "junit", "--fail-on", "warning", "fixtures/examples").stdout
    assert len(ElementTree.fromstring(warned).findall(".//failure")) > len(failures)


def test_each_junit_suite_meets_maven_surefires_schema(monkeypatch) -> None:
    import xml.etree.ElementTree as ElementTree

    xmlschema = pytest.importorskip("xmlschema")
    surefire = xmlschema.XMLSchema(str(SCHEMAS / "surefire-report-constraints.xsd"))
    monkeypatch.chdir(ROOT)
    tree = ElementTree.fromstring(cli("--format", "junit", "fixtures/examples").stdout)
    suites = tree.findall("testsuite")
    assert suites
    for suite in suites:  # Surefire reads one suite per file
        surefire.validate(ElementTree.tostring(suite, encoding="unicode"))


def test_junit_holds_any_text(repo: Path) -> None:
    write("x.asl.json", json.dumps({"StartAt": "A\u0001<&>\"", "States": {"B": {"Type": "Succeed"}}}))
    _xsd().validate(cli("--format", "junit", ".").stdout)


def test_gitlab_code_quality_of_the_examples_passes_gitlabs_format(monkeypatch) -> None:
    from jsonschema import Draft202012Validator

    monkeypatch.chdir(ROOT)
    issues = json.loads(cli("--format", "gitlab", "fixtures/examples").stdout)
    Draft202012Validator(json.loads((SCHEMAS / "gitlab-code-quality.schema.json").read_text())).validate(issues)
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    assert {issue["severity"] for issue in issues} >= {"critical", "minor"}
    # Code Climate's own required fields, for readers other than GitLab.
    assert all(issue["type"] == "issue" and issue["categories"] and issue["engine_name"] == "asl-lint"
               for issue in issues)
    assert {category for issue in issues for category in issue["categories"]} <= {
        "Bug Risk", "Clarity", "Compatibility", "Complexity", "Duplication", "Performance", "Security", "Style"}


@pytest.mark.parametrize("fmt", ["github", "gitlab", "sarif"])
def test_report_paths_are_relative_to_the_repository_from_any_directory(repo: Path, monkeypatch, fmt: str) -> None:
    write("services/orders/flow.asl.json", BROKEN)
    monkeypatch.chdir(repo / "services")  # a workflow step with working-directory: services
    output = cli("--format", fmt, "orders").stdout
    if fmt == "github":
        assert "file=services/orders/flow.asl.json," in output
    elif fmt == "gitlab":
        assert {issue["location"]["path"] for issue in json.loads(output)} == {"services/orders/flow.asl.json"}
    else:
        uris = {result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                for result in json.loads(output)["runs"][0]["results"]}
        assert uris == {"services/orders/flow.asl.json"}


def test_gitlab_fingerprints_survive_lines_moving(repo: Path) -> None:
    write("flow.asl.json", BROKEN)
    before = json.loads(cli("--format", "gitlab", ".").stdout)
    write("flow.asl.json", "\n\n" + BROKEN)
    after = json.loads(cli("--format", "gitlab", ".").stdout)
    assert before[0]["fingerprint"] == after[0]["fingerprint"]
    assert before[0]["location"]["lines"]["begin"] + 2 == after[0]["location"]["lines"]["begin"]


def test_one_run_feeds_annotations_sarif_and_junit(repo: Path) -> None:
    write("flow.asl.json", BROKEN)
    result = cli("--format", "github", "-o", "sarif:asl-lint.sarif", "--output", "junit:report.xml", ".")
    assert result.exit_code == 1 and result.stdout.startswith("::error file=flow.asl.json")
    assert json.loads(Path("asl-lint.sarif").read_text())["runs"][0]["results"][0]["ruleId"] == "ASL202"
    assert "<failure" in Path("report.xml").read_text()
    assert cli("-o", "a.txt", "-o", "b.txt", ".").exit_code == 2  # a second report needs its format


def test_sarif_locations_are_relative_to_the_root_given(repo: Path) -> None:
    write("service/flows/flow.asl.json", BROKEN)
    result = cli("--format", "sarif", "--root", "service", "service")
    location = json.loads(result.stdout)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "flows/flow.asl.json"


# ---- paths a CI system can attach to the pull request


def test_includers_are_reported_with_relative_paths(repo: Path) -> None:
    write("flows/flow.asl.json", '{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "${Missing}",'
                                 ' "End": true}}}')
    write("template.yaml", "Resources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n"
                           "      DefinitionUri: flows/flow.asl.json\n")
    document = json.loads(cli("--format", "json", "--with-includers", "flows/flow.asl.json").stdout)
    assert {d["file"] for d in document["diagnostics"]} == {"flows/flow.asl.json"}
    assert not any(os.path.isabs(m["file"]) for m in document["machines"])


def test_github_annotations_name_absolute_paths_relative_to_the_workspace(repo: Path) -> None:
    write("flow.asl.json", BROKEN)
    result = cli("--format", "github", str(repo / "flow.asl.json"), env={"GITHUB_WORKSPACE": str(repo)})
    assert result.stdout.startswith("::error file=flow.asl.json,")


# ---- small lies


def test_graph_of_a_file_without_a_machine_says_so(repo: Path) -> None:
    write("package.json", '{"name": "x"}')
    result = cli("--graph", "mermaid", "package.json")
    assert result.stdout == "" and "nothing to draw: no state machine was found" in result.stderr


def test_the_readmes_configuration_error_is_what_asl_lint_prints(repo: Path) -> None:
    readme = (ROOT / "docs" / "configuration.md").read_text()
    shown = re.search(r"```\n(asl-lint: \.asl-lint\.yaml:\d+:\d+: .*)\n```", readme).group(1)
    config = re.search(r"```yaml\n(# \.asl-lint\.yaml\n.*?)```", readme, re.S).group(1)
    write(".asl-lint.yaml", config.replace("select: [ALL]", "select: [ASL999]"))
    write("flow.asl.json", BROKEN)
    result = cli("flow.asl.json")
    assert result.exit_code == 2 and result.stderr.strip() == shown


def test_the_api_reads_the_projects_configuration_unless_given_one(repo: Path) -> None:
    write(".asl-lint.yaml", "ignore: [ASL202]\n")
    write("flow.asl.json", BROKEN)
    assert lint_paths("flow.asl.json").diagnostics == []
    assert lint_text(BROKEN, "flow.asl.json").diagnostics == []
    assert [d.rule for d in lint_paths("flow.asl.json", Config()).diagnostics] == ["ASL202"]


# ---- the GitHub Action


ACTION = yaml.safe_load((ROOT / "action.yml").read_text())


def test_the_action_is_valid_github_action_metadata() -> None:
    from jsonschema import Draft7Validator

    builtin = pytest.importorskip("check_jsonschema.builtin_schemas")
    schema = json.loads((Path(builtin.__file__).parent / "vendor" / "github-actions.json").read_text())
    Draft7Validator(schema).validate(ACTION)
    assert ACTION["runs"]["using"] == "composite"


# ---- the README's CI recipes, run as written


def _recipes() -> dict[str, str]:
    section = (ROOT / "docs" / "ci.md").read_text()
    return {title: body for title, body in re.findall(r"<!-- ci-recipe:([\w-]+) -->\n```(?:yaml|yml)\n(.*?)```",
                                                       section, re.S)}


def test_every_ci_system_has_a_recipe() -> None:
    assert set(_recipes()) == {"github", "gitlab", "jenkins", "azure", "circleci", "pre-commit-ci"}
    for body in _recipes().values():
        yaml.safe_load(body.replace("${{", "'${{").replace("}}", "}}'") if "${{" in body else body)


@pytest.mark.parametrize(("recipe", "reports"), [("gitlab", {"gl-code-quality-report.json": "gitlab",
                                                            "asl-lint-junit.xml": "junit"}),
                                                 ("jenkins", {"asl-lint-junit.xml": "junit"}),
                                                 ("azure", {"asl-lint-junit.xml": "junit"}),
                                                 ("circleci", {"test-results/asl-lint/junit.xml": "junit"})])
def test_the_recipes_commands_write_the_reports_their_ci_reads(tmp_path: Path, recipe: str, reports: dict) -> None:
    body = _recipes()[recipe]
    commands = []
    for line in body.splitlines():  # "- asl-lint ...", "- run: ...", "- script: ...", "- sh: ..."
        line = line.strip()
        if line.startswith("#") or "asl-lint " not in line or "pip install" in line:
            continue
        commands.append(re.sub(r"^-\s*((run|script|sh):\s*)?", "", line).strip("'\""))
    assert commands, body
    work = tmp_path / "repo"
    shutil.copytree(EXAMPLES / "invalid", work / "statemachines")
    for command in commands:
        command = re.sub(r"(?<![\w/.-])asl-lint ", f"{sys.executable} -m asl_lint ", command)
        done = subprocess.run(["bash", "-c", command],
                              cwd=work, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
        assert done.returncode in (0, 1), (command, done.stderr)
    for name, fmt in reports.items():
        assert name in body
        text = (work / name).read_text()
        if fmt == "junit":
            _xsd().validate(text)
        else:
            assert json.loads(text) and json.loads(text)[0]["check_name"].startswith("ASL")
