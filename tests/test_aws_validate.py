"""--aws-validate against botocore's Stubber: no network, AWS's answers as AWS gives them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

boto3 = pytest.importorskip("boto3")
from botocore.exceptions import ConnectTimeoutError, ReadTimeoutError  # noqa: E402
from botocore.stub import Stubber  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from asl_lint import aws  # noqa: E402
from asl_lint.cli import main  # noqa: E402

UNREACHABLE = {"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "B": {"Type": "Succeed"}}}
CLEAN = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
OPERATION = "validate_state_machine_definition"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def stubbed(monkeypatch: pytest.MonkeyPatch):
    client = boto3.client("stepfunctions", region_name="us-east-1", aws_access_key_id="test",
                          aws_secret_access_key="test")
    stubber = Stubber(client)
    stubber.activate()
    monkeypatch.setattr(aws, "make_client", lambda: client)
    monkeypatch.setattr(aws, "CONCURRENCY", 1)
    yield stubber
    stubber.deactivate()


def run(*args: str) -> tuple[int, dict]:
    result = CliRunner().invoke(main, ["--format", "json", *args], catch_exceptions=False)
    return result.exit_code, json.loads(result.stdout)


def sent(definition: dict | str, workflow_type: str = "STANDARD") -> dict:
    """Exactly what asl-lint sends: the definition, its type, and what to return."""
    text = definition if isinstance(definition, str) else json.dumps(definition)
    return {"definition": text, "type": workflow_type, "severity": "WARNING", "maxResults": 100}


def test_agreement_is_one_finding_marked_as_confirmed(project: Path, stubbed: Stubber) -> None:
    Path("flow.asl.json").write_text(json.dumps(UNREACHABLE))
    stubbed.add_response(OPERATION, {"result": "FAIL", "diagnostics": [
        {"severity": "ERROR", "code": "MISSING_TRANSITION_TARGET", "message": "State \"B\" is not reachable.",
         "location": "/States/B"}]}, sent(UNREACHABLE))
    status, document = run("--aws-validate", "flow.asl.json")
    assert status == 1
    assert [(d["rule"], d["aws_code"], d["aws_confirmed"]) for d in document["diagnostics"]] == [
        ("ASL203", "MISSING_TRANSITION_TARGET", True)]
    assert document["machines"] == [{"file": "flow.asl.json", "machine": None, "would_deploy": False}]
    stubbed.assert_no_pending_responses()


def test_an_aws_only_finding_is_its_own_rule_at_awss_location(project: Path, stubbed: Stubber) -> None:
    Path("flow.asl.json").write_text(json.dumps(CLEAN, indent=2))
    stubbed.add_response(OPERATION, {"result": "FAIL", "diagnostics": [
        {"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED", "message": "The field \"End\" is not supported.",
         "location": "/States/A/End"}]}, sent(CLEAN))
    status, document = run("--aws-validate", "flow.asl.json")
    assert status == 1
    (finding,) = document["diagnostics"]
    assert (finding["rule"], finding["line"], finding["pointer"], finding["state"]) == (
        "ASL017", 6, "/States/A/End", "A")
    assert finding["message"] == 'AWS: SCHEMA_VALIDATION_FAILED: The field "End" is not supported.'
    assert document["machines"][0]["would_deploy"] is False


def test_a_finding_aws_does_not_share_is_marked_and_awss_ok_decides(project: Path, stubbed: Stubber) -> None:
    Path("flow.asl.json").write_text(json.dumps(UNREACHABLE))
    stubbed.add_response(OPERATION, {"result": "OK", "diagnostics": []}, sent(UNREACHABLE))
    status, document = run("--aws-validate", "flow.asl.json")
    assert [(d["rule"], d["aws_confirmed"]) for d in document["diagnostics"]] == [("ASL203", False)]
    assert document["machines"][0]["would_deploy"] is True and status == 1


def test_an_aws_warning_is_a_warning(project: Path, stubbed: Stubber) -> None:
    Path("flow.asl.json").write_text(json.dumps(CLEAN))
    stubbed.add_response(OPERATION, {"result": "OK", "diagnostics": [
        {"severity": "WARNING", "code": "SOME_NEW_WARNING", "message": "advice", "location": "/States/A"}]})
    status, document = run("--aws-validate", "flow.asl.json")
    assert status == 0 and [(d["rule"], d["severity"]) for d in document["diagnostics"]] == [("ASL018", "warning")]


def test_placeholders_are_sent_as_values_aws_accepts(project: Path, stubbed: Stubber) -> None:
    template = {"Resources": {"Flow": {"Type": "AWS::Serverless::StateMachine", "Properties": {
        "Type": "EXPRESS", "DefinitionSubstitutions": {"Fn": "x", "Wait": 5},
        "Definition": {"StartAt": "T", "States": {
            "T": {"Type": "Task", "Resource": "${Fn}", "Next": "W"},
            "W": {"Type": "Wait", "Seconds": "${Wait}", "Next": "G"},
            "G": {"Type": "Task", "Resource": {"Fn::GetAtt": ["Worker", "Arn"]}, "End": True}}}}}}}
    Path("template.json").write_text(json.dumps(template))
    expected = {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": aws._TASK_RESOURCE, "Next": "W"},
        "W": {"Type": "Wait", "Seconds": 1, "Next": "G"},
        "G": {"Type": "Task", "Resource": aws._TASK_RESOURCE, "End": True}}}
    stubbed.add_response(OPERATION, {"result": "OK", "diagnostics": []}, sent(expected, "EXPRESS"))
    status, document = run("--aws-validate", "template.json")
    stubbed.assert_no_pending_responses()  # the request matched what is documented, exactly
    assert status == 0 and document["machines"] == [{"file": "template.json", "machine": "Flow",
                                                     "would_deploy": True}]


def test_throttling_is_retried_with_backoff(project: Path, stubbed: Stubber, monkeypatch) -> None:
    pauses = []
    monkeypatch.setattr(aws.time, "sleep", pauses.append)
    Path("flow.asl.json").write_text(json.dumps(CLEAN))
    for _ in range(2):
        stubbed.add_client_error(OPERATION, service_error_code="ThrottlingException", http_status_code=400)
    stubbed.add_response(OPERATION, {"result": "OK", "diagnostics": []})
    status, document = run("--aws-validate", "flow.asl.json")
    assert status == 0 and document["diagnostics"] == [] and len(pauses) == 2 and pauses[1] > pauses[0] / 4
    stubbed.assert_no_pending_responses()


def test_throttled_to_the_end_is_unavailable_not_a_failure(project: Path, stubbed: Stubber, monkeypatch) -> None:
    monkeypatch.setattr(aws.time, "sleep", lambda seconds: None)
    Path("flow.asl.json").write_text(json.dumps(CLEAN))
    for _ in range(aws.ATTEMPTS):
        stubbed.add_client_error(OPERATION, service_error_code="ThrottlingException", http_status_code=400)
    status, document = run("--aws-validate", "flow.asl.json")
    assert status == 0 and [d["rule"] for d in document["diagnostics"]] == ["ASL020"]
    assert "throttling" in document["diagnostics"][0]["message"]


def test_no_credentials_is_one_info_and_required_makes_it_fail(project: Path, monkeypatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(project / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(project / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    for name in ("a", "b"):
        Path(f"{name}.asl.json").write_text(json.dumps(CLEAN))
    status, document = run("--aws-validate", "a.asl.json", "b.asl.json")
    assert status == 0
    (unavailable,) = document["diagnostics"]
    assert (unavailable["rule"], unavailable["severity"]) == ("ASL020", "info")
    assert unavailable["message"].startswith("2 state machines not validated by AWS: no AWS credentials")
    status, document = run("--aws-validate=required", "a.asl.json")
    assert status == 1 and document["diagnostics"][0]["severity"] == "error"


def test_a_timeout_is_unavailable(project: Path, monkeypatch) -> None:
    class Timing:
        def validate_state_machine_definition(self, **_):
            raise ReadTimeoutError(endpoint_url="https://states.us-east-1.amazonaws.com")

    monkeypatch.setattr(aws, "make_client", Timing)
    Path("flow.asl.json").write_text(json.dumps(CLEAN))
    status, document = run("--aws-validate", "flow.asl.json")
    assert status == 0 and "AWS could not be reached (ReadTimeoutError)" in document["diagnostics"][0]["message"]


def test_nothing_is_sent_unless_asked(project: Path, monkeypatch) -> None:
    monkeypatch.setattr(aws, "make_client", lambda: pytest.fail("AWS was asked"))
    Path("flow.asl.json").write_text(json.dumps(UNREACHABLE))
    assert run("flow.asl.json")[0] == 1


def test_the_configuration_can_ask_for_it(project: Path, stubbed: Stubber) -> None:
    Path(".asl-lint.yaml").write_text("aws-validate: required\n")
    Path("flow.asl.json").write_text(json.dumps(CLEAN))
    stubbed.add_response(OPERATION, {"result": "OK", "diagnostics": []})
    status, document = run("flow.asl.json")
    assert status == 0 and document["diagnostics"] == []
    stubbed.assert_no_pending_responses()  # asked once, as the configuration says
    status, document = run("--aws-validate=off", "flow.asl.json")  # the command line wins
    assert status == 0 and document["diagnostics"] == []  # not asked: the Stubber has no answer left


def test_a_resolved_serverless_variable_is_sent_as_a_stand_in(project: Path, stubbed: Stubber) -> None:
    Path("serverless.yml").write_text("""service: orders
