"""Fuzzing the surfaces around the definitions, on a fixed budget: hostile configurations,
baselines and .gitignore files, trees of links and odd names, templates that amplify.

Whatever the input, the command line ends with status 0, 1 or 2, never an exception; a
status 2 is one line on standard error."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from asl_lint.cli import main

BUDGET = settings(max_examples=40, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                         HealthCheck.function_scoped_fixture])
UNREACHABLE = '{"StartAt": "A", "States": {"A": {"Type": "Succeed"}, "B": {"Type": "Succeed"}}}'
KEYS = ["select", "ignore", "extend-select", "severity", "fail-on", "kind", "type", "exclude", "extend-exclude",
        "per-file-ignores", "jobs", "baseline", "respect-gitignore", "force-exclude", "max-file-size",
        "allow-outside-references", "bogus", "x\n::error::y", ""]
ODD_TEXT = st.one_of(st.text(max_size=12), st.sampled_from(
    ["[z-a]", "!", "trailing\\", "[abc", "*a*a*a*a*a*a*b", "ASL2O3", "ALL", "\x1b[31m", "../..", "/etc/passwd",
     "\u202e", "\ud800", "1e400", "-1", "2.0", "never"]))
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(min_value=-10, max_value=10**20), st.floats(),
                    ODD_TEXT)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(ODD_TEXT, inner, max_size=4)), max_leaves=12)


def invoke(directory: Path, *args: str):
    here = os.getcwd()
    os.chdir(directory)
    try:
        result = CliRunner().invoke(main, ["--format", "json", *args], catch_exceptions=True)
    finally:
        os.chdir(here)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output, result.stderr)
    if result.exit_code == 2:
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("asl-lint: "), result.stderr
    else:
        json.loads(result.stdout)
    return result


@pytest.fixture
def scratch(tmp_path: Path):
    def fresh(name: str) -> Path:
        directory = tmp_path / name
        if directory.exists():
            shutil.rmtree(directory)
        directory.mkdir()
        (directory / ".git").mkdir()
        (directory / "flow.asl.json").write_text(UNREACHABLE)
        return directory

    return fresh


def _yaml_or_toml(settings_: dict, as_toml: bool) -> tuple[str, str]:
    if not as_toml:
        return ".asl-lint.yaml", json.dumps(settings_, default=str)  # JSON is YAML
    lines = ["[tool.asl-lint]"]
    for key, value in settings_.items():
        lines.append(f"{json.dumps(str(key))} = {json.dumps(value, default=str)}")
    return "pyproject.toml", "\n".join(lines) + "\n"


@BUDGET
@given(st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=5), st.booleans())
def test_any_configuration_is_a_run_or_one_line(scratch, settings_: dict, as_toml: bool) -> None:
    directory = scratch("config")
    name, text = _yaml_or_toml(settings_, as_toml)
    (directory / name).write_text(text, encoding="utf-8", errors="surrogatepass")
    invoke(directory, ".")


@BUDGET
@given(VALUES)
def test_any_baseline_is_a_run_or_one_line(scratch, document: object) -> None:
    directory = scratch("baseline")
    (directory / "baseline.json").write_text(json.dumps(document, default=str), encoding="utf-8",
                                             errors="surrogatepass")
    invoke(directory, "--baseline", "baseline.json", ".")


@BUDGET
@given(st.lists(st.one_of(ODD_TEXT, st.text(alphabet="ab*?[]!/\\ #-:^", max_size=10)), max_size=12))
def test_any_gitignore_is_a_run(scratch, lines: list[str]) -> None:
    directory = scratch("gitignore")
    (directory / "sub").mkdir()
    (directory / "sub" / ("a" * 100 + ".asl.json")).write_text(UNREACHABLE)
    (directory / ".gitignore").write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
    (directory / "sub" / ".gitignore").write_text("\n".join(reversed(lines)), encoding="utf-8",
                                                  errors="surrogatepass")
    invoke(directory, ".")


NAMES = st.one_of(st.sampled_from(["x.asl.json", "a b.json", "-v.asl.json", "::error.json", "\n.asl.json",
                                   "\u202e.json", "x.asl.yaml"]),
                  st.text(alphabet=st.characters(blacklist_characters="/\x00", blacklist_categories=["Cs"]),
                          min_size=1, max_size=8).map(lambda s: s + ".asl.json"))


@BUDGET
@given(st.lists(st.tuples(NAMES, st.sampled_from(["file", "inside", "outside", "loop", "dangling", "dir", "fifo"])),
                max_size=6))
def test_any_tree_of_links_and_names_is_a_run(scratch, tmp_path: Path, entries: list) -> None:
    directory = scratch("tree")
    outside = tmp_path / "outside.asl.json"
    outside.write_text(UNREACHABLE)
    for name, kind in entries:
        path = directory / name
        if os.path.lexists(path) or name in (".", ".."):
            continue
        try:
            if kind == "file":
                path.write_text(UNREACHABLE)
            elif kind == "inside":
                os.symlink("flow.asl.json", path)
            elif kind == "outside":
                os.symlink(outside, path)
            elif kind == "loop":
                os.symlink(name, path)
            elif kind == "dangling":
                os.symlink("missing.asl.json", path)
            elif kind == "dir":
                os.symlink(".", path)
            else:
                os.mkfifo(path)
        except OSError:  # a name the file system refuses
            continue
    invoke(directory, ".")
    invoke(directory, "--", *[name for name, _ in entries if os.path.lexists(directory / name)][:3] or ["."])


@BUDGET
@given(st.integers(min_value=0, max_value=400), st.integers(min_value=1, max_value=200_000),
       st.sampled_from(["yaml", "join", "serverless"]))
def test_templates_that_amplify_stop_at_a_limit(scratch, count: int, size: int, host: str) -> None:
    directory = scratch("amplify")
    big = "x" * size
    if host == "yaml":
        text = f"StartAt: S0\nStates:\n  S0: {{Type: Pass, Result: &big {big}, Next: Done}}\n" + "".join(
            f"  R{i}: {{Type: Pass, Result: *big, End: true}}\n" for i in range(count)) + "  Done: {Type: Succeed}\n"
        name = "case.asl.yaml"
    elif host == "join":
        parts = "\n".join("            - *big" for _ in range(count))
        text = ("Resources:\n  Flow:\n    Type: AWS::StepFunctions::StateMachine\n    Properties:\n"
                "      DefinitionString:\n        Fn::Join:\n          - ''\n          - - &big '" + big + "'\n"
                + parts + "\n")
        name = "template.yaml"
    else:
        states = "".join(f"            S{i}: {{Type: Pass, Result: '${{self:custom.big}}', End: true}}\n"
                         for i in range(count))
        text = (f"service: s\nprovider: {{name: aws}}\ncustom:\n  big: [{', '.join(['item'] * min(size, 5000))}]\n"
                f"stepFunctions:\n  stateMachines:\n    flow:\n      definition:\n        StartAt: Done\n"
                f"        States:\n{states}            Done: {{Type: Succeed}}\n")
        name = "serverless.yml"
    (directory / name).write_text(text)
    invoke(directory, name)
