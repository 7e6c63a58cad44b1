"""State machines found in templates and serverless files, reported where the user edits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from asl_lint.api import lint_paths
from asl_lint.config import Config
from asl_lint.source import load_document
from asl_lint.extract import detect_kind, extract_definitions

DANGLING = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Gone"}, "B": {"Type": "Succeed"}}}'


def test_block_scalar_definition_string_maps_exactly(files, found) -> None:
    text = files("stack.yaml", """Resources:
  Flow:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !Sub |
        {"StartAt": "A",
         "States": {"A": {"Type": "Pass", "Next": "Gone"},
                    "B": {"Type": "Succeed"}}}
""")
    column = Path(text).read_text().splitlines()[6].index('"Gone"') + 1
    assert found("stack.yaml", rule="ASL202") == [("stack.yaml", 7, column, "ASL202", "Flow")]


def test_definition_uri_json_file_is_reported_in_that_file(files, found) -> None:
    files("app/statemachine/flow.asl.json", "{\n  " + DANGLING[1:].replace(', "B"', ',\n  "B"'))
    files("app/template.yaml", """Transform: AWS::Serverless-2016-10-31
Resources:
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: statemachine/flow.asl.json
""")
    text = Path("app/statemachine/flow.asl.json").read_text()
    line = next(i for i, row in enumerate(text.splitlines(), 1) if '"Gone"' in row)
    column = text.splitlines()[line - 1].index('"Gone"') + 1
    assert found("app/template.yaml", rule="ASL202") == [
        ("app/statemachine/flow.asl.json", line, column, "ASL202", "Flow")]


def test_fn_join_definition_string_maps_into_the_string_piece(files, found) -> None:
    template = {"Resources": {"Flow": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
        "DefinitionString": {"Fn::Join": ["", [
            '{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"',
            {"Fn::GetAtt": ["Worker", "Arn"]},
            '","Next":"Gone"},"B":{"Type":"Succeed"}}}']]}}}}}
    text = json.dumps(template, indent=1)
    files("cdk.out/Stack.template.json", text)
    row = next(i for i, line in enumerate(text.splitlines(), 1) if "Gone" in line)
    column = text.splitlines()[row - 1].index('\\"Gone') + 1
    assert found("cdk.out/Stack.template.json", rule="ASL202") == [
        ("cdk.out/Stack.template.json", row, column, "ASL202", "Flow")]


def test_intrinsic_pieces_are_placeholders_not_bad_values(files, found) -> None:
    template = {"Resources": {"Flow": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
        "DefinitionString": {"Fn::Join": ["", [
            '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":', {"Ref": "Delay"},
            ',"End":true}}}']]}}}}}
    files("t.json", json.dumps(template))
    assert found("t.json") == []


@pytest.mark.parametrize("value", ["!GetAtt Fn.Arn", "!Sub '${Fn}'", "!Ref Fn", '{"Fn::GetAtt": [Fn, Arn]}'])
def test_intrinsics_in_a_plain_yaml_definition_are_placeholders_in_every_form(files, value: str, found) -> None:
    files("flow.asl.yaml", f"StartAt: A\nStates:\n  A:\n    Type: Task\n    Resource: {value}\n    End: true\n")
    assert found("flow.asl.yaml") == []


def test_json_template_escaped_definition_string_maps_exactly(files, found) -> None:
    definition = DANGLING
    text = json.dumps({"Resources": {"Flow": {"Type": "AWS::StepFunctions::StateMachine",
                                              "Properties": {"DefinitionString": definition}}}})
    files("t.json", text)
    assert found("t.json", rule="ASL202") == [("t.json", 1, text.index('\\"Gone') + 1, "ASL202", "Flow")]


def test_multiline_quoted_string_maps_to_the_string_never_a_wrong_line(files, found) -> None:
    files("t.yaml", 'Resources:\n  Flow:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n'
                    '      DefinitionString: "{\\"StartAt\\": \\"A\\", \\"States\\":\n'
                    '        {\\"A\\": {\\"Type\\": \\"Pass\\", \\"Next\\": \\"Gone\\"}, \\"B\\": {\\"Type\\": \\"Succeed\\"}}}"\n')
    [(file, line, column, rule, machine)] = found("t.yaml", rule="ASL202")
    assert (line, column) == (5, 25)  # the string's own start: it contains the problem


def test_syntax_error_inside_definition_string(files, found) -> None:
    files("t.yaml", "Resources:\n  Flow:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n"
                    "      DefinitionString: |\n        {\"StartAt\": \"A\",\n         \"States\": {}\n")
    assert found("t.yaml") == [("t.yaml", 8, 1, "ASL001", "Flow")]


def test_sam_inline_definition_with_intrinsics_and_workflow_type(files, found) -> None:
    files("template.yaml", """Resources:
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Type: EXPRESS
      Definition:
        StartAt: Work
        States:
          Work:
            Type: Task
            Resource: !GetAtt Worker.Arn
            TimeoutSeconds: !Ref Timeout
            End: true
