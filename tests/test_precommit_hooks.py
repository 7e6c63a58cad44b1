"""The pre-commit hooks, run for real by pre-commit inside a throwaway git repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
HOOKS = {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
VALID = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}\n'
BROKEN = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "C": {"Type": "Succeed"}}}\n'


@pytest.mark.parametrize(
    ("name", "matches"),
    [("order.asl.json", True), ("flows/order.asl.yaml", True), ("order.asl.yml", True),
     ("package.json", False), ("template.yaml", False), ("order.asl.json.bak", False)],
)
def test_asl_hook_file_pattern(name: str, matches: bool) -> None:
    assert bool(re.search(HOOKS["asl-lint"]["files"], name)) is matches


@pytest.mark.parametrize(
    ("name", "passed"),
    [("template.yaml", True), ("infra/template.yml", True), ("cdk.out/Stack.template.json", True),
     ("serverless.yml", True), ("svc/serverless.yaml", True), ("my-template.yaml", True), ("stack.yaml", True),
     ("packaged-template.yaml", True), ("flows/publish.yml", True), ("infra/stack.template", True),
     ("infra/main.tf", True), ("cdktf.out/stacks/a/cdk.tf.json", True), ("flows/order.json.tftpl", True),
     ("flows/order.tpl", True), ("order.asl.json", True), ("prod.tfvars", False), ("README.md", False),
     ("main.tf.bak", False)],
)
def test_templates_hook_sees_every_template_file_and_the_definitions_they_read(name: str, passed: bool) -> None:
    hook = HOOKS["asl-lint-templates"]
    # Names decide, not pre-commit's file types: it knows neither .template nor .tftpl. It
    # sees definition files too: one a template reads is checked through the template.
    assert "--skip-unrecognized" in hook["entry"] and "types_or" not in hook
    assert (re.search(hook["files"], name) is not None) is passed


@pytest.fixture
def repository(tmp_path: Path) -> dict:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pytest.importorskip("pre_commit")
    # language: system runs the asl-lint of this environment; everything else is the manifest's.
    hooks = [{**hook, "language": "system"} for hook in HOOKS.values()]
    config = {"repos": [{"repo": "local", "hooks": hooks}]}
    (tmp_path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(tmp_path / ".cache"),
        "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid",
        "HOME": str(tmp_path),
    }
    git = ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=tmp_path, env=env, check=True)
    subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=tmp_path, env=env, check=True,
                   capture_output=True)

    def commit(name: str, text: str) -> subprocess.CompletedProcess:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        subprocess.run([*git, "add", "-A"], cwd=tmp_path, env=env, check=True)
        return subprocess.run([*git, "commit", "-q", "-m", f"add {name}"], cwd=tmp_path, env=env,
                              capture_output=True, text=True)

    return {"commit": commit, "root": tmp_path}


def test_broken_definition_fails_the_commit(repository: dict) -> None:
    done = repository["commit"]("flows/order.asl.json", BROKEN)
    assert done.returncode != 0
    assert "ASL202" in done.stdout + done.stderr


def test_valid_definition_passes(repository: dict) -> None:
    done = repository["commit"]("flows/order.asl.json", VALID)
    assert done.returncode == 0, done.stdout + done.stderr


SERVERLESS = """stepFunctions:
  stateMachines:
    flow:
      definition:
        StartAt: A
        States:
          A: {Type: Pass, Next: %s}
          B: {Type: Succeed}
"""


def test_broken_serverless_file_fails_the_commit(repository: dict) -> None:
    done = repository["commit"]("serverless.yml", SERVERLESS % "Gone")
    assert done.returncode != 0
    assert "ASL202" in done.stdout + done.stderr and "flow" in done.stdout + done.stderr


def test_valid_serverless_file_passes(repository: dict) -> None:
    done = repository["commit"]("serverless.yml", SERVERLESS % "B")
    assert done.returncode == 0, done.stdout + done.stderr


STACK = """Resources:
  Flow:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      Definition:
        StartAt: A
        States:
          A: {Type: Pass, Next: Gone}
          B: {Type: Succeed}
"""
INCLUDING = """service: s
provider: {name: aws}
stepFunctions:
  stateMachines:
    publish: ${file(./flows/publish.yml):machine}
"""
INCLUDED = """machine:
  definition:
    StartAt: A
    States:
      A: {Type: Pass, Next: %s}
      B: {Type: Succeed}
