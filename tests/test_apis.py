"""The AWS API models asl-lint ships: where they come from, what they hold, what they cost."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from asl_lint import apis


def test_the_models_say_where_they_come_from_and_name_services_as_step_functions_does() -> None:
    assert apis.source()["botocore"] and apis.source()["date"]
    names = apis.service_names()
    assert {"s3", "dynamodb", "sfn", "eventbridge", "cloudwatchlogs", "bedrockagentruntime", "config"} <= set(names)
    assert names["s3"] == "S3" and names["acmpca"] == "AcmPca" and names["dynamodb"] == "DynamoDb"


def test_the_models_are_small_and_read_one_service_at_a_time() -> None:
    assert apis.ARCHIVE.stat().st_size < 3 * 1024 * 1024  # the wheel grows by at most 3 MB
    with zipfile.ZipFile(apis.ARCHIVE) as archive:
        assert "services/s3.txt" in archive.namelist() and "index.json" in archive.namelist()
    s3 = apis.service("s3")
    assert "getObject" in s3.operations and "NoSuchKey" in s3.errors()
    members, required = s3.shapes[s3.operations["getObject"][0]]
    assert {"Bucket", "Key"} <= set(required) and "VersionId" in members


def test_a_service_decodes_only_the_request_shapes_a_check_reads() -> None:
    ec2 = apis.service.__wrapped__("ec2")  # read afresh: other tests' checks read the cached one
    assert len(ec2.shapes) > 1000 and not ec2.shapes._decoded  # type: ignore[attr-defined]
    members, required = ec2.shapes[ec2.operations["runInstances"][0]]
    assert {"MinCount", "MaxCount"} <= set(required) and "ImageId" in members
    assert list(ec2.shapes._decoded) == [ec2.operations["runInstances"][0]]  # type: ignore[attr-defined]
    assert ec2.shapes.get("NoSuchShape") is None and "NoSuchShape" not in ec2.shapes


def test_an_archived_service_holds_its_shapes_a_line_each() -> None:
    from asl_lint.apis.distill import service_text

    shapes = {"PutRequest": [{"Item": "ItemMap", "Table": 0}, ["Table"]], "ItemMap": ["m", 0]}
    text = service_text({"put": ["PutRequest", [], []]}, shapes)
    assert text.splitlines()[1:] == ['ItemMap\t["m",0]', 'PutRequest\t[{"Item":"ItemMap","Table":0},["Table"]]']
    operations, _, lines = text.partition("\n")
    assert dict(apis._Shapes(lines)) == shapes and operations == '{"put":["PutRequest",[],[]]}'
    assert len(apis._Shapes(lines)) == 2 and len(apis._Shapes(service_text({}, {}).partition("\n")[2])) == 0
    with pytest.raises(ValueError, match="cannot hold"):
        service_text({}, {"Bad\tName": ["l", 0]})


def test_a_machine_without_sdk_tasks_reads_no_model() -> None:
    code = ("import sys; from asl_lint import lint_text, Config; from asl_lint import apis;"
            "lint_text('{\"StartAt\": \"A\", \"States\": {\"A\": {\"Type\": \"Succeed\"}}}', 'a.asl.json', Config());"
            "print(apis.service.cache_info().misses, apis._index.cache_info().misses)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["0", "0"]


@pytest.mark.parametrize(("name", "spelled"), [("jobName", "JobName"), ("DBInstanceIdentifier", "DbInstanceIdentifier"),
                                               ("SNSTopicArn", "SnsTopicArn"), ("Equals", "EqualsValue"),
                                               ("S3Key", "S3Key"), ("TableName", "TableName")])
def test_members_are_spelt_as_step_functions_spells_them(name: str, spelled: str) -> None:
    assert apis.step_functions_member(name) == spelled


def test_the_distiller_writes_what_the_loader_reads(tmp_path, monkeypatch) -> None:
    pytest.importorskip("botocore")
    from asl_lint.apis import distill

    monkeypatch.setattr(distill, "OUTPUT", tmp_path / "models.zip")
    distill.main()
    with zipfile.ZipFile(tmp_path / "models.zip") as fresh, zipfile.ZipFile(apis.ARCHIVE) as shipped:
        assert set(fresh.namelist()) >= {"index.json", "services/s3.txt"}
        assert len(fresh.namelist()) >= len(shipped.namelist()) * 0.9


def test_reading_the_models_loads_no_zipfile_module() -> None:
    code = ("import sys; from asl_lint import apis;"
            "print(bool(apis.service('lambda')), bool(apis.service_names()), 'zipfile' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["True", "True", "False"]


@pytest.mark.parametrize("content", [None, b"not a zip archive", b"PK\x05\x06" + b"\x00" * 18])
def test_missing_or_broken_models_are_no_models(tmp_path, monkeypatch, content) -> None:
    archive = tmp_path / "models.zip"
    if content is not None:
        archive.write_bytes(content)
    monkeypatch.setattr(apis, "ARCHIVE", archive)
    for cached in (apis._archive, apis._index, apis.service):
        cached.cache_clear()
    try:
        assert apis.service_names() == {} and apis.service("s3") is None
    finally:
        for cached in (apis._archive, apis._index, apis.service):
            cached.cache_clear()