""")
    document = load_document(Path("template.yaml").read_text(), "template.yaml")
    (definition,) = extract_definitions(document, "template.yaml").definitions
    assert (definition.machine, definition.workflow_type) == ("Flow", "EXPRESS")
    assert found("template.yaml") == []


def test_cloudformation_local_definition_s3_location_is_read(files, found) -> None:
    files("flow.asl.json", DANGLING)
    files("stack.yaml", "Resources:\n  Flow:\n    Type: AWS::StepFunctions::StateMachine\n"
                        "    Properties:\n      DefinitionS3Location: ./flow.asl.json\n")
    assert [row[0] for row in found("stack.yaml", rule="ASL202")] == ["flow.asl.json"]


def test_several_machines_each_under_its_name(files) -> None:
    resources = "\n".join(
        f"  {name}:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition:\n"
        f"        StartAt: A\n        States:\n          A: {{Type: Pass, Next: {target}}}\n          B: {{Type: Succeed}}"
        for name, target in (("One", "B"), ("Two", "Nope"), ("Three", "Never")))
    files("template.yaml", "Resources:\n" + resources + "\n")
    result = lint_paths(["template.yaml"])
    assert result.machines == 3
    assert sorted({d.machine for d in result.diagnostics if d.rule == "ASL202"}) == ["Three", "Two"]


def test_recognised_by_content_whatever_the_name(files, found) -> None:
    files("my-service.yml", "stepFunctions:\n  stateMachines:\n    flow:\n      definition:\n"
                            "        StartAt: A\n        States:\n          A: {Type: Pass, Next: Gone}\n")
    files("infra/stack.txt.json", json.dumps({"Resources": {"F": {"Type": "AWS::StepFunctions::StateMachine",
                                                                  "Properties": {"Definition": json.loads(DANGLING)}}}}))
    assert [(row[3], row[4]) for row in found("my-service.yml", "infra/stack.txt.json", rule="ASL202")] == [
        ("ASL202", "F"), ("ASL202", "flow")]


def test_detect_kind() -> None:
    assert detect_kind({"StartAt": "A", "States": {}}) == "asl"
    assert detect_kind({"stepFunctions": {}}) == "serverless"
    assert detect_kind({"Resources": {"X": {"Type": "AWS::SQS::Queue"}}}) == "cloudformation"
    assert detect_kind({"name": "package"}) is None


def test_kind_option_overrides_recognition(files, found) -> None:
    files("queue.json", json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}))
    assert found("queue.json") == [("queue.json", 1, 1, "ASL003", None)]
    assert [row[3] for row in found("queue.json", config=Config(kind="asl"))] == ["ASL101", "ASL102"]


def test_template_without_state_machine(files, found) -> None:
    files("infra/queue.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    assert found("infra") == []  # found by walking: skipped silently
    assert [row[3] for row in found("infra/queue.yaml")] == ["ASL003"]


def test_serverless_variables(files, found) -> None:
    files("serverless.yml", """custom:
  wait: 30
  table: orders-${sls:stage}
stepFunctions:
  stateMachines:
    flow:
      type: express
      definition:
        StartAt: Wait
        States:
          Wait: {Type: Wait, Seconds: "${self:custom.wait}", Next: Put}
          Put:
            Type: Task
            Resource: "arn:aws:states:#{AWS::Region}:#{AWS::AccountId}:activity:x"
            TimeoutSeconds: ${opt:timeout, 60}
            HeartbeatSeconds: ${opt:heartbeat, '10'}
            Parameters: {TableName: "${self:custom.table}", Env: "${env:STAGE}", Missing: "${self:nope}"}
            End: true
""")
    document = load_document(Path("serverless.yml").read_text(), "serverless.yml")
    (definition,) = extract_definitions(document, "serverless.yml").definitions
    assert definition.workflow_type == "EXPRESS"
    assert definition.data["States"]["Wait"]["Seconds"] == 30
    assert definition.data["States"]["Put"]["TimeoutSeconds"] == 60
    # a quoted default is a string, as the Serverless Framework resolves it: not an integer
    assert [(row[1], row[3]) for row in found("serverless.yml")] == [(16, "ASL104"), (17, "ASL009")]


def test_serverless_file_reference_with_key(files, found) -> None:
    files("flows/all.yml", "ordering:\n  StartAt: A\n  States:\n    A: {Type: Pass, Next: Gone}\n")
    files("serverless.yml", "stepFunctions:\n  stateMachines:\n    order:\n"
                            "      definition: ${file(./flows/all.yml):ordering}\n")
    assert found("serverless.yml", rule="ASL202") == [("flows/all.yml", 4, 27, "ASL202", "order")]


def test_substitutions_unused_and_undefined(files, found) -> None:
    files("template.yaml", """Resources:
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionSubstitutions:
        OrderTable: orders
        Stale: x
      Definition:
        StartAt: Put
        States:
          Put:
            Type: Task
            Resource: arn:aws:states:::dynamodb:putItem
            Parameters: {TableName: "${OrderTable}", Region: "${AWS::Region}", Other: "${Typo}"}
            End: true