custom:
  secretQueue: https://sqs.us-east-1.amazonaws.com/123456789012/very-secret-queue-name
  extra: {Token: secret-token-value}
stepFunctions:
  stateMachines:
    flow:
      definition:
        StartAt: Send
        States:
          Send:
            Type: Task
            Resource: arn:aws:states:::sqs:sendMessage
            Parameters:
              QueueUrl: ${self:custom.secretQueue}
              MessageBody: ${self:custom.extra}
            End: true
""")
    expected = {"StartAt": "Send", "States": {"Send": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
        "Parameters": {"QueueUrl": "placeholder", "MessageBody": {"Token": "placeholder"}}, "End": True}}}
    stubbed.add_response(OPERATION, {"result": "OK", "diagnostics": []}, sent(expected))
    status, document = run("--aws-validate", "serverless.yml")
    stubbed.assert_no_pending_responses()  # nothing a variable holds was sent
    assert status == 0


def test_after_one_connection_failure_the_rest_are_not_tried(project: Path, monkeypatch) -> None:
    calls = []

    class Unreachable:
        def validate_state_machine_definition(self, **_):
            calls.append(1)
            raise ConnectTimeoutError(endpoint_url="https://states.us-east-1.amazonaws.com")

    monkeypatch.setattr(aws, "make_client", Unreachable)
    monkeypatch.setattr(aws, "CONCURRENCY", 1)
    for number in range(6):
        Path(f"flow{number}.asl.json").write_text(json.dumps(CLEAN))
    status, document = run("--aws-validate", *[f"flow{number}.asl.json" for number in range(6)])
    assert status == 0 and len(calls) == 1
    assert document["diagnostics"][0]["message"].startswith("6 state machines not validated by AWS: AWS could not"
                                                             " be reached (ConnectTimeoutError)")


def test_aws_region_in_the_environment_is_a_region(project: Path, monkeypatch) -> None:
    for name in ("AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(project / "none"))
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    assert aws.make_client().meta.region_name == "eu-west-1"
