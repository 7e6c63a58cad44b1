"""The rule catalogue keeps its promises: ids, names, docs, cases, and examples that behave."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from asl_lint.config import Config
from asl_lint.diagnostics import Severity
from asl_lint.engine import lint_text
from asl_lint.rules import load_rules
from case_files import example_filename

CASE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "rules"
# Rules no definition can trigger on purpose; each has its own test elsewhere.
SAFETY_NETS = {
    "ASL004": "tests/test_engine.py crashes a rule on purpose",
    "ASL005": "tests/test_cli.py names an unreadable file",
    "ASL100": "tests/test_schema_messages.py feeds an unmapped schema keyword",
    "ASL012": "tests/test_hostile_files.py names a file over --max-file-size",
    "ASL017": "tests/test_aws_validate.py stubs AWS's answer",
    "ASL018": "tests/test_aws_validate.py stubs AWS's answer",
    "ASL020": "tests/test_aws_validate.py takes the credentials away",
}
# Rules whose docstring examples only behave with other files on disk (their case files
# bring those files along), under a name that says ASL (ASL014: the case file names them),
# or are abridged (a megabyte does not fit in a docstring; tests/rules/test_limits.py
# builds the real thing).
EXAMPLES_NEED_FILES = {"ASL011", "ASL014", "ASL015", "ASL019", "ASL504", "ASL505"}
CASES_ELSEWHERE = {"ASL504": "tests/rules/test_limits.py", "ASL505": "tests/rules/test_limits.py"}
RULES = list(load_rules())


def _examples(rule, label: str) -> list[str]:
    pattern = rf"^{label}[^\n]*:\n\n```(json|yaml)\n(.*?)\n```"
    return re.findall(pattern, rule.documentation(), flags=re.S | re.M)


def test_ids_and_names_are_well_formed_and_unique() -> None:
    assert len({rule.id for rule in RULES}) == len(RULES)
    assert len({rule.name for rule in RULES}) == len(RULES)
    for rule in RULES:
        assert re.fullmatch(r"ASL\d{3}", rule.id)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
        assert isinstance(rule.severity, Severity)


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.id)
def test_rule_is_documented(rule) -> None:
    summary = rule.summary()
    assert summary and len(summary) <= 80 and not summary.endswith(".")
    if rule.id not in SAFETY_NETS:
        assert _examples(rule, "Bad"), "a Bad example in a ```json or ```yaml block"
        assert _examples(rule, "Good"), "a Good example in a ```json or ```yaml block"


@pytest.mark.parametrize("rule", [r for r in RULES if r.id not in {*SAFETY_NETS, *CASES_ELSEWHERE}],
                         ids=lambda rule: rule.id)
def test_rule_has_failing_and_passing_cases(rule) -> None:
    spec = yaml.safe_load((CASE_DIR / f"{rule.id}.yaml").read_text(encoding="utf-8"))
    assert spec["rule"] == rule.id
    assert any(case["expect"] for case in spec["cases"])
    assert any(not case["expect"] for case in spec["cases"])


@pytest.mark.parametrize("rule", [r for r in RULES if r.id not in {*SAFETY_NETS, *EXAMPLES_NEED_FILES}],
                         ids=lambda rule: rule.id)
def test_docstring_examples_behave(rule) -> None:
    config = Config(select=("ALL", rule.id))  # rules that are off by default too
    for language, bad in _examples(rule, "Bad"):
        rules = {d.rule for d in lint_text(bad, example_filename(bad, language, "bad"), config).diagnostics}
        assert rule.id in rules, bad
    for language, good in _examples(rule, "Good"):
        found = lint_text(good, example_filename(good, language, "good"), config).diagnostics
        # A Good example shows its own rule satisfied and breaks no rule of the language;
        # it need not follow every best practice of other rules.
        assert [d for d in found if d.rule == rule.id or d.severity >= Severity.ERROR] == [], good


def test_every_rule_says_which_aws_code_it_corresponds_to() -> None:
    from asl_lint.rules.base import AWS_ERROR_CODES, AWS_WARNING_CODES

    for rule in RULES:
        assert "aws_code" in vars(rule), f"{rule.id} must declare aws_code (a code, or None)"
        assert rule.aws_code is None or rule.aws_code in AWS_ERROR_CODES | AWS_WARNING_CODES, rule.id
        # A rule for what AWS rejects is an error by default; AWS's warnings are warnings.
        if rule.aws_code in AWS_WARNING_CODES:
            assert rule.severity.label == "warning" and not rule.rejected_by_aws(), rule.id
    codes = {rule.aws_code for rule in RULES}
    assert {"SCHEMA_VALIDATION_FAILED", "MISSING_TRANSITION_TARGET", "NO_DOLLAR", "INVALID_RESOURCE"} <= codes
