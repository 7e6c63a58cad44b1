"""--fix, --unsafe-fixes and --diff on the command line: what is written, and what never is."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from asl_lint.run.fix import _fixed
from asl_lint.cli import main
from asl_lint.fixes import Edit, Fix, member_removal, render_like

DEPRECATED = ('{"StartAt": "M", "States": {"M": {"Type": "Map", "End": true,\n'
              '  "Iterator": {"StartAt": "I", "States": {"I": {"Type": "Succeed"}}}}}}\n')
TYPO = "StartAt: A\nStates:\n  A:\n    Type: Pass\n    Next: Shipp\n  Ship:\n    Type: Succeed\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    return tmp_path


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def test_fix_writes_the_safe_fixes_and_reports_what_is_left(project: Path) -> None:
    (project / "map.asl.json").write_text(DEPRECATED, encoding="utf-8")
    (project / "typo.asl.yaml").write_text(TYPO, encoding="utf-8")
    os.chmod("map.asl.json", 0o640)
    result = run("--fix", ".")
    assert '"ItemProcessor": {' in (project / "map.asl.json").read_text(encoding="utf-8")
    assert stat.S_IMODE(os.stat("map.asl.json").st_mode) == 0o640
    assert (project / "typo.asl.yaml").read_text(encoding="utf-8") == TYPO  # unsafe: left alone
    assert "Fixed 1 problem." in result.stdout and "1 fixable with --fix --unsafe-fixes." in result.stdout
    assert "ASL621" not in result.stdout and "ASL202" in result.stdout and result.exit_code == 1
    again = run("--fix", "--unsafe-fixes", ".")
    assert "Next: Ship\n" in (project / "typo.asl.yaml").read_text(encoding="utf-8")
    assert again.exit_code == 0 and "Fixed 1 problem." in again.stdout
    assert "Fixed" not in run("--fix", "--unsafe-fixes", ".").stdout  # nothing left to do


def test_diff_shows_and_writes_nothing(project: Path) -> None:
    (project / "map.asl.json").write_text(DEPRECATED, encoding="utf-8")
    result = run("--diff", "map.asl.json")
    assert result.exit_code == 1
    assert result.stdout.startswith("--- a/map.asl.json\n+++ b/map.asl.json\n")
    assert '-  "Iterator": {' in result.stdout and '+  "ItemProcessor": {' in result.stdout
    assert "1 fix in 1 file would be made" in result.stderr
    assert (project / "map.asl.json").read_text(encoding="utf-8") == DEPRECATED
    (project / "clean.asl.json").write_text('{"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}', "utf-8")
    clean = run("--diff", "clean.asl.json")
    assert clean.exit_code == 0 and clean.stdout == "" and "no fixes to make" in clean.stderr


def test_unsafe_fixes_alone_only_count(project: Path) -> None:
    (project / "typo.asl.yaml").write_text(TYPO, encoding="utf-8")
    result = run("--unsafe-fixes", "typo.asl.yaml")
    assert "1 fixable with --fix --unsafe-fixes." in result.stdout
    assert (project / "typo.asl.yaml").read_text(encoding="utf-8") == TYPO


def test_fix_with_standard_input_prints_the_fixed_text(project: Path) -> None:
    result = run("--fix", "--format", "json", "--stdin-filename", "flow.asl.json", "-", stdin=DEPRECATED)
    assert result.stdout == DEPRECATED.replace('"Iterator"', '"ItemProcessor"')
    assert json.loads(result.stderr)["diagnostics"] == []


def test_a_byte_order_mark_is_kept(project: Path) -> None:
    (project / "map.asl.json").write_bytes(b"\xef\xbb\xbf" + DEPRECATED.encode())
    run("--fix", "map.asl.json")
    assert (project / "map.asl.json").read_bytes() == b"\xef\xbb\xbf" + DEPRECATED.replace(
        '"Iterator"', '"ItemProcessor"').encode()


def test_files_outside_the_paths_are_never_written(project: Path, tmp_path_factory) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "flow.asl.json"
    outside.write_text(DEPRECATED, encoding="utf-8")
    (project / "template.yaml").write_text(
        f"Resources:\n  Flow:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n"
        f"      DefinitionUri: {outside}\n", encoding="utf-8")
    result = run("--fix", "--allow-outside-references", "template.yaml")
    assert outside.read_text(encoding="utf-8") == DEPRECATED
    assert "not fixed" in result.stderr and "outside" in result.stderr


def test_a_fix_that_would_break_the_file_is_not_made() -> None:
    text = '{"a": 1, "b": 2}'
    breaking = Fix("break it", (Edit(0, 1, ""),), True)
    fine = Fix("rename b", (Edit(9, 12, '"c"'),), True)
    assert _fixed(text, "x.json", [breaking, fine]) == ('{"a": 1, "c": 2}', 1)


@pytest.mark.parametrize(("text", "member", "expected"), [
    ('{"a": 1, "b": 2}', '"b": 2', '{"a": 1}'),
    ('{"a": 1, "b": 2}', '"a": 1', '{"b": 2}'),
    ('{\n  "a": 1,\n  "b": 2\n}', '"b": 2', '{\n  "a": 1\n}'),
    ('{\n  "a": 1,\n  "b": 2\n}', '"a": 1', '{\n  "b": 2\n}'),
    ("a: 1\nb: 2\nc: 3\n", "b: 2", "a: 1\nc: 3\n"),
    ("x = { A = 1, B = 2 }", "B = 2", "x = { A = 1 }"),
])
def test_a_member_goes_with_its_line_and_comma(text: str, member: str, expected: str) -> None:
    start = text.index(member)
    first, last = member_removal(text, start, start + len(member))
    assert text[:first] + text[last:] == expected


@pytest.mark.parametrize(("raw", "value", "hcl", "expected"), [
    ('"Iterator"', "ItemProcessor", False, '"ItemProcessor"'),
    ("Iterator", "ItemProcessor", False, "ItemProcessor"),
    ("'a'", "it's", False, "'it''s'"),
    ("id", "id.$", False, "id.$"),
    ("Next", "yes", False, '"yes"'),  # a plain yes would read as true
    ("Next", "a: b", False, '"a: b"'),
    ("Next", "Ship", True, "Ship"),
    ("id", "id.$", True, '"id.$"'),  # not an HCL identifier
    ('"x"', "${Table}", False, None),  # a substitution is never written by a fix
])
def test_values_are_written_in_the_style_of_what_they_replace(raw, value, hcl, expected) -> None:
    assert render_like(raw, value, hcl) == expected


SUPPRESSED = "asl-lint: disable=ASL203"


@pytest.mark.parametrize(("name", "text", "path", "expected"), [
    ("flow.asl.json", '{\n  "StartAt": "A",\n  "States": {\n    "A": {\n      "Type": "Pass",\n      "End": true\n'
     '    }\n  }\n}\n', ("States", "A"),
     f'{{\n  "StartAt": "A",\n  "States": {{\n    "A": {{\n      "Comment": "{SUPPRESSED}",\n      "Type": "Pass",\n'
     '      "End": true\n    }\n  }\n}\n'),
    ("flow.asl.yaml", "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n", ("States", "A"),
     f'StartAt: A\nStates:\n  A:\n    Comment: "{SUPPRESSED}"\n    Type: Pass\n    End: true\n'),
    ("flow.asl.yaml", "StartAt: A\nStates:\n  A: {Type: Pass, End: true, Comment: first}\n", ("States", "A"),
     f'StartAt: A\nStates:\n  A: {{Type: Pass, End: true, Comment: "first {SUPPRESSED}"}}\n'),  # quoted: ": "
    ("main.tf", 'resource "aws_sfn_state_machine" "x" {\n  definition = jsonencode({\n    StartAt = "A"\n'
     '    States = { A = { Type = "Pass", End = true } }\n  })\n}\n', ("States", "A"),
     'resource "aws_sfn_state_machine" "x" {\n  definition = jsonencode({\n    StartAt = "A"\n'
     f'    States = {{ A = {{ Comment = "{SUPPRESSED}", Type = "Pass", End = true }} }}\n  }})\n}}\n'),
    ("stack.json", json.dumps({"Resources": {"F": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
        "DefinitionString": '{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}'}}}}), ("States", "A"),
     json.dumps({"Resources": {"F": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
         "DefinitionString": f'{{"StartAt": "A", "States": {{"A": {{"Comment": "{SUPPRESSED}", "Type": "Pass",'
                             ' "End": true}}}'}}}})),
])
def test_a_state_suppression_is_written_in_the_syntax_of_the_file(name, text, path, expected) -> None:
    from asl_lint.extract import extract_definitions
    from asl_lint.files import References
    from asl_lint.fixes import apply, fix_for, suppress
    from asl_lint.model import value_at
    from asl_lint.source import load_documents

    document = load_documents(text, name, "hcl" if name.endswith(".tf") else None)[0]
    definition = extract_definitions(document, name, None, References()).definitions[0]
    fix = fix_for(definition, suppress(path, value_at(definition.data, path + ("Comment",)), "ASL203", "x"))
    assert apply(text, fix.edits) == expected