"""


def test_a_template_named_stack_yaml_is_caught(repository: dict) -> None:
    done = repository["commit"]("infra/stack.yaml", STACK)
    assert done.returncode != 0 and "ASL202" in done.stdout + done.stderr


def test_unrelated_json_and_yaml_files_pass(repository: dict) -> None:
    repository["commit"]("tsconfig.json", '{"compilerOptions": {}, // comments\n}')
    done = repository["commit"]("k8s/deploy.yaml", "kind: A\n---\nkind: B\n")
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_change_to_an_included_file_is_checked_through_its_serverless_file(repository: dict) -> None:
    assert repository["commit"]("serverless.yml", INCLUDING).returncode != 0  # the include is missing yet
    assert repository["commit"]("flows/publish.yml", INCLUDED % "B").returncode == 0
    done = repository["commit"]("flows/publish.yml", INCLUDED % "Gone")  # only the included file changes
    assert done.returncode != 0
    assert "ASL202" in done.stdout + done.stderr and "publish" in done.stdout + done.stderr


STACK_TF = """resource "aws_sfn_state_machine" "flow" {
  name     = "flow"
  role_arn = "arn:aws:iam::123456789012:role/sfn"
  definition = jsonencode({
    StartAt = "A"
    States  = { A = { Type = "Pass", Next = "Gone" }, B = { Type = "Succeed" } }
  })
}
"""
TERRAFORM = """resource "aws_sfn_state_machine" "flow" {
  name       = "flow"
  role_arn   = "arn:aws:iam::123456789012:role/sfn"
  definition = templatefile("${path.module}/flows/flow.json.tftpl", { next = "B" })
}
"""
TEMPLATE = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "%s"}, "B": {"Type": "Succeed"}}}\n'


def test_a_broken_terraform_machine_fails_the_commit(repository: dict) -> None:
    done = repository["commit"]("infra/main.tf", STACK_TF)
    assert done.returncode != 0 and "ASL202" in done.stdout + done.stderr


def test_a_change_to_a_terraform_template_is_checked_through_the_tf_that_renders_it(repository: dict) -> None:
    assert repository["commit"]("infra/flows/flow.json.tftpl", TEMPLATE % "B").returncode == 0
    assert repository["commit"]("infra/main.tf", TERRAFORM).returncode == 0
    done = repository["commit"]("infra/flows/flow.json.tftpl", TEMPLATE % "Gone")  # only the template changes
    assert done.returncode != 0
    assert "ASL202" in done.stdout + done.stderr and "aws_sfn_state_machine.flow" in done.stdout + done.stderr


def test_terraform_files_without_machines_pass(repository: dict) -> None:
    repository["commit"]("infra/variables.tf", 'variable "region" {\n  default = "eu-west-1"\n}\n')
    done = repository["commit"]("infra/templates/user-data.tpl", "#!/bin/sh\necho ${name} %{ if x }y%{ endif }\n")
    assert done.returncode == 0, done.stdout + done.stderr


SAM = """Transform: AWS::Serverless-2016-10-31
Resources:
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: flows/order.asl.json
"""


def _findings(output: str) -> list[str]:
    return [line for line in output.splitlines() if re.search(r":\d+:\d+: (error|warning|info) ", line)]


def test_the_two_hooks_never_report_one_finding_twice(repository: dict) -> None:
    # Both files in one commit: the templates hook checks the definition through the template.
    (repository["root"] / "flows").mkdir()
    (repository["root"] / "flows" / "order.asl.json").write_text(BROKEN)
    done = repository["commit"]("template.yaml", SAM)
    assert done.returncode != 0
    findings = _findings(done.stdout + done.stderr)
    assert findings and len(findings) == len(set(findings)), findings
    assert any("ASL202" in line and "flows/order.asl.json" in line for line in findings)
    # The definition alone: still reported once, through the template that reads it.
    again = repository["commit"]("flows/order.asl.json", BROKEN.replace('"C"', '"D"'))
    findings = _findings(again.stdout + again.stderr)
    assert again.returncode != 0 and findings and len(findings) == len(set(findings)), findings
    # A definition no template reads: the definitions hook checks it, once.
    alone = repository["commit"]("other/alone.asl.json", BROKEN)
    findings = [line for line in _findings(alone.stdout + alone.stderr) if "alone.asl.json" in line]
    assert alone.returncode != 0 and findings and len(findings) == len(set(findings)), findings
