"""SARIF that code scanning accepts for every file name, checked against the official schema."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from asl_lint import Config, lint_paths
from asl_lint.cli import main
from asl_lint.reporters import REPORTERS

BROKEN = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}, "C": {"Type": "Succeed"}}}'


def official_schema() -> dict:
    """The OASIS SARIF 2.1.0 schema (errata 01), kept in tests/schemas: the same on every
    Python the tests run on."""
    path = Path(__file__).parent / "schemas" / "sarif-2.1.0.json"
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def sarif(*args: str, input: str | None = None) -> dict:
    result = CliRunner().invoke(main, ["--format", "sarif", *args], input=input, catch_exceptions=False)
    return json.loads(result.stdout)


@pytest.mark.parametrize("name", ["plain.asl.json", "with space.asl.json", "hash#tag.asl.json", "ünïcödé-流程.asl.json",
                                  "dir with space/inner #1/flow.asl.json"])
def test_output_is_valid_sarif_with_encoded_relative_uris(here: Path, name: str) -> None:
    from jsonschema import Draft4Validator

    (here / name).parent.mkdir(parents=True, exist_ok=True)
    (here / name).write_text(BROKEN, encoding="utf-8")
    document = sarif(name)
    Draft4Validator(official_schema()).validate(document)
    run = document["runs"][0]
    artifact = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact["uriBaseId"] == "%SRCROOT%" and " " not in artifact["uri"] and "#" not in artifact["uri"]
    assert artifact["uri"].isascii() and "\\" not in artifact["uri"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == here.resolve().as_uri() + "/"


def test_standard_input_gets_a_valid_uri(here: Path) -> None:
    from jsonschema import Draft4Validator

    document = sarif("-", input=BROKEN)
    Draft4Validator(official_schema()).validate(document)
    artifact = document["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert artifact == {"uri": "stdin", "uriBaseId": "%SRCROOT%"}


def test_the_same_finding_has_the_same_uri_and_fingerprint_however_the_path_is_typed(here: Path) -> None:
    (here / "a.asl.json").write_text(BROKEN, encoding="utf-8")
    seen = set()
    for typed in ("a.asl.json", "./a.asl.json", str(here / "a.asl.json")):
        stream = io.StringIO()
        REPORTERS["sarif"](lint_paths(typed, Config()), stream)
        result = json.loads(stream.getvalue())["runs"][0]["results"][0]
        seen.add((result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                  result["partialFingerprints"]["aslLint/v1"]))
    assert seen == {(next(iter(seen))[0], next(iter(seen))[1])} and next(iter(seen))[0] == "a.asl.json"


def test_rules_carry_their_page_and_no_link_that_nothing_serves(here: Path) -> None:
    from asl_lint.docs import HOMEPAGE

    (here / "a.asl.json").write_text(BROKEN, encoding="utf-8")
    driver = sarif("a.asl.json")["runs"][0]["tool"]["driver"]
    assert ("informationUri" in driver) == (HOMEPAGE is not None)
    for rule in driver["rules"]:
        assert ("helpUri" in rule) == (HOMEPAGE is not None)
        assert rule["help"]["markdown"].startswith(f"# {rule['id']} {rule['name']}")
        assert "```" not in rule["help"]["text"] and "```" not in rule["fullDescription"]["text"]
        assert Path(os.path.dirname(__file__), "..", "docs", "rules", f"{rule['id']}.md").is_file()
