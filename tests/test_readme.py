"""The README tells the truth: its rule table is the catalogue."""

from __future__ import annotations

from pathlib import Path

from asl_lint.rules import load_rules

README = Path(__file__).resolve().parents[1] / "README.md"


def rule_table() -> str:
    rows = ["| id | name | default | what it finds |", "|---|---|---|---|"]
    rows += [f"| {rule.id} | {rule.name} | {rule.severity.label} | {rule.summary()} |" for rule in load_rules()]
    return "\n".join(rows)


def test_rule_table_is_up_to_date() -> None:
    text = README.read_text(encoding="utf-8")
    current = text.split("<!-- rules:start -->\n", 1)[1].split("\n<!-- rules:end -->", 1)[0]
    assert current == rule_table(), "regenerate the README rule table from tests/test_readme.py:rule_table()"


def test_two_setup_commands_are_marked_for_ci() -> None:
    text = README.read_text(encoding="utf-8")
    assert text.count("<!-- ci:install -->") == 1 and text.count("<!-- ci:test -->") == 1
