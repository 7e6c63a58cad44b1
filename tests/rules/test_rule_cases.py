"""Runs every case in fixtures/rules/*.yaml: each case lists where its rule must fire."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from asl_lint.config import Config
from asl_lint.engine import lint_text
from case_files import example_filename

CASE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "rules"


def _cases(wanted=lambda case: True):
    for case_file in sorted(CASE_DIR.glob("*.yaml")):
        spec = yaml.safe_load(case_file.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            if wanted(case):
                yield pytest.param(spec["rule"], case, id=f"{spec['rule']}::{case['name']}")


def _case_file(case: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The files a case brings (DefinitionUri, ${file(...)} targets), and its file's name."""
    monkeypatch.chdir(tmp_path)
    for name, text in case.get("files", {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    language = "yaml" if case.get("format") == "yaml" else "json"
    return case.get("file") or example_filename(case["definition"], language, "case")


@pytest.mark.parametrize(("rule", "case"), list(_cases()))
def test_rule_case(rule: str, case: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    filename = _case_file(case, tmp_path, monkeypatch)
    report = lint_text(case["definition"], filename, Config(select=("ALL", rule)))
    found = [d for d in report.diagnostics if d.rule == rule]
    assert sorted(f"{d.line}:{d.column}" for d in found) == sorted(case["expect"]), [d.message for d in found]
    if "message" in case:
        assert any(case["message"] in d.message for d in found), [d.message for d in found]


@pytest.mark.parametrize(("rule", "case"), list(_cases(lambda case: "fixed" in case)))
def test_rule_fix(rule: str, case: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A case with `fixed` is the text its rule's fixes make of it (`unsafe: true`: the
    # unsafe ones too); the fixed text no longer has the problem, and a second fix
    # changes nothing.
    from asl_lint.api import fix_paths

    filename = _case_file(case, tmp_path, monkeypatch)
    (tmp_path / filename).write_text(case["definition"], encoding="utf-8")
    config = Config(select=("ALL", rule))
    unsafe = case.get("unsafe", False)
    outcome = fix_paths([filename], config, unsafe, rules={rule})
    fixed = outcome.changed.get(filename, (None, case["definition"]))[1]
    assert fixed == case["fixed"]
    assert not [d for d in outcome.result.diagnostics if d.rule == rule and d.fix is not None
                and (d.fix.safe or unsafe)]
    (tmp_path / filename).write_text(fixed, encoding="utf-8")
    assert fix_paths([filename], config, unsafe, rules={rule}).changed == {}
