"""Terraform and serverless as people really write them: locals and variables everywhere,
module calls, tfvars, installed modules, and never a silent pass."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from asl_lint.api import fix_paths, lint_paths
from asl_lint.cli import main
from asl_lint.config import Config

ROOT = Path(__file__).resolve().parents[2]
AS_WRITTEN = ROOT / "fixtures" / "examples" / "terraform" / "as-written"


def resource(name: str, definition: str) -> str:
    return (f'resource "aws_sfn_state_machine" "{name}" {{\n  name = "{name}"\n'
            f'  role_arn = "arn:aws:iam::123456789012:role/sfn"\n  definition = {definition}\n}}\n')


def findings(*paths: str, config: Config | None = None) -> list[tuple]:
    return [(d.file, d.line, d.rule, d.machine) for d in lint_paths(list(paths), config or Config()).diagnostics]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


LAMBDA_TASK = ('{ Type = "Task", Resource = "arn:aws:states:::lambda:invoke", Parameters = { FunctionName = "f" },'
               ' Catch = local.lambda_catch, Retry = local.lambda_retry, End = true }')
LOCALS = """locals {
  lambda_catch = [{ ErrorEquals = ["States.ALL"], Next = "WorkflowError" }]
  lambda_retry = [{ ErrorEquals = ["Lambda.ServiceException", "Lambda.AWSLambdaException",
                                   "Lambda.SdkClientException", "Lambda.TooManyRequestsException"] }]
}
"""


def test_catch_and_retry_from_locals_are_their_values(project: Path) -> None:
    (project / "main.tf").write_text(LOCALS + resource("flow", 'jsonencode({ StartAt = "Work", States = {'
                                                               f' Work = {LAMBDA_TASK},'
                                                               ' WorkflowError = { Type = "Fail" } } })'))
    assert findings("main.tf") == []  # no false ASL203 for WorkflowError, no false ASL406


def test_a_whole_definition_in_a_local_is_checked_where_it_is_written(project: Path) -> None:
    (project / "main.tf").write_text('locals {\n  flow = {\n    StartAt = "A"\n    States = {\n'
                                     '      A = { Type = "Pass", Next = "Gone" }\n    }\n  }\n}\n'
                                     + resource("flow", "jsonencode(local.flow)"))
    assert ("main.tf", 5, "ASL202", "aws_sfn_state_machine.flow") in findings("main.tf")


def test_a_local_in_another_file_is_shown_at_its_reference(project: Path) -> None:
    (project / "locals.tf").write_text(LOCALS.replace('Next = "WorkflowError"', 'Next = "Nowhere"'))
    (project / "main.tf").write_text(resource("flow", 'jsonencode({ StartAt = "Work", States = {'
                                                      f' Work = {LAMBDA_TASK} }} }})'))
    found = findings("main.tf")
    assert [(file, rule) for file, _, rule, _ in found] == [("main.tf", "ASL202")]


def test_templatefile_path_and_variables_from_defaults_and_locals(project: Path) -> None:
    (project / "files").mkdir()
    (project / "files" / "orders.json.tpl").write_text(
        '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "${after}"}, "B": {"Type": "Succeed"}}}')
    (project / "main.tf").write_text(
        'locals {\n  name = "orders"\n}\nvariable "file" {\n  default = "files/orders.json.tpl"\n}\n'
        'variable "vars" {\n  default = { after = "C" }\n}\n'
        + resource("by_vars", "templatefile(var.file, var.vars)")
        + resource("by_local", 'templatefile("${path.module}/files/${local.name}.json.tpl", { after = "B" })'))
    found = findings("main.tf")
    assert ("files/orders.json.tpl", 1, "ASL202", "aws_sfn_state_machine.by_vars") in found  # "C" is no state
    assert not any(machine == "aws_sfn_state_machine.by_local" for *_, machine in found)
    assert not any(rule == "ASL008" for _, _, rule, _ in found)


def test_tfvars_files_and_the_command_line_give_variables_in_terraforms_order(project: Path) -> None:
    def flow(target: str) -> str:
        return json.dumps(json.dumps({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": target},
                                                                  "B": {"Type": "Succeed"}}}))

    (project / "main.tf").write_text('variable "definition" {\n  type = string\n}\n'
                                     + resource("flow", "var.definition"))
    (project / "terraform.tfvars").write_text(f"definition = {flow('FromTfvars')}\n")
    assert "FromTfvars" in lint_paths(["main.tf"], Config()).diagnostics[0].message
    (project / "b.auto.tfvars").write_text(f"definition = {flow('FromAutoB')}\n")
    (project / "a.auto.tfvars").write_text(f"definition = {flow('FromAutoA')}\n")
    assert "FromAutoB" in lint_paths(["main.tf"], Config()).diagnostics[0].message  # lexical order: b last
    (project / "prod.tfvars").write_text(f"definition = {flow('FromVarFile')}\n")
    config = Config(var_files=("prod.tfvars",))
    assert "FromVarFile" in lint_paths(["main.tf"], config).diagnostics[0].message
    result = CliRunner().invoke(main, ["--format", "json", "--no-cache", "--var-file", "prod.tfvars", "--var",
                                       'definition={"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}',
                                       "main.tf"], catch_exceptions=False)
    assert result.exit_code == 0 and json.loads(result.stdout)["diagnostics"] == []


def test_a_module_that_renders_a_template_from_its_variables_is_a_machine_per_call(project: Path) -> None:
    (project / "modules" / "sfn").mkdir(parents=True)
    (project / "modules" / "sfn" / "main.tf").write_text(
        'variable "definition_file" {}\nvariable "definition_vars" {\n  default = {}\n}\n'
        + resource("this", "templatefile(var.definition_file, var.definition_vars)"))
    (project / "flow.json.tpl").write_text(
        '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "${next}"}, "Done": {"Type": "Succeed"}}}')
    calls = "".join(f'module "{name}" {{\n  source = "./modules/sfn"\n'
                    f'  definition_file = "${{path.module}}/flow.json.tpl"\n  definition_vars = {{ next = "{next}" }}\n}}\n'
                    for name, next in (("good", "Done"), ("bad", "Dne")))
    (project / "main.tf").write_text(calls)
    result = lint_paths(["main.tf"], Config())
    assert result.machines == 2
    assert [(d.rule, d.machine) for d in result.diagnostics if d.severity.label == "error"] == [
        ("ASL202", "module.bad"), ("ASL203", "module.bad")]


def test_installed_modules_are_followed_and_missing_ones_said(project: Path) -> None:
    shutil.copytree(AS_WRITTEN, project / "tf")
    result = lint_paths(["tf/main.tf"], Config())
    assert "module.reporting" in {c.machine for c in result.checked}
    shutil.rmtree(project / "tf" / ".terraform")
    missing = [d for d in lint_paths(["tf/main.tf"], Config()).diagnostics if d.machine == "module.reporting"]
    assert [(d.rule, d.severity.label) for d in missing] == [("ASL008", "info")]
    assert "is not installed" in missing[0].message


def test_the_community_modules_empty_default_is_no_definition_not_a_broken_file(project: Path) -> None:
    (project / "variables.tf").write_text('variable "definition" {\n  type = string\n  default = ""\n}\n')
    (project / "main.tf").write_text(resource("this", "var.definition"))
    result = CliRunner().invoke(main, ["--format", "json", "--no-cache", "main.tf"], catch_exceptions=False)
    document = json.loads(result.stdout)
    assert result.exit_code == 0 and [d["rule"] for d in document["diagnostics"]] == ["ASL008"]
    assert "empty string" in document["diagnostics"][0]["message"]


def test_a_serverless_machine_without_definition_is_an_error(project: Path) -> None:
    (project / "serverless.yml").write_text("service: s\nstepFunctions:\n  stateMachines:\n    flow:\n"
                                            "      StartAt: A\n      States:\n        A: {Type: Succeed}\n")
    result = CliRunner().invoke(main, ["--no-cache", "serverless.yml"], catch_exceptions=False)
    assert result.exit_code == 1 and "ASL101" in result.stdout and 'Missing "definition" property' in result.stdout
    assert "1 was found and could not be checked (ASL101 missing-field" in result.stderr


def test_machines_found_but_not_checkable_are_said_to_be_so(project: Path) -> None:
    (project / "main.tf").write_text('variable "definition" {\n  type = string\n}\n'
                                     + resource("flow", "var.definition"))
    result = CliRunner().invoke(main, ["--no-cache", "main.tf"], catch_exceptions=False)
    assert "1 was found and could not be checked (ASL008 definition-not-checkable" in result.stderr
    assert "none holds an ASL definition" not in result.stderr


def test_a_definition_file_and_its_template_are_one_machine(monkeypatch) -> None:
    monkeypatch.chdir(ROOT)
    result = lint_paths(["fixtures/examples/sam"], Config())
    assert result.machines == 2 and len(result.checked) == 2
    junit = CliRunner().invoke(main, ["--format", "junit", "--no-cache", "fixtures/examples/sam"]).stdout
    assert 'name="state machine"' not in junit  # no extra case for the file checked alone


def test_terraform_0_11_syntax_is_named(project: Path) -> None:
    (project / "main.tf").write_text('variable "x" {\n  type = "list"\n  default = ["a" "b"]\n}\n'
                                     + resource("flow", '"${file("flow.json")}"'))
    (rule, message), = [(d.rule, d.message) for d in lint_paths(["main.tf"], Config()).diagnostics]
    assert rule == "ASL001" and "Terraform 0.11 (HCL1) syntax" in message


@pytest.mark.parametrize("field", ["Next", "Default", "Catch", "Choices", "Retry", "End"])
def test_a_graph_field_known_only_at_plan_time_never_gives_a_false_flow_finding(project: Path, field: str) -> None:
    states = {
        "Next": '{ Start = { Type = "Pass", Next = var.x }, Other = { Type = "Succeed" } }',
        "Default": '{ Start = { Type = "Choice", Choices = [{ Variable = "$.a", IsPresent = true, Next = "Other" }],'
                   ' Default = var.x }, Other = { Type = "Succeed" }, Third = { Type = "Succeed" } }',
        "Catch": ('{ Start = { Type = "Task", Resource = "arn:aws:states:::lambda:invoke", Parameters = {'
                  ' FunctionName = "f" }, Catch = var.x, Retry = [{ ErrorEquals = ["States.ALL"] }], End = true },'
                  ' Other = { Type = "Fail" } }'),
        "Choices": '{ Start = { Type = "Choice", Choices = var.x, Default = "Other" }, Other = { Type = "Succeed" },'
                   ' Third = { Type = "Succeed" } }',
        "Retry": ('{ Start = { Type = "Task", Resource = "arn:aws:states:::lambda:invoke", Parameters = {'
                  ' FunctionName = "f" }, Retry = var.x, End = true } }'),
        "End": '{ Start = { Type = "Pass", End = var.x } }',
    }[field]
    (project / "main.tf").write_text(resource("flow", f'jsonencode({{ StartAt = "Start", States = {states} }})'))
    rules = {rule for _, _, rule, _ in findings("main.tf")}
    assert not rules & {"ASL203", "ASL205", "ASL206", "ASL406"}, rules
    if field in ("Next", "Default", "Catch", "Choices"):
        assert "ASL210" in rules  # what could not be known is said


def test_a_long_local_chain_and_a_local_that_is_itself_stop_with_a_diagnostic(project: Path) -> None:
    chain = "locals {\n" + "".join(f"  a{i} = local.a{i + 1}\n" for i in range(1000)) + '  a1000 = "x"\n'
    chain += "  self = local.self\n}\n"
    (project / "main.tf").write_text(chain + resource("chain", 'jsonencode({ StartAt = "A", States = { A = {'
                                                               ' Type = "Pass", Result = local.a0, End = true } } })')
                                     + resource("loop", 'jsonencode({ StartAt = "A", States = { A = {'
                                                        ' Type = "Pass", Result = local.self, End = true } } })'))
    found = lint_paths(["main.tf"], Config()).diagnostics
    assert {(d.rule, d.machine) for d in found} == {("ASL015", "aws_sfn_state_machine.chain"),
                                                     ("ASL015", "aws_sfn_state_machine.loop")}


def test_a_fix_never_edits_a_template_where_a_variable_filled_in_the_value(project: Path) -> None:
    template = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "${next}"}, "Done": {"Type": "Succeed"}}}'
    (project / "flow.json.tpl").write_text(template)
    (project / "main.tf").write_text(resource("flow", 'templatefile("flow.json.tpl", { next = "Dne" })'))
    outcome = fix_paths(["main.tf"], Config(), unsafe=True)
    assert "flow.json.tpl" not in outcome.changed and (project / "flow.json.tpl").read_text() == template
    assert [d.rule for d in outcome.result.diagnostics if d.severity.label == "error"] == ["ASL202", "ASL203"]


FUNCTIONS = """variable "strict" {
  default = true
}
locals {
  common  = { Type = "Task", Resource = "arn:aws:states:::lambda:invoke" }
  retry   = [{ ErrorEquals = ["Lambda.ServiceException", "Lambda.AWSLambdaException",
                              "Lambda.SdkClientException", "Lambda.TooManyRequestsException"] }]
  catches = concat([{ ErrorEquals = ["States.Timeout"], Next = "Failed" }], [{ ErrorEquals = ["States.ALL"], Next = "Failed" }])
  steps   = ["One", "Two"]
  targets = { default = "Done" }
}
"""


def test_functions_conditionals_and_for_expressions_of_known_values_are_evaluated(project: Path) -> None:
    states = ('merge({ for i, s in local.steps : s => merge(local.common, { Parameters = { FunctionName = lower(s) },'
              ' Retry = local.retry, Catch = local.catches,'
              ' Next = i + 1 < length(local.steps) ? local.steps[i + 1] : "Done" }) },'
              ' { Done = { Type = var.strict ? "Succeed" : "Pass" },'
              ' Failed = { Type = "Fail", Error = format("%s.Failed", upper("orders")) },'
              ' Routed = { Type = "Pass", Next = lookup(local.targets, "default", "Nope"),'
              ' Comment = join(", ", local.steps) } })')
    (project / "main.tf").write_text(FUNCTIONS + resource("flow", f'jsonencode({{ StartAt = "One", States = {states} }})'))
    found = lint_paths(["main.tf"], Config()).diagnostics
    # Everything is known: the one problem is real (nothing reaches Routed), none is a placeholder's.
    assert [(d.rule, d.message.split(":")[0]) for d in found] == [("ASL203", "state 'Routed' is not reachable")]


def test_a_definition_whose_states_are_not_known_is_said_not_checked(project: Path) -> None:
    (project / "main.tf").write_text(resource("flow", 'jsonencode({ StartAt = "A", States = merge(var.a, var.b) })'))
    found = lint_paths(["main.tf"], Config()).diagnostics
    assert [(d.rule, d.severity.label) for d in found] == [("ASL008", "info")]
    assert "the States of its definition is built by an expression" in found[0].message


def test_sdk_calls_in_terraform_are_checked_with_plan_time_values_as_present(project: Path) -> None:
    (project / "main.tf").write_text(resource("flow", """jsonencode({
    StartAt = "Get"
    States = {
      Get = { Type = "Task", Resource = "arn:aws:states:::aws-sdk:s3:getObject",
              Parameters = { Bucket = aws_s3_bucket.data.id, key = var.key }, End = true }
    }
  })"""))
    found = [(d.rule, d.message.split(";")[0]) for d in lint_paths(["main.tf"], Config()).diagnostics]
    assert found == [("ASL412", "'key' is not a field of s3:getObject")]  # Bucket, a plan-time value, counts
