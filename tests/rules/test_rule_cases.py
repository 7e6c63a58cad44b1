"""Runs every case in fixtures/rules/*.yaml: each case lists where its rule must fire."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from asl_lint.config import Config
from asl_lint.engine import lint_text
from case_files import example_filename

CASE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "rules"


def _cases():
    for case_file in sorted(CASE_DIR.glob("*.yaml")):
        spec = yaml.safe_load(case_file.read_text(encoding="utf-8"))
        for case in spec["cases"]:
            yield pytest.param(spec["rule"], case, id=f"{spec['rule']}::{case['name']}")


@pytest.mark.parametrize(("rule", "case"), list(_cases()))
def test_rule_case(rule: str, case: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A case may bring files its definition refers to (DefinitionUri, ${file(...)}).
    monkeypatch.chdir(tmp_path)
    for name, text in case.get("files", {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    language = "yaml" if case.get("format") == "yaml" else "json"
    filename = case.get("file") or example_filename(case["definition"], language, "case")
    report = lint_text(case["definition"], filename, Config(select=("ALL", rule)))
    found = [d for d in report.diagnostics if d.rule == rule]
    assert sorted(f"{d.line}:{d.column}" for d in found) == sorted(case["expect"]), [d.message for d in found]
    if "message" in case:
        assert any(case["message"] in d.message for d in found), [d.message for d in found]
