"""The language server's checks resolve against each request's workspace folder, passed
as a parameter: the checking process never changes its working directory, so two
folders checked in one process each get their own configuration and includers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from asl_lint.lsp import analysis

BROKEN = '{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Shipp"}, "Ship": {"Type": "Succeed"}}}\n'


def _check(root: Path, name: str, text: str) -> set[str]:
    request = {"root": str(root), "path": str(root / name), "text": text, "open": {}, "encoding": "utf-16",
               "includers": True}
    return {found["code"] for found in analysis.check(request)["diagnostics"]}


@pytest.fixture
def elsewhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The process started in a directory that is neither workspace."""
    place = tmp_path / "elsewhere"
    place.mkdir()
    monkeypatch.chdir(place)
    return place


def test_each_workspace_gets_its_own_configuration_and_the_directory_stays(tmp_path: Path, elsewhere: Path) -> None:
    quiet, loud = tmp_path / "quiet", tmp_path / "loud"
    for folder in (quiet, loud):
        folder.mkdir()
        (folder / "flow.asl.json").write_text(BROKEN, encoding="utf-8")
    (quiet / ".asl-lint.yaml").write_text("ignore: [ASL203]\n", encoding="utf-8")
    assert _check(quiet, "flow.asl.json", BROKEN) == {"ASL202"}
    assert _check(loud, "flow.asl.json", BROKEN) == {"ASL202", "ASL203"}
    assert os.getcwd() == str(elsewhere)


def test_a_template_in_the_workspace_is_found_and_named_relative_to_it(tmp_path: Path, elsewhere: Path) -> None:
    workspace = tmp_path / "service"
    workspace.mkdir()
    (workspace / "flow.asl.json").write_text(BROKEN, encoding="utf-8")
    (workspace / "template.yaml").write_text(
        "Resources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n"
        "      DefinitionUri: flow.asl.json\n", encoding="utf-8")
    request = {"root": str(workspace), "path": str(workspace / "flow.asl.json"), "text": BROKEN, "open": {},
               "encoding": "utf-16", "includers": True}
    answer = analysis.check(request)
    related = [info["message"] for found in answer["diagnostics"] for info in found.get("relatedInformation", ())]
    assert "read, with its substitutions, by template.yaml" in related
    assert str(workspace / "template.yaml") in answer["depends"]
    assert os.getcwd() == str(elsewhere)