""")
    assert [(row[1], row[3]) for row in found("template.yaml") if row[3] in ("ASL009", "ASL010")] == [
        (7, "ASL010"), (14, "ASL009")]


def test_templates_sharing_a_definition_file_say_which_lacks_a_substitution(files) -> None:
    files("flows/order.asl.json", '{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "${Fn}", "End": true}}}')
    for name, substitutions in (("dev.yaml", "{}"), ("prod.yaml", "{Other: x}")):
        files(name, "Resources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n"
                    f"      DefinitionUri: flows/order.asl.json\n      DefinitionSubstitutions: {substitutions}\n")
    result = lint_paths(["dev.yaml", "prod.yaml"], Config(select=("ASL009",)))
    assert sorted(d.message.split(" in ")[1].split(",")[0] for d in result.diagnostics) == ["dev.yaml", "prod.yaml"]
    assert {(d.file, d.line, d.machine) for d in result.diagnostics} == {("flows/order.asl.json", 1, "Flow")}


EXAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "examples"


def test_serverless_includes_at_every_level_are_followed(monkeypatch) -> None:
    monkeypatch.chdir(EXAMPLES / "serverless-includes")
    rows = {(d.file, d.machine, d.rule, d.line) for d in lint_paths(["serverless.yml"], Config()).diagnostics}
    assert rows == {
        ("machines/orders.asl.yml", "orders", "ASL202", 8),  # machine -> its file -> its definition file
        ("machines/orders.asl.yml", "orders", "ASL203", 9),
        ("machines/all.yml", "refunds", "ASL105", 7),  # ${file(./machines/all.yml):refunds}
        ("resources.yml", "ReportFlow", "ASL202", 11),  # resources: ${file(./resources.yml)}
        ("resources.yml", "ReportFlow", "ASL206", 8),
    }
    assert lint_paths(["serverless.yml"], Config()).machines == 4


def test_state_machines_map_included_from_a_file(files, found) -> None:
    files("sm/machines.yml", "flow:\n  definition: ${file(./flow.json)}\n")
    files("sm/flow.json", DANGLING)
    files("serverless.yml", "service: s\nprovider: {name: aws}\nstepFunctions:\n"
                            "  stateMachines: ${file(./sm/machines.yml)}\n")
    assert found("serverless.yml", rule="ASL202") == [("sm/flow.json", 1, 59, "ASL202", "flow")]


def test_cloudformation_resources_inline_in_a_serverless_file(files, found) -> None:
    files("serverless.yml", """service: s
provider: {name: aws}
resources:
  Resources:
    Flow:
      Type: AWS::StepFunctions::StateMachine
      Properties:
        Definition: {StartAt: A, States: {A: {Type: Pass, Next: Gone}}}
""")
    assert found("serverless.yml", rule="ASL202") == [("serverless.yml", 8, 65, "ASL202", "Flow")]


@pytest.mark.parametrize(("text", "why"), [
    ("service: s\nprovider: {name: aws}\nstepFunctions: {}\n", "has stepFunctions, but no stateMachines"),
    ("service: s\nprovider: {name: aws}\nstepFunctions: {stateMachines: {}}\n", "stepFunctions.stateMachines is empty"),
    ("service: s\nprovider: {name: aws}\nstepFunctions: {stateMachines: {a: {name: x}}}\n", "has a definition"),
    ("service: s\nprovider: {name: aws}\nfunctions: {}\n", "has no stepFunctions section"),
])
def test_a_serverless_file_without_machines_says_why(files, text: str, why: str) -> None:
    files("serverless.yml", text)
    result = lint_paths(["serverless.yml"], Config())
    assert [d.rule for d in result.diagnostics] == ["ASL003"] and why in result.diagnostics[0].message


def test_an_unreadable_include_says_what_could_not_be_read(files) -> None:
    files("serverless.yml", "service: s\nprovider: {name: aws}\nstepFunctions:\n  stateMachines: ${file(./x.yml)}\n")
    result = lint_paths(["serverless.yml"], Config())
    assert [(d.rule, d.line, d.column) for d in result.diagnostics] == [("ASL007", 4, 18)]
    assert result.diagnostics[0].message.startswith(
        "stepFunctions.stateMachines of serverless.yml comes from './x.yml', which cannot be read (x.yml: ")


def test_fn_sub_join_select_and_if_inside_fn_join_are_text(monkeypatch, found) -> None:
    monkeypatch.chdir(EXAMPLES / "cdk")
    rows = found("NestedIntrinsics.template.json")
    assert [row[3] for row in rows] == ["ASL206", "ASL202"]  # no syntax error: the JSON is whole
    assert rows[1][1:3] == (15, 71)  # 'Gone' inside the Fn::Select string, exactly


def test_fn_join_inside_fn_sub_variables_is_a_placeholder(files, found) -> None:
    files("stack.yaml", """Resources:
  Flow:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      DefinitionString: !Sub
        - '{"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "${Arn}", "Next": "Gone"}}}'
        - Arn: !Join [":", ["arn:aws:lambda", !Ref AWS::Region, "function:f"]]
""")
    assert [(row[1], row[2], row[3]) for row in found("stack.yaml")] == [(6, 29, "ASL206"), (6, 92, "ASL202")]
